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

using node_id = document::node_id;
constexpr node_id unknown = document::npos;

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

// ---- paths against a JSON Schema ------------------------------------------------------------

class schema_checker {
 public:
  schema_checker(const loaded& l, const document& schema, std::vector<diagnostic>& out)
      : l_(l), s_(schema), out_(out) {}

  void run() {
    if (s_.empty()) return;
    for (std::size_t fi = 0; fi < l_.trees.size(); ++fi) {
      fi_ = fi;
      const auto& f = *l_.trees[fi];
      doc_names_.clear();
      for (const auto& [name, where] : f.uses) doc_names_[name] = property(resolve(s_.root()), name, where, name);
      for (std::size_t ri = 0; ri < f.rules.size(); ++ri) rule(f, ri);
    }
  }

 private:
  // ---- the schema ----

  node_id get(node_id n, std::string_view key) const {
    if (n == unknown || s_.kind(n) != value_kind::map) return unknown;
    return s_.find(n, key);
  }

  // Follows $ref (a JSON pointer within the schema: "#/$defs/leaver").
  node_id resolve(node_id n) const {
    for (int guard = 0; guard < 64 && n != unknown; ++guard) {
      const auto ref = get(n, "$ref");
      if (ref == unknown || s_.kind(ref) != value_kind::string) return n;
      const std::string_view r = s_.as_string(ref);
      if (!r.starts_with("#")) return unknown;  // another document: not followed
      node_id at = s_.root();
      std::size_t i = 1;
      while (i < r.size() && at != unknown) {
        if (r[i] != '/') return unknown;
        const auto next = r.find('/', i + 1);
        std::string token(r.substr(i + 1, next == std::string_view::npos ? std::string_view::npos : next - i - 1));
        for (std::size_t p = 0; (p = token.find('~', p)) != std::string::npos; ++p)
          token.replace(p, 2, token.compare(p, 2, "~1") == 0 ? "/" : "~");
        if (s_.kind(at) == value_kind::map) {
          at = s_.find(at, token);
        } else if (s_.kind(at) == value_kind::list) {
          const auto idx = static_cast<std::uint32_t>(std::strtoul(token.c_str(), nullptr, 10));
          at = idx < s_.size(at) ? s_.at(at, idx) : unknown;
        } else {
          at = unknown;
        }
        i = next == std::string_view::npos ? r.size() : next;
      }
      n = at;
    }
    return n;
  }

  // The schema and its allOf/anyOf/oneOf branches.
  std::vector<node_id> branches(node_id n) const {
    std::vector<node_id> out;
    n = resolve(n);
    if (n == unknown) return out;
    out.push_back(n);
    for (const char* k : {"allOf", "anyOf", "oneOf"}) {
      const auto list = get(n, k);
      if (list == unknown || s_.kind(list) != value_kind::list) continue;
      for (std::uint32_t i = 0; i < s_.size(list); ++i) {
        const auto b = resolve(s_.at(list, i));
        if (b != unknown) out.push_back(b);
      }
    }
    return out;
  }

  // The schema of property `name` of an object schema; warns when the schema does not allow it.
  // `path` is the expression's text, for the message.
  node_id property(node_id n, const std::string& name, ast::span where, std::string_view path) {
    const auto bs = branches(n);
    if (bs.empty()) return unknown;
    bool declared = false, closed = true, open_values = false;
    std::vector<std::string> names;
    node_id values = unknown;
    for (auto b : bs) {
      const auto props = get(b, "properties");
      if (props != unknown && s_.kind(props) == value_kind::map) {
        declared = true;
        if (const auto p = s_.find(props, name); p != unknown) return resolve(p);
        for (std::uint32_t i = 0; i < s_.size(props); ++i) names.emplace_back(s_.key_text(s_.key_at(props, i)));
        const auto extra = get(b, "additionalProperties");
        if (extra == unknown || s_.kind(extra) != value_kind::boolean || s_.as_bool(extra)) closed = false;
      }
      if (get(b, "patternProperties") != unknown) open_values = true;
      if (const auto extra = get(b, "additionalProperties"); extra != unknown && s_.kind(extra) == value_kind::map) {
        values = resolve(extra);
        open_values = true;
      }
    }
    if (values != unknown) return values;
    if (!declared || open_values) return unknown;
    const auto guess = check::closest(name, names);
    if (!closed && guess.empty()) return unknown;
    std::string help;
    if (!guess.empty()) {
      help = "did you mean '" + guess + "'?";
    } else if (!names.empty()) {
      std::sort(names.begin(), names.end());
      help = "the schema has: ";
      for (std::size_t i = 0; i < names.size() && i < 12; ++i) help += (i ? ", " : "") + names[i];
      if (names.size() > 12) help += ", ...";
    }
    const std::string where_text = path == name ? std::string() : " (in '" + std::string(path) + "')";
    out_.push_back(warning(
        *l_.files[fi_], where, diag::code::schema_path,
        (closed ? "the schema does not allow '" : "the schema does not list '") + name + "'" + where_text, help));
    return unknown;
  }

