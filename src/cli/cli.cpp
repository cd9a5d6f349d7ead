// Dispatch to subcommands, help and version, and the one place where failures become exit code 2.
#include "cli/cli.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <new>
#include <ostream>
#include <system_error>

#include "cli/args.hpp"
#include "cli/limits.hpp"
#include "cli/rules_dir.hpp"
#include "diag/codes.hpp"
#include "diag/source.hpp"
#include "diag/text.hpp"
#include "joinup/diagnostic.hpp"
#include "joinup/version.hpp"

namespace joinup::cli {

namespace {

const std::vector<std::string> commands = {"check", "rules", "explain", "help", "test", "fmt", "lint", "lsp", "eval"};
// In the product specification but not in this version.
bool planned(const std::string&) { return false; }

constexpr const char* overview_body =
    R"(: rules about public-service partnerships, checked against YAML/JSON descriptions

usage: joinup COMMAND [OPTIONS] [ARGS...]

commands:
  check     evaluate a rule set against data files
  rules     list the rules of a rule set: id, severity, title
  explain   show a rule's metadata, rationale, remedy and source text
  test      run rule tests (*.test.yaml files)
  eval      show an expression's value over a data file, or how one rule judged each subject
  fmt       lay out .jup files canonically, or convert between .jup and YAML rule files
  lint      report problems in rules without data: unused lets, constant requires, duplicates, types
  lsp       a language server for editors (Language Server Protocol over standard input and output)
  help      show the usage of a command

options:
  -h, --help   show this help
  --version    print the version

Run 'joinup help COMMAND' for a command's options.
)";

constexpr const char* check_usage = R"(usage: joinup check [OPTIONS] DATA...

Evaluates a rule set against each data file (YAML or JSON; '-' reads standard input; a
directory: its .yaml, .yml and .json files, recursively, less rule files, tests and waivers).

options:
  --rules PATH          rule file or directory; repeatable (default: the standard rule pack)
  --format FORMAT       text (default), json, sarif, junit, github (CI annotations), html,
                        markdown (a job summary) or codequality (GitLab Code Quality)
  --output FILE         write the report to FILE instead of standard output
  --fail-on LEVEL       error (default), warning, info or never: the lowest severity that fails
  --undetermined MODE   fail (default) or pass: whether subjects that cannot be judged fail
  --as-of DATE          the date that today() means, as YYYY-MM-DD (default: today)
  --waivers FILE        accepted exceptions (YAML or JSON), each for the plans it names: waived
                        findings are reported, not failed
  --only RULE-ID        evaluate only this rule; repeatable
  --tag TAG             evaluate only rules with this tag; repeatable
  -q, --quiet           text format: print the violations only, without the summary line
  --verbose             text format: also list every rule with its outcome and subject count
  --min-severity LEVEL  error, warning or info (default): leave rules below it out of the report
  --baseline REPORT     a previous --format json report: findings are new, unchanged or absent,
                        and only new ones fail
  --stdin-filename NAME
                        the name of the data read from standard input, in reports and waivers
  --rules-root DIR      SARIF: rule files are located relative to DIR (default: the current folder)
  --view VIEW           developer (default) or board: text and html show a board the findings,
                        titles and remedies without the rules' working
  --color WHEN          auto (default), always or never
  --schema FILE         check the rules against this JSON Schema of the data first: a use that can
                        never match stops the run (exit 2); paths it does not allow are warnings
  -h, --help            show this help

)";
constexpr const char* check_usage_end = R"(
exit codes:
  0  nothing at or above --fail-on
  1  violations at or above --fail-on
  2  the command could not run: bad arguments, a rule or data file that does not load or is past a
     limit, or an evaluation that used up --max-steps (the files that load are still reported)
)";

constexpr const char* rules_usage = R"(usage: joinup rules [--rules PATH]...

Lists the rules of a rule set, one a line: id, severity, title.

options:
  --rules PATH   rule file or directory; repeatable (default: the standard rule pack)
  -h, --help     show this help

)";

constexpr const char* explain_usage = R"(usage: joinup explain RULE-ID... [--rules PATH]...

