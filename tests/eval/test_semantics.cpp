// The language's semantics (spec sections 2-5), end to end: rule text + YAML data -> results.
// The checker's diagnostics are in tests/check, the fast paths' equivalence with the plain walk in
// test_fast_paths.cpp.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "run_rules.hpp"

using namespace joinup;
using namespace joinup_test;

namespace {

const char* leavers_yaml = R"(partnership:
  name: Harrowfield
  leavers:
    - name: Dr A. Okafor
      seniority: senior
      replacement: {title: Trust Finance Director, scope: single-organisation}
    - name: B. Jones
      seniority: senior
      replacement: {title: System Director, scope: system}
    - name: C. Patel
      seniority: middle
      replacement: {title: Manager, scope: single-organisation}
    - name: D. Wu
      seniority: senior
      replacement: {title: Interim}
)";

const char* leaver_rule = R"RULE(package integration.workforce
uses partnership

rule senior-leaver-replacement "Never replace a senior leaver with a single-organisation role" {
  severity  error
  tags      [leadership, workforce]
  source    "A"
  remedy    "Recruit {leaver.name}'s successor to a system-wide post."

  for each leaver in partnership.leavers
    where leaver.seniority == "senior"
  require leaver.replacement.scope != "single-organisation"
  message "{leaver.name} left a senior post and was replaced by a single-organisation role ({leaver.replacement.title})"
}
)RULE";

}  // namespace

TEST_CASE("a for-each rule reports each failing subject with path, position, message and explanation") {
  auto r = run(leaver_rule, leavers_yaml);
  REQUIRE(r.rules.size() == 1);
  const auto& rr = r.rules[0];
  CHECK(rr.rule_id == "integration.workforce.senior-leaver-replacement");
  CHECK(rr.result == outcome::fail);
  CHECK(rr.subjects == 3);  // three senior leavers
  REQUIRE(rr.violations.size() == 2);

  const auto& v = rr.violations[0];
  CHECK(v.kind == outcome::fail);
  CHECK(v.subject == "partnership.leavers[0]");
  CHECK(v.data_origin == "d.yaml");
  CHECK(v.data_position.line == 4);
  CHECK(v.data_position.column == 7);
  CHECK(v.message ==
        "Dr A. Okafor left a senior post and was replaced by a single-organisation role (Trust Finance Director)");
  CHECK(v.rule_origin == "t.jup");
  CHECK(v.rule_position.line == 12);
  CHECK(v.rule_position.column == 11);
  CHECK(v.require_text == "leaver.replacement.scope != \"single-organisation\"");
  REQUIRE(v.explanation.size() == 1);
  CHECK(v.explanation[0].expression == "leaver.replacement.scope");
  CHECK(v.explanation[0].value == "\"single-organisation\"");
  CHECK(v.remedy == "Recruit Dr A. Okafor's successor to a system-wide post.");

  // The fourth leaver has no replacement scope: undetermined, naming the path, never silent.
  const auto& u = rr.violations[1];
  CHECK(u.kind == outcome::undetermined);
  CHECK(u.subject == "partnership.leavers[3]");
  CHECK(u.message == "partnership.leavers[3].replacement.scope is missing");
}

TEST_CASE("rule outcomes: pass, fail, undetermined, not applicable") {
  const std::string doc = "d: {a: 1, flag: false}";
  CHECK(outcome_of("uses d\nrule r { require d.a == 1 }", doc) == outcome::pass);
  CHECK(outcome_of("uses d\nrule r { require d.a == 2 }", doc) == outcome::fail);
  CHECK(outcome_of("uses d\nrule r { require d.zzz == 2 }", doc) == outcome::undetermined);
  CHECK(outcome_of("uses d\nrule r { when d.flag\n require d.a == 2 }", doc) == outcome::not_applicable);
  CHECK(outcome_of("uses d\nrule r { when d.nothing\n require d.a == 2 }", doc) == outcome::undetermined);
  // for each over an empty list: no subject fails, so the rule passes
  CHECK(outcome_of("uses d\nrule r { for each x in d.xs\n require x > 0 }", "d: {xs: []}") == outcome::pass);
  // fail wins over undetermined in the rule's outcome
  CHECK(outcome_of("uses d\nrule r { for each x in d.xs\n require x.v > 0 }", "d: {xs: [{v: 0}, {}]}") ==
        outcome::fail);
}

