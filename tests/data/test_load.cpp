// Data documents: the builder, paths, and the YAML and JSON loaders (typing, positions, limits,
// errors with their positions).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

#include "joinup/diagnostic.hpp"
#include "joinup/document.hpp"

using joinup::data_format;
using joinup::document;
using joinup::value_kind;

namespace {

document yaml(std::string_view text) { return joinup::load_document(text, "data.yaml", data_format::yaml); }
document json(std::string_view text) { return joinup::load_document(text, "data.json", data_format::json); }

// The first diagnostic of the error that loading throws (a failed check if nothing is thrown).
joinup::diagnostic load_error(std::string_view text, data_format f, joinup::load_options o = {}) {
  try {
    joinup::load_document(text, f == data_format::json ? "data.json" : "data.yaml", f, o);
  } catch (const joinup::error& e) {
    REQUIRE(!e.diagnostics().empty());
    return e.diagnostics().front();
  }
  FAIL("no error for: " << std::string(text.substr(0, 80)));
  return {};
}

// The node at a path of keys (strings) and indexes (numbers as strings prefixed with '#').
document::node_id at(const document& d, std::initializer_list<std::string_view> path) {
  auto n = d.root();
  for (auto step : path) {
    REQUIRE(n != document::npos);
    if (!step.empty() && step[0] == '#')
      n = d.at(n, static_cast<std::uint32_t>(std::stoul(std::string(step.substr(1)))));
    else
      n = d.find(n, step);
  }
  REQUIRE(n != document::npos);
  return n;
}

// Structural equality of two subtrees (positions aside).
bool same(const document& a, document::node_id x, const document& b, document::node_id y) {
  if (a.kind(x) != b.kind(y)) return false;
  switch (a.kind(x)) {
    case value_kind::null: return true;
    case value_kind::boolean: return a.as_bool(x) == b.as_bool(y);
    case value_kind::integer: return a.as_int(x) == b.as_int(y);
    case value_kind::number: return a.as_double(x) == b.as_double(y);
    case value_kind::string: return a.as_string(x) == b.as_string(y);
    case value_kind::date: return a.as_date(x) == b.as_date(y);
    case value_kind::list:
      if (a.size(x) != b.size(y)) return false;
      for (std::uint32_t i = 0; i < a.size(x); ++i)
        if (!same(a, a.at(x, i), b, b.at(y, i))) return false;
      return true;
    case value_kind::map:
      if (a.size(x) != b.size(y)) return false;
      for (std::uint32_t i = 0; i < a.size(x); ++i) {
        if (a.key_text(a.key_at(x, i)) != b.key_text(b.key_at(y, i))) return false;
        if (!same(a, a.value_at(x, i), b, b.value_at(y, i))) return false;
      }
      return true;
  }
  return false;
}

std::string repeat(std::string_view s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST_CASE("YAML plain scalars are typed by the 1.2 core schema") {
  struct row {
    const char* text;
    value_kind kind;
  };
  const row rows[] = {
      {"null", value_kind::null},
      {"Null", value_kind::null},
      {"NULL", value_kind::null},
      {"~", value_kind::null},
      {"", value_kind::null},
      {"true", value_kind::boolean},
      {"True", value_kind::boolean},
      {"TRUE", value_kind::boolean},
      {"false", value_kind::boolean},
      {"False", value_kind::boolean},
      {"FALSE", value_kind::boolean},
      {"yes", value_kind::string},
      {"no", value_kind::string},
      {"on", value_kind::string},
      {"off", value_kind::string},
      {"y", value_kind::string},
      {"nULL", value_kind::string},
      {"tRUE", value_kind::string},
      {"0", value_kind::integer},
      {"-12", value_kind::integer},
      {"+12", value_kind::integer},
      {"0o17", value_kind::integer},
      {"0x1F", value_kind::integer},
      {"0x", value_kind::string},
      {"0o8", value_kind::string},
      {"1_000", value_kind::string},
      {"1.5", value_kind::number},
      {"-1.5", value_kind::number},
      {".5", value_kind::number},
      {"5.", value_kind::number},
      {"1e3", value_kind::number},
      {"+1.5E-3", value_kind::number},
      {".inf", value_kind::number},
      {"-.Inf", value_kind::number},
      {"+.INF", value_kind::number},
      {".nan", value_kind::number},
      {".NaN", value_kind::number},
      {".", value_kind::string},
      {"1e", value_kind::string},
      {"0b101", value_kind::string},
      {"1.2.3", value_kind::string},
      {"hello", value_kind::string},
      {"2026-03-31", value_kind::date},
      {"2026-02-30", value_kind::string},
      {"2026-3-31", value_kind::string},
      {"2026-03-31T10:00", value_kind::string},
  };
  for (const auto& r : rows) {
    INFO("scalar: '" << r.text << "'");
    const auto d = yaml(std::string("v: ") + r.text + "\n");
    CHECK(d.kind(d.find(d.root(), "v")) == r.kind);
  }
  const auto d = yaml(
      "a: 0o17\nb: 0x1F\nc: -12\nd: +1.5E-3\ne: -.Inf\nf: .nan\ng: yes\nh: 2024-02-29\ni: 9223372036854775807\n"
      "j: -9223372036854775808\nk: 9223372036854775808\nl: 0xFFFFFFFFFFFFFFFF\n");
  CHECK(d.as_int(d.find(0, "a")) == 15);
  CHECK(d.as_int(d.find(0, "b")) == 31);
  CHECK(d.as_int(d.find(0, "c")) == -12);
  CHECK(d.as_double(d.find(0, "d")) == Approx(0.0015));
  CHECK(d.as_double(d.find(0, "e")) == -std::numeric_limits<double>::infinity());
  CHECK(std::isnan(d.as_double(d.find(0, "f"))));
  CHECK(d.as_string(d.find(0, "g")) == "yes");
  CHECK(d.as_date(d.find(0, "h")).to_string() == "2024-02-29");
  CHECK(d.as_int(d.find(0, "i")) == std::numeric_limits<std::int64_t>::max());
  CHECK(d.as_int(d.find(0, "j")) == std::numeric_limits<std::int64_t>::min());
  CHECK(d.kind(d.find(0, "k")) == value_kind::number);  // beyond int64: a double, as in JSON
  CHECK(d.as_double(d.find(0, "k")) == 9223372036854775808.0);
  CHECK(d.kind(d.find(0, "l")) == value_kind::number);
}

TEST_CASE("quoted and tagged YAML scalars") {
  const auto d = yaml(
      "a: \"true\"\nb: '12'\nc: \"2026-03-31\"\nd: !!str 2026-03-31\ne: !!str 12\nf: '2026-02-30'\n"
      "g: |\n  2026-03-31\nh: !!float 3\ni: !!int 0x10\nj: \"null\"\nk: !!str null\n");
  CHECK(d.as_string(d.find(0, "a")) == "true");
  CHECK(d.as_string(d.find(0, "b")) == "12");
  CHECK(d.kind(d.find(0, "c")) == value_kind::date);  // quoted ISO dates are dates too
  CHECK(d.kind(d.find(0, "d")) == value_kind::string);
  CHECK(d.as_string(d.find(0, "d")) == "2026-03-31");
  CHECK(d.as_string(d.find(0, "e")) == "12");
  CHECK(d.as_string(d.find(0, "f")) == "2026-02-30");
  CHECK(d.as_string(d.find(0, "g")) == "2026-03-31\n");
  CHECK(d.kind(d.find(0, "h")) == value_kind::number);
  CHECK(d.as_double(d.find(0, "h")) == 3.0);
  CHECK(d.as_int(d.find(0, "i")) == 16);
  CHECK(d.as_string(d.find(0, "j")) == "null");
  CHECK(d.kind(d.find(0, "k")) == value_kind::string);

  const auto e = load_error("a: !!int hello\n", data_format::yaml);
  CHECK(e.code == "data-parse");
  CHECK(e.message == "'hello' is not an integer, as its tag says");
  CHECK((e.line == 1 && e.column == 4));  // a node with a tag or anchor starts there
}

TEST_CASE("JSON values") {
  const auto d = json(
      R"({"s": "x", "d": "2026-03-31", "bad": "2026-02-30", "i": -9223372036854775808, "max": 9223372036854775807,)"
      R"( "big": 9223372036854775808, "f": 1.5e2, "z": -0.0, "t": true, "n": null, "tiny": 4e-320,)"
      R"( "esc": "a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00", "l": [], "m": {}})");
  CHECK(d.as_string(d.find(0, "s")) == "x");
  CHECK(d.kind(d.find(0, "d")) == value_kind::date);
  CHECK(d.kind(d.find(0, "bad")) == value_kind::string);
  CHECK(d.as_int(d.find(0, "i")) == std::numeric_limits<std::int64_t>::min());
  CHECK(d.as_int(d.find(0, "max")) == std::numeric_limits<std::int64_t>::max());
  CHECK(d.kind(d.find(0, "big")) == value_kind::number);
  CHECK(d.as_double(d.find(0, "f")) == 150.0);
  CHECK(d.kind(d.find(0, "z")) == value_kind::number);
  CHECK(d.as_bool(d.find(0, "t")));
  CHECK(d.kind(d.find(0, "n")) == value_kind::null);
  CHECK(d.as_double(d.find(0, "tiny")) > 0.0);  // a subnormal double, not 0
  const auto zero = json(R"({"z": 0e-400})");   // zero written small is zero
  CHECK(zero.as_double(zero.find(0, "z")) == 0.0);
  CHECK(d.as_string(d.find(0, "esc")) == "a\"\\/\b\f\n\r\t\xC3\xA9\xF0\x9F\x98\x80");
  CHECK(d.size(d.find(0, "l")) == 0);
  CHECK(d.kind(d.find(0, "m")) == value_kind::map);
  CHECK(d.size(d.find(0, "m")) == 0);
  CHECK(json("  \"only\"  ").as_string(0) == "only");
  CHECK(json("[[[]]]").size(0) == 1);
}

TEST_CASE("JSON syntax errors point at the offending byte") {
  struct row {
    const char* text;
    std::uint32_t line, column;
    const char* message;
  };
  const row rows[] = {
      {"", 1, 1, "empty JSON text, expected a value"},
      {"{\"a\": 1,}", 1, 9, "unexpected '}' where a key (a string in double quotes) was expected"},
      {"[1, 2,]", 1, 7, "unexpected ']' where a value was expected"},
      {"[1 2]", 1, 4, "unexpected '2' in a list, expected ',' or ']'"},
      {"{\"a\" 1}", 1, 6, "unexpected '1' after a key, expected ':'"},
      {"[1]\n x", 2, 2, "unexpected 'x' after the JSON value"},
      {"[01]", 1, 2, "numbers cannot have leading zeros in JSON"},
      {"[1.]", 1, 4, "unexpected ']' after '.', expected a digit"},
      {"[-]", 1, 3, "unexpected ']' in a number, expected a digit"},
      {"[1e400]", 1, 2, "number '1e400' is too large for a double"},
      {"[-1e400]", 1, 2, "number '-1e400' is too large for a double"},
      {"[1e-400]", 1, 2, "number '1e-400' is too small for a double: it is not zero, but would read as 0"},
      {"[tru]", 1, 2, "unexpected 't' where a value was expected"},
      {"['a']", 1, 2, "unexpected ''' where a value was expected"},
      {"{\"a\":\n  [1, 2", 2, 8, "unexpected end of input, in a list, expected ',' or ']'"},
      {"[\"abc", 1, 2, "unterminated string"},
      {"[\"a\nb\"]", 1, 4, "unterminated string: a line break inside a string must be written \\n"},
      {"[\"a\\x\"]", 1, 4, "invalid escape in a string"},
      {"[\"\\u12G4\"]", 1, 3, "invalid \\u escape, expected four hexadecimal digits"},
      {"[\"\\udc00\"]", 1, 3, "invalid \\u escape: a low surrogate without a high surrogate before it"},
      {"[\"\\ud800x\"]", 1, 3,
       "invalid \\u escape: a high surrogate must be followed by a \\u escape of a low surrogate"},
      {"[\"\\ud800\\u0041\"]", 1, 3, "invalid \\u escape: a high surrogate must be followed by a low surrogate"},
      {"[\"\\u12", 1, 5, "truncated \\u escape"},
      {"{\"é\": 1, \"b\": é}", 1, 15, "unexpected 'é' where a value was expected"},
      {"[\x01]", 1, 2, "unexpected control character U+0001 where a value was expected"},
  };
  for (const auto& r : rows) {
    INFO("json: " << r.text);
    const auto e = load_error(r.text, data_format::json);
    CHECK(e.code == "data-parse");
    CHECK(e.message == r.message);
    CHECK(e.line == r.line);
    CHECK(e.column == r.column);
    CHECK(e.origin == "data.json");
  }
}

TEST_CASE("truncated inputs are errors, never crashes") {
  const std::string j = R"({"a": [1, 2.5, "x\u00e9", {"b": null}], "c": true})";
  for (std::size_t n = 0; n < j.size(); ++n) {
    INFO("prefix: " << j.substr(0, n));
    CHECK(load_error(j.substr(0, n), data_format::json).code == "data-parse");
  }
  const std::string y = "a:\n  - [1, {b: \"x\"}]\n  - 'q'\nc: {d: [e]}\n";
  for (std::size_t n = 0; n < y.size(); ++n) {
    INFO("prefix: " << y.substr(0, n));
    try {
      yaml(y.substr(0, n));  // many prefixes are valid YAML
    } catch (const joinup::error& e) {
      CHECK(e.diagnostics().front().code == "data-parse");
      CHECK(e.diagnostics().front().line >= 1);
    }
  }
  const auto e = load_error("a: [1, 2\n", data_format::yaml);
  CHECK(e.code == "data-parse");
  CHECK(e.message.rfind("invalid YAML: ", 0) == 0);
  CHECK(e.line >= 1);
}

TEST_CASE("positions of nested values in YAML block and flow style and in JSON") {
  // 'é' and '€' are multi-byte: columns count characters, offsets count bytes.
  const std::string y =
      "name: Zoë €\n"
      "partnership:\n"
      "  leavers:\n"
      "    - {who: \"Ana é\", left: 2024-01-02}\n"
      "    - who: Bo\n"
      "      tags: [é€, x]\n";
  const auto d = yaml(y);
  auto pos = [&](document::node_id n) { return std::make_pair(d.position(n).line, d.position(n).column); };
  CHECK(pos(d.root()) == std::make_pair(1u, 1u));
  CHECK(pos(at(d, {"name"})) == std::make_pair(1u, 7u));
  CHECK(pos(at(d, {"partnership", "leavers"})) == std::make_pair(4u, 5u));
  CHECK(pos(at(d, {"partnership", "leavers", "#0"})) == std::make_pair(4u, 7u));
  CHECK(pos(at(d, {"partnership", "leavers", "#0", "who"})) == std::make_pair(4u, 13u));
  CHECK(pos(at(d, {"partnership", "leavers", "#0", "left"})) == std::make_pair(4u, 28u));
  CHECK(pos(at(d, {"partnership", "leavers", "#1"})) == std::make_pair(5u, 7u));
  CHECK(pos(at(d, {"partnership", "leavers", "#1", "tags", "#0"})) == std::make_pair(6u, 14u));
  CHECK(pos(at(d, {"partnership", "leavers", "#1", "tags", "#1"})) == std::make_pair(6u, 18u));
  CHECK(d.offset(at(d, {"partnership", "leavers", "#1", "tags", "#1"})) == y.find("x]"));

  const std::string j =
      "{\"name\": \"Zoë €\",\n"
      " \"partnership\": {\"leavers\": [\n"
      "   {\"who\": \"Ana é\", \"left\": \"2024-01-02\"},\r\n"
      "   {\"who\": \"Bo\", \"tags\": [\"é€\", \"x\"]}]}}";
  const auto k = json(j);
  auto jpos = [&](document::node_id n) { return std::make_pair(k.position(n).line, k.position(n).column); };
  CHECK(jpos(k.root()) == std::make_pair(1u, 1u));
  CHECK(jpos(at(k, {"name"})) == std::make_pair(1u, 10u));
  CHECK(jpos(at(k, {"partnership"})) == std::make_pair(2u, 17u));
  CHECK(jpos(at(k, {"partnership", "leavers"})) == std::make_pair(2u, 29u));
  CHECK(jpos(at(k, {"partnership", "leavers", "#0", "left"})) == std::make_pair(3u, 29u));
  CHECK(jpos(at(k, {"partnership", "leavers", "#1"})) == std::make_pair(4u, 4u));
  CHECK(jpos(at(k, {"partnership", "leavers", "#1", "tags", "#1"})) == std::make_pair(4u, 33u));
}

TEST_CASE("empty YAML values are placed at their key or dash") {
  const auto d = yaml("a:\nb: 1\nlist:\n  -\n  - x\n");
  CHECK(d.kind(at(d, {"a"})) == value_kind::null);
  CHECK(d.position(at(d, {"a"})).line == 1);
  CHECK(d.position(at(d, {"list", "#0"})).line == 4);
  CHECK(d.position(at(d, {"list", "#0"})).column == 3);
}

TEST_CASE("YAML keys are the scalar as written") {
  const auto d = yaml("null: a\n~: b\n1: c\ntrue: d\n2026-01-02: e\n\"q\": f\n");
  for (auto [k, v] : {std::pair{"null", "a"}, {"~", "b"}, {"1", "c"}, {"true", "d"}, {"2026-01-02", "e"}, {"q", "f"}}) {
    INFO("key: " << k);
    CHECK(d.as_string(at(d, {k})) == v);
  }
}

TEST_CASE("YAML with CRLF line ends") {
  const auto d = yaml("a: 1\r\nb:\r\n  - x\r\n  - \"é\"\r\n");
  CHECK(d.position(at(d, {"b", "#1"})).line == 4);
  CHECK(d.position(at(d, {"b", "#1"})).column == 5);
  CHECK(d.as_string(at(d, {"b", "#1"})) == "é");
}

TEST_CASE("paths name values from the root") {
  const auto d = yaml(
      "partnership:\n"
      "  leavers: [a, b, c, {name: d}]\n"
      "  areas:\n"
      "    north-east: {x: 1}\n"
      "    \"say \\\"hi\\\"\": 2\n"
      "    _ok9: 3\n"
      "    9lives: 4\n"
      "list: [[1, [2]]]\n");
  CHECK(d.path(d.root()).empty());
  CHECK(d.path(at(d, {"partnership"})) == "partnership");
  CHECK(d.path(at(d, {"partnership", "leavers", "#3"})) == "partnership.leavers[3]");
  CHECK(d.path(at(d, {"partnership", "leavers", "#3", "name"})) == "partnership.leavers[3].name");
  CHECK(d.path(at(d, {"partnership", "areas", "north-east", "x"})) == "partnership.areas.north-east.x");
  CHECK(d.path(at(d, {"partnership", "areas", "say \"hi\""})) == "partnership.areas[\"say \\\"hi\\\"\"]");
  CHECK(d.path(at(d, {"partnership", "areas", "_ok9"})) == "partnership.areas._ok9");
  CHECK(d.path(at(d, {"partnership", "areas", "9lives"})) == "partnership.areas[\"9lives\"]");
  CHECK(d.path(at(d, {"list", "#0", "#1", "#0"})) == "list[0][1][0]");
  const auto l = json("[{\"a-b\": [1]}, 2]");
  CHECK(l.path(at(l, {"#0", "a-b", "#0"})) == "[0].a-b[0]");
  const auto sp = json("{\"North East\": {\"a.b\": 1}}");
  CHECK(sp.path(at(sp, {"North East", "a.b"})) == "[\"North East\"][\"a.b\"]");
  CHECK(l.path(at(l, {"#1"})) == "[1]");
  // Every node's path leads back to it.
  for (document::node_id n = 0; n < d.node_count(); ++n) CHECK(!d.path(n).empty() == (n != 0));
}

TEST_CASE("duplicate keys name both lines") {
  auto e = load_error("a: 1\nb:\n  x: 1\n  y: 2\n  x: 3\n", data_format::yaml);
  CHECK(e.code == "duplicate-key");
  CHECK(e.message == "duplicate key 'x' (first at line 3)");
  CHECK((e.line == 5 && e.column == 3));
  CHECK(e.source_line == "  x: 3");

  e = load_error("{\"a\": 1,\n \"b\": {\"x\": 1,\n  \"x\": 2}}", data_format::json);
  CHECK(e.code == "duplicate-key");
  CHECK(e.message == "duplicate key 'x' (first at line 2)");
  CHECK((e.line == 3 && e.column == 3));

  // The same key in different maps is fine; "1" and 1 are the same key text.
  CHECK_NOTHROW(yaml("a: {x: 1}\nb: {x: 2}\n"));
  CHECK(load_error("{1: a, \"1\": b}", data_format::yaml).code == "duplicate-key");

  // In a large map the duplicate is found through the hash index.
  std::string big = "{";
  for (int i = 0; i < 1000; ++i) big += "\"k" + std::to_string(i) + "\": " + std::to_string(i) + ",\n";
  big += "\"k500\": 0}";
  e = load_error(big, data_format::json);
  CHECK(e.message == "duplicate key 'k500' (first at line 501)");
  CHECK(e.line == 1001);
}

// A builder hands its scratch (key guesses, the stamps that find duplicates, the open maps) to
// the next builder on the same thread: what one document left there must not mislead the next,
// whether it finished, failed half-way, or was large.
TEST_CASE("documents loaded one after another on a thread: duplicates and keys of each alone") {
  // Keys in one order, then the same keys in another: the key guesses of the first are not the
  // second's, and a key in an earlier document's map is not a duplicate in this one's.
  const auto first = json("{\"a\": {\"x\": 1, \"y\": 2}, \"b\": [{\"x\": 1, \"y\": 2}]}");
  CHECK(first.node_count() == 8);
  const auto second = json("{\"y\": {\"b\": 1, \"x\": 2, \"a\": 3}, \"x\": 4}");
  CHECK(second.node_count() == 6);
  CHECK(second.path(at(second, {"y", "a"})) == "y.a");
  CHECK(second.as_int(at(second, {"x"})) == 4);
  // A document that fails half-way, inside nested maps, then one with a real duplicate and one
  // without: each is judged alone.
  CHECK(load_error("{\"p\": {\"q\": {\"r\": 1, \"r\": 2", data_format::json).code == "duplicate-key");
  const auto e = load_error("{\"r\": 1,\n \"q\": {\"r\": 2, \"s\": 3,\n \"s\": 4}}", data_format::json);
  CHECK(e.message == "duplicate key 's' (first at line 2)");
  CHECK_NOTHROW(json("{\"q\": 1, \"p\": {\"q\": 2, \"r\": {\"q\": 3}}, \"r\": 4}"));
  // A large map (its scratch is too large to keep), then a small document again.
  std::string big = "{";
  for (int i = 0; i < 20000; ++i) big += "\"k" + std::to_string(i) + "\": " + std::to_string(i) + ",";
  big += "\"end\": 0}";
  CHECK(json(big).node_count() == 20002);
  CHECK(load_error("{\"k1\": 1, \"k1\": 2}", data_format::json).message == "duplicate key 'k1' (first at line 1)");
  CHECK(json("{\"k2\": {\"k1\": 1}, \"k1\": 2}").node_count() == 4);
}

TEST_CASE("duplicate keys next to nested maps that have the same keys") {
  // The builder remembers the last map each key was put in; a nested map putting the key in
  // since must not hide a duplicate in the map around it, nor make a distinct key look repeated.
  auto e = load_error("{\"b\": 1,\n \"c\": {\"b\": 2},\n \"b\": 3}", data_format::json);
  CHECK(e.message == "duplicate key 'b' (first at line 1)");
  CHECK((e.line == 3 && e.column == 2));
  e = load_error("{\"a\": {\"b\": 1}, \"b\": 2,\n \"b\": 3}", data_format::json);
  CHECK(e.message == "duplicate key 'b' (first at line 1)");
  CHECK(e.line == 2);
  e = load_error("{\"a\": [{\"a\": 1}, {\"a\": {\"a\": 2}}],\n \"a\": 3}", data_format::json);
  CHECK(e.message == "duplicate key 'a' (first at line 1)");
  const auto d =
      json("{\"a\": {\"b\": {\"a\": 1, \"b\": 2}, \"a\": 3}, \"b\": [{\"a\": 4, \"b\": 5}, {\"b\": 6, \"a\": 7}]}");
  CHECK(d.as_int(at(d, {"a", "b", "b"})) == 2);
  CHECK(d.as_int(at(d, {"a", "a"})) == 3);
  CHECK(d.as_int(at(d, {"b", "#1", "a"})) == 7);
  // The twelfth and thirteenth keys: a duplicate as the map becomes large, and once it is.
  std::string twelve = "{";
  for (int i = 0; i < 12; ++i) twelve += "\"k" + std::to_string(i) + "\": {\"k" + std::to_string(i) + "\": 0}, ";
  e = load_error(twelve + "\"k3\": 1}", data_format::json);
  CHECK(e.message == "duplicate key 'k3' (first at line 1)");
  e = load_error(twelve + "\"k12\": 1, \"k11\": 1}", data_format::json);
  CHECK(e.message == "duplicate key 'k11' (first at line 1)");
  const auto big = json(twelve + "\"k12\": 1, \"k13\": {\"k0\": 2}}");
  CHECK(big.size(big.root()) == 14);
  CHECK(big.as_int(at(big, {"k13", "k0"})) == 2);
  // The same through the public builder.
  joinup::document_builder b;
  b.begin_map();
  CHECK(!b.key("x"));
  b.begin_map();
  CHECK(!b.key("x"));
  b.integer(1);
  b.end();
  CHECK(b.key("x", 7) == std::optional<std::uint32_t>(0));
}

TEST_CASE("JSON positions: the line index filled while reading agrees with one built from the text") {
  // The JSON loader records line breaks as it skips whitespace and multi-byte characters as it
  // validates UTF-8; every value's line and column must be those of an index of the whole text.
  const std::string texts[] = {
      "{\"a\": 1,\n \"b\": [true,\r\n  false, null],\n\n\t\"\xC3\xA9t\xC3\xA9\": \"\xE2\x82\xAC \xF0\x9F\x98\x80\",\n"
      "  \"c\"\n  :\n  {\"d\": \"x\\ny\", \"\xE6\x97\xA5\": [1.5, -2, \"2026-11-22\"]}\n}\n",
      "\n\n  [\"\xC3\xA9\", \n\"\xC3\xA9\xC3\xA9\"\n,\n3]  \n",
      "\"only\"",
      "{}",
      // Indentation runs longer than sixteen bytes, and tabs and spaces mixed after a line break.
      "{\n                                \"a\": [\n                                    1,\n\t \t  2],\n"
      "                 \"b\"   :   \n\n                     \"x\"\n}",
  };
  for (const auto& t : texts) {
    const auto d = json(t);
    const joinup::line_index reference(t);
    CHECK(d.node_count() > 0);
    for (document::node_id n = 0; n < d.node_count(); ++n) {
      const auto got = d.position(n), want = reference.position(d.offset(n));
      CHECK(got.line == want.line);
      CHECK(got.column == want.column);
    }
  }
  const auto d = json("{\"\xC3\xA9\": \"\xE2\x82\xAC\",\n  \"k\": [1,\n    2]}");
  CHECK((d.position(at(d, {"k", "#1"})).line == 3 && d.position(at(d, {"k", "#1"})).column == 5));
  CHECK(d.position(at(d, {"k"})).column == 8);
  CHECK(d.position(d.value_at(d.root(), 0)).column == 7);
}

TEST_CASE("JSON numbers of every length, and literals, read the same wherever they stop") {
  // Whole numbers of up to 18 digits are read inline, anything longer or with a fraction or an
  // exponent by the general path; both must agree on the kind, the value and the position.
  for (std::size_t digits = 1; digits <= 22; ++digits) {
    std::string m;
    for (std::size_t i = 0; i < digits; ++i) m += static_cast<char>('1' + (i * 7) % 9);
    for (const std::string sign : {"", "-"}) {
      const std::string num = sign + m;
      const long double want = std::strtold(num.c_str(), nullptr);
      const bool whole = digits <= 18 || (digits == 19 && m <= "9223372036854775807");
      for (const char* after_text : {"", "]", ",0]", " ]", "\n]"}) {
        const std::string after = after_text;
        const bool in_list = !after.empty();
        const std::string text = (in_list ? "[" : "") + num + after;
        INFO("json: " << text);
        const auto d = json(text);
        const auto n = in_list ? d.at(d.root(), 0) : d.root();
        CHECK(d.offset(n) == (in_list ? 1u : 0u));
        if (whole) {
          REQUIRE(d.kind(n) == value_kind::integer);
          CHECK(d.as_int(n) == std::stoll(num));
        } else {
          REQUIRE(d.kind(n) == value_kind::number);
          CHECK(d.as_double(n) == static_cast<double>(want));
        }
      }
      for (const std::string tail : {".5", "e2", "E+1", ".0e-1"}) {  // NOLINT: from const char*
        const auto d = json("[" + num + tail + "]");
        CHECK(d.kind(d.at(d.root(), 0)) == value_kind::number);
        CHECK(d.as_double(d.at(d.root(), 0)) == std::strtod((num + tail).c_str(), nullptr));
      }
      const auto bad = load_error("[" + num + "x]", data_format::json);
      CHECK(bad.message == "unexpected 'x' in a list, expected ',' or ']'");
      CHECK(bad.column == num.size() + 2);
    }
  }
  const auto z = json("[0, -0, 0.5, 10]");
  CHECK(z.kind(z.at(z.root(), 0)) == value_kind::integer);
  CHECK(z.as_int(z.at(z.root(), 1)) == 0);
  CHECK(z.kind(z.at(z.root(), 2)) == value_kind::number);
  CHECK(z.as_int(z.at(z.root(), 3)) == 10);
  CHECK(load_error("[-01]", data_format::json).message == "numbers cannot have leading zeros in JSON");
  // Literals, whole and cut short at the end of the text or before another byte.
  const auto l = json("[true,false,null,true]");
  CHECK(l.as_bool(l.at(l.root(), 0)));
  CHECK(!l.as_bool(l.at(l.root(), 1)));
  CHECK(l.kind(l.at(l.root(), 2)) == value_kind::null);
  CHECK(l.offset(l.at(l.root(), 3)) == 17);
  CHECK(json("false").as_bool(0) == false);
  CHECK(json("null").kind(0) == value_kind::null);
  for (const std::string word : {"true", "false", "null"}) {
    for (std::size_t cut = 1; cut < word.size(); ++cut) {
      for (const std::string& text : {word.substr(0, cut), "[" + word.substr(0, cut), "[" + word.substr(0, cut) + "]",
                                      "[" + word.substr(0, cut) + "x" + word.substr(cut + 1) + "]"}) {
        INFO("json: " << text);
        const auto e = load_error(text, data_format::json);
        CHECK(e.message == std::string("unexpected '") + word[0] + "' where a value was expected");
        CHECK(e.column == (text[0] == '[' ? 2u : 1u));
      }
    }
  }
}

TEST_CASE("JSON keys read by comparing the text with the expected key are the keys written") {
  // A key is first compared with the key that followed the previous one last time; a prefix, a
  // longer key, an escaped spelling of the same text or a key with an escaped quote must all be
  // read as written, and duplicates found either way.
  const auto d = json(R"([{"ab": 1, "c": 2}, {"ab": 3, "c": 4}, {"a": 5}, {"abc": 6}, {"a\u0062": 7, "c": 8},)"
                      R"( {"a\"b": 9}, {"a\"b": 10, "ab": 11}, {"ab" : 12, "c":13}, {"": 14}, {"": 15, "ab": 16}])");
  const auto key = [&](std::uint32_t item, std::uint32_t i) {
    return std::string(d.key_text(d.key_at(d.at(d.root(), item), i)));
  };
  CHECK(key(0, 0) == "ab");
  CHECK(key(1, 0) == "ab");
  CHECK(key(1, 1) == "c");
  CHECK(key(2, 0) == "a");
  CHECK(key(3, 0) == "abc");
  CHECK(key(4, 0) == "ab");
  CHECK(key(5, 0) == "a\"b");
  CHECK(key(6, 0) == "a\"b");
  CHECK(key(6, 1) == "ab");
  CHECK(key(7, 1) == "c");
  CHECK(key(8, 0).empty());
  CHECK(key(9, 1) == "ab");
  CHECK(d.key_at(d.at(d.root(), 0), 0) == d.key_at(d.at(d.root(), 4), 0));
  CHECK(d.as_int(d.value_at(d.at(d.root(), 7), 1)) == 13);
  CHECK(
      d.offset(d.value_at(d.at(d.root(), 7), 1)) ==
      std::string(
          R"([{"ab": 1, "c": 2}, {"ab": 3, "c": 4}, {"a": 5}, {"abc": 6}, {"a\u0062": 7, "c": 8}, {"a\"b": 9}, {"a\"b": 10, "ab": 11}, {"ab" : 12, "c":)")
          .size());
  for (const char* text :
       {R"([{"ab": 1, "c": 2}, {"ab": 3, "ab": 4}])", R"([{"ab": 1, "c": 2}, {"ab": 3, "a\u0062": 4}])",
        R"([{"a\u0062": 1, "c": 2}, {"a\u0062": 3, "ab": 4}])"}) {
    INFO("json: " << text);
    const auto e = load_error(text, data_format::json);
    CHECK(e.code == "duplicate-key");
    CHECK(e.message == "duplicate key 'ab' (first at line 1)");
    CHECK(e.column == std::string(text).rfind(", \"a") + 3);
  }
  // The expected key cut short by the end of the text.
  CHECK(load_error(R"([{"ab": 1}, {"ab)", data_format::json).message == "unterminated string");
  CHECK(load_error(R"([{"ab": 1}, {"ab")", data_format::json).message ==
        "unexpected end of input, after a key, expected ':'");
}

TEST_CASE("JSON documents are the same whatever the counted bounds reserve") {
  // The loader reserves from counts of ',', '{', '[' and ':' in the text; those inside strings,
  // and empty containers, only raise the counts, and a list of strings full of ':' makes the
  // reserved list items too few. The document must not depend on any of it.
  std::string many = "[";
  for (int i = 0; i < 500; ++i) many += std::string(i ? ", " : "") + "\"a:b:c,{[" + std::to_string(i) + "\"";
  many += ", {}, [], {\"k\": []}]";
  const auto d = json(many);
  REQUIRE(d.size(d.root()) == 503);
  CHECK(d.as_string(d.at(d.root(), 0)) == "a:b:c,{[0");
  CHECK(d.as_string(d.at(d.root(), 499)) == "a:b:c,{[499");
  CHECK(d.kind(d.at(d.root(), 500)) == value_kind::map);
  CHECK(d.size(d.at(d.root(), 501)) == 0);
  CHECK(d.kind(at(d, {"#502", "k"})) == value_kind::list);
  CHECK(d.node_count() == 505);
  CHECK(d.path(at(d, {"#502", "k"})) == "[502].k");
  // Nothing but values: a value every two bytes.
  std::string dense = "[";
  for (int i = 0; i < 1000; ++i) dense += i ? ",1" : "1";
  const auto n = json(dense + "]");
  CHECK(n.size(n.root()) == 1000);
  CHECK(n.as_int(n.at(n.root(), 999)) == 1);
}

TEST_CASE("JSON strings keep their bytes wherever they end in the text") {
  // Short strings are copied sixteen bytes at a time when the text goes on that far; near its end
  // and for strings with escapes they are copied exactly.
  for (std::size_t len = 0; len <= 40; ++len) {
    std::string v;
    for (std::size_t i = 0; i < len; ++i) v += static_cast<char>('a' + i % 26);
    const auto root = json("\"" + v + "\"");
    CHECK(root.as_string(root.root()) == v);
    const auto list = json("[\"" + v + "\", \"" + v + "\\n\", \"x\"]");
    CHECK(list.as_string(list.at(list.root(), 0)) == v);
    CHECK(list.as_string(list.at(list.root(), 1)) == v + "\n");
    CHECK(list.as_string(list.at(list.root(), 2)) == "x");
    for (std::size_t pad = 0; pad < 20; ++pad) {
      const auto m = json("{\"" + v + "\": \"" + v + "\"" + std::string(pad, ' ') + "}");
      CHECK(m.as_string(m.value_at(m.root(), 0)) == v);
      CHECK(m.key_text(m.key_at(m.root(), 0)) == v);
    }
  }
}

TEST_CASE("nesting deeper than the limit is a clean error, never a stack overflow") {
  const std::string deep_json = repeat("[", 100000);
  auto e = load_error(deep_json, data_format::json);
  CHECK(e.code == "too-deep");
  CHECK(e.column == 257);
  CHECK(load_error(repeat("{\"a\":", 100000), data_format::json).code == "too-deep");
  CHECK(load_error(deep_json, data_format::yaml).code == "too-deep");
  CHECK(load_error(repeat("[", 100000) + repeat("]", 100000), data_format::yaml).code == "too-deep");
  CHECK(load_error(repeat("{a: ", 100000), data_format::yaml).code == "too-deep");
  CHECK(load_error(repeat("- ", 50000) + "x\n", data_format::yaml).code == "too-deep");
  std::string block;
  for (int i = 0; i < 3000; ++i) block += std::string(static_cast<std::size_t>(i), ' ') + "a:\n";
  CHECK(load_error(block, data_format::yaml).code == "too-deep");

  // Exactly at the limit is fine, one more is not.
  joinup::load_options o;
  o.max_depth = 10;
  CHECK_NOTHROW(joinup::load_document(repeat("[", 10) + repeat("]", 10), "x.json", data_format::json, o));
  CHECK(load_error(repeat("[", 11) + repeat("]", 11), data_format::json, o).code == "too-deep");
  CHECK_NOTHROW(joinup::load_document(repeat("[", 10) + repeat("]", 10), "x.yaml", data_format::yaml, o));
  CHECK(load_error(repeat("[", 11) + repeat("]", 11), data_format::yaml, o).code == "too-deep");
  // Beyond yaml-cpp's own recursion guard: still an error, not a crash.
  o.max_depth = 1000000;
  CHECK(load_error(repeat("[", 100000) + repeat("]", 100000), data_format::yaml, o).code == "too-deep");
  CHECK(load_error(repeat("[", 100000), data_format::json, o).code == "data-parse");  // no stack to overflow
}

TEST_CASE("aliases copy the anchored value") {
  const auto d = yaml(
      "base: &b {x: 1, tags: [a, b], when: 2026-01-02}\n"
      "copy: *b\n"
      "name: &n hello\n"
      "again: *n\n"
      "*n : keyed\n"
      "&k key: v\n"
      "other: *k\n"
      "list: [&one 1, *one, *b]\n");
  CHECK(same(d, at(d, {"base"}), d, at(d, {"copy"})));
  CHECK(d.position(at(d, {"copy"})).line == 2);       // the copy is placed at the alias...
  CHECK(d.position(at(d, {"copy", "x"})).line == 1);  // ...its contents where they were written
  CHECK(d.as_string(at(d, {"again"})) == "hello");
  CHECK(d.as_string(at(d, {"hello"})) == "keyed");
  CHECK(d.as_string(at(d, {"key"})) == "v");
  CHECK(d.as_string(at(d, {"other"})) == "key");
  CHECK(load_error("&k key: v\n*k : w\n", data_format::yaml).message == "duplicate key 'key' (first at line 1)");
  CHECK(d.as_int(at(d, {"list", "#1"})) == 1);
  CHECK(d.kind(at(d, {"list", "#2", "when"})) == value_kind::date);
  CHECK(d.path(at(d, {"list", "#2", "tags", "#1"})) == "list[2].tags[1]");

  // Anchors inside anchors, aliases inside anchored values.
  const auto n = yaml("a: &a [1, &i {k: v}]\nb: &b [*a, *i]\nc: *b\n");
  CHECK(same(n, at(n, {"b"}), n, at(n, {"c"})));
  CHECK(n.as_string(at(n, {"c", "#0", "#1", "k"})) == "v");
  CHECK(n.as_string(at(n, {"c", "#1", "k"})) == "v");

  CHECK(load_error("a: *nope\n", data_format::yaml).code == "data-parse");
  const auto e = load_error("a: &x {b: [1, *x]}\n", data_format::yaml);
  CHECK(e.code == "data-parse");
  CHECK(e.message == "alias '*x' refers to a value that contains it");
  CHECK((e.line == 1 && e.column == 15));
  CHECK(load_error("a: &x [1]\n*x : 2\n", data_format::yaml).message ==
        "map keys must be scalars, and this alias is a list or map");
}

TEST_CASE("an alias bomb is a quick too-large error") {
  std::string bomb = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 9; ++i) bomb += std::string(i ? ", *" : "*") + static_cast<char>(c - 1);
    bomb += "]\n";
  }
  const auto start = std::chrono::steady_clock::now();
  const auto e = load_error(bomb, data_format::yaml);
  const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  CHECK(e.code == "too-large");
  CHECK(ms < 5000);  // generous for Debug builds and sanitizers; it takes milliseconds in Release

  // Long strings copied many times hit the text budget.
  std::string text_bomb = "a: &a \"" + std::string(1 << 20, 'x') + "\"\nb: [";
  for (int i = 0; i < 40; ++i) text_bomb += "*a, ";
  text_bomb += "*a]\n";
  CHECK(load_error(text_bomb, data_format::yaml).code == "too-large");
}

