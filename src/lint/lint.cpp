#include "lint/lint.hpp"

#include <algorithm>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include <range/v3/view/zip.hpp>

#include "api/compile.hpp"
#include "ast/dump.hpp"
#include "base/no_index.hpp"
#include "check/check.hpp"
#include "diag/codes.hpp"
#include "plan/plan.hpp"

namespace joinup::lint {

namespace {

// A rule set compiled, with its syntax kept (policy::compile drops it). Compiling throws every
// error of the set, exactly as `joinup check` reports them.
using loaded = api::compiled_rules;

// The roots of a rule's expressions in the order the rule reads them: rationale, when, the steps
// (each given to `step` with its index), each require and its message, the message and the
// remedy. `root` is called on every root but the steps' (with no_index for one not written).
template <class Root, class Step>
void for_each_root(const ast::rule& r, Root&& root, Step&& step) {
  const auto templ = [&](const std::optional<ast::text_template>& t) {
    if (!t) return;
    for (const auto& p : t->parts)
      if (p.is_expr) root(p.value);
  };
  templ(r.rationale);
  root(r.when);
  for (std::size_t si = 0; si < r.steps.size(); ++si) step(r.steps[si], si);
  for (const auto& q : r.requires_) {
    root(q.condition);
    templ(q.message);
  }
  templ(r.message);
  templ(r.remedy);
  templ(r.undetermined);
}

// Calls f on every expression of a rule (each root and everything below it).
void for_each_expr(const ast::file& f, const ast::rule& r, const std::function<void(ast::expr_id)>& fn) {
  std::function<void(ast::expr_id)> visit = [&](ast::expr_id id) {
    if (id == no_index) return;
    fn(id);
    const auto& e = f.at(id);
    visit(e.bind.collection);
    visit(e.bind.filter);
    for (auto a : e.args) visit(a);
  };
  for_each_root(r, visit, [&](const ast::step& s, std::size_t) {
    if (s.what == ast::step::kind::let) {
      visit(s.let.value);
    } else {
      visit(s.for_each.collection);
      visit(s.for_each.filter);
    }
  });
}

diagnostic warning(const diag::source_file& src, ast::span s, diag::code code, std::string message,
                   std::string help = {}) {
  return src.make(s.begin, s.end, code, std::move(message), std::move(help), diagnostic_level::warning);
}

// ---- unused lets ----------------------------------------------------------------------------

void unused_lets(const loaded& l, std::vector<diagnostic>& out) {
  for (const auto& [src, tree, checked] : ranges::views::zip(l.files, l.trees, l.checked)) {
    const ast::file& f = *tree;
    const check::checked_file& c = checked;
    for (const auto& [r, notes] : ranges::views::zip(f.rules, c.rules)) {
      std::set<std::uint32_t> read;
      for_each_expr(f, r, [&](ast::expr_id id) {
        if (f.at(id).kind == ast::expr_kind::name && c.exprs[id].slot != no_index) read.insert(c.exprs[id].slot);
      });
      for (const auto& [s, slot] : ranges::views::zip(r.steps, notes.step_slots)) {
        if (s.what != ast::step::kind::let || read.contains(slot)) continue;
        out.push_back(warning(*src, s.let.name_span, diag::code::unused_let, "'" + s.let.name + "' is never used",
                              "remove the 'let', or use it in a require or a message"));
      }
    }
  }
}

// ---- definitions ----------------------------------------------------------------------------

// A def parameter its body never reads; a definition that no rule of the set reaches (directly or
// through other definitions), unless its package has no rules (a package of shared definitions,
// linted on its own, is read by the packages that import it).
void unused_definitions(const loaded& l, std::vector<diagnostic>& out) {
  const auto& defs = l.definitions;
  for (const auto& [src, tree, checked] : ranges::views::zip(l.files, l.trees, l.checked)) {
    const ast::file& f = *tree;
    const check::checked_file& c = checked;
    for (const auto& [d, note] : ranges::views::zip(f.definitions, c.definitions)) {
      std::set<std::uint32_t> read;
      std::function<void(ast::expr_id)> visit = [&](ast::expr_id id) {
        if (id == no_index) return;
        const auto& e = f.at(id);
        if (e.kind == ast::expr_kind::name && c.exprs[id].slot != no_index) read.insert(c.exprs[id].slot);
        visit(e.bind.collection);
        visit(e.bind.filter);
        for (auto a : e.args) visit(a);
      };
      visit(d.value);
      for (const auto& [param, slot] : ranges::views::zip(d.params, note.param_slots)) {
        if (read.contains(slot)) continue;
        out.push_back(warning(*src, param.second, diag::code::unused_parameter,
                              "parameter '" + param.first + "' of '" + d.name + "' is never used",
                              "remove it from the definition and from every call, or use it in the body"));
      }
    }
  }
  // Reachability from the rules, over the definitions' uses (a loop, not a recursion).
  std::vector<bool> reached(defs.entries.size(), false);
  std::vector<std::uint32_t> todo;
  for (const auto& c : l.checked)
    for (const auto& u : c.rule_uses) todo.push_back(u.definition);
  while (!todo.empty()) {
    const auto d = todo.back();
    todo.pop_back();
    if (reached[d]) continue;
    reached[d] = true;
    const auto& e = defs.entries[d];
    for (const auto& u : l.checked[e.file].definitions[e.index].uses) todo.push_back(u.definition);
  }
  std::set<std::string> with_rules;
  for (const auto& c : l.checked)
    if (!c.rules.empty()) with_rules.insert(c.package);
  for (std::uint32_t d = 0; d < defs.entries.size(); ++d) {
    const auto& e = defs.entries[d];
    if (reached[d] || !with_rules.contains(e.package)) continue;
    const auto& def = *e.syntax;
    out.push_back(warning(*l.files[e.file], def.name_span, diag::code::unused_definition,
                          "'" + def.name + "' is never used",
                          std::string("no rule of the set reaches it; remove the '") +
                              (def.what == ast::definition::kind::let ? "let" : "def") + "', or use it in a rule"));
  }
}

// ---- constant requires and whens ------------------------------------------------------------

void constant_conditions(const loaded& l, std::vector<diagnostic>& out) {
  std::size_t k = 0;  // index into the program's rules: files and rules in order
  for (std::size_t fi = 0; fi < l.trees.size(); ++fi) {
    const auto& f = *l.trees[fi];
    for (const auto& r : f.rules) {
      const auto& p = l.program.rules[k++];
      auto constant = [&](std::uint32_t n) -> const eval::value* {
        if (n == no_index || l.program.nodes[n].code != plan::opcode::constant) return nullptr;
        return &l.program.nodes[n].constant;
      };
      if (const auto* v = constant(p.when); v && v->kind == eval::vkind::boolean) {
        const auto& e = f.at(r.when);
        out.push_back(v->u.b ? warning(*l.files[fi], e.where, diag::code::constant_condition,
                                       "this 'when' is always true", "remove it: the rule always applies")
                             : warning(*l.files[fi], e.where, diag::code::constant_condition,
                                       "this 'when' is always false",
                                       "the rule never applies, and its requires are never checked"));
      }
      for (std::size_t qi = 0; qi < r.requires_.size(); ++qi) {
        const auto* v = constant(p.requires_[qi].condition);
        if (!v) continue;
        const auto& e = f.at(r.requires_[qi].condition);
        const bool later = qi + 1 < r.requires_.size();
        if (v->kind == eval::vkind::boolean && v->u.b) {
          out.push_back(warning(*l.files[fi], e.where, diag::code::constant_require, "this require is always true",
                                "it can never fail; check a value from the document"));
        } else if (v->kind == eval::vkind::boolean) {
          out.push_back(warning(*l.files[fi], e.where, diag::code::constant_require, "this require is always false",
                                later ? "every subject fails it, and the requires after it are never checked"
                                      : "every subject fails it"));
        } else {
          out.push_back(warning(*l.files[fi], e.where, diag::code::constant_require,
                                "this require is a constant that is not true or false",
                                "every subject is undetermined; a require must be a condition"));
        }
      }
    }
  }
}

// ---- duplicate rules ------------------------------------------------------------------------

void duplicate_rules(const loaded& l, std::vector<diagnostic>& out) {
  std::map<std::string, std::pair<std::size_t, std::size_t>> seen;  // body -> (file, rule)
  for (std::size_t fi = 0; fi < l.trees.size(); ++fi) {
    const auto& f = *l.trees[fi];
    for (std::size_t ri = 0; ri < f.rules.size(); ++ri) {
      const auto& r = f.rules[ri];
      std::string body;  // what the rule checks: its messages may differ
      if (r.when != no_index) body += "when " + ast::dump(f, r.when) + "\n";
      for (const auto& s : r.steps) {
        if (s.what == ast::step::kind::let) {
          body += "let " + s.let.name + " = " + ast::dump(f, s.let.value) + "\n";
        } else {
          body += "for " + s.for_each.key_name + "," + s.for_each.name + " in " + ast::dump(f, s.for_each.collection) +
                  " where " + ast::dump(f, s.for_each.filter) + "\n";
        }
      }
      for (const auto& q : r.requires_) body += "require " + ast::dump(f, q.condition) + "\n";
      // Bare names from `uses` mean the same document key in every file.
      auto [it, fresh] = seen.emplace(body, std::pair(fi, ri));
      if (fresh) continue;
      const auto& [ff, fr] = it->second;
      const auto& first = l.checked[ff].rules[fr];
      const auto pos = l.files[ff]->position(l.trees[ff]->rules[fr].id_span.begin);
      out.push_back(
          warning(*l.files[fi], r.id_span, diag::code::duplicate_body,
                  "rule '" + l.checked[fi].rules[ri].full_id + "' checks exactly what '" + first.full_id + "' checks",
                  "'" + first.full_id + "' is at " + l.files[ff]->origin() + ":" + std::to_string(pos.line) + ":" +
                      std::to_string(pos.column) + "; remove one of them"));
    }
  }
}

// ---- message holes that read paths no require guards -----------------------------------------

// A `{…}` hole of a message or remedy that reads a data path which may be missing when the text is
// filled in prints "(missing)" (docs/language.md, §14 decision 56). A text is filled in only for
// a failing subject: its `when` and `where` filters were true, its collections were iterated, the
// requires before the failing one were true and the failing one false. A path is guarded when one
// of those outcomes could not have been reached without it (`present`); a hole reads a path
// unguarded when its value reaches the text outside the left side of `??` and outside has().
class hole_guards {
 public:
  using paths = std::set<std::string>;

