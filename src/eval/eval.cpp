// The evaluator: walks the plan over an immutable document with the semantics of the language
// specification's section 4 — missing is not null, errors make a subject undetermined and are
// named, `and`/`or` absorb errors commutatively, `where` errors are undetermined, not skipped.
#include "eval/eval.hpp"

#include "eval/constant.hpp"

#include "diag/text.hpp"
#include "eval/index.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>

namespace joinup::eval {

namespace {

using plan::none;
using plan::opcode;

struct step_limit_reached {};

std::string format_number(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  // Whole numbers print without a fraction; others with up to 10 significant digits and no
  // trailing zeros (0.1948051948, not 0.19480519480519481).
  char buf[64];
  if (std::abs(d) < 1e15 && std::floor(d) == d) {
    auto r = std::to_chars(buf, buf + sizeof buf, static_cast<std::int64_t>(d));
    return std::string(buf, r.ptr);
  }
  if (std::abs(d) >= 1e15 || std::abs(d) < 1e-6) {
    auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::general, 10);
    return std::string(buf, r.ptr);
  }
  const int magnitude = static_cast<int>(std::floor(std::log10(std::abs(d)))) + 1;
  const int decimals = std::clamp(10 - magnitude, 0, 16);
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed, decimals);
  std::string out(buf, r.ptr);
  if (out.find('.') != std::string::npos) {
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
  }
  return out;
}

void append_int(std::string& out, std::int64_t i) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, i);
  out.append(buf, r.ptr);
}

const char* kind_name(vkind k) {
  switch (k) {
    case vkind::missing: return "missing";
    case vkind::null: return "null";
    case vkind::boolean: return "a boolean";
    case vkind::integer: return "a number";
    case vkind::number: return "a number";
    case vkind::string: return "a string";
    case vkind::date: return "a date";
    case vkind::list: return "a list";
    case vkind::map: return "a map";
    case vkind::error: return "an error";
  }
  return "a value";
}

// The kernels' terms resolved for this document: key ids, cache slots and constants at hand.
struct live_term {
  enum kind_t : std::uint8_t { flag, string, integer, date, boolean };
  kind_t kind = flag;
  ast::op op = ast::op::eq;
  std::uint32_t key = document::npos;  // npos: no map of the document has the key
  std::uint32_t hint = none;
  std::int64_t number = 0;             // integer, date, boolean constant
  std::string_view text;               // string constant

  bool same_test(const live_term& o) const {
    return kind == o.kind && op == o.op && key == o.key && number == o.number && text == o.text;
  }
};
// What an evaluator allocates, kept from one evaluation to the next on the same thread (see
// scratch_lease): slots, key caches, the arena and the working lists. Every evaluation resets
// what it reads; the key-position hints may stay, since a hint is checked before it is used.
struct scratch {
  std::vector<value> slots;
  std::vector<std::uint32_t> sym_keys;
  std::vector<std::uint32_t> hints;
  std::vector<live_term> live_terms;
  std::vector<std::uint32_t> kernel_first;
  // Per fusion (plan::program::fusions): its members' terms, each distinct test once (counts often
  // share a first test), as indexes into live_terms; member g's terms are uses[first[g] ..
  // first[g + 1]), indexes into tests.
  struct fused_tests {
    std::vector<std::uint32_t> tests;
    std::vector<std::uint8_t> uses;
    std::vector<std::uint32_t> first;
  };
  std::vector<fused_tests> fusion_tests;
  std::vector<std::pair<std::uint32_t, value>> fused;
  std::vector<bool> fusion_failed;
  std::vector<std::unique_ptr<std::vector<value>>> collect;
  std::vector<std::pair<const plan::step*, value>> subject;
  std::vector<std::uint32_t> group_last;
  arena memory;
  indexed_lists searched, joins;  // the evaluator's indexes of document lists
  // sym_keys, live_terms and kernel_first were derived from this program and document (their
  // uids; 0: from none), and serve the next evaluation of the same pair as they are.
  std::uint64_t program_uid = 0, document_uid = 0;

  // Ready for the next evaluation, giving back what an unusually large one took.
  void reset() {
    fused.clear();
    fusion_failed.clear();
    searched.clear();
    joins.clear();
    subject.clear();
    group_last.clear();
    memory.trim(1024 * 1024);
    if (collect.size() > 8) collect.resize(8);
    for (auto& c : collect)
      if (c->capacity() > 4096) std::vector<value>().swap(*c);
  }
};

// Borrows a scratch from this thread's pool for one evaluator's lifetime, or makes one; gives it
// back (at most a few are kept per thread).
class scratch_lease {
 public:
  scratch_lease() {
    auto& pool = free_list();
    if (pool.empty()) {
      s_ = std::make_unique<scratch>();
    } else {
      s_ = std::move(pool.back());
      pool.pop_back();
    }
  }
  ~scratch_lease() {
    s_->reset();
    auto& pool = free_list();
    if (pool.size() < 4) pool.push_back(std::move(s_));
  }
  scratch_lease(const scratch_lease&) = delete;
  scratch_lease& operator=(const scratch_lease&) = delete;
  scratch& operator*() const { return *s_; }

 private:
  static std::vector<std::unique_ptr<scratch>>& free_list() {
    thread_local std::vector<std::unique_ptr<scratch>> pool;
    return pool;
  }
  std::unique_ptr<scratch> s_;
};

class evaluator {
 public:
  evaluator(const plan::program& p, const document& doc, const evaluate_options& o)
      : p_(p), doc_(doc), opts_(o) {
    today_ = o.as_of ? *o.as_of : joinup::today();
    max_steps_ = o.max_steps ? o.max_steps : std::numeric_limits<std::uint64_t>::max();
    counting_ = o.max_steps != 0;
    plain_ = !counting_;
    slots_.assign(p.max_slots, value{});
    hints_.resize(p.hints);  // hints kept from an earlier evaluation are checked before use
    resolve_symbols();
  }

  value constant(std::uint32_t node) { return eval(node); }
  // The rule being evaluated (plan::none before the first), for the step-limit error.
  std::uint32_t rule_index() const { return rule_index_; }

  // Decides every selected rule; violations that can wait are kept as their bindings (see found).
  found find_all(const std::vector<std::uint32_t>& rules) {
    found f;
    f.as_of = today_;
    f.undetermined_fails = opts_.undetermined_fails;
    f.rules.reserve(rules.size());
    f.violations.reserve(16);
    f.pendings.reserve(16);
    f.bindings.reserve(32);
    found_ = &f;
    defer_ = !counting_;
    for (auto r : rules) run_rule(r);
    found_ = nullptr;
    defer_ = false;
    return f;
  }

  // Every violation of f in full, in order (the rules' outcomes are passed apart: findings keeps
  // them); the eager ones are moved out of f unless it is const.
  template <class Found>
  evaluation_result render_all(Found& f, const std::vector<findings::rule_outcome>& rules) {
    evaluation_result out;
    out.data_origin = doc_.empty() ? std::string() : doc_.origin();
    out.as_of = f.as_of;
    out.undetermined_fails = f.undetermined_fails;
    out.rules.reserve(rules.size());
    for (const auto& r : rules) {
      const auto& info = p_.infos[r.rule_index];
      rule_result& res = out.rules.emplace_back();
      res.rule_index = r.rule_index;
      res.rule_id = info.full_id;
      res.severity = info.severity;
      res.result = r.result;
      res.subjects = r.subjects;
      res.violations.reserve(r.count);
      for (std::uint32_t i = r.first; i < r.first + r.count; ++i) {
        const auto& pd = f.pendings[i];
        if (pd.eager < 0)
          render_pending(f, pd, res);
        else if constexpr (std::is_const_v<Found>)
          res.violations.push_back(f.eager[static_cast<std::size_t>(pd.eager)]);
        else
          res.violations.push_back(std::move(f.eager[static_cast<std::size_t>(pd.eager)]));
      }
    }
    return out;
  }

  // Violation i of f in full.
  violation render_one(const found& f, std::size_t i) {
    const auto& pd = f.pendings.at(i);
    if (pd.eager >= 0) return f.eager[static_cast<std::size_t>(pd.eager)];
    rule_result scratch;
    scratch.rule_index = pd.rule_index;
    render_pending(f, pd, scratch);
    return std::move(scratch.violations.back());
  }

 private:
  // ---------------------------------------------------------------- rules and subjects

  // Renders a deferred violation into res: the rule's bindings restored as they were when its
  // require failed, then the same fail() that renders a violation at once.
  void render_pending(const found& f, const found::pending& pd, rule_result& res) {
    const auto& rule = p_.rules[pd.rule_index];
    rule_ = &rule;
    rule_index_ = pd.rule_index;
    result_ = &res;
    subject_.clear();
    std::fill(slots_.begin(), slots_.end(), value{});
    std::size_t b = pd.first_binding;
    for (const auto& st : rule.steps) {
      slots_[st.slot] = f.bindings[b++];
      if (st.is_let) continue;
      if (st.key_slot != none) slots_[st.key_slot] = f.bindings[b++];
      subject_.push_back({&st, slots_[st.slot]});
    }
    const auto mark = arena_.mark();
    fail(rule.requires_[pd.require]);
    arena_.release(mark);
  }

  // A binding that stays valid after evaluation moves on: a document value or a plain scalar
  // (not a string or list built in the evaluation's scratch memory).
  static bool lasting(const value& v) {
    switch (v.kind) {
      case vkind::null:
      case vkind::boolean:
      case vkind::integer:
      case vkind::number:
      case vkind::date: return true;
      default: return v.from_document();
    }
  }

