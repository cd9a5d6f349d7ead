// `joinup test`: runs rule tests (`*.test.yaml`, language spec section 9).
//
// Every test file is read, checked and compiled (with its rules) before any test runs, so a run
// either reports in full or prints only errors (exit 2). Then each test's input is evaluated and
// its violations (failing and undetermined subjects of the evaluated rules) are compared with the
// test's `expect` list as multisets of (rule, subject, outcome).
//
// Inline inputs are copied out of the test file into a document of their own that keeps the test
// file's byte offsets and text, so positions in violations point into the test file.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <system_error>

#include "cli/args.hpp"
#include "cli/cli.hpp"
#include "cli/limits.hpp"
#include "data/shaped_reader.hpp"
#include "diag/ansi.hpp"
#include "diag/codes.hpp"
#include "diag/read.hpp"
#include "diag/source.hpp"
#include "diag/text.hpp"
#include "joinup/diagnostic.hpp"
#include "joinup/document.hpp"

namespace joinup::cli {

namespace {

namespace fs = std::filesystem;

constexpr option_spec test_options[] = {
    {"--verbose", false}, {"--color", true}, {"--coverage", false}, {"--coverage-format", true}};

// today() in tests, unless a test says `as_of`: a fixed date keeps results the same every day.
constexpr date default_as_of = date::from_ymd(2026, 1, 1);
constexpr std::string_view test_suffix = ".test.yaml";

const std::vector<std::string> file_keys = {"rules", "tests"};
const std::vector<std::string> test_keys = {"name", "input", "input_file", "expect", "only", "as_of"};
const std::vector<std::string> expect_keys = {"rule", "subject", "outcome", "message"};

struct expectation {
  std::string rule;
  std::string subject;
  outcome kind = outcome::fail;
  std::optional<std::string> message;  // the finding's exact message, where the test gives one
};

struct test_case {
  std::string name;
  source_position position;  // of the test's entry in the test file
  document input;
  std::vector<std::string> only;
  date as_of = default_as_of;
  std::vector<expectation> expect;
};

struct test_file {
  std::string path;
  policy rules;
  std::vector<test_case> tests;
};

// Reads one test file into a test_file, collecting every problem it finds as a diagnostic.
class test_file_reader : data::shaped_reader {
 public:
  test_file_reader(const std::string& path, std::string text, std::map<std::string, policy>& compiled,
                   const cli::limits& limits)
      : test_file_reader(path, without_bom(std::move(text)), compiled, limits, 0) {}

  // Where notes on loading the rules go (files of a directory skipped as not rule files).
  void notes_to(std::vector<diagnostic>& notes) { notes_ = &notes; }

  test_file read() {
    test_file out;
    out.path = path_;
    if (doc_.empty()) {
      fail_at(0, 0, "a test file is a map with 'rules' and 'tests'");
      throw_if_failed();
    }
    const auto root = doc_.root();
    if (doc_.kind(root) != value_kind::map) {
      fail(root, "a test file is a map with 'rules' and 'tests'");
      throw_if_failed();
    }
    const auto misspelt = check_keys(root, file_keys, "a test file");

    const auto rules = doc_.find(root, "rules");
    const auto tests = doc_.find(root, "tests");
    if (rules == document::npos && !misspelt.contains("rules"))
      fail(root, "test file has no 'rules' (the rule files to test, relative to this file)");
    if (tests == document::npos && !misspelt.contains("tests")) fail(root, "test file has no 'tests'");
    if (rules != document::npos) {
      const std::size_t before = diags_.size();
      out.rules = load_rules_of(rules);
      if (diags_.size() != before) throw_if_failed();  // without its rules, the tests' rule ids cannot be checked
    }

    if (rules == document::npos) throw_if_failed();
    if (tests == document::npos) {
      throw_if_failed();  // a misspelt 'tests' is an error, not a file of no tests that passes
      return out;
    }
    if (doc_.kind(tests) != value_kind::list) {
      fail(tests, "'tests' must be a list of tests");
    } else {
      for (std::uint32_t i = 0; i < doc_.size(tests); ++i)
        if (auto t = read_test(doc_.at(tests, i), out.rules)) out.tests.push_back(std::move(*t));
    }
    throw_if_failed();
    return out;
  }

