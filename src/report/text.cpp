// The text report: one block per violation in the form of the language spec's section 6, and the
// summary line.
#include <string>
#include <string_view>

#include "diag/ansi.hpp"
#include "diag/text.hpp"
#include "joinup/report.hpp"
#include "report/common.hpp"

namespace joinup {

namespace {

using namespace ansi;

// Appends text as indented lines: every line of a multi-line text gets the same indentation, so a
// message with a newline in it cannot break the block's shape. Every line is escaped for the
// terminal (diag::append_escaped): the text comes from rule, data and waivers files.
void append_indented(std::string& out, std::string_view indent, std::string_view raw) {
  const std::string text = diag::escaped(raw, diag::line_breaks::keep);
  std::size_t start = 0;
  while (true) {
    const std::size_t nl = text.find('\n', start);
    out += indent;
    out += text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    out += '\n';
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
}

const char* severity_color(const violation& v) {
  if (v.waived()) return green;
  if (v.kind == outcome::undetermined) return magenta;
  switch (v.severity) {
    case severity::error: return red;
    case severity::warning: return yellow;
    case severity::info: return cyan;
  }
  return red;
}

// A finding's first line up to its name: where in the plan, and how it stands ("file:3:5: error: ").
void append_heading(std::string& out, const violation& v, bool color) {
  auto paint = [&](const char* c) {
    if (color) out += c;
  };
  paint(bold);
  out += diag::escaped(report::location_text(v.data_origin, v.data_position)) + ':';
  paint(reset);
  out += ' ';
  paint(severity_color(v));
  out += v.waived()                        ? std::string_view("waived")
         : v.kind == outcome::undetermined ? std::string_view("undetermined")
                                           : to_string(v.severity);
  out += ':';
  paint(reset);
  out += ' ';
}

void append_block(std::string& out, const violation& v, const rule_info* rule, bool color) {
  append_heading(out, v, color);
  diag::append_escaped(out, v.rule_id);
  out += '\n';

  if (!v.message.empty()) append_indented(out, "  ", v.message);

  // Where in the rule: the failing require, or (when the engine could not name one, as for an
  // error in a `when`) the rule itself.
  std::string rule_loc;
  if (!v.rule_origin.empty())
    rule_loc = report::location_text(v.rule_origin, v.rule_position);
  else if (rule)
    rule_loc = report::location_text(rule->origin, rule->position);
  if (!v.require_text.empty()) {
    std::string line;
    if (!rule_loc.empty()) line += rule_loc + ": ";
    line += (v.clause.empty() ? std::string("require") : v.clause) + " " + report::one_line(v.require_text);
    out += "  " + diag::escaped(line) + '\n';
  } else if (!rule_loc.empty()) {
    out += "  " + diag::escaped(rule_loc) + '\n';
  }

  for (const auto& e : v.explanation) append_indented(out, "      ", e.expression + " = " + e.value);

  if (v.waiver) {
    const auto& w = *v.waiver;
    const std::string at = report::location_text(w.origin, w.position);
    if (v.waived()) {
      std::string line =
          "waived by " + at + " (" +
          (v.kind == outcome::undetermined ? std::string("undetermined") : std::string(to_string(v.severity))) + ")";
      if (!w.approved_by.empty()) line += "; approved by " + w.approved_by;
      if (w.expires) line += "; expires " + w.expires->to_string();
      append_indented(out, "  ", line);
      append_indented(out, "      ", w.reason);
    } else {
      append_indented(
          out, "  ",
          "the waiver at " + at + " expired on " + w.expires->to_string() + ", so this finding counts again");
    }
  }
}

// The reader's view of a finding: where in the plan, how it stands, the rule's title; the message;
// what to do. No rule id, require or values: those are the developer's view.
void append_board_block(std::string& out, const violation& v, const rule_info* rule, bool color) {
  append_heading(out, v, color);
  diag::append_escaped(out, rule && !rule->title.empty() ? rule->title : v.rule_id);
  out += '\n';
  if (!v.message.empty()) append_indented(out, "  ", v.message);
  if (!v.remedy.empty()) append_indented(out, "  ", "What to do: " + v.remedy);
  if (v.waiver && v.waived()) append_indented(out, "  ", "Waived: " + v.waiver->reason);
  if (v.waiver && !v.waived())
    append_indented(out, "  ", "A waiver expired on " + v.waiver->expires->to_string() + ": this finding counts again");
}

void append_notice(std::string& out, const waiver_status& s, bool color) {
  auto paint = [&](const char* c) {
    if (color) out += c;
  };
  paint(bold);
  out += diag::escaped(report::location_text(s.waiver.origin, s.waiver.position)) + ':';
  paint(reset);
  out += ' ';
  paint(yellow);
  out += "warning:";
  paint(reset);
  out += s.state == waiver_state::expired ? " expired waiver\n" : " unused waiver\n";
  append_indented(out, "  ", s.note);
}

std::string count_of(std::uint32_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + ' ' + std::string(n == 1 ? one : many);
}

}  // namespace

std::string summary_line(const joinup::summary& s) {
  std::string out = count_of(s.failed, "rule", "rules") + " failed";
  if (s.failed) {
    std::string parts;
    auto part = [&](std::uint32_t n, std::string_view one, std::string_view many) {
      if (!n) return;
      if (!parts.empty()) parts += ", ";
      parts += count_of(n, one, many);
    };
    part(s.failed_by_severity[static_cast<int>(severity::error)], "error", "errors");
    part(s.failed_by_severity[static_cast<int>(severity::warning)], "warning", "warnings");
    part(s.failed_by_severity[static_cast<int>(severity::info)], "info", "info");
    if (!parts.empty()) out += " (" + parts + ")";
  }
  if (s.undetermined) out += ", " + std::to_string(s.undetermined) + " undetermined";
  // "passed" is left out at zero unless nothing else follows the lead, so that a run over an
  // empty selection still says what happened: "0 rules failed, 0 passed".
  if (s.passed || (!s.failed && !s.undetermined && !s.not_applicable && !s.waived))
    out += ", " + std::to_string(s.passed) + " passed";
  if (s.not_applicable) out += ", " + std::to_string(s.not_applicable) + " not applicable";
  if (s.waived) out += ", " + std::to_string(s.waived) + " waived";
  return out;
}

std::string to_text(const evaluation_result& r, const std::vector<rule_info>& rules, const text_report_options& o) {
  std::string out;
  for (const auto& rr : r.rules) {
    const rule_info* info = rr.rule_index < rules.size() ? &rules[rr.rule_index] : nullptr;
    for (const auto& v : rr.violations) {
      if (!out.empty()) out += '\n';
      if (o.board)
        append_board_block(out, v, info, o.color);
      else
        append_block(out, v, info, o.color);
    }
  }
  if (!o.quiet) {
    if (!out.empty()) out += '\n';
    out += summary_line(r.summary()) + '\n';
  }
  return out;
}

std::string to_text(const check_results& run, const std::vector<rule_info>& rules, const text_report_options& o) {
  std::string out;
  for (const auto& r : run.files) {
    const std::string t = to_text(r, rules, {.color = o.color, .quiet = true, .board = o.board});
    if (t.empty()) continue;
    if (!out.empty()) out += '\n';
    out += t;
  }
  for (const auto& w : run.waivers) {
    if (!w.is_warning()) continue;
    if (!out.empty()) out += '\n';
    append_notice(out, w, o.color);
  }
  if (o.errors && !run.errors.empty()) {
    if (!out.empty()) out += '\n';
    out += render(run.errors, o.color);
  }
  if (o.verbose && !o.quiet) {
    std::string list;
    for (const auto& f : run.files)
      for (const auto& rr : f.rules)
        list += diag::escaped(f.data_origin) + ": " + std::string(to_string(rr.unwaived_result())) +
                (rr.waived() ? " (waived) " : " ") + diag::escaped(rr.rule_id) + " (" +
                count_of(rr.subjects, "subject", "subjects") + ")\n";
    if (!list.empty()) {
      if (!out.empty()) out += '\n';
      out += list;
    }
  }
  // A run in which no file could be checked has nothing to sum up.
  if (!o.quiet && !(run.files.empty() && !run.errors.empty())) {
    if (!out.empty()) out += '\n';
    out += summary_line(run.summary()) + '\n';
    if (const auto none = run.unjudged_rules(); !none.empty()) out += unjudged_line(none) + '\n';
    if (run.has_baseline) out += baseline_line(run) + '\n';
  }
  return out;
}

std::string unjudged_line(const std::vector<std::string>& ids) {
  std::string out = count_of(static_cast<std::uint32_t>(ids.size()), "rule", "rules") + " judged no subject (";
  out += ids.size() == 1 ? "its list was empty or its filter matched nothing"
                         : "their lists were empty or their filters matched nothing";
  out += "): ";
  for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? ", " : "") + diag::escaped(ids[i]);
  return out;
}

std::string baseline_line(const check_results& run) {
  std::size_t unchanged = 0;
  for (const auto& f : run.files)
    for (const auto& r : f.rules)
      for (const auto& v : r.violations) unchanged += v.baseline == "unchanged";
  const std::size_t fresh = run.new_findings(), gone = run.absent.size();
  return "against the baseline: " + std::to_string(fresh) + " new, " + std::to_string(unchanged) + " unchanged, " +
         std::to_string(gone) + " resolved";
}

}  // namespace joinup
