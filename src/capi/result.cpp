// The C interface: evaluation and results (counts, findings, rule outcomes, waivers, and the
// reports of every format `joinup check` has).
#include <algorithm>

#include "joinup/report.hpp"
#include "joinup/waivers.hpp"

#include "capi/handles.hpp"

using namespace joinup::capi;

namespace {

// The report formats by name, as `joinup check --format` has them; a new format is one more
// name here, one more case in render_report, and report_format_count in handles.hpp.
constexpr std::array<const char*, report_format_count> report_formats = {"text",   "json", "sarif",    "junit",
                                                                         "github", "html", "markdown", "codequality"};

std::string render_report(std::size_t format, const joinup::check_results& run,
                          const std::vector<joinup::rule_info>& rules, const std::vector<std::string>& rule_dirs) {
  switch (format) {
    case 0: return joinup::to_text(run, rules);
    case 1: return joinup::to_json(run, rules);
    case 2: return joinup::to_sarif(run, rules, {.rules_root = "", .rule_dirs = rule_dirs});
    case 3: return joinup::to_junit(run, rules);
    case 4: return joinup::to_github(run, rules);
    case 5: return joinup::to_html(run, rules);
    case 6: return joinup::to_markdown(run, rules);
    case 7: return joinup::to_codequality(run, rules);
  }
  return {};
}

void copy_summary(const joinup::summary& s, joinup_summary& c) {
  c.rules = s.rules;
  c.passed = s.passed;
  c.failed = s.failed;
  c.undetermined = s.undetermined;
  c.not_applicable = s.not_applicable;
  c.violations = s.failing_subjects;
  c.undetermined_subjects = s.undetermined_subjects;
  for (int i = 0; i < 3; ++i) c.failed_by_severity[i] = s.failed_by_severity[i];
  c.waived = s.waived;
  c.waived_findings = s.waived_violations;
}

// The run the reports are made from: every finding rendered (once), with the waivers applied.
const joinup::check_results& full_run(joinup_result& h) {
  std::call_once(h.run_once, [&] {
    h.run.files.push_back(h.found.result());
    joinup::identify_subjects(h.run.files.back(), h.found.data());  // the stable identities the JSON report carries
  });
  return h.run;
}

// Applies waivers at evaluation: the run is made now, the counts are the waived ones, and the
// findings and the waivers' outcomes are read from it.
void apply(joinup_result& h, const std::vector<joinup::waiver>& waivers) {
  std::call_once(h.run_once, [&] {
    h.run.files.push_back(h.found.result());
    joinup::identify_subjects(h.run.files.back(), h.found.data());  // waivers match subjects by stable identity
    h.run.waivers = joinup::apply_waivers(h.run.files, waivers, h.policy.rules());
  });
  h.waived = true;
  for (const auto& r : h.run.files.front().rules)
    for (const auto& v : r.violations) h.flat.push_back(&v);
  h.waivers.resize(h.run.waivers.size());
  for (std::size_t i = 0; i < h.run.waivers.size(); ++i) {
    const auto& w = h.run.waivers[i];
    auto& out = h.waivers[i];
    out.expires = w.waiver.expires ? w.waiver.expires->to_string() : std::string();
    auto& v = out.view;
    v.rule = w.waiver.rule.c_str();
    v.subject = w.waiver.subject.c_str();
    v.reason = w.waiver.reason.c_str();
    v.approved_by = w.waiver.approved_by.c_str();
    v.expires = out.expires.c_str();
    v.origin = w.waiver.origin.c_str();
    v.line = w.waiver.position.line;
    v.column = w.waiver.position.column;
    v.state = static_cast<joinup_waiver_state>(w.state);
    v.matched = w.matched;
    v.note = w.note.c_str();
  }
}

// A new result handle: the outcomes and counts at once; each finding's text (message, path,
// positions, explanation) is rendered when it is first asked for (see joinup::findings).
joinup_result* make_result(const joinup::policy& policy, joinup::findings found) {
  auto h = std::make_unique<joinup_result>();
  h->policy = policy;
  h->found = std::move(found);
  return h.release();
}

// The counts, made on first request (a host that asks only whether the result fails never pays
// for them): the findings' own, or with waivers, the waived run's.
const joinup_summary& summary_of(const joinup_result& result) {
  auto& h = const_cast<joinup_result&>(result);  // filled once, then only read
  std::call_once(h.summary_once, [&] {
    auto& c = h.summary;
    copy_summary(h.waived ? h.run.files.front().summary() : h.found.summary(), c);
    c.findings = static_cast<std::uint32_t>(h.found.size());
    const auto& rules = h.found.rules();
    for (const auto& v : h.found.violations())
      ++c.findings_by_severity[std::min<int>(static_cast<int>(rules[v.rule].severity), 2)];
  });
  return h.summary;
}

// The rules' outcomes as C views, made on first request (see joinup_result::rules).
const std::vector<joinup_rule_outcome>& rule_views(const joinup_result& result) {
  auto& h = const_cast<joinup_result&>(result);  // filled once, then only read
  std::call_once(h.rules_once, [&] {
    const auto& infos = h.policy.rules();
    h.rules.reserve(h.found.rules().size());
    for (const auto& r : h.found.rules()) {
      joinup_rule_outcome o{};
      o.rule_id = infos[r.rule_index].full_id.c_str();
      o.severity = static_cast<joinup_severity>(r.severity);
      o.outcome = static_cast<joinup_outcome>(r.result);
      o.subjects = r.subjects;
      o.first_violation = r.first;
      o.violation_count = r.count;
      h.rules.push_back(o);
    }
  });
  return h.rules;
}

// Finding i, rendered on first request (under the result's lock; the view then stays put).
const joinup_violation& rendered_finding(joinup_result& h, std::size_t i) {
  std::lock_guard lock(h.rendered_mutex);
  if (h.findings.empty()) h.findings.resize(h.found.size());
  auto& slot = h.findings[i];
  if (!slot) {
    auto r = std::make_unique<joinup_result::rendered>();
    r->violation = h.waived ? *h.flat[i] : h.found.details(i);
    const auto& v = r->violation;
    for (const auto& e : v.explanation) r->explanation.push_back({e.expression.c_str(), e.value.c_str()});
    auto& w = r->view;
    w.rule_id = v.rule_id.c_str();
    w.severity = static_cast<joinup_severity>(v.severity);
    w.outcome = static_cast<joinup_outcome>(v.kind);
    w.message = v.message.c_str();
    w.subject = v.subject.c_str();
    w.data_file = v.data_origin.c_str();
    w.data_line = v.data_position.line;
    w.data_column = v.data_position.column;
    w.rule_file = v.rule_origin.c_str();
    w.rule_line = v.rule_position.line;
    w.rule_column = v.rule_position.column;
    w.clause = v.clause.c_str();
    w.require_text = v.require_text.c_str();
    w.explanation_count = r->explanation.size();
    w.explanation = r->explanation.empty() ? nullptr : r->explanation.data();
    w.remedy = v.remedy.c_str();
    w.waived = v.waived() ? 1 : 0;
    w.waiver_reason = v.waiver ? v.waiver->reason.c_str() : "";
    slot = std::move(r);
  }
  return slot->view;
}

// A list of C strings as the C++ options want them.
joinup_status strings_of(const char* const* list, std::size_t count, const char* what, std::vector<std::string>& out,
                         joinup_error** error) {
  if (!list && count) return fail(error, JOINUP_MISUSE, std::string("the ") + what + " list is NULL");
  for (std::size_t i = 0; i < count; ++i) {
    if (!list[i]) return fail(error, JOINUP_MISUSE, std::string(what) + " " + std::to_string(i) + " is NULL");
    if (const auto p = utf8_problem(list[i]); !p.empty())
      return fail(error, JOINUP_INVALID_UTF8, std::string(what) + " " + std::to_string(i) + " is not valid UTF-8" + p);
    out.emplace_back(list[i]);
  }
  return JOINUP_OK;
}

}  // namespace