 private:
  test_file_reader(const std::string& path, const std::string& text, std::map<std::string, policy>& compiled,
                   const cli::limits& limits, int)
      : shaped_reader(load_document(text, path, data_format::yaml, limits.load), path, text,
                      diag::to_string(diag::code::test_file)),
        path_(path), compiled_(compiled), limits_(limits) {}

  // As the loader does: a byte order mark is not part of the text.
  static std::string without_bom(std::string text) {
    if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
    return text;
  }

  // --- diagnostics ------------------------------------------------------------------------------

  // Throws every problem found: the test file's own in the order of the file, each other file's
  // (rule files, input files) where it was found.
  void throw_if_failed() {
    if (diags_.empty()) return;
    std::vector<std::size_t> own;
    std::vector<diagnostic> sorted;
    for (std::size_t i = 0; i < diags_.size(); ++i)
      if (diags_[i].origin == path_) own.push_back(i), sorted.push_back(diags_[i]);
    std::stable_sort(sorted.begin(), sorted.end(), [](const diagnostic& a, const diagnostic& b) {
      return std::pair(a.line, a.column) < std::pair(b.line, b.column);
    });
    for (std::size_t i = 0; i < own.size(); ++i) diags_[own[i]] = std::move(sorted[i]);
    throw joinup::error(std::move(diags_));
  }

  // --- values -----------------------------------------------------------------------------------

  // A string or a list of strings, each with its node.
  std::vector<std::pair<std::string, document::node_id>> strings_of(document::node_id n, std::string_view what) {
    std::vector<std::pair<std::string, document::node_id>> out;
    if (doc_.kind(n) == value_kind::string) {
      out.emplace_back(std::string(doc_.as_string(n)), n);
    } else if (doc_.kind(n) == value_kind::list) {
      for (std::uint32_t i = 0; i < doc_.size(n); ++i)
        if (auto s = string_of(doc_.at(n, i), std::string("each entry of ") + std::string(what)))
          out.emplace_back(*s, doc_.at(n, i));
    } else {
      fail(n, std::string(what) + " must be a string or a list of strings");
    }
    return out;
  }

  std::string relative_to_file(const std::string& p) const {
    const fs::path rel(p);
    if (rel.is_absolute()) return rel.lexically_normal().generic_string();
    return (fs::path(path_).parent_path() / rel).lexically_normal().generic_string();
  }

  policy load_rules_of(document::node_id rules) {
    const std::size_t before = diags_.size();
    std::vector<std::string> paths;
    for (const auto& [p, node] : strings_of(rules, "'rules'")) {
      const auto full = relative_to_file(p);
      std::error_code ec;
      if (!fs::exists(full, ec))
        fail(
            node,
            "rule file or directory '" + p + "' not found" + (full == p ? std::string() : " (looked for " + full + ")"),
            "paths in 'rules' are relative to the test file's directory");
      else
        paths.push_back(full);
    }
    if (paths.empty() && diags_.size() == before) fail(rules, "'rules' names no rule files");
    if (diags_.size() != before) return {};
    std::string key;
    for (const auto& p : paths) key += p + '\n';
    auto it = compiled_.find(key);
    if (it == compiled_.end()) {
      try {
        std::vector<diagnostic> notes;
        try {
          it = compiled_.emplace(key, policy::load(paths, limits_.compile, notes)).first;
        } catch (const joinup::error&) {
          if (notes_) notes_->insert(notes_->end(), notes.begin(), notes.end());
          throw;
        }
        if (notes_) notes_->insert(notes_->end(), notes.begin(), notes.end());
      } catch (const joinup::error& e) {
        // The rule files' own diagnostics, then a note naming the test file that uses them.
        diags_.insert(diags_.end(), e.diagnostics().begin(), e.diagnostics().end());
        const auto at = doc_.offset(rules);
        diags_.push_back(src_.make(at, at + span_of(rules), diag::code::test_file,
                                   "the rules of this test file do not load", {}, diagnostic_level::note));
        return {};
      }
    }
    return it->second;
  }

