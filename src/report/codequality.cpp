// GitLab Code Quality JSON (a subset of the Code Climate issue format): an array of issues, each
// with a description, check_name, fingerprint, severity and location (path and lines.begin), so
// that findings show in merge requests. Waived findings are accepted exceptions and are left out;
// data files that could not be checked and waivers that need attention are issues too.
#include <filesystem>
#include <string>
#include <system_error>

#include "joinup/report.hpp"
#include "report/json_writer.hpp"

namespace joinup {

namespace {

using report::json_writer;

// Code Quality's severities are info, minor, major, critical and blocker.
std::string_view severity_of(severity s) {
  switch (s) {
    case severity::error: return "critical";
    case severity::warning: return "major";
    case severity::info: return "minor";
  }
  return "critical";
}

// GitLab reads paths relative to the repository: an absolute path inside the current folder is
// made relative to it; others are kept as given.
std::string path_of(std::string_view file) {
  namespace fs = std::filesystem;
  const fs::path p(file);
  if (!p.is_absolute()) return std::string(file);
  std::error_code ec;
  const auto rel = p.lexically_normal().lexically_relative(fs::current_path(ec));
  if (ec || rel.empty() || *rel.begin() == "..") return std::string(file);
  return rel.generic_string();
}

void issue(json_writer& w, std::string_view check, std::string_view description, std::string_view fp,
           std::string_view sev, std::string_view path, std::uint32_t line) {
  w.begin_object();
  w.key("type");
  w.string("issue");
  w.key("check_name");
  w.string(check);
  w.key("description");
  w.string(description);
  w.key("categories");
  w.begin_array();
  w.string("Bug Risk");
  w.end_array();
  w.key("fingerprint");
  w.string(fp);
  w.key("severity");
  w.string(sev);
  w.key("location");
  w.begin_object();
  w.key("path");
  w.string(path_of(path));
  w.key("lines");
  w.begin_object();
  w.key("begin");
  w.number(line ? line : 1);
  w.end_object();
  w.end_object();
  w.end_object();
}

// A fingerprint for something that is not a finding: the same hash over made-up fields.
std::string other_fingerprint(std::string kind, std::string what, std::string file) {
  violation v;
  v.rule_id = std::move(kind);
  v.subject = std::move(what);
  v.data_origin = std::move(file);
  return fingerprint(v);
}

}  // namespace

std::string to_codequality(const check_results& run, const std::vector<rule_info>& rules) {
  (void)rules;
  json_writer w;
  w.begin_array();
  for (const auto& d : run.errors)
    issue(w, "joinup/" + (d.code.empty() ? std::string("error") : d.code),
          "the data file could not be checked: " + d.message + (d.help.empty() ? "" : " (" + d.help + ")"),
          other_fingerprint("joinup.error." + d.code, d.message + "@" + std::to_string(d.line), d.origin), "blocker",
          d.origin, d.line);
  for (const auto& f : run.files)
    for (const auto& rr : f.rules)
      for (const auto& v : rr.violations) {
        if (v.waived()) continue;
        std::string text = v.message;
        if (v.kind == outcome::undetermined) text = "could not be judged: " + text;
        const std::string& subject = v.subject_key.empty() ? v.subject : v.subject_key;
        if (!subject.empty()) text += " (" + subject + ")";
        issue(w, v.rule_id, text, fingerprint(v), severity_of(v.severity), v.data_origin, v.data_position.line);
      }
  for (const auto& st : run.waivers)
    if (st.is_warning())
      issue(w, st.state == waiver_state::expired ? "joinup/expired-waiver" : "joinup/unused-waiver", st.note,
            other_fingerprint("joinup.waiver", st.waiver.rule + "@" + std::to_string(st.waiver.position.line),
                              st.waiver.origin),
            "minor", st.waiver.origin, st.waiver.position.line);
  w.end_array();
  return w.take();
}

}  // namespace joinup