Shows a rule's title, metadata (severity, tags, source, where it is defined), rationale, remedy
and its source text.

options:
  --rules PATH   rule file or directory; repeatable (default: the standard rule pack)
  -h, --help     show this help

)";

constexpr const char* test_usage = R"(usage: joinup test [OPTIONS] [PATH...]

Runs rule tests: each PATH is a *.test.yaml file or a directory searched recursively for them
(default: the current directory). Each test evaluates its input against the file's rules and
compares the violations with its 'expect' list. Tests without 'as_of' run as of 2026-01-01.

options:
  --verbose      also list the tests that passed
  --color WHEN   auto (default), always or never
  --coverage     after the results, each rule of the tests' rule sets: whether a test evaluated it
                 and gave it subjects, how many subjects passed every require, failed or were
                 undetermined, and which requires (or where, for each) failed or were undetermined
  --coverage-format FORMAT
                 text (default) or json: the coverage as JSON on standard output, the results on
                 standard error (implies --coverage)
  -h, --help     show this help

)";
constexpr const char* test_usage_end = R"(
exit codes:
  0  every test passed
  1  a test failed
  2  a test file or its rules could not be loaded
)";

constexpr const char* fmt_usage = R"(usage: joinup fmt [--check | --write] FILE...
       joinup fmt --to dsl|yaml FILE...

Lays out .jup rule files in the one canonical layout, keeping every comment. Without options the
formatted text is printed; the files are not changed.

options:
  --check        print the names of the files that would change; exit 1 if any would
  --write        rewrite the files that would change, in place
  --to FORM      print the rules converted to the other form: dsl (from .yaml/.yml) or yaml (from .jup)
  -h, --help     show this help

exit codes:
  0  formatted (with --check: every file is already formatted)
  1  --check: a file would change
  2  a file could not be read or does not parse
)";

constexpr const char* lint_usage = R"(usage: joinup lint [OPTIONS] RULES...

Loads a rule set (files or directories) and reports problems without data: as warnings, a 'let'
that is never used, a 'require' or 'when' that is always true or always false, rules that check
exactly the same under different ids; and the check against the data's JSON Schema (the one each
package declares with a 'schema' line, or --schema): as errors, uses that can never match (a string
outside an enum, a number compared with a string, count() of a string); as warnings, paths the
schema does not allow.

options:
  --schema FILE   a JSON Schema of the data, instead of the one the rules declare
  --color WHEN    auto (default), always or never
  -h, --help      show this help

)";
constexpr const char* lint_usage_end = R"(
exit codes:
  0  no findings
  1  findings
  2  the rules or the schema could not be loaded
)";

constexpr const char* lsp_usage = R"(usage: joinup lsp [--stdio] [OPTIONS]

A Language Server Protocol server for .jup and YAML rule files, speaking on standard input and
output (--stdio is accepted and is the only transport): diagnostics as you type with quick fixes,
hover, completion, go to definition, document symbols, formatting and rename. The JSON Schema of
the data is the setting joinup.schema. See docs/cli.md.

options:
  --stdio        use standard input and output (the default)
  -h, --help     show this help

)";
constexpr const char* lsp_usage_end = R"(
exit codes:
  0  the client sent 'shutdown' and then 'exit'
  1  'exit' without 'shutdown', or standard input ended
  2  bad options
)";

constexpr const char* eval_usage = R"(usage: joinup eval [OPTIONS] EXPR DATA
       joinup eval [OPTIONS] --rules PATH --rule RULE-ID DATA

With an expression: evaluates it over the data file and prints its value, then the value of each
of its sub-expressions, as findings explain a failing require. The data's top-level keys are the
names it may use (as 'uses' names them); a mistake in it is reported at its character, in
'<expression>'. An expression that cannot be judged (a missing key, a wrong type) prints
'undetermined:' and why.

With --rule: evaluates that rule alone and prints its outcome, how many subjects it judged, and
each failing or undetermined subject with its message and explanation. A rule's id without its
package is accepted when only one package has that id.

