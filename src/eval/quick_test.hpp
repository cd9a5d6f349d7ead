// Fast path: filters and conditions answered without building values (test()), and the reading
// of slot paths it shares with the expression walk. Inline: included by evaluator.hpp.
#pragma once

#include "eval/evaluator.hpp"

namespace joinup::eval {

inline bool evaluator::read_path(const plan::node& n, value& out) {
  const auto child = path_node(n);
  if (child == no_index) return false;
  out = from_node(doc_, child);
  return true;
}

inline std::uint32_t evaluator::path_node(const plan::node& n) {
  const auto& object = p_.nodes[n.a];
  std::uint32_t map, size;
  if (object.code == opcode::slot) {
    const value& o = slots_[object.slot];
    if (o.kind != vkind::map) return no_index;
    map = o.node;
    size = o.len;
  } else {
    map = path_node(object);
    if (map == no_index || doc_.kind(map) != value_kind::map) return no_index;
    size = doc_.size(map);
  }
  const auto k = sym_keys_[n.sym];
  if (k == no_index) return no_index;
  return lookup(map, size, k, n.hint);
}

inline int evaluator::path_vs_constant(const plan::node& n) {
  const auto child = path_node(p_.nodes[n.a]);
  if (child == no_index) return -1;
  const value& c = p_.nodes[n.b].constant;
  if (n.op == ast::op::eq || n.op == ast::op::ne) {
    const value_kind k = doc_.kind(child);
    if (c.kind == vkind::string && k == value_kind::string)
      return (doc_.as_string(child) == c.str()) == (n.op == ast::op::eq);
    if (c.kind == vkind::integer && k == value_kind::integer)
      return (doc_.as_int(child) == c.u.i) == (n.op == ast::op::eq);
  }
  const value r = compare(n, from_node(doc_, child), c);
  return r.kind == vkind::boolean ? r.u.b : -1;
}

inline int evaluator::defaulted_vs_constant(const plan::node& n) {
  const auto& d = p_.nodes[n.a];
  const auto& c = p_.nodes[n.b];
  if (d.code != opcode::binary || d.op != ast::op::coalesce || c.code != opcode::constant ||
      c.constant.kind != vkind::string)
    return -1;
  const auto& path = p_.nodes[d.a];
  const auto& fallback = p_.nodes[d.b];
  if (path.code != opcode::field || !path.slot_path || fallback.code != opcode::constant) return -1;
  // A chain of fields from a bound name reads as missing whenever a step does not find its key
  // (or its object is not a map), and as an error only when the name holds one.
  if (!makes_no_error(d.a)) return -1;
  const auto child = path_node(path);
  std::string_view text;
  if (child == no_index || doc_.kind(child) == value_kind::null) {
    if (fallback.constant.kind != vkind::string) return -1;
    text = fallback.constant.str();
  } else if (doc_.kind(child) == value_kind::string) {
    text = doc_.as_string(child);
  } else {
    return -1;
  }
  return (text == c.constant.str()) == (n.op == ast::op::eq);
}

inline int evaluator::test(std::uint32_t id) {
  const auto& n = p_.nodes[id];
  switch (n.code) {
    case opcode::constant: return n.constant.kind == vkind::boolean ? n.constant.u.b : -1;
    case opcode::field: {
      if (!n.slot_path) return -1;
      value v;
      if (!read_path(n, v) || v.kind != vkind::boolean) return -1;
      return v.u.b;
    }
    case opcode::binary:
      if (n.path_vs_constant) return path_vs_constant(n);
      if (n.op == ast::op::and_ || n.op == ast::op::or_) {
        // Either side decides (false for and, true for or), whatever the other gives, an error
        // included (logic_after): a side this cannot answer does not stop the other from deciding.
        const int deciding = n.op == ast::op::or_;
        const int l = test(n.a);
        if (l == deciding) return l;
        const int r = test(n.b);
        if (r == deciding) return r;
        return l < 0 ? -1 : r;
      }
      if (n.op == ast::op::eq || n.op == ast::op::ne) return defaulted_vs_constant(n);
      return -1;
    case opcode::unary:
      if (n.op == ast::op::not_) {
        const int v = test(n.a);
        return v < 0 ? -1 : !v;
      }
      return -1;
    default: return -1;
  }
}

}  // namespace joinup::eval
