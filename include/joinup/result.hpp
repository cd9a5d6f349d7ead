// What an evaluation produces: an outcome per rule and, per violation, every field of the
// language specification's section 6. Plain data, safe to copy and keep after the policy is gone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "joinup/date.hpp"
#include "joinup/diagnostic.hpp"
#include "joinup/position.hpp"

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
constexpr bool at_least(severity s, severity threshold) { return static_cast<int>(s) <= static_cast<int>(threshold); }

// One sub-expression of a failing require and the value it had, as in a power assert.
struct explanation_entry {
  std::string expression;  // source text: leaver.replacement.scope
  std::string value;       // rendered value: "single-organisation"
};

// An accepted exception from a waivers file (language spec section 10): it waives the violations
// of one rule, or of one subject of it.
struct waiver {
  std::string rule;  // full rule id
  // The subject by its stable identity (partnership.leavers[name=Karen Whiteley], see
  // violation::subject_key), or, for a release, by its position (partnership.leavers[1]);
  // "" waives every subject of the rule.
  std::string subject;
  bool whole_rule = true;  // no `subject` was given
  // The data files it is for: paths or globs (`*`, `?`, `[...]`) as written under `file` or
  // `files`, relative to `base` (the waivers file's folder). None: it is for the one data file
  // of a run that checks exactly one.
  std::vector<std::string> files;
  std::string base;
  std::string reason;
  std::string approved_by;              // "" when not given
  std::optional<joinup::date> expires;  // none: it does not lapse
  std::string origin;                   // the waivers file
  source_position position;             // of the waiver's entry in that file

  // Expired: the as-of date is after its expiry date (it still waives on the day itself).
  bool expired_at(joinup::date as_of) const { return expires && *expires < as_of; }
};

struct violation {
  std::string rule_id;  // full id: integration.workforce.senior-leaver-replacement
  joinup::severity severity = severity::error;
  outcome kind = outcome::fail;  // fail, or undetermined when the subject could not be judged
  std::string message;           // rendered message, or the automatic one
  std::string subject;           // path: partnership.leavers[3]; "" for the document root
  // The subject's stable identity: its path with each list index replaced by the element's `id`
  // or `name` (partnership.leavers[name=Karen Whiteley]), so that inserting or reordering elements
  // does not change it. Filled by identify_subjects (joinup/waivers.hpp); "" until then, when
  // `subject` stands for it.
  std::string subject_key;
  std::string data_origin;         // the data file
  source_position data_position;   // of the subject in the data file (see docs/language.md)
  std::string rule_origin;         // the rule file
  source_position rule_position;   // of the failing require
  std::string clause = "require";  // the clause that failed or could not be judged: require, where, when, for each
  std::string require_text;        // source text of that clause's expression
  std::vector<explanation_entry> explanation;
  std::string remedy;  // the rule's remedy, interpolated for this subject ("" if none)
  // The waiver that matches this violation, if any. When it has expired (`waiver_expired`) it no
  // longer waives: the violation counts as if it had none, and reports say the waiver lapsed.
  std::optional<joinup::waiver> waiver;
  bool waiver_expired = false;
  // Against a baseline (a previous report): "new" or "unchanged", by fingerprint; "" without one.
  std::string baseline;

  bool waived() const { return waiver && !waiver_expired; }
};

// How often one clause of a rule held in an evaluation, when evaluate_options::count_clauses is
// set (for `joinup test --coverage`): a `when` (once per evaluation), a `where` (once per element
// its `for each` visited) or a `require` (once per subject that reached it: the requires of a
// subject are judged in order, and the first that does not hold decides).
struct clause_count {
  std::string clause;              // "when", "where" or "require"
  std::string text;                // the condition as written
  source_position position;        // of the condition in the rule's file
  std::uint64_t held = 0;          // true: the rule applied, the element was kept, the require passed
  std::uint64_t failed = 0;        // false
  std::uint64_t undetermined = 0;  // neither true nor false: the subject could not be judged
};

