// The language's semantics (spec sections 2-5), end to end: rule text + YAML data -> results.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "fixed_date.hpp"
#include "joinup/joinup.hpp"

using namespace joinup;

namespace {

evaluation_result run(const std::string& rules, const std::string& yaml, evaluate_options o = fixed_date()) {
  auto p = policy::compile({{"t.jup", rules}});
  auto doc = load_document(yaml, "d.yaml");
  return p.evaluate(doc, o);
}

// The outcome of the single rule in a one-rule set.
outcome outcome_of(const std::string& rules, const std::string& yaml) {
  auto r = run(rules, yaml);
  REQUIRE(r.rules.size() == 1);
  return r.rules[0].result;
}

// Evaluates `expr` as the require of a root rule over `yaml` (which declares `d`).
outcome expr_outcome(const std::string& expr, const std::string& yaml = "d: {}") {
  return outcome_of("uses d\nrule r {\n  require " + expr + "\n}\n", yaml);
}

std::vector<std::string> diagnostics_of(const std::string& rules) {
  try {
    policy::compile({{"bad.jup", rules}});
  } catch (const error& e) {
    std::vector<std::string> out;
    for (const auto& d : e.diagnostics())
      out.push_back(std::to_string(d.line) + ":" + std::to_string(d.column) + " " + d.message +
                    (d.help.empty() ? "" : " | " + d.help));
    return out;
  }
  return {};
}

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
  CHECK(expr_outcome("all x in d.xs: x.v > 0", doc) == outcome::fail);       // a false decides
  CHECK(expr_outcome("any x in d.xs: x.v == 1", doc) == outcome::pass);      // a true decides
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
  auto r = run("uses partnership\nrule r {\n  for each leaver in partnership.leavers\n"
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

TEST_CASE("the first failing require gives the violation; per-require messages") {
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

TEST_CASE("load-time errors: unknown names and functions with did-you-mean, arity, undeclared names") {
  auto d = diagnostics_of("uses partnership\nrule r {\n  for each leaver in partnership.leavers\n"
                          "  require cuont(leavr) > 0\n}\n");
  REQUIRE(d.size() == 2);
  CHECK(d[0] == "4:11 unknown function 'cuont' | did you mean 'count'?");
  CHECK(d[1] == "4:17 unknown name 'leavr' | did you mean 'leaver'?");

  d = diagnostics_of("rule r { require partnership.x }");
  REQUIRE(d.size() == 1);
  CHECK(d[0] ==
        "1:18 'partnership' is not declared | add 'uses partnership' at the top of the file, or bind it with 'let' "
        "or 'for each'");

  d = diagnostics_of("rule r { require lower(\"a\", \"b\") == \"a\" }");
  REQUIRE(d.size() == 1);
  CHECK(d[0] == "1:18 'lower' takes 1 argument, but 2 were given | usage: lower(string)");

  d = diagnostics_of("uses d\nrule r { require has(count(d)) }");
  REQUIRE(d.size() == 1);
  CHECK(d[0].rfind("2:22 has() takes a path", 0) == 0);

  d = diagnostics_of("uses d\nrule r { require d matches \"(\" }");
  REQUIRE(d.size() == 1);
  CHECK(d[0].rfind("2:28 invalid regular expression", 0) == 0);

  d = diagnostics_of("uses d\nrule r { let d = 1\n require d }");
  REQUIRE(d.size() == 1);
  CHECK(d[0] == "2:14 'd' is already a document name | it is declared with 'uses' on line 1; choose another name");

  d = diagnostics_of("uses d\nrule r {\n  let size = 1\n  let size = 2\n  require size > 0 }");
  REQUIRE(d.size() == 1);
  CHECK(d[0] == "4:7 'size' is already bound | it is bound on line 3; choose another name");
}

TEST_CASE("a binder is visible only inside its quantifier") {
  auto d = diagnostics_of("uses d\nrule r { require (all x in d.xs: x > 0) and x > 1 }");
  REQUIRE(d.size() == 1);
  CHECK(d[0] ==
        "2:45 'x' is bound only inside the expression on line 2 | names bound by all, any, none, an aggregate or "
        "[... for ...] are visible only inside it; to name each element in a message, use 'for each x in ...'");
}

TEST_CASE("unknown names are explained: used before bound, literal look-alikes, a comprehension without for") {
  auto d = diagnostics_of("uses d\nrule r {\n  for each t in d.teams\n  let a = size + 1\n  let size = 2\n  require a > 0 }");
  REQUIRE(d.size() == 1);
  CHECK(d[0] ==
        "4:11 'size' is used before it is bound | it is bound by the 'let' on line 5; a name can be used only below "
        "the line that binds it");
  d = diagnostics_of("uses d\nrule r { require d.x != nil }");
  REQUIRE(d.size() == 1);
  CHECK(d[0] == "2:25 unknown name 'nil' | did you mean 'null'?");
  d = diagnostics_of("uses d\nrule r { require count([t.name in d.teams]) > 0 }");
  REQUIRE(d.size() == 1);
  CHECK(d[0] == "2:25 't' is not declared | to build a list from each element, write [t... for t in ...]");
}

TEST_CASE("diagnostics come in file order, then line and column") {
  try {
    policy::compile({{"a.jup", "uses d\nrule r {\n  require zz > 0\n  require yy > 0\n}\nrule s { require xx }"}});
    FAIL("expected errors");
  } catch (const error& e) {
    REQUIRE(e.diagnostics().size() == 3);
    CHECK(e.diagnostics()[0].line == 3);
    CHECK(e.diagnostics()[1].line == 4);
    CHECK(e.diagnostics()[2].line == 6);
  }
}

TEST_CASE("a rule set with any error is refused whole, with every error") {
  try {
    policy::compile({{"a.jup", "rule ok { require true }"}, {"b.jup", "rule r { require nope }\nrule s { require also }"}});
    FAIL("expected the rule set to be refused");
  } catch (const error& e) {
    CHECK(e.diagnostics().size() == 2);
    CHECK(e.diagnostics()[0].origin == "b.jup");
  }
}

TEST_CASE("two rules with the same full id are an error naming both places") {
  try {
    policy::compile({{"x.jup", "package p\nrule a { require true }"}, {"y.jup", "package p\nrule a { require true }"}});
    FAIL("expected a duplicate id error");
  } catch (const error& e) {
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].origin == "y.jup");
    CHECK(e.diagnostics()[0].message == "rule 'p.a' is already defined at x.jup:2:6");
  }
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

TEST_CASE("constant operands are folded at load, with the same results") {
  CHECK(expr_outcome("lower(\"ABC\") == \"abc\" and 2 * 3 + 1 == 7 and @2026-01-02 > @2026-01-01") == outcome::pass);
  CHECK(expr_outcome("percent(0.5) == \"50%\"") == outcome::pass);
  // A constant error is not folded away: it is still reported, when the rule runs.
  auto r = run("uses d\nrule r { require 1 / 0 > 1 }", "d: {}");
  REQUIRE(r.rules[0].violations.size() == 1);
  CHECK(r.rules[0].violations[0].message == "division by zero: 1 / 0");
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
  auto r = run("uses d\nrule r {\n  let limit = d.settings.max ?? 24\n  let age = months_between(d.plan.refreshed, today())\n"
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
  auto d = diagnostics_of("rule r { require max() == 1 }");
  REQUIRE(d.size() == 1);
  CHECK(d[0].rfind("1:18 'max' takes at least 1 argument, but 0 were given", 0) == 0);
}

// Joins and repeated membership tests are answered from hash indexes (eval/index.hpp); these
// pin down that the answers, errors and explanations are those of the plain walk.
TEST_CASE("a join over document lists answers as the walk does") {
  const char* data = "d:\n  orgs: [{id: a}, {id: b}, {id: 3}, {id: c}]\n"
                     "  teams:\n    - orgs: [a, 3.0]\n    - orgs: [b, a]\n";
  auto r = run("uses d\nrule r {\n  for each o in d.orgs\n  require any t in d.teams: o.id in t.orgs\n}\n", data);
  REQUIRE(r.rules[0].violations.size() == 1);  // 3 == 3.0: only c is in no team
  CHECK(r.rules[0].violations[0].subject == "d.orgs[3]");
  CHECK(r.rules[0].violations[0].message == "expected any t in d.teams: o.id in t.orgs, but no element of d.teams does");
  auto none = run("uses d\nrule r {\n  for each o in d.orgs\n  require none t in d.teams: o.id in t.orgs\n}\n", data);
  REQUIRE(none.rules[0].violations.size() == 3);
  CHECK(none.rules[0].violations[0].message == "expected none t in d.teams: o.id in t.orgs, but d.teams[0] does");
  // The same answers when every step is counted (the index is not used then).
  evaluate_options counted = fixed_date();
  counted.max_steps = 1000000;
  auto c = run("uses d\nrule r {\n  for each o in d.orgs\n  require any t in d.teams: o.id in t.orgs\n}\n", data, counted);
  CHECK(c.rules[0].violations.size() == 1);
}

TEST_CASE("a join whose lists are not all lists of scalars falls back to the walk") {
  const char* data = "d:\n  orgs: [{id: a}, {id: z}]\n  teams:\n    - orgs: [a]\n    - name: no orgs\n";
  auto r = run("uses d\nrule r {\n  for each o in d.orgs\n  require any t in d.teams: o.id in t.orgs\n}\n", data);
  REQUIRE(r.rules[0].violations.size() == 1);  // a is found; for z the missing list makes it undetermined
  CHECK(r.rules[0].violations[0].kind == outcome::undetermined);
  CHECK(r.rules[0].violations[0].message == "d.teams[1].orgs is missing");
  CHECK(expr_outcome("any t in d.ts: [1] in t.xs", "d: {ts: [{xs: [[1], 2]}]}") == outcome::pass);
  CHECK(expr_outcome("any t in d.ts: d.nope in t.xs", "d: {ts: [{xs: [1]}]}") == outcome::undetermined);
}

TEST_CASE("a long list searched again and again gives the walk's answers") {
  std::string big = "[";
  for (int i = 0; i < 40; ++i) big += std::to_string(i) + ", ";
  big += "x, 2026-01-02, true, null, .nan]";
  const std::string data = "d:\n  big: " + big + "\n  xs: [3, 3.0, 39, 40, x, y, 2026-01-02, true, false, null, .nan, -0.0]\n";
  auto r = run("uses d\nrule r {\n  for each x in d.xs\n  require x in d.big\n}\n", data);
  std::vector<std::string> failed;
  for (const auto& v : r.rules[0].violations) failed.push_back(v.subject);
  // 40, y, false and NaN (equal to nothing) are not in the list; -0.0 equals 0.
  CHECK(failed == std::vector<std::string>{"d.xs[3]", "d.xs[5]", "d.xs[8]", "d.xs[10]"});
}

// The evaluator's fast paths (a key-position cache per field node; `x.f.g op constant` read and
// compared without the general walk) are off while steps are counted, so a step budget gives the
// plain walk's answers: both must be the same, field by field.
namespace {

std::string describe(const evaluation_result& r) {
  std::string out;
  for (const auto& rr : r.rules) {
    out += rr.rule_id + " " + std::string(to_string(rr.result)) + " " + std::to_string(rr.subjects) + "\n";
    for (const auto& v : rr.violations) {
      out += "  " + std::string(to_string(v.kind)) + " " + v.subject + " @" + std::to_string(v.data_position.line) +
             ":" + std::to_string(v.data_position.column) + " " + v.clause + ": " + v.message + "\n";
      for (const auto& e : v.explanation) out += "    " + e.expression + " = " + e.value + "\n";
    }
  }
  return out;
}

evaluation_result fast_and_walked(const std::string& rules, const std::string& yaml) {
  auto fast = run(rules, yaml);
  evaluate_options counted = fixed_date();
  counted.max_steps = 100000000;
  auto walked = run(rules, yaml, counted);
  CHECK(describe(fast) == describe(walked));
  return fast;
}

std::vector<std::string> subjects(const rule_result& r) {
  std::vector<std::string> out;
  for (const auto& v : r.violations) out.push_back(std::string(to_string(v.kind)) + " " + v.subject);
  return out;
}

}  // namespace

TEST_CASE("field reads with a key-position cache: keys in other orders, missing, or not a map") {
  // Element 1 has its keys in another order (the cache misses), 2 lacks the key, 3 is not a map,
  // 4 is null, 5 has the key null, 6 is back to the first shape.
  const char* data = R"(d:
  xs:
    - {a: 1, s: senior, b: 2}
    - {b: 2, s: senior, a: 1}
    - {a: 1, b: 2}
    - senior
    - null
    - {a: 1, s: null, b: 2}
    - {a: 1, s: junior, b: 2}
)";
  auto r = fast_and_walked("uses d\nrule r {\n  for each x in d.xs\n  require x.s == \"senior\"\n}\n", data);
  CHECK(subjects(r.rules[0]) == std::vector<std::string>{"undetermined d.xs[2]", "undetermined d.xs[3]",
                                                         "undetermined d.xs[4]", "fail d.xs[5]", "fail d.xs[6]"});
  CHECK(r.rules[0].violations[0].message == "d.xs[2].s is missing");
  CHECK(r.rules[0].violations[1].message == "d.xs[3] is a string, so it has no 's'");
  auto w = fast_and_walked("uses d\nrule r {\n  for each x in d.xs where x.s == \"senior\"\n  require x.a == 2\n}\n", data);
  CHECK(subjects(w.rules[0]) == std::vector<std::string>{"fail d.xs[0]", "fail d.xs[1]", "undetermined d.xs[2]",
                                                         "undetermined d.xs[3]", "undetermined d.xs[4]"});
  // count with a filter: an element whose filter cannot be judged makes the count an error.
  auto c = fast_and_walked("uses d\nrule r {\n  require count(x in d.xs where x.s == \"senior\") == 2\n}\n", data);
  CHECK(c.rules[0].result == outcome::undetermined);
}

TEST_CASE("paths compared with constants: numbers, NaN, types, nested paths, large maps") {
  const char* data = R"(d:
  xs:
    - {v: 1, t: 17, in: {k: a}}
    - {v: 1.0, t: 18.0, in: {k: b}}
    - {v: .nan, t: 12, in: null}
    - {v: "1", t: x, in: {j: a}}
    - {v: 2, t: 2026-01-01, in: {k: {deep: 1}}}
)";
  auto eq = fast_and_walked("uses d\nrule r {\n  for each x in d.xs\n  require x.v == 1\n}\n", data);
  // 1 == 1.0; NaN equals nothing; "1" is not 1.
  CHECK(subjects(eq.rules[0]) == std::vector<std::string>{"fail d.xs[2]", "fail d.xs[3]", "fail d.xs[4]"});
  auto ne = fast_and_walked("uses d\nrule r {\n  for each x in d.xs\n  require x.v != 1\n}\n", data);
  CHECK(subjects(ne.rules[0]) == std::vector<std::string>{"fail d.xs[0]", "fail d.xs[1]"});
  auto lt = fast_and_walked("uses d\nrule r {\n  for each x in d.xs\n  require x.t < 18\n}\n", data);
  REQUIRE(lt.rules[0].violations.size() == 3);
  CHECK(lt.rules[0].violations[0].subject == "d.xs[1]");  // 18.0 < 18 is false
  CHECK(lt.rules[0].violations[1].message == "cannot compare a string with a number: x.t < 18 (\"x\" and 18)");
  CHECK(lt.rules[0].violations[2].message == "cannot compare a date with a number: x.t < 18 (2026-01-01 and 18)");
  auto nan = fast_and_walked("uses d\nrule r {\n  for each x in d.xs\n  require x.v >= 1\n}\n", data);
  CHECK(nan.rules[0].violations[0].message == "cannot order nan: x.v >= 1");
  auto nested = fast_and_walked("uses d\nrule r {\n  for each x in d.xs\n  require x.in.k == \"a\"\n}\n", data);
  CHECK(subjects(nested.rules[0]) == std::vector<std::string>{"fail d.xs[1]", "undetermined d.xs[2]",
                                                              "undetermined d.xs[3]", "fail d.xs[4]"});
  CHECK(nested.rules[0].violations[1].message == "d.xs[2].in is null, so it has no 'k'");
  CHECK(nested.rules[0].violations[2].message == "d.xs[3].in.k is missing");
  fast_and_walked("uses d\nrule r {\n  for each x in d.xs\n  require x.in.k.deep <= 1\n}\n", data);
  fast_and_walked("uses d\nrule r {\n  for each x in d.xs\n  require x.t > 2025-12-31\n}\n", data);
  fast_and_walked("uses d\nrule r {\n  for each x in d.xs\n  require x.nope == null\n}\n", data);

  // Maps with more keys than document::large_map_threshold are found through the document's hash.
  std::string big = "d:\n  xs:\n";
  for (int e = 0; e < 3; ++e) {
    big += "    - {";
    for (int k = 0; k < 20; ++k) big += (k ? ", " : "") + std::string("k") + std::to_string((k + e * 7) % 20) + ": " + std::to_string(k);
    big += "}\n";
  }
  auto large = fast_and_walked("uses d\nrule r {\n  for each x in d.xs\n  require x.k3 == 3\n}\n", big);
  CHECK(subjects(large.rules[0]) == std::vector<std::string>{"fail d.xs[1]", "fail d.xs[2]"});
}

TEST_CASE("fast paths under and/or, quantifiers and lets keep absorption and explanations") {
  const char* data = R"(d:
  people:
    - {s: senior, m: 10}
    - {s: senior, m: 30}
    - {s: junior}
    - {m: 5}
)";
  // `and` absorbs the error of a missing m when s decides; `or` when its other side is true.
  auto a = fast_and_walked("uses d\nrule r {\n  for each p in d.people\n  require not (p.s == \"junior\" and p.m < 18)\n}\n", data);
  CHECK(subjects(a.rules[0]) == std::vector<std::string>{"undetermined d.people[2]", "undetermined d.people[3]"});
  auto o = fast_and_walked("uses d\nrule r {\n  for each p in d.people\n  require p.s == \"senior\" or p.m < 18\n}\n", data);
  CHECK(subjects(o.rules[0]) == std::vector<std::string>{"undetermined d.people[2]"});
  auto q = fast_and_walked("uses d\nrule r {\n  require all p in d.people where p.s == \"senior\": p.m < 18\n}\n", data);
  CHECK(q.rules[0].result == outcome::fail);  // d.people[1] decides; the filter's error for d.people[3] waits
  auto u = fast_and_walked("uses d\nrule r {\n  require any p in d.people where p.s == \"senior\": p.m > 99\n}\n", data);
  CHECK(u.rules[0].result == outcome::undetermined);  // nothing decides: the filter's error is the answer
  auto k = fast_and_walked(
      "uses d\nrule r {\n  let n = count(p in d.people where has(p.s) and p.s == \"senior\" and p.m < 18)\n"
      "  require n == 2\n}\n",
      data);
  REQUIRE(k.rules[0].violations.size() == 1);
  CHECK(k.rules[0].violations[0].message == "expected n == 2, but n is 1");
}