TEST_CASE("missing is not null") {
  CHECK(expr_outcome("d.x == null", "d: {x: null}") == outcome::pass);
  CHECK(expr_outcome("d.x == null", "d: {}") == outcome::undetermined);
  CHECK(expr_outcome("has(d.x)", "d: {x: null}") == outcome::pass);
  CHECK(expr_outcome("not has(d.x)", "d: {}") == outcome::pass);
  CHECK(expr_outcome("not has(d.x.y.z)", "d: {x: 3}") == outcome::pass);
  CHECK(expr_outcome("(d.x ?? 5) == 5", "d: {}") == outcome::pass);
  CHECK(expr_outcome("(d.x ?? 5) == 5", "d: {x: null}") == outcome::pass);
  CHECK(expr_outcome("(d.x ?? 5) == 0", "d: {x: 0}") == outcome::pass);
  CHECK(expr_outcome("(d.x.y ?? 5) == 5", "d: {}") == outcome::pass);
  CHECK(expr_outcome("(d.settings.limit ?? 18) == 18", "d: {settings: {}}") == outcome::pass);
}

TEST_CASE("and/or absorb errors commutatively") {
  CHECK(expr_outcome("false and d.nope == 1") == outcome::fail);
  CHECK(expr_outcome("d.nope == 1 and false") == outcome::fail);
  CHECK(expr_outcome("true or d.nope == 1") == outcome::pass);
  CHECK(expr_outcome("d.nope == 1 or true") == outcome::pass);
  CHECK(expr_outcome("true and d.nope == 1") == outcome::undetermined);
  CHECK(expr_outcome("d.nope == 1 and true") == outcome::undetermined);
  CHECK(expr_outcome("false or d.nope == 1") == outcome::undetermined);
  CHECK(expr_outcome("d.nope == 1 or false") == outcome::undetermined);
  CHECK(expr_outcome("not (d.nope == 1)") == outcome::undetermined);
  CHECK(expr_outcome("1 and true") == outcome::undetermined);
}

TEST_CASE("equality and ordering across types") {
  CHECK(expr_outcome("1 == 1.0") == outcome::pass);
  CHECK(expr_outcome("\"1\" != 1") == outcome::pass);
  CHECK(expr_outcome("(\"1\" == 1) == false") == outcome::pass);
  CHECK(expr_outcome("null != false") == outcome::pass);
  CHECK(expr_outcome("[1, 2] == [1, 2.0]") == outcome::pass);
  CHECK(expr_outcome("d.a == d.b", "d: {a: {x: [1, 2]}, b: {x: [1, 2]}}") == outcome::pass);
  CHECK(expr_outcome("\"a\" < 1") == outcome::undetermined);
  CHECK(expr_outcome("\"abc\" < \"abd\"") == outcome::pass);
  CHECK(expr_outcome("@2026-01-01 < @2026-03-31") == outcome::pass);
  CHECK(expr_outcome("d.when == @2026-03-31", "d: {when: 2026-03-31}") == outcome::pass);
  CHECK(expr_outcome("d.when == @2026-03-31", "d: {when: \"2026-03-31\"}") == outcome::pass);
  CHECK(expr_outcome("d.yes == \"yes\"", "d: {yes: yes}") == outcome::pass);
}

TEST_CASE("arithmetic: integers, doubles, promotion, errors") {
  CHECK(expr_outcome("1 + 2 * 3 == 7") == outcome::pass);
  CHECK(expr_outcome("(1 + 2) * 3 == 9") == outcome::pass);
  CHECK(expr_outcome("7 / 2 == 3.5") == outcome::pass);
  CHECK(expr_outcome("7 % 3 == 1") == outcome::pass);
  CHECK(expr_outcome("1 + 0.5 == 1.5") == outcome::pass);
  CHECK(expr_outcome("-3 + 1 == -2") == outcome::pass);
  CHECK(expr_outcome("1_000_000 == 1000000") == outcome::pass);
  CHECK(expr_outcome("1 / 0 == 1") == outcome::undetermined);
  CHECK(expr_outcome("1 % 0 == 1") == outcome::undetermined);
  CHECK(expr_outcome("\"a\" + 1 == 1") == outcome::undetermined);
  CHECK(expr_outcome("9223372036854775807 + 1 > 0") == outcome::undetermined);
}