  hole_guards(const loaded& l, const ast::file& f, const check::checked_file& c, const ast::rule& r,
              const check::rule_note& note)
      : l_(l), f_(&f), c_(&c) {
    for (std::size_t si = 0; si < r.steps.size(); ++si) {
      const auto& s = r.steps[si];
      if (s.what == ast::step::kind::let) {
        lets_[note.step_slots[si]] = &s.let;
      } else {
        loop_.insert(note.step_slots[si]);
        if (note.step_key_slots[si] != no_index) loop_.insert(note.step_key_slots[si]);
      }
    }
  }

  // The path an expression reads (`partnership.budget.total`, `leaver["a b"]`), through lets
  // whose value is a path; a `let` of any other value is a path of its own (`share`). Nothing for
  // what is not a path from the rule's names (quantifier variables, definitions, computed values).
  // In a definition's body, a parameter is the path its argument is, if it is one.
  std::optional<std::string> path_of(ast::expr_id id) const {
    if (id == no_index) return std::nullopt;
    const auto& e = f_->at(id);
    const auto& n = c_->exprs[id];
    if (n.definition != no_index) return std::nullopt;
    switch (e.kind) {
      case ast::expr_kind::name: {
        if (n.document_name) return e.text;
        if (params_) {
          const auto* a = argument_of(id);
          return a ? a->path : std::nullopt;
        }
        if (loop_.contains(n.slot)) return e.text;
        const auto* l = let_of(id);
        if (!l) return std::nullopt;
        const deeper d(*this);
        if (auto p = path_of(l->value)) return p;
        return e.text;
      }
      case ast::expr_kind::field: {
        auto p = path_of(e.args[0]);
        if (!p) return std::nullopt;
        return *p + "." + e.text;
      }
      case ast::expr_kind::index: {
        auto p = path_of(e.args[0]);
        const auto& i = f_->at(e.args[1]);
        if (!p) return std::nullopt;
        if (i.kind == ast::expr_kind::int_lit) return *p + "[" + std::to_string(i.integer) + "]";
        if (i.kind == ast::expr_kind::string_lit) return *p + "[\"" + i.text + "\"]";
        return std::nullopt;
      }
      default: return std::nullopt;
    }
  }

