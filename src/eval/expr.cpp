// The expression walk: the semantics of the language specification's section 4 — missing is not
// null, errors make a subject undetermined and are named, `and`/`or` absorb errors commutatively.
// Operators, comparison, membership, patterns, arithmetic, paths and indexes.
#include <re2/re2.h>
#include "eval/evaluator.hpp"

namespace joinup::eval {

value evaluator::as_error(const value& v, std::uint32_t node) {
  if (v.kind == vkind::error) return v;
  if (v.node != no_index && !doc_.empty() && !(v.flags & value::missing_none)) {
    // The text names the parent and the key or index (missing_text()), written when read.
    value e = v;
    e.kind = vkind::error;
    e.flags = static_cast<std::uint8_t>(value::missing_cause | value::missing_later | (v.flags & value::missing_index));
    e.aux = v.node;
    e.node = no_index;
    return e;
  }
  value e = err(missing_text(v, node));
  e.flags = value::missing_cause;
  return e;
}

// ---------------------------------------------------------------- comparison

bool evaluator::equal(const value& a, const value& b) const {
  if (a.kind != b.kind || (a.kind != vkind::list && a.kind != vkind::map)) return equal_scalars(a, b);
  switch (a.kind) {
    case vkind::list:
      if (a.len != b.len) return false;
      charge(a.len);
      for (std::uint32_t i = 0; i < a.len; ++i)
        if (!equal(element(a, i, nullptr), element(b, i, nullptr))) return false;
      return true;
    case vkind::map: {
      if (a.node == b.node) return true;
      if (a.len != b.len) return false;
      for (std::uint32_t i = 0; i < a.len; ++i) {
        const auto k = doc_.key_at(a.node, i);
        const auto other = doc_.find(b.node, k);
        if (other == no_index) return false;
        if (!equal(from_node(doc_, doc_.value_at(a.node, i)), from_node(doc_, other))) return false;
      }
      return true;
    }
    default: return false;
  }
}

int evaluator::order(const value& a, const value& b, std::uint32_t node, value* e) {
  if (a.is_number() && b.is_number()) {
    if (a.kind == vkind::integer && b.kind == vkind::integer) return (a.u.i > b.u.i) - (a.u.i < b.u.i);
    const double x = a.as_double(), y = b.as_double();
    if (std::isnan(x) || std::isnan(y)) {
      *e = err("cannot order nan: " + std::string(p_.nodes[node].text));
      return 0;
    }
    return (x > y) - (x < y);
  }
  if (a.kind == b.kind && a.kind == vkind::string) {
    charge(byte_steps(std::min(a.len, b.len)));
    const int c = a.str().compare(b.str());
    return (c > 0) - (c < 0);
  }
  if (a.kind == b.kind && a.kind == vkind::date) return (a.u.days > b.u.days) - (a.u.days < b.u.days);
  *e = err(std::string("cannot compare ") + kind_name(a.kind) + " with " + kind_name(b.kind) + ": " +
           std::string(p_.nodes[node].text) + " (" + render(a, render_style::explanation) + " and " +
           render(b, render_style::explanation) + ")" +
           (a.kind == vkind::date   ? date_hint(b)
            : b.kind == vkind::date ? date_hint(a)
                                    : std::string()));
  return 0;
}

value evaluator::eval_instrumented(std::uint32_t id) {
  if (++steps_ > max_steps_) throw step_limit_reached{};
  const auto& n = p_.nodes[id];  // a constant or a bound name without eval_node()'s frame, as eval() reads them
  const value v = n.code == opcode::constant ? n.constant : n.code == opcode::slot ? slots_[n.slot] : eval_node(id);
  if (tracing_ && trace_depth_ == 0) {
    if (trace_call_ != no_index) [[unlikely]]
      defs().trace_calls.push_back({trace_out_->size(), trace_call_});
    trace_out_->push_back({id, v});
  }
  return v;
}

value evaluator::eval_unary(const plan::node& n) {
  const value v = eval(n.a);
  if (bad(v)) return as_error(v, n.a);
  if (n.op == ast::op::not_) {
    if (v.kind != vkind::boolean)
      return err("'not' needs true or false, but " + std::string(p_.nodes[n.a].text) + " is " +
                 render(v, render_style::explanation));
    return value::boolean(!v.u.b);
  }
  if (v.kind == vkind::integer) {
    if (v.u.i == std::numeric_limits<std::int64_t>::min()) return err("integer overflow: " + std::string(n.text));
    return value::integer(-v.u.i);
  }
  if (v.kind == vkind::number) return value::number(-v.u.d);
  return err("cannot negate " + std::string(p_.nodes[n.a].text) + ": it is " + kind_name(v.kind));
}

value evaluator::eval_logic(const plan::node& n) { return logic_after(n, eval(n.a)); }

value evaluator::logic_after(const plan::node& n, value l) {
  const bool is_and = n.op == ast::op::and_;
  auto judge = [&](const value& v, std::uint32_t node) -> value {
    if (bad(v)) return as_error(v, node);
    if (v.kind != vkind::boolean)
      return err(std::string("'") + (is_and ? "and" : "or") + "' needs true or false, but " +
                 std::string(p_.nodes[node].text) + " is " + render(v, render_style::explanation));
    return v;
  };
  if (l.kind != vkind::boolean) l = judge(l, n.a);
  if (l.kind == vkind::boolean && l.u.b != is_and) return l;  // decided
  value r = eval(n.b);
  if (r.kind != vkind::boolean) r = judge(r, n.b);
  if (r.kind == vkind::boolean && r.u.b != is_and) return r;  // decided, even when l is an error
  if (l.kind == vkind::error) return l;
  return r;
}

value evaluator::eval_binary(const plan::node& n) {
  switch (n.op) {
    case ast::op::and_:
    case ast::op::or_: return eval_logic(n);
    case ast::op::coalesce: {
      if (fast_paths_on() && surely_missing(n.a)) return eval(n.b);
      const value l = eval(n.a);
      if (l.kind == vkind::missing || l.kind == vkind::null) return eval(n.b);
      return l;
    }
    default: break;
  }
  const value l = eval(n.a);
  const value r = eval(n.b);
  if (bad(l)) return as_error(l, n.a);
  if (bad(r)) return as_error(r, n.b);
  if (ast::is_comparison(n.op)) return compare(n, l, r);
  switch (n.op) {
    case ast::op::in:
    case ast::op::not_in: {
      const value m = membership(l, r, n);
      if (m.kind != vkind::boolean) return m;
      return value::boolean(n.op == ast::op::in ? m.u.b : !m.u.b);
    }
    case ast::op::matches: return regex_match(l, r, n);
    default: return arithmetic(n, l, r);
  }
}

value evaluator::eval_node(std::uint32_t id) {
  const auto& n = p_.nodes[id];
  switch (n.code) {
    case opcode::constant: return n.constant;
    case opcode::slot: return slots_[n.slot];
    case opcode::doc_name: {
      if (doc_.empty()) return value::missing_key(no_index, p_.symbol_texts[n.sym]);
      const auto root = doc_.root();
      if (doc_.kind(root) != value_kind::map || sym_keys_[n.sym] == no_index)
        return value::missing_key(root, p_.symbol_texts[n.sym]);
      const auto child = doc_.find(root, sym_keys_[n.sym]);
      return child == no_index ? value::missing_key(root, p_.symbol_texts[n.sym]) : from_node(doc_, child);
    }
    case opcode::field: {
      // The object of a path step is usually a bound name: read it without a call; the steps
      // before it in a chain (`partnership.governance` of `partnership.governance.forum`) are
      // read in one loop (field_chain).
      const auto& object = p_.nodes[n.a];
      const value o = object.code == opcode::slot && fast_paths_on()    ? slots_[object.slot]
                      : object.code == opcode::field && fast_paths_on() ? field_chain(object)
                                                                        : eval(n.a);
      if (bad(o)) return o;
      if (o.kind == vkind::map && sym_keys_[n.sym] != no_index) {
        const auto child = lookup(o, sym_keys_[n.sym], n.hint);
        if (child != no_index) return from_node(doc_, child);
      }
      return value::missing_key(o.node, p_.symbol_texts[n.sym]);
    }
    case opcode::index: return eval_index(n);
    case opcode::list: {
      value* items = arena_.values(n.count);
      for (std::uint32_t i = 0; i < n.count; ++i) {
        const auto arg = p_.args[n.first + i];
        items[i] = eval(arg);
        if (bad(items[i])) return as_error(items[i], arg);
      }
      return value::list(items, n.count);
    }
    case opcode::unary: return eval_unary(n);
    case opcode::binary:
      if (n.path_vs_constant && fast_paths_on()) {
        // `x.f.g op constant`: the path read straight from the document, compared without a
        // call per operand. Anything unusual on the way (not a map, a key missing) takes the
        // general walk, which says what is wrong.
        const int quick = path_vs_constant(n);
        if (quick >= 0) return value::boolean(quick);
      }
      return eval_binary(n);
    case opcode::between: {
      const value x = eval(n.a), lo = eval(n.b), hi = eval(n.c);
      if (bad(x)) return as_error(x, n.a);
      if (bad(lo)) return as_error(lo, n.b);
      if (bad(hi)) return as_error(hi, n.c);
      if (x.kind == vkind::integer && lo.kind == vkind::integer && hi.kind == vkind::integer)
        return value::boolean(lo.u.i <= x.u.i && x.u.i <= hi.u.i);
      value e;
      const int a = order(lo, x, id, &e);
      if (e.kind == vkind::error) return e;
      const int b = order(x, hi, id, &e);
      if (e.kind == vkind::error) return e;
      return value::boolean(a <= 0 && b <= 0);
    }
    case opcode::call:
      if (n.fn == check::builtin::has) {
        // has() never errs: any failure along the path means the path does not exist.
        const auto arg = p_.args[n.first];
        if (fast_paths_on() && surely_missing(arg)) return value::boolean(false);
        const value v = eval(arg);
        return value::boolean(v.kind != vkind::missing && v.kind != vkind::error);
      }
      if (fast_paths_on() && n.count == 1 && (n.fn == check::builtin::count || n.fn == check::builtin::distinct)) {
        // count(x) and distinct(x), the usual calls, without the general call's frame; anything
        // but a list (or, for count, a map) takes the general path, which says what is wrong.
        const value v = eval(p_.args[n.first]);
        if (n.fn == check::builtin::count && iterable(v)) return value::integer(v.len);
        if (n.fn == check::builtin::distinct && v.kind == vkind::list) return distinct(v);
      }
      return eval_call(n);
    case opcode::quantifier: return eval_quantifier(n, id);
    case opcode::aggregate: return eval_aggregate(n);
    case opcode::comprehension: return eval_comprehension(n);
    case opcode::conditional: {
      // Only the chosen branch is evaluated: `if has(x.y) then x.y else 0` never reads x.y when
      // it is missing.
      const value c = eval(n.a);
      if (c.kind == vkind::boolean) return eval(c.u.b ? n.b : n.c);
      if (bad(c)) return as_error(c, n.a);
      return err("'if' needs true or false, but " + std::string(p_.nodes[n.a].text) + " is " +
                 render(c, render_style::explanation));
    }
    case opcode::call_def: return eval_call_def(n, id);
    case opcode::global: return global_value(n);
  }
  return err("internal error: unknown plan node");
}

value evaluator::eval_call_def(const plan::node& n, std::uint32_t id) {
  const auto& d = p_.definitions[n.sym];
  // All the arguments first: one may call the same def (`f(1, f(2, 3))`), whose frame is this one.
  constexpr std::uint32_t inline_args = 8;
  value few[inline_args];
  std::vector<value> many;
  value* args = few;
  if (n.count > inline_args) {
    many.resize(n.count);
    args = many.data();
  }
  for (std::uint32_t i = 0; i < n.count; ++i) args[i] = eval(p_.args[n.first + i]);
  for (std::uint32_t i = 0; i < n.count; ++i) slots_[d.first_slot + i] = args[i];
  const std::uint32_t outer = trace_call_;
  if (tracing_ && trace_depth_ == 0) trace_call_ = id;
  const value v = eval(d.root);
  trace_call_ = outer;
  return v;
}

value evaluator::global_value(const plan::node& n) {
  auto& d = defs();
  if (d.state[n.sym] == 2) return d.values[n.sym];
  // The outermost let computed moves the evaluation to the lets' arena, which no rule releases;
  // the memory budget counts both arenas together.
  struct frame {
    evaluator& e;
    explicit frame(evaluator& ev) : e(ev) {
      ++e.trace_depth_;  // a let's insides are not a rule's: an explanation shows its value only
      if (e.defs_->depth++ == 0) swap_arenas();
    }
    ~frame() {
      if (--e.defs_->depth == 0) swap_arenas();
      --e.trace_depth_;
    }
    void swap_arenas() {
      std::swap(e.arena_, e.defs_->memory);
      const auto limit = static_cast<std::size_t>(std::min<std::uint64_t>(e.max_memory_, SIZE_MAX));
      const std::size_t other = e.defs_->memory.held();
      e.arena_.set_limit(other >= limit ? 1 : limit - other);
    }
  } guard(*this);
  const value v = eval(p_.definitions[n.sym].root);
  d.values[n.sym] = v;
  d.state[n.sym] = 2;
  return v;
}

value evaluator::field_chain(const plan::node& last) {
  // The steps from the last back to the first, then read forwards: what eval_node's field case
  // gives step by step (a missing or error object is the answer of every step after it).
  constexpr std::size_t max_chain = 16;
  const plan::node* chain[max_chain];
  std::size_t len = 0;
  const plan::node* base = &last;
  while (base->code == opcode::field && len < max_chain) {
    chain[len++] = base;
    base = &p_.nodes[base->a];
  }
  value o;
  if (base->code == opcode::slot) {
    o = slots_[base->slot];
  } else if (base->code == opcode::doc_name && !doc_.empty()) {  // as eval_node reads a document name
    const auto root = doc_.root();
    const std::uint32_t key = sym_keys_[base->sym];
    const auto child = doc_.kind(root) == value_kind::map && key != no_index ? doc_.find(root, key) : no_index;
    o = child == no_index ? value::missing_key(root, p_.symbol_texts[base->sym]) : from_node(doc_, child);
  } else {
    o = eval_node(static_cast<std::uint32_t>(base - p_.nodes.data()));
  }
  while (len > 0) {
    const auto& n = *chain[--len];
    if (bad(o)) return o;
    const std::uint32_t key = sym_keys_[n.sym];
    std::uint32_t child = no_index;
    if (o.kind == vkind::map && key != no_index) child = lookup(o, key, n.hint);
    o = child != no_index ? from_node(doc_, child) : value::missing_key(o.node, p_.symbol_texts[n.sym]);
  }
  return o;
}

[[gnu::noinline]] std::uint32_t evaluator::lookup_missed(std::uint32_t map, std::uint32_t size, document::key_id k,
                                                         std::uint32_t hint_index) {
  if (hint_index == no_index || size > data::large_map_threshold) return doc_.find(map, k);
  std::uint32_t& hint = hints_[hint_index];
  for (std::uint32_t i = 0; i < size; ++i)
    if (doc_.key_at(map, i) == k) {
      hint = i;
      return doc_.value_at(map, i);
    }
  return no_index;
}

void evaluator::resolve_symbols() {
  auto& s = *lease_;
  const std::uint64_t program_id = p_.uid, document_id = doc_.uid();
  if (program_id != 0 && document_id != 0 && s.program_uid == program_id && s.document_uid == document_id) return;
  s.program_uid = s.document_uid = 0;  // until every part is done
  // The table of the same program (on this thread) has only the last document's keys set: those
  // are cleared, not the whole table (an event has a dozen keys; a pack, hundreds of symbols).
  if (program_id != 0 && s.sym_keys_program == program_id && sym_keys_.size() == p_.symbols.size()) {
    for (const auto i : s.sym_set) sym_keys_[i] = no_index;
  } else {
    sym_keys_.assign(p_.symbols.size(), no_index);
  }
  s.sym_keys_program = 0;  // until sym_set lists every symbol set below
  s.sym_set.clear();
  if (!doc_.empty()) {
    // A small document (an event) has far fewer keys than the program has symbols: look each key
    // up among the symbols by the hash the document kept for it. Otherwise each symbol among the
    // document's keys.
    const auto& d = *raw_;
    if (program_id != 0 && d.keys.size() <= p_.symbols.size() && d.key_hashes.size() == d.keys.size()) {
      if (s.symbol_program != program_id || s.symbol_seed != d.key_seed) index_symbols(d.key_seed);
      const auto& slots = s.symbol_slots;
      const std::size_t mask = slots.size() - 1;
      for (std::uint32_t k = 0; k < d.keys.size(); ++k) {
        const std::uint32_t h = d.key_hashes[k];
        for (std::size_t slot = h & mask; slots[slot] != 0; slot = (slot + 1) & mask) {
          const std::uint32_t i = slots[slot] - 1;
          if (s.symbol_hashes[i] == h && same_text(doc_.key_text(k), p_.symbol_texts[i])) {
            sym_keys_[i] = k;  // symbols are distinct: no other matches
            s.sym_set.push_back(i);
            break;
          }
        }
      }
    } else {
      for (std::size_t i = 0; i < p_.symbols.size(); ++i)
        if (auto k = doc_.find_key(p_.symbols[i])) {
          sym_keys_[i] = *k;
          s.sym_set.push_back(static_cast<std::uint32_t>(i));
        }
    }
  }
  s.sym_keys_program = program_id;
  resolve_kernels();
  resolve_fusions();
  s.program_uid = program_id;
  s.document_uid = document_id;
}

void evaluator::index_symbols(std::uint64_t seed) {
  auto& s = *lease_;
  const std::size_t n = p_.symbols.size();
  std::size_t size = 8;
  while (size < 2 * n) size *= 2;
  s.symbol_slots.assign(size, 0);
  s.symbol_hashes.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t h = data::hash_key(seed, p_.symbols[i]);
    s.symbol_hashes[i] = h;
    std::size_t slot = h & (size - 1);
    while (s.symbol_slots[slot] != 0) slot = (slot + 1) & (size - 1);
    s.symbol_slots[slot] = static_cast<std::uint32_t>(i + 1);
  }
  s.symbol_program = p_.uid;
  s.symbol_seed = seed;
}