TEST_CASE("filters and conditions answered without building values: booleans, not, and, or") {
  const char* data = R"(d:
  xs:
    - {ok: true, n: 1}
    - {ok: false, n: 2}
    - {ok: "yes", n: 3}
    - {n: 4}
    - {ok: null, n: 5}
)";
  auto f = fast_and_walked("uses d\nrule r {\n  for each x in d.xs where x.ok\n  require x.n > 1\n}\n", data);
  CHECK(subjects(f.rules[0]) == std::vector<std::string>{"fail d.xs[0]", "undetermined d.xs[2]",
                                                         "undetermined d.xs[3]", "undetermined d.xs[4]"});
  CHECK(f.rules[0].violations[1].message == "'where' needs true or false, but x.ok is \"yes\"");
  auto n = fast_and_walked("uses d\nrule r {\n  for each x in d.xs where not x.ok or x.n == 1\n  require x.n > 1\n}\n", data);
  CHECK(subjects(n.rules[0]) == std::vector<std::string>{"fail d.xs[0]", "undetermined d.xs[2]",
                                                         "undetermined d.xs[3]", "undetermined d.xs[4]"});
  auto t = fast_and_walked("uses d\nrule r {\n  require count(x in d.xs where x.n > 3 or x.ok) == 3\n}\n", data);
  CHECK(t.rules[0].result == outcome::undetermined);  // x.ok is "yes" for d.xs[2], which n > 3 does not decide
  auto a = fast_and_walked("uses d\nrule r {\n  require any x in d.xs: x.n > 4 and x.ok == null\n}\n", data);
  CHECK(a.rules[0].result == outcome::pass);
  auto c = fast_and_walked("uses d\nrule r {\n  require count(x in d.xs where true and x.n != 2) == 4\n}\n", data);
  CHECK(c.rules[0].result == outcome::pass);
  auto al = fast_and_walked("uses d\nrule r {\n  require all x in d.xs: x.ok\n}\n", data);
  REQUIRE(al.rules[0].violations.size() == 1);
  CHECK(al.rules[0].violations[0].message == "expected all x in d.xs: x.ok, but d.xs[1] does not");
}