  // The paths that are present whenever `id` gives a value that is not missing or an error: a
  // missing one would make it an error (a path's prefixes, every operand of an operator or a
  // built-in call). `??`, `and`, `or` and `if` give only what every way of evaluating them reads;
  // has() and list literals give nothing; a file-level `let` or a call of a `def`, what its body
  // gives (through_definition).
  paths strict(ast::expr_id id) const {
    paths out;
    if (id == no_index) return out;
    const auto& e = f_->at(id);
    const auto& n = c_->exprs[id];
    if (n.definition != no_index) return through_definition(id, std::nullopt);
    if (auto p = path_of(id)) out.insert(*p);
    switch (e.kind) {
      case ast::expr_kind::name:
        if (const auto* a = argument_of(id)) {
          merge(out, a->strict);
        } else if (const auto* l = let_of(id)) {
          const deeper d(*this);
          merge(out, strict(l->value));
        }
        break;
      case ast::expr_kind::field: merge(out, strict(e.args[0])); break;
      case ast::expr_kind::index:
      case ast::expr_kind::unary:
      case ast::expr_kind::between:
        for (auto a : e.args) merge(out, strict(a));
        break;
      case ast::expr_kind::binary:
        if (e.op == ast::op::coalesce || e.op == ast::op::and_ || e.op == ast::op::or_) {
          merge(out, both(strict(e.args[0]), strict(e.args[1])));
        } else {
          for (auto a : e.args) merge(out, strict(a));
        }
        break;
      case ast::expr_kind::call:
        if (n.fn && e.text != "has")
          for (auto a : e.args) merge(out, strict(a));
        break;
      case ast::expr_kind::conditional:
        merge(out, strict(e.args[0]));
        merge(out, both(strict(e.args[1]), strict(e.args[2])));
        break;
      case ast::expr_kind::quantifier:
      case ast::expr_kind::aggregate:
      case ast::expr_kind::comprehension: merge(out, strict(e.bind.collection)); break;
      default: break;
    }
    return out;
  }