value evaluator::eval_index(const plan::node& n) {
  const value o = eval(n.a);
  if (bad(o)) return o;
  const value i = eval(n.b);
  if (bad(i)) return as_error(i, n.b);
  if (o.kind == vkind::list) {
    std::int64_t k;
    if (i.kind == vkind::integer) {
      k = i.u.i;
    } else if (i.kind == vkind::number && std::floor(i.u.d) == i.u.d && std::abs(i.u.d) < 9e15) {
      k = static_cast<std::int64_t>(i.u.d);
    } else {
      return err("a list index must be a whole number, but " + std::string(p_.nodes[n.b].text) + " is " +
                 render(i, render_style::explanation));
    }
    const std::int64_t size = o.len;
    const std::int64_t at = k < 0 ? size + k : k;
    if (at < 0 || at >= size) return value::missing_at(o.node, k);
    return element(o, static_cast<std::uint32_t>(at), nullptr);
  }
  if (o.kind == vkind::map) {
    if (i.kind != vkind::string)
      return err("a map key must be a string, but " + std::string(p_.nodes[n.b].text) + " is " +
                 render(i, render_style::explanation));
    const auto child = doc_.find(o.node, i.str());
    if (child != no_index) return from_node(doc_, child);
    return value::missing_key(o.node, arena_.copy(i.str()));
  }
  if (i.kind == vkind::string) return value::missing_key(o.node, arena_.copy(i.str()));
  if (i.kind == vkind::integer) return value::missing_at(o.node, i.u.i);
  return err("cannot index " + std::string(p_.nodes[n.a].text) + ": it is " + kind_name(o.kind));
}