// Filter kernels (plan::filter_kernel: `and`s of an element's own fields compared with constants,
// answered from its map) and fused counts (counts of one rule over the same document path,
// counted in one pass sharing their tests): wherever a kernel cannot answer, the walk does.
TEST_CASE("filter kernels and fused counts give the walk's answers") {
  const char* data = R"(d:
  people:
    - {s: senior, m: 10, on: true, since: 2020-01-01}
    - {s: senior, m: 30, on: false, since: 2025-06-01}
    - {m: 12, s: senior, on: true, since: 2024-01-01}
    - {s: junior, m: 5, on: true, since: 2019-01-01}
    - {s: senior, m: 17, on: true, since: 2021-01-01}
  odd:
    - {s: senior, m: 10, on: true}
    - {s: senior, m: "ten", on: true}
    - {s: senior, on: true}
    - senior
    - {s: 3, m: 1, on: yes}
    - {s: senior, m: .nan, on: true}
    - {s: senior, m: 17.0, on: true}
)";
  for (const char* list : {"d.people", "d.odd"}) {
    INFO(list);
    const std::string L = list;
    fast_and_walked("uses d\nrule r {\n  for each p in " + L + " where p.s == \"senior\" and p.m < 18\n  require p.on\n}\n", data);
    fast_and_walked("uses d\nrule r {\n  for each p in " + L + " where p.on and p.s != \"junior\"\n  require p.m >= 10\n}\n", data);
    fast_and_walked("uses d\nrule r {\n  for each p in " + L + " where p.on == true and p.since >= 2021-01-01\n  require false\n}\n", data);
    fast_and_walked("uses d\nrule r {\n  for each p in " + L + " where p.s > \"k\" and p.s <= \"t\"\n  require false\n}\n", data);
    fast_and_walked("uses d\nrule r {\n  require any p in " + L + " where p.s == \"senior\": p.m > 20\n}\n", data);
    fast_and_walked("uses d\nrule r {\n  require all p in " + L + " where p.on: p.m > 1\n}\n", data);
    fast_and_walked("uses d\nrule r {\n  require sum(p.m for p in " + L + " where p.s == \"senior\") > 20\n}\n", data);
    // Two and three counts over the same list, sharing their first test: fused.
    fast_and_walked("uses d\nrule r {\n  let seniors = count(p in " + L + " where p.s == \"senior\")\n"
                    "  let fresh = count(p in " + L + " where p.s == \"senior\" and p.m < 18)\n"
                    "  let on = count(p in " + L + " where p.on and p.s == \"senior\")\n"
                    "  require fresh / seniors <= 0.3 and on > 1\n}\n", data);
  }
  // What the fused counts come to, checked by hand: 4 seniors, 3 of them with m < 18 (10, 12, 17).
  auto r = fast_and_walked("uses d\nrule r {\n  let seniors = count(p in d.people where p.s == \"senior\")\n"
                           "  let fresh = count(p in d.people where p.s == \"senior\" and p.m < 18)\n"
                           "  require fresh / seniors <= 0.3\n}\n", data);
  REQUIRE(r.rules[0].violations.size() == 1);
  CHECK(r.rules[0].violations[0].message == "expected fresh / seniors <= 0.3, but fresh / seniors is 0.75");
  // A list where a kernel cannot answer ("ten", a missing m, a string element, 17.0 against the
  // whole number 18): the walk answers.
  auto odd = fast_and_walked("uses d\nrule r {\n  let seniors = count(p in d.odd where p.s == \"senior\")\n"
                             "  let fresh = count(p in d.odd where p.s == \"senior\" and p.m < 18)\n"
                             "  require fresh / seniors <= 0.3\n}\n", data);
  REQUIRE(odd.rules[0].violations.size() == 1);
  CHECK(odd.rules[0].violations[0].kind == outcome::undetermined);
}

