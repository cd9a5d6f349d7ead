// Every limit of docs/security.md through the C++ API: accepted at the limit, refused one past it
// with its exact message; and messages that quote data within a window.
#include <catch2/catch.hpp>

#include <string>

#include "fixed_date.hpp"
#include "joinup/joinup.hpp"

using namespace joinup;

namespace {

// The first diagnostic of the error `f` throws, as "line:column code message"; "" when it does not throw.
template <class F>
std::string first_error(F f) {
  try {
    f();
  } catch (const error& e) {
    REQUIRE(!e.diagnostics().empty());
    const auto& d = e.diagnostics()[0];
    return std::to_string(d.line) + ":" + std::to_string(d.column) + " " + d.code + " " + d.message;
  }
  return "";
}

std::string nested_lists(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

// The single violation of the single rule, or a failed REQUIRE.
violation only_violation(const evaluation_result& r) {
  REQUIRE(r.rules.size() == 1);
  REQUIRE(r.rules[0].violations.size() == 1);
  return r.rules[0].violations[0];
}

}  // namespace

TEST_CASE("limits: nesting of data, at and past max_depth") {
  load_options o;
  o.max_depth = 5;
  CHECK_NOTHROW(load_document(nested_lists(5), "d.json", data_format::json, o));
  CHECK_NOTHROW(load_document(nested_lists(5), "d.yaml", data_format::yaml, o));
  CHECK(first_error([&] { load_document(nested_lists(6), "d.json", data_format::json, o); }) ==
        "1:6 too-deep lists and maps are nested more than 5 levels deep");
  CHECK(first_error([&] { load_document(nested_lists(6), "d.yaml", data_format::yaml, o); }) ==
        "1:6 too-deep lists and maps are nested more than 5 levels deep");
}

TEST_CASE("limits: 100,000 nested brackets are an error, not a stack overflow") {
  const std::string deep(100000, '[');
  CHECK(first_error([&] { load_document(deep + std::string(100000, ']'), "d.json"); }) ==
        "1:257 too-deep lists and maps are nested more than 256 levels deep");
  CHECK(first_error([&] { load_document(deep, "d.yaml"); }) ==
        "1:257 too-deep lists and maps are nested more than 256 levels deep");
}

TEST_CASE("limits: size of a data text, at and past max_bytes") {
  const std::string text = "a: [1, 2, 3]\n";  // 13 bytes
  load_options o;
  o.max_bytes = text.size();
  CHECK_NOTHROW(load_document(text, "d.yaml", data_format::yaml, o));
  o.max_bytes = text.size() - 1;
  CHECK(first_error([&] { load_document(text, "d.yaml", data_format::yaml, o); }) ==
        "0:0 too-large data file is 13 bytes, more than the limit of 12 bytes");
}

TEST_CASE("limits: a string or key in data, at and past max_string_bytes") {
  load_options o;
  o.max_string_bytes = 10;
  const std::string ten(10, 's'), eleven(11, 's');
  CHECK(load_document("a: " + ten + "\n", "d.yaml", data_format::yaml, o).as_string(1) == ten);
  CHECK(first_error([&] { load_document("a: 1\nb: " + eleven + "\n", "d.yaml", data_format::yaml, o); }) ==
        "2:4 too-large a string of 11 bytes is longer than the limit of 10 bytes");
  CHECK(first_error([&] {
          load_document("{\"a\": 1,\n \"b\": \"" + eleven + "\"}", "d.json", data_format::json, o);
        }) == "2:7 too-large a string of 11 bytes is longer than the limit of 10 bytes");
  CHECK_NOTHROW(load_document("{\"" + ten + "\": 1}", "d.json", data_format::json, o));
  CHECK(first_error([&] { load_document("{\"" + eleven + "\": 1}", "d.json", data_format::json, o); }) ==
        "1:17 too-large a key of 11 bytes is longer than the limit of 10 bytes");
}

TEST_CASE("limits: YAML alias bombs are refused, recursive aliases too") {
  std::string bomb = "a0: &a0 \"lol\"\n";
  for (int i = 1; i < 10; ++i) {
    bomb += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) bomb += (k ? ", *a" : "*a") + std::to_string(i - 1);
    bomb += "]\n";
  }
  const auto e = first_error([&] { load_document(bomb, "bomb.yaml"); });
  CHECK(e.find(" too-large the document has more than ") != std::string::npos);
  CHECK(first_error([&] { load_document("a: &x [1, *x]\n", "r.yaml"); }).find("refers to a value that contains it") !=
        std::string::npos);
}

