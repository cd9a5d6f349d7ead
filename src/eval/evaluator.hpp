// The evaluator, private to src/eval/: the class that walks a plan over a document, shared by the
// files that define its parts —
//   rules.cpp     the walk over rules and subjects, and the violations it finds
//   expr.cpp      the expression walk: operators, comparison, paths, indexes
//   binders.cpp   quantifiers, aggregates and comprehensions (each(): the loop over a collection)
//   builtins.cpp  the built-in functions
//   explain.cpp   explanations, messages and the printing of values
//   the fast paths, each in its own file: kernels.cpp and kernels.hpp (filter kernels),
//   quick_test.hpp (filters answered without building values), groups.cpp (grouped filters),
//   joins.cpp (joins), fusions.cpp (fused counts);
//   scratch.hpp   what an evaluator keeps for the next evaluation on its thread;
//   evaluate.cpp  the entry points (eval.hpp, constant.hpp).
// Every fast path is chosen in one place (fast_paths_on(), below) and must give what the plain
// walk gives; docs/architecture.md says how that is tested.
#pragma once

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

#include "data/storage.hpp"
#include "diag/text.hpp"
#include "eval/eval.hpp"
#include "eval/index.hpp"
#include "eval/scratch.hpp"

namespace joinup::eval {

struct step_limit_reached {};
// evaluate_options::max_memory_bytes used up: what the arena would hold, or a list or string
// being built, would pass it.
using memory_limit_reached = values::arena_limit_reached;

// Numbers as messages and explanations print them (explain.cpp).
std::string format_number(double d);
// " (write dates as YYYY-MM-DD)" when v is a string that reads as a date written another way
// ("01/04/2016", "1 April 2016", "2016/04/01", "2016-4-1"), else "": what a date operation that
// met it adds to its error.
std::string date_hint(const value& v);

inline void append_int(std::string& out, std::int64_t i) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, i);
  out.append(buf, r.ptr);
}