TEST_CASE("joins and repeated membership tests over strings of every length") {
  // Strings of 0 to 40 bytes, through every branch of the index's string hash, sharing prefixes
  // and suffixes; every other one is left out of the teams. The index must give the walk's answers.
  std::string orgs = "d:\n  orgs:\n", teams = "  teams:\n", big = "  big: [";
  for (int len = 0; len <= 40; ++len) {
    const std::string id = std::string(static_cast<std::size_t>(len / 2), 'a') + std::string(static_cast<std::size_t>(len - len / 2), len % 3 ? 'b' : 'a');
    orgs += "    - {id: \"" + id + "\"}\n";
    if (len % 2 == 0) teams += "    - orgs: [\"" + id + "\", \"x" + id + "\"]\n";
    if (len % 2 == 0) big += std::string(len ? ", " : "") + "\"" + id + "\"";
  }
  big += "]\n";
  const std::string data = orgs + teams + big;
  auto j = fast_and_walked("uses d\nrule r {\n  for each o in d.orgs\n  require any t in d.teams: o.id in t.orgs\n}\n", data);
  REQUIRE(j.rules[0].violations.size() == 20);  // the odd lengths
  CHECK(j.rules[0].violations[0].subject == "d.orgs[1]");
  auto m = fast_and_walked("uses d\nrule r {\n  for each o in d.orgs\n  require o.id in d.big\n}\n", data);
  CHECK(m.rules[0].violations.size() == 20);
}

