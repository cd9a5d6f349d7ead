// File-level definitions and imports: the examples of docs/language.md, section 2, "Definitions
// and imports", quoted verbatim, and their errors.
#include <catch2/catch.hpp>

#include "run_rules.hpp"

using namespace joinup_test;

namespace {

// docs/language.md §2 "Definitions and imports", first example.
const std::string staffing = R"(package staffing
uses partnership

let team_size_min = partnership.settings.team_size_min ?? 10
def senior(p) = p.seniority in ["senior", "executive"]

rule teams-big-enough "Teams are at least the minimum size" {
  for each team in partnership.teams
  require count(team.members) >= team_size_min
}

rule teams-led "Every team has a senior member" {
  for each team in partnership.teams
  require any m in team.members: senior(m)
}
)";

// docs/language.md §2 "Definitions and imports", the two files of the import example.
const std::string common = R"(package integration.common
uses partnership

let team_size_min = partnership.settings.team_size_min ?? 10
def display(p) = p.name ?? p.id
)";
const std::string importing = R"(package integration.staffing
uses partnership
import integration.common

rule teams-big-enough {
  for each team in partnership.teams
  require count(team.members) >= integration.common.team_size_min
  message "{integration.common.display(team)} has {count(team.members)} members"
}
)";

const std::string teams = R"(partnership:
  settings: {team_size_min: 2}
  teams:
    - name: Discharge
      members: [{name: Ann, seniority: junior}]
    - id: t2
      members: [{name: Bo, seniority: senior}, {name: Cy, seniority: junior}]
)";

std::vector<std::string> errors_of(const std::vector<rule_source>& files) {
  try {
    policy::compile(files);
  } catch (const error& e) {
    std::vector<std::string> out;
    for (const auto& d : e.diagnostics())
      out.push_back(d.origin + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) + " " + d.code + " " +
                    d.message + (d.help.empty() ? "" : " | " + d.help));
    return out;
  }
  return {};
}

}  // namespace

TEST_CASE("a let and a def are shared by the rules of a package") {
  const auto r = run(staffing, teams);
  REQUIRE(r.rules.size() == 2);
  CHECK(r.rules[0].result == outcome::fail);  // the first team has 1 member, the minimum is 2
  REQUIRE(r.rules[0].violations.size() == 1);
  CHECK(r.rules[0].violations[0].message ==
        "expected count(team.members) >= team_size_min, but count(team.members) is 1 and team_size_min is 2");
  CHECK(r.rules[1].result == outcome::fail);  // the first team has no senior member
  REQUIRE(r.rules[1].violations.size() == 1);
  CHECK(r.rules[1].violations[0].subject == "partnership.teams[0]");
  // Without the setting, the let's default holds.
  const auto d = run(staffing, "partnership:\n  teams: [{members: [{seniority: senior}]}]\n");
  CHECK(d.rules[0].result == outcome::fail);
  CHECK(d.rules[1].result == outcome::pass);
}

TEST_CASE("a call is explained with the values inside the definition below it") {
  const std::string rules = R"(package p
uses partnership
def led(t) = any m in t.members: m.seniority == "senior"
rule r {
  for each team in partnership.teams
  require led(team) and count(team.members) > 0
}
)";
  const auto r = run(rules, teams);
  REQUIRE(r.rules[0].violations.size() == 1);
  const auto& v = r.rules[0].violations[0];
  CHECK(v.require_text == "led(team) and count(team.members) > 0");
  std::vector<std::string> shown;
  for (const auto& e : v.explanation) shown.push_back(e.expression + " = " + e.value);
  REQUIRE(shown.size() >= 2);
  CHECK(shown[0] == "led(team) = false");
  CHECK(shown[1] == "any m in t.members: m.seniority == \"senior\" = false");
}

TEST_CASE("another package's definitions are reached through import") {
  auto p = policy::compile({{"common.jup", common}, {"staffing.jup", importing}});
  const auto r = p.evaluate(load_document(teams, "d.yaml"), fixed_date());
  REQUIRE(r.rules.size() == 1);
  REQUIRE(r.rules[0].violations.size() == 1);
  CHECK(r.rules[0].violations[0].message == "Discharge has 1 members");
  // The order of the files does not matter.
  CHECK_NOTHROW(policy::compile({{"staffing.jup", importing}, {"common.jup", common}}));
}