options:
  --rules PATH      rule file or directory; repeatable (default: the standard rule pack)
  --rule RULE-ID    the rule to evaluate
  --as-of DATE      the date that today() means, as YYYY-MM-DD (default: today)
  --format FORMAT   text (default) or json
  -h, --help        show this help

)";
constexpr const char* eval_usage_end = R"(
exit codes:
  0  the expression has a value; with --rule, the rule was evaluated (whatever its outcome)
  1  the expression could not be judged (undetermined)
  2  bad arguments, or an expression, rule or data file that does not load
)";

constexpr const char* help_usage = R"(usage: joinup help [COMMAND]

Shows the usage of a command, or the list of commands.
)";

std::string overview() { return std::string("joinup ") + version_string + overview_body; }

int run_help(const std::vector<std::string>& args, io& io) {
  if (args.size() > 1) throw usage_error("help takes at most one command");
  const std::string command = args.empty() ? "" : args[0];
  if (!command.empty() && planned(command)) throw usage_error("command '" + command + "' is not supported yet");
  const std::string text = usage(command);
  if (text.empty()) throw usage_error("unknown command '" + command + "'" + did_you_mean(command, commands));
  io.out << text;
  return 0;
}

int dispatch(const std::vector<std::string>& args, io& io) {
  if (args.empty()) {
    io.err << overview();
    return 2;
  }
  const std::string& first = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (first == "--version") {
    io.out << "joinup " << version_string << '\n';
    return 0;
  }
  if (first == "-h" || first == "--help") {
    io.out << overview();
    return 0;
  }
  if (first.starts_with("-") && first != "-") {
    static const std::vector<std::string> global = {"--version", "--help"};
    throw usage_error("unknown option '" + first + "'" + did_you_mean(first, global));
  }
  io.stage = "running 'joinup " + first + "'";  // each command names its stages more closely
  if (first == "check") return run_check(rest, io);
  if (first == "rules") return run_rules(rest, io);
  if (first == "explain") return run_explain(rest, io);
  if (first == "test") return run_test(rest, io);
  if (first == "help") return run_help(rest, io);
  if (first == "fmt") return run_fmt(rest, io);
  if (first == "lint") return run_lint(rest, io);
  if (first == "lsp") return run_lsp(rest, io);
  if (first == "eval") return run_eval(rest, io);
  if (planned(first)) throw usage_error("command '" + first + "' is not supported yet");
  throw usage_error("unknown command '" + first + "'" + did_you_mean(first, commands));
}

// Every file's first max_errors_per_file diagnostics, then one line per file saying how many
// more there were: a generated or hostile file with thousands of errors prints a screenful.
constexpr std::size_t max_errors_per_file = 50;

}  // namespace

std::string render_capped(const std::vector<diagnostic>& diags, bool color) {
  std::vector<diagnostic> shown;
  std::vector<std::pair<std::string, std::size_t>> omitted;  // origin, count (in order of first omission)
  std::map<std::string, std::size_t> per_file;
  for (const auto& d : diags) {
    if (++per_file[d.origin] <= max_errors_per_file) {
      shown.push_back(d);
      continue;
    }
    if (d.level != diagnostic_level::error) continue;  // notes and warnings past the cap go uncounted
    auto it = std::find_if(omitted.begin(), omitted.end(), [&](const auto& o) { return o.first == d.origin; });
    if (it == omitted.end())
      omitted.emplace_back(d.origin, 1);
    else
      ++it->second;
  }
  std::string out = joinup::render(shown, color);
  for (const auto& [origin, n] : omitted)
    out += "joinup: … and " + std::to_string(n) + " more " + (n == 1 ? "error" : "errors") + " in " +
           (origin.empty() ? std::string("the input") : diag::escaped(origin)) + "\n";
  return out;
}

