// Checking rules against the data's JSON Schema (src/types/): the types read from a schema, each
// mistake reported at its place, silence where the schema is silent or a union admits the use,
// the schemas packages declare, and evaluation unchanged by any of it. The examples of
// docs/language.md ("Checking rules against the data's schema") are tested here word for word.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "joinup/joinup.hpp"
#include "types/types.hpp"

using namespace joinup;
using namespace joinup::types;

namespace {

// A small schema with every feature the inference reads.
const std::string schema_text = R"({
  "type": "object",
  "properties": {
    "d": {"$ref": "#/$defs/d"}
  },
  "$defs": {
    "d": {"type": "object", "additionalProperties": false, "properties": {
      "name": {"type": "string"},
      "size": {"type": "integer"},
      "ratio": {"type": ["number", "null"]},
      "either": {"type": ["string", "integer"]},
      "open": {},
      "kind": {"type": "string", "enum": ["alpha", "beta", "gamma-ray"]},
      "fixed": {"const": "only"},
      "start": {"type": "string", "format": "date"},
      "flag": {"type": "boolean"},
      "tags": {"type": "array", "items": {"type": "string", "enum": ["red", "green"]}},
      "items": {"type": "array", "items": {"$ref": "#/$defs/item"}},
      "areas": {"type": "object", "additionalProperties": {"$ref": "#/$defs/item"}},
      "node": {"$ref": "#/$defs/node"},
      "loop": {"$ref": "#/$defs/loop_a"},
      "any_of": {"anyOf": [{"type": "string", "enum": ["x"]}, {"type": "integer"}]},
      "post": {"oneOf": [
        {"type": "object", "additionalProperties": false,
         "properties": {"status": {"const": "filled"}, "person": {"type": "string"}}},
        {"type": "object", "additionalProperties": false,
         "properties": {"status": {"const": "recruiting"}, "closes": {"type": "string", "format": "date"}}}
      ]},
      "both": {"allOf": [{"type": ["string", "integer"]}, {"type": "integer"}]}
    }},
    "item": {"type": "object", "properties": {"amount": {"type": "number"}, "label": {"type": "string"}}},
    "node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/node"}, "value": {"type": "integer"}}},
    "loop_a": {"$ref": "#/$defs/loop_b"},
    "loop_b": {"$ref": "#/$defs/loop_a"}
  }
})";

const document& schema() {
  static const document s = load_document(schema_text, "s.json");
  return s;
}

// The type of a property path read from the schema's root ("d", "kind").
type path_type(std::initializer_list<std::string_view> path) {
  const schema_types st(schema());
  const auto& s = schema();
  type t = st.root();
  for (auto name : path) {
    std::optional<type> next;
    for (auto n : t.nodes)
      for (auto b : st.branches(n))
        if (auto props = st.get(b, "properties"); props != document::npos)
          if (auto p = s.find(props, name); p != document::npos) next = st.of(p);
    if (!next) return any();
    t = *next;
  }
  return t;
}

std::vector<diagnostic> typed(const std::string& rules, const document* s = &schema()) {
  return type_check({{"t.jup", "uses d\n" + rules}}, s);
}

// "LINE:COL level code: message | help" for each diagnostic.
std::vector<std::string> said(const std::vector<diagnostic>& ds) {
  std::vector<std::string> out;
  for (const auto& d : ds)
    out.push_back(std::to_string(d.line) + ":" + std::to_string(d.column) + " " +
                  (d.level == diagnostic_level::error ? "error " : "warning ") + d.code + ": " + d.message +
                  (d.help.empty() ? "" : " | " + d.help));
  return out;
}

using strings = std::vector<std::string>;

}  // namespace

TEST_CASE("types: kinds read from type, type lists, format, enum, const, anyOf, allOf") {
  CHECK(path_type({"d"}).kinds == k_map);
  CHECK(path_type({"d", "name"}).kinds == (k_string | k_date));  // a YYYY-MM-DD text loads as a date
  CHECK(path_type({"d", "size"}).kinds == k_number);
  CHECK(path_type({"d", "ratio"}).kinds == (k_number | k_null));
  CHECK(path_type({"d", "either"}).kinds == (k_string | k_date | k_number));
  CHECK_FALSE(path_type({"d", "open"}).known());
  CHECK(path_type({"d", "start"}).kinds == k_date);
  CHECK(path_type({"d", "flag"}).kinds == k_boolean);
  const type kind = path_type({"d", "kind"});
  CHECK(kind.enumerated);
  CHECK(kind.strings == strings{"alpha", "beta", "gamma-ray"});
  const type fixed = path_type({"d", "fixed"});
  CHECK(fixed.kinds == k_string);
  CHECK(fixed.strings == strings{"only"});
  const type u = path_type({"d", "any_of"});
  CHECK(u.kinds == (k_string | k_number));
  CHECK(u.enumerated);
  CHECK(u.strings == strings{"x"});
  CHECK(path_type({"d", "both"}).kinds == k_number);
  CHECK(path_type({"d", "tags"}).kinds == k_list);
  CHECK(path_type({"d", "areas"}).kinds == k_map);
}

