// The binder forms: quantifiers (`all`, `any`, `none`), aggregates (count, sum, min, max, avg)
// and comprehensions, over the loop each() (evaluator.hpp); `where` errors are undetermined, not
// skipped.
#include "eval/evaluator.hpp"

namespace joinup::eval {

value evaluator::eval_quantifier(const plan::node& n, std::uint32_t id) {
  // all: false decides; any: true decides; none: true decides (as false). Errors wait.
  const bool decide_on = n.op != ast::op::all;
  bool decided = false;
  value first_error;
  bool have_error = false;
  value witness;
  const value coll = eval(n.a);
  if (n.join != plan::node::join_form::none)
    if (const auto joined = join(n, id, coll)) return *joined;
  const value status = each(n, coll, [&](const value& e, const value* problem) {
    if (problem) return true;  // remembered by each(); a later decision may still win
    const int quick = quick_test(n.c);
    const value c = quick >= 0 ? value::boolean(quick) : eval(n.c);
    if (c.kind != vkind::boolean) {
      if (!have_error) {
        first_error = bad(c) ? as_error(c, n.c)
                             : err("the condition needs true or false, but " + std::string(p_.nodes[n.c].text) +
                                   " is " + render(c, render_style::explanation));
        have_error = true;
      }
      return true;
    }
    if (c.u.b == decide_on) {
      decided = true;
      witness = e;
      return false;
    }
    return true;
  });
  if (decided) {
    // For a failing `all` or `none`, the element that decided it is worth showing.
    if (tracing_ && trace_depth_ == 0 && n.op != ast::op::any) note_witness(n, witness);
    return value::boolean(n.op == ast::op::any);
  }
  if (status.kind == vkind::error) return status;
  if (have_error) return first_error;
  return value::boolean(n.op != ast::op::any);
}

void evaluator::note_witness(const plan::node& n, const value& e) {
  witness_node_ = static_cast<std::uint32_t>(&n - p_.nodes.data());
  witness_text_ = e.from_document() ? doc_.path(e.node) : render(e, render_style::explanation);
  counterexample c;
  c.begin = n.where.begin;
  c.name = std::string(n.bound);
  c.text = e.from_document() ? doc_.path(e.node) + " " + render(e, render_style::explanation)
                             : render(e, render_style::explanation);
  counterexamples_.push_back(std::move(c));
}

value evaluator::collect(const plan::node& n, const value& coll, bool count_only) {
  // The elements picked so far: a vector kept from one call to the next (one per nesting level
  // of binder forms), so that building a list does not allocate each time.
  if (collect_depth_ == collect_scratch_.size()) collect_scratch_.push_back(std::make_unique<std::vector<value>>());
  std::vector<value>& picked = *collect_scratch_[collect_depth_++];
  picked.clear();
  struct leave {
    std::size_t& depth;
    ~leave() { --depth; }
  } leave_level{collect_depth_};
  std::int64_t counted = 0;
  value problem;
  bool failed = false;
  const value status = each(n, coll, [&](const value&, const value* p) {
    if (p) {
      problem = *p;
      failed = true;
      return false;
    }
    if (count_only) {
      ++counted;
      return true;
    }
    const value v = eval(n.c);
    if (bad(v)) {
      problem = as_error(v, n.c);
      failed = true;
      return false;
    }
    check_growth(picked);
    picked.push_back(v);
    return true;
  });
  if (failed) return problem;
  if (status.kind == vkind::error) return status;
  return count_only ? value::integer(counted) : list_of(picked);
}

value evaluator::eval_first(const plan::node& n) {
  value found;
  bool have = false;
  value problem;
  bool failed = false;
  const value coll = eval(n.a);
  const value status = each(n, coll, [&](const value& e, const value* p) {
    if (p) {  // an element before the first match whose filter is not true or false
      problem = *p;
      failed = true;
      return false;
    }
    found = e;
    have = true;
    return false;
  });
  if (failed) return problem;
  if (status.kind == vkind::error) return status;
  if (have) return found;
  // Nothing passes: missing, with the words that say so (value::missing_none).
  std::string why = "no element of " + std::string(p_.nodes[n.a].text);
  if (n.b == no_index || coll.len == 0) {
    why = std::string(p_.nodes[n.a].text) + " is empty";
  } else if (n.group != no_index && p_.groups[n.group].test == n.b) {
    // `o.id == X`: the key's text and the value it was compared with.
    const auto& g = p_.groups[n.group];
    const bool was = tracing_;
    set_tracing(false);
    const value x = eval(g.probe);
    set_tracing(was);
    std::string_view key = p_.nodes[g.key].text;  // "o.id" reads "id": the element is named already
    if (key.size() > n.bound.size() + 1 && key.starts_with(n.bound) && key[n.bound.size()] == '.')
      key.remove_prefix(n.bound.size() + 1);
    why += " has " + std::string(key) + " == " + render(x, render_style::explanation);
  } else {
    why += " has " + std::string(p_.nodes[n.b].text);
  }
  value m;
  m.flags = value::missing_none;
  const std::string_view text = make_error(std::move(why));
  m.u.s = text.data();
  m.len = static_cast<std::uint32_t>(text.size());
  return m;
}

std::int64_t evaluator::quick_counted(const plan::node& n, const value& coll) {
  if (coll.kind != vkind::list || coll.len > quick_count_max || n.key_slot != no_index) return -1;
  if (n.b == no_index) return coll.len;
  if (!p_.nodes[n.b].testable) return -1;
  const std::uint32_t kernel = coll.node != no_index ? kernel_for(n.kernel) : no_index;
  std::int64_t counted = 0;
  for (std::uint32_t i = 0; i < coll.len; ++i) {
    int q = kernel != no_index ? run_kernel(kernel, doc_.at(coll.node, i)) : -1;
    if (q < 0) {
      slots_[n.slot] = element(coll, i, nullptr);
      q = test(n.b);
      if (q < 0) return -1;
    }
    counted += q;
  }
  return counted;
}

bool evaluator::quick_picked(const plan::node& n, const value& coll, value& out) {
  if (coll.kind != vkind::list || coll.len > quick_count_max || n.key_slot != no_index) return false;
  if (n.b != no_index && !p_.nodes[n.b].testable) return false;
  const std::uint32_t kernel = coll.node != no_index && n.b != no_index ? kernel_for(n.kernel) : no_index;
  value picked[quick_count_max];
  std::uint32_t count = 0;
  for (std::uint32_t i = 0; i < coll.len; ++i) {
    int q = kernel != no_index ? run_kernel(kernel, doc_.at(coll.node, i)) : -1;
    if (q == 0) continue;
    slots_[n.slot] = element(coll, i, nullptr);
    if (q < 0 && n.b != no_index) {
      q = test(n.b);
      if (q < 0) return false;
      if (q == 0) continue;
    }
    const value v = eval(n.c);
    if (bad(v)) return false;
    picked[count++] = v;
  }
  value* items = arena_.values(count);
  std::copy(picked, picked + count, items);
  out = value::list(items, count);
  return true;
}

value evaluator::eval_aggregate(const plan::node& n) {
  if (n.op == ast::op::first) return eval_first(n);
  if (n.op == ast::op::count) {
    if (!fast_paths_on()) return collect(n, true);
    if (n.fusion != no_index)
      if (const value* v = fused_count(n)) return *v;
    const value coll = eval(n.a);
    if (const std::int64_t c = quick_counted(n, coll); c >= 0) return value::integer(c);
    return collect(n, coll, true);
  }
  const value items = collect(n, false);
  return items.kind == vkind::list ? reduce(n.op, items, n) : items;
}

value evaluator::eval_comprehension(const plan::node& n) {
  if (!fast_paths_on()) return collect(n, false);
  const value coll = eval(n.a);
  value out;
  return quick_picked(n, coll, out) ? out : collect(n, coll, false);
}

value evaluator::reduce(ast::op op, const value& list, const plan::node& n) {
  const char* name = op == ast::op::sum ? "sum" : op == ast::op::min ? "min" : op == ast::op::max ? "max" : "avg";
  if (op == ast::op::sum || op == ast::op::avg) {
    // Whole numbers add exactly while they fit; otherwise the sum is a double.
    bool ints = true;
    std::int64_t isum = 0;
    double dsum = 0;
    for (std::uint32_t i = 0; i < list.len; ++i) {
      const value v = element(list, i, nullptr);
      if (!v.is_number())
        return err(std::string(name) + " needs numbers, but " + std::string(n.text) + " has " +
                   render(v, render_style::explanation));
      dsum += v.as_double();
      if (ints && (v.kind != vkind::integer || __builtin_add_overflow(isum, v.u.i, &isum))) ints = false;
    }
    if (op == ast::op::sum) return ints ? value::integer(isum) : value::number(dsum);
    if (list.len == 0) return err("avg of an empty list: " + std::string(n.text));
    return value::number(dsum / list.len);
  }
  if (list.len == 0) return err(std::string(name) + " of an empty list: " + std::string(n.text));
  value best = element(list, 0, nullptr);
  for (std::uint32_t i = 1; i < list.len; ++i) {
    const value v = element(list, i, nullptr);
    value e;
    const int c = order(best, v, static_cast<std::uint32_t>(&n - p_.nodes.data()), &e);
    if (e.kind == vkind::error) return e;
    if ((op == ast::op::min && c > 0) || (op == ast::op::max && c < 0)) best = v;
  }
  return best;
}

}  // namespace joinup::eval