  // A rule id from `only` or `expect` must name a rule of the set; a short id is answered with its full id.
  // A short id that names one rule is replaced by its full id; an ambiguous one is refused.
  bool known_rule(std::string& id, document::node_id n, const policy& rules, std::string_view where) {
    const auto named = rules_named(rules.rules(), id);
    if (named.size() == 1) {
      id = named.front()->full_id;
      return true;
    }
    if (named.size() > 1) {
      fail(n, ambiguous_rule_text(id, named) + " in " + std::string(where), "give the rule's full id");
      return false;
    }
    std::string hint;
    {
      std::vector<std::string> ids;
      for (const auto& r : rules.rules()) ids.push_back(r.full_id);
      if (auto c = closest(id, ids)) hint = "did you mean '" + *c + "'?";
    }
    fail(n, "unknown rule '" + id + "' in " + std::string(where) + ": the test's rules have no such rule",
         std::move(hint));
    return false;
  }

  // --- tests ------------------------------------------------------------------------------------

  std::optional<test_case> read_test(document::node_id t, const policy& rules) {
    if (doc_.kind(t) != value_kind::map) {
      fail(t, "a test must be a map with 'name', 'input' or 'input_file', and 'expect'");
      return std::nullopt;
    }
    const std::size_t errors_before = diags_.size();
    const auto misspelt = check_keys(t, test_keys, "a test");
    test_case tc;
    tc.position = doc_.position(t);

    const auto name = doc_.find(t, "name");
    if (name == document::npos) {
      if (!misspelt.contains("name")) fail(t, "test has no 'name'");  // a misspelt key is reported already
    } else if (auto s = string_of(name, "'name'")) {
      tc.name = *s;
    }

    const auto input = doc_.find(t, "input");
    const auto input_file = doc_.find(t, "input_file");
    if (input != document::npos && input_file != document::npos) {
      fail(input_file, "test has both 'input' and 'input_file': give one");
    } else if (input == document::npos && input_file == document::npos) {
      if (!misspelt.contains("input") && !misspelt.contains("input_file"))
        fail(t, "test has neither 'input' (inline data) nor 'input_file' (a data file)");
    } else if (input != document::npos) {
      if (doc_.kind(input) != value_kind::map)
        fail(input, "'input' must be a map (the data's top-level keys), not " + a_kind(input));
      else
        tc.input = copy_input(input);
    } else if (auto p = string_of(input_file, "'input_file'")) {
      const auto full = relative_to_file(*p);
      std::error_code ec;
      const auto st = fs::status(full, ec);
      if (!fs::exists(st))
        fail(input_file,
             "input file '" + *p + "' not found" + (full == *p ? std::string() : " (looked for " + full + ")"),
             "'input_file' is relative to the test file's directory");
      else if (fs::is_directory(st))
        fail(input_file, "input file '" + *p + "' is a directory, not a data file");
      else
        try {
          tc.input = load_document_file(full, data_format::automatic, limits_.load);
        } catch (const joinup::error& e) {
          diags_.insert(diags_.end(), e.diagnostics().begin(), e.diagnostics().end());
        }
    }

    if (const auto only = doc_.find(t, "only"); only != document::npos)
      for (auto [id, node] : strings_of(only, "'only'"))
        if (known_rule(id, node, rules, "'only'")) tc.only.push_back(id);

    if (const auto as_of = doc_.find(t, "as_of"); as_of != document::npos) {
      if (doc_.kind(as_of) == value_kind::date)
        tc.as_of = doc_.as_date(as_of);
      else if (doc_.kind(as_of) == value_kind::string && date::parse(doc_.as_string(as_of)))
        tc.as_of = *date::parse(doc_.as_string(as_of));
      else
        fail(as_of, "'as_of' must be a date as YYYY-MM-DD");
    }

    const auto expect = doc_.find(t, "expect");
    if (expect == document::npos) {
      if (!misspelt.contains("expect"))
        fail(t, "test has no 'expect' (write 'expect: []' when no violation is expected)");
    } else if (doc_.kind(expect) != value_kind::list)
      fail(expect, "'expect' must be a list of {rule, subject} entries ('expect: []' for none)");
    else
      for (std::uint32_t i = 0; i < doc_.size(expect); ++i)
        if (auto e = read_expectation(doc_.at(expect, i), rules, tc.only)) tc.expect.push_back(std::move(*e));

    if (diags_.size() != errors_before) return std::nullopt;
    return tc;
  }