TEST_CASE("types: $ref cycles end, as unknown") {
  CHECK_FALSE(path_type({"d", "loop"}).known());                               // a $ref to a $ref to it
  CHECK(path_type({"d", "node", "next", "next", "value"}).kinds == k_number);  // a recursive structure
  CHECK(typed("rule r { require d.loop.x == 1 and d.node.next.next.value == 2 }").empty());
}

TEST_CASE("types: unite and describe") {
  CHECK(describe(k_string | k_number) == "a number or a string");
  CHECK(describe(k_null | k_boolean | k_list) == "null, a boolean or a list");
  type a = of_kinds(k_string);
  a.enumerated = true;
  a.strings = {"a"};
  type b = of_kinds(k_string);
  b.enumerated = true;
  b.strings = {"b"};
  CHECK(unite(a, b).strings == strings{"a", "b"});
  CHECK_FALSE(unite(a, of_kinds(k_string)).enumerated);  // any string on one side: any string
  CHECK(unite(a, of_kinds(k_number)).enumerated);        // numbers do not widen the strings
  CHECK_FALSE(unite(a, any()).known());
}

TEST_CASE("types: a string outside an enum, on either side, in and not in, with did-you-mean") {
  CHECK(said(typed("rule r { require d.kind == \"gamma-rey\" }")) ==
        strings{"2:28 error schema-enum: 'gamma-rey' is not one of the values of d.kind | did you mean 'gamma-ray'?"});
  CHECK(said(typed("rule r { require \"omega\" != d.kind }")) ==
        strings{"2:18 error schema-enum: 'omega' is not one of the values of d.kind | the values are: alpha, beta, "
                "gamma-ray"});
  CHECK(said(typed("rule r { require d.kind in [\"alpha\", \"betta\"] }")) ==
        strings{"2:38 error schema-enum: 'betta' is not one of the values of d.kind | did you mean 'beta'?"});
  CHECK(said(typed("rule r { require \"blue\" not in d.tags }")) ==
        strings{"2:18 error schema-enum: 'blue' is not one of the values of d.tags | the values are: red, green"});
  CHECK(said(typed("rule r { require d.fixed != \"onyl\" }")) ==
        strings{"2:29 error schema-enum: 'onyl' is not one of the values of d.fixed | did you mean 'only'?"});
  // Values of the enum, a union whose other branch admits any string, a string-typed `in`.
  CHECK(typed("rule r { require d.kind == \"alpha\" and \"red\" in d.tags and d.kind in [\"beta\"] }").empty());
  CHECK(typed("rule r { require d.name == \"anything\" and \"al\" in d.name }").empty());
}

TEST_CASE("types: the binders, lets and for each carry the element types") {
  CHECK(said(typed("rule r {\n  for each i in d.items\n  let a = i.label\n  require a > 1\n}")) ==
        strings{"5:11 error schema-type: cannot compare a (a string or a date) with 1 (a number) | the schema says "
                "what each is; check the path and the literal"});
  CHECK(said(typed("rule r { require all k, a in d.areas: a.amount == \"x\" }")).size() == 1);
  CHECK(said(typed("rule r { require any t in d.tags: t == \"gren\" }")) ==
        strings{"2:40 error schema-enum: 'gren' is not one of the values of t | did you mean 'green'?"});
  CHECK(said(typed("rule r { require count(x in [i.label for i in d.items] where x == 3) > 0 }")).size() == 1);
}

