// Evaluation of a plan over one document: subjects, outcomes, violations, explanations.
// One evaluator per call; the program and the document are only read.
#pragma once

#include "joinup/policy.hpp"
#include "joinup/result.hpp"
#include "plan/plan.hpp"

namespace joinup::eval {

// Evaluates the selected rules (indexes into program.rules, in order).
evaluation_result evaluate(const plan::program& program, const document& doc, const std::vector<std::uint32_t>& rules,
                           const evaluate_options& options);

// Evaluates a node whose operands are all constants, once, at load time. Returns false when the
// result cannot become a constant (an error, or a computed list): it is then left to run time.
bool fold_constant(plan::program& program, std::uint32_t node);

// Rendering of values, shared with reports: in messages strings print bare; in explanations quoted;
// both show at most diag::quote_window bytes of a string. `whole` (join()) prints strings bare and whole.
enum class render_style : std::uint8_t { message, explanation, whole };

}  // namespace joinup::eval