  std::optional<expectation> read_expectation(document::node_id e, const policy& rules,
                                              const std::vector<std::string>& only) {
    if (doc_.kind(e) != value_kind::map) {
      fail(e, "an 'expect' entry must be a map: {rule: RULE-ID, subject: PATH}");
      return std::nullopt;
    }
    const auto misspelt = check_keys(e, expect_keys, "an 'expect' entry");
    expectation out;
    bool ok = true;
    const auto rule = doc_.find(e, "rule");
    if (rule == document::npos) {
      if (!misspelt.contains("rule")) fail(e, "'expect' entry has no 'rule'");
      ok = false;
    } else if (auto s = string_of(rule, "'rule'")) {
      out.rule = *s;
      if (!known_rule(out.rule, rule, rules, "'expect'")) {
        ok = false;
      } else if (!only.empty() && std::find(only.begin(), only.end(), out.rule) == only.end()) {
        fail(rule, "rule '" + out.rule + "' is expected but not evaluated: it is not in the test's 'only'");
        ok = false;
      }
    } else {
      ok = false;
    }
    const auto subject = doc_.find(e, "subject");
    if (subject == document::npos) {
      if (!misspelt.contains("subject"))
        fail(e, "'expect' entry has no 'subject'",
             "write subject: \"\" for a rule without 'for each' (the document root)");
      ok = false;
    } else if (auto s = string_of(subject, "'subject'")) {
      out.subject = *s;
    } else {
      ok = false;
    }
    if (const auto o = doc_.find(e, "outcome"); o != document::npos) {
      const auto s = string_of(o, "'outcome'");
      if (s && *s == "fail") {
        out.kind = outcome::fail;
      } else if (s && *s == "undetermined") {
        out.kind = outcome::undetermined;
      } else {
        if (s) {
          static const std::vector<std::string> outcomes = {"fail", "undetermined"};
          const auto hint = closest(*s, outcomes);
          fail(o, "invalid outcome '" + *s + "': expected fail or undetermined",
               hint ? "did you mean '" + *hint + "'?" : std::string());
        }
        ok = false;
      }
    }
    if (const auto m = doc_.find(e, "message"); m != document::npos) {
      if (auto s = string_of(m, "'message'"))
        out.message = *s;
      else
        ok = false;
    }
    if (!ok) return std::nullopt;
    return out;
  }

  // The inline input as a document of its own, keeping the test file's offsets and line numbers.
  // Its line index is the slice of the file's that the input spans: each test's document holding
  // the whole file's would make 20,000 tests in a file need gigabytes.
  document copy_input(document::node_id input) const {
    document_builder b(path_);
    std::uint32_t last = doc_.offset(input);
    copy(b, input, last);
    b.set_lines(src_.lines().slice(doc_.offset(input), last));
    return b.finish();
  }