TEST_CASE("in, not in, between, matches") {
  CHECK(expr_outcome("\"email\" in d.systems", "d: {systems: [email, crm]}") == outcome::pass);
  CHECK(expr_outcome("\"fax\" not in d.systems", "d: {systems: [email, crm]}") == outcome::pass);
  CHECK(expr_outcome("\"a\" in d.m", "d: {m: {a: 1}}") == outcome::pass);
  CHECK(expr_outcome("\"ell\" in \"hello\"") == outcome::pass);
  CHECK(expr_outcome("1 in 5") == outcome::undetermined);
  CHECK(expr_outcome("15 between 10 and 20") == outcome::pass);
  CHECK(expr_outcome("10 between 10 and 20 and 20 between 10 and 20") == outcome::pass);
  CHECK(expr_outcome("21 between 10 and 20") == outcome::fail);
  CHECK(expr_outcome("\"x\" between 1 and 2") == outcome::undetermined);
  CHECK(expr_outcome("\"NHS-123\" matches \"^NHS-[0-9]+$\"") == outcome::pass);
  CHECK(expr_outcome("\"nhs\" matches \"^NHS\"") == outcome::fail);
  CHECK(expr_outcome("matches(\"abc\", \"b\")") == outcome::pass);
  // a dynamic pattern that does not compile is an error at that point
  CHECK(expr_outcome("\"a\" matches d.p", "d: {p: \"(\"}") == outcome::undetermined);
}

TEST_CASE("a catastrophic-backtracking pattern runs in linear time") {
  std::string s(5000, 'a');
  CHECK(expr_outcome("d.s matches \"^(a+)+$\"", "d: {s: " + s + "b}") == outcome::fail);
}

TEST_CASE("quantifiers, with where, over lists and maps") {
  const std::string doc = "d: {xs: [1, 2, 3], m: {a: 1, b: 2}, empty: []}";
  CHECK(expr_outcome("all x in d.xs: x > 0", doc) == outcome::pass);
  CHECK(expr_outcome("all x in d.xs: x > 1", doc) == outcome::fail);
  CHECK(expr_outcome("all x in d.xs where x > 1: x > 1", doc) == outcome::pass);
  CHECK(expr_outcome("any x in d.xs: x == 3", doc) == outcome::pass);
  CHECK(expr_outcome("none x in d.xs: x > 3", doc) == outcome::pass);
  CHECK(expr_outcome("all x in d.empty: false", doc) == outcome::pass);
  CHECK(expr_outcome("any x in d.empty: true", doc) == outcome::fail);
  CHECK(expr_outcome("all v in d.m: v > 0", doc) == outcome::pass);
  CHECK(expr_outcome("any k, v in d.m: k == \"b\" and v == 2", doc) == outcome::pass);
  CHECK(expr_outcome("all i, x in d.xs: x == i + 1", doc) == outcome::pass);
  CHECK(expr_outcome("all x in d.nope: true", doc) == outcome::undetermined);
  CHECK(expr_outcome("all x in 5: true", doc) == outcome::undetermined);
}

TEST_CASE("quantifiers absorb errors like and/or, and where errors are not skipped") {
  const std::string doc = "d: {xs: [{v: 1}, {}, {v: 0}]}";
  CHECK(expr_outcome("all x in d.xs: x.v > 0", doc) == outcome::fail);   // a false decides
  CHECK(expr_outcome("any x in d.xs: x.v == 1", doc) == outcome::pass);  // a true decides
  CHECK(expr_outcome("all x in d.xs: x.v >= 0", doc) == outcome::undetermined);
  CHECK(expr_outcome("all x in d.xs where x.v > 0: true", doc) == outcome::undetermined);
  CHECK(expr_outcome("count(x in d.xs where x.v > 0) == 1", doc) == outcome::undetermined);
  CHECK(expr_outcome("count(x in d.xs where has(x.v)) == 2", doc) == outcome::pass);
}

TEST_CASE("where errors in for each make that subject undetermined") {
  auto r = run("uses d\nrule r {\n  for each x in d.xs where x.v > 0\n  require x.ok\n}\n",
               "d: {xs: [{v: 1, ok: true}, {ok: true}, {v: 2, ok: false}]}");
  const auto& vs = r.rules[0].violations;
  REQUIRE(vs.size() == 2);
  CHECK(vs[0].subject == "d.xs[1]");
  CHECK(vs[0].kind == outcome::undetermined);
  CHECK(vs[0].message == "d.xs[1].v is missing");
  CHECK(vs[1].subject == "d.xs[2]");
  CHECK(vs[1].kind == outcome::fail);
  CHECK(r.rules[0].result == outcome::fail);
}

