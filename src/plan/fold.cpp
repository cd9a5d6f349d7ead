// Constant folding: an expression whose operands are all constants is evaluated once, at load
// time, through the evaluator's one entry point for it (eval/constant.hpp).
#include "eval/constant.hpp"
#include "plan/passes.hpp"

namespace joinup::plan {

bool fold_constant(program& p, std::uint32_t node) {
  auto folded = eval::constant_value(p, node);
  if (!folded) return false;
  auto& n = p.nodes[node];
  n.code = opcode::constant;
  if (folded->value.kind == values::vkind::string) {
    p.strings.push_back(std::move(folded->text));
    n.constant = values::value::string(p.strings.back());
  } else {
    n.constant = folded->value;
  }
  return true;
}

}  // namespace joinup::plan