value evaluator::compare(const plan::node& n, const value& l, const value& r) {
  if (l.kind == r.kind && (n.op == ast::op::eq || n.op == ast::op::ne)) {
    // The usual case, without a call: two strings, two whole numbers.
    if (l.kind == vkind::string)
      return value::boolean((l.len == r.len && same_bytes(l.u.s, r.u.s, l.len)) == (n.op == ast::op::eq));
    if (l.kind == vkind::integer) return value::boolean((l.u.i == r.u.i) == (n.op == ast::op::eq));
  }
  if (l.kind == vkind::integer && r.kind == vkind::integer) {  // a count against a bound, say
    switch (n.op) {
      case ast::op::lt: return value::boolean(l.u.i < r.u.i);
      case ast::op::le: return value::boolean(l.u.i <= r.u.i);
      case ast::op::gt: return value::boolean(l.u.i > r.u.i);
      case ast::op::ge: return value::boolean(l.u.i >= r.u.i);
      default: break;
    }
  }
  switch (n.op) {
    case ast::op::eq: return value::boolean(equal(l, r));
    case ast::op::ne: return value::boolean(!equal(l, r));
    default: break;
  }
  value e;
  const int c = order(l, r, static_cast<std::uint32_t>(&n - p_.nodes.data()), &e);
  if (e.kind == vkind::error) return e;
  switch (n.op) {
    case ast::op::lt: return value::boolean(c < 0);
    case ast::op::le: return value::boolean(c <= 0);
    case ast::op::gt: return value::boolean(c > 0);
    default: return value::boolean(c >= 0);
  }
}

