// `joinup fmt` keeps everything: for any rule text that parses, the canonical layout means the same
// rules, keeps every comment in order and is a fixed point; a rule set that compiles converts to
// YAML and back to the same rules and comments, in canonical layout. A broken promise aborts (a
// finding), so the fuzzer checks the promise on every input it makes, and the corpus replay checks
// it in CI.
#include "common.hpp"

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "ast/dump.hpp"
#include "diag/source.hpp"
#include "format/format.hpp"
#include "joinup/diagnostic.hpp"
#include "joinup/policy.hpp"
#include "rulefile/yaml_rules.hpp"
#include "syntax/parse.hpp"

namespace {

struct parsed {
  std::string meaning;                // the rules, without positions
  std::vector<std::string> comments;  // every comment, trailing blanks trimmed, in order
};

std::optional<parsed> parse(const std::string& origin, const std::string& text) {
  joinup::diag::source_file src(origin, text);
  joinup::ast::file f;
  std::vector<joinup::diagnostic> diags;
  bool ok = false;
  if (joinup::rulefile::is_yaml_name(origin)) {
    ok = joinup::rulefile::read_yaml(src, f, diags);
  } else {
    joinup::syntax::parse_output out;
    ok = joinup::syntax::parse(src, joinup::syntax::parse_mode::rule_file, f, out, diags);
  }
  if (!ok) return std::nullopt;
  parsed p{joinup::ast::dump(f), {}};
  for (const auto& c : f.comments) {
    std::string s(src.slice(c.begin, c.end));
    while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\t')) s.pop_back();
    p.comments.push_back(std::move(s));
  }
  return p;
}

[[noreturn]] void broken(const char* promise, const std::string& input, const std::string& output) {
  std::fprintf(stderr, "fmt broke a promise: %s\n--- input ---\n%s\n--- output ---\n%s\n", promise, input.c_str(),
               output.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > joinup_fuzz::max_input) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto before = parse("fuzz.jup", text);
  if (!before) return 0;  // fmt refuses what does not parse; other targets fuzz the refusal

  std::string once;
  try {
    once = joinup::format::format_dsl({"fuzz.jup", text});
  } catch (const joinup::error& e) {
    broken("a text that parses is refused", text, e.what());
  }
  const auto after = parse("fuzz.jup", once);
  if (!after) broken("the formatted text does not parse", text, once);
  if (after->meaning != before->meaning) broken("the formatted text means other rules", text, once);
  if (after->comments != before->comments) broken("a comment was lost, changed or moved out of order", text, once);
  if (joinup::format::format_dsl({"fuzz.jup", once}) != once) broken("formatting twice changes the text", text, once);

  // YAML form, for rule sets that compile (a name bound twice cannot be a YAML map's key twice).
  try {
    joinup::policy::compile({{"fuzz.jup", text}});
  } catch (const joinup::error&) {
    return 0;
  }
  std::string yaml;
  try {
    yaml = joinup::format::to_yaml({"fuzz.jup", text});
  } catch (const joinup::error& e) {
    broken("a compiling rule set cannot be written as YAML", text, e.what());
  }
  const auto as_yaml = parse("fuzz.yaml", yaml);
  if (!as_yaml) broken("the YAML form does not parse", text, yaml);
  if (as_yaml->meaning != before->meaning) broken("the YAML form means other rules", text, yaml);
  std::string back;
  try {
    back = joinup::format::to_dsl({"fuzz.yaml", yaml});
  } catch (const joinup::error& e) {
    broken("the YAML form cannot be converted back", yaml, e.what());
  }
  // Back in the DSL, the same rules and comments. (Not always the same text: a tab written raw in
  // a string comes back as the escape \t.)
  const auto round = parse("fuzz.jup", back);
  if (!round) broken("YAML and back does not parse", text, back);
  if (round->meaning != before->meaning) broken("YAML and back means other rules", text, back);
  if (round->comments != before->comments) broken("YAML and back lost, changed or moved a comment", text, back);
  if (joinup::format::format_dsl({"fuzz.jup", back}) != back)
    broken("YAML and back is not in canonical layout", text, back);
  return 0;
}
