// Constant folding at load (plan/): operands made of constants are computed once when the rules
// are lowered, and give the same results as when computed during the evaluation.
#include <catch2/catch.hpp>

#include "run_rules.hpp"

using namespace joinup;
using namespace joinup_test;

TEST_CASE("constant operands are folded at load, with the same results") {
  CHECK(expr_outcome("lower(\"ABC\") == \"abc\" and 2 * 3 + 1 == 7 and @2026-01-02 > @2026-01-01") == outcome::pass);
  CHECK(expr_outcome("percent(0.5) == \"50%\"") == outcome::pass);
  // A constant error is not folded away: it is still reported, when the rule runs.
  auto r = run("uses d\nrule r { require 1 / 0 > 1 }", "d: {}");
  REQUIRE(r.rules[0].violations.size() == 1);
  CHECK(r.rules[0].violations[0].message == "division by zero: 1 / 0");
}