  // `last`: the largest offset copied so far.
  void copy(document_builder& b, document::node_id n, std::uint32_t& last) const {
    const auto at = doc_.offset(n);
    last = std::max(last, at);
    switch (doc_.kind(n)) {
      case value_kind::null: b.null_value(at); break;
      case value_kind::boolean: b.boolean(doc_.as_bool(n), at); break;
      case value_kind::integer: b.integer(doc_.as_int(n), at); break;
      case value_kind::number: b.number(doc_.as_double(n), at); break;
      case value_kind::string: b.string(doc_.as_string(n), at); break;
      case value_kind::date: b.date_value(doc_.as_date(n), at); break;
      case value_kind::list:
        b.begin_list(at);
        for (std::uint32_t i = 0; i < doc_.size(n); ++i) copy(b, doc_.at(n, i), last);
        b.end();
        break;
      case value_kind::map:
        b.begin_map(at);
        for (std::uint32_t i = 0; i < doc_.size(n); ++i) {
          b.key(doc_.key_text(doc_.key_at(n, i)), key_offset(n, i));
          last = std::max(last, key_offset(n, i));
          copy(b, doc_.value_at(n, i), last);
        }
        b.end();
        break;
    }
  }

  std::string path_;
  std::map<std::string, policy>& compiled_;  // rule sets by their paths, shared across files
  std::vector<diagnostic>* notes_ = nullptr;
  const cli::limits& limits_;
};

[[noreturn]] void path_error(const std::string& path, std::string message) {
  throw joinup::error({diag::file_diagnostic(diag::code::file_not_found, path, std::move(message))});
}

std::string read_text(const std::string& path, const cli::limits& limits) {
  return diag::read_file(path, {"test file", limits.load.max_bytes, "raise the limit (--max-data-bytes) to read it"});
}

bool is_test_file(const fs::path& p) {
  const std::string name = p.filename().string();
  return name.size() > test_suffix.size() && name.ends_with(test_suffix);
}

// The test files named by the operands: files as given, directories searched recursively (hidden
// directories skipped), each directory's files in sorted order; a file named twice runs once.
std::vector<std::string> find_test_files(const std::vector<std::string>& operands) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  auto add = [&](const fs::path& p) {
    const std::string s = p.lexically_normal().generic_string();
    if (seen.insert(s).second) out.push_back(s);
  };
  for (const auto& given : operands) {
    std::error_code ec;
    const auto st = fs::status(given, ec);
    if (!fs::exists(st)) path_error(given, "test file or directory not found");
    if (!fs::is_directory(st)) {
      add(given);
      continue;
    }
    std::vector<fs::path> found;
    // A subdirectory that cannot be read is an error, named, as a rule set's is: skipping it would
    // pass the run without its tests.
    const auto unreadable = [](const std::string& dir, const std::error_code& e) {
      throw joinup::error(
          {diag::file_diagnostic(diag::code::file_not_found, dir, "cannot read the test directory: " + e.message(),
                                 "every directory of the tests must be readable")});
    };
    fs::recursive_directory_iterator it(given, ec), end;
    if (ec) unreadable(given, ec);
    for (; it != end; it.increment(ec)) {
      if (ec) unreadable(given, ec);
      const auto name = it->path().filename().string();
      std::error_code ec2;
      if (it->is_directory(ec2)) {
        if (name.starts_with(".") && name != "." && name != "..") {
          it.disable_recursion_pending();
        } else if (fs::directory_iterator probe(it->path(), ec2); ec2) {
          unreadable(it->path().lexically_normal().generic_string(), ec2);
        }
        continue;
      }
      if (is_test_file(it->path())) found.push_back(it->path());
    }
    std::sort(found.begin(), found.end());
    for (const auto& f : found) add(f);
  }
  return out;
}

struct palette {
  bool on = false;
  std::string paint(std::string_view code, std::string_view text) const {
    if (!on) return std::string(text);
    return std::string(code) + std::string(text) + ansi::reset;
  }
};
constexpr std::string_view red = ansi::red, green = ansi::plain_green, yellow = ansi::plain_yellow, bold = ansi::bold;

std::string describe_subject(const std::string& subject) {
  return subject.empty() ? std::string("the document root") : subject;
}

// What the tests did with one rule, gathered from their results (`test --coverage`).
struct rule_coverage {
  std::string origin;
  std::size_t tests = 0;   // tests that evaluated it
  std::size_t judged = 0;  // tests in which it judged at least one subject
  std::uint64_t subjects = 0, passed = 0, failing = 0, undetermined = 0;
  // The requires (and other clauses) that failed or could not be judged: "line:column: clause text".
  std::set<std::string> failed, unjudged;
  // How often each `when`, `where` and `require` held, summed over the tests (the same layout in
  // every test that evaluated the rule).
  std::vector<clause_count> clauses;
};
using coverage = std::map<std::string, rule_coverage>;  // by full rule id

void record(coverage& cov, const policy& rules, const evaluation_result& result) {
  for (const auto& info : rules.rules()) cov[info.full_id].origin = info.origin;
  for (const auto& r : result.rules) {
    auto& c = cov[r.rule_id];
    ++c.tests;
    c.judged += r.subjects > 0;
    c.subjects += r.subjects;
    c.passed += r.subjects - r.violations.size();
    if (c.clauses.empty()) {
      c.clauses = r.clauses;
    } else {
      for (std::size_t i = 0; i < c.clauses.size() && i < r.clauses.size(); ++i) {
        c.clauses[i].held += r.clauses[i].held;
        c.clauses[i].failed += r.clauses[i].failed;
        c.clauses[i].undetermined += r.clauses[i].undetermined;
      }
    }
    for (const auto& v : r.violations) {
      const std::string clause = std::to_string(v.rule_position.line) + ":" + std::to_string(v.rule_position.column) +
                                 ": " + v.clause + " " + v.require_text;
      if (v.kind == outcome::fail) {
        ++c.failing;
        c.failed.insert(clause);
      } else {
        ++c.undetermined;
        c.unjudged.insert(clause);
      }
    }
  }
}

// "12:11: require TEXT: passed for 1, failed for 0 (no test made it fail)".
std::string clause_line(const clause_count& k) {
  const bool require = k.clause == "require";
  std::string out = std::to_string(k.position.line) + ':' + std::to_string(k.position.column) + ": " + k.clause + ' ' +
                    diag::escaped(k.text) + ": " + (require ? "passed" : "true") + " for " + std::to_string(k.held) +
                    ", " + (require ? "failed" : "false") + " for " + std::to_string(k.failed);
  if (k.undetermined) out += ", undetermined for " + std::to_string(k.undetermined);
  if (k.held == 0 || k.failed == 0) {
    const char* yes = require ? "pass" : "true";
    const char* no = require ? "fail" : "false";
    out += " (no test made it ";
    out += k.held == 0 && k.failed == 0 ? std::string(yes) + " or " + no : k.held == 0 ? yes : no;
    out += ')';
  }
  return out;
}

std::string coverage_text(const coverage& cov) {
  std::string out = "\ncoverage:\n";
  std::size_t exercised = 0;
  for (const auto& [id, c] : cov) {
    exercised += c.judged > 0;
    const std::string state = c.tests == 0    ? "not evaluated by any test"
                              : c.judged == 0 ? "evaluated, but no test gave it a subject"
                                              : "exercised";
    out += "  " + diag::escaped(id) + ": " + state + '\n';
    if (c.tests == 0) continue;
    const auto n = [](std::uint64_t k, const char* one, const char* many) {
      return std::to_string(k) + ' ' + (k == 1 ? one : many);
    };
    out += "    " + n(c.tests, "test", "tests") + ", " + n(c.subjects, "subject", "subjects") + ": " +
           std::to_string(c.passed) + " passed every require, " + std::to_string(c.failing) + " failed, " +
           std::to_string(c.undetermined) + " undetermined\n";
    for (const auto& k : c.clauses) out += "    " + diag::escaped(c.origin) + ':' + clause_line(k) + '\n';
    // A `for each` whose list could not be read has no count above: named as it failed.
    for (const auto& f : c.unjudged)
      if (f.find(": for each ") != std::string::npos)
        out += "    undetermined: " + diag::escaped(c.origin) + ':' + diag::escaped(f) + '\n';
  }
  out += std::to_string(exercised) + " of " + std::to_string(cov.size()) + (cov.size() == 1 ? " rule" : " rules") +
         " exercised\n";
  return out;
}

std::string json_text(std::string_view s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      static const char hex[] = "0123456789abcdef";
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += ch;
    }
  }
  return out + '"';
}

