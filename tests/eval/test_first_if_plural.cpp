// first(x in xs where f), if … then … else …, and plural(): every example of their sections of
// docs/language.md, quoted verbatim, end to end (rule text + YAML data -> outcome and message).
// The grouped index's equivalence with the plain walk for `first` is in test_fast_paths.cpp.
#include <catch2/catch.hpp>

#include "run_rules.hpp"

using namespace joinup;
using namespace joinup_test;

namespace {

// `expr` has the value written as `expected` (a literal) over `yaml`.
void value_is(const std::string& expr, const std::string& yaml, const std::string& expected) {
  INFO(expr << " == " << expected);
  auto r = run("uses d\nrule r {\n  require (" + expr + ") == " + expected + "\n}\n", yaml);
  REQUIRE(r.rules.size() == 1);
  std::string why = r.rules[0].violations.empty() ? "" : r.rules[0].violations[0].message;
  INFO(why);
  CHECK(r.rules[0].result == outcome::pass);
}

// `expr` makes the subject undetermined over `yaml`, with `message`.
void undetermined(const std::string& expr, const std::string& yaml, const std::string& message) {
  INFO(expr);
  auto r = run("uses d\nrule r {\n  require (" + expr + ") == null\n}\n", yaml);
  REQUIRE(r.rules.size() == 1);
  CHECK(r.rules[0].result == outcome::undetermined);
  REQUIRE(r.rules[0].violations.size() == 1);
  CHECK(r.rules[0].violations[0].message == message);
}

const std::string orgs =
    "d: {orgs: [{id: a, name: Alpha}, {id: b, name: Beta}, {id: c, name: Gamma, pooled: true}], ns: [3, 1, 2]}";

}  // namespace

// docs/language.md §5, "`first` — the first element that passes".
TEST_CASE("first: the examples of its section") {
  value_is(R"(first(o in d.orgs where o.id == "b").name)", orgs, R"("Beta")");
  value_is(R"(first(o in d.orgs where o.id == "x").name ?? "x")", orgs, R"("x")");
  value_is(R"(first(o in d.orgs where has(o.pooled)).id)", orgs, R"("c")");
  value_is(R"(first(x in d.ns where x < 3))", orgs, "1");
  value_is(R"(first(x in d.ns))", orgs, "3");
  value_is(R"(first(x in []) ?? 0)", orgs, "0");
  undetermined(R"(first(o in d.orgs where o.id == "x").name)", orgs, R"(no element of d.orgs has id == "x")");
  undetermined(R"(first(x in d.ns where x > 5))", orgs, R"(no element of d.ns has x > 5)");
  undetermined(R"(first(x in []))", orgs, R"([] is empty)");
  undetermined(R"(first(o in d.orgs where o.pooled).id)", orgs, R"(d.orgs[0].pooled is missing)");
}

TEST_CASE("first: the lookup by id inside for each, and its load-time errors") {
  const std::string rule = R"(uses partnership
rule member-organisation-named {
  for each p in partnership.people
  require first(o in partnership.organisations where o.id == p.org).name != ""
  message "{p.name} works for {first(o in partnership.organisations where o.id == p.org).name ?? p.org}"
}
)";
  const std::string data = R"(partnership:
  organisations: [{id: north, name: Northvale}, {id: east, name: ""}]
  people: [{name: Ann, org: north}, {name: Bob, org: east}, {name: Cy, org: eastmore-council}]
)";
  auto r = run(rule, data);
  REQUIRE(r.rules.size() == 1);
  REQUIRE(r.rules[0].violations.size() == 2);
  CHECK(r.rules[0].violations[0].kind == outcome::fail);
  CHECK(r.rules[0].violations[0].message == "Bob works for ");
  CHECK(r.rules[0].violations[1].kind == outcome::undetermined);
  CHECK(r.rules[0].violations[1].message == R"(no element of partnership.organisations has id == "eastmore-council")");

  CHECK(diagnostics_of("uses d\nrule r {\n  require first(o.name for o in d.orgs) == 1\n}\n") ==
        std::vector<std::string>{"3:11 'first' takes a name to bind, not an expression before 'for' | write "
                                 "first(o in ... where ...) and take the field after it, as in first(o in ...).name"});
  CHECK(diagnostics_of("uses d\nrule r {\n  require first(d.orgs) == 1\n}\n") ==
        std::vector<std::string>{"3:11 'first' takes a name to bind, an 'in' and a list | usage: first(o in "
                                 "partnership.organisations where o.id == id)"});
}

