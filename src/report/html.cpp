// The HTML report: one self-contained page for a partnership board. The overall counts, then for
// each data file a chart of outcomes by theme (inline SVG), every principle with its outcome, and
// each finding with its explanation, remedy and source; then the waivers. No scripts, no fonts,
// images or stylesheets from elsewhere: the page makes no network request.
#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <range/v3/algorithm/stable_sort.hpp>

#include "diag/text.hpp"
#include "joinup/report.hpp"
#include "joinup/version.hpp"
#include "report/common.hpp"

namespace joinup {

namespace {

using report::xml_escaped;

std::string esc(std::string_view s) { return xml_escaped(s); }

// A coordinate with one decimal, as SVG reads it.
std::string n1(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

constexpr const char* style = R"css(
:root { --ink:#1d2330; --muted:#5b6475; --line:#dfe3ea; --bg:#f5f6f8; --card:#fff;
  --pass:#2e7d32; --error:#c62828; --warning:#e08600; --info:#1565c0; --undetermined:#7b1fa2;
  --waived:#00838f; --na:#9aa3b2; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header.top { background:#22304a; color:#fff; padding:28px 40px 24px; }
header.top h1 { margin:0 0 4px; font-size:26px; font-weight:650; letter-spacing:.2px; }
header.top p { margin:0; color:#c9d3e6; }
main { max-width:1120px; margin:0 auto; padding:24px 40px 48px; }
h2 { font-size:20px; margin:36px 0 12px; }
h3 { font-size:16px; margin:24px 0 8px; }
.tiles { display:flex; flex-wrap:wrap; gap:12px; margin-top:-44px; }
.tile { background:var(--card); border-radius:10px; padding:14px 16px; min-width:104px; flex:1 1 0;
  box-shadow:0 1px 3px rgba(20,30,50,.12); border-top:4px solid var(--na); }
.tile b { display:block; font-size:30px; line-height:1.1; }
.tile span { color:var(--muted); font-size:13px; }
.tile.fail { border-color:var(--error); } .tile.warn { border-color:var(--warning); }
.tile.undetermined { border-color:var(--undetermined); } .tile.pass { border-color:var(--pass); }
.tile.waived { border-color:var(--waived); }
.verdict { margin:18px 0 0; font-size:15px; color:var(--muted); }
section.file { background:var(--card); border-radius:12px; padding:8px 28px 24px; margin-top:28px;
  box-shadow:0 1px 3px rgba(20,30,50,.10); }
section.file > h2 { margin-top:18px; }
.chart { width:100%; height:auto; max-width:900px; display:block; }
.legend { display:flex; flex-wrap:wrap; gap:16px; font-size:13px; color:var(--muted); margin:6px 0 8px; }
.legend i { display:inline-block; width:12px; height:12px; border-radius:3px; margin-right:6px; vertical-align:-1px; }
table { border-collapse:collapse; width:100%; font-size:14px; }
th, td { text-align:left; padding:7px 10px; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-size:12px; text-transform:uppercase; letter-spacing:.5px; color:var(--muted); font-weight:600; }
td.theme { color:var(--muted); white-space:nowrap; }
.pill { display:inline-block; padding:1px 9px; border-radius:999px; font-size:12px; font-weight:600;
  color:#fff; white-space:nowrap; }
.pill.pass { background:var(--pass); } .pill.error { background:var(--error); }
.pill.warning { background:var(--warning); } .pill.info { background:var(--info); }
.pill.undetermined { background:var(--undetermined); } .pill.waived { background:var(--waived); }
.pill.na { background:var(--na); } .pill.expired, .pill.unused { background:var(--warning); }
.pill.used { background:var(--waived); } .pill.not-evaluated { background:var(--na); }
.finding { border:1px solid var(--line); border-left:5px solid var(--na); border-radius:8px;
  padding:12px 16px; margin:12px 0; }
.finding.error { border-left-color:var(--error); } .finding.warning { border-left-color:var(--warning); }
.finding.info { border-left-color:var(--info); } .finding.undetermined { border-left-color:var(--undetermined); }
.finding.waived { border-left-color:var(--waived); background:#f6fbfb; }
.finding h4 { margin:0 0 4px; font-size:15px; }
.finding .msg { font-size:15px; margin:6px 0; }
.finding ul.items { margin:6px 0; padding-left:20px; } .finding ul.items li { margin:4px 0 10px; }
.meta { color:var(--muted); font-size:13px; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size:13px; }
pre { background:#f3f5f9; border-radius:6px; padding:8px 12px; margin:8px 0; white-space:pre-wrap; word-break:break-word; }
.remedy { margin:8px 0 0; } .remedy b { color:var(--pass); }
details.working { margin-top:8px; } details.working summary { cursor:pointer; color:var(--muted); font-size:13px; }
.waiver { margin-top:10px; padding:8px 12px; border-radius:6px; background:#e0f2f1; font-size:14px; }
.waiver.expired { background:#fff3e0; }
.notice { border-left:5px solid var(--warning); background:#fff8ec; padding:10px 14px; border-radius:6px; margin:10px 0; }
footer { color:var(--muted); font-size:12px; margin-top:40px; }
.none { color:var(--muted); font-style:italic; }
)css";

// How a rule stands once waivers are taken into account, for colours and counts.
enum class standing { pass, error, warning, info, undetermined, waived, not_applicable };

standing standing_of(const rule_result& rr) {
  if (rr.waived()) return standing::waived;
  switch (rr.unwaived_result()) {
    case outcome::pass: return standing::pass;
    case outcome::not_applicable: return standing::not_applicable;
    case outcome::undetermined: return standing::undetermined;
    case outcome::fail:
      return rr.severity == severity::error     ? standing::error
             : rr.severity == severity::warning ? standing::warning
                                                : standing::info;
  }
  return standing::pass;
}

struct standing_style {
  const char* css;    // class name
  const char* label;  // in words
  const char* color;
};
constexpr standing_style styles[] = {
    {"pass", "passed", "#2e7d32"},
    {"error", "failed: error", "#c62828"},
    {"warning", "failed: warning", "#e08600"},
    {"info", "failed: info", "#1565c0"},
    {"undetermined", "undetermined", "#7b1fa2"},
    {"waived", "waived", "#00838f"},
    {"na", "not applicable", "#9aa3b2"},
};
const standing_style& style_of(standing s) { return styles[static_cast<int>(s)]; }

std::string theme_of(const rule_info* info, const rule_result& rr) {
  std::string pkg = info ? info->package : rr.rule_id.substr(0, rr.rule_id.rfind('.'));
  const auto dot = pkg.rfind('.');
  std::string t = dot == std::string::npos ? pkg : pkg.substr(dot + 1);
  if (!t.empty() && t[0] >= 'a' && t[0] <= 'z') t[0] = static_cast<char>(t[0] - 'a' + 'A');
  for (auto& c : t)
    if (c == '-' || c == '_') c = ' ';
  return t;
}

std::string plural(std::uint32_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

// Outcomes by theme: a horizontal stacked bar per theme, a segment per outcome, one unit a rule.
std::string theme_chart(const evaluation_result& r, const std::vector<rule_info>& rules) {
  std::vector<std::string> themes;
  std::map<std::string, std::array<std::uint32_t, 7>> counts;
  for (const auto& rr : r.rules) {
    const rule_info* info = rr.rule_index < rules.size() ? &rules[rr.rule_index] : nullptr;
    const auto t = theme_of(info, rr);
    if (!counts.contains(t)) themes.push_back(t), counts[t] = {};
    ++counts[t][static_cast<int>(standing_of(rr))];
  }
  if (themes.empty()) return "<p class=\"none\">No rules were evaluated.</p>\n";
  std::uint32_t most = 1;
  for (const auto& [t, c] : counts) {
    std::uint32_t n = 0;
    for (auto x : c) n += x;
    most = std::max(most, n);
  }
  const int label_w = 190, bar_w = 560, row_h = 30, bar_h = 20, top = 8, width = label_w + bar_w + 60;
  const int height = top + static_cast<int>(themes.size()) * row_h + 26;
  const double unit = static_cast<double>(bar_w) / most;
  std::string svg =
      "<svg class=\"chart\" viewBox=\"0 0 " + std::to_string(width) + " " + std::to_string(height) +
      "\" role=\"img\" aria-label=\"Outcomes of the rules by theme\" xmlns=\"http://www.w3.org/2000/svg\">\n";
  // Grid lines at every rule count, labelled below.
  const std::uint32_t step = most > 12 ? 5 : most > 6 ? 2 : 1;
  for (std::uint32_t k = 0; k <= most; k += step) {
    const double x = label_w + k * unit;
    svg += "<line x1=\"" + n1(x) + "\" x2=\"" + n1(x) + "\" y1=\"" + std::to_string(top - 4) + "\" y2=\"" +
           std::to_string(height - 20) + "\" stroke=\"#e3e7ee\"/>\n";
    svg += "<text x=\"" + n1(x) + "\" y=\"" + std::to_string(height - 6) +
           "\" font-size=\"11\" fill=\"#5b6475\" text-anchor=\"middle\">" + std::to_string(k) + "</text>\n";
  }
  for (std::size_t i = 0; i < themes.size(); ++i) {
    const auto& c = counts[themes[i]];
    const int y = top + static_cast<int>(i) * row_h;
    svg += "<text x=\"" + std::to_string(label_w - 12) + "\" y=\"" + std::to_string(y + bar_h - 5) +
           "\" font-size=\"13\" fill=\"#1d2330\" text-anchor=\"end\">" + esc(themes[i]) + "</text>\n";
    double x = label_w;
    std::uint32_t total = 0;
    for (int s = 0; s < 7; ++s) {
      // Failures first, so the eye lands on them; passes and the rest after.
      static constexpr int order[] = {1, 2, 3, 4, 5, 0, 6};
      const int k = order[s];
      if (!c[k]) continue;
      const double w = c[k] * unit;
      svg += "<rect x=\"" + n1(x) + "\" y=\"" + std::to_string(y) + "\" width=\"" + n1(w - 1.5) + "\" height=\"" +
             std::to_string(bar_h) + "\" rx=\"3\" fill=\"" + styles[k].color + "\"><title>" + esc(themes[i]) + ": " +
             plural(c[k], "rule", "rules") + " " + styles[k].label + "</title></rect>\n";
      x += w;
      total += c[k];
    }
    svg += "<text x=\"" + n1(x + 8) + "\" y=\"" + std::to_string(y + bar_h - 5) +
           "\" font-size=\"12\" fill=\"#5b6475\">" + std::to_string(total) + "</text>\n";
  }
  svg += "</svg>\n<div class=\"legend\">";
  for (int k : {0, 1, 2, 3, 4, 5, 6})
    svg += std::string("<span><i style=\"background:") + styles[k].color + "\"></i>" + styles[k].label + "</span>";
  svg += "</div>\n";
  return svg;
}

std::string at_a_glance(const evaluation_result& r, const std::vector<rule_info>& rules, bool board) {
  std::string out = std::string("<table>\n<tr><th>Theme</th><th>Principle</th><th>Outcome</th>") +
                    (board ? "" : "<th>Rule</th>") + "</tr>\n";
  std::string last_theme;
  for (const auto& rr : r.rules) {
    const rule_info* info = rr.rule_index < rules.size() ? &rules[rr.rule_index] : nullptr;
    const auto t = theme_of(info, rr);
    const auto& st = style_of(standing_of(rr));
    std::string outcome_text = st.label;
    const auto n = static_cast<std::uint32_t>(rr.violations.size());
    if (standing_of(rr) != standing::pass && standing_of(rr) != standing::not_applicable && n)
      outcome_text += " (" + plural(n, "finding", "findings") + ")";
    out += "<tr><td class=\"theme\">" + (t == last_theme ? std::string() : esc(t)) + "</td><td>" +
           esc(info && !info->title.empty() ? info->title : rr.rule_id) + "</td><td><span class=\"pill " + st.css +
           "\">" + esc(outcome_text) + "</span></td>" +
           (board ? std::string() : "<td><code>" + esc(rr.rule_id) + "</code></td>") + "</tr>\n";
    last_theme = t;
  }
  return out + "</table>\n";
}

// A rule file as the page shows it: relative to the rule folder (or file) it was loaded from, so no
// folder of the machine that ran the check shows; a file in none of them by its name alone.
std::string rule_file_text(std::string_view file, const std::vector<std::string>& rule_dirs) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto p = fs::absolute(fs::path(file), ec).lexically_normal();
  for (const auto& d : rule_dirs) {
    const auto dir = fs::absolute(fs::path(d), ec).lexically_normal();
    if (p == dir) return p.filename().generic_string();
    const auto rel = p.lexically_relative(dir);
    if (!rel.empty() && *rel.begin() != "..") return rel.generic_string();
  }
  return p.filename().generic_string();
}

const char* css_of(const violation& v) {
  return v.waived()                        ? "waived"
         : v.kind == outcome::undetermined ? "undetermined"
         : v.severity == severity::error   ? "error"
         : v.severity == severity::warning ? "warning"
                                           : "info";
}

// The evaluator's working: where in the plan and the rule, the require and the values it saw.
// Open in the default view; one click away in the board's.
std::string working(const violation& v, const html_options& o) {
  std::string out = std::string("<details class=\"working\"") + (o.board ? "" : " open") +
                    "><summary>How this was found</summary>\n<div class=\"meta\">" +
                    esc(report::location_text(v.data_origin, v.data_position));
  if (!v.subject.empty()) out += " &middot; <code>" + esc(v.subject) + "</code>";
  out += " &middot; rule <code>" + esc(v.rule_id) + "</code>";
  if (!v.rule_origin.empty())
    out += " (" + esc(report::location_text(rule_file_text(v.rule_origin, o.rule_dirs), v.rule_position)) + ")";
  out += "</div>\n";
  if (const auto e = report::explanation_text(v); !e.empty()) out += "<pre>" + esc(e) + "</pre>\n";
  return out + "</details>\n";
}

std::string waiver_box(const violation& v) {
  if (!v.waiver) return {};
  std::string out = std::string("<div class=\"waiver") + (v.waiver_expired ? " expired" : "") + "\">";
  if (v.waived()) {
    out += "<b>Waived:</b> " + esc(v.waiver->reason) + "<br><span class=\"meta\">";
    if (!v.waiver->approved_by.empty()) out += "Approved by " + esc(v.waiver->approved_by) + " &middot; ";
    if (v.waiver->expires) out += "expires " + esc(v.waiver->expires->to_string()) + " &middot; ";
    out += esc(report::location_text(v.waiver->origin, v.waiver->position)) + "</span>";
  } else {
    out += "<b>Waiver expired</b> on " + esc(v.waiver->expires->to_string()) + ": this finding counts again. " +
           "<span class=\"meta\">" + esc(report::location_text(v.waiver->origin, v.waiver->position)) + "</span>";
  }
  return out + "</div>\n";
}

// One card for the findings of one rule that stand alike (the same severity, undetermined or
// waived): the rule's title once, each subject's message with its working, what to do (once,
// where every subject's remedy reads the same) and the source.
std::string finding(const std::vector<const violation*>& vs, const rule_info* info, const html_options& o) {
  const violation& v = *vs.front();
  const char* css = css_of(v);
  const std::string label = v.waived()                        ? "waived " + std::string(to_string(v.severity))
                            : v.kind == outcome::undetermined ? std::string("undetermined")
                                                              : std::string(to_string(v.severity));
  std::string out = std::string("<div class=\"finding ") + css + "\">\n<h4><span class=\"pill " + css + "\">" +
                    esc(label) + "</span> " + esc(info && !info->title.empty() ? info->title : v.rule_id) + "</h4>\n";
  const bool one_remedy = std::all_of(vs.begin(), vs.end(), [&](const violation* w) { return w->remedy == v.remedy; });
  auto remedy = [](const violation& w) {
    return w.remedy.empty() ? std::string() : "<p class=\"remedy\"><b>What to do:</b> " + esc(w.remedy) + "</p>\n";
  };
  if (vs.size() == 1) {
    out += "<div class=\"msg\">" + esc(v.message) + "</div>\n" + remedy(v);
    if (info && !info->source.empty()) out += "<div class=\"meta\">Source: " + esc(info->source) + "</div>\n";
    out += working(v, o) + waiver_box(v);
    return out + "</div>\n";
  }
  out += "<ul class=\"items\">\n";
  for (const auto* w : vs)
    out += "<li><div class=\"msg\">" + esc(w->message) + "</div>\n" + (one_remedy ? std::string() : remedy(*w)) +
           working(*w, o) + waiver_box(*w) + "</li>\n";
  out += "</ul>\n";
  if (one_remedy) out += remedy(v);
  if (info && !info->source.empty()) out += "<div class=\"meta\">Source: " + esc(info->source) + "</div>\n";
  return out + "</div>\n";
}

std::string tile(const char* css, std::uint32_t n, std::string_view label) {
  return std::string("<div class=\"tile ") + css + "\"><b>" + std::to_string(n) + "</b><span>" + esc(label) +
         "</span></div>\n";
}

}  // namespace

std::string to_html(const check_results& run, const std::vector<rule_info>& rules, const html_options& o) {
  const auto s = run.summary();
  const std::string as_of = run.files.empty() ? std::string() : run.files.front().as_of.to_string();
  // A page about one partnership is titled with the name it gives itself, else its file.
  std::string title = "Partnership check";
  // The name comes from the data: shown within the window of any string from data.
  if (run.files.size() == 1)
    title = run.files.front().title.empty() ? title + ": " + run.files.front().data_origin
                                            : diag::window(run.files.front().title);

  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>" +
      esc(title) + "</title>\n<style>" + style + "</style>\n</head>\n<body>\n";
  out += "<header class=\"top\"><h1>" + esc(title) + "</h1><p>" +
         (run.files.size() == 1 && !run.files.front().title.empty() ? "Partnership check &middot; " : "") +
         (as_of.empty() ? std::string() : "As of " + esc(as_of) + " &middot; ") +
         esc(plural(static_cast<std::uint32_t>(run.files.size()), "file", "files")) + " checked against " +
         esc(plural(static_cast<std::uint32_t>(rules.size()), "rule", "rules")) + "</p></header>\n<main>\n";

  const std::uint32_t errors = s.failed_by_severity[0], warnings = s.failed_by_severity[1],
                      infos = s.failed_by_severity[2];
  out += "<div class=\"tiles\">\n" + tile("fail", errors, "failed: errors") +
         tile("warn", warnings, "failed: warnings") + tile("", infos, "failed: info") +
         tile("undetermined", s.undetermined, "undetermined") + tile("pass", s.passed, "passed") +
         tile("waived", s.waived, "waived") + tile("", s.not_applicable, "not applicable") + "</div>\n";
  out += "<p class=\"verdict\">" + esc(summary_line(s)) + "</p>\n";
  if (run.has_baseline) out += "<p class=\"verdict\">" + esc(baseline_line(run)) + "</p>\n";
  if (!run.errors.empty()) {
    out += "<div class=\"notice\"><b>Not every plan could be checked.</b><ul>\n";
    for (const auto& d : run.errors)
      out += "<li><code>" + esc(report::location_text(d.origin, {d.line, d.column})) + "</code>: " + esc(d.message) +
             (d.help.empty() ? std::string() : " (" + esc(d.help) + ")") + "</li>\n";
    out += "</ul></div>\n";
  }

  std::uint32_t warnings_about_waivers = 0;
  for (const auto& w : run.waivers) warnings_about_waivers += w.is_warning();
  if (warnings_about_waivers)
    out += "<div class=\"notice\"><b>" + esc(plural(warnings_about_waivers, "waiver needs", "waivers need")) +
           " attention</b> (expired or unused): see <a href=\"#waivers\">Waivers</a>.</div>\n";

  for (std::size_t i = 0; i < run.files.size(); ++i) {
    const auto& r = run.files[i];
    out += "<section class=\"file\">\n<h2>" + esc(r.title.empty() ? r.data_origin : diag::window(r.title)) + "</h2>\n";
    out += "<p class=\"meta\">" + (r.title.empty() ? std::string() : esc(r.data_origin) + " &middot; ") +
           esc(summary_line(r.summary())) + "</p>\n";
    out += "<h3>Outcomes by theme</h3>\n" + theme_chart(r, rules);
    // What needs the board first: errors, warnings, info, undetermined; waived findings last.
    std::vector<std::pair<const violation*, const rule_info*>> found;
    for (const auto& rr : r.rules)
      for (const auto& v : rr.violations)
        found.emplace_back(&v, rr.rule_index < rules.size() ? &rules[rr.rule_index] : nullptr);
    auto rank = [](const violation& v) {
      return v.waived() ? 4 : v.kind == outcome::undetermined ? 3 : static_cast<int>(v.severity);
    };
    ranges::stable_sort(found, std::less<>{}, [&](const auto& f) { return rank(*f.first); });
    std::string findings;
    const auto n = static_cast<std::uint32_t>(found.size());
    // The board's view gathers a rule's findings that stand alike into one card; the default view
    // gives each finding its own.
    for (std::size_t k = 0; k < found.size();) {
      std::vector<const violation*> group{found[k].first};
      std::size_t next = k + 1;
      while (o.board && next < found.size() && found[next].first->rule_id == found[k].first->rule_id &&
             std::string_view(css_of(*found[next].first)) == css_of(*found[k].first))
        group.push_back(found[next++].first);
      findings += finding(group, found[k].second, o);
      k = next;
    }
    out +=
        "<h3>Findings (" + std::to_string(n) + ")</h3>\n" +
        (n ? findings : std::string("<p class=\"none\">Nothing to report: every rule passed or did not apply.</p>\n"));
    out += "<h3>Every principle</h3>\n" + at_a_glance(r, rules, o.board);
    out += "</section>\n";
  }

  if (!run.waivers.empty()) {
    out +=
        "<h2 id=\"waivers\">Waivers</h2>\n<table>\n<tr><th>Status</th><th>Rule and subject</th><th>Reason</th>"
        "<th>Approved by</th><th>Expires</th><th>Where</th></tr>\n";
    for (const auto& st : run.waivers) {
      const auto& w = st.waiver;
      const std::string state(to_string(st.state));
      std::string status_text = st.state == waiver_state::used ? "waives " + plural(st.matched, "finding", "findings")
                                : st.state == waiver_state::unused  ? std::string("unused waiver")
                                : st.state == waiver_state::expired ? std::string("expired waiver")
                                                                    : std::string("rule not evaluated");
      out += "<tr><td><span class=\"pill " + state + "\">" + esc(status_text) + "</span></td><td><code>" + esc(w.rule) +
             "</code>" +
             (w.whole_rule ? std::string("<br><span class=\"meta\">every subject</span>")
                           : "<br><code>" + esc(w.subject) + "</code>") +
             "</td><td>" + esc(w.reason) +
             (st.note.empty() ? std::string() : "<br><span class=\"meta\">" + esc(st.note) + "</span>") + "</td><td>" +
             esc(w.approved_by) + "</td><td>" + (w.expires ? esc(w.expires->to_string()) : std::string("&mdash;")) +
             "</td><td class=\"meta\">" + esc(report::location_text(w.origin, w.position)) + "</td></tr>\n";
    }
    out += "</table>\n";
  }

  out += "<footer>Written by joinup " + esc(version_string) +
         ". Under each finding, “How this was found” names the line of the plan, the rule "
         "and the values it saw.</footer>\n</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace joinup
