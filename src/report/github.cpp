// Workflow-command annotations for CI logs: a line per violation,
//   ::error file=F,line=L,col=C,title=RULE::MESSAGE
// with the explanation after the message. Data (the message) escapes '%', '\r' and '\n';
// properties (file, title) escape ':' and ',' as well, as the workflow-command rules say; so no
// value can start a line of the log. Findings past GitHub's limits are plain log lines, escaped
// (diag::append_escaped) so that none of them starts with "::" either.
#include <algorithm>
#include <string>
#include <vector>

#include "diag/text.hpp"
#include "joinup/report.hpp"
#include "report/common.hpp"

namespace joinup {

namespace {

// Control and bidirectional characters are escaped first, as in every text output
// (diag::append_escaped, which keeps the line feeds that become %0A here); carriage returns are
// kept for %0D as well.
std::string escape_data(std::string_view raw) {
  std::string s;
  for (std::size_t start = 0;;) {
    const std::size_t cr = raw.find('\r', start);
    diag::append_escaped(s, raw.substr(start, cr == std::string_view::npos ? cr : cr - start), diag::line_breaks::keep);
    if (cr == std::string_view::npos) break;
    s += '\r';
    start = cr + 1;
  }
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

std::string to_github(const check_results& run, const std::vector<rule_info>& rules, const github_options& o) {
  (void)rules;
  // Every annotation first, then the most severe up to GitHub's limits; the rest as log lines.
  struct item {
    int rank;          // 0 error, 1 warning, 2 notice
    std::string line;  // the workflow command
    std::string log;   // the same as a plain log line, when it is not shown as an annotation
  };
  std::vector<item> items;
  auto add = [&](std::string_view level, std::string_view file, source_position p, std::string_view title,
                 std::string_view text) {
    item it;
    it.rank = level == "error" ? 0 : level == "warning" ? 1 : 2;
    annotation(it.line, level, file, p, title, text);
    it.log = diag::escaped(report::location_text(file, p) + ": " + std::string(level) + ": " + std::string(title) +
                           ": " + std::string(text.substr(0, text.find('\n')))) +
             '\n';
    items.push_back(std::move(it));
  };
  for (const auto& d : run.errors)
    add("error", d.origin, {d.line, d.column}, "data file not checked (" + d.code + ")",
        d.help.empty() ? d.message : d.message + "\nhelp: " + d.help);
  for (const auto& f : run.files)
    for (const auto& rr : f.rules)
      for (const auto& v : rr.violations) {
        std::string title = v.rule_id;
        if (v.waived())
          title += " (waived)";
        else if (v.kind == outcome::undetermined)
          title += " (undetermined)";
        if (v.baseline == "new") title += " (new)";
        std::string text = v.message;
        if (const auto e = report::explanation_text(v); !e.empty()) text += "\n" + e;
        if (!v.remedy.empty()) text += "\nremedy: " + v.remedy;
        if (v.waiver) text += "\n" + report::waiver_text(v);
        if (v.waived()) text += "\nreason: " + v.waiver->reason;
        add(v.waived() ? std::string_view("notice") : level_of(v.severity), v.data_origin, v.data_position, title,
            text);
      }
  for (const auto& st : run.waivers)
    if (st.is_warning())
      add("warning", st.waiver.origin, st.waiver.position,
          st.state == waiver_state::expired ? "expired waiver" : "unused waiver", st.note);
  std::stable_sort(items.begin(), items.end(), [](const item& a, const item& b) { return a.rank < b.rank; });

  // Which are shown: up to per_kind of each kind and total in all, keeping one notice and one of
  // the total for the note about the rest when anything is left out.
  auto choose = [&](std::size_t notice_room, std::size_t total_room) {
    std::vector<bool> shown(items.size());
    std::size_t per[3] = {0, 0, 0}, all = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const auto r = static_cast<std::size_t>(items[i].rank);
      if (all < total_room && per[r] < (r == 2 ? notice_room : o.per_kind)) {
        shown[i] = true;
        ++per[r];
        ++all;
      }
    }
    return shown;
  };
  auto shown = choose(o.per_kind, o.total);
  const bool all_shown = std::find(shown.begin(), shown.end(), false) == shown.end();
  if (!all_shown && o.per_kind > 0 && o.total > 0) shown = choose(o.per_kind - 1, o.total - 1);

  std::string out, rest;
  std::size_t left_out[3] = {0, 0, 0};
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (shown[i]) {
      out += items[i].line;
    } else {
      rest += items[i].log;
      ++left_out[items[i].rank];
    }
  }
  if (!rest.empty()) {
    const std::size_t n = left_out[0] + left_out[1] + left_out[2];
    std::string parts;
    const char* names[3][2] = {{"error", "errors"}, {"warning", "warnings"}, {"notice", "notices"}};
    for (int k = 0; k < 3; ++k)
      if (left_out[k])
        parts += (parts.empty() ? "" : ", ") + std::to_string(left_out[k]) + " " + names[k][left_out[k] == 1 ? 0 : 1];
    std::string text =
        std::to_string(n) + (n == 1 ? " more finding is" : " more findings are") + " not shown as annotations (" +
        parts + "): GitHub shows at most " + std::to_string(o.per_kind) + " of each kind per step and " +
        std::to_string(o.total) +
        " per job; the most severe are shown, and the others are listed in the job log below this notice";
    text += o.full_report.empty() ? std::string(".") : " and in the full report, " + o.full_report + ".";
    annotation(out, "notice", "", {}, "joinup: more findings", text);
    out += rest;
  }
  out += summary_line(run.summary()) + '\n';
  return out;
}

}  // namespace joinup
