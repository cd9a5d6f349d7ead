// Reading waivers files and applying waivers to evaluation results (language spec section 10).
//
// The file is parsed by the data loader, so a file that is not YAML or JSON gets the same
// file:line:col diagnostics as a data file; its shape (keys, types, dates) is then checked here,
// collecting every problem before throwing.
#include "joinup/waivers.hpp"
#include "diag/codes.hpp"
#include "diag/read.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <system_error>

#include <fnmatch.h>
#include <glob.h>

#include "data/shaped_reader.hpp"
#include "diag/source.hpp"
#include "diag/text.hpp"
#include "joinup/diagnostic.hpp"
#include "joinup/document.hpp"

namespace joinup {

namespace {

const std::vector<std::string> file_keys = {"waivers"};
const std::vector<std::string> waiver_keys = {"rule", "file", "files", "subject", "reason", "approved_by", "expires"};

class waivers_reader : data::shaped_reader {
 public:
  waivers_reader(const document& doc, std::string text, std::string origin)
      : shaped_reader(doc, origin, std::move(text), diag::to_string(diag::code::waivers_file)),
        base_(std::filesystem::path(origin).parent_path().generic_string()) {}

  std::vector<waiver> read() {
    std::vector<waiver> out;
    if (doc_.empty() || doc_.kind(doc_.root()) != value_kind::map) {
      if (doc_.empty() || doc_.kind(doc_.root()) == value_kind::null)
        fail_at(0, 0, "a waivers file is a map with 'waivers', a list of waivers");
      else
        fail(doc_.root(), "a waivers file is a map with 'waivers', a list of waivers");
      throw_if_failed();
    }
    const auto root = doc_.root();
    const auto misspelt = check_keys(root, file_keys, "a waivers file");
    const auto list = doc_.find(root, "waivers");
    if (list == document::npos) {
      if (!misspelt.contains("waivers")) fail(root, "waivers file has no 'waivers' (the list of waivers)");
    } else if (doc_.kind(list) != value_kind::list) {
      fail(list, "'waivers' must be a list of waivers, not " + a_kind(list));
    } else {
      for (std::uint32_t i = 0; i < doc_.size(list); ++i)
        if (auto w = read_waiver(doc_.at(list, i))) out.push_back(std::move(*w));
    }
    throw_if_failed();
    return out;
  }

 private:
  std::optional<waiver> read_waiver(document::node_id n) {
    if (doc_.kind(n) != value_kind::map) {
      fail(n, "a waiver must be a map with 'rule' and 'reason', not " + a_kind(n));
      return std::nullopt;
    }
    const std::size_t before = diags_.size();
    const auto misspelt = check_keys(n, waiver_keys, "a waiver");
    waiver w;
    w.origin = src_.origin();
    w.position = doc_.position(n);

    const auto rule = doc_.find(n, "rule");
    if (rule == document::npos) {
      if (!misspelt.contains("rule")) fail(n, "waiver has no 'rule' (the full id of the rule it waives)");
    } else if (auto s = string_of(rule, "'rule'")) {
      if (s->empty())
        fail(rule, "'rule' must not be empty");
      else
        w.rule = *s;
    }

    read_files(n, w);

    if (const auto subject = doc_.find(n, "subject"); subject != document::npos) {
      if (auto s = string_of(subject, "'subject'")) {
        w.subject = *s;
        w.whole_rule = false;
      }
    }

    const auto reason = doc_.find(n, "reason");
    if (reason == document::npos) {
      if (!misspelt.contains("reason")) fail(n, "waiver has no 'reason' (why the exception was accepted)");
    } else if (auto s = string_of(reason, "'reason'")) {
      if (s->find_first_not_of(" \t\r\n") == std::string::npos)
        fail(reason, "'reason' must not be empty");
      else
        w.reason = *s;
    }

    if (const auto by = doc_.find(n, "approved_by"); by != document::npos)
      if (auto s = string_of(by, "'approved_by'")) w.approved_by = *s;

    if (const auto expires = doc_.find(n, "expires"); expires != document::npos) {
      if (doc_.kind(expires) == value_kind::date)
        w.expires = doc_.as_date(expires);
      else if (doc_.kind(expires) == value_kind::string && date::parse(doc_.as_string(expires)))
        w.expires = *date::parse(doc_.as_string(expires));
      else
        fail(expires, "'expires' must be a date as YYYY-MM-DD, a real calendar day");
    }
    if (diags_.size() != before) return std::nullopt;
    return w;
  }

