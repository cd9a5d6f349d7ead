// Waivers (language spec section 10): accepted exceptions to rules, read from a YAML or JSON file
// and applied to evaluation results. A waived violation is still reported, marked waived, and does
// not fail the check; an expired waiver no longer waives and is itself reported; a waiver that
// matches nothing is reported as unused.
//
// The file:
//
//   waivers:
//     - rule: integration.workforce.senior-leaver-replacement   # full rule id (required)
//       subject: "partnership.leavers[3]"     # optional: without it every subject of the rule
//       reason: "Interim cover while the joint post is advertised"   # required
//       approved_by: "Joint Committee, 2026-10-02"                  # optional
//       expires: 2027-03-31                                         # optional: YYYY-MM-DD
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "joinup/document.hpp"
#include "joinup/policy.hpp"
#include "joinup/result.hpp"

namespace joinup {

// Reads a waivers file: YAML, or JSON when the name ends in .json. Throws joinup::error with every
// problem found, each with the file, line and column: a file that is missing or does not parse, an
// unknown key (with a suggestion), a waiver without `rule` or `reason`, a value of the wrong type,
// an `expires` that is not a date. The file must be a regular file of at most `max_bytes` bytes;
// at most max_bytes + 1 bytes are read.
std::vector<waiver> load_waivers_file(const std::string& path, std::uint64_t max_bytes = load_options{}.max_bytes);
// The same for text held in memory; `origin` names it in diagnostics and in waivers.
std::vector<waiver> load_waivers(std::string_view text, std::string origin);

// Applies waivers to the results of one run (one result per data file): each violation gets the
// waiver that matches it — same full rule id and, when the waiver names a subject, the same
// subject path — preferring, when several match, the first that has not expired at the result's
// as-of date. Returns what became of each waiver, in the order given. `rules` is the rule set the
// results came from: a waiver whose rule the set lacks is unused (with a suggestion), one whose
// rule was not evaluated (--only, --tag) is not_evaluated. Results evaluated earlier are
// re-annotated from scratch, so applying twice gives the same answer.
std::vector<waiver_status> apply_waivers(std::span<evaluation_result> results, const std::vector<waiver>& waivers,
                                         const std::vector<rule_info>& rules);

}  // namespace joinup
