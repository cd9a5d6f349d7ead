// The evaluation options the tests use: a fixed as-of date, so that results do not depend on the
// day the suite runs.
#pragma once

#include "joinup/policy.hpp"

inline joinup::evaluate_options fixed_date() {
  joinup::evaluate_options o;
  o.as_of = joinup::date::parse("2026-11-21");
  return o;
}