TEST_CASE("joins by equality give the walk's answers") {
  const char* data = R"(d:
  people: [{id: p1}, {id: p2}, {id: 3}, {id: .nan}, {id: 2026-01-02}]
  leavers:
    - {person: p1}
    - {person: p9}
    - {person: 3.0}
    - {person: .nan}
    - {person: 2026-01-02}
    - {person: [p1]}
    - {name: no person}
  odd: [{id: p1}, {id: [p2]}, {name: no id}]
)";
  for (const char* body : {"p.id == l.person", "l.person == p.id"}) {
    INFO(body);
    const std::string b = body;
    auto any = fast_and_walked("uses d\nrule r {\n  for each l in d.leavers\n  require any p in d.people: " + b + "\n}\n", data);
    // p9 and NaN match nobody; a list matches no scalar; a missing person is undetermined.
    CHECK(subjects(any.rules[0]) == std::vector<std::string>{"fail d.leavers[1]", "fail d.leavers[3]",
                                                             "fail d.leavers[5]", "undetermined d.leavers[6]"});
    auto none = fast_and_walked("uses d\nrule r {\n  for each l in d.leavers\n  require none p in d.people: " + b + "\n}\n", data);
    CHECK(none.rules[0].violations.size() == 4);
    // A list where some element's id is a list or missing: the walk answers for every subject.
    fast_and_walked("uses d\nrule r {\n  for each l in d.leavers\n  require any p in d.odd: " + b + "\n}\n", data);
  }
  // The searched side may be a constant: `any p in C: p.id == "p2"`, asked once per subject.
  auto c = fast_and_walked("uses d\nrule r {\n  for each l in d.leavers\n  require any p in d.people: p.id == \"p2\"\n}\n", data);
  CHECK(c.rules[0].violations.empty());
}