inline const char* kind_name(vkind k) {
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

class evaluator {
 public:
  evaluator(const plan::program& p, const document& doc, const evaluate_options& o) : p_(p), doc_(doc), opts_(o) {
    today_ = o.as_of ? *o.as_of : joinup::today();
    max_steps_ = o.max_steps ? o.max_steps : std::numeric_limits<std::uint64_t>::max();
    counting_ = o.max_steps != 0;
    plain_ = !counting_;
    max_memory_ = o.max_memory_bytes ? o.max_memory_bytes : std::numeric_limits<std::uint64_t>::max();
    arena_.set_limit(static_cast<std::size_t>(std::min<std::uint64_t>(max_memory_, SIZE_MAX)));
    slots_.assign(p.max_slots, value{});
    hints_.resize(p.hints);  // hints kept from an earlier evaluation are checked before use
    resolve_symbols();
  }

  value constant(std::uint32_t node) { return eval(node); }
  // Count each rule's clauses into `out` (evaluate_options::count_clauses), one entry per rule
  // find_all() decides; render_all() hands them to the rules' results.
  void count_clauses_into(std::vector<std::vector<clause_count>>* out) { counts_out_ = out; }
  // The rule being evaluated (no_index before the first), for the step-limit error.
  std::uint32_t rule_index() const { return rule_index_; }

  // Decides every selected rule; violations that can wait are kept as their bindings (see found).
  found find_all(const std::vector<std::uint32_t>& rules);

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
      if (counts_out_)
        if (const auto at = static_cast<std::size_t>(&r - rules.data()); at < counts_out_->size())
          res.clauses = (*counts_out_)[at];
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
  violation render_one(const found& f, std::size_t i);

 private:
  // ---------------------------------------------------------------- rules and subjects

  // Renders a deferred violation into res: the rule's bindings restored as they were when its
  // require failed, then the same fail() that renders a violation at once.
  void render_pending(const found& f, const found::pending& pd, rule_result& res);

  // A binding that stays valid after evaluation moves on: a document value or a plain scalar
  // (not a string or list built in the evaluation's scratch memory).
  static bool lasting(const value& v);

  // The data node a violation of the current subject is about (findings::violation_ref::subject).
  std::uint32_t subject_node() const;

  // Keeps a failing or undetermined subject (`kind`, at require rq) as its bindings when they all
  // last; false when it must be rendered now.
  bool defer(const plan::require& rq, outcome kind);

  // A violation of the current subject, in what find() returns: deferred, or rendered at once.
  [[gnu::always_inline]] inline void note_found(outcome kind, const found::pending& pd);

  void run_rule(std::uint32_t index);
  // A guard of the rule's `when` (plan::rule::guards) surely reads as missing: the rule is not
  // applicable (fast paths only, and not while clauses are counted).
  bool guarded_out(const plan::rule& rule) const;

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

  // Steps k.. of the rule over the current subject. With Count (evaluate_options::count_clauses)
  // each `where` and `require` is counted as it is judged (clause_count), over the plain loop:
  // every element's filter is evaluated, as the grouped and kernel paths answer it.
  template <bool Count>
  void walk(std::size_t k);
  // The counts of the current rule's clauses (count_clauses): made at the start of each rule.
  [[gnu::noinline, gnu::cold]] void begin_counts(const plan::rule& rule);
  [[gnu::cold]] static void count(clause_count& c, const value& v) {
    if (v.kind != vkind::boolean)
      ++c.undetermined;
    else
      ++(v.u.b ? c.held : c.failed);
  }

  // Step k over the positions of a grouped filter (visit_order). The filter's kernel, if it has
  // one, is not run: an element of the probe's group has the kernel's first test answered already
  // and the rest tested by filter_value(), and the walk answers for the others.
  [[gnu::noinline]] void walk_grouped(std::size_t k, const value& coll, positions order);

  // Element i of step k's collection over a grouped filter's positions. `known`: the element's
  // key equals its grouped filter's probe (filter_value).
  void walk_element(std::size_t k, const value& coll, std::uint32_t i, bool known);

  // Element i of step st (step k) bound (and its key), the step's `where` asked of keeps() (only
  // when it has one), and the rest of the steps walked: the body of both loops over a step, inline
  // in each (walk()'s plain loop is the hot one; keeps() is how the two loops differ).
  template <bool Count, class Keeps>
  [[gnu::always_inline]] inline void visit_element(const plan::step& st, std::size_t k, const value& coll,
                                                   std::uint32_t i, Keeps&& keeps);

  // Whether a `for each` step goes on with the element its `where` gave f for: a value that is
  // not true or false makes that subject undetermined.
  bool step_keeps(const plan::step& st, const value& f) {
    return f.kind == vkind::boolean ? f.u.b : step_undetermined(st, f);
  }
  [[gnu::noinline, gnu::cold]] bool step_undetermined(const plan::step& st, const value& f);

  template <bool Count>
  void judge();

  // A failing subject: kept as its bindings when they last (defer), else rendered now
  // (fail_now). Violations are built where they are kept (no move of the whole record).
  void fail(const plan::require& rq) {
    if (defer_ && defer(rq, outcome::fail)) return;
    fail_now(rq);
  }
  void fail_now(const plan::require& rq);

  void undetermined(std::string reason, std::uint32_t node, const plan::require* rq, std::string clause = "require");
  // A require whose value v is neither true nor false: the subject is undetermined.
  void require_undetermined(const plan::require& rq, const value& v);

  // "leaver in partnership.leavers" for the for-each step whose collection is `node`.
  std::string for_each_text(std::uint32_t node) const;

  violation& base_violation(outcome kind, const plan::require* rq);

  // The subject: the innermost element's path, or the paths of each level where they differ.
  std::string subject_path() const;

  // Where in the data file a violation points: the innermost subject element; for a rule without
  // `for each`, the outermost document value the failing expression read (or the map that lacks
  // a missing key), so that even root-level findings point at a line.
  void place(violation& v, const std::vector<std::pair<std::uint32_t, value>>& traced);

  // ---------------------------------------------------------------- explanations

  // Re-evaluates an expression recording the value of every sub-expression outside loop bodies.
  std::vector<std::pair<std::uint32_t, value>> trace(std::uint32_t node);

  std::vector<explanation_entry> explain(std::uint32_t root,
                                         const std::vector<std::pair<std::uint32_t, value>>& traced);

  std::string automatic_message(const plan::require& rq, const std::vector<std::pair<std::uint32_t, value>>& traced);

  std::string render_template(const plan::text_template& t);

  // ---------------------------------------------------------------- rendering values

  std::string render(const value& v, render_style style, int budget = 6) const;

  void render_into(std::string& out, const value& v, render_style style, int budget) const;

  // ---------------------------------------------------------------- errors

  std::string_view make_error(std::string msg) { return arena_.copy(msg); }
  value err(std::string msg) { return value::error(make_error(std::move(msg))); }

  // The text of an error or missing value, naming the path or the operation.
  std::string error_text(const value& v, std::uint32_t node) const;

  std::string missing_text(const value& m, std::uint32_t node) const;

  // Operands that are errors or missing turn into the error that names them; nullptr if fine.
  bool bad(const value& v) const { return v.kind == vkind::error || v.kind == vkind::missing; }
  value as_error(const value& v, std::uint32_t node);

  // ---------------------------------------------------------------- collections

  static bool iterable(const value& v) { return v.kind == vkind::list || v.kind == vkind::map; }

  std::string iterate_error(const value& v, std::uint32_t node);

  // Element i of a list or map (map: its values; `key` receives the index or the key).
  value element(const value& coll, std::uint32_t i, value* key) const {
    if (coll.kind == vkind::map) {
      if (key) *key = value::string(doc_.key_text(doc_.key_at(coll.node, i)));
      return from_node(doc_, doc_.value_at(coll.node, i));
    }
    if (key) *key = value::integer(i);
    if (coll.node != no_index) return from_node(doc_, doc_.at(coll.node, i));
    return coll.u.items[i];
  }

  // ---------------------------------------------------------------- comparison

  bool equal(const value& a, const value& b) const;

  // <0, 0, >0; or an error value in *e for values that have no order between them.
  int order(const value& a, const value& b, std::uint32_t node, value* e);

  // ---------------------------------------------------------------- the expression walk

  // Counting steps and recording a trace are needed only with a step budget and while explaining
  // a failing subject; the common case skips both.
  // A constant or a bound name, the commonest nodes, is read here without eval_node()'s frame.
  [[gnu::always_inline]] value eval(std::uint32_t id) {
    if (plain_) [[likely]] {
      const auto& n = p_.nodes[id];
      if (n.code == opcode::constant) return n.constant;
      if (n.code == opcode::slot) return slots_[n.slot];
      return eval_node(id);
    }
    return eval_instrumented(id);
  }

  value eval_instrumented(std::uint32_t id);

  // ---------------------------------------------------------------- budgets

  // Work beyond evaluating a node, charged to the step budget: n elements built or compared, or
  // n * 64 bytes copied or scanned (docs/language.md, "Limits"). Free without a step budget.
  void charge(std::uint64_t n) const {
    if (counting_) [[unlikely]] {
      if (steps_ > max_steps_ || n > max_steps_ - steps_) throw step_limit_reached{};
      steps_ += n;
    }
  }
  static std::uint64_t byte_steps(std::uint64_t bytes) { return bytes / 64 + 1; }
  // A list or string of `bytes` about to be built outside the arena (a vector growing, a string
  // being joined), added to what the arena holds, must stay within the memory budget.
  void check_memory(std::uint64_t bytes) const {
    if (bytes > max_memory_ || arena_.held() > max_memory_ - bytes) throw memory_limit_reached{};
  }
  // Before a vector of values grows past its capacity.
  void check_growth(const std::vector<value>& v) const {
    if (v.size() == v.capacity()) [[unlikely]]
      check_memory((v.size() * 2 + 1) * sizeof(value));
  }

  // ---------------------------------------------------------------- the fast paths' one switch

  // Every fast path asks here before it runs (filter kernels, quick tests, slot reads, path
  // comparisons, the count/distinct shortcuts, grouped filters, fused counts): a fast path is
  // off while the evaluator counts steps or traces, so that the plain walk does everything, step
  // by step, and step counts and explanations do not depend on which fast paths exist. A new
  // fast path asks fast_paths_on() (or kernel_for / quick_test) and is off there by construction.
  // (Joins decide for themselves in joins.cpp: off under a step budget, on while an `any` is
  // explained, since its deciding element is found the same way.)
  bool fast_paths_on() const { return plain_; }
  std::uint32_t kernel_for(std::uint32_t kernel) const { return plain_ ? kernel : no_index; }
  int quick_test(std::uint32_t filter) { return plain_ && p_.nodes[filter].testable ? test(filter) : -1; }
  // The same for a `when`, a let or a require (run_rule, walk, judge).
  int quick_condition(std::uint32_t id) {
    const auto& n = p_.nodes[id];
    return plain_ && n.testable ? test(id) : -1;
  }

  value eval_node(std::uint32_t id);
  // A field node's value (a chain of steps from a name), read in one loop; only where the fast
  // paths are on (the plain walk evaluates, counts and traces every step).
  value field_chain(const plan::node& last);

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
    if (hint_index != no_index) {
      const std::uint32_t hint = hints_[hint_index];
      if (hint < size && doc_.key_at(map, hint) == k) return doc_.value_at(map, hint);
    }
    return lookup_missed(map, size, k, hint_index);
  }
  [[gnu::noinline]] std::uint32_t lookup_missed(std::uint32_t map, std::uint32_t size, document::key_id k,
                                                std::uint32_t hint_index);

  // A chain of fields from a bound name (plan::node::slot_path) read straight from the
  // document; false when a step's object is not a map or lacks the key, for the general walk
  // to answer (and name what is missing).
  bool read_path(const plan::node& n, value& out);
  // The document node such a path (or a chain of fields from a document name, node::doc_rooted)
  // names, or npos.
  std::uint32_t path_node(const plan::node& n);

  // A path_vs_constant comparison: 1, 0, or -1 when the path cannot be read or the comparison
  // does not give true or false. A string or whole number compared for (in)equality with a
  // value of its own kind is answered from the document node without making a value.
  int path_vs_constant(const plan::node& n);
  // `(x.f ?? "d") == "s"` (or !=), a defaulted path (present_path) compared with a string: 1, 0,
  // or -1 when the general walk must answer (the path holds something other than a string or
  // null, the default is not a string, the bound name holds an error, or the path is of another
  // form and not surely missing).
  int defaulted_vs_constant(const plan::node& n);

  // A filter or condition answered without building values: 1 true, 0 false, -1 when the
  // general walk must answer (an operand is missing, an error, not a boolean, or a form this
  // does not cover). Covers comparisons of a path (or a path with a `??` default) with a
  // constant, paths, bound names and constants that are booleans, `has(path)`, `path ??
  // true|false`, counts of a bound name or a path against a whole number, bound names against a
  // constant, and `and`/`or`/`not` of those, where a side that decides answers whatever the other
  // side is (plan::node::testable marks what it may answer). Only reads: the walk may evaluate it
  // again.
  int test(std::uint32_t id);
  // For test(): no_index when the path surely reads as missing; else the document node a chain of
  // fields from a bound name or a document name reads, no_index when it reads missing or null, and
  // no_index - 1 when the path is of another form or its bound name holds an error.
  std::uint32_t present_path(std::uint32_t id);
  // count(x) or count(x ?? [..]) as test() reads it: the count, or -1 when the walk must answer.
  std::int64_t quick_count(std::uint32_t id);
  static int integers_compared(ast::op op, std::int64_t l, std::int64_t r);

  // The document's key id of each symbol of the program, and the kernels' terms with them: kept
  // in the scratch with the uids of the pair, so that evaluating the same program on the same
  // document again (on this thread) finds them done.
  void resolve_symbols();
  // The scratch's table of the program's symbols by hash (scratch::symbol_slots), for seed.
  void index_symbols(std::uint64_t seed);

  // The tests of each fusion's group (scratch::fused_tests), for fused_count.
  void resolve_fusions();

  void resolve_kernels();

  // A filter kernel (plan::filter_kernel) on the document node of one element: 1 true, 0 false,
  // -1 when the general walk must answer.
  int run_kernel(std::uint32_t k, std::uint32_t element);

  // One term of a kernel on an element's map (of `size` entries): 1, 0 or -1. Reads the
  // document's arrays directly (the hot loop of kernels and fused counts); a key not where its
  // hint says is looked up the usual way.
  int run_term(const live_term& t, std::uint32_t element, std::uint32_t size);

  value eval_index(const plan::node& n);

  // ---------------------------------------------------------------- definitions

  // A def's call: the arguments evaluated in the caller's frame, then the def's one body in its
  // own frame of slots (plan::definition). Out of line: rules without definitions never come here.
  [[gnu::noinline]] value eval_call_def(const plan::node& n, std::uint32_t id);
  // A file-level let's value: computed on its first use in the evaluation, in an arena of its own
  // (rules release theirs as they go), and kept for the rest of it.
  [[gnu::noinline]] value global_value(const plan::node& n);

  [[gnu::always_inline]] inline value eval_unary(const plan::node& n);

  // `and`/`or`: a deciding operand (false for and, true for or) wins over an error on either side.
  [[gnu::always_inline]] inline value eval_logic(const plan::node& n);
  // An `and`/`or` whose left operand has been evaluated to l.
  value logic_after(const plan::node& n, value l);

  [[gnu::always_inline]] inline value eval_binary(const plan::node& n);

  // ==, !=, <, <=, >, >= of two values that are neither missing nor errors.
  value compare(const plan::node& n, const value& l, const value& r);

  value membership(const value& x, const value& coll, const plan::node& n);

  value regex_match(const value& s, const value& pattern, const plan::node& n);

  value arithmetic(const plan::node& n, const value& l, const value& r);

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
    if (!iterable(coll)) return coll.kind == vkind::missing ? as_error(coll, n.a) : err(iterate_error(coll, n.a));
    if (n.group != no_index)
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
    const bool keyed = n.key_slot != no_index;
    // A filter with a kernel, over a list from the document: elements it rules out are skipped
    // before anything is bound.
    // (Not over a grouped filter's positions: see walk_grouped().)
    const bool from_doc = coll.kind == vkind::list && coll.node != no_index;
    const std::uint32_t kernel = from_doc && !Order::grouped ? kernel_for(n.kernel) : no_index;
    for (std::uint32_t i = 0; order.next(i);) {
      if (from_doc && !Order::grouped) fetch_ahead(coll.node, i, coll.len);
      int quick = -1;
      if (kernel != no_index && (quick = run_kernel(kernel, doc_.at(coll.node, i))) == 0) continue;
      value key;
      const value e = element(coll, i, keyed ? &key : nullptr);
      slots_[n.slot] = e;
      if (keyed) slots_[n.key_slot] = key;
      if (n.b != no_index) {
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
  value filter_after_test(std::uint32_t id, std::uint32_t test);
  // The same as test() gives for the whole filter: 1, 0, or -1 for the walk to answer.
  int test_after_test(std::uint32_t id, std::uint32_t test);
  // The filter's value for an element, as the walk computes it; `known`: the element's key equals
  // the grouped filter's probe; `quick`: the kernel's answer (1) or -1.
  [[gnu::always_inline]] value filter_value(std::uint32_t filter, std::uint32_t group, bool known, int quick) {
    if (quick < 0 && known) {
      const std::uint32_t t = p_.groups[group].test;
      quick = test_after_test(filter, t);
      return quick >= 0 ? value::boolean(quick) : filter_after_test(filter, t);
    }
    if (quick < 0) quick = quick_test(filter);
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
  // step budget or tracing, over a computed list, in a small document, or when the probe is not a
  // groupable scalar.
  [[gnu::noinline]] positions visit_order(std::uint32_t g, const value& coll);
  static constexpr std::size_t grouped_from_nodes = 256;  // documents of fewer nodes walk every list

  struct counterexample {
    std::uint32_t begin;
    std::string name;
    std::string text;
  };

  value eval_quantifier(const plan::node& n, std::uint32_t id);

  // A join (plan::node::join) answered from an index of every F(t), t in C, built on first use
  // and kept for the evaluation, keyed by the quantifier and the document list C. nullopt when
  // the general walk must answer instead: C is not a document list, some F(t) is not a document
  // list of scalars (for `in`) or a document scalar (for `==`), X is not a scalar, a step budget
  // is set (the walk counts its steps), or a failing `none` is being explained (its deciding
  // element is shown).
  std::optional<value> join(const plan::node& n, std::uint32_t id, const value& coll);

  void note_witness(const plan::node& n, const value& e);

  // The elements of a binder form: the value of n.c for each element that passes the filter, as
  // a list, or only how many pass (`count`, whose body is never evaluated). An error in a filter
  // or an element is the result.
  value collect(const plan::node& n, bool count_only) { return collect(n, eval(n.a), count_only); }
  // The same over the collection already evaluated.
  value collect(const plan::node& n, const value& coll, bool count_only);
  // count(x in C where F) over a short list (at most quick_count_max elements) whose every
  // element the filter's kernel or the quick test answers: counted in a plain loop, without
  // collect()'s and each()'s set-up. -1 when the walk must count (C is not a list, the form is
  // keyed, the list is long enough for a grouped filter to pay, or an element's filter needs
  // the walk); fast paths only.
  std::int64_t quick_counted(const plan::node& n, const value& coll);
  static constexpr std::uint32_t quick_count_max = 16;
  // The list [E for x in C where F] the same way: false when the walk must build it (as
  // quick_counted, or when an element's value is missing or an error).
  bool quick_picked(const plan::node& n, const value& coll, value& out);

  value eval_aggregate(const plan::node& n);
  // first(x in xs where f): the first element that passes the filter, or a missing value that
  // says none does (missing_text()).
  value eval_first(const plan::node& n);

  value eval_comprehension(const plan::node& n);

  // A count of a fusion (plan::program::fusions): the first of its group to be evaluated counts
  // them all in one pass; the others find their count kept. Their collection is a document path
  // and their filters read only the element, so the counts hold for the whole evaluation. Null
  // when a kernel cannot answer for some element (or the path is not a list from the document):
  // each count is then evaluated on its own, the general way.
  [[gnu::noinline]] const value* fused_count(const plan::node& n);

  // sum/min/max/avg over a list of values.
  value reduce(ast::op op, const value& list, const plan::node& n);

  // ---------------------------------------------------------------- built-in functions

  // distinct() of a list: its elements without repeats, in order, written straight into the
  // arena; short lists (the usual case) need no hash table.
  value distinct(const value& list);

  value eval_call(const plan::node& n);

  // Whether a path (fields and indexes from a document name or a bound name) surely reads as
  // missing, not as an error, without reading it: a field step names a key the document has
  // nowhere and what comes before it makes no error (a document name never does; a bound name
  // when it holds none; a field step only passes one on), or an index step's object is such a
  // path (a missing object is the index's answer). Then `has(x)` is false and `x ?? y` is y: the
  // common case of `when has(partnership.x)` and `partnership.x ?? default` on a small document.
  bool surely_missing(std::uint32_t id) const {
    const auto& n = p_.nodes[id];
    switch (n.code) {
      case opcode::doc_name: return sym_keys_[n.sym] == no_index;
      case opcode::field: return (sym_keys_[n.sym] == no_index && makes_no_error(n.a)) || surely_missing(n.a);
      case opcode::index: return surely_missing(n.a);
      default: return false;
    }
  }
  bool makes_no_error(std::uint32_t id) const {
    const plan::node* n = &p_.nodes[id];
    while (n->code == opcode::field) n = &p_.nodes[n->a];
    return n->code == opcode::doc_name || (n->code == opcode::slot && slots_[n->slot].kind != vkind::error);
  }

  static std::int64_t months(date from, date to);

  value list_of(const std::vector<value>& vs) {
    charge(vs.size());
    value* items = arena_.values(vs.size());
    std::copy(vs.begin(), vs.end(), items);
    return value::list(items, static_cast<std::uint32_t>(vs.size()));
  }

  // ---------------------------------------------------------------- state

  const plan::program& p_;
  data::document_view doc_;
  const evaluate_options& opts_;
  date today_;
  mutable std::uint64_t steps_ = 0;  // charge() counts from const members (equal())
  std::uint64_t max_steps_ = 0;
  std::uint64_t max_memory_ = 0;
  bool counting_ = false;  // a step budget is set
  bool plain_ = true;      // neither counting nor tracing: read only by eval() and the fast paths' switch
  void set_tracing(bool on) {
    tracing_ = on;
    plain_ = !tracing_ && !counting_;
  }
  scratch_lease lease_;
  std::vector<value>& slots_ = (*lease_).slots;
  std::vector<std::uint32_t>& sym_keys_ = (*lease_).sym_keys;
  // The document's arrays, for run_term (a document without data has no map to run it on).
  const data::document_data* raw_ = doc_.storage();
  std::vector<std::uint32_t>& hints_ =
      (*lease_).hints;  // per field node (plan::node::hint): where its key was found last
  std::vector<live_term>& live_terms_ = (*lease_).live_terms;  // every kernel's terms, kernel k's from kernel_first_[k]
  std::vector<std::uint32_t>& kernel_first_ = (*lease_).kernel_first;
  std::vector<std::pair<std::uint32_t, value>>& fused_ = (*lease_).fused;  // counts of fusions, by node, once counted
  std::vector<bool>& fusion_failed_ = (*lease_).fusion_failed;             // fusions a kernel could not answer
  std::vector<std::unique_ptr<std::vector<value>>>& collect_scratch_ =
      (*lease_).collect;  // collect(): one per nesting level
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
  std::vector<std::uint32_t>& group_last_ =
      (*lease_).group_last;  // per grouped filter: the list it was last asked over

  const plan::rule* rule_ = nullptr;
  std::uint32_t rule_index_ = no_index;
  rule_result rule_res_;  // run_rule's, kept from rule to rule
  // count_clauses: where they go (null when not counting), the current rule's counts, the index
  // of each step's `where` among them (no_index for a step without one), and of its first `require`.
  std::vector<std::vector<clause_count>>* counts_out_ = nullptr;
  std::vector<clause_count>* counts_ = nullptr;
  std::vector<std::uint32_t> where_count_;
  std::uint32_t require_count_ = 0;
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
    std::uint32_t call = no_index;  // the def call whose body computed it (definitions_state)
  };
  // Explanation order when some values come from inside a def's body: outer expressions before
  // their parts, a call's insides just below it.
  bool explained_before(const explained& a, const explained& b,
                        const std::vector<std::pair<std::uint32_t, value>>& traced) const;
  // What only definitions need, made on the first def call or let (a rule set without
  // definitions pays one null pointer per evaluation):
  struct definitions_state {
    // While tracing: for each traced value computed inside a def's body, its index in the trace
    // and the def call it was computed in (the rule's own expressions have none), so that
    // explanations show a call's insides below it.
    std::vector<std::pair<std::size_t, std::uint32_t>> trace_calls;
    // File-level lets (plan::definition, is_let): 0 not computed, 2 computed (kept in values).
    std::vector<std::uint8_t> state;
    std::vector<value> values;
    arena memory;   // what the lets built, kept for the whole evaluation
    int depth = 0;  // lets being computed
  };
  std::unique_ptr<definitions_state> defs_;
  definitions_state& defs() {
    if (!defs_) [[unlikely]] {
      defs_ = std::make_unique<definitions_state>();
      defs_->state.assign(p_.definitions.size(), 0);
      defs_->values.assign(p_.definitions.size(), value{});
    }
    return *defs_;
  }
  // The def call of traced value t, or no_index.
  std::uint32_t traced_call(std::size_t t) const {
    if (defs_)
      for (const auto& [at, call] : defs_->trace_calls)
        if (at == t) return call;
    return no_index;
  }
  std::uint32_t trace_call_ = no_index;
  std::vector<std::uint32_t> scratch_hidden_;
  std::vector<std::string_view> scratch_seen_;
  std::vector<explained> scratch_items_;
  std::uint32_t witness_node_ = no_index;  // the quantifier whose deciding element was last noted
  std::string witness_text_;
};

}  // namespace joinup::eval

#include "eval/kernels.hpp"
#include "eval/quick_test.hpp"