  // The data node a violation of the current subject is about (findings::violation_ref::subject).
  std::uint32_t subject_node() const {
    if (subject_.empty()) return doc_.empty() ? document::npos : doc_.root();
    const value& e = subject_.back().second;
    return e.from_document() ? e.node : document::npos;
  }

  // Keeps a failing subject as its bindings when they all last; false when it must be rendered now.
  bool defer(const plan::require& rq) {
    auto& b = found_->bindings;
    const auto first = b.size();
    for (const auto& st : rule_->steps) {
      const bool keyed = !st.is_let && st.key_slot != none;
      if (!lasting(slots_[st.slot]) || (keyed && !lasting(slots_[st.key_slot]))) {
        b.resize(first);
        return false;
      }
      b.push_back(slots_[st.slot]);
      if (keyed) b.push_back(slots_[st.key_slot]);
    }
    note_found(outcome::fail, {rule_index_, static_cast<std::uint32_t>(&rq - rule_->requires_.data()),
                               static_cast<std::uint32_t>(first), -1});
    return true;
  }

  // A violation of the current subject, in what find() returns: deferred, or rendered at once.
  void note_found(outcome kind, const found::pending& pd) {
    found_->violations.push_back({static_cast<std::uint32_t>(found_->rules.size()), kind, subject_node()});
    found_->pendings.push_back(pd);
  }