  // The schema of an element of a list (items) or a map's values (additionalProperties).
  node_id element(node_id n) const {
    for (auto b : branches(n)) {
      if (const auto items = get(b, "items"); items != unknown && s_.kind(items) == value_kind::map)
        return resolve(items);
      if (const auto extra = get(b, "additionalProperties"); extra != unknown && s_.kind(extra) == value_kind::map)
        return resolve(extra);
    }
    return unknown;
  }

  // ---- the rules ----

  void rule(const ast::file& f, std::size_t ri) {
    const auto& r = f.rules[ri];
    const auto& note = l_.checked[fi_].rules[ri];
    f_ = &f;
    slots_.assign(note.slot_count + 1, unknown);
    auto set = [&](std::uint32_t slot, node_id schema) {
      if (slot != no_index && slot < slots_.size()) slots_[slot] = schema;
    };
    for_each_root(
        r, [&](ast::expr_id id) { walk(id); },
        [&](const ast::step& s, std::size_t si) {
          if (s.what == ast::step::kind::let) {
            set(note.step_slots[si], walk(s.let.value));
          } else {
            set(note.step_slots[si], element(walk(s.for_each.collection)));
            walk(s.for_each.filter);
          }
        });
  }

  std::string text(const ast::expr& e) const { return std::string(l_.files[fi_]->slice(e.where.begin, e.where.end)); }

  // Checks every path in the expression; returns the expression's schema when it is a path.
  node_id walk(ast::expr_id id) {
    if (id == no_index) return unknown;
    const auto& e = f_->at(id);
    const auto& note = l_.checked[fi_].exprs[id];
    switch (e.kind) {
      case ast::expr_kind::name: {
        if (note.document_name) {
          auto it = doc_names_.find(e.text);
          return it == doc_names_.end() ? unknown : it->second;
        }
        return note.slot < slots_.size() ? slots_[note.slot] : unknown;
      }
      case ast::expr_kind::field: {
        const auto obj = walk(e.args[0]);
        if (obj == unknown) return unknown;
        return property(obj, e.text, e.name_span, text(e));
      }
      case ast::expr_kind::index: {
        const auto obj = walk(e.args[0]);
        walk(e.args[1]);
        if (obj == unknown) return unknown;
        const auto& key = f_->at(e.args[1]);
        if (key.kind == ast::expr_kind::string_lit) return property(obj, key.text, key.where, text(e));
        return element(obj);
      }
      case ast::expr_kind::binary: {
        const auto a = walk(e.args[0]);
        const auto b = walk(e.args[1]);
        if (e.op == ast::op::coalesce) return a != unknown ? a : b;
        return unknown;
      }
      case ast::expr_kind::quantifier:
      case ast::expr_kind::aggregate:
      case ast::expr_kind::comprehension: {
        const auto coll = walk(e.bind.collection);
        if (note.slot < slots_.size()) slots_[note.slot] = element(coll);
        walk(e.bind.filter);
        for (auto a : e.args) walk(a);
        return unknown;
      }
      default:
        for (auto a : e.args) walk(a);
        return unknown;
    }
  }

  const loaded& l_;
  const document& s_;
  std::vector<diagnostic>& out_;
  std::size_t fi_ = 0;
  const ast::file* f_ = nullptr;
  std::map<std::string, node_id> doc_names_;
  std::vector<node_id> slots_;
};

}  // namespace

std::vector<diagnostic> lint(const std::vector<rule_source>& sources, const document* schema,
                             const compile_options& options) {
  const loaded l = api::compile_rules(sources, options);
  std::vector<diagnostic> out;
  unused_lets(l, out);
  constant_conditions(l, out);
  duplicate_rules(l, out);
  if (schema) schema_checker(l, *schema, out).run();
  api::sort_diagnostics(out, sources);
  return out;
}

std::vector<diagnostic> schema_paths(const std::vector<rule_source>& sources, const document& schema) {
  const loaded l = api::compile_rules(sources, {});
  std::vector<diagnostic> out;
  schema_checker(l, schema, out).run();
  api::sort_diagnostics(out, sources);
  return out;
}

}  // namespace joinup::lint