  // The paths present whenever condition `id` was `outcome` (true or false): strict(id), and
  // what has() tested, through not, and, or and if, and through lets and definitions into their
  // values (`def has_owner(b) = has(b.owner)`: has_owner(barrier) true guards barrier.owner).
  paths present(ast::expr_id id, bool outcome) const {
    if (id == no_index) return {};
    const auto& e = f_->at(id);
    if (c_->exprs[id].definition != no_index) return through_definition(id, outcome);
    if (const auto* l = e.kind == ast::expr_kind::name ? let_of(id) : nullptr) {
      auto out = strict(id);
      const deeper d(*this);
      merge(out, present(l->value, outcome));
      return out;
    }
    if (e.kind == ast::expr_kind::call && c_->exprs[id].fn && e.text == "has" && e.args.size() == 1)
      return outcome ? strict_path(e.args[0]) : paths{};
    if (e.kind == ast::expr_kind::unary && e.op == ast::op::not_) return present(e.args[0], !outcome);
    if (e.kind == ast::expr_kind::binary && (e.op == ast::op::and_ || e.op == ast::op::or_)) {
      auto a = present(e.args[0], outcome), b = present(e.args[1], outcome);
      // Both sides are known only when `and` is true or `or` is false.
      if (outcome == (e.op == ast::op::and_)) return merge(a, b), a;
      return both(a, b);
    }
    if (e.kind == ast::expr_kind::conditional) {
      auto out = strict(e.args[0]);
      merge(out, both(present(e.args[1], outcome), present(e.args[2], outcome)));
      return out;
    }
    return strict(id);
  }

  // A path a hole reads that may be missing: the path, the hole's expression that reads it, and
  // the let of a computed value it is read through ("" when none).
  struct unguarded {
    std::string path;
    ast::expr_id at;
    std::string through;
  };