std::string coverage_json(const coverage& cov) {
  std::string out = "{\"rules\": [";
  bool first = true;
  for (const auto& [id, c] : cov) {
    out += first ? "" : ", ";
    first = false;
    out += "{\"rule\": " + json_text(id) + ", \"origin\": " + json_text(c.origin) +
           ", \"tests\": " + std::to_string(c.tests) + ", \"tests_with_subjects\": " + std::to_string(c.judged) +
           ", \"subjects\": " + std::to_string(c.subjects) + ", \"passed\": " + std::to_string(c.passed) +
           ", \"failing\": " + std::to_string(c.failing) + ", \"undetermined\": " + std::to_string(c.undetermined);
    for (const auto* list : {&c.failed, &c.unjudged}) {
      out += list == &c.failed ? ", \"failed_clauses\": [" : ", \"undetermined_clauses\": [";
      bool f = true;
      for (const auto& x : *list) {
        out += (f ? "" : ", ") + json_text(x);
        f = false;
      }
      out += "]";
    }
    out += ", \"clauses\": [";
    for (std::size_t i = 0; i < c.clauses.size(); ++i) {
      const auto& k = c.clauses[i];
      out += (i ? ", " : "") + std::string("{\"clause\": ") + json_text(k.clause) + ", \"text\": " + json_text(k.text) +
             ", \"line\": " + std::to_string(k.position.line) + ", \"column\": " + std::to_string(k.position.column) +
             ", \"held\": " + std::to_string(k.held) + ", \"failed\": " + std::to_string(k.failed) +
             ", \"undetermined\": " + std::to_string(k.undetermined) + "}";
    }
    out += "]}";
  }
  return out + "]}\n";
}