value evaluator::membership(const value& x, const value& coll, const plan::node& n) {
  if (coll.kind == vkind::list && coll.node != no_index && coll.len >= 16 && x.kind != vkind::list &&
      x.kind != vkind::map) {
    // A document list searched a second time gets a hash index for the rest of the evaluation.
    auto& s = searched_[coll.node];
    if (++s.searches >= 2) {
      if (!s.built) {
        s.built = true;
        s.usable = s.index.add_list(doc_, coll.node);
        if (s.usable) s.index.finish(doc_);
      }
      if (s.usable) return value::boolean(s.index.contains(doc_, x));
    }
  }
  if (coll.kind == vkind::list) {
    charge(coll.len);
    for (std::uint32_t i = 0; i < coll.len; ++i)
      if (equal(x, element(coll, i, nullptr))) return value::boolean(true);
    return value::boolean(false);
  }
  if (coll.kind == vkind::map) {
    if (x.kind != vkind::string) return value::boolean(false);
    return value::boolean(doc_.find(coll.node, x.str()) != no_index);
  }
  if (coll.kind == vkind::string) {
    if (x.kind != vkind::string)
      return err("'in' a string needs a string on the left, but " + std::string(p_.nodes[n.a].text) + " is " +
                 kind_name(x.kind));
    charge(byte_steps(coll.len));
    return value::boolean(coll.str().find(x.str()) != std::string_view::npos);
  }
  return err("'in' needs a list, map or string on the right, but " + std::string(p_.nodes[n.b].text) + " is " +
             kind_name(coll.kind));
}