TEST_CASE("limits: size of a rule text, at and past max_file_bytes") {
  const std::string text = "rule r { require true }";  // 23 bytes
  compile_options o;
  o.max_file_bytes = text.size();
  CHECK_NOTHROW(policy::compile({{"r.jup", text}}, o));
  o.max_file_bytes = text.size() - 1;
  CHECK(first_error([&] {
          policy::compile({{"r.jup", text}}, o);
        }) == "0:0 too-large rule file is 23 bytes, more than the limit of 22 bytes");
}

TEST_CASE("limits: nesting of an expression, at and past max_expression_depth") {
  compile_options o;
  o.max_expression_depth = 10;
  auto parens = [](int n) { return "rule r { require " + std::string(n, '(') + "true" + std::string(n, ')') + " }"; };
  CHECK_NOTHROW(policy::compile({{"r.jup", parens(10)}}, o));
  CHECK(first_error([&] { policy::compile({{"r.jup", parens(11)}}, o); }) == "1:28 too-deep too deeply nested");
}

// The walk recurses once per `for each` step of a rule: the steps count as nesting, under
// max_expression_depth, so that the stack that limit needs (docs/security.md) bounds them too. At
// the command's ceiling of 1000 the walk runs to the innermost step (on the sanitizer build's
// 8 MiB stack as well); one more is refused where it is written.
TEST_CASE("limits: 'for each' steps of a rule, at and past max_expression_depth") {
  auto chain = [](int n, int expected) {
    std::string r = "package p\nrule r {\n";
    for (int i = 0; i < n; ++i) r += "  for each x" + std::to_string(i) + " in [" + std::to_string(i) + "]\n";
    return r + "  require x" + std::to_string(n - 1) + " == " + std::to_string(expected) + "\n}\n";
  };
  compile_options o;
  o.max_expression_depth = 1000;
  const document empty = load_document("{}", "d.json");
  const auto pass = policy::compile({{"r.jup", chain(1000, 999)}}, o).evaluate(empty);
  REQUIRE(pass.rules.size() == 1);
  CHECK(pass.rules[0].result == outcome::pass);
  CHECK(pass.rules[0].subjects == 1);
  const auto fail = policy::compile({{"r.jup", chain(1000, 0)}}, o).evaluate(empty);
  CHECK(only_violation(fail).kind == outcome::fail);
  CHECK(first_error([&] {
          policy::compile({{"r.jup", chain(1001, 0)}}, o);
        }) == "1003:3 too-deep rule 'r' nests more than 1000 'for each' steps, the limit of nesting");
  CHECK_NOTHROW(policy::compile({{"r.jup", chain(200, 199)}}));
  CHECK(first_error([&] {
          policy::compile({{"r.jup", chain(201, 0)}});
        }) == "203:3 too-deep rule 'r' nests more than 200 'for each' steps, the limit of nesting");
}

TEST_CASE("limits: length of a pattern written in a rule, at and past max_regex_bytes") {
  compile_options o;
  o.max_regex_bytes = 8;
  auto rule = [](const std::string& pattern) { return "uses d\nrule r { require d matches \"" + pattern + "\" }"; };
  CHECK_NOTHROW(policy::compile({{"r.jup", rule("^[a-z]+$")}}, o));
  CHECK(first_error([&] {
          policy::compile({{"r.jup", rule("^[a-z]+$.")}}, o);
        }) == "2:28 too-large a regular expression of 9 bytes is longer than the limit of 8 bytes");
}

TEST_CASE("limits: length of a pattern read from data, at and past max_regex_bytes") {
  const auto p = policy::compile({{"r.jup", "uses d\nrule r { require d.s matches d.p }"}});
  evaluate_options o = fixed_date();
  o.max_regex_bytes = 8;
  auto r = p.evaluate(load_document("d: {s: abc, p: '^[a-z]+$'}", "d.yaml"), o);
  CHECK(r.rules[0].result == outcome::pass);
  r = p.evaluate(load_document("d: {s: abc, p: '^[a-z]+$.'}", "d.yaml"), o);
  const auto v = only_violation(r);
  CHECK(v.kind == outcome::undetermined);
  CHECK(v.rule_id == "r.r");
  CHECK(v.message ==
        "a regular expression of 9 bytes is longer than the limit of 8 bytes "
        "(evaluate_options::max_regex_bytes): \"^[a-z]+$.\"");
}

TEST_CASE("limits: length of a string built by join(), at and past max_string_bytes") {
  const auto p = policy::compile({{"r.jup", "uses d\nrule r { require length(join(d.xs, \"-\")) > 0 }"}});
  const auto doc = load_document("d: {xs: [abcd, efgh]}", "d.yaml");  // "abcd-efgh": 9 bytes
  evaluate_options o = fixed_date();
  o.max_string_bytes = 9;
  CHECK(p.evaluate(doc, o).rules[0].result == outcome::pass);
  o.max_string_bytes = 8;
  const auto v = only_violation(p.evaluate(doc, o));
  CHECK(v.kind == outcome::undetermined);
  CHECK(v.message ==
        "join() would make a string longer than the limit of 8 bytes (evaluate_options::max_string_bytes)");
}