TEST_CASE("types: first() is an element of its list, if/then/else either branch, plural() a string") {
  // first(...) has the items' type, so a field of it is checked against the items' schema.
  CHECK(said(typed("rule r { require first(i in d.items where i.amount > 1).label > 1 }")).size() == 1);
  CHECK(said(typed("rule r { require first(t in d.tags) == \"gren\" }")) ==
        strings{"2:40 error schema-enum: 'gren' is not one of the values of first(t in d.tags) | did you mean "
                "'green'?"});
  CHECK(said(typed("rule r { require count(x in d.size where first(y in d.name) == 1) > 0 }")).size() >= 1);
  // Either branch may be the value: a number compared with a string never matches, a union is silent.
  CHECK(said(typed("rule r { require (if d.flag then d.size else 2) == \"x\" }")).size() == 1);
  CHECK(typed("rule r { require (if d.flag then d.size else d.name) == \"x\" }").empty());
  CHECK(said(typed("rule r { require plural(d.size, \"item\") > 3 }")).size() == 1);
  CHECK(typed("rule r { require plural(d.size, \"item\") == \"1 item\" }").empty());
}

TEST_CASE("types: a file-level let has its value's type, a def call its body's with the arguments' types") {
  // A let read in a rule: its value's enum.
  CHECK(said(typed("let k = d.kind\nrule r { require k == \"gamma-rey\" }")) ==
        strings{"3:23 error schema-enum: 'gamma-rey' is not one of the values of k | did you mean 'gamma-ray'?"});
  // A def's result, inferred at the call site from the argument: d's kind, then an item's label.
  CHECK(said(typed("def kind_of(x) = x.kind\nrule r { require kind_of(d) == \"betta\" }")) ==
        strings{"3:32 error schema-enum: 'betta' is not one of the values of kind_of(d) | did you mean 'beta'?"});
  CHECK(said(typed("def label(x) = x.label\nrule r { require all i in d.items: label(i) > 1 }")).size() == 1);
  CHECK(typed("def label(x) = x.label\nrule r { require all i in d.items: label(i) == \"any\" }").empty());
  // A def whose parameter is unknown is silent about it; its own mistakes are said once, at it.
  const auto body = said(typed("def big(x) = d.size == \"ten\" and x > 1\nrule r { require big(1) and big(2) }"));
  REQUIRE(body.size() == 1);
  CHECK(body[0].starts_with("2:14 error schema-type:"));
  // A let defined after the rule that reads it, and a chain of defs.
  CHECK(said(typed("rule r { require second(d) == \"omega\" }\ndef first_of(x) = x.kind\n"
                   "def second(x) = first_of(x)"))
            .size() == 1);
}

TEST_CASE("types: comparisons and arithmetic between types that never match") {
  CHECK(said(typed("rule r { require d.size == \"ten\" }")) ==
        strings{"2:18 error schema-type: d.size is a number and \"ten\" is a string: they are never equal | the "
                "schema says what each is; check the path and the literal"});
  CHECK(said(typed("rule r { require d.start < \"2026-01-01\" }")) ==
        strings{"2:18 error schema-type: cannot compare d.start (a date) with \"2026-01-01\" (a string) | write the "
                "date without quotes: @2026-01-01"});
  CHECK(said(typed("rule r { require d.size between \"a\" and 3 }")).size() == 1);
  CHECK(said(typed("rule r { require d.flag + 1 > 0 }")) ==
        strings{"2:18 error schema-type: '+' needs numbers, but the schema says d.flag is a boolean"});
  CHECK(said(typed("rule r { require -d.kind < 0 }")).size() == 1);
  CHECK(said(typed("rule r { require 1 in d.size }")) ==
        strings{"2:23 error schema-type: 'in' needs a list, map or string on the right, but the schema says d.size "
                "is a number"});
  // Silent: null (a presence test), unions that admit it, unknowns, dates with dates, ?? defaults.
  CHECK(typed("rule r { require d.size != null and d.either == 1 and d.either == \"a\" and d.open == 3 }").empty());
  CHECK(typed("rule r { require d.start < @2026-01-01 and d.ratio > 0.5 and (d.ratio ?? 0) * 2 > 1 }").empty());
  CHECK(typed("rule r { require d.any_of == 3 and d.both > 2 and today() > d.start }").empty());
}