value evaluator::regex_match(const value& s, const value& pattern, const plan::node& n) {
  if (s.kind != vkind::string)
    return err("'matches' needs a string, but " + std::string(p_.nodes[n.a].text) + " is " + kind_name(s.kind));
  const RE2* re = nullptr;
  if (n.regex != no_index) {
    re = p_.regexes[n.regex].get();
  } else {
    if (pattern.kind != vkind::string)
      return err("a pattern must be a string, but " + std::string(p_.nodes[n.b].text) + " is " +
                 kind_name(pattern.kind));
    if (pattern.len > opts_.max_regex_bytes)
      return err("a regular expression of " + std::to_string(pattern.len) + " bytes is longer than the limit of " +
                 std::to_string(opts_.max_regex_bytes) +
                 " bytes (evaluate_options::max_regex_bytes): " + diag::window(pattern.str(), true));
    auto key = std::string(pattern.str());
    auto it = regex_cache_.find(key);
    if (it == regex_cache_.end()) {
      RE2::Options opts;
      opts.set_log_errors(false);
      auto compiled = std::make_unique<RE2>(re2::StringPiece(pattern.u.s, pattern.len), opts);
      if (!compiled->ok())
        return err("invalid regular expression " + diag::window(key) + ": " + diag::window(compiled->error()));
      // Bounded: past the limit the cache starts again (compiled patterns can be large).
      if (regex_cache_.size() >= max_cached_regexes || regex_cache_bytes_ + key.size() > max_cached_regex_bytes) {
        regex_cache_.clear();
        regex_cache_bytes_ = 0;
      }
      regex_cache_bytes_ += key.size();
      it = regex_cache_.emplace(std::move(key), std::move(compiled)).first;
    }
    re = it->second.get();
  }
  // A match may take the text's length times the program's size (RE2 falls back from its DFA
  // to an NFA); charged before it runs, so a step budget stops a costly one before it starts.
  if (counting_) charge(byte_steps(std::uint64_t{s.len} * static_cast<std::uint64_t>(std::max(re->ProgramSize(), 1))));
  return value::boolean(RE2::PartialMatch(re2::StringPiece(s.u.s, s.len), *re));
}

