#include "lint/lint.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <set>

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

}  // namespace

std::vector<diagnostic> lint(const std::vector<rule_source>& sources, const document* schema,
                             const compile_options& options) {
  const loaded l = api::compile_rules(sources, options);
  std::vector<diagnostic> out;
  unused_lets(l, out);
  unused_definitions(l, out);
  constant_conditions(l, out);
  duplicate_rules(l, out);
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
