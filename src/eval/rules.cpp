// The walk over rules and subjects: each rule's steps (`let`, `for each` with its filter), the
// judging of each subject's requires, and the violations found (noted for later rendering, or
// rendered at once).
#include "eval/evaluator.hpp"

namespace joinup::eval {

namespace {

// The lists of finished evaluations, with their room, for the next find() on this thread. Made by
// the first find() on the thread and gone at thread exit: a found or findings destroyed where
// there is none (on a thread that never evaluated, or after the room has gone) frees its lists
// as usual, and never makes one.
struct room {
  std::vector<findings::rule_outcome> rules;
  std::vector<findings::violation_ref> violations;
  std::vector<found::pending> pendings;
  std::vector<value> bindings;
  static constexpr std::size_t kept_bytes = 16 * 1024;  // a list larger than this is freed
  room() { made = true; }
  ~room() { gone = true; }
  static thread_local bool made, gone;
};
thread_local bool room::made = false;
thread_local bool room::gone = false;

room& spare_room() {
  thread_local room r;
  return r;
}

template <class T>
void keep(std::vector<T>& from, std::vector<T>& spare) {
  if (from.capacity() == 0 || from.capacity() * sizeof(T) > room::kept_bytes || spare.capacity() >= from.capacity())
    return;
  from.clear();
  spare.swap(from);
}

template <class T>
void take(std::vector<T>& to, std::vector<T>& spare, std::size_t n) {
  to.swap(spare);
  to.clear();
  to.reserve(n);
}

}  // namespace

void keep_room(std::vector<findings::rule_outcome>& rules, std::vector<findings::violation_ref>& violations,
               std::vector<found::pending>& pendings, std::vector<value>& bindings) {
  if (!room::made || room::gone) return;
  auto& r = spare_room();
  keep(rules, r.rules);
  keep(violations, r.violations);
  keep(pendings, r.pendings);
  keep(bindings, r.bindings);
}

found::~found() { keep_room(rules, violations, pendings, bindings); }

found evaluator::find_all(const std::vector<std::uint32_t>& rules) {
  found f;
  f.as_of = today_;
  f.undetermined_fails = opts_.undetermined_fails;
  if (!room::gone) {
    auto& r = spare_room();
    take(f.rules, r.rules, rules.size());
    take(f.violations, r.violations, 32);
    take(f.pendings, r.pendings, 32);
    take(f.bindings, r.bindings, 32);
  } else {
    f.rules.reserve(rules.size());
    f.violations.reserve(32);
    f.pendings.reserve(32);
    f.bindings.reserve(32);
  }
  found_ = &f;
  defer_ = !counting_;
  // `when has(x.y)` with a key the document has nowhere: not applicable, as the walk would find,
  // without setting up the rule (an event document skips most of a pack this way).
  const bool guards_on = fast_paths_on() && !counts_out_;
  for (const auto r : rules) {
    if (guards_on && guarded_out(p_.rules[r])) {
      f.rules.push_back(
          {r, p_.infos[r].severity, outcome::not_applicable, 0, static_cast<std::uint32_t>(f.violations.size()), 0});
      continue;
    }
    run_rule(r);
  }
  found_ = nullptr;
  defer_ = false;
  return f;
}

violation evaluator::render_one(const found& f, std::size_t i) {
  const auto& pd = f.pendings.at(i);
  if (pd.eager >= 0) return f.eager[static_cast<std::size_t>(pd.eager)];
  rule_result scratch;
  scratch.rule_index = pd.rule_index;
  render_pending(f, pd, scratch);
  return std::move(scratch.violations.back());
}

// ---------------------------------------------------------------- rules and subjects

void evaluator::render_pending(const found& f, const found::pending& pd, rule_result& res) {
  const auto& rule = p_.rules[pd.rule_index];
  rule_ = &rule;
  rule_index_ = pd.rule_index;
  result_ = &res;
  subject_.clear();
  std::fill_n(slots_.begin(), rule.slot_count, value{});  // a rule reads only its own slots
  std::size_t b = pd.first_binding;
  const auto mark = arena_.mark();
  for (const auto& st : rule.steps) {
    if (st.is_let) {
      slots_[st.slot] = eval(st.value);  // as walk() bound it: the same steps before it, the same document
      continue;
    }
    slots_[st.slot] = f.bindings[b++];
    if (st.key_slot != no_index) slots_[st.key_slot] = f.bindings[b++];
    subject_.push_back({&st, slots_[st.slot]});
  }
  const auto& rq = rule.requires_[pd.require];
  // The require's value as judge() found it: the same bindings, the same document.
  if (pd.eager == found::pending::kept_undetermined)
    require_undetermined(rq, eval(rq.condition));
  else
    fail(rq);
  arena_.release(mark);
}

bool evaluator::lasting(const value& v) {
  switch (v.kind) {
    case vkind::null:
    case vkind::boolean:
    case vkind::integer:
    case vkind::number:
    case vkind::date: return true;
    default: return v.from_document();
  }
}

std::uint32_t evaluator::subject_node() const {
  if (subject_.empty()) return doc_.empty() ? no_index : doc_.root();
  const value& e = subject_.back().second;
  return e.from_document() ? e.node : no_index;
}

inline void evaluator::note_found(outcome kind, const found::pending& pd) {
  found_->violations.push_back({static_cast<std::uint32_t>(found_->rules.size()), kind, subject_node()});
  found_->pendings.push_back(pd);
}

bool evaluator::defer(const plan::require& rq, outcome kind) {
  auto& b = found_->bindings;
  const auto first = b.size();
  // Lets are evaluated again when the violation is rendered; a key of `for each k, v` is an index
  // or a key of a document map (element()), and lasts as the document does.
  for (const auto& st : rule_->steps) {
    if (st.is_let) continue;
    if (!lasting(slots_[st.slot])) {
      b.resize(first);
      return false;
    }
    b.push_back(slots_[st.slot]);
    if (st.key_slot != no_index) b.push_back(slots_[st.key_slot]);
  }
  note_found(kind,
             {rule_index_, static_cast<std::uint32_t>(&rq - rule_->requires_.data()), static_cast<std::uint32_t>(first),
              kind == outcome::fail ? found::pending::kept_fail : found::pending::kept_undetermined});
  return true;
}

bool evaluator::guarded_out(const plan::rule& rule) const {
  for (const auto g : rule.guards)
    if (surely_missing(g)) return true;
  return false;
}

void evaluator::run_rule(std::uint32_t index) {
  const auto& rule = p_.rules[index];
  rule_result& res = rule_res_;  // the violations rendered at once (moved out below)
  res.rule_index = index;
  res.subjects = 0;
  res.violations.clear();
  rule_ = &rule;
  rule_index_ = index;
  result_ = &res;
  subject_.clear();
  std::fill_n(slots_.begin(), rule.slot_count, value{});  // a rule reads only its own slots
  findings::rule_outcome out;
  out.rule_index = index;
  out.severity = p_.infos[index].severity;
  out.first = static_cast<std::uint32_t>(found_->violations.size());
  const auto mark = arena_.mark();
  if (counts_out_) [[unlikely]]
    begin_counts(rule);
  bool applicable = true;
  if (rule.when != no_index) {
    const int quick = quick_condition(rule.when);
    const value w = quick >= 0 ? value::boolean(quick) : eval(rule.when);
    if (counts_out_) [[unlikely]]
      count(counts_->front(), w);
    if (w.kind == vkind::boolean) {
      applicable = w.u.b;
    } else {
      ++res.subjects;
      undetermined(
          w.kind == vkind::error || w.kind == vkind::missing
              ? error_text(w, rule.when)
              : "'when' needs true or false, but " + std::string(p_.nodes[rule.when].text) + " is " + kind_name(w.kind),
          rule.when, nullptr, "when");
      applicable = false;
    }
  }
  if (applicable) {
    if (counts_out_) [[unlikely]]
      walk<true>(0);
    else if (rule.steps.empty())
      judge<false>();  // no lets, no `for each`: the one subject, as walk(0) would judge it
    else
      walk<false>(0);
  }
  arena_.release(mark);

  out.subjects = res.subjects;
  out.count = static_cast<std::uint32_t>(found_->violations.size()) - out.first;
  bool failed = false, undetermined_any = false;
  const auto eager_base = static_cast<std::int32_t>(found_->eager.size());
  for (std::uint32_t i = out.first; i < out.first + out.count; ++i) {
    (found_->violations[i].kind == outcome::fail ? failed : undetermined_any) = true;
    if (found_->pendings[i].eager >= 0) found_->pendings[i].eager += eager_base;
  }
  for (auto& v : res.violations) found_->eager.push_back(std::move(v));
  out.result = failed             ? outcome::fail
               : undetermined_any ? outcome::undetermined
               : applicable       ? outcome::pass
                                  : outcome::not_applicable;
  found_->rules.push_back(out);
}

void evaluator::begin_counts(const plan::rule& rule) {
  counts_ = &counts_out_->emplace_back();
  const auto add = [&](const char* clause, std::uint32_t node) -> clause_count& {
    const auto& n = p_.nodes[node];
    auto& c = counts_->emplace_back();
    c.clause = clause;
    c.text = std::string(n.text);
    c.position = p_.sources[n.source]->position(n.where.begin);
    return c;
  };
  if (rule.when != no_index) add("when", rule.when);  // counted by run_rule
  where_count_.assign(rule.steps.size(), no_index);
  for (std::size_t k = 0; k < rule.steps.size(); ++k)
    if (!rule.steps[k].is_let && rule.steps[k].filter != no_index) {
      where_count_[k] = static_cast<std::uint32_t>(counts_->size());
      add("where", rule.steps[k].filter);
    }
  require_count_ = static_cast<std::uint32_t>(counts_->size());
  for (const auto& rq : rule.requires_) {
    auto& c = add("require", rq.condition);
    c.text = std::string(rq.text);
    c.position = rq.position;
  }
}

template <bool Count, class Keeps>
inline void evaluator::visit_element(const plan::step& st, std::size_t k, const value& coll, std::uint32_t i,
                                     Keeps&& keeps) {
  const auto mark = arena_.mark();
  value key;
  const value e = element(coll, i, st.key_slot != no_index ? &key : nullptr);
  slots_[st.slot] = e;
  if (st.key_slot != no_index) slots_[st.key_slot] = key;
  subject_.push_back({&st, e});
  if (st.filter == no_index || keeps()) walk<Count>(k + 1);
  subject_.pop_back();
  arena_.release(mark);
}

template <bool Count>
void evaluator::walk(std::size_t k) {
  const auto& steps = rule_->steps;
  // A let binds its slot and the walk goes on in the same frame: a rule of many lets needs no
  // stack for them (the walk recursed once per let before, and a rule of 100,000 lets overflowed
  // the stack where the compiler did not make that call a jump).
  while (k < steps.size() && steps[k].is_let) {
    // A let of a comparison, has() or not: its value is a new true or false, which the quick test
    // gives as well (a let of a path, `and` or `??` may hold the document's own value: evaluated).
    const auto& n = p_.nodes[steps[k].value];
    const int quick = n.testable && ((n.code == opcode::binary && ast::is_comparison(n.op)) ||
                                     (n.code == opcode::call && n.fn == check::builtin::has) ||
                                     (n.code == opcode::unary && n.op == ast::op::not_))
                          ? quick_condition(steps[k].value)
                          : -1;
    slots_[steps[k].slot] = quick >= 0 ? value::boolean(quick) : eval(steps[k].value);
    ++k;
  }
  if (k == steps.size()) {
    judge<Count>();
    return;
  }
  const auto& st = steps[k];
  const value coll = eval(st.value);
  if (!iterable(coll)) {
    ++result_->subjects;
    undetermined(iterate_error(coll, st.value), st.value, nullptr, "for each");
    return;
  }
  if constexpr (Count) {
    const std::uint32_t at = where_count_[k];
    for (std::uint32_t i = 0; i < coll.len; ++i)
      visit_element<true>(st, k, coll, i, [&] {
        const value f = eval(st.filter);
        count((*counts_)[at], f);
        return step_keeps(st, f);
      });
    return;
  }
  const std::uint32_t kernel = coll.kind == vkind::list && coll.node != no_index ? kernel_for(st.kernel) : no_index;
  if (st.group != no_index)
    if (const positions order = visit_order(st.group, coll); !order.all) return walk_grouped(k, coll, order);
  // The plain loop, as walk_element() but kept inline here: the common case.
  const bool from_doc = coll.kind == vkind::list && coll.node != no_index;
  for (std::uint32_t i = 0; i < coll.len; ++i) {
    if (from_doc) fetch_ahead(coll.node, i, coll.len);
    int quick = -1;
    if (kernel != no_index && (quick = run_kernel(kernel, doc_.at(coll.node, i))) == 0)
      continue;  // `where` rules it out
    visit_element<false>(
        st, k, coll, i, [&]() __attribute__((always_inline)) {
          if (quick < 0) quick = quick_test(st.filter);
          return step_keeps(st, quick >= 0 ? value::boolean(quick) : eval(st.filter));
        });
  }
}

[[gnu::noinline]] void evaluator::walk_grouped(std::size_t k, const value& coll, positions order) {
  for (std::uint32_t i = 0; order.next(i);) walk_element(k, coll, i, order.known);
}

void evaluator::walk_element(std::size_t k, const value& coll, std::uint32_t i, bool known) {
  const auto& st = rule_->steps[k];
  visit_element<false>(st, k, coll, i, [&] { return step_keeps(st, filter_value(st.filter, st.group, known, -1)); });
}

[[gnu::noinline, gnu::cold]] bool evaluator::step_undetermined(const plan::step& st, const value& f) {
  ++result_->subjects;
  undetermined(f.kind == vkind::error || f.kind == vkind::missing
                   ? error_text(f, st.filter)
                   : "'where' needs true or false, but " + std::string(p_.nodes[st.filter].text) + " is " +
                         render(f, render_style::explanation),
               st.filter, nullptr, "where");
  return false;
}

template <bool Count>
void evaluator::judge() {
  ++result_->subjects;
  for (const auto& rq : rule_->requires_) {
    // Answered without building values where it can be (the same true or false as the walk);
    // anything else, an undetermined subject included, is evaluated.
    const int quick = quick_condition(rq.condition);
    const value v = quick >= 0 ? value::boolean(quick) : eval(rq.condition);
    if constexpr (Count)
      count((*counts_)[require_count_ + static_cast<std::uint32_t>(&rq - rule_->requires_.data())], v);
    if (v.kind == vkind::boolean && v.u.b) continue;
    if (v.kind == vkind::boolean) {
      fail(rq);
    } else if (!defer_ || !defer(rq, outcome::undetermined)) {
      require_undetermined(rq, v);
    }
    return;
  }
}

void evaluator::require_undetermined(const plan::require& rq, const value& v) {
  undetermined(v.kind == vkind::error || v.kind == vkind::missing
                   ? error_text(v, rq.condition)
                   : "'require' needs true or false, but " + std::string(rq.text) + " is " + kind_name(v.kind),
               rq.condition, &rq);
  // Missing data, where the rule says in words what to record: that is the message; the
  // missing path stays in the finding's place, subject and explanation.
  const bool missing_data =
      v.kind == vkind::missing || (v.kind == vkind::error && (v.flags & value::missing_cause) != 0);
  if (missing_data && rule_->undetermined) result_->violations.back().message = render_template(*rule_->undetermined);
}

void evaluator::fail_now(const plan::require& rq) {
  violation& v = base_violation(outcome::fail, &rq);
  const auto traced = trace(rq.condition);
  v.explanation = explain(rq.condition, traced);
  if (rq.message) {
    v.message = render_template(*rq.message);
  } else if (rule_->message) {
    v.message = render_template(*rule_->message);
  } else {
    v.message = automatic_message(rq, traced);
  }
  place(v, traced);
}

void evaluator::undetermined(std::string reason, std::uint32_t node, const plan::require* rq, std::string clause) {
  violation& v = base_violation(outcome::undetermined, rq);
  v.clause = std::move(clause);
  const auto traced = trace(node);
  v.explanation = explain(node, traced);
  v.message = std::move(reason);
  if (!rq) {
    // The clause that could not be judged is not a require: point at it instead.
    const auto& n = p_.nodes[node];
    const auto& src = *p_.sources[n.source];
    v.rule_position = src.position(n.where.begin);
    v.require_text = v.clause == "for each" ? for_each_text(node) : std::string(n.text);
  }
  place(v, traced);
}

std::string evaluator::for_each_text(std::uint32_t node) const {
  for (const auto& st : rule_->steps)
    if (!st.is_let && st.value == node) return st.name + " in " + std::string(p_.nodes[node].text);
  return std::string(p_.nodes[node].text);
}

violation& evaluator::base_violation(outcome kind, const plan::require* rq) {
  const auto& info = p_.infos[result_->rule_index];
  violation& v = result_->violations.emplace_back();
  if (found_) note_found(kind, {rule_index_, 0, 0, static_cast<std::int32_t>(result_->violations.size() - 1)});
  v.rule_id = info.full_id;
  v.severity = info.severity;
  v.kind = kind;
  v.subject = subject_path();
  v.data_origin = doc_.empty() ? std::string() : doc_.origin();
  v.rule_origin = p_.sources[rule_->source]->origin();
  if (rq) {
    v.rule_position = rq->position;
    v.require_text = std::string(rq->text);
  }
  if (rule_->remedy) v.remedy = render_template(*rule_->remedy);
  return v;
}

std::string evaluator::subject_path() const {
  std::string out;
  for (const auto& [st, e] : subject_) {
    std::string part;
    if (e.from_document()) {
      part = doc_.path(e.node);
    } else {
      part = st->name + " = " + render(e, render_style::explanation);
    }
    if (out.empty() || (part.size() > out.size() && part.compare(0, out.size(), out) == 0 &&
                        (part[out.size()] == '.' || part[out.size()] == '[')))
      out = std::move(part);
    else
      out += ", " + part;
  }
  return out;
}

void evaluator::place(violation& v, const std::vector<std::pair<std::uint32_t, value>>& traced) {
  if (doc_.empty()) return;
  for (auto it = subject_.rbegin(); it != subject_.rend(); ++it)
    if (it->second.from_document()) {
      v.data_position = doc_.position(it->second.node);
      return;
    }
  std::uint32_t best = no_index;
  std::uint32_t best_size = 0;
  for (const auto& [n, val] : traced) {
    std::uint32_t node = val.node;
    if (node == no_index || node == doc_.root()) continue;
    const auto& pn = p_.nodes[n];
    if (pn.code == opcode::slot) continue;  // names of lets: taken below, in the order they are named
    const std::uint32_t size = pn.where.end - pn.where.begin;
    if (best == no_index || size > best_size) {
      best = node;
      best_size = size;
    }
  }
  if (best == no_index) {
    // The require read only computed values: point at what the lets it names read, taking them
    // in the order the require mentions them, then any other let.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> named;  // (offset in the require, slot)
    for (const auto& [n, val] : traced)
      if (p_.nodes[n].code == opcode::slot) named.push_back({p_.nodes[n].where.begin, p_.nodes[n].slot});
    std::sort(named.begin(), named.end());
    std::vector<const plan::step*> lets;
    for (const auto& [_, slot] : named)
      for (const auto& st : rule_->steps)
        if (st.is_let && st.slot == slot && std::find(lets.begin(), lets.end(), &st) == lets.end()) lets.push_back(&st);
    for (const auto& st : rule_->steps)
      if (st.is_let && std::find(lets.begin(), lets.end(), &st) == lets.end()) lets.push_back(&st);
    for (const auto* st : lets) {
      for (const auto& [n, val] : trace(st->value)) {
        if (val.node == no_index || val.node == doc_.root() || val.kind == vkind::missing) continue;
        const auto& pn = p_.nodes[n];
        const std::uint32_t size = pn.where.end - pn.where.begin;
        if (best == no_index || size > best_size) {
          best = val.node;
          best_size = size;
        }
      }
      counterexamples_.clear();
      if (best != no_index) break;
    }
  }
  v.data_position = doc_.position(best == no_index ? doc_.root() : best);
}

}  // namespace joinup::eval