TEST_CASE("an error in a let makes only the subjects that use it undetermined") {
  const std::string rules = R"(package p
uses d
let limit = d.settings.limit
rule uses-it {
  require count(d.items) <= limit
}
rule does-not {
  require count(d.items) >= 1
}
)";
  const auto r = run(rules, "d: {items: [1, 2]}\n");
  CHECK(r.rules[0].result == outcome::undetermined);
  REQUIRE(r.rules[0].violations.size() == 1);
  CHECK(r.rules[0].violations[0].message.find("d.settings is missing") != std::string::npos);
  CHECK(r.rules[1].result == outcome::pass);
}

TEST_CASE("a def may call itself with its own result as an argument, and defs call defs") {
  const std::string rules = R"(package p
uses d
def add(a, b) = a + b
def twice(x) = add(x, x)
rule r {
  require add(1, add(2, 3)) == 6 and twice(twice(d.n)) == 12
}
)";
  CHECK(outcome_of(rules, "d: {n: 3}\n") == outcome::pass);
}

TEST_CASE("definitions are visible in every file of their package, defined in any order") {
  const std::string a = "package p\nuses d\nrule r {\n  require big(d.n)\n}\n";
  const std::string b = "package p\ndef big(x) = x > limit\nlet limit = 10\n";
  auto p = policy::compile({{"a.jup", a}, {"b.jup", b}});
  const auto r = p.evaluate(load_document("d: {n: 11}\n", "d.yaml"), fixed_date());
  CHECK(r.rules[0].result == outcome::pass);
}

TEST_CASE("the errors of definitions, at the exact place, with did-you-mean") {
  CHECK(errors_of({{"a.jup", "package p\nlet x = 1\n"}, {"b.jup", "package p\nlet x = 2\n"}}) ==
        std::vector<std::string>{"b.jup:2:5 duplicate-definition 'x' is defined twice in package 'p': here and at "
                                 "a.jup:2:5 | keep one of them, or rename this 'let'"});
  CHECK(errors_of({{"a.jup", "package p\ndef loop_a(x) = loop_b(x)\ndef loop_b(x) = loop_a(x) + 1\n"}}) ==
        std::vector<std::string>{"a.jup:3:17 recursive-definition these definitions call each other: loop_a → "
                                 "loop_b → loop_a | a definition cannot reach itself, directly or through others: "
                                 "evaluation must always end"});
  CHECK(errors_of({{"a.jup", "package p\nlet x = x + 1\n"}}) ==
        std::vector<std::string>{"a.jup:2:9 recursive-definition 'x' needs its own value | a definition cannot "
                                 "reach itself, directly or through others: evaluation must always end"});
  const std::string uses_senior = "package p\nuses d\ndef senior(p) = p.s == 1\nrule r {\n  require ";
  CHECK(errors_of({{"a.jup", uses_senior + "sneior(d)\n}\n"}}) ==
        std::vector<std::string>{"a.jup:5:11 unknown-function unknown function 'sneior' | did you mean 'senior'?"});
  CHECK(errors_of({{"a.jup", uses_senior + "senior(d, 1)\n}\n"}}) ==
        std::vector<std::string>{"a.jup:5:11 arity 'senior' takes 1 argument, but 2 were given | usage: senior(p) "
                                 "(defined at line 3)"});
  CHECK(errors_of({{"a.jup", uses_senior + "senior\n}\n"}}) ==
        std::vector<std::string>{"a.jup:5:11 unknown-name 'senior' is a function, not a value | call it: senior(p)"});
  CHECK(errors_of({{"a.jup", "package p\nuses d\nlet limit = 1\nrule r {\n  require d.n > limt\n}\n"}}) ==
        std::vector<std::string>{"a.jup:5:17 unknown-name unknown name 'limt' | did you mean 'limit'?"});
  CHECK(errors_of({{"a.jup", "package p\nuses d\nlet n = 1\nrule r {\n  let n = 2\n  require d.n > n\n}\n"}}) ==
        std::vector<std::string>{"a.jup:5:7 duplicate-name 'n' is already defined in package 'p' | it is defined "
                                 "with 'let' at line 3; choose another name"});
  CHECK(errors_of({{"a.jup", "package p\nimport nowhere\n"}}) ==
        std::vector<std::string>{"a.jup:2:8 unknown-package no file of the rule set defines anything in package "
                                 "'nowhere' | import a package whose files have 'let' or 'def' definitions"});
  CHECK(errors_of({{"c.jup", common},
                   {"a.jup",
                    "package p\nuses partnership\nrule r {\n  require "
                    "integration.common.display(partnership)\n}\n"}}) ==
        std::vector<std::string>{"a.jup:4:11 unknown-package package 'integration.common' is not imported | add "
                                 "'import integration.common' below the file's 'package' and 'uses' lines"});
  CHECK(errors_of({{"a.jup", "package p\ndef count(x) = x\n"}}) ==
        std::vector<std::string>{"a.jup:2:5 duplicate-definition 'count' is a built-in function | choose another "
                                 "name; built-in: count(list or map)"});
}

