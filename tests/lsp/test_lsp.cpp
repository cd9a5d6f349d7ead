// The language server's parts that need no client: positions in UTF-16 and UTF-8, the framing of
// messages, and one session driven through server::handle.
#include <catch2/catch.hpp>

#include <sstream>

#include "lsp/framing.hpp"
#include "lsp/server.hpp"
#include "lsp/text.hpp"

using namespace joinup::lsp;

TEST_CASE("positions: UTF-16 code units and UTF-8 bytes past non-ASCII text") {
  // "é" is 2 bytes and 1 UTF-16 unit; "😀" is 4 bytes and 2 units (a surrogate pair).
  const std::string text = "ab\n\xC3\xA9x\xF0\x9F\x98\x80y\r\nz";
  const text_map m(text);
  REQUIRE(m.line_count() == 3);
  // Offsets of 'x', 'y', 'z'.
  const std::uint32_t x = 5, y = 10, z = 13;
  CHECK(m.at(x, encoding::utf16) == position{1, 1});
  CHECK(m.at(x, encoding::utf8) == position{1, 2});
  CHECK(m.at(y, encoding::utf16) == position{1, 4});
  CHECK(m.at(y, encoding::utf8) == position{1, 7});
  CHECK(m.at(z, encoding::utf16) == position{2, 0});
  CHECK(m.offset({1, 4}, encoding::utf16) == y);
  CHECK(m.offset({1, 7}, encoding::utf8) == y);
  CHECK(m.offset({1, 1}, encoding::utf16) == x);
  // Half of the surrogate pair gives the character's start; past the line end, the line's end
  // (before "\r\n"); past the last line, the end of the text.
  CHECK(m.offset({1, 3}, encoding::utf16) == 6);
  CHECK(m.offset({1, 99}, encoding::utf16) == 11);
  CHECK(m.offset({9, 0}, encoding::utf16) == text.size());
  // Inside a multi-byte character: its start.
  CHECK(m.at(7, encoding::utf16) == position{1, 2});
  CHECK(m.at(999, encoding::utf8) == position{2, 1});
  // A diagnostic's 1-based line and column in code points.
  CHECK(m.offset_of_column(2, 3) == 6);
  CHECK(m.advance_in_line(6, 10) == 11);
}

TEST_CASE("positions: invalid UTF-8 counts a byte as one unit") {
  const std::string text = "\xFF\xC3z";
  const text_map m(text);
  CHECK(m.at(2, encoding::utf16) == position{0, 2});
  CHECK(m.offset({0, 2}, encoding::utf16) == 2);
}

TEST_CASE("framing: messages, a bad header, a message past the limit, a truncated body") {
  const std::string input = frame("{\"a\":1}") + "Content-Type: x\r\n\r\n" + "Content-Length: x1\r\n\r\n" +
                            "Content-Length: 20\r\n\r\n01234567890123456789" + "content-length:  3 \r\n\r\n{}\n" +
                            "Content-Length: 10\r\n\r\n{}";
  std::istringstream in(input);
  frame_reader r(in, 10);
  std::string body, problem;
  REQUIRE(r.next(body, problem) == read_status::message);
  CHECK(body == "{\"a\":1}");
  REQUIRE(r.next(body, problem) == read_status::bad_header);
  CHECK(problem == "a message without a Content-Length header");
  REQUIRE(r.next(body, problem) == read_status::bad_header);
  CHECK(problem == "the Content-Length header 'x1' is not a number of bytes");
  REQUIRE(r.next(body, problem) == read_status::bad_header);
  CHECK(problem == "a message of 20 bytes is longer than the limit of 10 bytes");
  REQUIRE(r.next(body, problem) == read_status::message);
  CHECK(body == "{}\n");
  CHECK(r.next(body, problem) == read_status::end);
  CHECK(frame("{}") == "Content-Length: 2\r\n\r\n{}");
}

TEST_CASE("server: errors answer the request and the session goes on") {
  server s;
  const auto one = [&](const std::string& body) {
    const auto out = s.handle(body);
    REQUIRE(!out.empty());
    return out.front();
  };
  CHECK_THAT(one(R"({"jsonrpc":"2.0","id":1,"method":"shutdown"})"), Catch::Contains("-32002"));
  CHECK_THAT(
      one(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{"general":{"positionEncodings":["utf-8"]}}}})"),
      Catch::Contains("\"positionEncoding\": \"utf-8\""));
  CHECK(s.position_encoding() == encoding::utf8);
  CHECK_THAT(one("{"), Catch::Contains("-32700"));
  CHECK_THAT(one(R"({"jsonrpc":"2.0","id":"s","method":"nope"})"),
             Catch::Contains("\"id\": \"s\"") && Catch::Contains("-32601"));
  CHECK_THAT(one(R"({"jsonrpc":"2.0","id":-7,"method":"textDocument/hover","params":{"textDocument":{"uri":1}}})"),
             Catch::Contains("\"id\": -7") && Catch::Contains("-32602"));
  CHECK_THAT(one(R"({"jsonrpc":"2.0","id":{},"method":"shutdown"})"), Catch::Contains("-32600"));
  CHECK(s.handle(R"({"jsonrpc":"2.0","method":"unknown/notification"})").empty());
  CHECK_THAT(one(R"({"jsonrpc":"2.0","id":2,"method":"shutdown"})"), Catch::Contains("\"result\": null"));
  CHECK(!s.exit_requested());
  CHECK(s.handle(R"({"jsonrpc":"2.0","method":"exit"})").empty());
  CHECK(s.exit_requested());
  CHECK(s.exit_code() == 0);
}

TEST_CASE("serve: reads framed messages until exit and returns the exit code") {
  const auto msg = [](const std::string& body) { return frame(body); };
  std::istringstream in(msg(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{}})") + "garbage\r\n\r\n" +
                        msg(R"({"jsonrpc":"2.0","method":"exit"})") +
                        msg(R"({"jsonrpc":"2.0","id":2,"method":"shutdown"})"));
  std::ostringstream out;
  CHECK(serve(in, out) == 1);  // exit without shutdown
  const std::string text = out.str();
  CHECK_THAT(text, Catch::Contains("\"capabilities\""));
  CHECK_THAT(text, Catch::Contains("a message without a Content-Length header"));
  CHECK(text.find("\"id\": 2") == std::string::npos);  // nothing read after exit
  CHECK(uri_to_path("file:///tmp/a%20b.jup") == "/tmp/a b.jup");
  CHECK(uri_to_path("file://host/x.jup") == "/x.jup");
  CHECK(uri_to_path("untitled:1").empty());
}
