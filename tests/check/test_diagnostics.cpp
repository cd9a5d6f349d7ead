// The checker's diagnostics (spec section 11): unknown names and functions with did-you-mean,
// arity, names bound twice or out of scope, and a rule set refused whole with every error in order.
#include <catch2/catch.hpp>

#include "run_rules.hpp"

using namespace joinup;
using namespace joinup_test;

TEST_CASE("load-time errors: unknown names and functions with did-you-mean, arity, undeclared names") {
  auto d = diagnostics_of(
      "uses partnership\nrule r {\n  for each leaver in partnership.leavers\n"
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
  auto d = diagnostics_of(
      "uses d\nrule r {\n  for each t in d.teams\n  let a = size + 1\n  let size = 2\n  require a > 0 }");
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
    policy::compile(
        {{"a.jup", "rule ok { require true }"}, {"b.jup", "rule r { require nope }\nrule s { require also }"}});
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

TEST_CASE("too few arguments for a function that takes a list or several values") {
  auto d = diagnostics_of("rule r { require max() == 1 }");
  REQUIRE(d.size() == 1);
  CHECK(d[0].rfind("1:18 'max' takes at least 1 argument, but 0 were given", 0) == 0);
}