TEST_CASE("YAML structure errors") {
  auto e = load_error("a: 1\n---\nb: 2\n", data_format::yaml);
  CHECK(e.code == "multiple-documents");
  CHECK(e.line == 2);
  e = load_error("? [a, b]\n: 1\n", data_format::yaml);
  CHECK(e.code == "data-parse");
  CHECK(e.message == "map keys must be scalars, not lists or maps");
  CHECK(e.line == 1);
  e = load_error("a: 1\n b: 2\n  - c\n", data_format::yaml);
  CHECK(e.code == "data-parse");
  CHECK(e.line >= 1);
  CHECK(e.origin == "data.yaml");
  CHECK_NOTHROW(yaml("---\na: 1\n...\n"));
  CHECK(yaml("---\na: 1\n").size(0) == 1);
}

TEST_CASE("empty YAML text is a null document, empty JSON text an error") {
  for (const char* text : {"", "# only a comment\n", "\n\n", "---\n"}) {
    const auto d = yaml(text);
    CHECK(d.node_count() == 1);
    CHECK(d.kind(d.root()) == value_kind::null);
  }
  CHECK(load_error("  \n", data_format::json).code == "data-parse");
}

TEST_CASE("a byte order mark is skipped, and positions start after it") {
  const auto d = yaml(
      "\xEF\xBB\xBF"
      "a: 1\nb: x\n");
  CHECK(d.position(at(d, {"b"})).line == 2);
  CHECK(d.position(at(d, {"b"})).column == 4);
  CHECK(d.position(d.root()).column == 1);
  const auto j = json("\xEF\xBB\xBF{\"a\": 1}");
  CHECK(j.position(at(j, {"a"})).column == 7);
  CHECK(load_error("\xEF\xBB\xBF[1,]", data_format::json).column == 4);
}

