// Formatting evaluation results: the text and JSON forms of `joinup check`. Pure functions of
// the results and the rule metadata (policy::rules()), returning text.
#pragma once

#include <string>
#include <vector>

#include "joinup/policy.hpp"
#include "joinup/result.hpp"

namespace joinup {

// A finding's fingerprint: 32 hex digits hashed from its rule id, its subject's stable identity
// (violation::subject_key, else its path) and its data file's path (lexically normal), so that it
// survives edits elsewhere in the file. SARIF's partialFingerprints and baselines use it.
std::string fingerprint(const violation& v);

struct text_report_options {
  bool color = false;
  bool quiet = false;   // violations only, no summary line
  bool errors = false;  // the diagnostics of the data files that could not be checked, too
  // The reader's view (`--view board`): each finding as its rule's title, its message and its
  // remedy, without the evaluator's working (rule ids, the require and the values it saw).
  bool board = false;
  // Before the summary, every rule of every file with its outcome and how many subjects it judged
  // ("plan.yaml: pass integration.x (12 subjects)").
  bool verbose = false;
};
// With a baseline: "against the baseline: 2 new, 9 unchanged, 1 resolved".
std::string baseline_line(const check_results& run);
// Under the summary when some rules judged no subject at all (check_results::unjudged_rules):
// "1 rule judged no subject (its list was empty or its filter matched nothing): pkg.rule".
std::string unjudged_line(const std::vector<std::string>& rule_ids);

// One block per violation (language spec section 6), then the summary line.
std::string to_text(const evaluation_result& r, const std::vector<rule_info>& rules, const text_report_options& o = {});
// A whole run: each file's blocks in order, then a block per unused or expired waiver, then one
// summary line for every file.
std::string to_text(const check_results& run, const std::vector<rule_info>& rules, const text_report_options& o = {});
// The summary line: "3 rules failed (2 errors, 1 warning), 1 undetermined, 11 passed, 1 waived".
std::string summary_line(const joinup::summary& s);
// The stable JSON document described in docs/json-output.md: one entry per data file checked.
std::string to_json(const std::vector<evaluation_result>& results, const std::vector<rule_info>& rules);
std::string to_json(const check_results& run, const std::vector<rule_info>& rules);

// SARIF 2.1.0: one run, a result per violation located in its data file, the rules' metadata
// under tool.driver.rules, waived violations as suppressions (docs/ci.md).
struct sarif_options {
  // Rule files inside this folder (the repository; "" is the current folder) are located by their
  // path relative to it; others relative to the rule folder they were loaded from (`rule_dirs`),
  // under the uriBaseId JOINUP_RULES, so that no path of the machine that ran the check shows.
  std::string rules_root;
  std::vector<std::string> rule_dirs;
};
std::string to_sarif(const check_results& run, const std::vector<rule_info>& rules, const sarif_options& o = {});
// JUnit XML: a test suite per data file, a test case per rule (per rule and subject where it
// failed); failures carry the message and explanation, not-applicable and waived ones are skipped.
std::string to_junit(const check_results& run, const std::vector<rule_info>& rules);
// Workflow commands for CI annotations: one `::error file=F,line=L,col=C,title=RULE::MESSAGE`
// line per violation (warning, notice by severity), escaped as the workflow-command rules say.
struct github_options {
  // GitHub shows at most 10 annotations of each kind (error, warning, notice) per step and 50 per
  // job: the most severe findings up to those limits, then one notice saying how many more there
  // are and where the full report is (`full_report`, when given).
  std::size_t per_kind = 10;
  std::size_t total = 50;
  std::string full_report;
};
std::string to_github(const check_results& run, const std::vector<rule_info>& rules, const github_options& o = {});
// One self-contained HTML page for a partnership board: no scripts, no external resources.
struct html_options {
  // The reader's view: the evaluator's working (rule id and file, the require and the values it
  // saw) folded away under each finding, one click away; open by default.
  bool board = false;
  // Rule files are shown relative to the rule folder (or file) they were loaded from, never by a
  // path of the machine that ran the check; a file in none of them by its name alone.
  std::vector<std::string> rule_dirs;
};
std::string to_html(const check_results& run, const std::vector<rule_info>& rules, const html_options& o = {});
// GitHub-flavoured Markdown for a job summary or a merge-request comment: the counts, then the
// findings grouped by severity in collapsible <details> sections, at most `max_bytes` in all
// (GitHub's step-summary limit is 1 MiB): findings past that are counted, not shown.
std::string to_markdown(const check_results& run, const std::vector<rule_info>& rules,
                        std::size_t max_bytes = 1024 * 1024 - 1024);
// GitLab Code Quality JSON: an array of issues (description, check_name, fingerprint, severity,
// location.path and location.lines.begin), so that findings show in merge requests.
std::string to_codequality(const check_results& run, const std::vector<rule_info>& rules);

}  // namespace joinup
