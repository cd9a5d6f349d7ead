// Workflow-command annotations for CI logs: a line per violation,
//   ::error file=F,line=L,col=C,title=RULE::MESSAGE
// with the explanation after the message. Data (the message) escapes '%', '\r' and '\n';
// properties (file, title) escape ':' and ',' as well, as the workflow-command rules say.
#include <string>

#include "joinup/report.hpp"
#include "report/common.hpp"

namespace joinup {

namespace {

std::string escape_data(std::string_view s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      default: out += c;
    }
  }
  return out;
}

std::string escape_property(std::string_view s) {
  std::string out;
  for (const char c : escape_data(s)) {
    switch (c) {
      case ':': out += "%3A"; break;
      case ',': out += "%2C"; break;
      default: out += c;
    }
  }
  return out;
}

void annotation(std::string& out, std::string_view level, std::string_view file, source_position p,
                std::string_view title, std::string_view message) {
  out += "::";
  out += level;
  std::string props;
  if (file != "-" && !file.empty()) {
    props += "file=" + escape_property(file);
    if (p.line) {
      props += ",line=" + std::to_string(p.line);
      if (p.column) props += ",col=" + std::to_string(p.column);
    }
  }
  if (!props.empty()) props += ',';
  props += "title=" + escape_property(title);
  out += ' ' + props + "::" + escape_data(message) + '\n';
}

std::string_view level_of(severity s) {
  switch (s) {
    case severity::error: return "error";
    case severity::warning: return "warning";
    case severity::info: return "notice";
  }
  return "error";
}

}  // namespace

std::string to_github(const check_results& run, const std::vector<rule_info>& rules) {
  (void)rules;
  std::string out;
  for (const auto& f : run.files)
    for (const auto& rr : f.rules)
      for (const auto& v : rr.violations) {
        std::string title = v.rule_id;
        if (v.waived())
          title += " (waived)";
        else if (v.kind == outcome::undetermined)
          title += " (undetermined)";
        std::string text = v.message;
        if (const auto e = report::explanation_text(v); !e.empty()) text += "\n" + e;
        if (!v.remedy.empty()) text += "\nremedy: " + v.remedy;
        if (v.waiver) text += "\n" + report::waiver_text(v);
        if (v.waived()) text += "\nreason: " + v.waiver->reason;
        annotation(out, v.waived() ? std::string_view("notice") : level_of(v.severity), v.data_origin, v.data_position,
                   title, text);
      }
  for (const auto& st : run.waivers)
    if (st.is_warning())
      annotation(out, "warning", st.waiver.origin, st.waiver.position,
                 st.state == waiver_state::expired ? "expired waiver" : "unused waiver", st.note);
  out += summary_line(run.summary()) + '\n';
  return out;
}

}  // namespace joinup