TEST_CASE("invalid UTF-8 is reported where it is") {
  for (const char* bad : {"\xC3\x28", "\xE2\x82", "\xED\xA0\x80", "\xC0\xAF", "\xF5\x80\x80\x80", "\xFF", "\x80"}) {
    INFO("bytes: " << bad);
    for (auto f : {data_format::yaml, data_format::json}) {
      const std::string text = std::string("{\"a\": \"é ") + bad + " x\"}\n";
      const auto e = load_error(std::string("\n") + text, f);
      CHECK(e.code == "invalid-utf8");
      CHECK(e.line == 2);
      CHECK(e.column == 10);
      // The shown line stays valid UTF-8.
      CHECK(e.source_line.find('?') == 10);  // after 'é', two bytes
    }
  }
}

TEST_CASE("invalid UTF-8 is found at every place of a long JSON text") {
  // An all-ASCII JSON text over 4 KiB skips UTF-8 validation (the pass that counts its structure
  // sees no byte above 0x7F); a single such byte anywhere, in a 32-byte block or the tail, must
  // not. A smaller text is validated whole.
  for (const std::size_t indent : {std::size_t{0}, std::size_t{4200}}) {
    for (std::size_t at = 0; at < 100; ++at) {
      std::string text = "[" + std::string(indent, ' ') + "\"" + std::string(100, 'x') + "\"]";
      text[indent + 2 + at] = '\xFF';
      const auto e = load_error(text, data_format::json);
      CHECK(e.code == "invalid-utf8");
      CHECK(e.column == indent + 3 + at);
    }
  }
}

