// YAML rule files (language spec section 8): the same rules as the DSL, and diagnostics that
// point at the exact character of the YAML file.
#include <catch2/catch.hpp>

#include "ast/dump.hpp"
#include "joinup/joinup.hpp"
#include "rulefile/yaml_rules.hpp"
#include "syntax/parse.hpp"

using namespace joinup;

namespace {

std::string dsl_dump(const std::string& text) {
  diag::source_file src("t.jup", text);
  ast::file f;
  syntax::parse_output out;
  std::vector<diagnostic> diags;
  REQUIRE(syntax::parse(src, syntax::parse_mode::rule_file, f, out, diags));
  return ast::dump(f);
}

std::string yaml_dump(const std::string& text) {
  diag::source_file src("t.yaml", text);
  ast::file f;
  std::vector<diagnostic> diags;
  const bool ok = rulefile::read_yaml(src, f, diags);
  INFO(render(diags));
  REQUIRE(ok);
  return ast::dump(f);
}

std::vector<diagnostic> yaml_errors(const std::string& text) {
  try {
    policy::compile({{"bad.yaml", text}});
  } catch (const error& e) {
    return e.diagnostics();
  }
  return {};
}

}  // namespace

TEST_CASE("the spec's YAML example compiles to the same rules as the DSL") {
  const std::string yaml = R"(package: local.housing
uses: [partnership]
rules:
  - id: housing-at-the-table
    title: Housing is a partner
    severity: warning
    source: "RSA: Joining up is hard to do"
    require: 'any org in partnership.organisations: org.sector == "housing"'
    message: "no housing organisation is part of {partnership.name}"
  - id: team-size
    for_each: team in partnership.teams
    where: team.cross_cutting
    require:
      - count(team.members) between 10 and 20
    message: "team {team.id} has {count(team.members)} members"
)";
  const std::string dsl = R"(package local.housing
uses partnership

rule housing-at-the-table "Housing is a partner" {
  severity  warning
  source    "RSA: Joining up is hard to do"
  require any org in partnership.organisations: org.sector == "housing"
  message "no housing organisation is part of {partnership.name}"
}

rule team-size {
  for each team in partnership.teams
    where team.cross_cutting
  require count(team.members) between 10 and 20
  message "team {team.id} has {count(team.members)} members"
}
)";
  CHECK(yaml_dump(yaml) == dsl_dump(dsl));
}

TEST_CASE("YAML rules: lets in order, for_each items, per-require messages, texts in pieces") {
  const std::string yaml = R"(uses: [d]
rules:
  - id: r
    tags: [a, b]
    rationale: ["first {d.x} ", "second"]
    when: has(d.items)
    let:
      limit: d.limit ?? 3
    for_each:
      - each: i, x in d.items
        where: x.on
        let: {n: count(x.parts)}
      - each: p in x.parts
        where: p.ok
        let:
          label: "p.name ?? \"none\""
    require:
      - that: n <= limit
        message: "too many"
      - >-
        label !=
        "bad"
    message: done
)";
  const std::string dsl = R"(package t
uses d
rule r {
  tags [a, b]
  rationale "first {d.x} " "second"
  when has(d.items)
  let limit = d.limit ?? 3
  for each i, x in d.items where x.on
  let n = count(x.parts)
  for each p in x.parts where p.ok
  let label = p.name ?? "none"
  require n <= limit message "too many"
  require label != "bad"
  message "done"
}
)";
  std::string y = yaml_dump(yaml), d = dsl_dump(dsl);
  CHECK(y == d.substr(d.find('\n') + 1));  // the YAML file has no package: its stem is used
}

TEST_CASE("YAML rule files: unknown keys point at the key, with did-you-mean") {
  auto ds = yaml_errors("uses: [d]\nrules:\n  - id: r\n    requre: d.x\n    require: d.y\n");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].line == 4);
  CHECK(ds[0].column == 5);
  CHECK(ds[0].length == 6);
  CHECK(ds[0].help == "did you mean 'require'?");
  CHECK(ds[0].source_line == "    requre: d.x");

  // A misspelt require is one error, not also a "has no 'require'".
  ds = yaml_errors("uses: [d]\nrules:\n  - id: r\n    requre: d.x\n");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].line == 4);
  ds = yaml_errors("uses: [d]\nrules:\n  - id: r\n    message: m\n");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].message == "rule 'r' has no 'require'");
}

