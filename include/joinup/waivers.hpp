// Waivers (language spec section 10): accepted exceptions to rules, read from a YAML or JSON file
// and applied to evaluation results. A waived violation is still reported, marked waived, and does
// not fail the check; an expired waiver no longer waives and is itself reported; a waiver that
// matches nothing is reported as unused.
//
// The file:
//
//   waivers:
//     - rule: integration.workforce.senior-leaver-replacement   # full rule id (required)
//       file: plans/northvale.yaml          # the data file(s) it is for: `file: PATH-OR-GLOB` or
//                                           # `files: [...]`, relative to the waivers file
//       subject: "partnership.leavers[name=Karen Whiteley]"   # optional: without it every subject
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
// waiver that matches it — a waiver for its data file (see waiver::files), the same full rule id
// and, when the waiver names a subject, the same subject (by violation::subject_key, or, for a
// release, by position, which fills waiver_status::stable_subject) — preferring, when several match, the first that has
// not expired at the result's as-of date. Returns what became of each waiver, in the order given. `rules` is the rule
// set the results came from: a waiver whose rule the set lacks is unused (with a suggestion), one whose rule was not
// evaluated (--only, --tag) is not_evaluated. Results evaluated earlier are re-annotated from scratch, so applying
// twice gives the same answer. Throws joinup::error (code `ambiguous-waiver`, one diagnostic per waiver at its
// file:line:col) when more than one data file is checked and a waiver names none of them.
std::vector<waiver_status> apply_waivers(std::span<evaluation_result> results, const std::vector<waiver>& waivers,
                                         const std::vector<rule_info>& rules);
// The check apply_waivers starts with, for a host that wants to refuse before evaluating:
// joinup::error when `data_files` is more than one and a waiver names no data file.
void check_waiver_files(const std::vector<waiver>& waivers, std::size_t data_files);
// Whether a waiver is for the data file `data_origin` (a path as given, relative to the current
// folder): it names no file, or one of its paths or globs, taken from the waivers file's folder,
// is that file.
bool waiver_covers(const waiver& w, std::string_view data_origin);

// The stable identity of the node at `path` (as document::path writes it) in `doc`: the path with
// each list index replaced by the element's `id`, else its `name` (a string, whole number or date
// that no other element of the list shares): partnership.leavers[name=Karen Whiteley],
// partnership.organisations[id=dales-icb].sites[0]. A value with a bracket, quote, backslash,
// control character or space at either end is written quoted: [name="A ]B"]. A path that does not
// resolve (a computed subject) is returned as it is.
std::string subject_identity(const document& doc, std::string_view path);
// Sets violation::subject_key of every violation of `r`, which was evaluated against `doc`.
void identify_subjects(evaluation_result& r, const document& doc);

}  // namespace joinup