TEST_CASE("aggregates in all their forms") {
  const std::string doc =
      "d: {xs: [1, 2, 3, 4], ts: [{n: 12, c: true}, {n: 4, c: false}, {n: 30, c: true}], m: {a: 1, b: 2}}";
  CHECK(expr_outcome("count(d.xs) == 4", doc) == outcome::pass);
  CHECK(expr_outcome("count(d.m) == 2", doc) == outcome::pass);
  CHECK(expr_outcome("count(t in d.ts where t.c) == 2", doc) == outcome::pass);
  CHECK(expr_outcome("count(t in d.ts) == 3", doc) == outcome::pass);
  CHECK(expr_outcome("sum(d.xs) == 10", doc) == outcome::pass);
  CHECK(expr_outcome("sum(t.n for t in d.ts) == 46", doc) == outcome::pass);
  CHECK(expr_outcome("sum(t.n for t in d.ts where t.c) == 42", doc) == outcome::pass);
  CHECK(expr_outcome("min(d.xs) == 1 and max(d.xs) == 4", doc) == outcome::pass);
  CHECK(expr_outcome("min(t.n for t in d.ts) == 4", doc) == outcome::pass);
  CHECK(expr_outcome("max(3, 9, 2) == 9", doc) == outcome::pass);
  CHECK(expr_outcome("avg(d.xs) == 2.5", doc) == outcome::pass);
  CHECK(expr_outcome("avg(t.n for t in d.ts where t.n > 100) == 0", doc) == outcome::undetermined);
  CHECK(expr_outcome("sum(t.n for t in d.ts where t.n > 100) == 0", doc) == outcome::pass);
  CHECK(expr_outcome("min(d.nothing ?? []) == 0", doc) == outcome::undetermined);
  CHECK(expr_outcome("[t.n for t in d.ts where t.c] == [12, 30]", doc) == outcome::pass);
  CHECK(expr_outcome("[x * 2 for x in d.xs] == [2, 4, 6, 8]", doc) == outcome::pass);
  CHECK(expr_outcome("sum(d.m) == 3", doc) == outcome::undetermined);  // sum needs a list
}

TEST_CASE("built-in functions") {
  const std::string doc = "d: {m: {a: 1, b: 2}, l: [[1, 2], [3], 4], s: '  Hello  ', start: 2024-01-31}";
  CHECK(expr_outcome("distinct([1, 2, 1, \"a\", \"a\"]) == [1, 2, \"a\"]", doc) == outcome::pass);
  CHECK(expr_outcome("flatten(d.l) == [1, 2, 3, 4]", doc) == outcome::pass);
  CHECK(expr_outcome("keys(d.m) == [\"a\", \"b\"]", doc) == outcome::pass);
  CHECK(expr_outcome("values(d.m) == [1, 2]", doc) == outcome::pass);
  CHECK(expr_outcome("lower(\"AbC\") == \"abc\" and upper(\"AbC\") == \"ABC\"", doc) == outcome::pass);
  CHECK(expr_outcome("trim(d.s) == \"Hello\"", doc) == outcome::pass);
  CHECK(expr_outcome("contains(\"partnership\", \"ship\") and contains([1, 2], 2)", doc) == outcome::pass);
  CHECK(expr_outcome("starts_with(\"leeds-cc\", \"leeds\") and ends_with(\"leeds-cc\", \"-cc\")", doc) ==
        outcome::pass);
  CHECK(expr_outcome("date(\"2026-03-31\") == @2026-03-31", doc) == outcome::pass);
  CHECK(expr_outcome("date(\"2026-02-30\") == @2026-03-01", doc) == outcome::undetermined);
  CHECK(expr_outcome("today() == @2026-11-21", doc) == outcome::pass);
  CHECK(expr_outcome("days_between(@2026-01-01, @2026-03-01) == 59", doc) == outcome::pass);
  CHECK(expr_outcome("months_between(d.start, @2024-02-29) == 0", doc) == outcome::pass);
  CHECK(expr_outcome("months_between(@2024-01-15, @2025-07-15) == 18", doc) == outcome::pass);
  CHECK(expr_outcome("months_between(@2024-01-15, @2025-07-14) == 17", doc) == outcome::pass);
  CHECK(expr_outcome("years_between(@2020-06-01, @2026-05-31) == 5", doc) == outcome::pass);
  CHECK(expr_outcome("round(2.345, 2) == 2.35 and round(2.5) == 3 and round(7) == 7", doc) == outcome::pass);
  CHECK(expr_outcome("percent(0.25) == \"25%\" and percent(1 / 3) == \"33.3%\"", doc) == outcome::pass);
  CHECK(expr_outcome("length(\"héllo\") == 5 and length([1, 2]) == 2", doc) == outcome::pass);
  CHECK(expr_outcome("abs(-4) == 4", doc) == outcome::pass);
  CHECK(expr_outcome("join([\"a\", \"b\"], \", \") == \"a, b\"", doc) == outcome::pass);
  CHECK(expr_outcome("lower(3) == \"3\"", doc) == outcome::undetermined);
}