TEST_CASE("JSON texts either side of the size whose structure is counted first") {
  // A text over 4 KiB is counted first (its values and map entries, to reserve room, and whether
  // it is all ASCII, which then skips UTF-8 validation); a smaller one is only validated. Both
  // must find a bad byte where it is, give multi-byte characters their columns, and take more
  // values than a value per eight bytes (what a small text reserves).
  for (const std::size_t size : {std::size_t{4095}, std::size_t{4096}, std::size_t{4097}, std::size_t{9000}}) {
    INFO("size " << size);
    // ["xxx...", 1, 2, ...]: a string, then as many one-digit numbers as fit, to `size` bytes.
    std::string text = "[\"" + std::string(64, 'x') + "\"";
    std::uint32_t items = 1;
    for (; text.size() + 4 <= size; ++items) text += ",\n" + std::to_string(items % 10);
    text += std::string(size - 1 - text.size(), ' ') + "]";
    REQUIRE(text.size() == size);
    for (const std::size_t at : {std::size_t{2}, std::size_t{40}, std::size_t{65}}) {
      std::string bad = text;
      bad[at] = '\xFF';
      const auto e = load_error(bad, data_format::json);
      CHECK(e.code == "invalid-utf8");
      CHECK(e.column == at + 1);
    }
    std::string wide = text;
    wide.replace(2, 2, "\xC3\xA9");  // "é" for "xx": the same size
    const auto d = json(wide);
    CHECK(d.size(d.root()) == items);
    CHECK(d.as_int(d.at(d.root(), items - 1)) == (items - 1) % 10);
    CHECK(d.as_string(d.at(d.root(), 0)).substr(0, 3) == "\xC3\xA9x");
    const joinup::line_index reference(wide);
    for (document::node_id n = 0; n < d.node_count(); ++n) {
      const auto got = d.position(n), want = reference.position(d.offset(n));
      CHECK((got.line == want.line && got.column == want.column));
    }
    const auto last = d.at(d.root(), d.size(d.root()) - 1);
    CHECK(d.position(last).column == 1);
    CHECK(d.position(last).line == items);
  }
}

