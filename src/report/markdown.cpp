// The Markdown report, for a CI job summary or a merge-request comment: the counts, then the
// findings grouped by severity in collapsible <details> sections, kept within a size limit
// (GitHub's job summaries take at most 1 MiB).
#include <algorithm>
#include <string>
#include <vector>

#include "diag/text.hpp"
#include "joinup/report.hpp"
#include "report/common.hpp"

namespace joinup {

namespace {

// Text inline in Markdown: HTML's special characters as entities, Markdown's emphasis, link and
// code characters escaped, and line breaks as spaces (a finding's line stays one list item).
// Control and bidirectional characters are escaped first, as in every text output.
std::string md(std::string_view raw) {
  const std::string s = diag::escaped(raw, diag::line_breaks::keep);
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\n':
      case '\r': out += ' '; break;
      case '\\':
      case '*':
      case '_':
      case '[':
      case ']':
      case '`':
      case '|':
      case '#':
      case '~':
        out += '\\';
        out += c;
        break;
      default: out += c;
    }
  }
  return out;
}

// Text in a code span: backticks cannot be escaped there, so a span with one is fenced by two.
std::string code(std::string_view s) {
  std::string t = diag::escaped(s, diag::line_breaks::keep);
  for (auto& c : t)
    if (c == '\n' || c == '\r') c = ' ';
  const bool tick = t.find('`') != std::string::npos;
  return tick ? "`` " + t + " ``" : "`" + t + "`";
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

struct group {
  std::string title;
  bool open = false;
  std::vector<std::string> items;  // one list item each
};

std::string item_of(const violation& v) {
  std::string out = "- **" + code(v.rule_id) + "** at " + code(report::location_text(v.data_origin, v.data_position));
  const std::string& subject = v.subject_key.empty() ? v.subject : v.subject_key;
  if (!subject.empty()) out += " (" + code(subject) + ")";
  if (v.baseline == "new") out += " — **new**";
  out += "<br>\n  " + md(v.message);
  if (!v.require_text.empty()) {
    out += "<br>\n  " +
           code((v.clause.empty() ? std::string("require") : v.clause) + " " + report::one_line(v.require_text));
    for (const auto& e : v.explanation) out += "<br>\n  " + code(e.expression + " = " + e.value);
  }
  if (!v.remedy.empty()) out += "<br>\n  *Remedy:* " + md(v.remedy);
  if (v.waiver) out += "<br>\n  *" + md(report::waiver_text(v)) + "*";
  if (v.waived()) out += "<br>\n  *Reason:* " + md(v.waiver->reason);
  return out + "\n";
}

}  // namespace

std::string to_markdown(const check_results& run, const std::vector<rule_info>& rules, std::size_t max_bytes) {
  (void)rules;
  const auto s = run.summary();
  std::string out = "## joinup check\n\n**" + md(summary_line(s)) + "**";
  out += " · " + plural(run.files.size(), "file", "files") + " checked";
  if (!run.files.empty()) out += " · as of " + run.files.front().as_of.to_string();
  out += "\n\n";
  if (run.has_baseline) out += md(baseline_line(run)) + "\n\n";

  // The counts of findings (subjects, not rules), as a table.
  std::size_t counts[5] = {0, 0, 0, 0, 0};  // error, warning, info, undetermined, waived
  group groups[5] = {{"Errors", true, {}},
                     {"Warnings", false, {}},
                     {"Info", false, {}},
                     {"Undetermined (a person must look)", false, {}},
                     {"Waived", false, {}}};
  for (const auto& f : run.files)
    for (const auto& rr : f.rules)
      for (const auto& v : rr.violations) {
        const int g = v.waived() ? 4 : v.kind == outcome::undetermined ? 3 : static_cast<int>(v.severity);
        ++counts[g];
        groups[g].items.push_back(item_of(v));
      }
  out += "| errors | warnings | info | undetermined | waived | files not checked |\n|---:|---:|---:|---:|---:|---:|\n";
  std::size_t broken = 0;
  {
    std::vector<std::string> seen;
    for (const auto& d : run.errors)
      if (std::find(seen.begin(), seen.end(), d.origin) == seen.end()) seen.push_back(d.origin);
    broken = seen.size();
  }
  out += "| " + std::to_string(counts[0]) + " | " + std::to_string(counts[1]) + " | " + std::to_string(counts[2]) +
         " | " + std::to_string(counts[3]) + " | " + std::to_string(counts[4]) + " | " + std::to_string(broken) +
         " |\n\n";

  if (!run.errors.empty()) {
    out += "### Plans that could not be checked\n\n";
    for (const auto& d : run.errors)
      out += "- " + code(report::location_text(d.origin, {d.line, d.column})) + ": " + md(d.message) +
             (d.help.empty() ? std::string() : " (" + md(d.help) + ")") + "\n";
    out += "\n";
  }

  std::vector<const waiver_status*> attention;
  for (const auto& w : run.waivers)
    if (w.is_warning()) attention.push_back(&w);

  // Each group in a <details> section, while the room lasts: the rest are counted at the end.
  constexpr std::size_t reserve = 512;  // for the closing lines
  const std::size_t room = max_bytes > reserve ? max_bytes - reserve : 0;
  std::size_t left_out = 0;
  for (auto& g : groups) {
    if (g.items.empty()) continue;
    std::string head = std::string(g.open ? "<details open>" : "<details>") + "<summary><b>" + g.title + " (" +
                       std::to_string(g.items.size()) + ")</b></summary>\n\n";
    const std::string tail = "\n</details>\n\n";
    if (out.size() + head.size() + tail.size() > room) {
      left_out += g.items.size();
      continue;
    }
    out += head;
    for (const auto& it : g.items) {
      if (out.size() + it.size() + tail.size() > room) {
        ++left_out;
        continue;
      }
      out += it;
    }
    out += tail;
  }
  if (!attention.empty()) {
    std::string sec = "<details open><summary><b>Waivers that need attention (" + std::to_string(attention.size()) +
                      ")</b></summary>\n\n";
    for (const auto* w : attention)
      sec += "- " + code(report::location_text(w->waiver.origin, w->waiver.position)) + ": " +
             (w->state == waiver_state::expired ? "expired waiver" : "unused waiver") + ": " + md(w->note) + "\n";
    sec += "\n</details>\n\n";
    if (out.size() + sec.size() <= room)
      out += sec;
    else
      left_out += attention.size();
  }
  if (left_out)
    out += "*" + plural(left_out, "more finding is", "more findings are") +
           " left out to keep this summary within its size limit: the full report (`--format html`, `json` or "
           "`text`) has every one.*\n";
  return out;
}

}  // namespace joinup