std::string usage(const std::string& command) {
  if (command.empty()) return overview();
  if (command == "check") return check_usage + limits_usage(limits_reader::check) + check_usage_end;
  if (command == "rules") return rules_usage + limits_usage(limits_reader::rules);
  if (command == "explain") return explain_usage + limits_usage(limits_reader::rules);
  if (command == "test") return test_usage + limits_usage(limits_reader::test) + test_usage_end;
  if (command == "help") return help_usage;
  if (command == "fmt") return fmt_usage;
  if (command == "lint") return lint_usage + limits_usage(limits_reader::rules) + lint_usage_end;
  if (command == "eval") return eval_usage + limits_usage(limits_reader::check) + eval_usage_end;
  if (command == "lsp") return lsp_usage + limits_usage(limits_reader::rules) + lsp_usage_end;
  return {};
}

bool use_color(const std::string& when, bool is_tty, bool no_color) {
  if (when == "always") return true;
  if (when == "never") return false;
  return is_tty && !no_color;
}

std::vector<std::string> rule_paths_or_pack(const std::vector<std::string>& given) {
  std::vector<std::string> paths = given;
  if (paths.empty()) {
    auto dir = standard_rules_dir();
    if (!dir)
      throw usage_error(
          "no rule set given and the standard rule pack was not found (pass --rules PATH or set JOINUP_RULES)");
    paths.push_back(*dir);
  }
  return paths;
}

void print_notes(const std::vector<diagnostic>& notes, io& io) {
  if (!notes.empty()) io.err << render(notes, use_color(io.color_when, io.err_is_tty, io.no_color));
}

joinup::policy load_rules(const std::vector<std::string>& given, const compile_options& options, io& io) {
  const std::vector<std::string> paths = rule_paths_or_pack(given);
  // Checked here as well as by the loader, so a mistyped path is always named the same way.
  std::vector<diagnostic> missing;
  for (const auto& p : paths) {
    std::error_code ec;
    if (!std::filesystem::exists(p, ec)) {
      missing.push_back(diag::file_diagnostic(diag::code::file_not_found, p, "rule file or directory not found"));
    }
  }
  if (!missing.empty()) throw joinup::error(std::move(missing));
  std::vector<diagnostic> notes;
  try {
    auto loaded = joinup::policy::load(paths, options, notes);
    print_notes(notes, io);
    return loaded;
  } catch (const joinup::error&) {
    print_notes(notes, io);
    throw;
  }
}

namespace {

// The reason of the last failed system call, as a clause: "no space left on device".
std::string reason_of(int err) {
  std::string reason = std::strerror(err);
  if (!reason.empty()) reason[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(reason[0])));
  return reason;
}

}  // namespace

int run(const std::vector<std::string>& args, io& io) {
  int code = 2;
  // Messages carry file names, rule ids and text from files: every one is escaped for the
  // terminal (diag::append_escaped), as the reports are.
  try {
    code = dispatch(args, io);
  } catch (const usage_error& e) {
    io.err << "joinup: " << diag::escaped(e.what(), diag::line_breaks::keep) << '\n';
  } catch (const joinup::error& e) {
    if (e.diagnostics().empty())
      io.err << "joinup: " << diag::escaped(e.what(), diag::line_breaks::keep) << '\n';
    else
      io.err << render_capped(e.diagnostics(), use_color(io.color_when, io.err_is_tty, io.no_color));
  } catch (const std::bad_alloc&) {
    // Memory is free again once the stack has unwound, so the message can be built.
    io.err << "joinup: out of memory" << (io.stage.empty() ? std::string() : " while " + diag::escaped(io.stage))
           << ": the process could not allocate more memory (raise its memory limit, or lower the limits "
              "of the input, such as --max-data-bytes)\n";
  } catch (const std::exception& e) {
    io.err << "joinup: internal error: " << diag::escaped(e.what()) << '\n';
  } catch (...) {
    io.err << "joinup: internal error\n";
  }
  // A report or listing that did not reach its reader is a failure, whatever was found: a full
  // disk or a closed standard output must not pass as an empty report.
  // errno is kept from a write that has already failed (a report larger than the buffer).
  if (io.out) errno = 0;
  io.out.flush();
  if (!io.out) {
    const int err = errno;
    io.err << "joinup: cannot write to standard output" << (err ? ": " + reason_of(err) : std::string()) << '\n';
    io.err.flush();
    return 2;
  }
  return code;
}

}  // namespace joinup::cli
