// The SARIF 2.1.0 report: one run for the whole check, a result per violation located in the data
// file, the rule set's metadata under tool.driver.rules, waived violations as external
// suppressions, and unused or expired waivers as tool configuration notifications. See
// docs/ci.md for how each field is filled.
#include <filesystem>
#include <string>
#include <system_error>

#include "joinup/report.hpp"
#include "joinup/version.hpp"
#include "report/common.hpp"
#include "report/json_writer.hpp"
#include "report/uri.hpp"

namespace joinup {

namespace {

using report::json_writer;

void message(json_writer& w, std::string_view key, std::string_view text) {
  w.key(key);
  w.begin_object();
  w.key("text");
  w.string(text);
  w.end_object();
}

// Where a rule file is, as a URI that names no folder of this machine: relative to the rules root
// (the repository) when it is inside it, else relative to the rule folder it was loaded from
// (uriBaseId JOINUP_RULES: the standard pack, say), else its name alone under that base.
struct rule_places {
  std::filesystem::path root;
  std::vector<std::filesystem::path> dirs;
  mutable bool base_used = false;

  explicit rule_places(const sarif_options& o) {
    std::error_code ec;
    root = std::filesystem::absolute(o.rules_root.empty() ? std::string(".") : o.rules_root, ec).lexically_normal();
    for (const auto& d : o.rule_dirs) dirs.push_back(std::filesystem::absolute(d, ec).lexically_normal());
  }

  static bool inside(const std::filesystem::path& p, const std::filesystem::path& dir, std::string& rel) {
    const auto r = p.lexically_relative(dir);
    if (r.empty() || *r.begin() == "..") return false;
    rel = r.generic_string();
    return true;
  }