TEST_CASE("first: a where error before the first match is the whole first's error, after it none") {
  const std::string data = "d: {xs: [{k: 1}, {}, {k: 2}]}";
  undetermined("first(x in d.xs where x.k == 2)", data, "d.xs[1].k is missing");
  value_is("first(x in d.xs where x.k == 1).k", data, "1");
}

// docs/language.md §5, "`if … then … else`".
TEST_CASE("if then else: the examples of its section") {
  const std::string d = "d: {n: 3, x: {}, done: true}";
  value_is(R"(if d.n > 1 then "many" else "one")", d, R"("many")");
  value_is(R"(if has(d.x.y) then d.x.y else 0)", d, "0");
  value_is(R"(if d.done then "was replaced" else "is being refilled")", d, R"("was replaced")");
  value_is(R"(if d.n > 5 then "big" else if d.n > 2 then "middling" else "small")", d, R"("middling")");
  value_is(R"(if true then 1 else 1 / 0)", d, "1");
  undetermined(R"(if d.n then 1 else 2)", d, R"('if' needs true or false, but d.n is 3)");
  undetermined(R"(if d.gone then 1 else 2)", d, R"(d.gone is missing (did you mean 'done'?))");

  const auto no_else = diagnostics_of("uses d\nrule r {\n  require if d.n > 1 then \"many\"\n}\n");
  REQUIRE(no_else.size() == 1);
  CHECK(no_else[0].starts_with("4:1 expected 'else' (as in 'if c then a else b')"));
}

TEST_CASE("if then else: only the chosen branch runs, and an explanation shows the condition") {
  const std::string d = "d: {n: 3, x: {}}";
  value_is("if d.n > 1 then d.n else d.x.y.z", d, "3");
  value_is("if d.n < 1 then d.x.y.z else d.n", d, "3");
  auto r = run("uses d\nrule r {\n  require if d.n > 1 then d.n > 5 else true\n}\n", d);
  REQUIRE(r.rules[0].violations.size() == 1);
  bool condition_shown = false;
  for (const auto& e : r.rules[0].violations[0].explanation)
    condition_shown = condition_shown || (e.expression == "d.n > 1" && e.value == "true");
  CHECK(condition_shown);
}

// docs/language.md §6, `plural`.
TEST_CASE("plural: the examples of its section") {
  const std::string d = "d: {}";
  value_is(R"(plural(1, "member"))", d, R"("1 member")");
  value_is(R"(plural(22, "member"))", d, R"("22 members")");
  value_is(R"(plural(1, "person", "people"))", d, R"("1 person")");
  value_is(R"(plural(2, "person", "people"))", d, R"("2 people")");
  value_is(R"(plural(0, "organisation"))", d, R"("0 organisations")");
  value_is(R"(plural(-1, "day"))", d, R"("-1 day")");
  value_is(R"(plural(4.0, "member"))", d, R"("4 members")");
  undetermined(R"(plural(2.5, "member"))", d, R"(plural() needs a whole number, but 2.5 is 2.5)");
  undetermined(R"(plural("3", "member"))", d, R"(plural() needs a whole number, but "3" is "3")");
  undetermined(R"(plural(3, 4))", d, R"(plural() needs a string, but 4 is 4)");
  CHECK(diagnostics_of("uses d\nrule r {\n  require plural(3) == \"\"\n}\n") ==
        std::vector<std::string>{"3:11 'plural' takes 2 or 3 arguments, but 1 was given | usage: plural(n, "
                                 "\"member\") or plural(n, \"person\", \"people\")"});
}