// An evaluation keeps the key ids it resolved for a program and a document, for the next
// evaluation of the same pair on the same thread; documents with the same keys in other orders
// (so other ids), documents freed and loaded again, and other policies must not see them.
TEST_CASE("evaluations in turn resolve names in their own document", "[semantics][fast]") {
  const auto p = policy::compile({{"t.jup", "uses d\nrule r {\n  for each x in d.xs\n    where x.kind == \"a\"\n"
                                            "  require x.n < 10\n}\n"}});
  const auto q = policy::compile({{"u.jup", "uses d\nrule s {\n  require count(x in d.xs where x.n >= 10) == 0\n}\n"}});
  // Key ids follow first appearance: `kind` and `n` swap ids between the two documents.
  const auto a = load_document("d:\n  xs:\n    - {kind: a, n: 12}\n    - {kind: b, n: 20}\n", "a.yaml");
  const auto b = load_document("d:\n  xs:\n    - {n: 1, kind: a}\n    - {n: 30, kind: a}\n    - {n: 40, kind: a}\n    - {n: 50, kind: b}\n",
                               "b.yaml");
  CHECK(a.uid() != 0);
  CHECK(b.uid() != a.uid());
  CHECK(document(a).uid() == a.uid());
  CHECK(document().uid() == 0);
  auto fails = [](const policy& pol, const document& d) {
    const auto r = pol.evaluate(d, fixed_date());
    return r.rules.at(0).violations.size();
  };
  for (int round = 0; round < 3; ++round) {
    CHECK(fails(p, a) == 1);  // the first x
    CHECK(fails(p, b) == 2);  // the second and third x
    CHECK(p.find(a, fixed_date()).size() == 1);
    CHECK(q.evaluate(a, fixed_date()).rules.at(0).result == outcome::fail);
    CHECK(q.evaluate(b, fixed_date()).rules.at(0).result == outcome::fail);
  }
  // A document loaded after another was freed may reuse its memory, but not its uid.
  std::uint64_t last = 0;
  for (int i = 0; i < 4; ++i) {
    const auto d = load_document(i % 2 ? "d:\n  xs:\n    - {n: 11, kind: a}\n" : "d:\n  xs:\n    - {kind: a, n: 1}\n",
                                 "c.yaml");
    CHECK(d.uid() != last);
    last = d.uid();
    CHECK(fails(p, d) == static_cast<std::size_t>(i % 2));
  }
}