extern "C" {

void joinup_evaluate_options_init_sized(joinup_evaluate_options* options, size_t size) {
  const joinup::evaluate_options d;
  joinup_evaluate_options e{};
  e.undetermined_fails = 1;
  e.max_regex_bytes = d.max_regex_bytes;
  e.max_string_bytes = d.max_string_bytes;
  e.max_memory_bytes = d.max_memory_bytes;
  init_options(options, size, e);
}

// (The name in brackets: joinup.h defines a macro of the same name for callers.)
void(joinup_evaluate_options_init)(joinup_evaluate_options* options) {
  joinup_evaluate_options_init_sized(options, offsetof(joinup_evaluate_options, max_regex_bytes));
}

joinup_status joinup_policy_evaluate(const joinup_policy* policy, const joinup_document* document,
                                     const joinup_evaluate_options* options, joinup_result** result,
                                     joinup_error** error) {
  if (error) *error = nullptr;
  if (!result) return fail(error, JOINUP_MISUSE, "the result out-pointer is NULL");
  *result = nullptr;
  if (!is(policy, tag::policy)) return fail(error, JOINUP_MISUSE, "the policy is NULL or not a policy");
  if (!is(document, tag::document)) return fail(error, JOINUP_MISUSE, "the document is NULL or not a document");
  if (options && options->struct_size < sizeof(std::size_t))
    return fail(error, JOINUP_MISUSE, "evaluate options not initialised");
  const auto stage = [&] { return "evaluating the rules against '" + document->document.origin() + "'"; };
  return guarded(error, JOINUP_ERROR, stage, [&] {
    joinup::evaluate_options o;
    if (options) {
      using T = joinup_evaluate_options;
      if (JOINUP_HAS_FIELD(options, T, as_of) && options->as_of) {
        o.as_of = joinup::date::parse(options->as_of);
        if (!o.as_of)
          return fail(
              error, JOINUP_INVALID_ARGUMENT,
              "invalid as-of date '" + joinup::diag::escape_invalid_utf8(options->as_of) + "': expected YYYY-MM-DD");
      }
      if (JOINUP_HAS_FIELD(options, T, undetermined_fails)) o.undetermined_fails = options->undetermined_fails != 0;
      if (JOINUP_HAS_FIELD(options, T, only_count))
        if (auto s = strings_of(options->only, options->only_count, "rule id", o.only, error)) return s;
      if (JOINUP_HAS_FIELD(options, T, tag_count))
        if (auto s = strings_of(options->tags, options->tag_count, "tag", o.tags, error)) return s;
      if (JOINUP_HAS_FIELD(options, T, max_steps)) o.max_steps = options->max_steps;
      if (JOINUP_HAS_FIELD(options, T, max_regex_bytes)) o.max_regex_bytes = options->max_regex_bytes;
      if (JOINUP_HAS_FIELD(options, T, max_string_bytes)) o.max_string_bytes = options->max_string_bytes;
      if (JOINUP_HAS_FIELD(options, T, max_memory_bytes)) o.max_memory_bytes = options->max_memory_bytes;
    }
    const joinup_waivers* waivers = nullptr;
    if (options && JOINUP_HAS_FIELD(options, joinup_evaluate_options, waivers) && options->waivers) {
      if (!is(options->waivers, tag::waivers)) return fail(error, JOINUP_MISUSE, "the waivers are not waivers");
      waivers = options->waivers;
    }
    std::unique_ptr<joinup_result> r(make_result(policy->policy, policy->policy.find(document->document, o)));
    r->rule_dirs = policy->rule_dirs;
    if (waivers) apply(*r, waivers->waivers);
    *result = r.release();
    return JOINUP_OK;
  });
}

joinup_status joinup_result_summary(const joinup_result* result, const joinup_summary** summary) {
  if (!summary) return JOINUP_MISUSE;
  *summary = nullptr;
  if (!is(result, tag::result)) return JOINUP_MISUSE;
  *summary = &summary_of(*result);
  return JOINUP_OK;
}

joinup_status joinup_result_violation_count(const joinup_result* result, size_t* count) {
  if (!count) return JOINUP_MISUSE;
  *count = 0;
  if (!is(result, tag::result)) return JOINUP_MISUSE;
  *count = result->found.size();
  return JOINUP_OK;
}

joinup_status joinup_result_violation(const joinup_result* result, size_t index, const joinup_violation** violation) {
  if (!violation) return JOINUP_MISUSE;
  *violation = nullptr;
  if (!is(result, tag::result)) return JOINUP_MISUSE;
  if (index >= result->found.size()) return JOINUP_INVALID_ARGUMENT;
  auto* r = const_cast<joinup_result*>(result);  // rendered once, under the result's lock
  const auto stage = [] { return "rendering a finding"; };
  return guarded(nullptr, JOINUP_ERROR, stage, [&] {
    *violation = &rendered_finding(*r, index);
    return JOINUP_OK;
  });
}

joinup_status joinup_result_rule_count(const joinup_result* result, size_t* count) {
  if (!count) return JOINUP_MISUSE;
  *count = 0;
  if (!is(result, tag::result)) return JOINUP_MISUSE;
  *count = result->found.rules().size();
  return JOINUP_OK;
}

joinup_status joinup_result_rule(const joinup_result* result, size_t index, const joinup_rule_outcome** rule) {
  if (!rule) return JOINUP_MISUSE;
  *rule = nullptr;
  if (!is(result, tag::result)) return JOINUP_MISUSE;
  const auto& rules = rule_views(*result);
  if (index >= rules.size()) return JOINUP_INVALID_ARGUMENT;
  *rule = &rules[index];
  return JOINUP_OK;
}

joinup_status joinup_result_fails(const joinup_result* result, joinup_severity threshold, int* fails) {
  if (!fails) return JOINUP_MISUSE;
  *fails = 0;
  if (!is(result, tag::result)) return JOINUP_MISUSE;
  const int t = raw_enum(threshold);
  if (t < 0 || t > 2) return JOINUP_INVALID_ARGUMENT;
  const auto threshold_ = static_cast<joinup::severity>(t);
  *fails = (result->waived ? result->run.fails_at(threshold_) : result->found.fails_at(threshold_)) ? 1 : 0;
  return JOINUP_OK;
}

joinup_status joinup_result_as_of(const joinup_result* result, const char** as_of) {
  if (!as_of) return JOINUP_MISUSE;
  *as_of = nullptr;
  if (!is(result, tag::result)) return JOINUP_MISUSE;
  auto& h = const_cast<joinup_result&>(*result);  // written once, then only read
  std::call_once(h.as_of_once, [&] { h.as_of = h.found.as_of().to_string(); });
  *as_of = h.as_of.c_str();
  return JOINUP_OK;
}

joinup_status joinup_result_waiver_count(const joinup_result* result, size_t* count) {
  if (!count) return JOINUP_MISUSE;
  *count = 0;
  if (!is(result, tag::result)) return JOINUP_MISUSE;
  *count = result->waivers.size();
  return JOINUP_OK;
}

joinup_status joinup_result_waiver(const joinup_result* result, size_t index, const joinup_waiver_outcome** waiver) {
  if (!waiver) return JOINUP_MISUSE;
  *waiver = nullptr;
  if (!is(result, tag::result)) return JOINUP_MISUSE;
  if (index >= result->waivers.size()) return JOINUP_INVALID_ARGUMENT;
  *waiver = &result->waivers[index].view;
  return JOINUP_OK;
}

joinup_status joinup_report_format(size_t index, const char** name) {
  if (!name) return JOINUP_MISUSE;
  *name = nullptr;
  if (index >= report_formats.size()) return JOINUP_INVALID_ARGUMENT;
  *name = report_formats[index];
  return JOINUP_OK;
}

joinup_status joinup_result_report(const joinup_result* result, const char* format, const char** report) {
  if (!report) return JOINUP_MISUSE;
  *report = nullptr;
  if (!is(result, tag::result) || !format) return JOINUP_MISUSE;
  std::size_t i = 0;
  while (i < report_formats.size() && std::strcmp(report_formats[i], format) != 0) ++i;
  if (i == report_formats.size()) return JOINUP_INVALID_ARGUMENT;
  auto* r = const_cast<joinup_result*>(result);  // each report is made once, under its once_flag
  const auto stage = [&] { return "writing the " + std::string(format) + " report"; };
  return guarded(nullptr, JOINUP_ERROR, stage, [&] {
    std::call_once(r->report_once[i],
                   [&] { r->reports[i] = render_report(i, full_run(*r), r->policy.rules(), *r->rule_dirs); });
    *report = r->reports[i].c_str();
    return JOINUP_OK;
  });
}

joinup_status joinup_result_json(const joinup_result* result, const char** json) {
  return joinup_result_report(result, "json", json);
}

joinup_status joinup_result_text(const joinup_result* result, const char** text) {
  return joinup_result_report(result, "text", text);
}

void joinup_result_free(joinup_result* result) {
  if (is(result, tag::result)) destroy(result);
}

}  // extern "C"