TEST_CASE("a long chain of definitions is held to the expression depth limit") {
  std::string rules = "package p\nuses d\ndef f0(x) = x\n";
  for (int i = 1; i < 300; ++i) rules += "def f" + std::to_string(i) + "(x) = f" + std::to_string(i - 1) + "(x) + 1\n";
  rules += "rule r {\n  require f299(d.n) > 0\n}\n";
  const auto errors = errors_of({{"a.jup", rules}});
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].find("too-deep") != std::string::npos);
  // A shorter chain loads and runs.
  std::string ok = "package p\nuses d\ndef f0(x) = x\n";
  for (int i = 1; i < 50; ++i) ok += "def f" + std::to_string(i) + "(x) = f" + std::to_string(i - 1) + "(x) + 1\n";
  ok += "rule r {\n  require f49(d.n) == 49\n}\n";
  CHECK(outcome_of(ok, "d: {n: 0}\n") == outcome::pass);
}

TEST_CASE("YAML rule files hold definitions and imports") {
  // docs/language.md §13 "YAML rule files", the example of definitions and imports.
  const std::string yaml = R"(package: staffing
uses: [partnership]
imports: [integration.common]
definitions:
  - let: team_size_min
    value: partnership.settings.team_size_min ?? 10
  - def: senior(p)
    value: p.seniority in ["senior", "executive"]
rules:
  - id: teams-led
    for_each: team in partnership.teams
    require: 'any m in team.members: senior(m)'
)";
  auto p = policy::compile({{"common.jup", common}, {"s.yaml", yaml}});
  const auto r = p.evaluate(load_document(teams, "d.yaml"), fixed_date());
  REQUIRE(r.rules.size() == 1);
  CHECK(r.rules[0].result == outcome::fail);
  // An error inside a definition's string points at its column in the YAML file.
  CHECK(errors_of({{"s.yaml",
                    "uses: [d]\ndefinitions:\n  - def: senior(p)\n    value: p.seniority in [\"senior\" \"x\"]\n"
                    "rules:\n  - id: r\n    require: senior(d)\n"}})
            .size() == 1);
  CHECK(errors_of({{"s.yaml",
                    "uses: [d]\ndefinitions:\n  - let: limit\n    value: d.n + limt\nrules:\n  - id: r\n"
                    "    require: limit > 1\n"}}) ==
        std::vector<std::string>{"s.yaml:4:18 unknown-name unknown name 'limt' | did you mean 'limit'?"});
  CHECK(
      errors_of({{"s.yaml", "uses: [d]\ndefinitions:\n  - def: senior(p\n    value: p\nrules: []\n"}}) ==
      std::vector<std::string>{"s.yaml:3:10 yaml-rules 'def' must read 'NAME(P1, P2, ...)' | as in 'def: senior(p)'"});
}