// distinct() over document lists (strings compared in place, anything else by the language's
// equality) and comparisons of whole numbers (answered without ordering values) against the
// general answers.
TEST_CASE("distinct over mixed document lists; whole-number comparisons and between", "[semantics][fast]") {
  const std::string doc =
      "d:\n  xs: [a, b, a, 1, 1.0, \"1\", true, true, null, null, {k: 1}, {k: 1.0}, [1], [1.0], ab, \"a\"]\n"
      "  long: [a, b, a, 1, 1.0, \"1\", true, true, null, null, {k: 1}, {k: 1.0}, [1], [1.0], ab, \"a\", b, ab, 1, "
      "x]\n";
  // a, b, 1, "1", true, null, {k: 1}, [1], ab
  CHECK(expr_outcome("count(distinct(d.xs)) == 9", doc) == outcome::pass);
  CHECK(expr_outcome("count(distinct(d.long)) == 10", doc) == outcome::pass);  // and x
  CHECK(expr_outcome("distinct(d.xs)[0] == \"a\" and distinct(d.xs)[2] == 1 and distinct(d.xs)[3] == \"1\" and "
                     "distinct(d.xs)[5] == null and distinct(d.xs)[6] == d.xs[11] and distinct(d.xs)[7] == [1] and "
                     "distinct(d.xs)[8] == \"ab\"",
                     doc) == outcome::pass);
  CHECK(expr_outcome("count(d.xs) >= 16 and count(d.xs) <= 16 and count(d.xs) > 15 and count(d.xs) < 17", doc) ==
        outcome::pass);
  CHECK(expr_outcome("count(d.xs) > 16", doc) == outcome::fail);
  CHECK(expr_outcome("count(d.xs) < 16.5 and count(d.xs) > 15.5", doc) == outcome::pass);
  CHECK(expr_outcome("count(d.xs) between 10 and 20 and count(d.xs) between 16 and 16", doc) == outcome::pass);
  CHECK(expr_outcome("count(d.xs) between 17 and 20", doc) == outcome::fail);
  CHECK(expr_outcome("count(d.xs) between 15.5 and 16.5", doc) == outcome::pass);
  CHECK(expr_outcome("count(d.xs) between \"a\" and 20", doc) == outcome::undetermined);
  CHECK(expr_outcome("count(d.xs) >= \"a\"", doc) == outcome::undetermined);
}

// Grouped filters (language.md decision 49): a filter whose leftmost test is `K == E` (K reading
// only the element, E not reading it) visits only the elements whose K equals E, plus those whose
// K is not a groupable scalar, from an index of the list. Every case is run with the fast paths
// and with a step budget (the plain walk), which must agree byte for byte.
namespace {

const char* grouped_yaml = R"(d:
  orgs:
    - {id: a, n: 6}
    - {id: b, n: 10}
    - {id: 1, n: 3}
    - {id: 1.0, n: 3.0}
    - {id: "1", n: 4}
    - {id: .nan, n: 8}
    - {id: 2026-01-02, n: 18}
    - {id: null, n: 2}
    - {id: true, n: 4}
    - {name: no id}
    - {id: [a], n: 12}
    - {id: c, n: 0}
    - {id: 9007199254740992.0, n: 2}
    - {id: 9007199254740993, n: 2}
    - {id: 0, n: 4}
    - {id: A, n: 6}
  people:
    - {org: a, s: senior, m: 3}
    - {org: b, s: junior, m: 5}
    - {org: 1.0, s: senior, m: 1.5}
    - {org: "1", s: senior, m: 2}
    - {org: .nan, s: senior, m: 4}
    - {org: [a], s: senior, m: 6}
    - {org: a, s: senior, m: 0.1}
    - {org: 2026-01-02, s: junior, m: 9}
    - {org: null, s: senior, m: 1}
    - {org: true, s: senior, m: 2}
    - {org: 1, s: junior, m: 8}
    - {org: {k: a}, s: senior, m: 1}
    - {org: 9007199254740993, s: senior, m: 1}
    - {org: -0.0, s: senior, m: 2}
    - {org: a, s: junior, m: 0.2}
  odd:
    - {org: a, s: senior, m: 1}
    - {s: junior, m: 2}
    - {org: a, s: senior, m: 3}
    - senior
    - {org: b, s: senior, m: x}
    - {org: a, s: senior}
  empty: []
)";

}  // namespace

TEST_CASE("a grouped count gives the walk's answers: kinds, NaN, duplicates, missing ids") {
  for (const char* key : {"p.org == o.id", "o.id == p.org"}) {
    INFO(key);
    auto r = fast_and_walked("uses d\nrule r {\n  for each o in d.orgs\n  require count(p in d.people where " +
                                 std::string(key) + " and p.s == \"senior\") >= 1\n}\n",
                             grouped_yaml);
    // b's only person is junior; NaN equals nothing; the date's person is junior; nobody is in c
    // or A (strings by bytes); the org without an id cannot be judged. 1 == 1.0, -0.0 == 0, the
    // list [a] equals [a], and 2^53 + 1 (an integer) equals the number 2^53 as a double.
    CHECK(subjects(r.rules[0]) == std::vector<std::string>{"fail d.orgs[1]", "fail d.orgs[5]", "fail d.orgs[6]",
                                                           "undetermined d.orgs[9]", "fail d.orgs[11]",
                                                           "fail d.orgs[15]"});
  }
  // A missing org with a junior is absorbed by `and` (false decides); a senior without one, or an
  // element that is not a map, makes the count an error wherever the walk would meet it.
  auto odd = fast_and_walked("uses d\nrule r {\n  for each o in d.orgs\n  require count(p in d.odd where p.org == o.id and "
                             "p.s == \"junior\") == 0\n}\n",
                             grouped_yaml);
  CHECK(odd.rules[0].violations.size() == 16);
  CHECK(odd.rules[0].violations[0].kind == outcome::undetermined);
}

