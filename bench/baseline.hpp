// The hand-written baseline: the eight workload checks as plain loops over a simdjson DOM, and the
// same findings read out of a joinup evaluation, so that the two can be compared element by element.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <vector>

#include "joinup/policy.hpp"

namespace joinup::bench {

// What the checks report: for R1, R3, R4 and R8 the indexes of the violating elements (leavers,
// teams, teams, organisations); for the others whether the partnership violates them.
struct findings {
  std::vector<std::uint32_t> r1, r3, r4, r8;
  bool r2 = false, r5 = false, r6 = false, r7 = false;

  bool operator==(const findings&) const = default;
  std::size_t total() const { return r1.size() + r3.size() + r4.size() + r8.size() + r2 + r5 + r6 + r7; }
};

// Runs check `which` (1..8), or all of them for 0, over the document's root.
findings baseline_check(simdjson::dom::element root, int which = 0);

// The same, from a joinup evaluation of bench/workload.jup (rules workload.r1 .. workload.r8).
findings engine_findings(const evaluation_result& result);
// The same from policy::find, without rendering any violation: the subjects' data nodes.
findings engine_findings(const joinup::findings& found, const policy& policy, const document& doc);

// "r1: 12 elements [3, 17, ...]" per check, for messages when the two disagree.
std::string describe(const findings& f);

}  // namespace joinup::bench