  // `file: PATH-OR-GLOB` or `files: [PATH-OR-GLOB, ...]`, relative to the waivers file.
  void read_files(document::node_id n, waiver& w) {
    w.base = base_;
    const auto file = doc_.find(n, "file");
    const auto files = doc_.find(n, "files");
    if (file != document::npos && files != document::npos) {
      fail(files, "a waiver has 'file' or 'files', not both", "put every path under 'files'");
      return;
    }
    auto add = [&](document::node_id v, const char* what) {
      if (auto s = string_of(v, what)) {
        if (s->empty())
          fail(v, std::string(what) + " must not be empty");
        else
          w.files.push_back(*s);
      }
    };
    if (file != document::npos) add(file, "'file'");
    if (files == document::npos) return;
    if (doc_.kind(files) == value_kind::string) {
      add(files, "'files'");
    } else if (doc_.kind(files) != value_kind::list || doc_.size(files) == 0) {
      fail(files, "'files' must be a list of paths or globs, not " + a_kind(files));
    } else {
      for (std::uint32_t i = 0; i < doc_.size(files); ++i) add(doc_.at(files, i), "each of 'files'");
    }
  }

  std::string base_;

  // --- diagnostics ------------------------------------------------------------------------------

  void throw_if_failed() {
    if (diags_.empty()) return;
    std::stable_sort(diags_.begin(), diags_.end(), [](const diagnostic& a, const diagnostic& b) {
      return std::pair(a.line, a.column) < std::pair(b.line, b.column);
    });
    throw joinup::error(std::move(diags_));
  }
};

std::string strip_bom(std::string text) {
  if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
  return text;
}

[[noreturn]] void throw_plain(const std::string& origin, std::string message) {
  throw joinup::error({diag::file_diagnostic(diag::code::file_not_found, origin, std::move(message))});
}

std::string where(const waiver& w) {
  std::string out = w.origin;
  if (w.position.line) out += ':' + std::to_string(w.position.line) + ':' + std::to_string(w.position.column);
  return out;
}

// A waiver's path or glob as an absolute glob: the folder of the waivers file (its characters
// taken literally: a folder may be called "plans [draft]") joined with the pattern as written.
std::string absolute_pattern(const waiver& w, const std::string& f) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::string base;
  for (const char c : fs::absolute(fs::path(w.base.empty() ? "." : w.base), ec).lexically_normal().generic_string()) {
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') base += '\\';
    base += c;
  }
  return (fs::path(base) / fs::path(f)).lexically_normal().generic_string();
}

// Whether any file on disk matches one of the waiver's paths or globs.
bool any_file_matches(const waiver& w) {
  for (const auto& f : w.files) {
    const std::string pattern = absolute_pattern(w, f);
    glob_t g{};
    const int rc = ::glob(pattern.c_str(), GLOB_NOSORT, nullptr, &g);
    const bool found = rc == 0 && g.gl_pathc > 0;
    globfree(&g);
    if (found) return true;
  }
  return false;
}

}  // namespace

std::vector<waiver> load_waivers(std::string_view text, std::string origin) {
  std::string t = strip_bom(std::string(text));
  const document doc = load_document(t, origin);
  return waivers_reader(doc, std::move(t), std::move(origin)).read();
}

std::vector<waiver> load_waivers_file(const std::string& path, std::uint64_t max_bytes) {
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(st)) throw_plain(path, "waivers file not found");
  if (std::filesystem::is_directory(st)) throw_plain(path, "is a directory, not a waivers file");
  return load_waivers(
      diag::read_file(path, {"waivers file", max_bytes, "raise the limit (--max-data-bytes) to read it"}), path);
}

