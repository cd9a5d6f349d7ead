// summary::failing_subjects and its deprecated name: one number under both names, counting the
// failing violations only (undetermined ones are undetermined_subjects).
#include <catch2/catch.hpp>

#include "joinup/result.hpp"

TEST_CASE("summary::failing_subjects counts failing violations, and the old name reads the same number") {
  joinup::evaluation_result r;
  joinup::rule_result rule;
  rule.result = joinup::outcome::fail;
  joinup::violation fail, undetermined;
  fail.kind = joinup::outcome::fail;
  undetermined.kind = joinup::outcome::undetermined;
  rule.violations = {fail, fail, undetermined};
  r.rules.push_back(rule);
  auto s = r.summary();
  CHECK(s.failing_subjects == 2);
  CHECK(s.undetermined_subjects == 1);
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif
  CHECK(s.violations == 2);
  s.violations = 5;
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
  CHECK(s.failing_subjects == 5);
  joinup::summary total;
  total += s;
  total += s;
  CHECK(total.failing_subjects == 10);
}
