// The JUnit XML report, for CI dashboards: a test suite per data file and a test case per rule —
// per rule and subject where it failed. A failing subject is a <failure> (its type the severity),
// one that could not be judged an <error> (type "undetermined"); a not-applicable rule and a
// waived subject are <skipped>. Unused and expired waivers are failures of type "warning" in a
// last suite named after the waivers file.
#include <algorithm>
#include <string>

#include "joinup/report.hpp"
#include "report/common.hpp"

namespace joinup {

namespace {

using report::append_xml_escaped;
using report::xml_escaped;

struct counts {
  std::uint32_t tests = 0, failures = 0, errors = 0, skipped = 0;
  counts& operator+=(const counts& o) {
    tests += o.tests, failures += o.failures, errors += o.errors, skipped += o.skipped;
    return *this;
  }
};

std::string attr(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + xml_escaped(value, true) + "\"";
}

std::string counts_attrs(const counts& c) {
  return attr("tests", std::to_string(c.tests)) + attr("failures", std::to_string(c.failures)) +
         attr("errors", std::to_string(c.errors)) + attr("skipped", std::to_string(c.skipped));
}

// The body of a failure: the block the text report prints for the violation.
std::string details(const violation& v) {
  std::string out =
      report::location_text(v.data_origin, v.data_position) + ": " +
      (v.kind == outcome::undetermined ? std::string("undetermined") : std::string(to_string(v.severity))) + ": " +
      v.rule_id + "\n" + v.message + "\n";
  if (!v.rule_origin.empty()) out += report::location_text(v.rule_origin, v.rule_position) + ": ";
  out += report::explanation_text(v) + "\n";
  if (!v.remedy.empty()) out += "remedy: " + v.remedy + "\n";
  if (v.waiver) out += report::waiver_text(v) + "\n";
  if (v.waived()) out += "reason: " + v.waiver->reason + "\n";
  return out;
}

std::string testcase_open(const rule_result& rr, const rule_info* info, const std::string& file, const violation* v) {
  std::string name = rr.rule_id;
  if (v && !v->subject.empty()) name += " [" + v->subject + "]";
  std::string out = "    <testcase" + attr("name", name) +
                    attr("classname", info ? info->package : rr.rule_id.substr(0, rr.rule_id.rfind('.'))) +
                    attr("file", file);
  if (v && v->data_position.line) out += attr("line", std::to_string(v->data_position.line));
  return out;
}

std::string file_suite(const evaluation_result& r, const std::vector<rule_info>& rules, counts& total) {
  counts c;
  std::string cases;
  for (const auto& rr : r.rules) {
    const rule_info* info = rr.rule_index < rules.size() ? &rules[rr.rule_index] : nullptr;
    if (rr.violations.empty()) {
      ++c.tests;
      cases += testcase_open(rr, info, r.data_origin, nullptr);
      if (rr.result == outcome::not_applicable) {
        ++c.skipped;
        cases += ">\n      <skipped message=\"not applicable: the rule's 'when' does not hold\"/>\n    </testcase>\n";
      } else {
        cases += "/>\n";
      }
      continue;
    }
    for (const auto& v : rr.violations) {
      ++c.tests;
      cases += testcase_open(rr, info, r.data_origin, &v) + ">\n";
      if (v.waived()) {
        ++c.skipped;
        cases += "      <skipped" + attr("message", "waived: " + v.waiver->reason) + ">";
        append_xml_escaped(cases, details(v));
        cases += "</skipped>\n";
      } else if (v.kind == outcome::undetermined) {
        ++c.errors;
        cases += "      <error" + attr("message", v.message) + attr("type", "undetermined") + ">";
        append_xml_escaped(cases, details(v));
        cases += "</error>\n";
      } else {
        ++c.failures;
        cases += "      <failure" + attr("message", v.message) + attr("type", to_string(v.severity)) + ">";
        append_xml_escaped(cases, details(v));
        cases += "</failure>\n";
      }
      cases += "    </testcase>\n";
    }
  }
  total += c;
  std::string out = "  <testsuite" + attr("name", r.data_origin) + counts_attrs(c) + ">\n";
  out += "    <properties>\n      <property name=\"as_of\"" + attr("value", r.as_of.to_string()) +
         "/>\n    </properties>\n";
  return out + cases + "  </testsuite>\n";
}

std::string waivers_suite(const std::vector<waiver_status>& waivers, counts& total) {
  counts c;
  std::string cases;
  for (const auto& st : waivers) {
    const auto& w = st.waiver;
    ++c.tests;
    cases += "    <testcase" + attr("name", w.rule + (w.whole_rule ? "" : " [" + w.subject + "]")) +
             attr("classname", "waivers") + attr("file", w.origin) + attr("line", std::to_string(w.position.line));
    if (st.is_warning()) {
      ++c.failures;
      cases += ">\n      <failure" + attr("message", st.note) + attr("type", "warning") + ">";
      append_xml_escaped(cases, report::location_text(w.origin, w.position) + ": warning: " +
                                    (st.state == waiver_state::expired ? "expired waiver" : "unused waiver") + "\n" +
                                    st.note + "\n");
      cases += "</failure>\n    </testcase>\n";
    } else if (st.state == waiver_state::not_evaluated) {
      ++c.skipped;
      cases += ">\n      <skipped" + attr("message", st.note) + "/>\n    </testcase>\n";
    } else {
      cases += "/>\n";
    }
  }
  total += c;
  return "  <testsuite" + attr("name", waivers.front().waiver.origin) + counts_attrs(c) + ">\n" + cases +
         "  </testsuite>\n";
}

// A data file that could not be checked: a suite with one test case in error, whose text is
// every diagnostic of the file.
std::string error_suite(const std::string& origin, const std::vector<diagnostic>& diags, counts& total) {
  counts c;
  c.tests = 1;
  c.errors = 1;
  total += c;
  std::string text;
  for (const auto& d : diags)
    if (d.origin == origin) text += render(d);
  const auto first = std::find_if(diags.begin(), diags.end(), [&](const diagnostic& d) { return d.origin == origin; });
  std::string out = "  <testsuite" + attr("name", origin) + counts_attrs(c) + ">\n";
  out += "    <testcase" + attr("name", "the data file loads") + attr("classname", "joinup") + attr("file", origin) +
         ">\n";
  out += "      <error" + attr("message", first->message) + attr("type", first->code) + ">";
  append_xml_escaped(out, text);
  out += "</error>\n    </testcase>\n  </testsuite>\n";
  return out;
}

}  // namespace

std::string to_junit(const check_results& run, const std::vector<rule_info>& rules) {
  counts total;
  std::string suites;
  for (const auto& r : run.files) suites += file_suite(r, rules, total);
  std::vector<std::string> broken;
  for (const auto& d : run.errors)
    if (std::find(broken.begin(), broken.end(), d.origin) == broken.end()) broken.push_back(d.origin);
  for (const auto& origin : broken) suites += error_suite(origin, run.errors, total);
  if (!run.waivers.empty()) suites += waivers_suite(run.waivers, total);
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites" + attr("name", "joinup check") +
         counts_attrs(total) + ">\n" + suites + "</testsuites>\n";
}

}  // namespace joinup
