// evaluate_options::count_clauses (`joinup test --coverage`): how often each `when`, `where` and
// `require` held, failed or could not be judged, counted by hand for each rule below; and the same
// outcomes and findings as an evaluation without counting, over the kernel and grouped filters
// whose elements the fast paths skip.
#include <catch2/catch.hpp>

#include "run_rules.hpp"

using namespace joinup;
using namespace joinup_test;

namespace {

evaluate_options counting() {
  auto o = fixed_date();
  o.count_clauses = true;
  return o;
}

// "clause text: held/failed/undetermined", for one assertion per rule.
std::vector<std::string> counts_of(const rule_result& r) {
  std::vector<std::string> out;
  for (const auto& c : r.clauses)
    out.push_back(c.clause + " " + c.text + " @" + std::to_string(c.position.line) + ":" +
                  std::to_string(c.position.column) + ": " + std::to_string(c.held) + "/" + std::to_string(c.failed) +
                  "/" + std::to_string(c.undetermined));
  return out;
}

// Counting changes no outcome, subject count or finding.
void same_outcomes(const evaluation_result& counted, const evaluation_result& plain) {
  REQUIRE(counted.rules.size() == plain.rules.size());
  for (std::size_t i = 0; i < plain.rules.size(); ++i) {
    INFO(plain.rules[i].rule_id);
    CHECK(counted.rules[i].result == plain.rules[i].result);
    CHECK(counted.rules[i].subjects == plain.rules[i].subjects);
    REQUIRE(counted.rules[i].violations.size() == plain.rules[i].violations.size());
    for (std::size_t j = 0; j < plain.rules[i].violations.size(); ++j) {
      CHECK(counted.rules[i].violations[j].subject == plain.rules[i].violations[j].subject);
      CHECK(counted.rules[i].violations[j].message == plain.rules[i].violations[j].message);
    }
    CHECK(plain.rules[i].clauses.empty());
  }
}

const std::string teams = R"(d:
  on: true
  teams:
    - {id: a, kind: care, staff: 12, lead: x}
    - {id: b, kind: care, staff: 4}
    - {id: c, kind: housing, staff: 15}
    - {id: d, kind: 7, staff: 3}
    - {id: e, kind: care}
  orgs: [{id: x}, {id: y}]
  members: [{org: x}, {org: y}, {org: x}, {org: z}]
)";

}  // namespace

TEST_CASE("count_clauses: when, where and each require, in order") {
  const std::string rules = R"(uses d
rule r {
  when d.on
  for each t in d.teams
    where t.kind == "care"
  require t.staff >= 10
  require has(t.lead)
}
)";
  const auto counted = run(rules, teams, counting());
  REQUIRE(counted.rules.size() == 1);
  // where: a, b, e care (true); c housing (false); d's kind 7 == "care" is false, not an error.
  // First require over a, b, e: a passes, b fails, e's staff is missing (undetermined).
  // Second require reached by a alone: it passes.
  CHECK(counts_of(counted.rules[0]) == std::vector<std::string>{
                                           "when d.on @3:8: 1/0/0",
                                           "where t.kind == \"care\" @5:11: 3/2/0",
                                           "require t.staff >= 10 @6:11: 1/1/1",
                                           "require has(t.lead) @7:11: 1/0/0",
                                       });
  same_outcomes(counted, run(rules, teams));
}

TEST_CASE("count_clauses: a when that does not hold, and one that cannot be judged") {
  const std::string rules =
      "uses d\nrule off {\n  when not d.on\n  require false\n}\nrule odd {\n  when d.teams\n"
      "  require false\n}\n";
  const auto counted = run(rules, teams, counting());
  REQUIRE(counted.rules.size() == 2);
  CHECK(counts_of(counted.rules[0]) ==
        std::vector<std::string>{"when not d.on @3:8: 0/1/0", "require false @4:11: 0/0/0"});
  CHECK(counts_of(counted.rules[1]) ==
        std::vector<std::string>{"when d.teams @7:8: 0/0/1", "require false @8:11: 0/0/0"});
  same_outcomes(counted, run(rules, teams));
}

TEST_CASE("count_clauses: a where that cannot be judged, and nested steps over a grouped filter") {
  const std::string rules = R"(uses d
rule nested {
  for each o in d.orgs
  for each m in d.members
    where m.org == o.id
  require o.id == "x"
}
rule undecided {
  for each t in d.teams
    where t.staff > 10
  require true
}
)";
  const auto counted = run(rules, teams, counting());
  REQUIRE(counted.rules.size() == 2);
  // 2 orgs x 4 members = 8 filter tests; x matches 2 members, y matches 1.
  CHECK(counts_of(counted.rules[0]) ==
        std::vector<std::string>{"where m.org == o.id @5:11: 3/5/0", "require o.id == \"x\" @6:11: 2/1/0"});
  // staff 12, 15 are over 10; 4 and 3 are not; e has no staff (undetermined).
  CHECK(counts_of(counted.rules[1]) ==
        std::vector<std::string>{"where t.staff > 10 @10:11: 2/2/1", "require true @11:11: 2/0/0"});
  same_outcomes(counted, run(rules, teams));
}

TEST_CASE("count_clauses: with a step budget, and in YAML rule files at the expression's column") {
  auto o = counting();
  o.max_steps = 100000;
  const std::string rules =
      "uses d\nrule r {\n  for each t in d.teams\n    where t.kind == \"care\"\n"
      "  require t.staff >= 10\n}\n";
  const auto counted = run(rules, teams, o);
  CHECK(counts_of(counted.rules[0]) ==
        std::vector<std::string>{"where t.kind == \"care\" @4:11: 3/2/0", "require t.staff >= 10 @5:11: 1/1/1"});

  const std::string yaml_rules = R"(package: y
uses: [d]
rules:
  - id: r
    for_each: t in d.teams
    where: t.kind == "care"
    require: t.staff >= 10
)";
  auto p = policy::compile({{"r.yaml", yaml_rules}});
  const auto r = p.evaluate(load_document(teams, "d.yaml"), counting());
  REQUIRE(r.rules.size() == 1);
  REQUIRE(r.rules[0].clauses.size() == 2);
  CHECK(r.rules[0].clauses[0].text == "t.kind == \"care\"");
  CHECK(r.rules[0].clauses[0].position.line == 6);
  CHECK(r.rules[0].clauses[0].position.column == 12);
  CHECK(r.rules[0].clauses[1].position.line == 7);
  CHECK(r.rules[0].clauses[1].position.column == 14);
}
