// joinup lint: unused lets, constant conditions, duplicate bodies and schema paths.
#include <catch2/catch.hpp>

#include "joinup/joinup.hpp"
#include "lint/lint.hpp"

using namespace joinup;

namespace {

std::vector<diagnostic> lint_text(const std::string& rules, const std::string& schema_json = {}) {
  std::optional<document> schema;
  if (!schema_json.empty()) schema = load_document(schema_json, "s.json");
  return lint::lint({{"l.jup", rules}}, schema ? &*schema : nullptr);
}

std::vector<std::string> messages(const std::vector<diagnostic>& ds) {
  std::vector<std::string> out;
  for (const auto& d : ds) out.push_back(std::to_string(d.line) + ":" + std::to_string(d.column) + " " + d.message);
  return out;
}

const std::string schema = R"({
  "type": "object", "additionalProperties": false,
  "properties": {"p": {"$ref": "#/$defs/p"}},
  "$defs": {
    "p": {"type": "object", "additionalProperties": false,
          "properties": {"name": {"type": "string"},
                         "leavers": {"type": "array", "items": {"$ref": "#/$defs/leaver"}},
                         "areas": {"type": "object", "additionalProperties": {"$ref": "#/$defs/area"}}}},
    "leaver": {"type": "object", "additionalProperties": false,
               "properties": {"seniority": {"type": "string"}, "name": {"type": "string"}}},
    "area": {"type": "object", "properties": {"size": {"type": "integer"}}}
  }
})";

}  // namespace

TEST_CASE("lint: a clean rule set has no findings") {
  CHECK(
      lint_text("uses p\nrule r {\n  for each l in p.leavers\n  let s = l.seniority\n  require s != \"x\"\n}\n", schema)
          .empty());
}

TEST_CASE("lint: unused let, constant require and when") {
  auto ds = lint_text("uses p\nrule r {\n  when 1 > 2\n  let a = 1\n  require 2 + 2 == 4\n  require false\n}\n");
  CHECK(messages(ds) == std::vector<std::string>{"3:8 this 'when' is always false", "4:7 'a' is never used",
                                                 "5:11 this require is always true",
                                                 "6:11 this require is always false"});
  for (const auto& d : ds) CHECK(d.level == diagnostic_level::warning);
}

TEST_CASE("lint: the same body under two ids") {
  auto ds = lint_text("uses p\nrule a {\n  require p.x\n}\nrule b {\n  require p.x\n  message \"other words\"\n}\n");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].line == 5);
  CHECK(ds[0].message == "rule 'l.b' checks exactly what 'l.a' checks");
}

TEST_CASE("lint --schema: paths the schema does not allow, through uses, for each, lets, $ref and maps") {
  auto ds = lint_text(R"(uses p
rule r {
  for each leaver in p.leavers
    where leaver.senority == "senior"
  let who = leaver
  require has(who.nmae) and any a in p.areas: a.sise > 1
  message "{p.titel}"
}
)",
                      schema);
  CHECK(messages(ds) == std::vector<std::string>{"4:18 the schema does not allow 'senority' (in 'leaver.senority')",
                                                 "6:19 the schema does not allow 'nmae' (in 'who.nmae')",
                                                 "6:49 the schema does not list 'sise' (in 'a.sise')",
                                                 "7:15 the schema does not allow 'titel' (in 'p.titel')"});
  CHECK(ds[0].help == "did you mean 'seniority'?");
  CHECK(ds[1].help == "did you mean 'name'?");
}

TEST_CASE("lint: rules that do not load are an error, not findings") {
  CHECK_THROWS_AS(lint_text("uses p\nrule r {\n  require cuont(p.x) > 1\n}\n"), error);
}

TEST_CASE("lint: an unused def parameter and definitions no rule reaches") {
  const auto ds = lint_text(
      "package p\nuses d\nlet used = 1\nlet unused = 2\ndef add(a, b) = a + used\ndef lonely(x) = x\n"
      "rule r {\n  require add(d.n, 0) > 0\n}\n");
  CHECK(messages(ds) == std::vector<std::string>{"4:5 'unused' is never used",
                                                 "5:12 parameter 'b' of 'add' is never used",
                                                 "6:5 'lonely' is never used"});
  CHECK(ds[0].code == "unused-definition");
  CHECK(ds[1].code == "unused-parameter");
  // A package of shared definitions alone, without rules: nothing to say of its definitions.
  CHECK(lint_text("package common\nlet size = 10\ndef twice(x) = x * 2\n").empty());
}
