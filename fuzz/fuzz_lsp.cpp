// The language server's message handling: no input ends a session early or escapes as an
// exception. The input is read twice: as the bytes of a session (framed messages after an
// initialize), which must be answered without a crash, and as the text of a document, opened as a
// .jup and as a YAML rule file and asked for diagnostics, hover, completion, definition, rename,
// symbols and formatting at positions spread over it; every request must get its response (a
// result or an error) with its id. A broken promise aborts (a finding).
#include "common.hpp"

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include "lsp/framing.hpp"
#include "lsp/server.hpp"
#include "report/json_writer.hpp"

namespace {

void fail(const std::string& what) {
  std::fprintf(stderr, "fuzz_lsp: %s\n", what.c_str());
  std::abort();
}

std::string quoted(std::string_view s) {
  std::string out;
  joinup::report::append_json_string(out, s);
  return out;
}

void session(std::string_view bytes) {
  const std::string init = R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"capabilities":{}}})";
  std::istringstream in(joinup::lsp::frame(init) + std::string(bytes));
  std::ostringstream out;
  const int code = joinup::lsp::serve(in, out);
  if (code != 0 && code != 1) fail("exit code " + std::to_string(code));
}

void document(std::string_view text, const char* uri, bool utf8) {
  joinup::lsp::server s;
  s.handle(
      std::string(
          R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"capabilities":{"general":{"positionEncodings":[)") +
      (utf8 ? "\"utf-8\"" : "\"utf-16\"") + "]}}}}");
  const std::string doc = std::string(R"({"textDocument":{"uri":")") + uri + "\"";
  s.handle(R"({"jsonrpc":"2.0","method":"textDocument/didOpen","params":)" + doc + R"(,"version":1,"text":)" +
           quoted(text) + "}}}");
  int id = 1;
  const auto ask = [&](const std::string& method, const std::string& extra) {
    const std::string wanted = "\"id\": " + std::to_string(id);
    const auto out = s.handle(R"({"jsonrpc":"2.0","id":)" + std::to_string(id) + R"(,"method":")" + method +
                              R"(","params":)" + doc + "}" + extra + "}}");
    if (out.empty() || out.front().find(wanted) == std::string::npos) fail(method + " got no response");
    ++id;
  };
  ask("textDocument/documentSymbol", "");
  ask("textDocument/formatting", R"(,"options":{"tabSize":2,"insertSpaces":true})");
  std::uint32_t line = 0, character = 0, asked = 0;
  for (std::size_t i = 0; i < text.size() && asked < 12; ++i) {
    if (text[i] == '\n') {
      ++line;
      character = 0;
      continue;
    }
    ++character;
    if ((i * 7919) % 37 != 0) continue;
    ++asked;
    const std::string at =
        R"(,"position":{"line":)" + std::to_string(line) + R"(,"character":)" + std::to_string(character) + "}";
    ask("textDocument/hover", at);
    ask("textDocument/completion", at);
    ask("textDocument/definition", at);
    ask("textDocument/rename", at + R"(,"newName":"renamed")");
  }
  s.handle(R"({"jsonrpc":"2.0","method":"textDocument/didClose","params":)" + doc + "}}}");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > joinup_fuzz::max_input) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  session(bytes);
  document(bytes, "file:///fuzz/rules.jup", false);
  document(bytes, "file:///fuzz/rules.yaml", true);
  return 0;
}