bool waiver_covers(const waiver& w, std::string_view data_origin) {
  if (w.files.empty()) return true;
  namespace fs = std::filesystem;
  std::error_code ec;
  const std::string data = fs::absolute(fs::path(data_origin), ec).lexically_normal().generic_string();
  for (const auto& f : w.files)
    if (fnmatch(absolute_pattern(w, f).c_str(), data.c_str(), FNM_PATHNAME | FNM_PERIOD) == 0) return true;
  return false;
}

void check_waiver_files(const std::vector<waiver>& waivers, std::size_t data_files) {
  if (data_files <= 1) return;
  std::vector<diagnostic> problems;
  for (const auto& w : waivers) {
    if (!w.files.empty()) continue;
    diagnostic d;
    d.code = diag::to_string(diag::code::ambiguous_waiver);
    d.origin = w.origin;
    d.line = w.position.line;
    d.column = w.position.column;
    d.message = "the waiver of '" + w.rule + "' names no data file, and " + std::to_string(data_files) +
                " data files are checked: it would waive the rule's findings in every one of them";
    d.help =
        "name the plan it is for, as 'file: PATH' relative to the waivers file (a glob such as "
        "'plans/*.yaml' for several), or check that one file alone";
    problems.push_back(std::move(d));
  }
  if (!problems.empty()) throw joinup::error(std::move(problems));
}