TEST_CASE("grouped filters in every binder form give the walk's answers") {
  const std::vector<std::string> requires_ = {
      "count(p in L where K and p.s == \"senior\") >= 1",
      "any p in L where K: p.m > 2",
      "all p in L where K: p.m > 0.5",
      "none p in L where K: p.s == \"junior\"",
      "sum(p.m for p in L where K) < 5",
      "avg(p.m for p in L where K) < 2",
      "min(p.m for p in L where K) >= 1",
      "max(p.m for p in L where K and p.m > 0) < 4",
      "[p.m for p in L where K] != [3, 0.1]",
      "count([p.s for p in L where K and p.m < o.n]) < 2",
      // The grouped test not first: no index, the same answers.
      "count(p in L where p.s == \"senior\" and K) >= 1",
      // The probe missing or an error: the walk.
      "count(p in L where p.org == o.nope and p.s == \"senior\") == 0",
      "count(p in L where p.org == o.id + 1 and p.s == \"senior\") == 0",
      // A computed key: strings the evaluation made are always visited.
      "count(p in L where lower(p.org) == o.id) >= 1",
      "count(p in L where (p.org ?? \"a\") == o.id) >= 1",
      "count(p in L where p.m * 2 == o.n) >= 1",
      // Nested grouped filters, the inner one's probe read from the outer one's element.
      "all q in d.orgs where q.id == o.id: count(p in L where p.org == q.id) >= 1",
      "count(p in L where K and any r in L where r.org == p.org: r.m > p.m) >= 1",
      // A constant probe, asked again for each organisation: grouped from the second time on.
      "count(p in L where p.s == \"senior\" and p.m < o.n) >= 1",
      "any p in L where true == p.s: p.m < o.n",
  };
  for (const char* list : {"d.people", "d.odd", "d.empty"}) {
    for (const char* key : {"p.org == o.id", "o.id == p.org"}) {
      for (auto rq : requires_) {
        for (auto at = rq.find('L'); at != std::string::npos; at = rq.find('L', at)) rq.replace(at, 1, list);
        for (auto at = rq.find('K'); at != std::string::npos; at = rq.find('K', at)) rq.replace(at, 1, key);
        INFO(rq);
        fast_and_walked("uses d\nrule r {\n  for each o in d.orgs\n  require " + rq + "\n}\n", grouped_yaml);
      }
      // `for each` steps with a grouped filter, and a step under a step.
      const std::string L = list, K = key;
      fast_and_walked("uses d\nrule r {\n  for each o in d.orgs\n  for each p in " + L + " where " + K +
                          "\n  require p.s == \"senior\"\n}\n",
                      grouped_yaml);
      fast_and_walked("uses d\nrule r {\n  for each o in d.orgs\n  for each p in " + L + " where " + K +
                          " and p.m > 1\n  for each q in d.orgs where q.id == p.org\n  require q.n > p.m\n}\n",
                      grouped_yaml);
      fast_and_walked("uses d\nrule r {\n  for each o in d.orgs\n  for each p in " + L +
                          " where p.s == \"senior\" and p.m < 3\n  require p.org != o.id\n}\n",
                      grouped_yaml);
    }
  }
}

TEST_CASE("grouped aggregates and steps, checked by hand") {
  auto sum = fast_and_walked("uses d\nrule r {\n  for each o in d.orgs where has(o.id) and (o.id == \"a\" or o.id == 1)\n"
                             "  require sum(p.m for p in d.people where p.org == o.id) < 3\n}\n",
                             grouped_yaml);
  // a: 3 + 0.1 + 0.2, in document order; 1 and 1.0: 1.5 + 8.
  REQUIRE(sum.rules[0].violations.size() == 3);
  CHECK(sum.rules[0].violations[0].message ==
        "expected sum(p.m for p in d.people where p.org == o.id) < 3, but sum(p.m for p in d.people where p.org == "
        "o.id) is 3.3");
  CHECK(sum.rules[0].violations[1].subject == "d.orgs[2]");
  auto steps = fast_and_walked("uses d\nrule r {\n  for each o in d.orgs where has(o.id)\n  for each p in d.people where p.org == o.id\n"
                               "  require p.s == \"senior\"\n}\n",
                               grouped_yaml);
  // The juniors, each under every organisation equal to its org.
  std::vector<std::string> got;
  for (const auto& v : steps.rules[0].violations) got.push_back(v.subject);
  CHECK(got == std::vector<std::string>{"d.orgs[0], d.people[14]", "d.orgs[1], d.people[1]", "d.orgs[2], d.people[10]",
                                        "d.orgs[3], d.people[10]", "d.orgs[6], d.people[7]"});
  auto all = fast_and_walked("uses d\nrule r {\n  for each o in d.orgs where has(o.id)\n  require all p in d.people where p.org == o.id: "
                             "p.s == \"senior\"\n}\n",
                             grouped_yaml);
  REQUIRE(all.rules[0].violations.size() == 5);
  CHECK(all.rules[0].violations[0].message ==
        "expected all p in d.people where p.org == o.id: p.s == \"senior\", but d.people[14] does not");
}