// Runs one test; returns "" when it passed, else the lines after its FAIL header.
std::string run_one(const test_case& tc, const policy& rules, const palette& p, const cli::limits& limits,
                    coverage* cov) {
  evaluate_options eo;
  limits.apply(eo);
  eo.as_of = tc.as_of;
  eo.only = tc.only;
  eo.count_clauses = cov != nullptr;
  const evaluation_result result = rules.evaluate(tc.input, eo);
  if (cov) record(*cov, rules, result);

  std::vector<bool> matched(tc.expect.size(), false);
  std::vector<const violation*> unexpected;
  for (const auto& r : result.rules)
    for (const auto& v : r.violations) {
      bool found = false;
      for (std::size_t i = 0; i < tc.expect.size() && !found; ++i)
        if (!matched[i] && tc.expect[i].rule == v.rule_id && tc.expect[i].subject == v.subject &&
            tc.expect[i].kind == v.kind && (!tc.expect[i].message || *tc.expect[i].message == v.message))
          matched[i] = found = true;
      if (!found) unexpected.push_back(&v);
    }

  std::string out;
  for (std::size_t i = 0; i < tc.expect.size(); ++i) {
    if (matched[i]) continue;
    const auto& e = tc.expect[i];
    out += "  " + p.paint(yellow, "missing:") + "    " + diag::escaped(e.rule + " at " + describe_subject(e.subject));
    if (e.kind == outcome::undetermined) out += " (undetermined)";
    if (e.message) out += ": " + diag::escaped(*e.message);
    out += '\n';
  }
  for (const auto* v : unexpected)
    out += "  " + p.paint(yellow, "unexpected:") + ' ' +
           diag::escaped(v->rule_id + " at " + describe_subject(v->subject) + " (" + std::string(to_string(v->kind)) +
                         "): " + v->message) +
           '\n';
  return out;
}

}  // namespace