TEST_CASE("indexing lists and maps") {
  const std::string doc = "d: {xs: [10, 20, 30], m: {north-east: 5}}";
  CHECK(expr_outcome("d.xs[0] == 10 and d.xs[-1] == 30", doc) == outcome::pass);
  CHECK(expr_outcome("d.m[\"north-east\"] == 5", doc) == outcome::pass);
  CHECK(expr_outcome("not has(d.xs[3])", doc) == outcome::pass);
  CHECK(expr_outcome("d.xs[3] == 1", doc) == outcome::undetermined);
  CHECK(expr_outcome("d.xs[\"a\"] == 1", doc) == outcome::undetermined);
}

TEST_CASE("let values, rule-level and per subject") {
  const std::string rules = R"(uses d
rule r {
  let limit = d.limit ?? 18
  for each p in d.people
  let months = months_between(p.start, today())
  require months >= limit
  message "{p.name} has been in post {months} months, less than {limit}"
}
)";
  auto r = run(rules, "d:\n  people:\n    - {name: Ann, start: 2020-01-01}\n    - {name: Bo, start: 2026-01-01}\n");
  REQUIRE(r.rules[0].violations.size() == 1);
  CHECK(r.rules[0].violations[0].message == "Bo has been in post 10 months, less than 18");
  CHECK(r.rules[0].violations[0].subject == "d.people[1]");
}

TEST_CASE("nested for each names the pair of subjects") {
  const std::string rules = R"(uses d
rule r {
  for each t in d.teams
  for each m in t.members
  require m != "x"
}
)";
  auto r = run(rules, "d:\n  teams:\n    - members: [a, x]\n    - members: [x]\n");
  REQUIRE(r.rules[0].violations.size() == 2);
  CHECK(r.rules[0].violations[0].subject == "d.teams[0].members[1]");
  CHECK(r.rules[0].violations[1].subject == "d.teams[1].members[0]");

  const std::string pairs = R"(uses d
rule r {
  for each a in d.xs
  for each b in d.ys
  require a != b
}
)";
  auto p = run(pairs, "d: {xs: [1, 2], ys: [2, 3]}");
  REQUIRE(p.rules[0].violations.size() == 1);
  CHECK(p.rules[0].violations[0].subject == "d.xs[1], d.ys[0]");
}

TEST_CASE("iterating a map binds its values, and the key with two names") {
  const std::string rules = R"(uses d
rule r {
  for each id, org in d.orgs
  require org.size > 1
  message "{id} is too small"
}
)";
  auto r = run(rules, "d:\n  orgs:\n    leeds: {size: 5}\n    north-east: {size: 1}\n");
  REQUIRE(r.rules[0].violations.size() == 1);
  CHECK(r.rules[0].violations[0].subject == "d.orgs.north-east");
  CHECK(r.rules[0].violations[0].message == "north-east is too small");
}

TEST_CASE("iterating a scalar is an error at that point") {
  auto r = run("uses d\nrule r {\n  for each x in d.s\n  require true\n}\n", "d: {s: hello}");
  REQUIRE(r.rules[0].violations.size() == 1);
  CHECK(r.rules[0].violations[0].kind == outcome::undetermined);
  CHECK(r.rules[0].violations[0].message == "cannot iterate over d.s: it is a string");
}

TEST_CASE("the automatic message says what failed, in words from the expression") {
  auto r =
      run("uses partnership\nrule r {\n  for each leaver in partnership.leavers\n"
          "  require leaver.replacement.scope != \"single-organisation\"\n}\n",
          leavers_yaml);
  CHECK(r.rules[0].violations[0].message ==
        "expected leaver.replacement.scope != \"single-organisation\", but leaver.replacement.scope is "
        "\"single-organisation\"");
  auto b = run("uses d\nrule r { require count(d.xs) between 10 and 20 }", "d: {xs: [1, 2]}");
  CHECK(b.rules[0].violations[0].message == "expected count(d.xs) between 10 and 20, but count(d.xs) is 2");
}

