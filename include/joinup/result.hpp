// What an evaluation produces: an outcome per rule and, per violation, every field of the
// language specification's section 6. Plain data, safe to copy and keep after the policy is gone.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "joinup/document.hpp"

namespace joinup {

enum class outcome : std::uint8_t { pass, fail, undetermined, not_applicable };
enum class severity : std::uint8_t { error, warning, info };

constexpr std::string_view to_string(outcome o) {
  switch (o) {
    case outcome::pass: return "pass";
    case outcome::fail: return "fail";
    case outcome::undetermined: return "undetermined";
    case outcome::not_applicable: return "not-applicable";
  }
  return "pass";
}
constexpr std::string_view to_string(severity s) {
  switch (s) {
    case severity::error: return "error";
    case severity::warning: return "warning";
    case severity::info: return "info";
  }
  return "error";
}
// error > warning > info: `at_least(s, threshold)`.
constexpr bool at_least(severity s, severity threshold) {
  return static_cast<int>(s) <= static_cast<int>(threshold);
}

// One sub-expression of a failing require and the value it had, as in a power assert.
struct explanation_entry {
  std::string expression;  // source text: leaver.replacement.scope
  std::string value;       // rendered value: "single-organisation"
};

struct violation {
  std::string rule_id;  // full id: integration.workforce.senior-leaver-replacement
  joinup::severity severity = severity::error;
  outcome kind = outcome::fail;  // fail, or undetermined when the subject could not be judged
  std::string message;           // rendered message, or the automatic one
  std::string subject;           // path: partnership.leavers[3]; "" for the document root
  std::string data_origin;       // the data file
  source_position data_position; // of the subject in the data file (see docs/language.md)
  std::string rule_origin;       // the rule file
  source_position rule_position; // of the failing require
  std::string clause = "require"; // the clause that failed or could not be judged: require, where, when, for each
  std::string require_text;      // source text of that clause's expression
  std::vector<explanation_entry> explanation;
  std::string remedy;            // the rule's remedy, interpolated for this subject ("" if none)
};

struct rule_result {
  std::uint32_t rule_index = 0;  // into policy::rules()
  std::string rule_id;
  joinup::severity severity = severity::error;
  outcome result = outcome::pass;
  std::uint32_t subjects = 0;  // how many subjects were judged
  std::vector<violation> violations;  // failing and undetermined subjects, in document order
};

struct summary {
  std::uint32_t rules = 0, passed = 0, failed = 0, undetermined = 0, not_applicable = 0;
  std::uint32_t violations = 0;                  // failing subjects
  std::uint32_t undetermined_subjects = 0;       // subjects that could not be judged
  std::uint32_t failed_by_severity[3] = {0, 0, 0};  // rules that failed, by severity
};

struct evaluation_result {
  std::string data_origin;
  joinup::date as_of;
  bool undetermined_fails = true;  // the option this result was evaluated with
  std::vector<rule_result> rules;

  joinup::summary summary() const {
    joinup::summary s;
    for (const auto& r : rules) {
      ++s.rules;
      switch (r.result) {
        case outcome::pass: ++s.passed; break;
        case outcome::fail:
          ++s.failed;
          ++s.failed_by_severity[static_cast<int>(r.severity)];
          break;
        case outcome::undetermined: ++s.undetermined; break;
        case outcome::not_applicable: ++s.not_applicable; break;
      }
      for (const auto& v : r.violations) (v.kind == outcome::fail ? s.violations : s.undetermined_subjects)++;
    }
    return s;
  }

  // Whether any violation at or above the threshold counts as failing (undetermined ones count
  // unless the evaluation was told to treat them as passing).
  bool fails_at(severity threshold) const {
    for (const auto& r : rules)
      for (const auto& v : r.violations)
        if (at_least(v.severity, threshold) && (v.kind == outcome::fail || undetermined_fails)) return true;
    return false;
  }
};

}  // namespace joinup