TEST_CASE("size limit") {
  joinup::load_options o;
  o.max_bytes = 10;
  CHECK(load_error("[1, 2, 3, 4, 5]", data_format::json, o).code == "too-large");
  CHECK_NOTHROW(joinup::load_document("[1, 2, 3]", "x.json", data_format::json, o));
}

TEST_CASE("the format follows the file extension when automatic") {
  // JSON is stricter than YAML: a trailing comma passes as YAML but not as JSON.
  CHECK_NOTHROW(joinup::load_document("[1, 2,]", "x.yaml"));
  CHECK_THROWS_AS(joinup::load_document("[1, 2,]", "x.json"), joinup::error);
  CHECK_THROWS_AS(joinup::load_document("[1, 2,]", "X.JSON"), joinup::error);
  CHECK(joinup::load_document("v: yes", "x.yml").kind(1) == value_kind::string);
}

TEST_CASE("files") {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("joinup-data-test-" + std::to_string(::getpid()) + ".json")).string();
  {
    std::ofstream out(path, std::ios::binary);
    out << "{\"a\": [1,\n  2]}";
  }
  const auto d = joinup::load_document_file(path);
  CHECK(d.origin() == path);
  CHECK(d.position(at(d, {"a", "#1"})).line == 2);
  std::remove(path.c_str());
  try {
    joinup::load_document_file("/nonexistent/dir/data.yaml");
    FAIL("no error");
  } catch (const joinup::error& e) {
    CHECK(e.diagnostics().front().code == "file-not-found");
    CHECK(e.diagnostics().front().message == "file '/nonexistent/dir/data.yaml' not found");
  }
  CHECK_THROWS_AS(joinup::load_document_file("-"), joinup::error);  // not stdin: the CLI does that
}

