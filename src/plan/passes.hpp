// The passes of lowering after the expression walk (lower.cpp): constant folding (fold.cpp) and
// the marking of the nodes the evaluator has fast paths for (fast_paths.cpp). Private to plan/.
#pragma once

#include <cstdint>

#include "plan/plan.hpp"

namespace joinup::plan {

// Replaces node `node`, whose operands are all constants, by its value; false when the value
// cannot become a constant (then it is left to run time).
bool fold_constant(program& p, std::uint32_t node);

// Calls f(child) for each operand of node n, in order: a, b, c, then a call's or list's arguments
// (a def's call: its arguments, not the def's body, which reads only them and the document).
// f returns true to go on, false to stop; for_each_child returns false when f stopped it.
template <class F>
bool for_each_child(const program& p, const node& n, F&& f) {
  for (auto k : {n.a, n.b, n.c})
    if (k != no_index && !f(k)) return false;
  if (n.code == opcode::call || n.code == opcode::list || n.code == opcode::call_def)
    for (std::uint32_t i = 0; i < n.count; ++i)
      if (!f(p.args[n.first + i])) return false;
  return true;
}

// The fast paths, each marked by its own pass, in this order (each may read what the ones before
// it marked): key-position hints and slot paths, filter kernels, grouped filters, fused counts,
// rules' guards, quick tests.
void mark_hints(program& p);
void mark_kernels(program& p);
void mark_groups(program& p);
void mark_fusions(program& p);
void mark_guards(program& p);
// Marks the nodes of a form the evaluator's quick test (eval/quick_test.hpp, test()) may answer
// (node::testable), so that the others are not offered to it.
void mark_quick_tests(program& p);

}  // namespace joinup::plan
