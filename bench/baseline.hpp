// The hand-written baseline: the eight workload checks as plain loops over a simdjson DOM, and the
// same findings read out of a joinup evaluation, so that the two can be compared element by element.
#pragma once

#include <simdjson.h>

#include <array>
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

// The general shapes of bench/shapes.jup, S1-S6: for each, the indexes of the violating elements
// (organisations, budgets, leavers, organisations, people, people), in the order the rules report them.
struct shape_findings {
  std::array<std::vector<std::uint32_t>, 6> s;

  bool operator==(const shape_findings&) const = default;
  std::size_t total() const {
    std::size_t t = 0;
    for (const auto& v : s) t += v.size();
    return t;
  }
};

// Runs shape `which` (1..6), or all of them for 0, over the document's root.
shape_findings baseline_shapes(simdjson::dom::element root, int which = 0);
// The same from joinup (rules shapes.s1 .. shapes.s6), rendered or found.
shape_findings engine_shape_findings(const evaluation_result& result);
shape_findings engine_shape_findings(const joinup::findings& found, const policy& policy, const document& doc);
std::string describe(const shape_findings& f);

}  // namespace joinup::bench