TEST_CASE("types: count, sum, avg, quantifiers, comprehensions and for each over what is no list") {
  CHECK(said(typed("rule r { require count(d.name) > 0 }")) ==
        strings{"2:24 error schema-collection: count() needs a list or a map, but the schema says d.name is a "
                "string or a date | it can never have elements; check the path against the schema"});
  CHECK(said(typed("rule r {\n  for each x in d.size\n  require x > 0\n}")).size() == 1);
  CHECK(said(typed("rule r { require all x in d.flag: x }")).size() == 1);
  CHECK(said(typed("rule r { require [x for x in d.start] != [] }")).size() == 1);
  CHECK(said(typed("rule r { require sum(x.amount for x in d.kind) > 0 }")).size() == 1);
  CHECK(said(typed("rule r { require sum(d.tags) > 0 }")) ==
        strings{"2:22 error schema-numbers: sum() adds numbers, but the schema says each element of d.tags is a "
                "string | take a number field of each element, as in sum(x.amount for x in ...)"});
  CHECK(
      said(typed("rule r { require avg(i.label for i in d.items) > 0 }")) ==
      strings{"2:22 error schema-numbers: avg() adds numbers, but the schema says each i.label is a string or a date | "
              "take a number field of each element, as in avg(x.amount for x in ...)"});
  // Lists, maps and unknowns are fine.
  CHECK(typed("rule r { require count(d.items) + count(d.areas) + sum(i.amount for i in d.items) > "
              "avg(a.amount for a in d.areas) + count(d.open) }")
            .empty());
}

TEST_CASE("types: a path allowed only in another branch of a oneOf is a warning, and has() guards it") {
  CHECK(said(typed("rule r { require d.post.person != \"x\" }")) ==
        strings{"2:25 warning schema-branch: the schema allows 'person' (in 'd.post.person') only in branch 1 of a "
                "oneOf | where the value takes another branch it has no 'person': test has(d.post.person) first, or "
                "give a default with ??"});
  CHECK(typed("rule r { require has(d.post.person) and d.post.person != \"x\" }").empty());
  CHECK(typed("rule r { require (d.post.person ?? \"\") != \"x\" }").empty());
  CHECK(typed("rule r { require d.post.status == \"filled\" }").empty());  // in every branch
  CHECK(said(typed("rule r { require d.post.status == \"filed\" }")) ==
        strings{"2:35 error schema-enum: 'filed' is not one of the values of d.post.status | did you mean 'filled'?"});
  CHECK(said(typed("rule r { require d.post.nobody == 1 }")) ==
        strings{"2:25 warning schema-path: the schema does not allow 'nobody' (in 'd.post.nobody') | the schema has: "
                "closes, person, status"});
}

TEST_CASE("types: a schema that says nothing says nothing") {
  const document empty = load_document("{}", "e.json");
  CHECK(typed("rule r { require d.kind == \"zzz\" and count(d.name) > 1 and d.x.y + 1 > 2 }", &empty).empty());
  // What is known without the schema still is: count() is a number, never equal to a string.
  CHECK(said(typed("rule r { require count(d.name) > \"x\" }", &empty)).size() == 1);
  const document open = load_document(R"({"type": "object"})", "o.json");
  CHECK(typed("rule r { require d.kind == \"zzz\" and d.size + 1 > 2 }", &open).empty());
}

TEST_CASE("types: the schema a package declares, relative to the rule file, and conflicts are errors") {
  const auto dir = std::filesystem::temp_directory_path() / "joinup-types-test";
  std::filesystem::create_directories(dir / "rules");
  std::ofstream(dir / "s.json") << schema_text;
  std::ofstream(dir / "t.json") << R"({"type": "object"})";
  const std::string origin = (dir / "rules" / "a.jup").string();
  const std::string jup = "package p\nschema \"../s.json\"\nuses d\nrule r { require d.kind == \"alpa\" }\n";
  CHECK(said(type_check({{origin, jup}})) ==
        strings{"4:28 error schema-enum: 'alpa' is not one of the values of d.kind | did you mean 'alpha'?"});
  // A file without a schema line takes its package's; YAML rule files say `schema:`.
  const std::string yaml = "package: p\nschema: ../s.json\nuses: [d]\nrules:\n  - id: y\n    require: d.size > \"1\"\n";
  const auto both =
      type_check({{origin, jup},
                  {(dir / "rules" / "b.yaml").string(), yaml},
                  {(dir / "rules" / "c.jup").string(), "package p\nuses d\nrule c { require d.flag == 1 }\n"}});
  REQUIRE(both.size() == 3);
  CHECK(both[1].code == "schema-type");
  CHECK(both[1].line == 6);
  CHECK(both[2].code == "schema-type");
  // Another schema for the same package: an error at the second schema line.
  try {
    type_check({{origin, jup}, {(dir / "rules" / "d.jup").string(), "package p\nschema \"../t.json\"\n"}});
    FAIL("no error");
  } catch (const joinup::error& e) {
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].code == "schema-conflict");
    CHECK(e.diagnostics()[0].line == 2);
    CHECK(e.diagnostics()[0].column == 8);
  }
  // A declared schema that is not there: an error at its line.
  try {
    type_check({{origin, "package q\nschema \"../nothere.json\"\n"}});
    FAIL("no error");
  } catch (const joinup::error& e) {
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].code == "file-not-found");
    CHECK(e.diagnostics()[0].line == 2);
  }
  // An explicit schema overrides the declared one.
  CHECK(type_check({{origin, jup}}, &schema()).size() == 1);
  const document open = load_document(R"({"type": "object"})", "o.json");
  CHECK(type_check({{origin, jup}}, &open).empty());
  std::filesystem::remove_all(dir);
}

