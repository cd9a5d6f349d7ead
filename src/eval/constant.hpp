// The evaluator's one entry point for the planner: the value of an expression whose operands are
// all constants, evaluated once at load time (plan/fold.cpp folds it into the program).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "plan/plan.hpp"
#include "value/value.hpp"

namespace joinup::eval {

struct constant_result {
  values::value value;  // for a string, its bytes are `text` (the value points nowhere yet)
  std::string text;
};

// The value of node `node` of a program being lowered, over no document; nothing when it cannot
// become a constant (an error, reported at run time instead, or a computed list).
std::optional<constant_result> constant_value(const plan::program& program, std::uint32_t node);

}  // namespace joinup::eval