  // Every path hole `id` reads that `guarded` does not hold; a let of a computed value (`share`)
  // is followed into its value unless the let itself is guarded.
  void check(ast::expr_id id, const paths& guarded, std::vector<unguarded>& out) const {
    if (id == no_index) return;
    const auto& e = f_->at(id);
    const auto& n = c_->exprs[id];
    if (auto p = path_of(id)) {
      if (guarded.contains(*p)) return;
      const auto* l = e.kind == ast::expr_kind::name ? let_of(id) : nullptr;
      const deeper d(*this);
      if (l && !path_of(l->value)) {
        std::vector<unguarded> inner;
        check(l->value, guarded, inner);
        for (auto& u : inner) out.push_back({std::move(u.path), id, e.text});
      } else {
        out.push_back({*p, id, {}});
      }
      return;
    }
    switch (e.kind) {
      case ast::expr_kind::binary:
        if (e.op == ast::op::coalesce) {
          // The left side is defaulted when missing (`a ?? b ?? c`: a and b); the default may be
          // missing too.
          defaulted(e.args[0], guarded, out);
          check(e.args[1], guarded, out);
          return;
        }
        break;
      case ast::expr_kind::call:
        if (n.fn && e.text == "has") return;
        break;
      case ast::expr_kind::conditional: {
        check(e.args[0], guarded, out);
        auto yes = guarded, no = guarded;
        merge(yes, present(e.args[0], true));
        merge(no, present(e.args[0], false));
        check(e.args[1], yes, out);
        check(e.args[2], no, out);
        return;
      }
      case ast::expr_kind::quantifier:
      case ast::expr_kind::aggregate:
      case ast::expr_kind::comprehension:
        check(e.bind.collection, guarded, out);
        check(e.bind.filter, guarded, out);
        break;
      default: break;
    }
    for (auto a : e.args) check(a, guarded, out);
  }

  // The left side of `??`: a path (or a let of one, or another `??`) is replaced when missing; an
  // error is not, so what may err is checked.
  void defaulted(ast::expr_id id, const paths& guarded, std::vector<unguarded>& out) const {
    const auto& e = f_->at(id);
    const auto* l = e.kind == ast::expr_kind::name ? let_of(id) : nullptr;
    const deeper d(*this);
    if (path_of(id) && !(l && !path_of(l->value))) return;
    if (e.kind == ast::expr_kind::binary && e.op == ast::op::coalesce) {
      defaulted(e.args[0], guarded, out);
      defaulted(e.args[1], guarded, out);
      return;
    }
    if (l) {
      // A let of a computed value: missing when its own value is a defaulted path; an error otherwise.
      std::vector<unguarded> inner;
      defaulted(l->value, guarded, inner);
      for (auto& u : inner) out.push_back({std::move(u.path), id, e.text});
      return;
    }
    check(id, guarded, out);
  }

  // The definition `id` reads or calls (a file-level `let`, or a `def` with its arguments): what
  // its body gives, strict() of it or present() of it for `outcome`, read in the body's own file
  // with each parameter standing for its argument. Bounded as lets are: past the bounds, nothing.
  // Within the bounds the answer depends on nothing else, so each is worked out once (defs that
  // call each other twice over would otherwise take a time exponential in their chain).
  paths through_definition(ast::expr_id id, std::optional<bool> outcome) const {
    if (depth_ >= max_depth || follows_ >= max_follows || definition_paths_ >= max_definition_paths) return {};
    const auto definition = c_->exprs[id].definition;
    const auto& entry = l_.definitions.entries[definition];
    const auto& e = f_->at(id);
    const auto& slots = l_.checked[entry.file].definitions[entry.index].param_slots;
    std::map<std::uint32_t, argument> args;
    std::string key = std::to_string(definition) + (outcome ? *outcome ? "t" : "f" : "s");
    if (e.kind == ast::expr_kind::call)
      for (std::size_t i = 0; i < e.args.size() && i < slots.size(); ++i) {
        auto& a = args[slots[i]] = {path_of(e.args[i]), strict(e.args[i])};
        // Each text with its length before it: no path can pass for another.
        key += a.path ? " " + std::to_string(a.path->size()) + ":" + *a.path : std::string(" -");
        for (const auto& p : a.strict) key += " " + std::to_string(p.size()) + ":" + p;
        key += ";";
      }
    if (const auto it = known_.find(key); it != known_.end()) return it->second;
    const deeper d(*this);
    const body_of in(*this, *l_.trees[entry.file], l_.checked[entry.file], args);
    auto out = outcome ? present(entry.syntax->value, *outcome) : strict(entry.syntax->value);
    definition_paths_ += out.size();
    return known_[std::move(key)] = out;
  }

  static void merge(paths& into, const paths& from) { into.insert(from.begin(), from.end()); }
  static paths both(const paths& a, const paths& b) {
    paths out;
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
    return out;
  }

