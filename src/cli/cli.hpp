// The `joinup` command, as a function of its arguments and its streams, so that main() is a thin
// shell and the behaviour does not depend on process globals beyond the environment.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "joinup/diagnostic.hpp"
#include "joinup/document.hpp"
#include "joinup/policy.hpp"

namespace joinup::cli {

struct io {
  std::istream& in;        // standard input, for the data file "-"
  std::ostream& out;       // the report (unless --output), help text, listings
  std::ostream& err;       // every error message, and nothing else
  bool in_is_tty = false;  // standard input is a terminal: reading it says so first
  bool out_is_tty = false;
  bool err_is_tty = false;
  bool no_color = false;            // NO_COLOR is set to a non-empty value (https://no-color.org)
  std::string color_when = "auto";  // --color, once a command has read it: colours error messages too
  bool in_closed = false;           // standard input is not open (`<&-`): reading '-' is an error, not empty data
  // What the command is doing ("reading data file 'a.yaml'"), for the message when memory runs out.
  std::string stage = {};
};

// Runs `joinup ARGS…` (args without the program name) and returns the exit code: 0, 1 or 2.
// Never throws: every failure is a message on io.err and exit code 2.
int run(const std::vector<std::string>& args, io& io);

// The subcommands, each given the arguments after its name.
int run_check(const std::vector<std::string>& args, io& io);
int run_rules(const std::vector<std::string>& args, io& io);
int run_explain(const std::vector<std::string>& args, io& io);
int run_test(const std::vector<std::string>& args, io& io);
int run_lint(const std::vector<std::string>& args, io& io);
int run_fmt(const std::vector<std::string>& args, io& io);
int run_lsp(const std::vector<std::string>& args, io& io);
int run_eval(const std::vector<std::string>& args, io& io);

// The data schema (a JSON Schema file) for `lint --schema` and `check --schema`, and the warnings
// for rule paths it does not allow (the rule set must load).
joinup::document load_schema(const std::string& path);
std::vector<diagnostic> schema_warnings(const std::string& schema_path, const std::vector<std::string>& rule_paths);

// The --rules paths given, or the standard pack's directory when there are none.
std::vector<std::string> rule_paths_or_pack(const std::vector<std::string>& given);

// Usage text of a command ("" for the overview), ending in a newline; empty when there is none.
std::string usage(const std::string& command);

// Loads the rule set from --rules paths, or the standard pack when there are none. Throws
// usage_error when no pack can be found and joinup::error (with the path as origin) for a path
// that does not exist or a rule set that does not compile. Files of a directory skipped as not rule
// files are named in a note on io.err (printed before any error).
joinup::policy load_rules(const std::vector<std::string>& paths, const compile_options& options, io& io);

// Notes (such as files skipped as not rule files) on io.err, coloured as errors are.
void print_notes(const std::vector<diagnostic>& notes, io& io);

// Diagnostics as text, at most 50 for one file, then a line per file saying how many more there were.
std::string render_capped(const std::vector<diagnostic>& diags, bool color);

// Whether to colour output written to a stream: `when` is auto, always or never.
bool use_color(const std::string& when, bool is_tty, bool no_color);

}  // namespace joinup::cli
