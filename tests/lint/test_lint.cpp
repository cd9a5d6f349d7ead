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
  message "{p.titel ?? "none"}"
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

namespace {

// The unguarded-hole findings of a rule set: "line:col message".
std::vector<std::string> holes(const std::string& rules, const std::string& origin = "l.jup") {
  std::vector<std::string> out;
  for (const auto& d : lint::lint({{origin, rules}}, nullptr))
    if (d.code == "unguarded-hole")
      out.push_back(std::to_string(d.line) + ":" + std::to_string(d.column) + " " + d.message);
  return out;
}

}  // namespace

TEST_CASE("lint: a message hole that reads a path no require guards") {
  const auto ds = lint_text(
      "uses p\nrule r {\n  for each l in p.leavers\n  require l.seniority != \"x\"\n"
      "  message \"{l.name} is {l.seniority}\"\n}\n");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].code == "unguarded-hole");
  CHECK(ds[0].level == diagnostic_level::warning);
  CHECK(ds[0].line == 5);
  CHECK(ds[0].column == 13);
  CHECK(ds[0].length == 6);
  CHECK(ds[0].message == "this hole reads l.name, which may be missing when the message is shown");
  CHECK(ds[0].help == "a missing value prints '(missing)'; write {l.name ?? \"…\"}, or require has(l.name)");
}

TEST_CASE("lint: what guards a hole") {
  // A require before the failing one that tested has(), or read the path outside `??`.
  CHECK(
      holes(
          "uses p\nrule r {\n  require has(p.name) message \"no name\"\n  require p.x > 0\n  message \"{p.name}\"\n}\n")
          .empty());
  CHECK(holes("uses p\nrule r {\n  require p.name != null\n  require p.x > 0\n  message \"{p.name}\"\n}\n").empty());
  // The failing require itself: a missing path would have made it undetermined, not false.
  CHECK(holes("uses p\nrule r {\n  require p.x > 0\n  message \"{p.x} is not positive\"\n}\n").empty());
  CHECK(holes("uses p\nrule r {\n  require count(p.teams) > 2 or p.y\n  message \"{p.teams} {p.y}\"\n}\n").empty());
  // `when`, `for each` collections and `where` filters.
  CHECK(holes("uses p\nrule r {\n  when has(p.name) and p.size > 1\n  for each t in p.teams where t.lead != \"\"\n"
              "  require false\n  message \"{p.name} {p.size} {t.lead} {t}\"\n}\n")
            .empty());
  // The hole itself: `??`, has(), an `if` on has().
  CHECK(holes("uses p\nrule r {\n  require false\n  message \"{p.a ?? \"none\"} {p.b ?? p.c ?? 0} {has(p.d)} "
              "{if has(p.e) then p.e else \"-\"} {if not has(p.f) then \"-\" else p.f}\"\n}\n")
            .empty());
  // A let that a require read, and a let of a path that a require read.
  CHECK(holes("uses p\nrule r {\n  let share = p.a / p.b\n  let who = p.lead\n  require share > 0.2 or who != \"x\"\n"
              "  message \"{share} {who.name ?? who}\"\n}\n")
            .empty());
}

TEST_CASE("lint: what does not guard a hole") {
  // has() that failed: the message is shown because the path is missing.
  CHECK(holes("uses p\nrule r {\n  require has(p.name)\n  message \"{p.name}\"\n}\n") ==
        std::vector<std::string>{"4:13 this hole reads p.name, which may be missing when the message is shown"});
  // `and` is false when either side is false, whatever the other one is.
  CHECK(holes("uses p\nrule r {\n  require p.ok and p.x > 0\n  message \"{p.x}\"\n}\n") ==
        std::vector<std::string>{"4:13 this hole reads p.x, which may be missing when the message is shown"});
  // `??` in a require, and a require after the one that failed.
  CHECK(holes("uses p\nrule r {\n  require (p.x ?? 0) > 0 message \"{p.x}\"\n  require p.x > 1\n}\n") ==
        std::vector<std::string>{"3:36 this hole reads p.x, which may be missing when the message is shown"});
  // The rule's message is shown for the first require too; the remedy for every require.
  CHECK(holes("uses p\nrule r {\n  remedy \"fix {p.b}\"\n  require p.a > 0\n  require p.b > 0\n"
              "  message \"{p.b}\"\n}\n") ==
        std::vector<std::string>{"3:16 this hole reads p.b, which may be missing when the remedy is shown",
                                 "6:13 this hole reads p.b, which may be missing when the message is shown"});
  // An operand that errs is not replaced by `??`.
  CHECK(holes("uses p\nrule r {\n  require false\n  message \"{(p.a + 1) ?? 0}\"\n}\n") ==
        std::vector<std::string>{"4:14 this hole reads p.a, which may be missing when the message is shown"});
}

