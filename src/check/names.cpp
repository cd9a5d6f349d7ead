#include "check/names.hpp"

namespace joinup::check {

namespace {

bool holds(ast::span s, std::uint32_t at) { return s.begin <= at && at <= s.end; }

bool is_binder_form(const ast::expr& e) {
  return e.kind == ast::expr_kind::quantifier || e.kind == ast::expr_kind::aggregate ||
         e.kind == ast::expr_kind::comprehension;
}

const expr_note* note_of(const checked_file& c, ast::expr_id id) {
  return id < c.exprs.size() ? &c.exprs[id] : nullptr;
}

// Every binding of a rule, in the order the checker binds them: its steps, then the binders.
std::vector<named> bindings(const checked_file& c, std::size_t ri) {
  std::vector<named> out;
  const ast::file& f = *c.syntax;
  if (ri >= f.rules.size()) return out;
  const ast::rule& r = f.rules[ri];
  const rule_note* note = ri < c.rules.size() ? &c.rules[ri] : nullptr;
  for (std::size_t si = 0; si < r.steps.size(); ++si) {
    const auto& s = r.steps[si];
    const auto slot = [&](bool key) -> std::uint32_t {
      if (!note) return no_index;
      const auto& slots = key ? note->step_key_slots : note->step_slots;
      return si < slots.size() ? slots[si] : no_index;
    };
    if (s.what == ast::step::kind::let) {
      out.push_back({s.let.name, name_kind::let, s.let.name_span, s.let.value, slot(false), ri});
    } else {
      if (!s.for_each.key_name.empty())
        out.push_back(
            {s.for_each.key_name, name_kind::for_each, s.for_each.key_span, s.for_each.collection, slot(true), ri});
      out.push_back(
          {s.for_each.name, name_kind::for_each, s.for_each.name_span, s.for_each.collection, slot(false), ri});
    }
  }
  for_each_expr(f, r, [&](ast::expr_id id) {
    const auto& e = f.at(id);
    if (!is_binder_form(e)) return;
    const auto* n = note_of(c, id);
    if (!e.bind.key_name.empty())
      out.push_back(
          {e.bind.key_name, name_kind::binder, e.bind.key_span, e.bind.collection, n ? n->key_slot : no_index, ri});
    out.push_back({e.bind.name, name_kind::binder, e.bind.name_span, e.bind.collection, n ? n->slot : no_index, ri});
  });
  return out;
}

std::vector<named> document_names(const checked_file& c) {
  std::vector<named> out;
  for (const auto& [name, where] : c.syntax->uses) out.push_back({name, name_kind::document, where});
  return out;
}

}  // namespace

std::size_t rule_at(const ast::file& f, std::uint32_t at) {
  for (std::size_t i = 0; i < f.rules.size(); ++i)
    if (holds(f.rules[i].where, at)) return i;
  return static_cast<std::size_t>(-1);
}

namespace {

// An explicit stack: expressions nest as deep as the parser allows, and an editor asks often.
void walk(const ast::file& f, ast::expr_id id, std::vector<ast::expr_id>& todo,
          const std::function<void(ast::expr_id)>& fn) {
  if (id == no_index || id >= f.exprs.size()) return;
  todo.push_back(id);
  while (!todo.empty()) {
    const auto at = todo.back();
    todo.pop_back();
    fn(at);
    const auto& e = f.at(at);
    for (auto a = e.args.rbegin(); a != e.args.rend(); ++a)
      if (*a != no_index && *a < f.exprs.size()) todo.push_back(*a);
    for (auto b : {e.bind.filter, e.bind.collection})
      if (b != no_index && b < f.exprs.size()) todo.push_back(b);
  }
}

}  // namespace

void for_each_expr(const ast::file& f, const ast::definition& d, const std::function<void(ast::expr_id)>& fn) {
  std::vector<ast::expr_id> todo;
  walk(f, d.value, todo, fn);
}

std::size_t definition_at(const ast::file& f, std::uint32_t at) {
  for (std::size_t i = 0; i < f.definitions.size(); ++i) {
    const auto& d = f.definitions[i];
    if (holds(d.where, at) || holds(d.name_span, at)) return i;
  }
  return static_cast<std::size_t>(-1);
}

std::vector<named> definitions_of(const definition_table& defs, std::string_view package) {
  std::vector<named> out;
  for (std::uint32_t i = 0; i < defs.entries.size(); ++i) {
    const auto& e = defs.entries[i];
    if (e.package != package || !e.syntax) continue;
    named n{e.syntax->name, name_kind::definition, e.syntax->name_span, e.syntax->value};
    n.definition = i;
    out.push_back(std::move(n));
  }
  return out;
}

std::vector<named> parameters_of(const checked_file& c, std::size_t def) {
  std::vector<named> out;
  if (def >= c.syntax->definitions.size()) return out;
  const auto& d = c.syntax->definitions[def];
  const definition_note* note = def < c.definitions.size() ? &c.definitions[def] : nullptr;
  for (std::size_t i = 0; i < d.params.size(); ++i) {
    named n{d.params[i].first, name_kind::parameter, d.params[i].second};
    n.slot = note && i < note->param_slots.size() ? note->param_slots[i] : no_index;
    n.definition = static_cast<std::uint32_t>(def);
    out.push_back(std::move(n));
  }
  return out;
}

std::optional<named> definition_read(const checked_file& c, ast::expr_id id, const definition_table& defs) {
  const auto* n = note_of(c, id);
  if (!n || n->definition == no_index || n->definition >= defs.entries.size()) return std::nullopt;
  const auto& e = defs.entries[n->definition];
  if (!e.syntax) return std::nullopt;
  named out{e.syntax->name, name_kind::definition, e.syntax->name_span, e.syntax->value};
  out.definition = n->definition;
  return out;
}

std::optional<named> binding_in_definition(const checked_file& c, std::size_t def, ast::expr_id id,
                                           const definition_table* defs) {
  const ast::file& f = *c.syntax;
  if (id >= f.exprs.size()) return std::nullopt;
  if (defs)
    if (auto d = definition_read(c, id, *defs)) return d;
  if (f.at(id).kind != ast::expr_kind::name) return std::nullopt;
  const auto* n = note_of(c, id);
  if (!n || n->document_name || n->slot == no_index) return std::nullopt;
  for (auto& p : parameters_of(c, def))
    if (p.slot == n->slot && p.name == f.at(id).text) return p;
  return std::nullopt;
}

std::vector<ast::span> parameter_reads(const checked_file& c, std::size_t def, const named& p) {
  std::vector<ast::span> out;
  const ast::file& f = *c.syntax;
  if (def >= f.definitions.size() || p.slot == no_index) return out;
  for_each_expr(f, f.definitions[def], [&](ast::expr_id id) {
    const auto& e = f.at(id);
    if (e.kind != ast::expr_kind::name || e.text != p.name) return;
    const auto* n = note_of(c, id);
    if (n && !n->document_name && n->definition == no_index && n->slot == p.slot) out.push_back(e.where);
  });
  return out;
}

void for_each_expr(const ast::file& f, const ast::rule& r, const std::function<void(ast::expr_id)>& fn) {
  std::vector<ast::expr_id> todo;
  const auto root = [&](ast::expr_id id) { walk(f, id, todo, fn); };
  const auto templ = [&](const std::optional<ast::text_template>& t) {
    if (!t) return;
    for (const auto& p : t->parts)
      if (p.is_expr) root(p.value);
  };
  templ(r.rationale);
  root(r.when);
  for (const auto& s : r.steps) {
    if (s.what == ast::step::kind::let) {
      root(s.let.value);
    } else {
      root(s.for_each.collection);
      root(s.for_each.filter);
    }
  }
  for (const auto& q : r.requires_) {
    root(q.condition);
    templ(q.message);
  }
  templ(r.message);
  templ(r.remedy);
}

std::vector<named> names_in_scope(const checked_file& c, std::size_t ri, std::uint32_t at,
                                  const definition_table* defs) {
  std::vector<named> out = document_names(c);
  if (defs)
    for (auto& d : definitions_of(*defs, c.package)) out.push_back(std::move(d));
  const ast::file& f = *c.syntax;
  if (ri >= f.rules.size()) {
    if (const auto di = definition_at(f, at); di < f.definitions.size())
      for (auto& p : parameters_of(c, di)) out.push_back(std::move(p));
    return out;
  }
  const ast::rule& r = f.rules[ri];
  // The rationale sees the document names only (it is rendered once per rule).
  if (r.rationale && holds(r.rationale->where, at)) return out;
  for (const auto& b : bindings(c, ri)) {
    if (b.kind == name_kind::binder) {
      // Visible inside the binder's expression, but not in its own collection.
      continue;
    }
    if (b.where.begin > at) continue;
    if (b.kind == name_kind::let && b.value != no_index && holds(f.at(b.value).where, at)) continue;
    if (b.kind == name_kind::for_each && b.value != no_index && holds(f.at(b.value).where, at)) continue;
    out.push_back(b);
  }
  for_each_expr(f, r, [&](ast::expr_id id) {
    const auto& e = f.at(id);
    if (!is_binder_form(e) || !holds(e.where, at)) return;
    if (e.bind.collection != no_index && holds(f.at(e.bind.collection).where, at)) return;
    const auto* n = note_of(c, id);
    if (!e.bind.key_name.empty())
      out.push_back(
          {e.bind.key_name, name_kind::binder, e.bind.key_span, e.bind.collection, n ? n->key_slot : no_index, ri});
    out.push_back({e.bind.name, name_kind::binder, e.bind.name_span, e.bind.collection, n ? n->slot : no_index, ri});
  });
  return out;
}

std::optional<named> binding_of(const checked_file& c, std::size_t ri, ast::expr_id id) {
  const ast::file& f = *c.syntax;
  if (id >= f.exprs.size() || f.at(id).kind != ast::expr_kind::name) return std::nullopt;
  const auto* n = note_of(c, id);
  if (!n) return std::nullopt;
  if (n->document_name) {
    for (auto& d : document_names(c))
      if (d.name == f.at(id).text) return d;
    return std::nullopt;
  }
  if (n->slot == no_index) return std::nullopt;
  for (auto& b : bindings(c, ri))
    if (b.slot == n->slot) return b;
  return std::nullopt;
}

std::optional<named> binding_at(const checked_file& c, std::size_t ri, std::uint32_t at) {
  for (auto& b : bindings(c, ri))
    if (holds(b.where, at)) return b;
  return std::nullopt;
}

std::vector<ast::span> reads_of(const checked_file& c, std::size_t ri, const named& b) {
  std::vector<ast::span> out;
  const ast::file& f = *c.syntax;
  if (ri >= f.rules.size()) return out;
  for_each_expr(f, f.rules[ri], [&](ast::expr_id id) {
    const auto& e = f.at(id);
    if (e.kind != ast::expr_kind::name || e.text != b.name) return;
    const auto* n = note_of(c, id);
    if (!n) return;
    const bool same = b.kind == name_kind::document ? n->document_name
                                                    : (!n->document_name && n->slot == b.slot && b.slot != no_index);
    if (same) out.push_back(e.where);
  });
  return out;
}

}  // namespace joinup::check
