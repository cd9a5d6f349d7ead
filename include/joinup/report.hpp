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

}  // namespace joinup