  // The URI and its uriBaseId ("" for none).
  std::pair<std::string, std::string_view> of(std::string_view file) const {
    std::error_code ec;
    const auto p = std::filesystem::absolute(std::filesystem::path(file), ec).lexically_normal();
    std::string rel;
    if (inside(p, root, rel)) return {rel, {}};
    base_used = true;
    for (const auto& d : dirs) {
      if (inside(p, d, rel)) return {rel, "JOINUP_RULES"};
      if (p == d) return {p.filename().generic_string(), "JOINUP_RULES"};
    }
    return {p.filename().generic_string(), "JOINUP_RULES"};
  }
  std::string text(std::string_view file) const {
    auto [uri, base] = of(file);
    return base.empty() ? uri : std::string(base) + "/" + uri;
  }
};

// A physicalLocation: the file as a relative (or file://) URI and, when known, where in it.
void physical_location(json_writer& w, std::string_view file, source_position p, const rule_places* rules = nullptr) {
  w.key("physicalLocation");
  w.begin_object();
  w.key("artifactLocation");
  w.begin_object();
  w.key("uri");
  if (rules) {
    auto [uri, base] = rules->of(file);
    w.string(report::file_uri(uri));
    if (!base.empty()) {
      w.key("uriBaseId");
      w.string(base);
    }
  } else {
    w.string(report::file_uri(file));
  }
  w.end_object();
  if (p.line) {
    w.key("region");
    w.begin_object();
    w.key("startLine");
    w.number(p.line);
    if (p.column) {
      w.key("startColumn");
      w.number(p.column);
    }
    w.end_object();
  }
  w.end_object();
}

std::string_view level_of(severity s) {
  switch (s) {
    case severity::error: return "error";
    case severity::warning: return "warning";
    case severity::info: return "note";
  }
  return "error";
}

void write_rule(json_writer& w, const rule_info& r, const rule_places& places) {
  w.begin_object();
  w.key("id");
  w.string(r.full_id);
  w.key("name");
  w.string(r.id);
  message(w, "shortDescription", r.title.empty() ? r.full_id : r.title);
  if (!r.rationale.empty()) message(w, "fullDescription", r.rationale);
  if (!r.remedy.empty()) message(w, "help", r.remedy);
  w.key("defaultConfiguration");
  w.begin_object();
  w.key("level");
  w.string(level_of(r.severity));
  w.end_object();
  w.key("properties");
  w.begin_object();
  w.key("tags");
  w.begin_array();
  for (const auto& t : r.tags) w.string(t);
  w.end_array();
  w.key("package");
  w.string(r.package);
  w.key("source");
  w.string(r.source);
  w.key("definedAt");
  w.string(report::location_text(places.text(r.origin), r.position));
  w.end_object();
  w.end_object();
}

// The message, then what failed and the values it saw, as the text report shows them.
std::string result_text(const violation& v) {
  std::string out = v.message;
  if (!v.require_text.empty()) {
    out += "\n" + (v.clause.empty() ? std::string("require") : v.clause) + " " + v.require_text;
    for (const auto& e : v.explanation) out += "\n    " + e.expression + " = " + e.value;
  }
  if (!v.remedy.empty()) out += "\nRemedy: " + v.remedy;
  return out;
}

void write_result(json_writer& w, const violation& v, const rule_result& rr, std::size_t rule_count,
                  const rule_places& places) {
  const bool undetermined = v.kind == outcome::undetermined;
  w.begin_object();
  w.key("ruleId");
  w.string(v.rule_id);
  if (rr.rule_index < rule_count) {
    w.key("ruleIndex");
    w.number(rr.rule_index);
  }
  // SARIF: a result whose kind is not "fail" has the level "none".
  w.key("kind");
  w.string(undetermined ? "review" : "fail");
  w.key("level");
  w.string(undetermined ? std::string_view("none") : level_of(v.severity));
  message(w, "message", result_text(v));
  if (v.data_origin != "-") {
    w.key("locations");
    w.begin_array();
    w.begin_object();
    physical_location(w, v.data_origin, v.data_position);
    w.key("logicalLocations");
    w.begin_array();
    w.begin_object();
    w.key("fullyQualifiedName");
    w.string(v.subject.empty() ? std::string_view("(document root)") : std::string_view(v.subject));
    w.end_object();
    w.end_array();
    w.end_object();
    w.end_array();
  }
  if (!v.rule_origin.empty()) {
    w.key("relatedLocations");
    w.begin_array();
    w.begin_object();
    w.key("id");
    w.number(1);
    physical_location(w, v.rule_origin, v.rule_position, &places);
    message(w, "message", (v.clause.empty() ? std::string("require") : v.clause) + " " + v.require_text);
    w.end_object();
    w.end_array();
  }
  if (v.waived()) {
    const auto& x = *v.waiver;
    w.key("suppressions");
    w.begin_array();
    w.begin_object();
    w.key("kind");
    w.string("external");
    w.key("status");
    w.string("accepted");
    w.key("justification");
    w.string(x.reason);
    w.key("location");
    w.begin_object();
    physical_location(w, x.origin, x.position);
    w.end_object();
    w.key("properties");
    w.begin_object();
    w.key("approvedBy");
    w.string(x.approved_by);
    w.key("expires");
    if (x.expires)
      w.string(x.expires->to_string());
    else
      w.null();
    w.end_object();
    w.end_object();
    w.end_array();
  }
  w.key("partialFingerprints");
  w.begin_object();
  w.key("joinupFinding/v1");
  w.string(fingerprint(v));
  w.end_object();
  if (!v.baseline.empty()) {
    w.key("baselineState");
    w.string(v.baseline);
  }
  w.key("properties");
  w.begin_object();
  w.key("outcome");
  w.string(to_string(v.kind));
  w.key("severity");
  w.string(to_string(v.severity));
  w.key("subject");
  w.string(v.subject);
  w.key("subjectKey");
  w.string(v.subject_key.empty() ? v.subject : v.subject_key);
  w.key("remedy");
  w.string(v.remedy);
  if (v.waiver && v.waiver_expired) {
    w.key("expiredWaiver");
    w.string(report::location_text(v.waiver->origin, v.waiver->position));
  }
  w.end_object();
  w.end_object();
}

// A finding of the baseline that is gone: a result of kind "pass" with baselineState "absent".
void write_absent(json_writer& w, const absent_finding& a, const std::vector<rule_info>& rules) {
  w.begin_object();
  w.key("ruleId");
  w.string(a.rule_id);
  for (std::size_t i = 0; i < rules.size(); ++i)
    if (rules[i].full_id == a.rule_id) {
      w.key("ruleIndex");
      w.number(i);
      break;
    }
  w.key("kind");
  w.string("pass");
  w.key("level");
  w.string("none");
  message(w, "message", "resolved since the baseline: " + a.message);
  if (a.data_origin != "-") {
    w.key("locations");
    w.begin_array();
    w.begin_object();
    physical_location(w, a.data_origin, {});
    w.key("logicalLocations");
    w.begin_array();
    w.begin_object();
    w.key("fullyQualifiedName");
    w.string(a.subject.empty() ? std::string_view("(document root)") : std::string_view(a.subject));
    w.end_object();
    w.end_array();
    w.end_object();
    w.end_array();
  }
  w.key("partialFingerprints");
  w.begin_object();
  w.key("joinupFinding/v1");
  w.string(a.fingerprint);
  w.end_object();
  w.key("baselineState");
  w.string("absent");
  w.key("properties");
  w.begin_object();
  w.key("severity");
  w.string(to_string(a.severity));
  w.key("subjectKey");
  w.string(a.subject);
  w.end_object();
  w.end_object();
}

void write_summary(json_writer& w, const joinup::summary& s) {
  w.begin_object();
  w.key("rules");
  w.number(s.rules);
  w.key("passed");
  w.number(s.passed);
  w.key("failed");
  w.number(s.failed);
  w.key("undetermined");
  w.number(s.undetermined);
  w.key("notApplicable");
  w.number(s.not_applicable);
  w.key("waived");
  w.number(s.waived);
  w.end_object();
}

}  // namespace

std::string to_sarif(const check_results& run, const std::vector<rule_info>& rules, const sarif_options& o) {
  const rule_places places(o);
  json_writer w;
  w.begin_object();
  w.key("$schema");
  w.string("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json");
  w.key("version");
  w.string("2.1.0");
  w.key("runs");
  w.begin_array();
  w.begin_object();

  w.key("tool");
  w.begin_object();
  w.key("driver");
  w.begin_object();
  w.key("name");
  w.string("joinup");
  w.key("version");
  w.string(version_string);
  w.key("semanticVersion");
  w.string(version_string);
  w.key("rules");
  w.begin_array();
  for (const auto& r : rules) write_rule(w, r, places);
  w.end_array();
  w.end_object();
  w.end_object();

  w.key("invocations");
  w.begin_array();
  w.begin_object();
  w.key("executionSuccessful");
  w.boolean(run.errors.empty());
  // Each data file that could not be checked: where and why.
  if (!run.errors.empty()) {
    w.key("toolExecutionNotifications");
    w.begin_array();
    for (const auto& d : run.errors) {
      w.begin_object();
      w.key("descriptor");
      w.begin_object();
      w.key("id");
      w.string(d.code.empty() ? std::string("error") : d.code);
      w.end_object();
      w.key("level");
      w.string("error");
      message(w, "message", d.help.empty() ? d.message : d.message + " (" + d.help + ")");
      if (!d.origin.empty() && d.origin != "-") {
        w.key("locations");
        w.begin_array();
        w.begin_object();
        physical_location(w, d.origin, {d.line, d.column});
        w.end_object();
        w.end_array();
      }
      w.end_object();
    }
    w.end_array();
  }
  w.key("toolConfigurationNotifications");
  w.begin_array();
  for (const auto& st : run.waivers) {
    if (!st.is_warning()) continue;
    w.begin_object();
    w.key("descriptor");
    w.begin_object();
    w.key("id");
    w.string(st.state == waiver_state::expired ? "waiver-expired" : "waiver-unused");
    w.end_object();
    w.key("level");
    w.string("warning");
    message(w, "message", st.note);
    w.key("locations");
    w.begin_array();
    w.begin_object();
    physical_location(w, st.waiver.origin, st.waiver.position);
    w.end_object();
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.end_object();
  w.end_array();

  w.key("artifacts");
  w.begin_array();
  for (const auto& f : run.files) {
    if (f.data_origin == "-") continue;
    w.begin_object();
    w.key("location");
    w.begin_object();
    w.key("uri");
    w.string(report::file_uri(f.data_origin));
    w.end_object();
    w.key("roles");
    w.begin_array();
    w.string("analysisTarget");
    w.end_array();
    w.end_object();
  }
  w.end_array();

  w.key("columnKind");
  w.string("unicodeCodePoints");

  w.key("results");
  w.begin_array();
  for (const auto& f : run.files)
    for (const auto& rr : f.rules)
      for (const auto& v : rr.violations) write_result(w, v, rr, rules.size(), places);
  for (const auto& a : run.absent) write_absent(w, a, rules);
  w.end_array();

  if (places.base_used) {
    w.key("originalUriBaseIds");
    w.begin_object();
    w.key("JOINUP_RULES");
    w.begin_object();
    message(w, "description", "the folder of the rule set (the standard rule pack when no --rules is given)");
    w.end_object();
    w.end_object();
  }

  w.key("properties");
  w.begin_object();
  w.key("asOf");
  if (run.files.empty())
    w.null();
  else
    w.string(run.files.front().as_of.to_string());
  w.key("summary");
  write_summary(w, run.summary());
  w.key("unjudgedRules");
  w.begin_array();
  for (const auto& id : run.unjudged_rules()) w.string(id);
  w.end_array();
  w.end_object();

  w.end_object();
  w.end_array();
  w.end_object();
  return w.take();
}

}  // namespace joinup