TEST_CASE("lint: a require guards a hole through a def or a let it calls") {
  const std::string defs =
      "uses p\ndef has_owner(b) = has(b.owner)\ndef owned(b) = has_owner(b) and b.owner != \"\"\n"
      "def named(b) = b.name != \"\"\nlet has_lead = has(p.lead)\n";
  // has() in a def's body, its parameter standing for the argument; through a def that calls it.
  CHECK(holes(defs + "rule r {\n  for each barrier in p.barriers\n  require has_owner(barrier) message \"none\"\n"
                     "  require barrier.size > 1\n  message \"{barrier.owner}\"\n}\n")
            .empty());
  CHECK(holes(defs + "rule r {\n  for each barrier in p.barriers\n  require owned(barrier) message \"none\"\n"
                     "  require barrier.size > 1\n  message \"{barrier.owner}\"\n}\n")
            .empty());
  // A path the body reads strictly; has() in a file-level let, and in a rule's let.
  CHECK(holes(defs + "rule r {\n  for each barrier in p.barriers\n  require named(barrier)\n"
                     "  message \"{barrier.name}\"\n}\n")
            .empty());
  CHECK(holes(defs + "rule r {\n  require has_lead message \"none\"\n  require p.size > 1\n"
                     "  message \"{p.lead}\"\n}\n")
            .empty());
  CHECK(holes(defs + "rule r {\n  let led = has(p.lead)\n  require led message \"none\"\n  require p.size > 1\n"
                     "  message \"{p.lead}\"\n}\n")
            .empty());
  // A def of another package, through import.
  std::vector<std::string> found;
  for (const auto& d : lint::lint({{"common.jup", "package common\nuses p\ndef has_owner(b) = has(b.owner)\n"},
                                   {"l.jup",
                                    "package l\nuses p\nimport common\nrule r {\n  for each barrier in p.barriers\n"
                                    "  require common.has_owner(barrier) message \"none\"\n  require barrier.size > 1\n"
                                    "  message \"{barrier.owner}\"\n}\n"}},
                                  nullptr))
    if (d.code == "unguarded-hole") found.push_back(d.message);
  CHECK(found.empty());
}

TEST_CASE("lint: a def or a let that does not guard a hole") {
  const std::string defs =
      "uses p\ndef has_owner(b) = has(b.owner)\ndef owned(b) = has_owner(b) and b.owner != \"\"\n"
      "def named(b) = b.name != \"\"\nlet has_lead = has(p.lead)\n";
  const std::vector<std::string> owner{
      "10:13 this hole reads barrier.owner, which may be missing when the message is shown"};
  // A def whose body never reads the path.
  CHECK(holes(defs + "rule r {\n  for each barrier in p.barriers\n  require named(barrier) message \"none\"\n"
                     "  require barrier.size > 1\n  message \"{barrier.owner}\"\n}\n") == owner);
  // Its argument is another path than the hole's (the def's parameter is not the rule's name).
  CHECK(holes(defs + "rule r {\n  for each barrier in p.barriers\n  require has_owner(p.lead) message \"none\"\n"
                     "  require barrier.size > 1\n  message \"{barrier.owner}\"\n}\n") == owner);
  // The require whose message it is failed: has() in the def was false, through a nested def too.
  CHECK(holes(defs + "rule r {\n  for each barrier in p.barriers\n  require barrier.size > 1 message \"small\"\n"
                     "  require owned(barrier)\n  message \"{barrier.owner}\"\n}\n") == owner);
  CHECK(holes(defs + "rule r {\n  require has_lead\n  message \"{p.lead}\"\n}\n") ==
        std::vector<std::string>{"8:13 this hole reads p.lead, which may be missing when the message is shown"});
}

TEST_CASE("lint: a hole that reads a path through a let") {
  const auto ds = lint_text(
      "uses p\nrule r {\n  let post = p.title\n  let share = p.a / p.b\n  let name = p.name ?? p.id\n"
      "  require p.a > 1\n  message \"{post}: {share} {name}\"\n}\n");
  REQUIRE(ds.size() == 3);
  CHECK(messages(ds) ==
        std::vector<std::string>{"7:13 'post' is p.title, which may be missing when the message is shown",
                                 "7:21 'share' reads p.b, which may be missing when the message is shown",
                                 "7:29 'name' reads p.id, which may be missing when the message is shown"});
  CHECK(ds[0].help == "a missing value prints '(missing)'; write {post ?? \"…\"}, or require has(p.title)");
  CHECK(ds[1].help == "a missing value makes 'share' an error, printed '(error: …)'; require has(p.b)");
  CHECK(ds[2].help == "a missing value prints '(missing)'; write {name ?? \"…\"}, or require has(p.id)");
}

TEST_CASE("lint: an unguarded hole in a YAML rule file points into the message string") {
  const auto found = holes(
      "package: y\nuses: [p]\nrules:\n  - id: r\n    for_each: l in p.leavers\n"
      "    require: l.seniority != \"x\"\n    message: \"{l.name} left\"\n",
      "y.yaml");
  CHECK(found ==
        std::vector<std::string>{"7:16 this hole reads l.name, which may be missing when the message is shown"});
}
