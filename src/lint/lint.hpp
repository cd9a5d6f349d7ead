// `joinup lint`: problems a rule set has before any data is seen — warnings for a `let` that is
// never used, a `require` or `when` that constant folding decides, rules with the same body under
// different ids, message holes that read a path no clause guards; and the check against the
// data's JSON Schema (src/types/: errors for uses that can never match, warnings for paths the
// schema does not allow). The rule set must compile; otherwise joinup::error is thrown with its
// diagnostics.
#pragma once

#include <vector>

#include "joinup/diagnostic.hpp"
#include "joinup/document.hpp"
#include "joinup/policy.hpp"

namespace joinup::lint {

// Every finding, sorted by file (in the order given) and position. With `schema` null, each
// package is checked against the schema its files declare (none: not checked).
std::vector<diagnostic> lint(const std::vector<rule_source>& sources, const document* schema,
                             const compile_options& options = {});

// Only the check against the schema (what `joinup check --schema` reports).
std::vector<diagnostic> schema_paths(const std::vector<rule_source>& sources, const document& schema);

}  // namespace joinup::lint
