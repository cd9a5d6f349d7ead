// `joinup lint` and `joinup fmt`: the rule author's commands, which read rules but no data.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include "cli/args.hpp"
#include "cli/cli.hpp"
#include "cli/limits.hpp"
#include "diag/codes.hpp"
#include "diag/read.hpp"
#include "diag/source.hpp"
#include "diag/text.hpp"
#include "format/format.hpp"
#include "joinup/diagnostic.hpp"
#include "joinup/document.hpp"
#include "lint/lint.hpp"
#include "rulefile/files.hpp"

namespace joinup::cli {

namespace {

constexpr option_spec lint_options[] = {{"--schema", true}, {"--color", true}};
constexpr option_spec fmt_options[] = {{"--check", false}, {"--write", false}, {"--to", true}};

// The rule files of `paths`; files of a directory skipped as not rule files are named in a note on
// io.err when `io` is given.
std::vector<rule_source> read_sources(const std::vector<std::string>& paths, const compile_options& limits,
                                      io* io = nullptr) {
  std::vector<diagnostic> diags, notes;
  auto sources = rulefile::read_rule_files(paths, limits.max_file_bytes, diags, &notes);
  if (io) print_notes(notes, *io);
  if (!diags.empty()) throw joinup::error(std::move(diags));
  return sources;
}

std::string plural(std::size_t n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

}  // namespace

document load_schema(const std::string& path) {
  const load_options options;
  return load_document(diag::read_file(path, {"schema file", options.max_bytes}), path, data_format::automatic,
                       options);
}

int run_lint(const std::vector<std::string>& args, io& io) {
  const parsed_args a = parse_args(args, with_limits(lint_options, false));
  const compile_options limits = read_limits(a).compile;
  if (a.help) {
    io.out << usage("lint");
    return 0;
  }
  io.color_when = a.last("--color").value_or("auto");
  if (a.operands.empty()) throw usage_error("no rule files given (usage: joinup lint [--schema FILE] RULES...)");
  const auto sources = read_sources(a.operands, limits, &io);
  std::optional<document> schema;
  if (auto s = a.last("--schema")) schema = load_schema(*s);
  const auto findings = lint::lint(sources, schema ? &*schema : nullptr, limits);
  if (findings.empty()) return 0;
  io.out << render(findings, use_color(io.color_when, io.out_is_tty, io.no_color));
  const auto errors = static_cast<std::size_t>(std::count_if(
      findings.begin(), findings.end(), [](const diagnostic& d) { return d.level == diagnostic_level::error; }));
  const auto warnings = findings.size() - errors;
  if (errors && warnings) {
    io.out << plural(errors, "error") << " and " << plural(warnings, "warning") << '\n';
  } else {
    io.out << (errors ? plural(errors, "error") : plural(warnings, "warning")) << '\n';
  }
  return 1;
}

std::vector<diagnostic> schema_warnings(const std::string& schema_path, const std::vector<std::string>& rule_paths) {
  const document schema = load_schema(schema_path);
  return lint::schema_paths(read_sources(rule_paths, compile_options{}), schema);
}

int run_fmt(const std::vector<std::string>& args, io& io) {
  const parsed_args a = parse_args(args, fmt_options);
  if (a.help) {
    io.out << usage("fmt");
    return 0;
  }
  const bool check = a.has("--check"), write = a.has("--write");
  const auto to = a.last("--to");
  if (check && write) throw usage_error("give --check or --write, not both");
  if (to && *to != "dsl" && *to != "yaml") {
    static const std::vector<std::string> forms = {"dsl", "yaml"};
    throw usage_error("invalid value '" + *to + "' for --to: expected dsl or yaml" + did_you_mean(*to, forms));
  }
  if (to && (check || write)) throw usage_error("--to prints the converted file; it takes no --check or --write");
  if (a.operands.empty()) throw usage_error("no files given (usage: joinup fmt [--check] [--write] FILE...)");

  std::vector<rule_source> sources;
  std::vector<diagnostic> diags;
  for (const auto& path : a.operands) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      diags.push_back(diag::file_diagnostic(diag::code::not_a_file, path, "is a directory; fmt takes rule files"));
      continue;
    }
    auto read = rulefile::read_rule_files({path}, compile_options{}.max_file_bytes, diags);
    sources.insert(sources.end(), read.begin(), read.end());
  }
  if (!diags.empty()) throw joinup::error(std::move(diags));

  // Everything is formatted before anything is written: a file that does not parse stops the run.
  std::vector<std::string> outputs;
  for (const auto& s : sources) {
    const bool is_yaml = format::is_yaml_source(s.origin);
    if (to) {
      outputs.push_back(*to == "yaml" ? format::to_yaml(s) : format::to_dsl(s));
    } else {
      if (is_yaml)
        throw usage_error("'" + s.origin +
                          "' is a YAML rule file: fmt lays out .jup files (use --to dsl to convert it)");
      outputs.push_back(format::format_dsl(s));
    }
  }
  int status = 0;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const auto& s = sources[i];
    if (check) {
      if (outputs[i] != s.text) {
        io.out << diag::escaped(s.origin) << '\n';  // a file name, escaped for the terminal
        status = 1;
      }
    } else if (write) {
      if (outputs[i] == s.text) continue;
      std::ofstream f(s.origin, std::ios::binary | std::ios::trunc);
      if (f) f << outputs[i];
      if (!f) throw usage_error("cannot write '" + s.origin + "'");
    } else {
      io.out << outputs[i];
    }
  }
  return status;
}

}  // namespace joinup::cli