std::vector<waiver_status> apply_waivers(std::span<evaluation_result> results, const std::vector<waiver>& waivers,
                                         const std::vector<rule_info>& rules) {
  check_waiver_files(waivers, results.size());
  std::vector<waiver_status> status(waivers.size());
  for (std::size_t i = 0; i < waivers.size(); ++i) status[i].waiver = waivers[i];

  // Waivers by rule id, in file order.
  std::map<std::string, std::vector<std::size_t>, std::less<>> by_rule;
  // A short id that names one rule (rules_named) stands for its full id.
  std::vector<std::string> rule_of(waivers.size());
  for (std::size_t i = 0; i < waivers.size(); ++i) {
    const auto named = rules_named(rules, waivers[i].rule);
    rule_of[i] = named.size() == 1 ? named.front()->full_id : waivers[i].rule;
    by_rule[rule_of[i]].push_back(i);
  }

  std::set<std::string, std::less<>> evaluated;
  std::vector<std::optional<std::size_t>> shadowed_by(waivers.size());
  std::vector<bool> covers_a_file(waivers.size());
  // The subjects each waiver's rule found in the files it covers, for a suggestion when it matches none.
  std::vector<std::vector<std::string>> subjects_seen(waivers.size());
  std::optional<date> as_of;
  for (auto& r : results) {
    if (!as_of) as_of = r.as_of;
    std::vector<bool> covers(waivers.size());
    for (std::size_t i = 0; i < waivers.size(); ++i)
      if ((covers[i] = waiver_covers(waivers[i], r.data_origin))) covers_a_file[i] = true;
    for (auto& rr : r.rules) {
      evaluated.insert(rr.rule_id);
      const auto it = by_rule.find(rr.rule_id);
      for (auto& v : rr.violations) {
        v.waiver.reset();
        v.waiver_expired = false;
        if (it == by_rule.end()) continue;
        const std::string& key = v.subject_key.empty() ? v.subject : v.subject_key;
        std::optional<std::size_t> chosen, first_expired;
        for (const std::size_t i : it->second) {
          const waiver& w = waivers[i];
          if (!covers[i]) continue;
          if (!w.whole_rule) {
            if (subjects_seen[i].size() < 1000) subjects_seen[i].push_back(key);
            if (w.subject != key) {
              if (w.subject != v.subject) continue;
              status[i].stable_subject = key;  // matched by position, for this release
            }
          }
          if (w.expired_at(r.as_of)) {
            if (!first_expired) first_expired = i;
          } else if (!chosen) {
            chosen = i;
          } else if (!shadowed_by[i]) {
            shadowed_by[i] = *chosen;
          }
        }
        if (!chosen) chosen = first_expired;
        if (!chosen) continue;
        v.waiver = waivers[*chosen];
        v.waiver_expired = waivers[*chosen].expired_at(r.as_of);
        ++status[*chosen].matched;
      }
    }
  }

  std::vector<std::string> ids;
  for (const auto& r : rules) ids.push_back(r.full_id);
  for (std::size_t i = 0; i < waivers.size(); ++i) {
    auto& s = status[i];
    const waiver& w = waivers[i];
    const std::string target = w.whole_rule ? "'" + w.rule + "'" : "'" + w.rule + "' at " + w.subject;
    if (as_of && w.expired_at(*as_of)) {
      s.state = waiver_state::expired;
      s.note =
          "the waiver of " + target + " expired on " + w.expires->to_string() + " (as of " + as_of->to_string() + ")";
      if (s.matched)
        s.note +=
            ": " + std::to_string(s.matched) + (s.matched == 1 ? " finding counts" : " findings count") + " again";
      continue;
    }
    if (s.matched) {
      s.state = waiver_state::used;
      continue;
    }
    s.state = waiver_state::unused;
    s.stable_subject.clear();
    if (const auto named = rules_named(rules, w.rule); named.size() > 1) {
      s.note = "the waiver names no one rule: " + ambiguous_rule_text(w.rule, named) + "; give the rule's full id";
    } else if (std::find(ids.begin(), ids.end(), rule_of[i]) == ids.end()) {
      std::string hint;
      for (const auto& r : rules)
        if (r.id == w.rule) hint = " (did you mean '" + r.full_id + "'?)";
      if (hint.empty())
        if (auto c = diag::closest(w.rule, ids); !c.empty()) hint = " (did you mean '" + c + "'?)";
      s.note = "the waiver names the rule '" + w.rule + "', which the rule set does not have" + hint;
    } else if (!evaluated.contains(rule_of[i])) {
      s.state = waiver_state::not_evaluated;
      s.note = "the rule '" + w.rule + "' was not evaluated (--only or --tag)";
    } else if (!covers_a_file[i]) {
      std::string files;
      for (const auto& f : w.files) files += (files.empty() ? "'" : ", '") + f + "'";
      if (any_file_matches(w)) {
        // Its plan exists but was not part of this run: nothing to say, as for --only.
        s.state = waiver_state::not_evaluated;
        s.note = "the waiver of " + target + " is for " + files + ", which this run did not check";
      } else {
        s.note = "the waiver of " + target + " is for " + files + ", and no file there matches (from " +
                 (w.base.empty() ? std::string(".") : w.base) + ")";
      }
    } else if (shadowed_by[i]) {
      s.note =
          "the waiver of " + target + " matches only findings already waived by " + where(waivers[*shadowed_by[i]]);
    } else if (w.whole_rule) {
      s.note = "the waiver of " + target + " matches no finding: the rule found nothing to waive";
    } else {
      s.note = "the waiver of " + target + " matches no finding: the rule found nothing at that subject";
      if (auto c = diag::closest(w.subject, subjects_seen[i]); !c.empty()) {
        s.note += " (did you mean '" + c + "'?)";
      } else if (!subjects_seen[i].empty()) {
        // Nothing close: name a few subjects it did find, so the right spelling can be copied.
        auto& seen = subjects_seen[i];
        std::sort(seen.begin(), seen.end());
        seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
        const std::size_t shown = std::min<std::size_t>(seen.size(), 3);
        s.note += " (it found ";
        for (std::size_t k = 0; k < shown; ++k)
          s.note += (k == 0 ? "" : k + 1 == shown && shown == seen.size() ? " and " : ", ") + ("'" + seen[k] + "'");
        if (seen.size() > shown) s.note += " and " + std::to_string(seen.size() - shown) + " more";
        s.note += ")";
      }
    }
  }
  return status;
}

}  // namespace joinup