int run_test(const std::vector<std::string>& args, io& io) {
  const parsed_args a = parse_args(args, with_limits(test_options, true));
  if (a.help) {
    io.out << usage("test");
    return 0;
  }
  const bool verbose = a.has("--verbose");
  const cli::limits limits = read_limits(a);
  const std::string color = a.last("--color").value_or("auto");
  if (color != "auto" && color != "always" && color != "never") {
    static const std::vector<std::string> allowed = {"auto", "always", "never"};
    throw usage_error("invalid value '" + color + "' for --color: expected auto, always or never" +
                      did_you_mean(color, allowed));
  }
  io.color_when = color;
  const std::string coverage_format = a.last("--coverage-format").value_or("text");
  if (coverage_format != "text" && coverage_format != "json") {
    static const std::vector<std::string> allowed = {"text", "json"};
    throw usage_error("invalid value '" + coverage_format + "' for --coverage-format: expected text or json" +
                      did_you_mean(coverage_format, allowed));
  }
  coverage cov;
  coverage* const covering = a.has("--coverage") || a.has("--coverage-format") ? &cov : nullptr;

  const std::vector<std::string> operands = a.operands.empty() ? std::vector<std::string>{"."} : a.operands;
  const auto paths = find_test_files(operands);
  if (paths.empty()) {
    std::string where;
    for (const auto& o : operands) where += (where.empty() ? "'" : ", '") + o + "'";
    throw usage_error("no test files (*.test.yaml) found in " + where);
  }

  // Load everything first: a broken test file stops the run before any test is reported.
  std::map<std::string, policy> compiled;
  std::vector<test_file> files;
  std::vector<diagnostic> problems, notes;
  for (const auto& path : paths) {
    io.stage = "reading test file '" + path + "'";
    try {
      test_file_reader reader(path, read_text(path, limits), compiled, limits);
      reader.notes_to(notes);
      files.push_back(reader.read());
    } catch (const joinup::error& e) {
      problems.insert(problems.end(), e.diagnostics().begin(), e.diagnostics().end());
    }
  }
  print_notes(notes, io);
  if (!problems.empty()) throw joinup::error(std::move(problems));

  const palette p{use_color(color, io.out_is_tty, io.no_color)};
  std::size_t passed = 0, failed = 0;
  std::string report;
  for (const auto& f : files)
    for (const auto& tc : f.tests) {
      io.stage = "running test '" + tc.name + "' of '" + f.path + "'";
      // Names from the test file and its path, escaped for the terminal (diag::append_escaped).
      const std::string where = diag::escaped(f.path) + ':' + std::to_string(tc.position.line);
      const std::string name = diag::escaped(tc.name);
      const std::string problems_of_test = run_one(tc, f.rules, p, limits, covering);
      if (problems_of_test.empty()) {
        ++passed;
        if (verbose) report += p.paint(green, "ok") + "   " + where + ": " + name + '\n';
      } else {
        ++failed;
        report += p.paint(red, "FAIL") + ' ' + p.paint(bold, where + ':' + std::to_string(tc.position.column)) + ": " +
                  name + '\n' + problems_of_test;
      }
    }
  report += std::to_string(passed) + " passed, " + std::to_string(failed) + " failed\n";
  if (covering && coverage_format == "json") {
    io.out << coverage_json(cov);  // the JSON alone on standard output; the test report on standard error
    io.err << report;
    return failed ? 1 : 0;
  }
  if (covering) report += coverage_text(cov);
  io.out << report;
  return failed ? 1 : 0;
}

}  // namespace joinup::cli
