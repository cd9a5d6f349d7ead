#include "check/check.hpp"

#include "diag/codes.hpp"
#include "diag/text.hpp"

#include <algorithm>
#include <filesystem>
#include <unordered_map>

namespace joinup::check {

namespace {

struct scope_entry {
  std::string name;
  std::uint32_t slot;
  ast::span where;
};

// Every name a rule binds anywhere, to explain a name used where it is not visible.
struct binding {
  std::string name;
  ast::span where;
  enum class kind : std::uint8_t { let, for_each, binder } what;
};

// Words from other languages that mean a literal here.
std::string literal_lookalike(std::string_view name) {
  if (name == "nil" || name == "None" || name == "NULL" || name == "Null" || name == "undefined" || name == "nullptr" ||
      name == "none")
    return "null";
  if (name == "True" || name == "TRUE" || name == "yes") return "true";
  if (name == "False" || name == "FALSE" || name == "no") return "false";
  return {};
}

class checker {
 public:
  checker(const diag::source_file& src, const ast::file& file, std::vector<diagnostic>& diags)
      : src_(src), file_(file), diags_(diags) {
    out_.source = &src;
    out_.syntax = &file;
    out_.exprs.resize(file.exprs.size());
  }

  checked_file run() {
    out_.package = file_.package ? *file_.package : std::filesystem::path(src_.origin()).stem().string();
    std::unordered_map<std::string, ast::span> declared;
    for (const auto& [name, where] : file_.uses) {
      if (auto it = declared.find(name); it != declared.end()) {
        error(where, diag::code::duplicate_name, "'" + name + "' is declared twice",
              "remove the second 'uses " + name + "'");
        continue;
      }
      declared.emplace(name, where);
      uses_.push_back(name);
    }
    std::unordered_map<std::string, ast::span> ids;
    for (const auto& r : file_.rules) {
      if (auto it = ids.find(r.id); it != ids.end()) {
        const auto first = src_.position(it->second.begin);
        error(r.id_span, diag::code::duplicate_rule,
              "rule '" + r.id + "' is defined twice in this file (first at line " + std::to_string(first.line) + ")",
              "give one of them another id");
      } else {
        ids.emplace(r.id, r.id_span);
      }
      out_.rules.push_back(check_rule(r));
    }
    return std::move(out_);
  }

 private:
  rule_note check_rule(const ast::rule& r) {
    rule_note note;
    note.package = out_.package;
    note.full_id = out_.package + "." + r.id;
    scope_.clear();
    next_slot_ = 0;
    collect_bindings(r);
    // Rationale is rendered once per rule, where only the document's names are in scope.
    if (r.rationale) check_template(*r.rationale);
    if (r.when != no_index) expr(r.when);
    for (const auto& s : r.steps) {
      if (s.what == ast::step::kind::let) {
        expr(s.let.value);
        note.step_slots.push_back(bind(s.let.name, s.let.name_span));
        note.step_key_slots.push_back(no_index);
      } else {
        expr(s.for_each.collection);
        std::uint32_t key = no_index;
        if (!s.for_each.key_name.empty()) key = bind(s.for_each.key_name, s.for_each.key_span);
        note.step_slots.push_back(bind(s.for_each.name, s.for_each.name_span));
        note.step_key_slots.push_back(key);
        if (s.for_each.filter != no_index) expr(s.for_each.filter);
      }
    }
    for (const auto& q : r.requires_) {
      expr(q.condition);
      if (q.message) check_template(*q.message);
    }
    if (r.message) check_template(*r.message);
    if (r.remedy) check_template(*r.remedy);
    if (r.undetermined) check_template(*r.undetermined);
    note.slot_count = next_slot_;
    return note;
  }

  void collect_bindings(const ast::rule& r) {
    bindings_.clear();
    list_in_names_.clear();
    auto visit = [&](auto&& self, ast::expr_id id) -> void {
      if (id == no_index) return;
      const auto& e = file_.at(id);
      if (e.kind == ast::expr_kind::quantifier || e.kind == ast::expr_kind::aggregate ||
          e.kind == ast::expr_kind::comprehension) {
        bindings_.push_back({e.bind.name, e.where, binding::kind::binder});
        if (!e.bind.key_name.empty()) bindings_.push_back({e.bind.key_name, e.where, binding::kind::binder});
        self(self, e.bind.collection);
        self(self, e.bind.filter);
      }
      // [team.name in partnership.teams]: a comprehension written without its `for`.
      if (e.kind == ast::expr_kind::list && e.args.size() == 1) {
        const auto& only = file_.at(e.args[0]);
        if (only.kind == ast::expr_kind::binary && only.op == ast::op::in) {
          ast::expr_id left = only.args[0];
          while (file_.at(left).kind == ast::expr_kind::field || file_.at(left).kind == ast::expr_kind::index)
            left = file_.at(left).args[0];
          if (file_.at(left).kind == ast::expr_kind::name) list_in_names_.push_back(left);
        }
      }
      for (auto a : e.args) self(self, a);
    };
    auto visit_template = [&](const std::optional<ast::text_template>& t) {
      if (t)
        for (const auto& p : t->parts)
          if (p.is_expr) visit(visit, p.value);
    };
    visit(visit, r.when);
    for (const auto& st : r.steps) {
      if (st.what == ast::step::kind::let) {
        bindings_.push_back({st.let.name, st.let.name_span, binding::kind::let});
        visit(visit, st.let.value);
      } else {
        bindings_.push_back({st.for_each.name, st.for_each.name_span, binding::kind::for_each});
        if (!st.for_each.key_name.empty())
          bindings_.push_back({st.for_each.key_name, st.for_each.key_span, binding::kind::for_each});
        visit(visit, st.for_each.collection);
        visit(visit, st.for_each.filter);
      }
    }
    for (const auto& q : r.requires_) {
      visit(visit, q.condition);
      visit_template(q.message);
    }
    visit_template(r.message);
    visit_template(r.remedy);
    visit_template(r.undetermined);
    visit_template(r.rationale);
  }

