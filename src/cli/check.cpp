// `joinup check`: evaluate a rule set against data files and report, with exit codes 0, 1 and 2.
// What the whole run depends on (arguments, rules, waivers, a baseline) is refused before anything
// is printed. A data file that does not load, or whose evaluation stops at a limit, is reported as
// an error in the chosen format beside the results of the files that do: the exit code is then 2.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <system_error>

#include "cli/args.hpp"
#include "cli/baseline.hpp"
#include "cli/cli.hpp"
#include "cli/limits.hpp"
#include "diag/codes.hpp"
#include "diag/read.hpp"
#include "diag/source.hpp"
#include "diag/text.hpp"
#include "joinup/document.hpp"
#include "joinup/report.hpp"
#include "joinup/waivers.hpp"

namespace joinup::cli {

namespace {

constexpr option_spec check_options[] = {
    {"--rules", true},
    {"--format", true},
    {"--output", true},
    {"--fail-on", true},
    {"--undetermined", true},
    {"--waivers", true},
    {"--as-of", true},
    {"--only", true},
    {"--tag", true},
    {"--quiet", false},
    {"--color", true},
    {"--schema", true},
    {"-q", false},
    {"--min-severity", true},
    {"--baseline", true},
    {"--stdin-filename", true},
    {"--rules-root", true},
    {"--view", true},
    {"--verbose", false},
};

// One of `allowed`, or a usage error naming the option, the allowed values and the closest one.
std::string choice(const parsed_args& a, std::string_view option, const std::vector<std::string>& allowed,
                   std::string fallback) {
  auto v = a.last(option);
  if (!v) return fallback;
  if (std::find(allowed.begin(), allowed.end(), *v) != allowed.end()) return *v;
  std::string list;
  for (std::size_t i = 0; i < allowed.size(); ++i)
    list += (i == 0 ? "" : i + 1 == allowed.size() ? " or " : ", ") + allowed[i];
  throw usage_error("invalid value '" + *v + "' for " + std::string(option) + ": expected " + list +
                    did_you_mean(*v, allowed));
}

struct check_settings {
  std::vector<std::string> rule_paths;
  std::string format = "text";
  std::optional<std::string> output;
  std::optional<severity> fail_on = severity::error;  // nullopt: never
  bool undetermined_fails = true;
  std::optional<date> as_of;
  std::optional<std::string> waivers;
  std::vector<std::string> only, tags;
  bool quiet = false;
  bool verbose = false;
  std::string color = "auto";
  std::vector<std::string> data;
  cli::limits limits;
  severity min_severity = severity::info;
  std::optional<std::string> baseline, stdin_filename, rules_root;
  bool board = false;  // --view board: the reader's view (text and html)
};

check_settings read_settings(const parsed_args& a) {
  check_settings s;
  s.rule_paths = a.all("--rules");

  s.format = a.last("--format").value_or("text");
  static const std::vector<std::string> formats = {"text",   "json", "sarif",    "junit",
                                                   "github", "html", "markdown", "codequality"};
  if (std::find(formats.begin(), formats.end(), s.format) == formats.end())
    throw usage_error("unknown format '" + s.format +
                      "': expected text, json, sarif, junit, github, html, markdown or codequality" +
                      did_you_mean(s.format, formats));

  s.output = a.last("--output");
  if (s.output && s.output->empty()) throw usage_error("option '--output' needs a file name");

  const auto fail_on = choice(a, "--fail-on", {"error", "warning", "info", "never"}, "error");
  s.fail_on = fail_on == "never"     ? std::nullopt
              : fail_on == "info"    ? std::optional(severity::info)
              : fail_on == "warning" ? std::optional(severity::warning)
                                     : std::optional(severity::error);
  s.undetermined_fails = choice(a, "--undetermined", {"fail", "pass"}, "fail") == "fail";

  s.waivers = a.last("--waivers");
  if (s.waivers && s.waivers->empty()) throw usage_error("option '--waivers' needs a file name");

  if (auto v = a.last("--as-of")) {
    s.as_of = date::parse(*v);
    if (!s.as_of) throw usage_error("invalid value '" + *v + "' for --as-of: expected a date as YYYY-MM-DD");
  }
  s.only = a.all("--only");
  s.tags = a.all("--tag");
  s.quiet = a.has("--quiet") || a.has("-q");
  s.verbose = a.has("--verbose");
  const auto min = choice(a, "--min-severity", {"error", "warning", "info"}, "info");
  s.min_severity = min == "error" ? severity::error : min == "warning" ? severity::warning : severity::info;
  s.board = choice(a, "--view", {"developer", "board"}, "developer") == "board";
  auto file_option = [&](std::string_view name, std::optional<std::string>& out) {
    out = a.last(name);
    if (out && out->empty()) throw usage_error("option '" + std::string(name) + "' needs a file name");
  };
  file_option("--baseline", s.baseline);
  file_option("--stdin-filename", s.stdin_filename);
  file_option("--rules-root", s.rules_root);
  s.color = choice(a, "--color", {"auto", "always", "never"}, "auto");

  s.limits = read_limits(a);

  s.data = a.operands;
  if (s.data.empty()) throw usage_error("no data files given (usage: joinup check [OPTIONS] DATA...)");
  if (std::count(s.data.begin(), s.data.end(), "-") > 1) throw usage_error("standard input ('-') given more than once");
  if (s.stdin_filename && std::count(s.data.begin(), s.data.end(), "-") == 0)
    throw usage_error("--stdin-filename names standard input, but no data file is '-'");
  return s;
}

[[noreturn]] void file_error(const std::string& path, diag::code code, std::string message) {
  throw joinup::error({diag::file_diagnostic(code, path, std::move(message))});
}

document load_data(const std::string& path, io& io, const load_options& options,
                   const std::optional<std::string>& stdin_name) {
  if (path == "-") {
    if (io.in_is_tty) io.err << "joinup: reading data from standard input (a terminal); end it with Ctrl-D\n";
    // Named, it is read as its name says (JSON for .json), and located in reports by that name.
    const std::string name = stdin_name.value_or("-");
    const std::string text = diag::read_stream(
        io.in, name, {"standard input", options.max_bytes, "raise the limit (--max-data-bytes) to read it"});
    const auto format = name.size() > 5 && name.ends_with(".json") ? data_format::json : data_format::automatic;
    return load_document(text, name, format, options);
  }
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(st)) file_error(path, diag::code::file_not_found, "data file not found");
  if (std::filesystem::is_directory(st)) file_error(path, diag::code::not_a_file, "is a directory, not a data file");
  return load_document_file(path, data_format::automatic, options);
}

// Every --only id must name a rule: a typo would otherwise check nothing and pass.
void check_only(const std::vector<std::string>& only, const std::vector<rule_info>& rules) {
  std::vector<std::string> ids;
  for (const auto& r : rules) ids.push_back(r.full_id);
  std::string problems;
  for (const auto& id : only) {
    // A short id that names one rule is taken (policy::evaluate resolves it the same way).
    const auto named = rules_named(rules, id);
    if (named.size() == 1) continue;
    if (!problems.empty()) problems += "\njoinup: ";
    if (named.size() > 1) {
      problems += ambiguous_rule_text(id, named) + " in --only; give the rule's full id";
      continue;
    }
    problems += "unknown rule '" + id + "' in --only";
    // A rule's short id is the likeliest mistake: suggest its full id.
    std::string hint;
    for (const auto& r : rules)
      if (r.id == id) {
        hint = " (did you mean '" + r.full_id + "'?)";
        break;
      }
    problems += hint.empty() ? did_you_mean(id, ids) : hint;
  }
  if (!problems.empty()) throw usage_error(problems);
}

bool has_suffix(const std::string& name, std::initializer_list<std::string_view> suffixes) {
  return std::any_of(suffixes.begin(), suffixes.end(), [&](std::string_view x) { return name.ends_with(x); });
}

// A data operand that is a directory: its .yaml, .yml and .json files, recursively and sorted,
// less rule tests (*.test.yaml), hidden files and folders, and the files the run already reads as
// something else (rule files, the waivers file, the baseline). Other operands are kept as given.
std::vector<std::string> expand_data(const check_settings& s, const std::vector<rule_info>& rules) {
  namespace fs = std::filesystem;
  std::vector<fs::path> other;  // files read as rules, waivers or baseline
  std::error_code ec;
  auto canonical = [&](const fs::path& p) { return fs::weakly_canonical(p, ec); };
  for (const auto& r : rules) other.push_back(canonical(r.origin));
  if (s.waivers) other.push_back(canonical(*s.waivers));
  if (s.baseline) other.push_back(canonical(*s.baseline));
  std::vector<std::string> out;
  for (const auto& d : s.data) {
    if (d == "-" || !fs::is_directory(d, ec)) {
      out.push_back(d);
      continue;
    }
    std::vector<std::string> found;
    for (auto it = fs::recursive_directory_iterator(d, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (name.starts_with(".")) {
        if (it->is_directory(ec)) it.disable_recursion_pending();
        continue;
      }
      if (!it->is_regular_file(ec) || !has_suffix(name, {".yaml", ".yml", ".json"})) continue;
      if (has_suffix(name, {".test.yaml", ".test.yml"})) continue;
      if (std::find(other.begin(), other.end(), canonical(it->path())) != other.end()) continue;
      found.push_back(it->path().generic_string());
    }
    std::sort(found.begin(), found.end());
    if (found.empty())
      file_error(d, diag::code::no_data, "no data files (.yaml, .yml, .json) in directory '" + d + "'");
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

// A file found in a directory that is a YAML rule file or a waivers file, by its top-level keys.
bool is_other_kind(const document& doc) {
  if (doc.empty() || doc.kind(doc.root()) != value_kind::map) return false;
  const auto root = doc.root();
  bool rules = false, waivers = false, other = false;
  for (std::uint32_t i = 0; i < doc.size(root); ++i) {
    const auto k = doc.key_text(doc.key_at(root, i));
    if (k == "rules")
      rules = true;
    else if (k == "waivers")
      waivers = true;
    else if (k != "package" && k != "uses")
      other = true;
  }
  return !other && (rules || waivers);
}

// Leaves the rules below `min` out of every result: the report then shows what is at or above it.
void drop_below(check_results& run, severity min) {
  if (min == severity::info) return;
  for (auto& f : run.files) std::erase_if(f.rules, [&](const rule_result& r) { return !at_least(r.severity, min); });
  if (!at_least(severity::warning, min)) run.waivers.clear();
}

// A waiver that names its subject by position still matches, for this release, with a warning
// that gives the spelling that survives inserting and reordering elements.
void warn_positional_subjects(const std::vector<waiver_status>& status, io& io) {
  std::vector<diagnostic> warnings;
  for (const auto& s : status) {
    if (s.stable_subject.empty()) continue;
    diagnostic d;
    d.code = diag::to_string(diag::code::positional_subject);
    d.level = diagnostic_level::warning;
    d.origin = s.waiver.origin;
    d.line = s.waiver.position.line;
    d.column = s.waiver.position.column;
    d.message = "the waiver names its subject by position, '" + s.waiver.subject +
                "', which moves to another element when one is inserted or removed above it";
    d.help = "write subject: \"" + s.stable_subject + "\" (positions are read for this release only)";
    warnings.push_back(std::move(d));
  }
  if (!warnings.empty()) io.err << render(warnings, use_color(io.color_when, io.err_is_tty, io.no_color));
}

}  // namespace

int run_check(const std::vector<std::string>& args, io& io) {
  const parsed_args a = parse_args(args, with_limits(check_options, true));
  if (a.help) {
    io.out << usage("check");
    return 0;
  }
  const check_settings s = read_settings(a);
  io.color_when = s.color;

  io.stage = "reading the rules";
  const policy pol = load_rules(s.rule_paths, s.limits.compile, io);
  const auto& rules = pol.rules();
  // The check against the data's schema: a use that can never match (an error) stops the run as a
  // rule error does (a rule that can never fail would pass silently); paths the schema does not
  // allow are warnings, which do not change the exit code.
  std::vector<diagnostic> schema_findings;
  if (auto schema = a.last("--schema")) schema_findings = schema_warnings(*schema, rule_paths_or_pack(s.rule_paths));
  if (std::any_of(schema_findings.begin(), schema_findings.end(),
                  [](const diagnostic& d) { return d.level == diagnostic_level::error; }))
    throw joinup::error(std::move(schema_findings));
  check_only(s.only, rules);
  for (const auto& tag : s.tags) {
    const bool used = std::any_of(rules.begin(), rules.end(), [&](const rule_info& r) {
      return std::find(r.tags.begin(), r.tags.end(), tag) != r.tags.end();
    });
    if (!used) io.err << "joinup: warning: no rule has the tag '" << diag::escaped(tag) << "'\n";
  }

  std::vector<waiver> waivers;
  io.stage = "reading the waivers file '" + s.waivers.value_or("") + "'";
  if (s.waivers) waivers = load_waivers_file(*s.waivers, s.limits.load.max_bytes);
  io.stage = "reading the baseline '" + s.baseline.value_or("") + "'";
  std::optional<cli::baseline> base;
  if (s.baseline) base = load_baseline(*s.baseline);
  const std::vector<std::string> data = expand_data(s, rules);

  // Every data file that loads is checked; each that does not is an error in the report.
  check_results run;
  std::vector<document> docs;
  for (const auto& path : data) {
    const std::string name = path == "-" ? s.stdin_filename.value_or("standard input") : path;
    io.stage = "reading data file '" + name + "'";
    try {
      if (path == "-" && io.in_closed)
        file_error(s.stdin_filename.value_or("-"), diag::code::file_not_found,
                   "standard input is closed, so there is no data to read from '-'");
      auto doc = load_data(path, io, s.limits.load, s.stdin_filename);
      const bool given = std::find(s.data.begin(), s.data.end(), path) != s.data.end();
      if (!given && is_other_kind(doc)) continue;  // a rule or waivers file found in a folder
      docs.push_back(std::move(doc));
    } catch (const joinup::error& e) {
      run.errors.insert(run.errors.end(), e.diagnostics().begin(), e.diagnostics().end());
    }
  }
  // A waiver that names no data file is refused when more than one is checked (broken ones too).
  if (s.waivers) {
    std::vector<std::string> broken;
    for (const auto& d : run.errors)
      if (std::find(broken.begin(), broken.end(), d.origin) == broken.end()) broken.push_back(d.origin);
    check_waiver_files(waivers, docs.size() + broken.size());
  }
  io.err << render(schema_findings, use_color(io.color_when, io.err_is_tty, io.no_color));

  evaluate_options eo;
  eo.as_of = s.as_of ? *s.as_of : today();  // one date for every file, even across midnight
  eo.undetermined_fails = s.undetermined_fails;
  eo.only = s.only;
  eo.tags = s.tags;
  s.limits.apply(eo);
  for (const auto& d : docs) {
    io.stage = "evaluating the rules against '" + d.origin() + "'";
    try {
      run.files.push_back(pol.evaluate(d, eo));
      identify_subjects(run.files.back(), d);
    } catch (const joinup::error& e) {
      run.errors.insert(run.errors.end(), e.diagnostics().begin(), e.diagnostics().end());
    }
  }
  if (s.waivers) {
    run.waivers = apply_waivers(run.files, waivers, rules);
    warn_positional_subjects(run.waivers, io);
  }
  if (base) compare_with_baseline(run, *base);
  // The exit code comes from everything found; --min-severity only trims what is shown.
  const bool fails = s.fail_on && run.fails_at(*s.fail_on);
  drop_below(run, s.min_severity);

  io.stage = "writing the " + s.format + " report";
  std::string report;
  if (s.format == "json") {
    report = to_json(run, rules);
  } else if (s.format == "sarif") {
    sarif_options so;
    so.rules_root = s.rules_root.value_or("");
    so.rule_dirs = rule_paths_or_pack(s.rule_paths);
    report = to_sarif(run, rules, so);
  } else if (s.format == "junit") {
    report = to_junit(run, rules);
  } else if (s.format == "github") {
    report = to_github(run, rules);
  } else if (s.format == "html") {
    report = to_html(run, rules, {.board = s.board, .rule_dirs = rule_paths_or_pack(s.rule_paths)});
  } else if (s.format == "markdown") {
    report = to_markdown(run, rules);
  } else if (s.format == "codequality") {
    report = to_codequality(run, rules);
  } else {
    const bool color = !s.output && use_color(s.color, io.out_is_tty, io.no_color);
    // To a file, the text report holds the errors too; on standard output they go to standard error.
    report = to_text(
        run, rules,
        {.color = color, .quiet = s.quiet, .errors = s.output.has_value(), .board = s.board, .verbose = s.verbose});
  }

  if (s.output) {
    // Closed and checked: a full disk shows when the buffer is written out, not at `<<`.
    errno = 0;
    std::ofstream f(*s.output, std::ios::binary | std::ios::trunc);
    if (f) f << report;
    if (f) f.close();
    if (!f) {
      std::string reason = std::strerror(errno);
      if (!reason.empty()) reason[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(reason[0])));
      throw usage_error("cannot write '" + *s.output + "': " + reason);
    }
  } else {
    io.out << report;
  }
  if (!run.errors.empty()) {
    io.err << render_capped(run.errors, use_color(io.color_when, io.err_is_tty, io.no_color));
    return 2;
  }
  return fails ? 1 : 0;
}

}  // namespace joinup::cli