TEST_CASE("types: the examples of language.md, word for word") {
  const auto pack = load_document_file(std::string(JOINUP_SOURCE_DIR) + "/schemas/partnership.schema.json");
  auto one = [&](const std::string& rule) {
    auto ds = type_check({{"x.jup", "uses partnership\n" + rule}}, &pack);
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].level == diagnostic_level::error);
    return "error: " + ds[0].message + "\n  help: " + ds[0].help;
  };
  CHECK(one("rule r { for each l in partnership.leavers\n         require l.replacement.scope == "
            "\"single-organization\" }") ==
        "error: 'single-organization' is not one of the values of l.replacement.scope\n"
        "  help: did you mean 'single-organisation'?");
  CHECK(
      one("rule r { for each l in partnership.leavers require l.seniority in [\"senior\", \"executive\"] }") ==
      "error: 'executive' is not one of the values of l.seniority\n  help: the values are: senior, middle, frontline");
  CHECK(one("rule r { for each t in partnership.teams require t.name > 10 }") ==
        "error: cannot compare t.name (a string or a date) with 10 (a number)\n"
        "  help: the schema says what each is; check the path and the literal");
  CHECK(one("rule r { require partnership.updated != \"2026-03-31\" }") ==
        "error: partnership.updated is a date and \"2026-03-31\" is a string: they always differ\n"
        "  help: write the date without quotes: @2026-03-31");
  CHECK(one("rule r { require count(partnership.name) > 0 }") ==
        "error: count() needs a list or a map, but the schema says partnership.name is a string or a date\n"
        "  help: it can never have elements; check the path against the schema");
  CHECK(one("rule r { require avg(l.name for l in partnership.leavers) > 0 }") ==
        "error: avg() adds numbers, but the schema says each l.name is a string or a date\n"
        "  help: take a number field of each element, as in avg(x.amount for x in ...)");
  CHECK(type_check({{"x.jup",
                     "uses partnership\nrule r { require partnership.settings.team_size_min > 1 and "
                     "all l in partnership.leavers: (l.note ?? \"\") != \"x\" }"}},
                   &pack)
            .empty());
}

TEST_CASE("types: evaluation is the same with and without the schema") {
  // The standard pack declares its schema; the same texts without the schema line evaluate alike.
  std::vector<rule_source> with, without;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(JOINUP_SOURCE_DIR) + "/rules/integration")) {
    if (entry.path().extension() != ".jup") continue;
    std::ifstream in(entry.path());
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    with.push_back({entry.path().string(), text});
    const auto at = text.find("\nschema \"");
    REQUIRE(at != std::string::npos);
    text.replace(at + 1, text.find('\n', at + 1) - at, "\n");  // the line left empty: positions keep
    without.push_back({entry.path().string(), text});
  }
  REQUIRE(with.size() >= 7);
  CHECK(type_check(with).empty());  // and the pack is clean against it
  const auto a = policy::compile(with), b = policy::compile(without);
  const auto doc = load_document_file(std::string(JOINUP_SOURCE_DIR) + "/examples/partnerships/northvale-midway.yaml");
  evaluate_options eo;
  eo.as_of = joinup::date::from_ymd(2026, 11, 21);
  const auto ra = a.evaluate(doc, eo), rb = b.evaluate(doc, eo);
  REQUIRE(ra.rules.size() == rb.rules.size());
  std::size_t violations = 0;
  for (std::size_t i = 0; i < ra.rules.size(); ++i) {
    CHECK(ra.rules[i].rule_id == rb.rules[i].rule_id);
    CHECK(ra.rules[i].result == rb.rules[i].result);
    REQUIRE(ra.rules[i].violations.size() == rb.rules[i].violations.size());
    for (std::size_t k = 0; k < ra.rules[i].violations.size(); ++k) {
      CHECK(ra.rules[i].violations[k].message == rb.rules[i].violations[k].message);
      CHECK(ra.rules[i].violations[k].subject == rb.rules[i].violations[k].subject);
      ++violations;
    }
  }
  CHECK(violations > 0);  // the comparison compared something
}
