// Adding up the summaries of several data files, for the combined summary line of
// `joinup check a.yaml b.yaml` and the top-level summary of the JSON report.
#pragma once

#include <vector>

#include "joinup/result.hpp"

namespace joinup::report {

inline void add(joinup::summary& into, const joinup::summary& s) { into += s; }

inline joinup::summary combined_summary(const std::vector<evaluation_result>& results) {
  joinup::summary total;
  for (const auto& r : results) add(total, r.summary());
  return total;
}

}  // namespace joinup::report