TEST_CASE("the same data in YAML and JSON gives equal documents") {
  const auto y = yaml(
      "partnership:\n"
      "  name: North €\n"
      "  founded: 2020-01-31\n"
      "  size: 12\n"
      "  budget: 1.5e3\n"
      "  active: true\n"
      "  notes: null\n"
      "  leavers:\n"
      "    - {name: Ana, left: '2024-01-02'}\n"
      "    - name: \"Bo\"\n"
      "      left: ~\n"
      "  areas: {north-east: [1, -2, 3.25], empty: {}, none: []}\n");
  const auto j = json(
      R"({"partnership": {"name": "North \u20ac", "founded": "2020-01-31", "size": 12, "budget": 1500.0,
          "active": true, "notes": null,
          "leavers": [{"name": "Ana", "left": "2024-01-02"}, {"name": "Bo", "left": null}],
          "areas": {"north-east": [1, -2, 3.25], "empty": {}, "none": []}}})");
  CHECK(same(y, y.root(), j, j.root()));
  CHECK(y.node_count() == j.node_count());
  for (document::node_id n = 0; n < y.node_count(); ++n) CHECK(y.path(n) == j.path(n));
}

TEST_CASE("large maps are found through their index") {
  std::string text = "{";
  for (int i = 0; i < 5000; ++i)
    text += std::string(i ? ", " : "") + "\"k" + std::to_string(i) + "\": {\"v\": " + std::to_string(i) + "}";
  text += "}";
  const auto d = json(text);
  CHECK(d.size(0) == 5000);
  for (int i = 0; i < 5000; i += 7) {
    const auto n = d.find(0, "k" + std::to_string(i));
    REQUIRE(n != document::npos);
    CHECK(d.as_int(d.find(n, "v")) == i);
  }
  CHECK(d.find(0, "k5000") == document::npos);
  CHECK(d.find(0, "v") == document::npos);  // a key of other maps, not of this one
  // A large map nested in a list after other maps: indexes are rebased correctly.
  std::string y = "- {a: 1}\n- {b: 2}\n- ";
  y += "{";
  for (int i = 0; i < 13; ++i)
    y += std::string(i ? ", " : "") + "k" + std::to_string(i) + ": {x: " + std::to_string(i) + "}";
  y += "}\n";
  const auto l = yaml(y);
  for (int i = 0; i < 13; ++i) CHECK(l.as_int(l.find(l.find(l.at(0, 2), "k" + std::to_string(i)), "x")) == i);
  CHECK(l.find(l.at(0, 2), "a") == document::npos);
  CHECK(l.find_key("nope") == std::nullopt);
}