value evaluator::arithmetic(const plan::node& n, const value& l, const value& r) {
  if (!l.is_number() || !r.is_number()) {
    const auto& culprit = l.is_number() ? r : l;
    const auto node = l.is_number() ? n.b : n.a;
    return err("arithmetic needs numbers, but " + std::string(p_.nodes[node].text) + " is " +
               render(culprit, render_style::explanation) + " (in " + std::string(n.text) + ")");
  }
  const bool ints = l.kind == vkind::integer && r.kind == vkind::integer;
  std::int64_t out = 0;
  switch (n.op) {
    case ast::op::add:
      if (!ints) return value::number(l.as_double() + r.as_double());
      if (__builtin_add_overflow(l.u.i, r.u.i, &out)) return err("integer overflow: " + std::string(n.text));
      return value::integer(out);
    case ast::op::sub:
      if (!ints) return value::number(l.as_double() - r.as_double());
      if (__builtin_sub_overflow(l.u.i, r.u.i, &out)) return err("integer overflow: " + std::string(n.text));
      return value::integer(out);
    case ast::op::mul:
      if (!ints) return value::number(l.as_double() * r.as_double());
      if (__builtin_mul_overflow(l.u.i, r.u.i, &out)) return err("integer overflow: " + std::string(n.text));
      return value::integer(out);
    case ast::op::div:
      if (r.as_double() == 0) return err("division by zero: " + std::string(n.text));
      return value::number(l.as_double() / r.as_double());
    case ast::op::mod:
      if (r.as_double() == 0) return err("division by zero: " + std::string(n.text));
      if (ints) {
        if (r.u.i == -1) return value::integer(0);
        return value::integer(l.u.i % r.u.i);
      }
      return value::number(std::fmod(l.as_double(), r.as_double()));
    default: return err("internal error: unknown operator");
  }
}

}  // namespace joinup::eval