 private:
  // Following lets into their values, bounded: at most max_depth lets within one another and
  // max_follows in all for the rule (a chain of 100,000 lets, or lets that each read the one
  // before twice). Past either, a let is read as an unknown value: no guard, no finding.
  static constexpr std::uint32_t max_depth = 32;
  static constexpr std::uint32_t max_follows = 100'000;
  // And definitions, whose answers are sets of paths that defs calling each other with ever
  // longer paths can make grow with every call: past max_definition_paths paths given in all for
  // the rule, a definition guards nothing.
  static constexpr std::uint64_t max_definition_paths = 100'000;
  struct deeper {
    const hole_guards& g;
    explicit deeper(const hole_guards& owner) : g(owner) {
      ++g.depth_;
      ++g.follows_;
    }
    ~deeper() { --g.depth_; }
    deeper(const deeper&) = delete;
    deeper& operator=(const deeper&) = delete;
  };

  // A definition's parameter, read in its body: the path its argument is (nothing when the
  // argument is not one), and what the argument reads strictly, in the caller's terms.
  struct argument {
    std::optional<std::string> path;
    paths strict;
  };
  // While a definition's body is read: its file, and its parameters' arguments. The rule's lets
  // and `for each` names are not seen there.
  struct body_of {
    const hole_guards& g;
    const ast::file* f;
    const check::checked_file* c;
    const std::map<std::uint32_t, argument>* params;
    body_of(const hole_guards& owner, const ast::file& file, const check::checked_file& checked,
            const std::map<std::uint32_t, argument>& args)
        : g(owner), f(owner.f_), c(owner.c_), params(owner.params_) {
      g.f_ = &file;
      g.c_ = &checked;
      g.params_ = &args;
    }
    ~body_of() {
      g.f_ = f;
      g.c_ = c;
      g.params_ = params;
    }
    body_of(const body_of&) = delete;
    body_of& operator=(const body_of&) = delete;
  };

  const argument* argument_of(ast::expr_id id) const {
    if (!params_ || f_->at(id).kind != ast::expr_kind::name) return nullptr;
    const auto it = params_->find(c_->exprs[id].slot);
    return it == params_->end() ? nullptr : &it->second;
  }

  const ast::let_clause* let_of(ast::expr_id id) const {
    const auto& n = c_->exprs[id];
    if (params_ || f_->at(id).kind != ast::expr_kind::name || n.document_name || n.slot == no_index) return nullptr;
    if (depth_ >= max_depth || follows_ >= max_follows) return nullptr;
    const auto it = lets_.find(n.slot);
    return it == lets_.end() ? nullptr : it->second;
  }
  // has()'s argument: the path and its prefixes.
  paths strict_path(ast::expr_id id) const { return path_of(id) ? strict(id) : paths{}; }

