// Formatting evaluation results: the text and JSON forms of `joinup check`. Pure functions of
// the results and the rule metadata (policy::rules()), returning text.
#pragma once

#include <string>
#include <vector>

#include "joinup/policy.hpp"
#include "joinup/result.hpp"

namespace joinup {

struct text_report_options {
  bool color = false;
  bool quiet = false;  // violations only, no summary line
};

// One block per violation (language spec section 6), then the summary line.
std::string to_text(const evaluation_result& r, const std::vector<rule_info>& rules,
                    const text_report_options& o = {});
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
std::string to_sarif(const check_results& run, const std::vector<rule_info>& rules);
// JUnit XML: a test suite per data file, a test case per rule (per rule and subject where it
// failed); failures carry the message and explanation, not-applicable and waived ones are skipped.
std::string to_junit(const check_results& run, const std::vector<rule_info>& rules);
// Workflow commands for CI annotations: one `::error file=F,line=L,col=C,title=RULE::MESSAGE`
// line per violation (warning, notice by severity), escaped as the workflow-command rules say.
std::string to_github(const check_results& run, const std::vector<rule_info>& rules);
// One self-contained HTML page for a partnership board: no scripts, no external resources.
std::string to_html(const check_results& run, const std::vector<rule_info>& rules);

}  // namespace joinup
