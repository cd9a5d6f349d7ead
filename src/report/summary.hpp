// Adding up the summaries of several data files, for the combined summary line of
// `joinup check a.yaml b.yaml` and the top-level summary of the JSON report.
#pragma once

#include <vector>

#include "joinup/result.hpp"

namespace joinup::report {

inline void add(joinup::summary& into, const joinup::summary& s) {
  into.rules += s.rules;
  into.passed += s.passed;
  into.failed += s.failed;
  into.undetermined += s.undetermined;
  into.not_applicable += s.not_applicable;
  into.violations += s.violations;
  into.undetermined_subjects += s.undetermined_subjects;
  for (int i = 0; i < 3; ++i) into.failed_by_severity[i] += s.failed_by_severity[i];
}

inline joinup::summary combined_summary(const std::vector<evaluation_result>& results) {
  joinup::summary total;
  for (const auto& r : results) add(total, r.summary());
  return total;
}

}  // namespace joinup::report
