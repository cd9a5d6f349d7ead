// The JSON report: the stable document described in docs/json-output.md. Keys are written in a
// fixed order and fields are only ever added, so consumers may rely on both.
#include "joinup/report.hpp"
#include "joinup/version.hpp"
#include "report/json_writer.hpp"

namespace joinup {

namespace {

using report::json_writer;

void write_location(json_writer& w, std::string_view file, source_position p) {
  w.begin_object();
  w.key("file");
  w.string(file);
  w.key("line");
  w.number(p.line);
  w.key("column");
  w.number(p.column);
  w.end_object();
}

void write_summary(json_writer& w, const joinup::summary& s, const std::uint32_t* files) {
  w.begin_object();
  if (files) {
    w.key("files");
    w.number(*files);
  }
  w.key("rules");
  w.number(s.rules);
  w.key("passed");
  w.number(s.passed);
  w.key("failed");
  w.number(s.failed);
  w.key("undetermined");
  w.number(s.undetermined);
  w.key("not_applicable");
  w.number(s.not_applicable);
  w.key("violations");
  w.number(s.failing_subjects);
  w.key("undetermined_subjects");
  w.number(s.undetermined_subjects);
  w.key("failed_by_severity");
  w.begin_object();
  for (auto sev : {severity::error, severity::warning, severity::info}) {
    w.key(to_string(sev));
    w.number(s.failed_by_severity[static_cast<int>(sev)]);
  }
  w.end_object();
  w.key("waived");
  w.number(s.waived);
  w.key("waived_violations");
  w.number(s.waived_violations);
  w.end_object();
}

// The fields of a waiver, inside an object the caller opened.
void write_waiver_fields(json_writer& w, const waiver& x) {
  w.key("location");
  write_location(w, x.origin, x.position);
  w.key("rule");
  w.string(x.rule);
  w.key("subject");
  if (x.whole_rule)
    w.null();
  else
    w.string(x.subject);
  w.key("reason");
  w.string(x.reason);
  w.key("approved_by");
  w.string(x.approved_by);
  w.key("expires");
  if (x.expires)
    w.string(x.expires->to_string());
  else
    w.null();
  w.key("files");
  w.begin_array();
  for (const auto& f : x.files) w.string(f);
  w.end_array();
}

void write_violation(json_writer& w, const violation& v) {
  w.begin_object();
  w.key("rule");
  w.string(v.rule_id);
  w.key("severity");
  w.string(to_string(v.severity));
  w.key("outcome");
  w.string(to_string(v.kind));
  w.key("message");
  w.string(v.message);
  w.key("subject");
  w.string(v.subject);
  w.key("location");
  write_location(w, v.data_origin, v.data_position);
  w.key("rule_location");
  write_location(w, v.rule_origin, v.rule_position);
  w.key("clause");
  w.string(v.clause.empty() ? std::string("require") : v.clause);
  w.key("require");
  w.string(v.require_text);
  w.key("explanation");
  w.begin_array();
  for (const auto& e : v.explanation) {
    w.begin_object();
    w.key("expression");
    w.string(e.expression);
    w.key("value");
    w.string(e.value);
    w.end_object();
  }
  w.end_array();
  w.key("remedy");
  w.string(v.remedy);
  w.key("waived");
  w.boolean(v.waived());
  w.key("waiver");
  if (v.waiver) {
    w.begin_object();
    write_waiver_fields(w, *v.waiver);
    w.key("expired");
    w.boolean(v.waiver_expired);
    w.end_object();
  } else {
    w.null();
  }
  w.key("subject_key");
  w.string(v.subject_key.empty() ? v.subject : v.subject_key);
  w.key("fingerprint");
  w.string(fingerprint(v));
  w.key("baseline");
  if (v.baseline.empty())
    w.null();
  else
    w.string(v.baseline);
  w.end_object();
}

void write_rule(json_writer& w, const rule_result& rr, const std::vector<rule_info>& rules) {
  // A result whose index is out of range (a caller mixing up policies) still prints, with empty
  // metadata of the same types, rather than failing the whole report.
  static const rule_info none;
  const rule_info& info = rr.rule_index < rules.size() ? rules[rr.rule_index] : none;
  w.begin_object();
  w.key("id");
  w.string(rr.rule_id);
  w.key("title");
  w.string(info.title);
  w.key("severity");
  w.string(to_string(rr.severity));
  w.key("outcome");
  w.string(to_string(rr.result));
  w.key("subjects");
  w.number(rr.subjects);
  w.key("tags");
  w.begin_array();
  for (const auto& t : info.tags) w.string(t);
  w.end_array();
  w.key("source");
  w.string(info.source);
  w.key("origin");
  write_location(w, info.origin, info.position);
  w.key("violations");
  w.begin_array();
  for (const auto& v : rr.violations) write_violation(w, v);
  w.end_array();
  w.key("waived");
  w.boolean(rr.waived());
  w.end_object();
}

}  // namespace

std::string to_json(const std::vector<evaluation_result>& results, const std::vector<rule_info>& rules) {
  check_results run;
  run.files = results;
  return to_json(run, rules);
}

std::string to_json(const check_results& run, const std::vector<rule_info>& rules) {
  const auto& results = run.files;
  json_writer w;
  w.begin_object();
  w.key("tool");
  w.begin_object();
  w.key("name");
  w.string("joinup");
  w.key("version");
  w.string(version_string);
  w.end_object();
  w.key("as_of");
  if (results.empty())
    w.null();
  else
    w.string(results.front().as_of.to_string());
  w.key("summary");
  const auto files = static_cast<std::uint32_t>(results.size());
  write_summary(w, run.summary(), &files);
  w.key("unjudged_rules");
  w.begin_array();
  for (const auto& id : run.unjudged_rules()) w.string(id);
  w.end_array();
  w.key("results");
  w.begin_array();
  for (const auto& r : results) {
    w.begin_object();
    w.key("file");
    w.string(r.data_origin);
    w.key("summary");
    write_summary(w, r.summary(), nullptr);
    w.key("rules");
    w.begin_array();
    for (const auto& rr : r.rules) write_rule(w, rr, rules);
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.key("waivers");
  w.begin_array();
  for (const auto& st : run.waivers) {
    w.begin_object();
    write_waiver_fields(w, st.waiver);
    w.key("status");
    w.string(to_string(st.state));
    w.key("matched");
    w.number(st.matched);
    w.key("note");
    w.string(st.note);
    w.end_object();
  }
  w.end_array();
  w.key("errors");
  w.begin_array();
  for (const auto& d : run.errors) {
    w.begin_object();
    w.key("file");
    w.string(d.origin);
    w.key("line");
    w.number(d.line);
    w.key("column");
    w.number(d.column);
    w.key("code");
    w.string(d.code);
    w.key("message");
    w.string(d.message);
    w.key("help");
    w.string(d.help);
    w.end_object();
  }
  w.end_array();
  w.key("baseline");
  if (!run.has_baseline) {
    w.null();
  } else {
    w.begin_object();
    w.key("new");
    w.number(run.new_findings());
    w.key("absent");
    w.number(run.absent.size());
    w.key("absent_findings");
    w.begin_array();
    for (const auto& a : run.absent) {
      w.begin_object();
      w.key("rule");
      w.string(a.rule_id);
      w.key("severity");
      w.string(to_string(a.severity));
      w.key("subject_key");
      w.string(a.subject);
      w.key("file");
      w.string(a.data_origin);
      w.key("message");
      w.string(a.message);
      w.key("fingerprint");
      w.string(a.fingerprint);
      w.end_object();
    }
    w.end_array();
    w.end_object();
  }
  w.end_object();
  return w.take();
}

}  // namespace joinup