TEST_CASE("YAML rule files: an error in an expression points at its character in the file") {
  SECTION("plain scalar") {
    auto ds = yaml_errors("uses: [d]\nrules:\n  - id: r\n    require: count(d.x) = 3\n");
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].line == 4);
    CHECK(ds[0].column == 25);
    CHECK(ds[0].message == "'=' is not a comparison");
    CHECK(ds[0].source_line == "    require: count(d.x) = 3");
  }
  SECTION("single-quoted scalar") {
    auto ds = yaml_errors("uses: [d]\nrules:\n  - id: r\n    require: 'cuont(d.x) > 1'\n");
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].column == 15);
    CHECK(ds[0].length == 5);
    CHECK(ds[0].help == "did you mean 'count'?");
  }
  SECTION("double-quoted scalar with escapes before the error") {
    auto ds = yaml_errors("uses: [d]\nrules:\n  - id: r\n    require: \"d.x == \\\"a\\\" and dd.y\"\n");
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].column == 32);
    CHECK(ds[0].length == 2);
  }
  SECTION("block scalar") {
    auto ds = yaml_errors("uses: [d]\nrules:\n  - id: r\n    require: |\n      count(d.x)\n        >= lenght(d.y)\n");
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].line == 6);
    CHECK(ds[0].column == 12);
    CHECK(ds[0].source_line == "        >= lenght(d.y)");
  }
  SECTION("the expression of a for_each") {
    auto ds = yaml_errors("uses: [d]\nrules:\n  - id: r\n    for_each: x in d.items where\n    require: x\n");
    REQUIRE(!ds.empty());
    CHECK(ds[0].line == 4);
    CHECK(ds[0].column == 28);  // 'where' is not an operator
  }
  SECTION("a template") {
    auto ds = yaml_errors("uses: [d]\nrules:\n  - id: r\n    require: d.x\n    message: \"x is {d.x + }\"\n");
    REQUIRE(!ds.empty());
    CHECK(ds[0].line == 5);
    CHECK(ds[0].column == 25);  // '+' needs an expression on its right
  }
}

TEST_CASE("YAML rule files: shape errors") {
  CHECK(yaml_errors("uses: [d]\nrules:\n  - id: r\n")[0].message == "rule 'r' has no 'require'");
  CHECK(yaml_errors("uses: [d]\nrules:\n  - require: d.x\n")[0].message == "a rule has no 'id'");
  CHECK(yaml_errors("uses: [d]\nrules:\n  - id: r\n    severity: fatal\n    require: d.x\n")[0].message ==
        "unknown severity 'fatal'");
  CHECK(yaml_errors("uses: [d]\nrules:\n  - id: r\n    for_each: d.items\n    require: d.x\n")[0].message ==
        "'for_each' must read 'NAME in EXPR' or 'I, NAME in EXPR'");
  CHECK(yaml_errors("uses: [d]\nrules:\n  - id: r\n    where: d.x\n    require: d.x\n")[0].message ==
        "'where' needs a 'for_each'");
  CHECK(yaml_errors("pakage: x\n")[0].help == "did you mean 'package'?");
  CHECK(yaml_errors("rules: [\n")[0].code == "yaml");
}

TEST_CASE("YAML and DSL rule files load together, and a full id given twice is an error") {
  const std::string dsl = "package p\nuses d\nrule a {\n  require d.x\n}\n";
  const std::string yaml = "package: p\nuses: [d]\nrules:\n  - id: b\n    require: d.y\n";
  auto pol = policy::compile({{"a.jup", dsl}, {"b.yaml", yaml}});
  REQUIRE(pol.rules().size() == 2);
  CHECK(pol.rules()[1].full_id == "p.b");
  CHECK(pol.rules()[1].origin == "b.yaml");
  CHECK(pol.rules()[1].position.line == 4);
  auto r = pol.evaluate(load_document("d: {x: true, y: false}", "d.yaml"));
  CHECK(r.rules[0].result == outcome::pass);
  CHECK(r.rules[1].result == outcome::fail);
  REQUIRE(r.rules[1].violations.size() == 1);
  CHECK(r.rules[1].violations[0].rule_position.line == 5);
  CHECK(r.rules[1].violations[0].rule_position.column == 14);

  const std::string twice = "package: p\nuses: [d]\nrules:\n  - id: a\n    require: d.y\n";
  try {
    policy::compile({{"a.jup", dsl}, {"b.yaml", twice}});
    FAIL("expected an error");
  } catch (const error& e) {
    REQUIRE(e.diagnostics().size() >= 1);
    CHECK(e.diagnostics().back().origin == "b.yaml");
  }
}

TEST_CASE("map_scalar matches decoded text with the file") {
  const std::string file = "k: \"a\\tb\"\n";
  auto m = rulefile::map_scalar(file, 3, "a\tb");
  CHECK(m.exact);
  CHECK(m.begin[0] == 4);
  CHECK(m.begin[1] == 5);
  CHECK(m.end[1] == 7);
  CHECK(m.begin[2] == 7);
  auto bad = rulefile::map_scalar(file, 3, "zzz");
  CHECK_FALSE(bad.exact);
}
