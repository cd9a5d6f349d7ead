// The compiler's front end, once for policy::compile and `joinup lint`: every source read (size
// limit, UTF-8, the DSL or the YAML form), checked and lowered. All the errors of a rule set are
// collected and thrown together, in the order of the files given and of their positions in each.
#pragma once

#include <memory>
#include <vector>

#include "ast/ast.hpp"
#include "check/check.hpp"
#include "diag/source.hpp"
#include "joinup/diagnostic.hpp"
#include "joinup/policy.hpp"
#include "plan/plan.hpp"

namespace joinup::api {

// A rule set compiled, with its syntax and the checker's notes: policy::compile keeps the program
// alone; lint also reads the syntax.
struct compiled_rules {
  std::vector<std::shared_ptr<const diag::source_file>> files;
  std::vector<std::unique_ptr<ast::file>> trees;  // parallel to files
  std::vector<check::checked_file> checked;       // parallel to files
  check::definition_table definitions;            // the file-level definitions of every file
  plan::program program;
};

// Every stage that can run: a file past the size limit or not UTF-8 is left out (its diagnostic
// appended), every other file is parsed and checked whatever its errors (so that an editor sees
// the syntax and the checker's notes of a file being written), and the set is lowered when there
// is no error. Appends the diagnostics unsorted; never throws joinup::error.
compiled_rules front_end(const std::vector<rule_source>& sources, const compile_options& options,
                         std::vector<diagnostic>& diags);

// Throws joinup::error with every diagnostic of the set, sorted, when it does not compile.
compiled_rules compile_rules(const std::vector<rule_source>& sources, const compile_options& options);

// The type check of a compiled rule set (joinup::type_check): against `schema` for every file, or,
// with it null, against the schema each package declares (read from disk).
std::vector<diagnostic> type_check(const compiled_rules& rules, const document* schema);

// The schema path each file's package declares (types::declared_schemas), "" for none; a
// conflict between two declarations of a package is appended to `errors`.
std::vector<std::string> declared_schemas(const compiled_rules& rules, std::vector<diagnostic>& errors);

// Every diagnostic in the order of the files given (those naming no given file last) and then of
// their positions in each file; the order among equals is kept.
void sort_diagnostics(std::vector<diagnostic>& diags, const std::vector<rule_source>& sources);

}  // namespace joinup::api