  void run_rule(std::uint32_t index) {
    const auto& rule = p_.rules[index];
    rule_result res;  // the violations rendered at once
    res.rule_index = index;
    rule_ = &rule;
    rule_index_ = index;
    result_ = &res;
    subject_.clear();
    std::fill(slots_.begin(), slots_.end(), value{});
    findings::rule_outcome out;
    out.rule_index = index;
    out.severity = p_.infos[index].severity;
    out.first = static_cast<std::uint32_t>(found_->violations.size());
    const auto mark = arena_.mark();
    bool applicable = true;
    if (rule.when != none) {
      const value w = eval(rule.when);
      if (w.kind == vkind::boolean) {
        applicable = w.u.b;
      } else {
        ++res.subjects;
        undetermined(w.kind == vkind::error || w.kind == vkind::missing
                         ? error_text(w, rule.when)
                         : "'when' needs true or false, but " + std::string(p_.nodes[rule.when].text) + " is " +
                               kind_name(w.kind),
                     rule.when, nullptr, "when");
        applicable = false;
      }
    }
    if (applicable) walk(0);
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

  // The positions of a collection a binder form or `for each` visits, in increasing order: all of
  // them, or those of a grouped filter (below).
  struct every_position {
    static constexpr bool grouped = false;
    static constexpr bool known = false;
    explicit every_position(std::uint32_t n) : len(n) {}
    bool next(std::uint32_t& i) {
      if (k >= len) return false;
      i = k++;
      return true;
    }
    std::uint32_t k = 0, len = 0;
  };
  // A grouped filter's: the probe's group merged with the always-visited, both in list order.
  // `all` when the grouped filter could not be used (every position is to be visited instead).
  struct positions {
    static constexpr bool grouped = true;
    positions() = default;
    positions(group_index::span group, group_index::span always)
        : a(group.begin), a_end(group.end), b(always.begin), b_end(always.end), all(false) {}
    bool next(std::uint32_t& i) {
      known = a != a_end && (b == b_end || *a < *b);
      if (known) {
        i = *a++;
        return true;
      }
      if (b == b_end) return false;
      i = *b++;
      return true;
    }
    const std::uint32_t *a = nullptr, *a_end = nullptr, *b = nullptr, *b_end = nullptr;
    bool all = true;
    bool known = false;  // the last position's key equals the probe (the filter's first test holds)
  };

  void walk(std::size_t k) {
    const auto& steps = rule_->steps;
    if (k == steps.size()) {
      judge();
      return;
    }
    const auto& st = steps[k];
    if (st.is_let) {
      slots_[st.slot] = eval(st.value);
      walk(k + 1);
      return;
    }
    const value coll = eval(st.value);
    if (!iterable(coll)) {
      ++result_->subjects;
      undetermined(iterate_error(coll, st.value), st.value, nullptr, "for each");
      return;
    }
    const std::uint32_t kernel = plain_ && coll.kind == vkind::list && coll.node != no_node ? st.kernel : none;
    if (st.group != none)
      if (const positions order = visit_order(st.group, coll); !order.all) return walk_grouped(k, coll, order);
    // The plain loop, as walk_element() but kept inline here: the common case.
    const bool from_doc = coll.kind == vkind::list && coll.node != no_node;
    for (std::uint32_t i = 0; i < coll.len; ++i) {
      if (from_doc) fetch_ahead(coll.node, i, coll.len);
      int quick = -1;
      if (kernel != none && (quick = run_kernel(kernel, doc_.at(coll.node, i))) == 0) continue;  // `where` rules it out
      const auto mark = arena_.mark();
      value key;
      const value e = element(coll, i, st.key_slot != none ? &key : nullptr);
      slots_[st.slot] = e;
      if (st.key_slot != none) slots_[st.key_slot] = key;
      subject_.push_back({&st, e});
      bool keep = true;
      if (st.filter != none) {
        if (quick < 0 && plain_) quick = test(st.filter);
        keep = step_keeps(st, quick >= 0 ? value::boolean(quick) : eval(st.filter));
      }
      if (keep) walk(k + 1);
      subject_.pop_back();
      arena_.release(mark);
    }
  }

  // Step k over the positions of a grouped filter (visit_order). The filter's kernel, if it has
  // one, is not run: an element of the probe's group has the kernel's first test answered already
  // and the rest tested by filter_value(), and the walk answers for the others.
  [[gnu::noinline]] void walk_grouped(std::size_t k, const value& coll, positions order) {
    for (std::uint32_t i = 0; order.next(i);) walk_element(k, coll, i, order.known);
  }

  // Element i of step k's collection: bound, filtered, and the rest of the steps walked, as in
  // walk()'s loop. `known`: the element's key equals its grouped filter's probe (filter_value).
  void walk_element(std::size_t k, const value& coll, std::uint32_t i, bool known) {
    const auto& st = rule_->steps[k];
    const int quick = -1;
    const auto mark = arena_.mark();
    value key;
    const value e = element(coll, i, st.key_slot != none ? &key : nullptr);
    slots_[st.slot] = e;
    if (st.key_slot != none) slots_[st.key_slot] = key;
    subject_.push_back({&st, e});
    bool keep = true;
    if (st.filter != none) {
      keep = step_keeps(st, filter_value(st.filter, st.group, known, quick));
    }
    if (keep) walk(k + 1);
    subject_.pop_back();
    arena_.release(mark);
  }

  // Whether a `for each` step goes on with the element its `where` gave f for: a value that is
  // not true or false makes that subject undetermined.
  bool step_keeps(const plan::step& st, const value& f) {
    return f.kind == vkind::boolean ? f.u.b : step_undetermined(st, f);
  }
  [[gnu::noinline, gnu::cold]] bool step_undetermined(const plan::step& st, const value& f) {
    ++result_->subjects;
    undetermined(f.kind == vkind::error || f.kind == vkind::missing
                     ? error_text(f, st.filter)
                     : "'where' needs true or false, but " + std::string(p_.nodes[st.filter].text) + " is " +
                           render(f, render_style::explanation),
                 st.filter, nullptr, "where");
    return false;
  }

  void judge() {
    ++result_->subjects;
    for (const auto& rq : rule_->requires_) {
      const value v = eval(rq.condition);
      if (v.kind == vkind::boolean && v.u.b) continue;
      if (v.kind == vkind::boolean) {
        fail(rq);
      } else {
        undetermined(v.kind == vkind::error || v.kind == vkind::missing
                         ? error_text(v, rq.condition)
                         : "'require' needs true or false, but " + std::string(rq.text) + " is " + kind_name(v.kind),
                     rq.condition, &rq);
      }
      return;
    }
  }

  // Violations are built where they are kept (no move of the whole record).
  void fail(const plan::require& rq) {
    if (defer_ && defer(rq)) return;
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

  void undetermined(std::string reason, std::uint32_t node, const plan::require* rq, std::string clause = "require") {
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

  // "leaver in partnership.leavers" for the for-each step whose collection is `node`.
  std::string for_each_text(std::uint32_t node) const {
    for (const auto& st : rule_->steps)
      if (!st.is_let && st.value == node) return st.name + " in " + std::string(p_.nodes[node].text);
    return std::string(p_.nodes[node].text);
  }

  violation& base_violation(outcome kind, const plan::require* rq) {
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

  // The subject: the innermost element's path, or the paths of each level where they differ.
  std::string subject_path() const {
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

  // Where in the data file a violation points: the innermost subject element; for a rule without
  // `for each`, the outermost document value the failing expression read (or the map that lacks
  // a missing key), so that even root-level findings point at a line.
  void place(violation& v, const std::vector<std::pair<std::uint32_t, value>>& traced) {
    if (doc_.empty()) return;
    for (auto it = subject_.rbegin(); it != subject_.rend(); ++it)
      if (it->second.from_document()) {
        v.data_position = doc_.position(it->second.node);
        return;
      }
    std::uint32_t best = document::npos;
    std::uint32_t best_size = 0;
    for (const auto& [n, val] : traced) {
      std::uint32_t node = val.node;
      if (node == no_node || node == doc_.root()) continue;
      const auto& pn = p_.nodes[n];
      if (pn.code == opcode::slot) continue;  // names of lets: taken below, in the order they are named
      const std::uint32_t size = pn.where.end - pn.where.begin;
      if (best == document::npos || size > best_size) {
        best = node;
        best_size = size;
      }
    }
    if (best == document::npos) {
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
          if (val.node == no_node || val.node == doc_.root() || val.kind == vkind::missing) continue;
          const auto& pn = p_.nodes[n];
          const std::uint32_t size = pn.where.end - pn.where.begin;
          if (best == document::npos || size > best_size) {
            best = val.node;
            best_size = size;
          }
        }
        counterexamples_.clear();
        if (best != document::npos) break;
      }
    }
    v.data_position = doc_.position(best == document::npos ? doc_.root() : best);
  }

  // ---------------------------------------------------------------- explanations

  // Re-evaluates an expression recording the value of every sub-expression outside loop bodies.
  std::vector<std::pair<std::uint32_t, value>> trace(std::uint32_t node) {
    std::vector<std::pair<std::uint32_t, value>> out;
    if (node == none) return out;
    out.reserve(16);
    set_tracing(true);
    trace_depth_ = 0;
    trace_out_ = &out;
    witness_node_ = none;
    eval(node);
    set_tracing(false);
    trace_out_ = nullptr;
    return out;
  }

  std::vector<explanation_entry> explain(std::uint32_t root, const std::vector<std::pair<std::uint32_t, value>>& traced) {
    // Paths show once, whole: the object of a field or index access is not shown on its own.
    // (A handful of nodes: a short list, not a flag per node of the whole program.) The scratch
    // vectors are the evaluator's, reused from one violation to the next.
    auto& hidden_nodes = scratch_hidden_;
    hidden_nodes.clear();
    for (const auto& [n, _] : traced) {
      const auto& pn = p_.nodes[n];
      if ((pn.code == opcode::field || pn.code == opcode::index) && pn.a != none) hidden_nodes.push_back(pn.a);
    }
    auto hidden = [&](std::uint32_t n) {
      return std::find(hidden_nodes.begin(), hidden_nodes.end(), n) != hidden_nodes.end();
    };
    auto& items = scratch_items_;
    items.clear();
    auto& seen = scratch_seen_;
    seen.clear();
    for (const auto& [n, val] : traced) {
      if (n == root || n >= p_.nodes.size() || hidden(n)) continue;
      const auto& pn = p_.nodes[n];
      if (pn.code == opcode::constant) continue;
      if (val.kind == vkind::map && pn.code == opcode::slot) continue;  // a bound record: its fields say more
      if (std::find(seen.begin(), seen.end(), pn.text) != seen.end()) continue;
      seen.push_back(pn.text);
      items.push_back({pn.where.begin, pn.where.end, n, &val, nullptr});
    }
    for (const auto& c : counterexamples_) items.push_back({c.begin, c.begin, none, nullptr, &c});
    // A bare path or name has no parts worth showing: show its own value.
    if (items.empty())
      for (const auto& [n, val] : traced)
        if (n == root && p_.nodes[n].code != opcode::constant)
          items.push_back({p_.nodes[n].where.begin, p_.nodes[n].where.end, n, &val, nullptr});
    // In source order, outer expressions before their parts; a stable insertion sort (a handful
    // of items, no buffer to allocate).
    for (std::size_t i = 1; i < items.size(); ++i) {
      const explained it = items[i];
      std::size_t j = i;
      for (; j > 0 && (items[j - 1].begin != it.begin ? it.begin < items[j - 1].begin : it.end > items[j - 1].end);
           --j)
        items[j] = items[j - 1];
      items[j] = it;
    }
    std::vector<explanation_entry> out(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
      const auto& it = items[i];
      if (it.example) {
        out[i].expression = it.example->name;
        out[i].value = it.example->text;
      } else {
        out[i].expression = p_.nodes[it.node].text;
        if (it.val->kind == vkind::list || it.val->kind == vkind::map) out[i].value.reserve(64);
        render_into(out[i].value, *it.val, render_style::explanation, 6);
      }
    }
    counterexamples_.clear();
    return out;
  }

  std::string automatic_message(const plan::require& rq, const std::vector<std::pair<std::uint32_t, value>>& traced) {
    const auto& n = p_.nodes[rq.condition];
    auto value_of = [&](std::uint32_t id) -> const value* {
      for (const auto& [t, v] : traced)
        if (t == id) return &v;
      return nullptr;
    };
    std::string out;
    out.reserve(rq.text.size() + 64);
    out += "expected ";
    out += rq.text;
    out += ", but ";
    if (n.code == opcode::quantifier) {
      if (n.op != ast::op::any && witness_node_ == rq.condition)
        return out + witness_text_ + (n.op == ast::op::all ? " does not" : " does");
      const value* coll = value_of(n.a);
      if (coll && iterable(*coll) && coll->len == 0) return out + std::string(p_.nodes[n.a].text) + " is empty";
      return out + "no element of " + std::string(p_.nodes[n.a].text) + " does";
    }
    std::uint32_t operands[3] = {none, none, none};
    if (n.code == opcode::binary && n.op != ast::op::and_ && n.op != ast::op::or_ && n.op != ast::op::coalesce)
      operands[0] = n.a, operands[1] = n.b;
    else if (n.code == opcode::between)
      operands[0] = n.a, operands[1] = n.b, operands[2] = n.c;
    else if (n.code == opcode::unary)
      operands[0] = n.a;
    bool any = false;
    for (auto o : operands) {
      if (o == none || p_.nodes[o].code == opcode::constant) continue;
      if (const value* v = value_of(o)) {
        if (any) out += " and ";
        any = true;
        out += p_.nodes[o].text;
        out += " is ";
        render_into(out, *v, render_style::explanation, 6);
      }
    }
    if (!any) out += "it is false";
    return out;
  }

  std::string render_template(const plan::text_template& t) {
    std::string out;
    for (const auto& part : t) {
      if (!part.is_expr) {
        out += part.text;
        continue;
      }
      const bool was = tracing_;
      set_tracing(false);
      const value v = eval(part.node);
      set_tracing(was);
      out += v.kind == vkind::missing ? "(missing)" : render(v, render_style::message);
    }
    return out;
  }

  // ---------------------------------------------------------------- rendering values

  std::string render(const value& v, render_style style, int budget = 6) const {
    std::string out;
    if (v.kind == vkind::list || v.kind == vkind::map) out.reserve(64);
    render_into(out, v, style, budget);
    return out;
  }

  void render_into(std::string& out, const value& v, render_style style, int budget) const {
    switch (v.kind) {
      case vkind::missing: out += "(missing)"; return;
      case vkind::error: out += "(error: "; out += v.str(); out += ')'; return;
      case vkind::null: out += "null"; return;
      case vkind::boolean: out += v.u.b ? "true" : "false"; return;
      case vkind::integer: append_int(out, v.u.i); return;
      case vkind::number: out += format_number(v.u.d); return;
      case vkind::date: out += date{v.u.days}.to_string(); return;
      case vkind::string:
        // Strings come from the data: messages and explanations show a window of them
        // (diag::quote_window bytes), except in values that join() builds.
        if (style == render_style::whole)
          out += v.str();
        else
          diag::append_window(out, v.str(), style == render_style::explanation);
        return;
      case vkind::list: {
        out += '[';
        const std::uint32_t shown = std::min<std::uint32_t>(v.len, static_cast<std::uint32_t>(std::max(budget, 1)));
        for (std::uint32_t i = 0; i < shown; ++i) {
          if (i) out += ", ";
          render_into(out, element(v, i, nullptr), style, std::max(budget / 2, 1));
        }
        if (shown < v.len) {
          out += ", … ";
          append_int(out, v.len);
          out += " items";
        }
        out += ']';
        return;
      }
      case vkind::map: {
        out += '{';
        const std::uint32_t n = doc_.size(v.node);
        const std::uint32_t shown = std::min<std::uint32_t>(n, static_cast<std::uint32_t>(std::max(budget, 1)));
        for (std::uint32_t i = 0; i < shown; ++i) {
          if (i) out += ", ";
          out += doc_.key_text(doc_.key_at(v.node, i));
          out += ": ";
          render_into(out, from_node(doc_, doc_.value_at(v.node, i)), style, 1);
        }
        if (shown < n) {
          out += ", … ";
          append_int(out, n);
          out += " keys";
        }
        out += '}';
        return;
      }
    }
  }

  // ---------------------------------------------------------------- errors

  std::string_view make_error(std::string msg) { return arena_.copy(msg); }
  value err(std::string msg) { return value::error(make_error(std::move(msg))); }

  // The text of an error or missing value, naming the path or the operation.
  std::string error_text(const value& v, std::uint32_t node) const {
    if (v.kind == vkind::error) return std::string(v.str());
    return missing_text(v, node);
  }

  std::string missing_text(const value& m, std::uint32_t node) const {
    if (m.node == no_node || doc_.empty()) return std::string(p_.nodes[node].text) + " is missing";
    const std::string parent = doc_.path(m.node);
    const value_kind pk = doc_.kind(m.node);
    if (m.flags & value::missing_index) {
      const std::string at = parent + "[" + std::to_string(m.u.i) + "]";
      if (pk == value_kind::list)
        return at + " is missing (the list has " + std::to_string(doc_.size(m.node)) + " elements)";
      return parent + " is " + (pk == value_kind::null ? std::string("null") : "a " + std::string(to_string(pk))) +
             ", so it has no [" + std::to_string(m.u.i) + "]";
    }
    if (pk == value_kind::map) {
      if (parent.empty()) return "the document has no '" + diag::window(m.str()) + "'";
      std::string path = parent;
      document::append_path_key(path, diag::window(m.str()));
      return path + " is missing";
    }
    return (parent.empty() ? std::string("the document") : parent) + " is " +
           (pk == value_kind::null ? std::string("null") : "a " + std::string(to_string(pk))) + ", so it has no '" +
           diag::window(m.str()) + "'";
  }

  // Operands that are errors or missing turn into the error that names them; nullptr if fine.
  bool bad(const value& v) const { return v.kind == vkind::error || v.kind == vkind::missing; }
  value as_error(const value& v, std::uint32_t node) {
    return v.kind == vkind::error ? v : err(missing_text(v, node));
  }

  // ---------------------------------------------------------------- collections

  static bool iterable(const value& v) { return v.kind == vkind::list || v.kind == vkind::map; }

  std::string iterate_error(const value& v, std::uint32_t node) {
    if (bad(v)) return error_text(v, node);
    return "cannot iterate over " + std::string(p_.nodes[node].text) + ": it is " + kind_name(v.kind);
  }

  // Element i of a list or map (map: its values; `key` receives the index or the key).
  value element(const value& coll, std::uint32_t i, value* key) const {
    if (coll.kind == vkind::map) {
      if (key) *key = value::string(doc_.key_text(doc_.key_at(coll.node, i)));
      return from_node(doc_, doc_.value_at(coll.node, i));
    }
    if (key) *key = value::integer(i);
    if (coll.node != no_node) return from_node(doc_, doc_.at(coll.node, i));
    return coll.u.items[i];
  }

  // ---------------------------------------------------------------- comparison

  bool equal(const value& a, const value& b) const {
    if (a.kind != b.kind || (a.kind != vkind::list && a.kind != vkind::map)) return equal_scalars(a, b);
    switch (a.kind) {
      case vkind::list:
        if (a.len != b.len) return false;
        for (std::uint32_t i = 0; i < a.len; ++i)
          if (!equal(element(a, i, nullptr), element(b, i, nullptr))) return false;
        return true;
      case vkind::map: {
        if (a.node == b.node) return true;
        if (a.len != b.len) return false;
        for (std::uint32_t i = 0; i < a.len; ++i) {
          const auto k = doc_.key_at(a.node, i);
          const auto other = doc_.find(b.node, k);
          if (other == document::npos) return false;
          if (!equal(from_node(doc_, doc_.value_at(a.node, i)), from_node(doc_, other))) return false;
        }
        return true;
      }
      default: return false;
    }
  }

  // <0, 0, >0; or an error value in *e for values that have no order between them.
  int order(const value& a, const value& b, std::uint32_t node, value* e) {
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
      const int c = a.str().compare(b.str());
      return (c > 0) - (c < 0);
    }
    if (a.kind == b.kind && a.kind == vkind::date) return (a.u.days > b.u.days) - (a.u.days < b.u.days);
    *e = err(std::string("cannot compare ") + kind_name(a.kind) + " with " + kind_name(b.kind) + ": " +
             std::string(p_.nodes[node].text) + " (" + render(a, render_style::explanation) + " and " +
             render(b, render_style::explanation) + ")");
    return 0;
  }

  // ---------------------------------------------------------------- the expression walk

  // Counting steps and recording a trace are needed only with a step budget and while explaining
  // a failing subject; the common case skips both.
  value eval(std::uint32_t id) {
    if (plain_) [[likely]]
      return eval_node(id);
    return eval_instrumented(id);
  }

  value eval_instrumented(std::uint32_t id) {
    if (++steps_ > max_steps_) throw step_limit_reached{};
    const value v = eval_node(id);
    if (tracing_ && trace_depth_ == 0) trace_out_->push_back({id, v});
    return v;
  }

  value eval_node(std::uint32_t id) {
    const auto& n = p_.nodes[id];
    switch (n.code) {
      case opcode::constant: return n.constant;
      case opcode::slot: return slots_[n.slot];
      case opcode::doc_name: {
        if (doc_.empty()) return value::missing_key(no_node, p_.symbols[n.sym]);
        const auto root = doc_.root();
        if (doc_.kind(root) != value_kind::map || sym_keys_[n.sym] == document::npos)
          return value::missing_key(root, p_.symbols[n.sym]);
        const auto child = doc_.find(root, sym_keys_[n.sym]);
        return child == document::npos ? value::missing_key(root, p_.symbols[n.sym]) : from_node(doc_, child);
      }
      case opcode::field: {
        // The object of a path step is usually a bound name: read it without a call.
        const auto& object = p_.nodes[n.a];
        const value o = object.code == opcode::slot && plain_ ? slots_[object.slot] : eval(n.a);
        if (bad(o)) return o;
        if (o.kind == vkind::map && sym_keys_[n.sym] != document::npos) {
          const auto child = lookup(o, sym_keys_[n.sym], n.hint);
          if (child != document::npos) return from_node(doc_, child);
        }
        return value::missing_key(o.node, p_.symbols[n.sym]);
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
        if (n.path_vs_constant && plain_) {
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
        if (plain_ && n.count == 1 && (n.fn == check::builtin::count || n.fn == check::builtin::distinct)) {
          // count(x) and distinct(x), the usual calls, without the general call's frame; anything
          // but a list (or, for count, a map) takes the general path, which says what is wrong.
          const value v = eval(p_.args[n.first]);
          if (n.fn == check::builtin::count && iterable(v)) return value::integer(v.len);
          if (n.fn == check::builtin::distinct && v.kind == vkind::list) return distinct(v);
        }
        return eval_call(n, id);
      case opcode::quantifier: return eval_quantifier(n, id);
      case opcode::aggregate: return eval_aggregate(n, id);
      case opcode::comprehension: return eval_comprehension(n, id);
    }
    return err("internal error: unknown plan node");
  }

  // The value under key k of the map m (a map value from the document), or npos. A field node
  // remembers the entry where it found its key last: in a regular document every element has
  // its keys in the same order, so the first probe hits. Maps have no duplicate keys, so a hit
  // is the answer find() would give.
  std::uint32_t lookup(const value& m, document::key_id k, std::uint32_t hint_index) {
    return lookup(m.node, m.len, k, hint_index);
  }
  // The hint's hit inline (regular documents hit it every time), the rest out of line.
  [[gnu::always_inline]] std::uint32_t lookup(std::uint32_t map, std::uint32_t size, document::key_id k,
                                              std::uint32_t hint_index) {
    if (hint_index != none) {
      const std::uint32_t hint = hints_[hint_index];
      if (hint < size && doc_.key_at(map, hint) == k) return doc_.value_at(map, hint);
    }
    return lookup_missed(map, size, k, hint_index);
  }
  [[gnu::noinline]] std::uint32_t lookup_missed(std::uint32_t map, std::uint32_t size, document::key_id k,
                                                std::uint32_t hint_index) {
    if (hint_index == none || size > data::large_map_threshold) return doc_.find(map, k);
    std::uint32_t& hint = hints_[hint_index];
    for (std::uint32_t i = 0; i < size; ++i)
      if (doc_.key_at(map, i) == k) {
        hint = i;
        return doc_.value_at(map, i);
      }
    return document::npos;
  }

  // A chain of fields from a bound name (plan::node::slot_path) read straight from the
  // document; false when a step's object is not a map or lacks the key, for the general walk
  // to answer (and name what is missing).
  bool read_path(const plan::node& n, value& out) {
    const auto child = path_node(n);
    if (child == document::npos) return false;
    out = from_node(doc_, child);
    return true;
  }
  // The document node such a path names, or npos.
  std::uint32_t path_node(const plan::node& n) {
    const auto& object = p_.nodes[n.a];
    std::uint32_t map, size;
    if (object.code == opcode::slot) {
      const value& o = slots_[object.slot];
      if (o.kind != vkind::map) return document::npos;
      map = o.node;
      size = o.len;
    } else {
      map = path_node(object);
      if (map == document::npos || doc_.kind(map) != value_kind::map) return document::npos;
      size = doc_.size(map);
    }
    const auto k = sym_keys_[n.sym];
    if (k == document::npos) return document::npos;
    return lookup(map, size, k, n.hint);
  }

  // A path_vs_constant comparison: 1, 0, or -1 when the path cannot be read or the comparison
  // does not give true or false. A string or whole number compared for (in)equality with a
  // value of its own kind is answered from the document node without making a value.
  int path_vs_constant(const plan::node& n) {
    const auto child = path_node(p_.nodes[n.a]);
    if (child == document::npos) return -1;
    const value& c = p_.nodes[n.b].constant;
    if (n.op == ast::op::eq || n.op == ast::op::ne) {
      const value_kind k = doc_.kind(child);
      if (c.kind == vkind::string && k == value_kind::string) return (doc_.as_string(child) == c.str()) == (n.op == ast::op::eq);
      if (c.kind == vkind::integer && k == value_kind::integer) return (doc_.as_int(child) == c.u.i) == (n.op == ast::op::eq);
    }
    const value r = compare(n, from_node(doc_, child), c);
    return r.kind == vkind::boolean ? r.u.b : -1;
  }

  // A filter or condition answered without building values: 1 true, 0 false, -1 when the
  // general walk must answer (an operand is missing, an error, not a boolean, or a form this
  // does not cover). Covers comparisons of a path with a constant, paths and constants that
  // are booleans, and `and`/`or`/`not` of those. Only reads: the walk may evaluate it again.
  int test(std::uint32_t id) {
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
          // The left side decides (false for and, true for or) or the right side is the answer.
          const int l = test(n.a);
          if (l < 0) return -1;
          if (l == (n.op == ast::op::or_)) return l;
          return test(n.b);
        }
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

  // The document's key id of each symbol of the program, and the kernels' terms with them: kept
  // in the scratch with the uids of the pair, so that evaluating the same program on the same
  // document again (on this thread) finds them done.
  void resolve_symbols() {
    auto& s = *lease_;
    const std::uint64_t program_id = p_.uid, document_id = doc_.uid();
    if (program_id != 0 && document_id != 0 && s.program_uid == program_id && s.document_uid == document_id) return;
    s.program_uid = s.document_uid = 0;  // until every part is done
    sym_keys_.assign(p_.symbols.size(), document::npos);
    if (!doc_.empty())
      for (std::size_t i = 0; i < p_.symbols.size(); ++i)
        if (auto k = doc_.find_key(p_.symbols[i])) sym_keys_[i] = *k;
    live_terms_.clear();
    kernel_first_.clear();
    resolve_kernels();
    resolve_fusions();
    s.program_uid = program_id;
    s.document_uid = document_id;
  }

  // The tests of each fusion's group (scratch::fused_tests), for fused_count.
  void resolve_fusions() {
    auto& all = (*lease_).fusion_tests;
    all.resize(p_.fusions.size());
    for (std::size_t f = 0; f < p_.fusions.size(); ++f) {
      const auto& group = p_.fusions[f];
      auto& ft = all[f];
      ft.tests.clear();
      ft.uses.clear();
      ft.first.clear();
      const std::size_t members = std::min<std::size_t>(group.size(), plan::max_fused);
      for (std::size_t g = 0; g < members; ++g) {
        ft.first.push_back(static_cast<std::uint32_t>(ft.uses.size()));
        const auto k = p_.nodes[group[g]].kernel;
        for (auto t = kernel_first_[k]; t < kernel_first_[k + 1]; ++t) {
          std::size_t u = 0;
          while (u < ft.tests.size() && !live_terms_[ft.tests[u]].same_test(live_terms_[t])) ++u;
          if (u == ft.tests.size()) ft.tests.push_back(t);
          ft.uses.push_back(static_cast<std::uint8_t>(std::min<std::size_t>(u, 255)));
        }
      }
      ft.first.push_back(static_cast<std::uint32_t>(ft.uses.size()));
    }
  }

  void resolve_kernels() {
    kernel_first_.reserve(p_.kernels.size() + 1);
    for (const auto& k : p_.kernels) {
      kernel_first_.push_back(static_cast<std::uint32_t>(live_terms_.size()));
      for (const auto& t : k.terms) {
        const auto& f = p_.nodes[t.field];
        live_term l;
        l.key = sym_keys_[f.sym];
        l.hint = f.hint;
        if (t.compare != none) {
          const auto& cmp = p_.nodes[t.compare];
          const value& c = p_.nodes[cmp.b].constant;
          l.op = cmp.op;
          switch (c.kind) {
            case vkind::string: l.kind = live_term::string; l.text = c.str(); break;
            case vkind::integer: l.kind = live_term::integer; l.number = c.u.i; break;
            case vkind::date: l.kind = live_term::date; l.number = c.u.days; break;
            default: l.kind = live_term::boolean; l.number = c.u.b; break;
          }
        }
        live_terms_.push_back(l);
      }
    }
    kernel_first_.push_back(static_cast<std::uint32_t>(live_terms_.size()));
  }

  // A filter kernel (plan::filter_kernel) on the document node of one element: 1 true, 0 false,
  // -1 when the general walk must answer.
  int run_kernel(std::uint32_t k, std::uint32_t element) {
    const data::doc_node& m = raw_->nodes[element];
    if (m.kind != value_kind::map) return -1;
    const std::uint32_t size = m.u.range.count;
    const live_term* t = live_terms_.data() + kernel_first_[k];
    const live_term* end = live_terms_.data() + kernel_first_[k + 1];
    for (; t != end; ++t) {
      const int r = run_term(*t, element, size);
      if (r <= 0) return r;
    }
    return 1;
  }

  // One term of a kernel on an element's map (of `size` entries): 1, 0 or -1. Reads the
  // document's arrays directly (the hot loop of kernels and fused counts); a key not where its
  // hint says is looked up the usual way.
  int run_term(const live_term& t, std::uint32_t element, std::uint32_t size) {
    if (t.key == document::npos) return -1;
    const data::document_data& d = *raw_;
    const std::uint32_t first = d.nodes[element].u.range.first;
    std::uint32_t child;
    const std::uint32_t hint = t.hint != none ? hints_[t.hint] : size;
    if (hint < size && d.entries[first + hint].key == t.key) {
      child = d.entries[first + hint].value;
    } else {
      child = lookup_missed(element, size, t.key, t.hint);
      if (child == document::npos) return -1;
    }
    const data::doc_node& c = d.nodes[child];
    std::int64_t x = 0;
    switch (t.kind) {
      case live_term::flag:
        if (c.kind != value_kind::boolean) return -1;
        return c.u.boolean;
      case live_term::string: {
        if (c.kind != value_kind::string) return -1;
        const std::string_view s(d.strings.data() + c.u.range.first, c.u.range.count);
        if (t.op == ast::op::eq || t.op == ast::op::ne) {
          const bool same = same_text(s, t.text);
          return same == (t.op == ast::op::eq);
        }
        const int o = s.compare(t.text);
        x = (o > 0) - (o < 0);
        break;
      }
      case live_term::integer:
        if (c.kind != value_kind::integer) return -1;
        x = (c.u.integer > t.number) - (c.u.integer < t.number);
        break;
      case live_term::date:
        if (c.kind != value_kind::date) return -1;
        x = (c.u.days > t.number) - (c.u.days < t.number);
        break;
      case live_term::boolean:
        if (c.kind != value_kind::boolean) return -1;
        x = c.u.boolean != (t.number != 0);  // eq and ne only
        break;
    }
    switch (t.op) {
      case ast::op::eq: return x == 0;
      case ast::op::ne: return x != 0;
      case ast::op::lt: return x < 0;
      case ast::op::le: return x <= 0;
      case ast::op::gt: return x > 0;
      case ast::op::ge: return x >= 0;
      default: return -1;
    }
  }

  value eval_index(const plan::node& n) {
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
      if (child != document::npos) return from_node(doc_, child);
      return value::missing_key(o.node, arena_.copy(i.str()));
    }
    if (i.kind == vkind::string) return value::missing_key(o.node, arena_.copy(i.str()));
    if (i.kind == vkind::integer) return value::missing_at(o.node, i.u.i);
    return err("cannot index " + std::string(p_.nodes[n.a].text) + ": it is " + kind_name(o.kind));
  }

  value eval_unary(const plan::node& n) {
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

  // `and`/`or`: a deciding operand (false for and, true for or) wins over an error on either side.
  value eval_logic(const plan::node& n) {
    return logic_after(n, eval(n.a));
  }
  // An `and`/`or` whose left operand has been evaluated to l.
  value logic_after(const plan::node& n, value l) {
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

  value eval_binary(const plan::node& n) {
    switch (n.op) {
      case ast::op::and_:
      case ast::op::or_: return eval_logic(n);
      case ast::op::coalesce: {
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
    switch (n.op) {
      case ast::op::eq:
      case ast::op::ne:
      case ast::op::lt:
      case ast::op::le:
      case ast::op::gt:
      case ast::op::ge: return compare(n, l, r);
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

  // ==, !=, <, <=, >, >= of two values that are neither missing nor errors.
  value compare(const plan::node& n, const value& l, const value& r) {
    if (l.kind == r.kind && (n.op == ast::op::eq || n.op == ast::op::ne)) {
      // The usual case, without a call: two strings, two whole numbers.
      if (l.kind == vkind::string)
        return value::boolean((l.len == r.len && same_bytes(l.u.s, r.u.s, l.len)) ==
                              (n.op == ast::op::eq));
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

  value membership(const value& x, const value& coll, const plan::node& n) {
    if (coll.kind == vkind::list && coll.node != no_node && coll.len >= 16 && x.kind != vkind::list &&
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
      for (std::uint32_t i = 0; i < coll.len; ++i)
        if (equal(x, element(coll, i, nullptr))) return value::boolean(true);
      return value::boolean(false);
    }
    if (coll.kind == vkind::map) {
      if (x.kind != vkind::string) return value::boolean(false);
      return value::boolean(doc_.find(coll.node, x.str()) != document::npos);
    }
    if (coll.kind == vkind::string) {
      if (x.kind != vkind::string)
        return err("'in' a string needs a string on the left, but " + std::string(p_.nodes[n.a].text) + " is " +
                   kind_name(x.kind));
      return value::boolean(coll.str().find(x.str()) != std::string_view::npos);
    }
    return err("'in' needs a list, map or string on the right, but " + std::string(p_.nodes[n.b].text) + " is " +
               kind_name(coll.kind));
  }

  value regex_match(const value& s, const value& pattern, const plan::node& n) {
    if (s.kind != vkind::string)
      return err("'matches' needs a string, but " + std::string(p_.nodes[n.a].text) + " is " + kind_name(s.kind));
    const RE2* re = nullptr;
    if (n.regex != none) {
      re = p_.regexes[n.regex].get();
    } else {
      if (pattern.kind != vkind::string)
        return err("a pattern must be a string, but " + std::string(p_.nodes[n.b].text) + " is " +
                   kind_name(pattern.kind));
      if (pattern.len > opts_.max_regex_bytes)
        return err("a regular expression of " + std::to_string(pattern.len) + " bytes is longer than the limit of " +
                   std::to_string(opts_.max_regex_bytes) + " bytes (evaluate_options::max_regex_bytes): " +
                   diag::window(pattern.str(), true));
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
    return value::boolean(RE2::PartialMatch(re2::StringPiece(s.u.s, s.len), *re));
  }

  value arithmetic(const plan::node& n, const value& l, const value& r) {
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

  // ---------------------------------------------------------------- binders

  // Walking a long document list at element i: the nodes of the elements a few steps ahead, and
  // the entries of nearer ones (whose node is fetched by then), are fetched while this one is
  // read. A large document does not fit in the caches, and its elements are not evenly spaced
  // (each is followed by its children), so the processor does not guess them.
  void fetch_ahead(std::uint32_t list, std::uint32_t i, std::uint32_t len) const {
    if (len < fetch_from) return;
    if (i + 8 < len) doc_.prefetch(doc_.at(list, i + 8));
    if (i + 4 < len) doc_.prefetch_entries(doc_.at(list, i + 4));
  }
  static constexpr std::uint32_t fetch_from = 64;

  // Runs f(element) for each element that passes the filter; stops when f returns false.
  // A filter that errs yields an error (the element is undetermined, not skipped) unless `absorb`
  // says a decided result may still win: then the error is remembered and returned at the end.
  template <class F>
  value each(const plan::node& n, const value& coll, F&& f) {
    if (!iterable(coll)) return err(iterate_error(coll, n.a));
    if (n.group != none)
      if (const positions order = visit_order(n.group, coll); !order.all) return each_grouped(n, coll, f, order);
    return each_over(n, coll, f, every_position(coll.len));
  }
  // each() over a grouped filter's positions, out of line: the plain loop stays small.
  template <class F>
  [[gnu::noinline]] value each_grouped(const plan::node& n, const value& coll, F& f, positions order) {
    return each_over(n, coll, f, order);
  }
  // each() over the positions `order` gives (every_position or a grouped filter's positions).
  template <class F, class Order>
  [[gnu::always_inline]] value each_over(const plan::node& n, const value& coll, F& f, Order order) {
    ++trace_depth_;
    value pending;  // first error seen
    bool have_error = false;
    const bool keyed = n.key_slot != none;
    // A filter with a kernel, over a list from the document: elements it rules out are skipped
    // before anything is bound.
    // (Not over a grouped filter's positions: see walk_grouped().)
    const bool from_doc = coll.kind == vkind::list && coll.node != no_node;
    const std::uint32_t kernel = plain_ && from_doc && !Order::grouped ? n.kernel : none;
    for (std::uint32_t i = 0; order.next(i);) {
      if (from_doc && !Order::grouped) fetch_ahead(coll.node, i, coll.len);
      int quick = -1;
      if (kernel != none && (quick = run_kernel(kernel, doc_.at(coll.node, i))) == 0) continue;
      value key;
      const value e = element(coll, i, keyed ? &key : nullptr);
      slots_[n.slot] = e;
      if (keyed) slots_[n.key_slot] = key;
      if (n.b != none) {
        const value flt = filter_value(n.b, n.group, order.known, quick);
        if (flt.kind == vkind::boolean && !flt.u.b) continue;
        if (flt.kind != vkind::boolean) {
          const value problem = bad(flt) ? as_error(flt, n.b)
                                         : err("'where' needs true or false, but " + std::string(p_.nodes[n.b].text) +
                                               " is " + render(flt, render_style::explanation));
          if (!have_error) pending = problem, have_error = true;
          if (!f(e, &problem)) break;
          continue;
        }
        if (!flt.u.b) continue;
      }
      if (!f(e, nullptr)) break;
    }
    --trace_depth_;
    return have_error ? pending : value::boolean(true);
  }

  // ---------------------------------------------------------------- grouped filters

  // The filter of a grouped use for an element whose key equals the probe: what the walk gives,
  // without evaluating the leftmost test (`test`, true for such an element) again. The filter is
  // an `and` chain whose left spine ends at `test`; each `and` is judged as eval_logic would.
  value filter_after_test(std::uint32_t id, std::uint32_t test) {
    if (id == test) return value::boolean(true);
    const auto& n = p_.nodes[id];
    return logic_after(n, filter_after_test(n.a, test));
  }
  // The same as test() gives for the whole filter: 1, 0, or -1 for the walk to answer.
  int test_after_test(std::uint32_t id, std::uint32_t test) {
    if (id == test) return 1;
    const auto& n = p_.nodes[id];
    const int l = test_after_test(n.a, test);
    if (l <= 0) return l;
    return this->test(n.b);
  }
  // The filter's value for an element, as the walk computes it; `known`: the element's key equals
  // the grouped filter's probe; `quick`: the kernel's answer (1) or -1.
  [[gnu::always_inline]] value filter_value(std::uint32_t filter, std::uint32_t group, bool known, int quick) {
    if (quick < 0 && known) {
      const std::uint32_t t = p_.groups[group].test;
      quick = test_after_test(filter, t);
      return quick >= 0 ? value::boolean(quick) : filter_after_test(filter, t);
    }
    if (quick < 0 && plain_) quick = test(filter);
    return quick >= 0 ? value::boolean(quick) : eval(filter);
  }

  // A grouped filter (plan::grouped_filter; docs/architecture.md) over a document list: the elements
  // whose key equals the probe's value and those whose key is not groupable, from a group_index
  // of the list built on its first use (per filter and list; on the second in a row over the same
  // list when the probe reads no name) and kept for the evaluation. Every other element's key is
  // a groupable scalar not equal to the probe, so the filter's leftmost test is false and the
  // filter, an `and` chain, is false with nothing else in it evaluated: skipping the element is
  // what the plain walk does. The visited elements run the filter as before (those of the
  // probe's group without the leftmost test again: filter_value). `all` (every element) under a
  // step budget or tracing, over a computed list, or when the probe is not a groupable scalar.
  [[gnu::noinline]] positions visit_order(std::uint32_t g, const value& coll) {
    if (!plain_ || coll.kind != vkind::list || coll.node == no_node || coll.len == 0) return {};
    const auto& gf = p_.groups[g];
    const std::uint64_t at = (std::uint64_t{g} << 32) | coll.node;
    grouped_list* gl = nullptr;
    if (!gf.correlated) {
      // A probe that reads no name may well be asked once, when a walk is cheaper than an index:
      // the index is built when the filter is asked again over the same list.
      if (group_last_.size() < p_.groups.size()) group_last_.resize(p_.groups.size(), no_node);
      const bool again = group_last_[g] == coll.node;
      group_last_[g] = coll.node;
      if (!again) {
        if (groups_.empty()) return {};
        const auto it = groups_.find(at);
        if (it == groups_.end()) return {};
        gl = &it->second;
      }
    }
    if (!gl) gl = &groups_[at];
    if (!gl->built) {
      gl->built = true;
      const auto mark = arena_.mark();
      for (std::uint32_t i = 0; i < coll.len; ++i) {
        slots_[gf.slot] = from_node(doc_, doc_.at(coll.node, i));
        const value key = eval(gf.key);
        // A string the evaluation computed lives in the arena: such an element is always visited.
        gl->index.add(i, key.kind == vkind::string && !key.from_document() ? value{} : key);
        arena_.release(mark);
      }
      gl->index.finish();
    }
    const value x = eval(gf.probe);
    if (!group_index::groupable(x)) return {};
    return positions(gl->index.find(x), gl->index.always());
  }

  struct counterexample {
    std::uint32_t begin;
    std::string name;
    std::string text;
  };

  value eval_quantifier(const plan::node& n, std::uint32_t id) {
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
      const int quick = plain_ ? test(n.c) : -1;
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

  // A join (plan::node::join) answered from an index of every F(t), t in C, built on first use
  // and kept for the evaluation, keyed by the quantifier and the document list C. nullopt when
  // the general walk must answer instead: C is not a document list, some F(t) is not a document
  // list of scalars (for `in`) or a document scalar (for `==`), X is not a scalar, a step budget
  // is set (the walk counts its steps), or a failing `none` is being explained (its deciding
  // element is shown).
  std::optional<value> join(const plan::node& n, std::uint32_t id, const value& coll) {
    if (coll.kind != vkind::list || coll.node == no_node || coll.len == 0) return std::nullopt;
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
          j.usable = f.kind == vkind::list && f.node != no_node && j.index.add_list(doc_, f.node);
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

  void note_witness(const plan::node& n, const value& e) {
    witness_node_ = static_cast<std::uint32_t>(&n - p_.nodes.data());
    witness_text_ = e.from_document() ? doc_.path(e.node) : render(e, render_style::explanation);
    counterexample c;
    c.begin = n.where.begin;
    c.name = std::string(n.bound);
    c.text = e.from_document() ? doc_.path(e.node) + " " + render(e, render_style::explanation)
                               : render(e, render_style::explanation);
    counterexamples_.push_back(std::move(c));
  }

  // The elements of a binder form: the value of n.c for each element that passes the filter, as
  // a list, or only how many pass (`count`, whose body is never evaluated). An error in a filter
  // or an element is the result.
  value collect(const plan::node& n, bool count_only) {
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
    const value status = each(n, eval(n.a), [&](const value&, const value* p) {
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
      picked.push_back(v);
      return true;
    });
    if (failed) return problem;
    if (status.kind == vkind::error) return status;
    return count_only ? value::integer(counted) : list_of(picked);
  }

  value eval_aggregate(const plan::node& n, std::uint32_t) {
    if (n.op == ast::op::count) {
      if (n.fusion != none && plain_)
        if (const value* v = fused_count(n)) return *v;
      return collect(n, true);
    }
    const value items = collect(n, false);
    return items.kind == vkind::list ? reduce(n.op, items, n) : items;
  }

  value eval_comprehension(const plan::node& n, std::uint32_t) { return collect(n, false); }

  // A count of a fusion (plan::program::fusions): the first of its group to be evaluated counts
  // them all in one pass; the others find their count kept. Their collection is a document path
  // and their filters read only the element, so the counts hold for the whole evaluation. Null
  // when a kernel cannot answer for some element (or the path is not a list from the document):
  // each count is then evaluated on its own, the general way.
  [[gnu::noinline]] const value* fused_count(const plan::node& n) {
    const auto id = static_cast<std::uint32_t>(&n - p_.nodes.data());
    for (const auto& [node, v] : fused_)
      if (node == id) return &v;
    if (fusion_failed_.empty()) fusion_failed_.resize(p_.fusions.size(), false);
    if (fusion_failed_[n.fusion]) return nullptr;
    const auto& group = p_.fusions[n.fusion];
    const value coll = eval(n.a);
    std::int64_t counts[plan::max_fused] = {};
    const std::size_t members = std::min<std::size_t>(group.size(), plan::max_fused);
    const auto& ft = (*lease_).fusion_tests[n.fusion];
    if (coll.kind != vkind::list || coll.node == no_node || ft.tests.size() > 64) {
      fusion_failed_[n.fusion] = true;
      return nullptr;
    }
    const live_term* term[64];
    for (std::size_t u = 0; u < ft.tests.size(); ++u) term[u] = &live_terms_[ft.tests[u]];
    const std::uint8_t* uses = ft.uses.data();
    const std::uint32_t* first = ft.first.data();
    const std::uint32_t len = coll.len;
    const data::document_data& d = *raw_;
    const std::uint32_t* items = d.items.data() + d.nodes[coll.node].u.range.first;
    for (std::uint32_t i = 0; i < len; ++i) {
      fetch_ahead(coll.node, i, len);
      const auto e = items[i];
      if (d.nodes[e].kind != value_kind::map) {
        fusion_failed_[n.fusion] = true;
        return nullptr;
      }
      const std::uint32_t size = d.nodes[e].u.range.count;
      std::int8_t known[64];  // per test on this element: 1 held, 0 did not, 2 not run yet
      std::memset(known, 2, sizeof known);
      for (std::size_t g = 0; g < members; ++g) {
        int r = 1;
        for (std::uint32_t k = first[g]; k < first[g + 1]; ++k) {
          const auto u = uses[k];
          if (known[u] == 2) known[u] = static_cast<std::int8_t>(run_term(*term[u], e, size));
          r = known[u];
          if (r <= 0) break;
        }
        if (r < 0) {  // a kernel cannot answer for this element: every count the general way
          fusion_failed_[n.fusion] = true;
          return nullptr;
        }
        counts[g] += r;
      }
    }
    const value* own = nullptr;
    for (std::size_t g = 0; g < members; ++g) fused_.push_back({group[g], value::integer(counts[g])});
    for (const auto& [node, v] : fused_)
      if (node == id) own = &v;
    return own;
  }

  // sum/min/max/avg over a list of values.
  value reduce(ast::op op, const value& list, const plan::node& n) {
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

  // ---------------------------------------------------------------- built-in functions

  // distinct() of a list: its elements without repeats, in order, written straight into the
  // arena; short lists (the usual case) need no hash table.
  value distinct(const value& list) {
    value* out = arena_.values(list.len);
    std::uint32_t kept = 0;
    if (list.len <= 16) {
      for (std::uint32_t i = 0; i < list.len; ++i) {
        const value v = list.node != no_node ? from_node(doc_, doc_.at(list.node, i)) : list.u.items[i];
        // Strings (the usual elements) are compared here, anything else by equal().
        const bool seen = v.kind == vkind::string ? std::any_of(out, out + kept, [&](const value& w) {
          return w.kind == vkind::string && w.len == v.len && same_bytes(w.u.s, v.u.s, v.len);
        }) : std::any_of(out, out + kept, [&](const value& w) { return equal(v, w); });
        if (!seen) out[kept++] = v;
      }
      return value::list(out, kept);
    }
    std::unordered_map<std::string_view, bool> strings;
    for (std::uint32_t i = 0; i < list.len; ++i) {
      const value v = element(list, i, nullptr);
      if (v.kind == vkind::string) {
        if (!strings.emplace(v.str(), true).second) continue;
      } else if (std::any_of(out, out + kept, [&](const value& w) { return w.kind != vkind::string && equal(v, w); })) {
        continue;
      }
      out[kept++] = v;
    }
    return value::list(out, kept);
  }

  value eval_call(const plan::node& n, std::uint32_t id) {
    using check::builtin;
    auto arg_node = [&](std::uint32_t i) { return p_.args[n.first + i]; };
    if (n.fn == builtin::has) {
      // has() never errs: any failure along the path means the path does not exist.
      const value v = eval(arg_node(0));
      return value::boolean(v.kind != vkind::missing && v.kind != vkind::error);
    }
    if (n.fn == builtin::today) return value::date(today_);
    value a[8];
    std::vector<value> extra;
    for (std::uint32_t i = 0; i < n.count; ++i) {
      const value v = eval(arg_node(i));
      if (bad(v)) return as_error(v, arg_node(i));
      if (i < 8)
        a[i] = v;
      else
        extra.push_back(v);
    }
    auto type_error = [&](std::uint32_t i, const char* want) {
      return err(std::string(check::builtins()[static_cast<int>(n.fn)].name) + "() needs " + want + ", but " +
                 std::string(p_.nodes[arg_node(i)].text) + " is " + render(a[i], render_style::explanation));
    };
    (void)id;
    switch (n.fn) {
      case builtin::count:
        if (!iterable(a[0])) return type_error(0, "a list or map");
        return value::integer(a[0].len);
      case builtin::sum:
      case builtin::avg:
        if (a[0].kind != vkind::list) return type_error(0, "a list");
        return reduce(n.fn == builtin::sum ? ast::op::sum : ast::op::avg, a[0], n);
      case builtin::min:
      case builtin::max: {
        const ast::op op = n.fn == builtin::min ? ast::op::min : ast::op::max;
        if (n.count == 1) {
          if (a[0].kind != vkind::list) return type_error(0, "a list (or several values)");
          return reduce(op, a[0], n);
        }
        value* items = arena_.values(n.count);
        for (std::uint32_t i = 0; i < n.count; ++i) items[i] = i < 8 ? a[i] : extra[i - 8];
        return reduce(op, value::list(items, n.count), n);
      }
      case builtin::distinct:
        if (a[0].kind != vkind::list) return type_error(0, "a list");
        return distinct(a[0]);
      case builtin::flatten: {
        if (a[0].kind != vkind::list) return type_error(0, "a list");
        std::vector<value> out;
        for (std::uint32_t i = 0; i < a[0].len; ++i) {
          const value v = element(a[0], i, nullptr);
          if (v.kind == vkind::list)
            for (std::uint32_t j = 0; j < v.len; ++j) out.push_back(element(v, j, nullptr));
          else
            out.push_back(v);
        }
        return list_of(out);
      }
      case builtin::keys:
      case builtin::values: {
        if (a[0].kind != vkind::map) return type_error(0, "a map");
        std::vector<value> out;
        for (std::uint32_t i = 0; i < a[0].len; ++i) {
          value key;
          const value v = element(a[0], i, &key);
          out.push_back(n.fn == builtin::keys ? key : v);
        }
        return list_of(out);
      }
      case builtin::lower:
      case builtin::upper:
      case builtin::trim: {
        if (a[0].kind != vkind::string) return type_error(0, "a string");
        std::string s(a[0].str());
        if (n.fn == builtin::trim) {
          const auto first = s.find_first_not_of(" \t\r\n");
          const auto last = s.find_last_not_of(" \t\r\n");
          s = first == std::string::npos ? std::string() : s.substr(first, last - first + 1);
        } else {
          for (auto& c : s)
            c = static_cast<char>(n.fn == builtin::lower ? std::tolower(static_cast<unsigned char>(c))
                                                         : std::toupper(static_cast<unsigned char>(c)));
        }
        return value::string(arena_.copy(s));
      }
      case builtin::contains:
        if (a[0].kind == vkind::list) {
          for (std::uint32_t i = 0; i < a[0].len; ++i)
            if (equal(a[1], element(a[0], i, nullptr))) return value::boolean(true);
          return value::boolean(false);
        }
        if (a[0].kind != vkind::string) return type_error(0, "a string or a list");
        if (a[1].kind != vkind::string) return type_error(1, "a string");
        return value::boolean(a[0].str().find(a[1].str()) != std::string_view::npos);
      case builtin::starts_with:
      case builtin::ends_with: {
        if (a[0].kind != vkind::string) return type_error(0, "a string");
        if (a[1].kind != vkind::string) return type_error(1, "a string");
        const auto s = a[0].str(), part = a[1].str();
        if (part.size() > s.size()) return value::boolean(false);
        return value::boolean(n.fn == builtin::starts_with ? s.substr(0, part.size()) == part
                                                           : s.substr(s.size() - part.size()) == part);
      }
      case builtin::matches: return regex_match(a[0], a[1], n);
      case builtin::date: {
        if (a[0].kind == vkind::date) return a[0];
        if (a[0].kind != vkind::string) return type_error(0, "a string such as \"2026-03-31\"");
        const auto d = date::parse(a[0].str());
        if (!d) return err("not a date: " + render(a[0], render_style::explanation) + " (write YYYY-MM-DD)");
        return value::date(*d);
      }
      case builtin::days_between:
      case builtin::months_between:
      case builtin::years_between: {
        if (a[0].kind != vkind::date) return type_error(0, "a date");
        if (a[1].kind != vkind::date) return type_error(1, "a date");
        if (n.fn == builtin::days_between) return value::integer(std::int64_t{a[1].u.days} - a[0].u.days);
        const std::int64_t m = months(date{a[0].u.days}, date{a[1].u.days});
        return value::integer(n.fn == builtin::months_between ? m : m / 12);
      }
      case builtin::round: {
        if (!a[0].is_number()) return type_error(0, "a number");
        std::int64_t digits = 0;
        if (n.count == 2) {
          if (a[1].kind != vkind::integer) return type_error(1, "a whole number of digits");
          digits = std::clamp<std::int64_t>(a[1].u.i, -15, 15);
        }
        if (a[0].kind == vkind::integer && digits >= 0) return a[0];
        const double f = std::pow(10.0, static_cast<double>(digits));
        const double r = std::round(a[0].as_double() * f) / f;
        if (digits <= 0 && std::abs(r) < 9e15) return value::integer(static_cast<std::int64_t>(r));
        return value::number(r);
      }
      case builtin::percent: {
        if (!a[0].is_number()) return type_error(0, "a number");
        const double r = std::round(a[0].as_double() * 1000.0) / 10.0;
        return value::string(arena_.copy(format_number(r == 0 ? 0.0 : r) + "%"));
      }
      case builtin::length:
        if (a[0].kind == vkind::string) return value::integer(diag::count_chars(a[0].str()));
        if (iterable(a[0])) return value::integer(a[0].len);
        return type_error(0, "a string or a list");
      case builtin::abs:
        if (a[0].kind == vkind::integer) {
          if (a[0].u.i == std::numeric_limits<std::int64_t>::min()) return err("integer overflow: " + std::string(n.text));
          return value::integer(a[0].u.i < 0 ? -a[0].u.i : a[0].u.i);
        }
        if (a[0].kind == vkind::number) return value::number(std::abs(a[0].u.d));
        return type_error(0, "a number");
      case builtin::join: {
        if (a[0].kind != vkind::list) return type_error(0, "a list");
        if (a[1].kind != vkind::string) return type_error(1, "a string");
        std::string out;
        for (std::uint32_t i = 0; i < a[0].len; ++i) {
          if (i) out += a[1].str();
          out += render(element(a[0], i, nullptr), render_style::whole);
          if (out.size() > opts_.max_string_bytes)
            return err("join() would make a string longer than the limit of " +
                       std::to_string(opts_.max_string_bytes) + " bytes (evaluate_options::max_string_bytes)");
        }
        return value::string(arena_.copy(out));
      }
      case builtin::has:
      case builtin::today: break;
    }
    return err("internal error: unknown function");
  }

  static std::int64_t months(date from, date to) {
    if (to < from) return -months(to, from);
    const auto a = from.to_ymd(), b = to.to_ymd();
    std::int64_t m = (std::int64_t{b.year} - a.year) * 12 + (std::int64_t{b.month} - a.month);
    if (b.day < a.day) --m;
    return m;
  }

  value list_of(const std::vector<value>& vs) {
    value* items = arena_.values(vs.size());
    std::copy(vs.begin(), vs.end(), items);
    return value::list(items, static_cast<std::uint32_t>(vs.size()));
  }

  // ---------------------------------------------------------------- state

  const plan::program& p_;
  data::document_view doc_;
  const evaluate_options& opts_;
  date today_;
  std::uint64_t steps_ = 0, max_steps_ = 0;
  bool counting_ = false;  // a step budget is set
  bool plain_ = true;      // neither counting nor tracing: the fast paths apply
  void set_tracing(bool on) {
    tracing_ = on;
    plain_ = !tracing_ && !counting_;
  }
  scratch_lease lease_;
  std::vector<value>& slots_ = (*lease_).slots;
  std::vector<std::uint32_t>& sym_keys_ = (*lease_).sym_keys;
  // The document's arrays, for run_term (a document without data has no map to run it on).
  const data::document_data* raw_ = doc_.storage();
  std::vector<std::uint32_t>& hints_ = (*lease_).hints;  // per field node (plan::node::hint): where its key was found last
  std::vector<live_term>& live_terms_ = (*lease_).live_terms;  // every kernel's terms, kernel k's from kernel_first_[k]
  std::vector<std::uint32_t>& kernel_first_ = (*lease_).kernel_first;
  std::vector<std::pair<std::uint32_t, value>>& fused_ = (*lease_).fused;  // counts of fusions, by node, once counted
  std::vector<bool>& fusion_failed_ = (*lease_).fusion_failed;             // fusions a kernel could not answer
  std::vector<std::unique_ptr<std::vector<value>>>& collect_scratch_ = (*lease_).collect;  // collect(): one per nesting level
  std::size_t collect_depth_ = 0;
  arena& arena_ = (*lease_).memory;
  // Patterns read from the data, compiled once per evaluation: at most this many, of this much text.
  static constexpr std::size_t max_cached_regexes = 256;
  static constexpr std::size_t max_cached_regex_bytes = 1024 * 1024;
  std::unordered_map<std::string, std::unique_ptr<RE2>> regex_cache_;
  std::size_t regex_cache_bytes_ = 0;
  indexed_lists& searched_ = (*lease_).searched;  // by document list node
  indexed_lists& joins_ = (*lease_).joins;        // by (quantifier << 32 | collection node)
  struct grouped_list {
    bool built = false;
    group_index index;
  };
  std::unordered_map<std::uint64_t, grouped_list> groups_;  // by (grouped filter << 32 | collection node)
  std::vector<std::uint32_t>& group_last_ = (*lease_).group_last;  // per grouped filter: the list it was last asked over

  const plan::rule* rule_ = nullptr;
  std::uint32_t rule_index_ = none;
  rule_result* result_ = nullptr;
  std::vector<std::pair<const plan::step*, value>>& subject_ = (*lease_).subject;
  found* found_ = nullptr;  // while finding: where violations are noted
  bool defer_ = false;      // while finding without a step budget: failing subjects may wait

  bool tracing_ = false;
  int trace_depth_ = 0;
  std::vector<std::pair<std::uint32_t, value>>* trace_out_ = nullptr;
  std::vector<counterexample> counterexamples_;
  // What explain() shows, before it is rendered: a traced value or a counterexample.
  struct explained {
    std::uint32_t begin, end;
    std::uint32_t node;
    const value* val;
    const counterexample* example;
  };
  std::vector<std::uint32_t> scratch_hidden_;
  std::vector<std::string_view> scratch_seen_;
  std::vector<explained> scratch_items_;
  std::uint32_t witness_node_ = none;  // the quantifier whose deciding element was last noted
  std::string witness_text_;
};

}  // namespace

std::optional<constant_result> constant_value(const plan::program& program, std::uint32_t node) {
  const document none_doc;
  const evaluate_options options;
  evaluator e(program, none_doc, options);
  const value v = e.constant(node);
  switch (v.kind) {
    case vkind::null:
    case vkind::boolean:
    case vkind::integer:
    case vkind::number:
    case vkind::date: return constant_result{v, {}};
    case vkind::string: return constant_result{v, std::string(v.str())};
    default: return std::nullopt;  // errors stay to be reported at run time; lists would need copying
  }
}

namespace {

[[noreturn]] void step_limit_error(const plan::program& program, const document& doc, const evaluate_options& options,
                                   std::uint32_t r) {
  diagnostic d;
  d.code = "step-limit";
  d.message = "evaluation stopped" +
              (r < program.infos.size() ? " in rule " + program.infos[r].full_id : std::string()) +
              ": the step budget of " + std::to_string(options.max_steps) + " was used up";
  d.origin = doc.empty() ? std::string() : doc.origin();
  d.help = "raise the budget, or simplify rules that loop over large lists inside other loops";
  throw joinup::error({d});
}

}  // namespace

evaluation_result evaluate(const plan::program& program, const document& doc, const std::vector<std::uint32_t>& rules,
                           const evaluate_options& options) {
  evaluator e(program, doc, options);
  try {
    found f = e.find_all(rules);
    return e.render_all(f, f.rules);
  } catch (const step_limit_reached&) {
    step_limit_error(program, doc, options, e.rule_index());
  }
}

found find(const plan::program& program, const document& doc, const std::vector<std::uint32_t>& rules,
           const evaluate_options& options) {
  evaluator e(program, doc, options);
  try {
    return e.find_all(rules);
  } catch (const step_limit_reached&) {
    step_limit_error(program, doc, options, e.rule_index());
  }
}

violation render(const plan::program& program, const document& doc, const evaluate_options& options, const found& f,
                 std::size_t i) {
  evaluator e(program, doc, options);
  return e.render_one(f, i);
}

evaluation_result render_all(const plan::program& program, const document& doc, const evaluate_options& options,
                             const found& f, const std::vector<findings::rule_outcome>& rules) {
  evaluator e(program, doc, options);
  return e.render_all(f, rules);
}

}  // namespace joinup::eval