  void check_template(const ast::text_template& t) {
    for (const auto& p : t.parts)
      if (p.is_expr) expr(p.value);
  }

  // The positions in scope_ where each name was bound, latest last. Entries that scope_ has since
  // dropped (a binder's end, the next rule) are found stale and popped when next looked at: an
  // entry is live exactly when scope_ still holds that name there, and the stale ones are always
  // the last (scope_ only shrinks from its end). A rule of 100,000 lets binds and looks its names
  // up in linear time.
  mutable std::unordered_map<std::string, std::vector<std::size_t>> bound_at_;

  // The live positions of name in scope_, the innermost last.
  std::vector<std::size_t>& live_positions(const std::string& name) const {
    auto& positions = bound_at_[name];
    while (!positions.empty() && (positions.back() >= scope_.size() || scope_[positions.back()].name != name))
      positions.pop_back();
    return positions;
  }

  std::uint32_t bind(const std::string& name, ast::span where) {
    auto& positions = live_positions(name);
    if (!positions.empty()) {
      const auto& earlier = scope_[positions.back()];
      error(where, diag::code::duplicate_name, "'" + name + "' is already bound",
            "it is bound on line " + std::to_string(src_.position(earlier.where.begin).line) + "; choose another name");
    }
    for (const auto& [u, at] : file_.uses)
      if (u == name) {
        error(where, diag::code::duplicate_name, "'" + name + "' is already a document name",
              "it is declared with 'uses' on line " + std::to_string(src_.position(at.begin).line) +
                  "; choose another name");
        break;
      }
    const std::uint32_t slot = next_slot_++;
    positions.push_back(scope_.size());
    scope_.push_back({name, slot, where});
    return slot;
  }

  std::uint32_t lookup(const std::string& name) const {
    const auto& positions = live_positions(name);
    return positions.empty() ? no_index : scope_[positions.back()].slot;
  }

  // Binders of quantifiers, aggregates and comprehensions: visible in the filter and the body only.
  void with_binder(ast::expr_id id, const ast::binder& b, ast::expr_id body) {
    expr(b.collection);
    const std::size_t mark = scope_.size();
    auto& note = out_.exprs[id];
    if (!b.key_name.empty()) note.key_slot = bind(b.key_name, b.key_span);
    note.slot = bind(b.name, b.name_span);
    if (b.filter != no_index) expr(b.filter);
    if (body != no_index) expr(body);
    scope_.resize(mark);
  }

  static bool is_path(const ast::file& f, ast::expr_id id) {
    const auto& e = f.at(id);
    switch (e.kind) {
      case ast::expr_kind::name: return true;
      case ast::expr_kind::field: return is_path(f, e.args[0]);
      case ast::expr_kind::index: return is_path(f, e.args[0]);
      default: return false;
    }
  }

  void expr(ast::expr_id id) {
    if (id == no_index) return;
    const auto& e = file_.at(id);
    switch (e.kind) {
      case ast::expr_kind::name: resolve_name(id, e); return;
      case ast::expr_kind::quantifier:
      case ast::expr_kind::aggregate:
      case ast::expr_kind::comprehension: with_binder(id, e.bind, e.args.empty() ? no_index : e.args[0]); return;
      case ast::expr_kind::call: check_call(id, e); break;
      default: break;
    }
    for (auto a : e.args) expr(a);
  }

