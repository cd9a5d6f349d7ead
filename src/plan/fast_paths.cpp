// Marking the nodes the evaluator has fast paths for, one pass per kind over the lowered
// program: key-position hints, filter kernels, grouped filters, fused counts. Each fast path
// must give exactly what the plain walk gives (docs/architecture.md: how that is proved).
#include <algorithm>
#include <utility>
#include <vector>

#include "plan/passes.hpp"

namespace joinup::plan {

namespace {

bool binds(const node& n) {
  return n.code == opcode::quantifier || n.code == opcode::aggregate || n.code == opcode::comprehension;
}

}  // namespace

// Field hints (a cache of where each field's key was found last), slot paths and comparisons of
// a slot path with a constant. Children are lowered before their parents, so one pass in id
// order sees a field's object already marked.
void mark_hints(program& p) {
  p.hints = 0;
  for (auto& n : p.nodes) {
    n.hint = no_index;
    n.slot_path = false;
    n.doc_rooted = false;
    n.path_vs_constant = false;
    if (n.code == opcode::field && n.a != no_index) {
      n.hint = p.hints++;
      const auto& object = p.nodes[n.a];
      n.slot_path = object.code == opcode::slot || (object.code == opcode::field && object.slot_path);
      n.doc_rooted = object.code == opcode::doc_name || (object.code == opcode::field && object.doc_rooted);
    }
  }
  for (auto& n : p.nodes) {
    if (n.code != opcode::binary || n.a == no_index || n.b == no_index || !ast::is_comparison(n.op)) continue;
    const auto& a = p.nodes[n.a];
    const auto& b = p.nodes[n.b];
    n.path_vs_constant = a.code == opcode::field && a.slot_path && b.code == opcode::constant &&
                         b.constant.kind != values::vkind::missing && b.constant.kind != values::vkind::error;
  }
}

namespace {

// A field of the element bound to `slot`: slot.f.
bool own_field(const program& p, std::uint32_t id, std::uint32_t slot) {
  const auto& f = p.nodes[id];
  return f.code == opcode::field && f.a != no_index && p.nodes[f.a].code == opcode::slot && p.nodes[f.a].slot == slot;
}

// The terms of a filter made only of `and`s of the element's own fields and comparisons of them
// with constants of a kind the kernels know; false for any other filter.
bool terms_of(const program& p, std::uint32_t id, std::uint32_t slot, filter_kernel& k) {
  const auto& n = p.nodes[id];
  if (n.code == opcode::binary && n.op == ast::op::and_) return terms_of(p, n.a, slot, k) && terms_of(p, n.b, slot, k);
  if (own_field(p, id, slot)) {
    k.terms.push_back({id, no_index});
    return true;
  }
  if (n.code == opcode::binary && n.path_vs_constant && own_field(p, n.a, slot)) {
    const auto kind = p.nodes[n.b].constant.kind;
    const bool known = kind == values::vkind::string || kind == values::vkind::integer || kind == values::vkind::date ||
                       (kind == values::vkind::boolean && (n.op == ast::op::eq || n.op == ast::op::ne));
    if (!known) return false;
    k.terms.push_back({n.a, id});
    return true;
  }
  return false;
}

std::uint32_t kernel_of(program& p, std::uint32_t filter, std::uint32_t slot) {
  if (filter == no_index || slot == no_index) return no_index;
  filter_kernel k;
  if (!terms_of(p, filter, slot, k)) return no_index;
  p.kernels.push_back(std::move(k));
  return static_cast<std::uint32_t>(p.kernels.size() - 1);
}

}  // namespace

// Kernels of filters over an element bound to `slot` (needs mark_hints' path_vs_constant).
void mark_kernels(program& p) {
  p.kernels.clear();
  for (auto& n : p.nodes) n.kernel = binds(n) ? kernel_of(p, n.b, n.slot) : no_index;
  for (auto& r : p.rules)
    for (auto& st : r.steps) st.kernel = st.is_let ? no_index : kernel_of(p, st.filter, st.slot);
}

namespace {

// Whether node id reads the slot (any slot when slot is none).
bool reads_slot(const program& p, std::uint32_t id, std::uint32_t slot) {
  const auto& n = p.nodes[id];
  if (n.code == opcode::slot) return slot == no_index || n.slot == slot;
  return !for_each_child(p, n, [&](std::uint32_t k) { return !reads_slot(p, k, slot); });
}

// Reads no name but `slot` (document names aside), binds none, and calls nothing that depends on
// more than its arguments.
bool reads_only(const program& p, std::uint32_t id, std::uint32_t slot) {
  const auto& n = p.nodes[id];
  if (n.code == opcode::slot) return n.slot == slot;
  if (binds(n)) return false;
  return for_each_child(p, n, [&](std::uint32_t k) { return reads_only(p, k, slot); });
}

std::uint32_t group_of(program& p, std::uint32_t filter, std::uint32_t slot, std::uint32_t key_slot) {
  if (filter == no_index || slot == no_index || key_slot != no_index) return no_index;
  std::uint32_t first = filter;
  while (p.nodes[first].code == opcode::binary && p.nodes[first].op == ast::op::and_) first = p.nodes[first].a;
  const auto& c = p.nodes[first];
  if (c.code != opcode::binary || c.op != ast::op::eq || c.a == no_index || c.b == no_index) return no_index;
  for (const auto& [key, probe] : {std::pair{c.a, c.b}, std::pair{c.b, c.a}}) {
    if (reads_slot(p, key, slot) && reads_only(p, key, slot) && !reads_slot(p, probe, slot)) {
      p.groups.push_back({key, probe, slot, first, reads_slot(p, probe, no_index)});
      return static_cast<std::uint32_t>(p.groups.size() - 1);
    }
  }
  return no_index;
}

}  // namespace

// Grouped filters (docs/architecture.md): the leftmost conjunct of the filter is `K == E` or
// `E == K`, K reading the bound element and nothing else, E not reading it. Only the leftmost, so
// that for an element whose K is not E the filter is false without anything else in it evaluated.
void mark_groups(program& p) {
  p.groups.clear();
  for (auto& n : p.nodes) n.group = binds(n) ? group_of(p, n.b, n.slot, n.key_slot) : no_index;
  // A step is walked once per evaluation until a `for each` comes before it: only then can its
  // index be used again.
  for (auto& r : p.rules) {
    bool nested = false;
    for (auto& st : r.steps) {
      st.group = st.is_let || !nested ? no_index : group_of(p, st.filter, st.slot, st.key_slot);
      nested = nested || !st.is_let;
    }
  }
}

namespace {

// A path from a document name: partnership.people.
bool doc_path(const program& p, std::uint32_t id) {
  const auto& n = p.nodes[id];
  if (n.code == opcode::doc_name) return true;
  return n.code == opcode::field && n.a != no_index && doc_path(p, n.a);
}

// The counts under node id that may be fused (a kernel filter over a document path), in walk order.
void fusable_counts(const program& p, std::uint32_t id, std::vector<std::uint32_t>& counts) {
  if (id == no_index) return;
  const auto& n = p.nodes[id];
  if (n.code == opcode::aggregate && n.op == ast::op::count && n.kernel != no_index && n.key_slot == no_index &&
      n.a != no_index && doc_path(p, n.a) && std::find(counts.begin(), counts.end(), id) == counts.end())
    counts.push_back(id);
  for_each_child(p, n, [&](std::uint32_t k) {
    fusable_counts(p, k, counts);
    return true;
  });
}

}  // namespace

// Fusions: the counts of each rule whose collection is a document path, grouped by that path
// (needs mark_kernels).
void mark_fusions(program& p) {
  p.fusions.clear();
  for (auto& n : p.nodes) n.fusion = no_index;
  for (const auto& r : p.rules) {
    std::vector<std::uint32_t> counts;
    fusable_counts(p, r.when, counts);
    for (const auto& st : r.steps) {
      fusable_counts(p, st.value, counts);
      fusable_counts(p, st.filter, counts);
    }
    for (const auto& rq : r.requires_) fusable_counts(p, rq.condition, counts);
    for (std::size_t i = 0; i < counts.size(); ++i) {
      if (p.nodes[counts[i]].fusion != no_index) continue;
      std::vector<std::uint32_t> group{counts[i]};
      const auto text = p.nodes[p.nodes[counts[i]].a].text;
      for (std::size_t j = i + 1; j < counts.size() && group.size() < max_fused; ++j)
        if (p.nodes[counts[j]].fusion == no_index && p.nodes[p.nodes[counts[j]].a].text == text)
          group.push_back(counts[j]);
      if (group.size() < 2) continue;
      for (auto g : group) p.nodes[g].fusion = static_cast<std::uint32_t>(p.fusions.size());
      p.fusions.push_back(std::move(group));
    }
  }
}

namespace {

// The has() paths among the operands of the `and` chain at id (id itself, when it is a has()).
void guards_of(const program& p, std::uint32_t id, std::vector<std::uint32_t>& out) {
  const auto& n = p.nodes[id];
  if (n.code == opcode::binary && n.op == ast::op::and_) {
    guards_of(p, n.a, out);
    guards_of(p, n.b, out);
  } else if (n.code == opcode::call && n.fn == check::builtin::has && n.count == 1) {
    out.push_back(p.args[n.first]);
  }
}

}  // namespace

// Guards: an `and` is false when either side is false, whatever the other gives (an error
// included; expr.cpp, logic_after), so a `when` whose `and` chain has an operand has(PATH) is
// false when PATH surely reads as missing.
void mark_guards(program& p) {
  for (auto& r : p.rules) {
    r.guards.clear();
    if (r.when != no_index) guards_of(p, r.when, r.guards);
  }
}

// Whether test() may answer the expression at id: the forms it covers, checked the same way
// (a form it answers only sometimes counts; one it never answers does not). Operands come before
// the nodes that use them, so theirs are marked already.
namespace {

// count(x) where test() may count x: a bound name, a path (which it reads when it is a chain of
// fields from a name, and otherwise only knows when it surely reads as missing), or such a path
// with a list default.
bool countable(const program& p, const node& n) {
  if (n.code != opcode::call || n.fn != check::builtin::count || n.count != 1) return false;
  const auto& arg = p.nodes[p.args[n.first]];
  const auto path = [](const node& x) {
    return x.code == opcode::field || x.code == opcode::index || x.code == opcode::doc_name;
  };
  if (arg.code == opcode::slot || path(arg)) return true;
  return arg.code == opcode::binary && arg.op == ast::op::coalesce && path(p.nodes[arg.a]) &&
         p.nodes[arg.b].code == opcode::constant && p.nodes[arg.b].constant.kind == values::vkind::list;
}

}  // namespace

void mark_quick_tests(program& p) {
  for (auto& n : p.nodes) {
    const auto operand = [&](std::uint32_t k) -> const node& { return p.nodes[k]; };
    bool t = false;
    switch (n.code) {
      case opcode::constant: t = n.constant.kind == values::vkind::boolean; break;
      case opcode::slot: t = true; break;
      case opcode::field: t = n.slot_path; break;
      case opcode::call: t = n.fn == check::builtin::has && n.count == 1; break;
      case opcode::unary: t = n.op == ast::op::not_ && operand(n.a).testable; break;
      case opcode::binary: {
        if (n.path_vs_constant) {
          t = true;
          break;
        }
        if (n.op == ast::op::and_ || n.op == ast::op::or_) {
          t = operand(n.a).testable || operand(n.b).testable;
          break;
        }
        const auto& a = operand(n.a);
        const auto& b = operand(n.b);
        if (n.op == ast::op::coalesce) {
          t = b.code == opcode::constant && b.constant.kind == values::vkind::boolean;
        } else if (ast::is_comparison(n.op) && b.code == opcode::constant) {
          t = a.code == opcode::slot || (countable(p, a) && b.constant.kind == values::vkind::integer) ||
              ((n.op == ast::op::eq || n.op == ast::op::ne) && a.code == opcode::binary && a.op == ast::op::coalesce &&
               b.constant.kind == values::vkind::string);
        }
        break;
      }
      default: break;
    }
    n.testable = t;
  }
}

}  // namespace joinup::plan