TEST_CASE("numbers render without trailing zeros and to ten significant digits") {
  auto r = run("uses d\nrule r {\n  require false\n  message \"{d.a / d.b} {d.c * 1.0} {d.e}\"\n}\n",
               "d: {a: 30000000, b: 154000000, c: 154000000, e: 0.000000125}");
  CHECK(r.rules[0].violations[0].message == "0.1948051948 154000000 1.25e-07");
}

TEST_CASE("a root-level finding over computed values points at the data its lets read") {
  auto r = run("uses d\nrule r {\n  let total = sum(b.amount for b in d.budgets)\n  require total > 100\n}\n",
               "d:\n  name: x\n  budgets:\n    - amount: 5\n");
  CHECK(r.rules[0].violations[0].data_position.line == 4);
}

TEST_CASE("message interpolation: numbers without trailing zeros, lists, escaped braces") {
  auto r = run("uses d\nrule r {\n  require false\n  message \"{d.a} {d.b} {d.l} {{literal}} {d.s}\"\n}\n",
               "d: {a: 2.50, b: 3.0, l: [x, 1], s: text}");
  CHECK(r.rules[0].violations[0].message == "2.5 3 [x, 1] {literal} text");
}

TEST_CASE("the first failing require gives the violation, with per-require messages") {
  const std::string rules = R"(uses d
rule r {
  require d.a > 0 message "a must be positive"
  require d.b > 0 message "b must be positive"
}
)";
  CHECK(run(rules, "d: {a: 0, b: 0}").rules[0].violations[0].message == "a must be positive");
  CHECK(run(rules, "d: {a: 1, b: 0}").rules[0].violations[0].message == "b must be positive");
  CHECK(run(rules, "d: {a: 1, b: 0}").rules[0].violations.size() == 1);
}

TEST_CASE("a root-level violation points at the data value it read") {
  auto r = run("uses d\nrule r { require d.commissioning.pooled == true }",
               "d:\n  name: x\n  commissioning:\n    pooled: false\n");
  const auto& v = r.rules[0].violations[0];
  CHECK(v.subject == "");
  CHECK(v.data_position.line == 4);
  CHECK(v.data_position.column == 13);
}

TEST_CASE("explanations show sub-expression values and a counterexample") {
  auto r = run("uses d\nrule r { require all t in d.teams: count(t.members) >= 2 }",
               "d:\n  teams:\n    - {id: a, members: [1, 2]}\n    - {id: b, members: [1]}\n");
  const auto& ex = r.rules[0].violations[0].explanation;
  REQUIRE(ex.size() >= 2);
  bool saw_teams = false, saw_witness = false;
  for (const auto& e : ex) {
    if (e.expression == "d.teams") saw_teams = true;
    if (e.expression == "t" && e.value.rfind("d.teams[1]", 0) == 0) saw_witness = true;
  }
  CHECK(saw_teams);
  CHECK(saw_witness);
}

TEST_CASE("options: only, tags, undetermined as pass, as-of") {
  const std::string rules = R"(uses d
rule a { tags [x]
  require false }
rule b { tags [y]
  require d.nope }
)";
  auto doc = load_document("d: {}", "d.yaml");
  auto p = policy::compile({{"opts.jup", rules}});
  evaluate_options o = fixed_date();
  o.only = {"opts.b"};
  auto r = p.evaluate(doc, o);
  REQUIRE(r.rules.size() == 1);
  CHECK(r.rules[0].rule_id == "opts.b");
  CHECK(r.fails_at(severity::error));
  o.undetermined_fails = false;
  CHECK_FALSE(p.evaluate(doc, o).fails_at(severity::error));
  o = fixed_date();
  o.tags = {"x"};
  r = p.evaluate(doc, o);
  REQUIRE(r.rules.size() == 1);
  CHECK(r.rules[0].rule_id == "opts.a");
  o = fixed_date();
  o.only = {"opts.c"};
  CHECK_THROWS_AS(p.evaluate(doc, o), error);
  CHECK(p.evaluate(doc, fixed_date()).as_of == *date::parse("2026-11-21"));
}

TEST_CASE("the step budget stops a runaway evaluation with an error") {
  auto p = policy::compile({{"q.jup", "uses d\nrule r { require all a in d.xs: all b in d.xs: a != b or true }"}});
  std::string yaml = "d: {xs: [";
  for (int i = 0; i < 2000; ++i) yaml += std::to_string(i) + ",";
  yaml += "0]}";
  auto doc = load_document(yaml, "big.yaml");
  evaluate_options o = fixed_date();
  o.max_steps = 100000;
  CHECK_THROWS_AS(p.evaluate(doc, o), error);
}