TEST_CASE("limits: a quadratic rule over a large document stops at max_steps") {
  const auto p =
      policy::compile({{"q.jup", "uses d\nrule pairs { require all a in d.xs: all b in d.xs: a != b or true }"}});
  std::string yaml = "d: {xs: [";
  for (int i = 0; i < 3000; ++i) yaml += std::to_string(i) + ",";
  yaml += "0]}";
  const auto doc = load_document(yaml, "big.yaml");
  evaluate_options o = fixed_date();
  o.max_steps = 1000000;
  CHECK(first_error([&] { p.evaluate(doc, o); }) ==
        "0:0 step-limit evaluation stopped in rule q.pairs: the step budget of 1000000 was used up");
  // A small document of the same shape stays within the same budget.
  const auto small = load_document("d: {xs: [1, 2, 3]}", "small.yaml");
  CHECK(p.evaluate(small, o).rules[0].result == outcome::pass);
}

TEST_CASE("bounded messages: strings and patterns from data are quoted within a window") {
  const std::string long_name(300, 'n');
  const auto p = policy::compile({{"r.jup", "uses d\nrule r { require d.name == \"x\" }"}});
  const auto v = only_violation(p.evaluate(load_document("d: {name: " + long_name + "}", "d.yaml"), fixed_date()));
  const std::string shown = "\"" + std::string(100, 'n') + "\"… (200 more bytes)";
  CHECK(v.message == "expected d.name == \"x\", but d.name is " + shown);
  REQUIRE(!v.explanation.empty());
  CHECK(v.explanation[0].value == shown);

  // A rule's message quotes the data's own words whole, well past the explanation's window ...
  const auto m = policy::compile({{"r.jup", "uses d\nrule r { require false\n message \"name {d.name}\" }"}});
  const std::string accents(150, 'x');
  auto mv = only_violation(m.evaluate(load_document("d: {name: 'é" + accents + "'}", "d.yaml"), fixed_date()));
  CHECK(mv.message == "name é" + accents);
  // ... and past the generous limit only hostile data reaches, cuts after the last whole word.
  std::string words;
  while (words.size() < 3000) words += "joined up care ";
  mv = only_violation(m.evaluate(load_document("d: {name: '" + words + "'}", "d.yaml"), fixed_date()));
  REQUIRE(mv.message.size() > 1900);
  CHECK(mv.message.size() <= 5 + 2000 + 3);
  CHECK(mv.message.substr(mv.message.size() - 3) == "…");
  const auto last_word = mv.message.substr(0, mv.message.size() - 3);
  CHECK((last_word.ends_with(" joined") || last_word.ends_with(" up") || last_word.ends_with(" care")));
  // Text without a space is cut at a character boundary, never inside a character.
  std::string accents_only;
  while (accents_only.size() < 3000) accents_only += "é";
  mv = only_violation(m.evaluate(load_document("d: {name: 'x" + accents_only + "'}", "d.yaml"), fixed_date()));
  CHECK(mv.message == "name x" + accents_only.substr(0, 1998) + "…");

  // An invalid pattern from data, and the part of RE2's error that repeats it.
  const auto q = policy::compile({{"r.jup", "uses d\nrule r { require d.s matches d.p }"}});
  const std::string bad = "(" + std::string(200, 'a');
  const auto qv = only_violation(q.evaluate(load_document("d: {s: a, p: '" + bad + "'}", "d.yaml"), fixed_date()));
  CHECK(qv.kind == outcome::undetermined);
  CHECK(qv.message.rfind("invalid regular expression (" + std::string(99, 'a') + "… (101 more bytes): missing ): (",
                         0) == 0);
  CHECK(qv.message.size() < 400);
}

TEST_CASE("limits: patterns from data stay correct past the bound of the per-evaluation cache") {
  // 600 distinct patterns, more than the cache holds: each subject still gets its own pattern.
  const auto p = policy::compile({{"r.jup", "uses d\nrule r { for each x in d.xs\n require x.s matches x.p }"}});
  std::string yaml = "d:\n  xs:\n";
  for (int i = 0; i < 600; ++i) {
    const std::string n = std::to_string(i);
    // Every tenth subject's string does not match its pattern.
    yaml += "    - {s: 'v" + (i % 10 == 0 ? std::string("x") : n) + "', p: '^v" + n + "$'}\n";
  }
  const auto r = p.evaluate(load_document(yaml, "d.yaml"), fixed_date());
  REQUIRE(r.rules.size() == 1);
  CHECK(r.rules[0].violations.size() == 60);
  for (const auto& v : r.rules[0].violations) CHECK(v.kind == outcome::fail);
}
