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
  } else if (object.code == opcode::doc_name) {  // as eval_node reads a document name
    const std::uint32_t key = sym_keys_[object.sym];
    if (key == no_index || doc_.empty() || doc_.kind(doc_.root()) != value_kind::map) return no_index;
    map = doc_.find(doc_.root(), key);
    if (map == no_index || doc_.kind(map) != value_kind::map) return no_index;
    size = doc_.size(map);
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
  const auto& fallback = p_.nodes[d.b];
  if (fallback.code != opcode::constant) return -1;
  const auto child = present_path(d.a);
  if (child == no_index - 1) return -1;
  std::string_view text;
  if (child == no_index) {
    if (fallback.constant.kind != vkind::string) return -1;
    text = fallback.constant.str();
  } else if (doc_.kind(child) == value_kind::string) {
    text = doc_.as_string(child);
  } else {
    return -1;
  }
  return (text == c.constant.str()) == (n.op == ast::op::eq);
}

inline std::uint32_t evaluator::present_path(std::uint32_t id) {
  if (surely_missing(id)) return no_index;
  const auto& n = p_.nodes[id];
  if (n.code != opcode::field || !(n.slot_path || n.doc_rooted) || !makes_no_error(id)) return no_index - 1;
  const auto child = path_node(n);
  return child != no_index && doc_.kind(child) == value_kind::null ? no_index : child;
}

inline std::int64_t evaluator::quick_count(std::uint32_t id) {
  const auto& n = p_.nodes[id];
  if (n.code != opcode::call || n.fn != check::builtin::count || n.count != 1) return -1;
  const auto& arg = p_.nodes[p_.args[n.first]];
  if (arg.code == opcode::slot) {  // count(name): a bound list or map
    const value& v = slots_[arg.slot];
    return iterable(v) ? std::int64_t{v.len} : -1;
  }
  // count(x ?? [..]): the default's length when x is missing or null.
  const bool defaulted = arg.code == opcode::binary && arg.op == ast::op::coalesce &&
                         p_.nodes[arg.b].code == opcode::constant && p_.nodes[arg.b].constant.kind == vkind::list;
  const auto child = present_path(defaulted ? arg.a : p_.args[n.first]);
  if (child == no_index - 1) return -1;
  if (child == no_index) return defaulted ? std::int64_t{p_.nodes[arg.b].constant.len} : -1;  // count(missing) errs
  const auto k = doc_.kind(child);
  return k == value_kind::list || k == value_kind::map ? std::int64_t{doc_.size(child)} : -1;
}

inline int evaluator::integers_compared(ast::op op, std::int64_t l, std::int64_t r) {
  switch (op) {
    case ast::op::eq: return l == r;
    case ast::op::ne: return l != r;
    case ast::op::lt: return l < r;
    case ast::op::le: return l <= r;
    case ast::op::gt: return l > r;
    case ast::op::ge: return l >= r;
    default: return -1;
  }
}

inline int evaluator::test(std::uint32_t id) {
  const auto& n = p_.nodes[id];
  switch (n.code) {
    case opcode::constant: return n.constant.kind == vkind::boolean ? n.constant.u.b : -1;
    case opcode::slot: {
      const value& v = slots_[n.slot];
      return v.kind == vkind::boolean ? v.u.b : -1;
    }
    case opcode::field: {
      if (!n.slot_path) return -1;
      value v;
      if (!read_path(n, v) || v.kind != vkind::boolean) return -1;
      return v.u.b;
    }
    case opcode::call:
      // has(x): false when x is surely missing; for a chain of fields from a bound name or a
      // document name, whether it reads a value (has() is false for missing and errors alike).
      if (n.fn == check::builtin::has) {
        const auto arg = p_.args[n.first];
        if (surely_missing(arg)) return 0;
        const auto& a = p_.nodes[arg];
        if (a.code != opcode::field || !(a.slot_path || a.doc_rooted)) return -1;
        return path_node(a) != no_index;
      }
      return -1;
    case opcode::binary:
      if (n.path_vs_constant) return path_vs_constant(n);
      if (n.op == ast::op::and_ || n.op == ast::op::or_) {
        // Either side decides (false for and, true for or), whatever the other gives, an error
        // included (logic_after): a side this cannot answer does not stop the other from deciding.
        const int deciding = n.op == ast::op::or_;
        const int l = p_.nodes[n.a].testable ? test(n.a) : -1;
        if (l == deciding) return l;
        const int r = p_.nodes[n.b].testable ? test(n.b) : -1;
        if (r == deciding) return r;
        return l < 0 ? -1 : r;
      }
      if (n.op == ast::op::coalesce) {
        // x ?? true|false: the default when x is missing or null; x itself when it is a boolean.
        const auto& d = p_.nodes[n.b];
        if (d.code != opcode::constant || d.constant.kind != vkind::boolean) return -1;
        const auto child = present_path(n.a);
        if (child == no_index) return d.constant.u.b;
        if (child == no_index - 1 || doc_.kind(child) != value_kind::boolean) return -1;
        return doc_.as_bool(child);
      }
      if (ast::is_comparison(n.op)) {
        const auto& b = p_.nodes[n.b];
        if (b.code != opcode::constant) return -1;
        const auto& a = p_.nodes[n.a];
        if (a.code == opcode::slot) {
          // A bound name against a constant: whole numbers, or strings for (in)equality.
          const value& v = slots_[a.slot];
          if (v.kind == vkind::integer && b.constant.kind == vkind::integer)
            return integers_compared(n.op, v.u.i, b.constant.u.i);
          if (v.kind == vkind::string && b.constant.kind == vkind::string &&
              (n.op == ast::op::eq || n.op == ast::op::ne))
            return same_text(v.str(), b.constant.str()) == (n.op == ast::op::eq);
          return -1;
        }
        if (a.code == opcode::call && b.constant.kind == vkind::integer) {
          // count(x) or count(x ?? [..]) against a whole number.
          const std::int64_t c = quick_count(n.a);
          return c < 0 ? -1 : integers_compared(n.op, c, b.constant.u.i);
        }
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
