// `joinup lint`: problems a rule set has before any data is seen, reported as warnings —
// a `let` that is never used, a `require` or `when` that constant folding decides, rules with the
// same body under different ids, and (given a JSON Schema of the data) paths the schema does not
// allow. The rule set must compile; otherwise joinup::error is thrown with its diagnostics.
#pragma once

#include <vector>

#include "joinup/diagnostic.hpp"
#include "joinup/document.hpp"
#include "joinup/policy.hpp"

namespace joinup::lint {

// Every finding, as warnings sorted by file (in the order given) and position.
// `schema` may be null: then paths are not checked.
std::vector<diagnostic> lint(const std::vector<rule_source>& sources, const document* schema,
                             const compile_options& options = {});

// Only the paths the schema does not allow (what `joinup check --schema` reports).
std::vector<diagnostic> schema_paths(const std::vector<rule_source>& sources, const document& schema);

}  // namespace joinup::lint