struct rule_result {
  std::uint32_t rule_index = 0;  // into policy::rules()
  std::string rule_id;
  joinup::severity severity = severity::error;
  outcome result = outcome::pass;
  std::uint32_t subjects = 0;         // how many subjects were judged
  std::vector<violation> violations;  // failing and undetermined subjects, in document order
  // With evaluate_options::count_clauses: the rule's `when`, then each `where` in the order its
  // `for each` is written, then each `require`; empty otherwise, and for a rule never evaluated.
  std::vector<clause_count> clauses;

  // Every violation is waived (and there is at least one).
  bool waived() const {
    if (violations.empty()) return false;
    for (const auto& v : violations)
      if (!v.waived()) return false;
    return true;
  }
  // The outcome once waived violations are set aside: fail or undetermined by the violations that
  // are not waived; a rule whose every violation is waived keeps its outcome (see waived()).
  outcome unwaived_result() const {
    if (waived()) return result;
    bool failed = false, undetermined = false;
    for (const auto& v : violations)
      if (!v.waived()) (v.kind == outcome::fail ? failed : undetermined) = true;
    return failed ? outcome::fail : undetermined ? outcome::undetermined : result;
  }
};

// Counts of rules by outcome. A rule whose every violation is waived counts as `waived`, not as
// failed or undetermined, so passed + failed + undetermined + not_applicable + waived == rules.
struct summary {
  std::uint32_t rules = 0, passed = 0, failed = 0, undetermined = 0, not_applicable = 0;
  // Failing subjects, waived ones included. (A `violation` is a failing or an undetermined
  // subject; these are the failing ones alone, as the JSON report's "violations" counts them.)
  union {
    std::uint32_t failing_subjects = 0;
    // Its name in 0.1.0, kept for hosts written against it: it read as every violation.
    [[deprecated("use summary::failing_subjects")]] std::uint32_t violations;
  };
  std::uint32_t undetermined_subjects = 0;          // subjects that could not be judged, waived ones included
  std::uint32_t failed_by_severity[3] = {0, 0, 0};  // rules that failed, by severity
  std::uint32_t waived = 0;                         // rules whose every violation is waived
  std::uint32_t waived_violations = 0;              // violations (failing or undetermined) that are waived

  // Counts a rule that is not waived, by its outcome (and, when it failed, its severity).
  void count_rule(outcome result, severity sev) {
    switch (result) {
      case outcome::pass: ++passed; break;
      case outcome::fail:
        ++failed;
        ++failed_by_severity[static_cast<int>(sev)];
        break;
      case outcome::undetermined: ++undetermined; break;
      case outcome::not_applicable: ++not_applicable; break;
    }
  }

  summary& operator+=(const summary& o) {
    rules += o.rules;
    passed += o.passed;
    failed += o.failed;
    undetermined += o.undetermined;
    not_applicable += o.not_applicable;
    failing_subjects += o.failing_subjects;
    undetermined_subjects += o.undetermined_subjects;
    for (int i = 0; i < 3; ++i) failed_by_severity[i] += o.failed_by_severity[i];
    waived += o.waived;
    waived_violations += o.waived_violations;
    return *this;
  }
};

struct evaluation_result {
  std::string data_origin;
  // The name the document gives itself, for a reader's heading: the text under `name` at its root,
  // or under its root's only key (`partnership.name`); "" when it has none.
  std::string title;
  joinup::date as_of;
  bool undetermined_fails = true;  // the option this result was evaluated with
  std::vector<rule_result> rules;

  joinup::summary summary() const {
    joinup::summary s;
    for (const auto& r : rules) {
      ++s.rules;
      for (const auto& v : r.violations) {
        (v.kind == outcome::fail ? s.failing_subjects : s.undetermined_subjects)++;
        if (v.waived()) ++s.waived_violations;
      }
      if (r.waived()) {
        ++s.waived;
        continue;
      }
      s.count_rule(r.unwaived_result(), r.severity);
    }
    return s;
  }

  // Whether any violation at or above the threshold counts as failing (undetermined ones count
  // unless the evaluation was told to treat them as passing; waived ones, and those a baseline
  // already had, never count).
  bool fails_at(severity threshold) const {
    for (const auto& r : rules)
      for (const auto& v : r.violations)
        if (!v.waived() && v.baseline != "unchanged" && at_least(v.severity, threshold) &&
            (v.kind == outcome::fail || undetermined_fails))
          return true;
    return false;
  }
};

