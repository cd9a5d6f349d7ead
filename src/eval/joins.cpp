// Fast path: joins (plan::node::join). `any t in C: X in F` and its like answered from a hash
// index of every F(t), built once per collection.
#include "eval/evaluator.hpp"

namespace joinup::eval {

std::optional<value> evaluator::join(const plan::node& n, std::uint32_t id, const value& coll) {
  if (coll.kind != vkind::list || coll.node == no_index || coll.len == 0) return std::nullopt;
  if (opts_.max_steps != 0 || (tracing_ && n.op != ast::op::any)) return std::nullopt;
  const auto& body = p_.nodes[n.c];
  using form = plan::node::join_form;
  const std::uint32_t f_node = n.join == form::equals_swapped ? body.a : body.b;
  const std::uint32_t x_node = n.join == form::equals_swapped ? body.b : body.a;
  auto& j = joins_[(std::uint64_t{id} << 32) | coll.node];
  ++trace_depth_;  // as inside each(): the body's parts are not explained
  if (!j.built) {
    j.built = true;
    j.usable = true;
    const auto mark = arena_.mark();
    for (std::uint32_t i = 0; i < coll.len && j.usable; ++i) {
      slots_[n.slot] = element(coll, i, nullptr);
      const value f = eval(f_node);
      if (n.join == form::in)
        j.usable = f.kind == vkind::list && f.node != no_index && j.index.add_list(doc_, f.node);
      else
        j.usable = f.from_document() && f.kind != vkind::list && f.kind != vkind::map && j.index.add_node(f.node);
    }
    arena_.release(mark);
    if (j.usable) j.index.finish(doc_);
  }
  std::optional<value> out;
  if (j.usable) {
    const value x = eval(x_node);
    if (!bad(x) && x.kind != vkind::list && x.kind != vkind::map) {
      const bool found = j.index.contains(doc_, x);
      out = value::boolean(n.op == ast::op::any ? found : !found);
    }
  }
  --trace_depth_;
  return out;
}

}  // namespace joinup::eval