TEST_CASE("the builder builds documents in memory and refuses misuse") {
  joinup::document_builder b("mem");
  b.begin_map(0);
  CHECK(!b.key("a"));
  b.integer(1);
  CHECK(!b.key("b"));
  b.begin_list();
  b.string("x");
  b.date_value(*joinup::date::parse("2026-03-31"));
  b.end();
  CHECK(b.key("a", 7) == 0u);  // a duplicate: nothing added, the first key's offset returned
  CHECK(!b.key("c"));
  b.null_value();
  b.end();
  const auto d = b.finish();
  CHECK(d.origin() == "mem");
  CHECK(d.size(0) == 3);
  CHECK(d.as_string(at(d, {"b", "#0"})) == "x");
  CHECK(d.path(at(d, {"b", "#1"})) == "b[1]");
  CHECK(d.position(0).line == 0);  // no source: positions are unknown
  const auto copy = d;             // shares the data
  CHECK(copy.as_int(copy.find(0, "a")) == 1);

  auto misuse = [](auto&& f) {
    joinup::document_builder m;
    try {
      f(m);
    } catch (const joinup::error& e) {
      CHECK(e.diagnostics().front().code == "builder-misuse");
      return std::string(e.diagnostics().front().message);
    }
    FAIL("no error");
    return std::string();
  };
  CHECK(misuse([](auto& m) { m.end(); }) == "end() without an open list or map");
  CHECK(misuse([](auto& m) {
          m.begin_map();
          m.integer(1);
        }) == "a value was added to a map without a key before it");
  CHECK(misuse([](auto& m) { m.key("a"); }) == "key 'a' outside a map");
  CHECK(misuse([](auto& m) {
          m.begin_list();
          m.key("a");
        }) == "key 'a' outside a map");
  CHECK(misuse([](auto& m) {
          m.begin_map();
          m.key("a");
          m.key("b");
        }) == "key 'b' follows key 'a', which has no value");
  CHECK(misuse([](auto& m) {
          m.begin_map();
          m.key("a");
          m.end();
        }) == "a map ended after key 'a' without its value");
  CHECK(misuse([](auto& m) {
          m.begin_list();
          m.finish();
        }) == "finish() with 1 list(s) or map(s) still open");
  CHECK(misuse([](auto& m) { m.finish(); }) == "finish() before any value was added");
  CHECK(misuse([](auto& m) {
          m.integer(1);
          m.integer(2);
        }) == "a document has one root value; a second one was added");
  CHECK(misuse([](auto& m) {
          m.integer(1);
          m.finish();
          m.integer(2);
        }) == "document builder used after finish()");
}