// What became of one waiver in a run: it waived something, matched nothing, or has expired.
enum class waiver_state : std::uint8_t {
  used,           // it waives at least one violation
  unused,         // it matches no violation (a warning)
  expired,        // its expiry date is before the as-of date: it waives nothing (a warning)
  not_evaluated,  // its rule was left out of the run by --only or --tag: nothing to say
};

constexpr std::string_view to_string(waiver_state s) {
  switch (s) {
    case waiver_state::used: return "used";
    case waiver_state::unused: return "unused";
    case waiver_state::expired: return "expired";
    case waiver_state::not_evaluated: return "not-evaluated";
  }
  return "used";
}

struct waiver_status {
  joinup::waiver waiver;
  waiver_state state = waiver_state::used;
  std::uint32_t matched = 0;  // violations it matches (for an expired waiver: those it would have waived)
  std::string note;           // why it is unused or expired, in words ("" when used)
  // When the waiver names its subject by position (partnership.leavers[1]) and that matched an
  // element that has a stable identity: the spelling to write instead (partnership.leavers[name=…]).
  // Positions are read for one release, with a warning.
  std::string stable_subject;

  // Unused and expired waivers are reported as warnings.
  bool is_warning() const { return state == waiver_state::unused || state == waiver_state::expired; }
};

// A finding of the baseline that the run no longer has (resolved, or its subject gone).
struct absent_finding {
  std::string rule_id;
  joinup::severity severity = severity::error;
  std::string subject;      // the subject's stable identity, as the baseline had it
  std::string data_origin;  // the data file, as the baseline named it
  std::string message;
  std::string fingerprint;
};

// One check over several data files: a result per file, in the order given, and what became of
// each waiver (empty when no waivers were given). What the report formats take.
struct check_results {
  std::vector<evaluation_result> files;
  std::vector<waiver_status> waivers;
  // Why each data file that could not be checked (it does not load, or its evaluation stopped at
  // a limit) was not: its diagnostics, in the order of the files given. The run then fails (2).
  std::vector<diagnostic> errors;
  // Against a baseline: every violation's `baseline` is set, and these are the baseline's
  // findings that are gone.
  bool has_baseline = false;
  std::vector<absent_finding> absent;

  // Violations new against the baseline (0 without one).
  std::size_t new_findings() const {
    std::size_t n = 0;
    for (const auto& f : files)
      for (const auto& r : f.rules)
        for (const auto& v : r.violations) n += v.baseline == "new";
    return n;
  }

  joinup::summary summary() const {  // added up over the files
    joinup::summary s;
    for (const auto& f : files) s += f.summary();
    return s;
  }

  // The rules that passed without judging a single subject in any file (a `for each` whose list
  // was empty or whose `where` matched nothing: often a misspelt value in a filter), by id in rule
  // order. A rule that judged a subject in some file, or did not apply, is not among them.
  std::vector<std::string> unjudged_rules() const {
    std::vector<std::string> out;
    std::vector<char> judged, seen;
    std::vector<const std::string*> ids;
    for (const auto& f : files)
      for (const auto& r : f.rules) {
        if (r.rule_index >= judged.size()) {
          judged.resize(r.rule_index + 1, 0);
          seen.resize(r.rule_index + 1, 0);
          ids.resize(r.rule_index + 1, nullptr);
        }
        ids[r.rule_index] = &r.rule_id;
        if (r.subjects || r.result != outcome::pass) judged[r.rule_index] = 1;
        seen[r.rule_index] = 1;
      }
    for (std::size_t i = 0; i < ids.size(); ++i)
      if (seen[i] && !judged[i]) out.push_back(*ids[i]);
    return out;
  }

  // Whether the check fails at this threshold: a violation that counts (see
  // evaluation_result::fails_at), or an unused or expired waiver when the threshold admits warnings.
  bool fails_at(severity threshold) const {
    for (const auto& f : files)
      if (f.fails_at(threshold)) return true;
    if (at_least(severity::warning, threshold))
      for (const auto& w : waivers)
        if (w.is_warning()) return true;
    return false;
  }
};

}  // namespace joinup