  void resolve_name(ast::expr_id id, const ast::expr& e) {
    auto& note = out_.exprs[id];
    if (const auto slot = lookup(e.text); slot != no_index) {
      note.slot = slot;
      return;
    }
    if (std::find(uses_.begin(), uses_.end(), e.text) != uses_.end()) {
      note.document_name = true;
      return;
    }
    const auto line_of = [&](ast::span sp) { return std::to_string(src_.position(sp.begin).line); };
    if (auto lit = literal_lookalike(e.text); !lit.empty()) {
      error(e.where, diag::code::unknown_name, "unknown name '" + e.text + "'", "did you mean '" + lit + "'?");
      return;
    }
    for (const auto& b : bindings_) {
      if (b.name != e.text) continue;
      if (b.what != binding::kind::binder && b.where.begin > e.where.begin) {
        error(e.where, diag::code::unknown_name, "'" + e.text + "' is used before it is bound",
              std::string("it is bound by the '") + (b.what == binding::kind::let ? "let" : "for each") + "' on line " +
                  line_of(b.where) + "; a name can be used only below the line that binds it");
        return;
      }
      if (b.what == binding::kind::binder) {
        error(e.where, diag::code::unknown_name,
              "'" + e.text + "' is bound only inside the expression on line " + line_of(b.where),
              "names bound by all, any, none, an aggregate or [... for ...] are visible only inside it; "
              "to name each element in a message, use 'for each " +
                  e.text + " in ...'");
        return;
      }
    }
    if (std::find(list_in_names_.begin(), list_in_names_.end(), id) != list_in_names_.end()) {
      error(e.where, diag::code::unknown_name, "'" + e.text + "' is not declared",
            "to build a list from each element, write [" + e.text + "... for " + e.text + " in ...]");
      return;
    }
    std::vector<std::string> visible = uses_;
    for (const auto& sc : scope_) visible.push_back(sc.name);
    if (auto guess = closest(e.text, visible); !guess.empty()) {
      error(e.where, diag::code::unknown_name, "unknown name '" + e.text + "'", "did you mean '" + guess + "'?");
    } else if (find_builtin(e.text)) {
      error(e.where, diag::code::unknown_name, "'" + e.text + "' is a function, not a value",
            "call it: " + std::string(find_builtin(e.text)->signature));
    } else {
      error(e.where, diag::code::unknown_name, "'" + e.text + "' is not declared",
            "add 'uses " + e.text + "' at the top of the file, or bind it with 'let' or 'for each'");
    }
  }

  void check_call(ast::expr_id id, const ast::expr& e) {
    const builtin_info* fn = find_builtin(e.text);
    if (!fn) {
      std::vector<std::string> names;
      for (const auto& b : builtins()) names.emplace_back(b.name);
      auto guess = closest(e.text, names);
      error(e.name_span, diag::code::unknown_function, "unknown function '" + e.text + "'",
            guess.empty() ? "see the list of functions in docs/language.md" : "did you mean '" + guess + "'?");
      return;
    }
    out_.exprs[id].fn = fn;
    const auto n = e.args.size();
    if (n < fn->min_args || (fn->max_args != 255 && n > fn->max_args)) {
      std::string want = fn->min_args == fn->max_args ? std::to_string(fn->min_args)
                         : fn->max_args == 255        ? "at least " + std::to_string(fn->min_args)
                                               : std::to_string(fn->min_args) + " or " + std::to_string(fn->max_args);
      const bool one = fn->min_args == 1 && fn->max_args != 2;
      error(e.where, diag::code::arity,
            "'" + e.text + "' takes " + want + (one ? " argument" : " arguments") + ", but " + std::to_string(n) +
                (n == 1 ? " was" : " were") + " given",
            std::string("usage: ") + std::string(fn->signature));
      return;
    }
    if (fn->id == builtin::has && !is_path(file_, e.args[0]))
      error(file_.at(e.args[0]).where, diag::code::has_path, "has() takes a path such as 'partnership.pilots'",
            "to test a computed value, compare it with null or use '?"
            "?'");
  }

  void error(ast::span where, diag::code code, std::string message, std::string help = {}) {
    diags_.push_back(src_.make(where.begin, where.end, code, std::move(message), std::move(help)));
  }

  const diag::source_file& src_;
  const ast::file& file_;
  std::vector<diagnostic>& diags_;
  checked_file out_;
  std::vector<std::string> uses_;
  std::vector<scope_entry> scope_;
  std::vector<binding> bindings_;
  std::vector<ast::expr_id> list_in_names_;
  std::uint32_t next_slot_ = 0;
};

}  // namespace

std::string closest(std::string_view name, const std::vector<std::string>& candidates) {
  return diag::closest(name, candidates);
}

checked_file check_file(const diag::source_file& src, const ast::file& file, std::vector<diagnostic>& diags) {
  return checker(src, file, diags).run();
}

void check_unique_ids(const std::vector<checked_file>& files, std::vector<diagnostic>& diags) {
  struct seen {
    const checked_file* file;
    std::size_t rule;
  };
  std::unordered_map<std::string, seen> ids;
  for (const auto& f : files)
    for (std::size_t i = 0; i < f.rules.size(); ++i) {
      auto [it, fresh] = ids.emplace(f.rules[i].full_id, seen{&f, i});
      if (fresh || it->second.file == &f) continue;  // same-file repeats are reported by check_file
      const auto& first = *it->second.file;
      const auto pos = first.source->position(first.syntax->rules[it->second.rule].id_span.begin);
      const auto& r = f.syntax->rules[i];
      diags.push_back(f.source->make(r.id_span.begin, r.id_span.end, diag::code::duplicate_rule,
                                     "rule '" + f.rules[i].full_id + "' is already defined at " +
                                         first.source->origin() + ":" + std::to_string(pos.line) + ":" +
                                         std::to_string(pos.column),
                                     "give one of them another id or another package"));
    }
}

}  // namespace joinup::check