TEST_CASE("a big builder map finds duplicates without quadratic work") {
  joinup::document_builder b;
  b.begin_map();
  for (int i = 0; i < 100000; ++i) {
    REQUIRE(!b.key("key" + std::to_string(i), static_cast<std::uint32_t>(i)));
    b.integer(i);
  }
  CHECK(b.key("key99999") == 99999u);
  CHECK(b.key("key0") == 0u);
  b.end();
  const auto d = b.finish();
  CHECK(d.as_int(d.find(0, "key12345")) == 12345);
}

TEST_CASE("keys guessed after a list or map ends inside a map") {
  // The guess of a map's next key follows the key of its last entry, which is the entry of the
  // list or map that just ended (not that container's own last key).
  const auto d = json(
      "[{\"a\": {\"x\": 1, \"b\": 0}, \"b\": [{\"y\": 2}], \"c\": 3},\n"
      " {\"a\": {\"x\": 1, \"b\": 0}, \"b\": [{\"y\": 2}], \"c\": 3},\n"
      " {\"a\": [], \"c\": {}, \"b\": 4}]");
  REQUIRE(d.size(d.root()) == 3);
  for (std::uint32_t i = 0; i < 2; ++i) {
    const auto m = d.at(d.root(), i);
    REQUIRE(d.size(m) == 3);
    CHECK(d.key_text(d.key_at(m, 1)) == "b");
    CHECK(d.as_int(d.find(d.find(m, "a"), "b")) == 0);
    CHECK(d.as_int(d.find(d.at(d.find(m, "b"), 0), "y")) == 2);
    CHECK(d.as_int(d.find(m, "c")) == 3);
    CHECK(d.position(d.find(m, "c")).line == i + 1);
  }
  const auto last = d.at(d.root(), 2);
  CHECK(d.key_text(d.key_at(last, 1)) == "c");
  CHECK(d.as_int(d.find(last, "b")) == 4);
  // A duplicate that is the key of an entry holding a map, and one equal to that map's own key.
  auto e = load_error("{\"a\": {\"b\": 1}, \"b\": 2, \"a\": 3}", data_format::json);
  CHECK(e.message == "duplicate key 'a' (first at line 1)");
  CHECK(e.column == 25);
  CHECK_NOTHROW(json("{\"a\": {\"a\": {\"a\": 1}}, \"b\": {\"b\": [{\"b\": 2}]}}"));
}

TEST_CASE("keys repeated in one order, in changing orders and as duplicates of a guess") {
  // Maps in a list usually repeat their keys in one order, which the builder guesses; the guess
  // must never stand in for another key, and a duplicate must be found when it is the guess.
  std::string text = "[";
  const char* orders[][3] = {{"a", "b", "c"}, {"a", "b", "c"}, {"c", "a", "b"}, {"a", "bb", "b"}, {"b", "a", "c"}};
  for (int i = 0; i < 5; ++i) {
    if (i) text += ",\n";
    text += "{";
    for (int k = 0; k < 3; ++k)
      text += std::string(k ? ", " : "") + "\"" + orders[i][k] + "\": " + std::to_string(i * 10 + k);
    text += "}";
  }
  text += "]";
  const auto d = json(text);
  REQUIRE(d.size(d.root()) == 5);
  for (std::uint32_t i = 0; i < 5; ++i) {
    const auto m = d.at(d.root(), i);
    REQUIRE(d.size(m) == 3);
    for (std::uint32_t k = 0; k < 3; ++k) {
      CHECK(d.key_text(d.key_at(m, k)) == orders[i][k]);
      CHECK(d.as_int(d.value_at(m, k)) == i * 10 + k);
      CHECK(d.as_int(d.find(m, orders[i][k])) == i * 10 + k);
    }
  }
  CHECK(d.find_key("bb").has_value());
  CHECK(!d.find_key("d").has_value());

  // "b" follows "a" in every map so far; here "a" comes again where "b" is guessed, then "b"
  // comes where it was already given.
  auto e = load_error("[{\"a\": 1, \"b\": 2}, {\"a\": 1, \"a\": 2}]", data_format::json);
  CHECK(e.message == "duplicate key 'a' (first at line 1)");
  e = load_error("[{\"a\": 1, \"b\": 2},\n{\"b\": 1, \"a\": 2, \"b\": 3}]", data_format::json);
  CHECK(e.message == "duplicate key 'b' (first at line 2)");
  CHECK((e.line == 2 && e.column == 18));

  // Many distinct keys (the key table grows several times), each found again by its text.
  joinup::document_builder b;
  b.begin_list();
  for (int m = 0; m < 3; ++m) {
    b.begin_map();
    for (int i = 0; i < 5000; ++i) {
      const int k = m == 1 ? 4999 - i : i;  // the second map in reverse order
      REQUIRE(!b.key("key-" + std::to_string(k)));
      b.integer(m * 100000 + k);
    }
    b.end();
  }
  b.end();
  const auto big = b.finish();
  for (int i = 0; i < 5000; i += 7) {
    const auto k = big.find_key("key-" + std::to_string(i));
    REQUIRE(k.has_value());
    CHECK(big.key_text(*k) == "key-" + std::to_string(i));
    for (std::uint32_t m = 0; m < 3; ++m) CHECK(big.as_int(big.find(big.at(big.root(), m), *k)) == m * 100000 + i);
  }
}

TEST_CASE("find_key finds every interned key through the document's own table") {
  // 3,000 keys of 0 to 40 bytes (the table grows many times); each is found with its own id, and
  // texts that are not keys (prefixes, longer texts, other bytes) are not.
  std::string json = "{";
  std::vector<std::string> keys;
  for (int i = 0; i < 3000; ++i) {
    std::string k = "k" + std::to_string(i) + std::string(static_cast<std::size_t>(i % 38), 'x');
    keys.push_back(k);
    json += (i ? ",\"" : "\"") + k + "\":" + std::to_string(i);
  }
  json += ",\"\":0}";
  const auto d = joinup::load_document(json, "many.json");
  for (const auto& k : keys) {
    const auto id = d.find_key(k);
    REQUIRE(id.has_value());
    CHECK(d.key_text(*id) == k);
  }
  REQUIRE(d.find_key("").has_value());
  CHECK(d.key_text(*d.find_key("")).empty());
  CHECK(!d.find_key("k").has_value());
  CHECK(!d.find_key("k1xx").has_value());  // k1 has one x
  CHECK(!d.find_key(keys.back() + "x").has_value());
  CHECK(!d.find_key("K0").has_value());
  CHECK(!joinup::load_document("[1, 2]", "list.json").find_key("k0").has_value());
}

TEST_CASE("a lone CR is a line break: a comment ending in one hides nothing, and lines count it") {
  // YAML 1.2 (and PyYAML) read two items here; read as one line, the second is inside the comment.
  const auto d = yaml("leavers:\n  - name: A # first\r  - name: B\nteam: x\n");
  const auto leavers = d.find(0, "leavers");
  REQUIRE(d.kind(leavers) == value_kind::list);
  CHECK(d.size(leavers) == 2);
  CHECK(d.position(d.find(0, "team")).line == 4);

  // Files whose lines all end in CR: errors name the line they are on, in YAML and in JSON.
  auto e = load_error("a:\r  - 1\r  - 2\r  b: [\r", data_format::yaml);
  CHECK(e.line == 4);
  e = load_error("{\"a\":\r [1,\r x]}", data_format::json);
  CHECK(e.line == 3);
  CHECK(e.column == 2);
  // CR LF is one line break, not two.
  e = load_error("{\"a\":\r\n [1,\r\n x]}", data_format::json);
  CHECK(e.line == 3);
}
