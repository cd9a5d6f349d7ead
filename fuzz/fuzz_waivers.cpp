// Waivers files (YAML, or JSON when the input starts with '{'): load_waivers, then the waivers
// applied to the standard pack's findings on the example partnership, then every text report.
// Promises checked on every input (a broken one aborts):
//   - a refused file: every diagnostic names the file, a line within it and a column;
//   - a read file: every waiver has a rule, a reason and its position in the file;
//   - no silent pass: a violation is waived only by a waiver of its rule, for its data file and
//     (when the waiver names one) its subject, that has not expired; each waiver's count of
//     matches is the number of violations it took; applying twice gives the same answer;
//   - the text, github, markdown, JUnit and HTML reports carry no raw control or bidirectional
//     character and no line a CI runner would read as a workflow command (docs/security.md).
#include "common.hpp"

#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "joinup/diagnostic.hpp"
#include "joinup/document.hpp"
#include "joinup/policy.hpp"
#include "joinup/report.hpp"
#include "joinup/waivers.hpp"
#include "promises.hpp"

namespace {

using joinup_fuzz::broken;

constexpr std::string_view data_origin = "northvale-midway.yaml";  // as the example waivers name it

struct context {
  joinup::policy rules;
  joinup::evaluation_result result;
};

const context& fixed() {
  static const context c = [] {
    context out;
    out.rules = joinup::policy::load({JOINUP_FUZZ_SOURCE_DIR "/rules"});
    // The example partnership under the name the waivers use (relative to the waivers file's folder).
    std::ifstream in(JOINUP_FUZZ_SOURCE_DIR "/examples/partnerships/northvale-midway.yaml", std::ios::binary);
    const std::string yaml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto named = joinup::load_document(yaml, std::string(data_origin));
    joinup::evaluate_options eo;
    eo.as_of = joinup::date::from_ymd(2026, 11, 21);
    out.result = out.rules.evaluate(named, eo);
    joinup::identify_subjects(out.result, named);
    return out;
  }();
  return c;
}

std::string summary_of(const std::vector<joinup::waiver_status>& ss, const joinup::evaluation_result& r) {
  std::string s;
  for (const auto& w : ss)
    s += std::string(joinup::to_string(w.state)) + ' ' + std::to_string(w.matched) + ' ' + w.stable_subject + '\n';
  for (const auto& rr : r.rules)
    for (const auto& v : rr.violations)
      s += v.waiver
               ? v.waiver->origin + ':' + std::to_string(v.waiver->position.line) + (v.waiver_expired ? " x\n" : "\n")
               : "-\n";
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > joinup_fuzz::max_input) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::string origin = !text.empty() && text[0] == '{' ? "fuzz.json" : "fuzz.yaml";
  std::vector<joinup::waiver> waivers;
  try {
    waivers = joinup::load_waivers(text, origin);
  } catch (const joinup::error& e) {
    if (const auto wrong = joinup_fuzz::misplaced(e.diagnostics(), origin, text); !wrong.empty())
      broken(wrong.c_str(), text, joinup::render(e.diagnostics()));
    for (const auto& d : e.diagnostics())
      if (const auto raw = joinup_fuzz::unsafe_for_terminal(joinup::render(d)); !raw.empty())
        broken(("a diagnostic holds " + raw).c_str(), text, joinup::render(d));
    return 0;
  }
  for (const auto& w : waivers) {
    if (w.rule.empty() || w.reason.empty()) broken("a waiver without a rule or a reason was read", text, w.rule);
    if (w.origin != origin || w.position.line == 0 || w.position.column == 0)
      broken("a waiver without its file, line and column", text, w.origin);
  }

  const auto& c = fixed();
  joinup::check_results run;
  run.files = {c.result};
  try {
    run.waivers = joinup::apply_waivers(run.files, waivers, c.rules.rules());
  } catch (const joinup::error& e) {
    broken("applying waivers to one data file failed", text, joinup::render(e.diagnostics()));
  }

  // No silent pass: each waived violation was waived by a waiver that may waive it.
  std::map<std::pair<std::string, std::uint32_t>, std::uint32_t> taken;  // by the waiver's position
  const auto as_of = run.files[0].as_of;
  for (const auto& r : run.files[0].rules)
    for (const auto& v : r.violations) {
      if (!v.waiver) continue;
      const auto& w = *v.waiver;
      ++taken[{w.origin, w.position.line * 65536u + w.position.column}];
      if (w.rule != v.rule_id) broken("a violation was waived by a waiver of another rule", text, w.rule);
      if (!joinup::waiver_covers(w, v.data_origin))
        broken("a violation was waived by a waiver for another data file", text, v.data_origin);
      if (!w.whole_rule && w.subject != v.subject_key && w.subject != v.subject)
        broken("a violation was waived by a waiver of another subject", text, w.subject + " / " + v.subject_key);
      if (v.waiver_expired != w.expired_at(as_of)) broken("a waiver's expiry was misjudged", text, w.rule);
    }
  for (const auto& s : run.waivers) {
    const auto it = taken.find({s.waiver.origin, s.waiver.position.line * 65536u + s.waiver.position.column});
    const std::uint32_t n = it == taken.end() ? 0 : it->second;
    if (s.state != joinup::waiver_state::not_evaluated && s.matched != n)
      broken("a waiver's count of matches is not the violations it took", text, std::to_string(s.matched));
    if (s.state == joinup::waiver_state::used && n == 0)
      broken("a waiver that took nothing is used", text, s.waiver.rule);
  }
  {
    std::vector<joinup::evaluation_result> again = run.files;
    const auto second = joinup::apply_waivers(again, waivers, c.rules.rules());
    if (summary_of(second, again[0]) != summary_of(run.waivers, run.files[0]))
      broken("applying the waivers twice gives another answer", text, summary_of(second, again[0]));
  }

  // Every report meant for a terminal, a CI log or a browser.
  const auto& meta = c.rules.rules();
  const std::pair<const char*, std::string> reports[] = {
      {"text", joinup::to_text(run, meta)},
      {"markdown", joinup::to_markdown(run, meta)},
      {"junit", joinup::to_junit(run, meta)},
      {"html", joinup::to_html(run, meta)},
  };
  for (const auto& [format, out] : reports)
    if (const auto raw = joinup_fuzz::unsafe_for_terminal(out); !raw.empty())
      broken((std::string("the ") + format + " report holds " + raw).c_str(), text, out);
  const auto github = joinup::to_github(run, meta);
  if (const auto raw = joinup_fuzz::unsafe_for_terminal(github, true); !raw.empty())
    broken(("the github report holds " + raw).c_str(), text, github);
  return 0;
}
