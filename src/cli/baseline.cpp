// Baselines: a previous `--format json` report, read back, and this run's findings compared with
// it by fingerprint (rule, subject's stable identity, data file), never by line number.
#include "cli/baseline.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <system_error>

#include "diag/codes.hpp"
#include "joinup/diagnostic.hpp"
#include "joinup/document.hpp"
#include "joinup/report.hpp"

namespace joinup::cli {

namespace {

[[noreturn]] void fail(const std::string& path, const document* doc, document::node_id n, std::string message) {
  diagnostic d;
  d.code = diag::to_string(diag::code::baseline);
  d.origin = path;
  if (doc && n != document::npos) {
    const auto p = doc->position(n);
    d.line = p.line;
    d.column = p.column;
  }
  d.message = std::move(message);
  d.help = "give a report written by 'joinup check --format json'";
  throw joinup::error({std::move(d)});
}

std::string normal(const std::string& file) { return std::filesystem::path(file).lexically_normal().generic_string(); }

}  // namespace

baseline load_baseline(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) fail(path, nullptr, document::npos, "baseline report not found");
  const document doc = load_document_file(path, data_format::json);
  auto text = [&](document::node_id map, std::string_view key) -> std::string {
    const auto n = doc.find(map, key);
    return n != document::npos && doc.kind(n) == value_kind::string ? std::string(doc.as_string(n)) : std::string();
  };
  const auto root = doc.root();
  if (doc.empty() || doc.kind(root) != value_kind::map)
    fail(path, &doc, root, "a baseline is a JSON report, an object");
  const auto tool = doc.find(root, "tool");
  const auto results = doc.find(root, "results");
  if (tool == document::npos || doc.kind(tool) != value_kind::map || text(tool, "name") != "joinup" ||
      results == document::npos || doc.kind(results) != value_kind::list)
    fail(path, &doc, root, "this is not a joinup JSON report (no 'tool' named joinup with 'results')");

  baseline b;
  for (std::uint32_t i = 0; i < doc.size(results); ++i) {
    const auto file = doc.at(results, i);
    if (doc.kind(file) != value_kind::map) fail(path, &doc, file, "each of 'results' must be an object");
    const auto rules = doc.find(file, "rules");
    if (rules == document::npos || doc.kind(rules) != value_kind::list)
      fail(path, &doc, file, "a result has no 'rules' list");
    for (std::uint32_t j = 0; j < doc.size(rules); ++j) {
      const auto rule = doc.at(rules, j);
      const auto vs = doc.kind(rule) == value_kind::map ? doc.find(rule, "violations") : document::npos;
      if (vs == document::npos || doc.kind(vs) != value_kind::list)
        fail(path, &doc, rule, "a rule has no 'violations' list");
      for (std::uint32_t k = 0; k < doc.size(vs); ++k) {
        const auto v = doc.at(vs, k);
        if (doc.kind(v) != value_kind::map) fail(path, &doc, v, "a violation must be an object");
        absent_finding a;
        a.rule_id = text(v, "rule");
        const std::string sev = text(v, "severity");
        a.severity = sev == "warning" ? severity::warning : sev == "info" ? severity::info : severity::error;
        a.subject = text(v, "subject_key");
        if (a.subject.empty()) a.subject = text(v, "subject");
        a.message = text(v, "message");
        const auto loc = doc.find(v, "location");
        a.data_origin =
            loc != document::npos && doc.kind(loc) == value_kind::map ? text(loc, "file") : text(file, "file");
        a.fingerprint = text(v, "fingerprint");
        if (a.fingerprint.empty()) {
          violation x;
          x.rule_id = a.rule_id;
          x.subject_key = a.subject;
          x.data_origin = a.data_origin;
          a.fingerprint = fingerprint(x);
        }
        if (a.rule_id.empty()) fail(path, &doc, v, "a violation has no 'rule'");
        b.findings.push_back(std::move(a));
      }
    }
  }
  return b;
}

void compare_with_baseline(check_results& run, const baseline& b) {
  run.has_baseline = true;
  // How many findings of each fingerprint the baseline has: each matches one finding now.
  std::map<std::string, std::size_t> known;
  for (const auto& a : b.findings) ++known[a.fingerprint];
  std::map<std::string, std::size_t> seen;
  std::vector<std::string> checked;
  for (auto& f : run.files) {
    checked.push_back(normal(f.data_origin));
    for (auto& r : f.rules)
      for (auto& v : r.violations) {
        const std::string fp = fingerprint(v);
        const auto it = known.find(fp);
        const bool had = it != known.end() && seen[fp] < it->second;
        ++seen[fp];
        v.baseline = had ? "unchanged" : "new";
      }
  }
  // The baseline's findings in the files checked now that this run does not have.
  std::map<std::string, std::size_t> matched;
  for (const auto& a : b.findings) {
    if (std::find(checked.begin(), checked.end(), normal(a.data_origin)) == checked.end()) continue;
    const auto now = seen.find(a.fingerprint);
    const std::size_t have = now == seen.end() ? 0 : now->second;
    if (matched[a.fingerprint]++ < have) continue;
    run.absent.push_back(a);
  }
}

}  // namespace joinup::cli
