// `joinup check`: evaluate a rule set against data files and report, with exit codes 0, 1 and 2.
// Everything that can be refused (arguments, rules, data) is refused before anything is printed,
// so a run either reports in full or prints only errors.
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
#include "cli/cli.hpp"
#include "cli/limits.hpp"
#include "diag/codes.hpp"
#include "diag/read.hpp"
#include "diag/source.hpp"
#include "joinup/document.hpp"
#include "joinup/report.hpp"
#include "joinup/waivers.hpp"

namespace joinup::cli {

namespace {

constexpr option_spec check_options[] = {
    {"--rules", true},   {"--format", true}, {"--output", true},  {"--fail-on", true},
    {"--undetermined", true}, {"--waivers", true}, {"--as-of", true}, {"--only", true},
    {"--tag", true},     {"--quiet", false}, {"--color", true}, {"--schema", true},
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
  std::string color = "auto";
  std::vector<std::string> data;
  cli::limits limits;
};

check_settings read_settings(const parsed_args& a) {
  check_settings s;
  s.rule_paths = a.all("--rules");

  s.format = a.last("--format").value_or("text");
  static const std::vector<std::string> formats = {"text", "json", "sarif", "junit", "github", "html"};
  if (std::find(formats.begin(), formats.end(), s.format) == formats.end())
    throw usage_error("unknown format '" + s.format + "': expected text, json, sarif, junit, github or html" +
                      did_you_mean(s.format, formats));

  s.output = a.last("--output");
  if (s.output && s.output->empty()) throw usage_error("option '--output' needs a file name");

  const auto fail_on = choice(a, "--fail-on", {"error", "warning", "info", "never"}, "error");
  s.fail_on = fail_on == "never" ? std::nullopt
              : fail_on == "info" ? std::optional(severity::info)
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
  s.quiet = a.has("--quiet");
  s.color = choice(a, "--color", {"auto", "always", "never"}, "auto");

  s.limits = read_limits(a);

  s.data = a.operands;
  if (s.data.empty()) throw usage_error("no data files given (usage: joinup check [OPTIONS] DATA...)");
  if (std::count(s.data.begin(), s.data.end(), "-") > 1)
    throw usage_error("standard input ('-') given more than once");
  return s;
}

[[noreturn]] void file_error(const std::string& path, diag::code code, std::string message) {
  throw joinup::error({diag::file_diagnostic(code, path, std::move(message))});
}

document load_data(const std::string& path, io& io, const load_options& options) {
  if (path == "-") {
    if (io.in_is_tty) io.err << "joinup: reading data from standard input (a terminal); end it with Ctrl-D\n";
    const std::string text = diag::read_stream(io.in, "-", {"standard input", options.max_bytes,
                                                            "raise the limit (--max-data-bytes) to read it"});
    return load_document(text, "-", data_format::automatic, options);
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
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) continue;
    if (!problems.empty()) problems += "\njoinup: ";
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

}  // namespace

int run_check(const std::vector<std::string>& args, io& io) {
  const parsed_args a = parse_args(args, with_limits(check_options, true));
  if (a.help) {
    io.out << usage("check");
    return 0;
  }
  const check_settings s = read_settings(a);
  io.color_when = s.color;

  const policy pol = load_rules(s.rule_paths, s.limits.compile);
  const auto& rules = pol.rules();
  // Paths the data's schema does not allow are warnings: they do not change the exit code.
  std::vector<diagnostic> schema_findings;
  if (auto schema = a.last("--schema")) schema_findings = schema_warnings(*schema, rule_paths_or_pack(s.rule_paths));
  check_only(s.only, rules);
  for (const auto& tag : s.tags) {
    const bool used = std::any_of(rules.begin(), rules.end(), [&](const rule_info& r) {
      return std::find(r.tags.begin(), r.tags.end(), tag) != r.tags.end();
    });
    if (!used) io.err << "joinup: warning: no rule has the tag '" << tag << "'\n";
  }

  std::vector<waiver> waivers;
  if (s.waivers) waivers = load_waivers_file(*s.waivers, s.limits.load.max_bytes);

  std::vector<document> docs;
  for (const auto& path : s.data) docs.push_back(load_data(path, io, s.limits.load));
  io.err << render(schema_findings, use_color(io.color_when, io.err_is_tty, io.no_color));

  evaluate_options eo;
  eo.as_of = s.as_of ? *s.as_of : today();  // one date for every file, even across midnight
  eo.undetermined_fails = s.undetermined_fails;
  eo.only = s.only;
  eo.tags = s.tags;
  s.limits.apply(eo);
  check_results run;
  for (const auto& d : docs) run.files.push_back(pol.evaluate(d, eo));
  if (s.waivers) run.waivers = apply_waivers(run.files, waivers, rules);

  std::string report;
  if (s.format == "json") {
    report = to_json(run, rules);
  } else if (s.format == "sarif") {
    report = to_sarif(run, rules);
  } else if (s.format == "junit") {
    report = to_junit(run, rules);
  } else if (s.format == "github") {
    report = to_github(run, rules);
  } else if (s.format == "html") {
    report = to_html(run, rules);
  } else {
    const bool color = !s.output && use_color(s.color, io.out_is_tty, io.no_color);
    report = to_text(run, rules, {.color = color, .quiet = s.quiet});
  }

  if (s.output) {
    std::ofstream f(*s.output, std::ios::binary | std::ios::trunc);
    if (f) f << report;
    if (!f) {
      std::string reason = std::strerror(errno);
      if (!reason.empty()) reason[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(reason[0])));
      throw usage_error("cannot write '" + *s.output + "': " + reason);
    }
  } else {
    io.out << report;
  }
  return s.fail_on && run.fails_at(*s.fail_on) ? 1 : 0;
}

}  // namespace joinup::cli