TEST_CASE("severity, package from the file stem, full ids") {
  auto p = policy::compile({{"dir/housing.jup", "rule a { severity warning\n require true }"}});
  REQUIRE(p.rules().size() == 1);
  CHECK(p.rules()[0].full_id == "housing.a");
  CHECK(p.rules()[0].severity == severity::warning);
}

TEST_CASE("a compiled policy is shared safely by concurrent evaluations") {
  auto p = policy::compile({{"w.jup", leaver_rule}});
  auto doc = load_document(leavers_yaml, "d.yaml");
  const auto expected = p.evaluate(doc, fixed_date()).rules[0].violations.size();
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i)
        if (p.evaluate(doc, fixed_date()).rules[0].violations.size() != expected) ++mismatches;
    });
  for (auto& t : threads) t.join();
  CHECK(mismatches == 0);
}

TEST_CASE("an undetermined subject names the clause that could not be judged") {
  auto r = run("uses d\nrule r {\n  for each x in d.xs\n    where x.v > 0\n  require true\n}\n", "d: {xs: [{}]}");
  REQUIRE(r.rules[0].violations.size() == 1);
  CHECK(r.rules[0].violations[0].clause == "where");
  CHECK(r.rules[0].violations[0].require_text == "x.v > 0");
  CHECK(r.rules[0].violations[0].rule_position.line == 4);
  auto c = run("uses d\nrule r {\n  for each x in d.xs\n  require true\n}\n", "d: {}");
  CHECK(c.rules[0].violations[0].clause == "for each");
  CHECK(c.rules[0].violations[0].require_text == "x in d.xs");
  CHECK(c.rules[0].violations[0].message == "d.xs is missing");
  auto w = run("uses d\nrule r {\n  when d.on\n  require true\n}\n", "d: {}");
  CHECK(w.rules[0].violations[0].clause == "when");
  CHECK(run("uses d\nrule r { require false }", "d: {}").rules[0].violations[0].clause == "require");
}

TEST_CASE("automatic messages for quantifiers name the deciding element") {
  const std::string doc = "d:\n  orgs:\n    - {id: a, sector: health}\n    - {id: b, sector: council}\n";
  auto any = run("uses d\nrule r { require any o in d.orgs: o.sector == \"housing\" }", doc);
  CHECK(any.rules[0].violations[0].message ==
        "expected any o in d.orgs: o.sector == \"housing\", but no element of d.orgs does");
  auto all = run("uses d\nrule r { require all o in d.orgs: o.sector == \"health\" }", doc);
  CHECK(all.rules[0].violations[0].message ==
        "expected all o in d.orgs: o.sector == \"health\", but d.orgs[1] does not");
  auto none = run("uses d\nrule r { require none o in d.orgs: o.sector == \"council\" }", doc);
  CHECK(none.rules[0].violations[0].message ==
        "expected none o in d.orgs: o.sector == \"council\", but d.orgs[1] does");
  auto empty = run("uses d\nrule r { require any o in d.none: true }", "d: {none: []}");
  CHECK(empty.rules[0].violations[0].message == "expected any o in d.none: true, but d.none is empty");
}

TEST_CASE("a bare path and has() still get an explanation") {
  auto bare = run("uses d\nrule r { require d.board.published }", "d: {board: {published: false}}");
  REQUIRE(bare.rules[0].violations[0].explanation.size() == 1);
  CHECK(bare.rules[0].violations[0].explanation[0].expression == "d.board.published");
  CHECK(bare.rules[0].violations[0].explanation[0].value == "false");
  auto has = run("uses d\nrule r { require has(d.board.lead) }", "d: {board: {}}");
  REQUIRE(has.rules[0].violations[0].explanation.size() == 1);
  CHECK(has.rules[0].violations[0].explanation[0].expression == "d.board.lead");
  CHECK(has.rules[0].violations[0].explanation[0].value == "(missing)");
}

TEST_CASE("a root finding over lets points at the data of the let the require names first") {
  auto r = run(
      "uses d\nrule r {\n  let limit = d.settings.max ?? 24\n  let age = months_between(d.plan.refreshed, today())\n"
      "  require age <= limit\n}\n",
      "d:\n  settings: {max: 12}\n  plan:\n    refreshed: 2024-01-01\n");
  CHECK(r.rules[0].violations[0].data_position.line == 4);
}