  const loaded& l_;
  mutable const ast::file* f_;                                         // the rule's file, or a definition's
  mutable const check::checked_file* c_;                               // its checked form
  mutable const std::map<std::uint32_t, argument>* params_ = nullptr;  // in a `def`'s body: slot → argument
  std::map<std::uint32_t, const ast::let_clause*> lets_;               // slot → the rule's let
  std::set<std::uint32_t> loop_;                                       // the slots of `for each` names
  mutable std::uint32_t depth_ = 0, follows_ = 0;
  mutable std::uint64_t definition_paths_ = 0;
  mutable std::map<std::string, paths> known_;  // through_definition's answers
};

void unguarded_holes(const loaded& l, std::vector<diagnostic>& out) {
  // The bindings are named again as references: a lambda may not capture a structured binding in
  // every compiler the project builds with.
  for (const auto& [file, tree, checked] : ranges::views::zip(l.files, l.trees, l.checked)) {
    const auto& src = file;
    const ast::file& f = *tree;
    const check::checked_file& c = checked;
    for (const auto& [rule, rule_note] : ranges::views::zip(f.rules, c.rules)) {
      const auto& r = rule;
      const auto& note = rule_note;
      const auto has_holes = [](const std::optional<ast::text_template>& t) {
        return t && std::any_of(t->parts.begin(), t->parts.end(), [](const auto& p) { return p.is_expr; });
      };
      if (r.requires_.empty() ||
          !(has_holes(r.message) || has_holes(r.remedy) ||
            std::any_of(r.requires_.begin(), r.requires_.end(), [&](const auto& q) { return has_holes(q.message); })))
        continue;
      const hole_guards g(l, f, c, r, note);
      // What every failing subject has: its `when` true, its collections iterated, its `where`s true.
      hole_guards::paths base = g.present(r.when, true);
      for (std::size_t si = 0; si < r.steps.size(); ++si) {
        const auto& s = r.steps[si];
        if (s.what != ast::step::kind::for_each) continue;
        base.insert(s.for_each.name);
        if (!s.for_each.key_name.empty()) base.insert(s.for_each.key_name);
        hole_guards::merge(base, g.strict(s.for_each.collection));
        hole_guards::merge(base, g.present(s.for_each.filter, true));
      }
      // failing[k]: what is present when require k is the one that failed.
      std::vector<hole_guards::paths> failing;
      hole_guards::paths passed = base;
      for (const auto& q : r.requires_) {
        auto at = passed;
        hole_guards::merge(at, g.present(q.condition, false));
        failing.push_back(std::move(at));
        hole_guards::merge(passed, g.present(q.condition, true));
      }
      const auto holes = [&](const std::optional<ast::text_template>& t, const hole_guards::paths& guarded,
                             const char* what) {
        if (!t) return;
        for (const auto& p : t->parts) {
          if (!p.is_expr) continue;
          std::vector<hole_guards::unguarded> found;
          g.check(p.value, guarded, found);
          std::set<std::string> said;
          for (const auto& u : found) {
            if (!said.insert(u.path).second) continue;
            const auto& e = f.at(u.at);
            const auto written = std::string(src->text().substr(e.where.begin, e.where.end - e.where.begin));
            const auto when = std::string(", which may be missing when the ") + what + " is shown";
            if (!u.through.empty()) {
              // Through a let of a `??` chain the hole can only be missing; through any other
              // computed value it is an error, which `??` does not replace.
              const auto* value = &f.at(u.at);
              for (const auto& st : r.steps)
                if (st.what == ast::step::kind::let && st.let.name == u.through) value = &f.at(st.let.value);
              const bool chain = value->kind == ast::expr_kind::binary && value->op == ast::op::coalesce;
              out.push_back(warning(*src, e.where, diag::code::unguarded_hole,
                                    "'" + written + "' reads " + u.path + when,
                                    chain ? "a missing value prints '(missing)'; write {" + written +
                                                " ?? \"…\"}, or require has(" + u.path + ")"
                                          : "a missing value makes '" + u.through +
                                                "' an error, printed '(error: …)'; require has(" + u.path + ")"));
            } else {
              out.push_back(
                  warning(*src, e.where, diag::code::unguarded_hole,
                          (written == u.path ? "this hole reads " + u.path : "'" + written + "' is " + u.path) + when,
                          "a missing value prints '(missing)'; write {" + written + " ?? \"…\"}, or require has(" +
                              u.path + ")"));
            }
          }
        }
      };
      std::optional<hole_guards::paths> rule_message, remedy;
      const auto meet = [](std::optional<hole_guards::paths>& acc, const hole_guards::paths& s) {
        acc = acc ? hole_guards::both(*acc, s) : s;
      };
      for (std::size_t k = 0; k < r.requires_.size(); ++k) {
        const auto& q = r.requires_[k];
        holes(q.message, failing[k], "message");
        if (!q.message || k + 1 == r.requires_.size()) meet(rule_message, failing[k]);
        meet(remedy, failing[k]);
      }
      if (rule_message) holes(r.message, *rule_message, "message");
      if (remedy) holes(r.remedy, *remedy, "remedy");
    }
  }
}

}  // namespace

std::vector<diagnostic> lint(const std::vector<rule_source>& sources, const document* schema,
                             const compile_options& options) {
  const loaded l = api::compile_rules(sources, options);
  std::vector<diagnostic> out;
  unused_lets(l, out);
  unused_definitions(l, out);
  constant_conditions(l, out);
  duplicate_rules(l, out);
  unguarded_holes(l, out);
  // Against the schema given, or else the one each package declares (src/types/).
  auto typed = api::type_check(l, schema);
  out.insert(out.end(), typed.begin(), typed.end());
  api::sort_diagnostics(out, sources);
  return out;
}

std::vector<diagnostic> schema_paths(const std::vector<rule_source>& sources, const document& schema) {
  return type_check(sources, &schema);
}

}  // namespace joinup::lint