TEST_CASE("error wording: articles, plurals, operand order") {
  auto r = run("uses d\nrule r { require d.s[0] == 1 }", "d: {s: Harrowfield}");
  CHECK(r.rules[0].violations[0].message == "d.s is a string, so it has no [0]");
  auto m = run("uses d\nrule r { require min(1, \"a\") == 1 }", "d: {}");
  CHECK(m.rules[0].violations[0].message == "cannot compare a number with a string: min(1, \"a\") (1 and \"a\")");
  auto w = run("uses d\nrule r {\n  for each x in d.xs where x\n  require true\n}\n", "d: {xs: [3]}");
  CHECK(w.rules[0].violations[0].message == "'where' needs true or false, but x is 3");
}

TEST_CASE("undetermined \"…\": missing data is reported in words, other reasons keep their reason") {
  const char* rules = R"RULE(uses partnership
rule replaced "Replacements" {
  undetermined "Say whether the post {leaver.name} left is joint, system-wide or single-organisation"
  for each leaver in partnership.leavers
  require leaver.replacement.scope != "single-organisation"
  message "{leaver.name} was replaced by a single-organisation role"
}
)RULE";
  const auto r = run(rules, R"(partnership:
  leavers:
    - {name: Ann Lee, replacement: {scope: single-organisation}}
    - {name: Ed Fox, replacement: {status: recruiting}}
    - {name: Di Webb, replacement: {scope: 3}}
)");
  REQUIRE(r.rules.size() == 1);
  REQUIRE(r.rules[0].violations.size() == 2);
  const auto& f = r.rules[0].violations[0];
  CHECK(f.kind == outcome::fail);
  CHECK(f.message == "Ann Lee was replaced by a single-organisation role");
  // Missing: the rule's words; the path stays in the subject, the location and the explanation.
  const auto& u = r.rules[0].violations[1];
  CHECK(u.kind == outcome::undetermined);
  CHECK(u.message == "Say whether the post Ed Fox left is joint, system-wide or single-organisation");
  CHECK(u.subject == "partnership.leavers[1]");
  CHECK(u.data_position.line == 4);
  REQUIRE(!u.explanation.empty());
  CHECK(u.explanation[0].value == "(missing)");
  // A comparison of a number with a string is not missing data: it keeps its reason (and is a
  // plain pass here, since != compares any two values).
  CHECK(r.rules[0].subjects == 3);

  // A missing list in a quantifier counts as missing data too; a type error does not.
  const char* any_rule = R"RULE(uses d
rule housing {
  undetermined "List the partners"
  require any o in d.orgs: o.sector == "housing"
}
)RULE";
  auto m = run(any_rule, "d: {}");
  REQUIRE(m.rules[0].violations.size() == 1);
  CHECK(m.rules[0].violations[0].message == "List the partners");
  m = run(any_rule, "d: {orgs: 3}");
  REQUIRE(m.rules[0].violations.size() == 1);
  CHECK(m.rules[0].violations[0].message.find("cannot iterate over d.orgs") != std::string::npos);

  // The same rule written in YAML.
  auto p = policy::compile({{"t.yaml",
                             "uses: [d]\nrules:\n  - id: housing\n    undetermined: List the partners\n"
                             "    require: 'any o in d.orgs: o.sector == \"housing\"'\n"}});
  const auto y = p.evaluate(load_document("d: {}", "d.yaml"), fixed_date());
  REQUIRE(y.rules[0].violations.size() == 1);
  CHECK(y.rules[0].violations[0].message == "List the partners");
}

TEST_CASE("undetermined \"…\" is metadata: given twice, or after the body, is an error") {
  auto d = diagnostics_of("uses d\nrule r {\n  undetermined \"a\"\n  undetermined \"b\"\n  require d.x\n}\n");
  REQUIRE(!d.empty());
  CHECK(d[0].find("4:3 'undetermined' given twice") == 0);
  d = diagnostics_of("uses d\nrule r {\n  require d.x\n  undetermined \"a\"\n}\n");
  REQUIRE(!d.empty());
  CHECK(d[0].find("4:3 'undetermined' must come before the rule body") == 0);
  // Not a reserved word: a let may be called undetermined.
  CHECK(diagnostics_of("uses d\nrule r {\n  let undetermined = d.x\n  require undetermined\n}\n").empty());
}
