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
  checker(const diag::source_file& src, const ast::file& file, const definition_table& defs,
          std::vector<diagnostic>& diags)
      : src_(src), file_(file), defs_(defs), diags_(diags) {
    out_.source = &src;
    out_.syntax = &file;
    out_.exprs.resize(file.exprs.size());
  }

  checked_file run() {
    out_.package = package_of(src_, file_);
    std::unordered_map<std::string, ast::span> declared;
    for (const auto& [name, where] : file_.uses) {
      if (auto it = declared.find(name); it != declared.end()) {
        error(where, diag::code::duplicate_name, "'" + name + "' is declared twice",
              "remove the second 'uses " + name + "'");
        continue;
      }
      declared.emplace(name, where);
      uses_.push_back(name);
      if (const auto d = defs_.find(out_.package, name); d != no_index)
        error(where, diag::code::duplicate_name, "'" + name + "' is already defined in package '" + out_.package + "'",
              "it is defined with '" + kind_word(d) + "' at " + place(d) + "; choose another name");
    }
    check_imports();
    current_uses_ = &out_.rule_uses;
    for (const auto& d : file_.definitions) out_.definitions.push_back(check_definition(d));
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
  // ---- definitions (docs/language.md, "Definitions and imports")

  std::string kind_word(std::uint32_t d) const {
    return defs_.entries[d].syntax->what == ast::definition::kind::let ? "let" : "def";
  }
  // "line 4" in this file, or "rules/common.jup:4:5" in another.
  std::string place(std::uint32_t d) const {
    const auto& e = defs_.entries[d];
    if (e.syntax == nullptr) return "?";
    for (const auto& own : file_.definitions)
      if (&own == e.syntax) return "line " + std::to_string(src_.position(own.name_span.begin).line);
    return e.place;
  }

  void check_imports() {
    std::vector<std::string> seen;
    for (const auto& [pkg, where] : file_.imports) {
      if (std::find(seen.begin(), seen.end(), pkg) != seen.end()) {
        error(where, diag::code::duplicate_name, "package '" + pkg + "' is imported twice",
              "remove the second 'import " + pkg + "'");
        continue;
      }
      seen.push_back(pkg);
      if (pkg == out_.package) {
        error(where, diag::code::unknown_package, "a package cannot import itself",
              "the definitions of package '" + pkg + "' are visible in all its files without 'import'");
        continue;
      }
      if (!defs_.has_package(pkg)) {
        std::vector<std::string> packages;
        for (const auto& e : defs_.entries)
          if (std::find(packages.begin(), packages.end(), e.package) == packages.end()) packages.push_back(e.package);
        const auto guess = closest(pkg, packages);
        error(where, diag::code::unknown_package, "no file of the rule set defines anything in package '" + pkg + "'",
              guess.empty() ? "import a package whose files have 'let' or 'def' definitions"
                            : "did you mean '" + guess + "'?");
        continue;
      }
      imports_.push_back(pkg);
    }
  }

  definition_note check_definition(const ast::definition& d) {
    definition_note note;
    scope_.clear();
    bindings_.clear();
    list_in_names_.clear();
    next_slot_ = 0;
    for (const auto& [name, where] : d.params) note.param_slots.push_back(bind(name, where));
    current_uses_ = &note.uses;
    depth_ = 0;
    max_depth_ = 0;
    expr(d.value);
    current_uses_ = &out_.rule_uses;
    note.height = max_depth_;
    note.slot_count = next_slot_;
    scope_.clear();
    return note;
  }

  // A definition of this file's package, or none.
  std::uint32_t own_definition(const std::string& name) const { return defs_.find(out_.package, name); }

  // The dotted text of a chain of fields over a name (`integration.common`), or "".
  std::string dotted(ast::expr_id id) const {
    const auto& e = file_.at(id);
    if (e.kind == ast::expr_kind::name) return e.text;
    if (e.kind != ast::expr_kind::field) return {};
    auto left = dotted(e.args[0]);
    return left.empty() ? left : left + "." + e.text;
  }

  // A field `P.NAME` where P is an imported package and NAME one of its lets: the let.
  std::uint32_t qualified_let(const ast::expr& e) const {
    if (imports_.empty()) return no_index;
    const ast::expr* root = &e;
    while (root->kind == ast::expr_kind::field) root = &file_.at(root->args[0]);
    if (root->kind != ast::expr_kind::name || lookup(root->text) != no_index ||
        std::find(uses_.begin(), uses_.end(), root->text) != uses_.end() || own_definition(root->text) != no_index)
      return no_index;
    const auto pkg = dotted(e.args[0]);
    if (std::find(imports_.begin(), imports_.end(), pkg) == imports_.end()) return no_index;
    return defs_.find(pkg, e.text);
  }

  void note_use(std::uint32_t d, ast::expr_id id) {
    if (current_uses_) current_uses_->push_back({d, depth_, id});
  }

  // The names of the definitions this file can reach unqualified, and qualified by an import.
  std::vector<std::string> definition_names(bool lets, bool functions) const {
    std::vector<std::string> out;
    for (const auto& e : defs_.entries) {
      const bool is_let = e.syntax->what == ast::definition::kind::let;
      if ((is_let && !lets) || (!is_let && !functions)) continue;
      if (e.package == out_.package)
        out.push_back(e.syntax->name);
      else if (std::find(imports_.begin(), imports_.end(), e.package) != imports_.end())
        out.push_back(e.package + "." + e.syntax->name);
    }
    return out;
  }

  rule_note check_rule(const ast::rule& r) {
    rule_note note;
    depth_ = 0;
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
    if (const auto d = own_definition(name); d != no_index)
      error(where, diag::code::duplicate_name, "'" + name + "' is already defined in package '" + out_.package + "'",
            "it is defined with '" + kind_word(d) + "' at " + place(d) + "; choose another name");
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
    ++depth_;
    max_depth_ = std::max(max_depth_, depth_);
    expr_at(id);
    --depth_;
  }

  void expr_at(ast::expr_id id) {
    const auto& e = file_.at(id);
    switch (e.kind) {
      case ast::expr_kind::name: resolve_name(id, e); return;
      case ast::expr_kind::field:
        if (const auto d = qualified_let(e); d != no_index) {
          if (defs_.entries[d].syntax->what == ast::definition::kind::def) {
            error(e.where, diag::code::unknown_name, "'" + dotted(id) + "' is a function, not a value",
                  "call it with its " + std::to_string(defs_.entries[d].syntax->params.size()) + " arguments");
            return;
          }
          out_.exprs[id].definition = d;
          note_use(d, id);
          return;
        }
        break;
      case ast::expr_kind::quantifier:
      case ast::expr_kind::aggregate:
      case ast::expr_kind::comprehension:
        if (e.op == ast::op::first && !e.args.empty() && e.args[0] != no_index)
          error(e.where, diag::code::arity, "'first' takes a name to bind, not an expression before 'for'",
                "write first(" + e.bind.name + " in ... where ...) and take the field after it, as in first(" +
                    e.bind.name + " in ...).name");
        with_binder(id, e.bind, e.args.empty() ? no_index : e.args[0]);
        return;
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
    if (const auto d = own_definition(e.text); d != no_index) {
      if (defs_.entries[d].syntax->what == ast::definition::kind::def) {
        const auto& params = defs_.entries[d].syntax->params;
        std::string usage = e.text + "(";
        for (std::size_t i = 0; i < params.size(); ++i) usage += (i ? ", " : "") + params[i].first;
        error(e.where, diag::code::unknown_name, "'" + e.text + "' is a function, not a value",
              "call it: " + usage + ")");
        return;
      }
      note.definition = d;
      note_use(d, id);
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
    for (auto& n : definition_names(true, false)) visible.push_back(std::move(n));
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

  // A call of a definition: this package's `f(x)` or an imported one's `pkg.f(x)`. False when the
  // name is neither (a built-in, or unknown).
  bool check_definition_call(ast::expr_id id, const ast::expr& e) {
    std::uint32_t d = no_index;
    const auto dot = e.text.rfind('.');
    if (dot == std::string::npos) {
      d = own_definition(e.text);
    } else {
      const std::string pkg = e.text.substr(0, dot), name = e.text.substr(dot + 1);
      const bool imported = std::find(imports_.begin(), imports_.end(), pkg) != imports_.end();
      if (!imported) {
        const bool exists = defs_.has_package(pkg);
        const std::string help = exists ? "add 'import " + pkg + "' below the file's 'package' and 'uses' lines"
                                        : "functions of another package are called as PACKAGE.NAME(...) after "
                                          "'import PACKAGE'";
        error(e.name_span, exists ? diag::code::unknown_package : diag::code::unknown_function,
              exists ? "package '" + pkg + "' is not imported" : "unknown function '" + e.text + "'", help);
        return true;
      }
      d = defs_.find(pkg, name);
      if (d == no_index) {
        const auto guess = closest(e.text, definition_names(false, true));
        error(e.name_span, diag::code::unknown_function, "package '" + pkg + "' defines no function '" + name + "'",
              guess.empty() ? "" : "did you mean '" + guess + "'?");
        return true;
      }
    }
    if (d == no_index) return false;
    const auto& def = *defs_.entries[d].syntax;
    if (def.what == ast::definition::kind::let) {
      error(e.name_span, diag::code::unknown_function, "'" + e.text + "' is a value defined with 'let', not a function",
            "use it without parentheses: " + e.text);
      return true;
    }
    const auto n = e.args.size(), want = def.params.size();
    std::string usage = e.text + "(";
    for (std::size_t i = 0; i < want; ++i) usage += (i ? ", " : "") + def.params[i].first;
    usage += ")";
    if (n != want) {
      error(e.where, diag::code::arity,
            "'" + e.text + "' takes " + std::to_string(want) + (want == 1 ? " argument" : " arguments") + ", but " +
                std::to_string(n) + (n == 1 ? " was" : " were") + " given",
            "usage: " + usage + " (defined at " + place(d) + ")");
      return true;
    }
    out_.exprs[id].definition = d;
    note_use(d, id);
    return true;
  }

  void check_call(ast::expr_id id, const ast::expr& e) {
    if (check_definition_call(id, e)) return;
    const builtin_info* fn = find_builtin(e.text);
    if (!fn && e.text == "first") {
      error(e.where, diag::code::arity, "'first' takes a name to bind, an 'in' and a list",
            "usage: first(o in partnership.organisations where o.id == id)");
      return;
    }
    if (!fn) {
      std::vector<std::string> names;
      for (const auto& b : builtins()) names.emplace_back(b.name);
      for (auto& n : definition_names(false, true)) names.push_back(std::move(n));
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
  const definition_table& defs_;
  std::vector<diagnostic>& diags_;
  checked_file out_;
  std::vector<std::string> uses_;
  std::vector<std::string> imports_;  // the packages imported (that define something)
  std::vector<definition_use>* current_uses_ = nullptr;
  std::uint32_t depth_ = 0, max_depth_ = 0;

  std::vector<scope_entry> scope_;
  std::vector<binding> bindings_;
  std::vector<ast::expr_id> list_in_names_;
  std::uint32_t next_slot_ = 0;
};

}  // namespace

std::string closest(std::string_view name, const std::vector<std::string>& candidates) {
  return diag::closest(name, candidates);
}

std::string package_of(const diag::source_file& src, const ast::file& file) {
  return file.package ? *file.package : std::filesystem::path(src.origin()).stem().string();
}

namespace {

std::string where_text(const diag::source_file& src, ast::span where) {
  const auto pos = src.position(where.begin);
  return src.origin() + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column);
}

}  // namespace

definition_table collect_definitions(const std::vector<const diag::source_file*>& sources,
                                     const std::vector<const ast::file*>& files, std::vector<diagnostic>& diags) {
  definition_table out;
  for (std::uint32_t f = 0; f < files.size(); ++f) {
    const auto& src = *sources[f];
    const std::string package = package_of(src, *files[f]);
    for (std::uint32_t i = 0; i < files[f]->definitions.size(); ++i) {
      const auto& d = files[f]->definitions[i];
      const char* word = d.what == ast::definition::kind::let ? "let" : "def";
      if (const builtin_info* fn = find_builtin(d.name)) {
        diags.push_back(src.make(d.name_span.begin, d.name_span.end, diag::code::duplicate_definition,
                                 "'" + d.name + "' is a built-in function",
                                 "choose another name; built-in: " + std::string(fn->signature)));
        continue;
      }
      const auto [it, fresh] =
          out.by_key.emplace(package + '\n' + d.name, static_cast<std::uint32_t>(out.entries.size()));
      if (!fresh) {
        const auto& first = out.entries[it->second];
        diags.push_back(
            src.make(d.name_span.begin, d.name_span.end, diag::code::duplicate_definition,
                     "'" + d.name + "' is defined twice in package '" + package + "': here and at " + first.place,
                     std::string("keep one of them, or rename this '") + word + "'"));
        continue;
      }
      out.entries.push_back({package, &d, f, i, where_text(src, d.name_span)});
    }
  }
  return out;
}

checked_file check_file(const diag::source_file& src, const ast::file& file, const definition_table& defs,
                        std::vector<diagnostic>& diags) {
  return checker(src, file, defs, diags).run();
}

checked_file check_file(const diag::source_file& src, const ast::file& file, std::vector<diagnostic>& diags) {
  static const definition_table none;
  return check_file(src, file, none, diags);
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

namespace joinup::check {

void check_definition_graph(const definition_table& defs, const std::vector<checked_file>& files,
                            std::uint32_t max_depth, std::vector<diagnostic>& diags) {
  const auto n = defs.entries.size();
  if (n == 0) return;
  // The checked files are parallel to the files the table was built from.
  const auto note_of = [&](std::uint32_t d) -> const definition_note* {
    const auto& e = defs.entries[d];
    if (e.file >= files.size() || e.index >= files[e.file].definitions.size()) return nullptr;
    return &files[e.file].definitions[e.index];
  };
  const auto make = [&](std::uint32_t d, ast::span where, diag::code code, std::string message, std::string help) {
    diags.push_back(
        files[defs.entries[d].file].source->make(where.begin, where.end, code, std::move(message), std::move(help)));
  };
  enum class color : std::uint8_t { white, gray, black };
  std::vector<color> state(n, color::white);
  std::vector<std::uint32_t> total(n, 0);  // the deepest nesting a use of it reaches
  std::vector<bool> too_deep(n, false);
  struct frame {
    std::uint32_t d;
    std::size_t next = 0;
  };
  std::vector<frame> stack;  // the walk is a loop: a chain of 100,000 definitions is fine
  for (std::uint32_t root = 0; root < n; ++root) {
    if (state[root] != color::white) continue;
    stack.push_back({root});
    state[root] = color::gray;
    while (!stack.empty()) {
      auto& top = stack.back();
      const definition_note* note = note_of(top.d);
      if (note && top.next < note->uses.size()) {
        const auto& u = note->uses[top.next++];
        if (state[u.definition] == color::white) {
          state[u.definition] = color::gray;
          stack.push_back({u.definition});
        } else if (state[u.definition] == color::gray) {
          // A cycle: the definitions on the stack from u.definition to here, then back to it.
          std::string chain;
          std::size_t from = stack.size();
          while (from > 0 && stack[from - 1].d != u.definition) --from;
          for (std::size_t k = from - 1; k < stack.size(); ++k) chain += defs.entries[stack[k].d].syntax->name + " → ";
          chain += defs.entries[u.definition].syntax->name;
          const auto& self = *defs.entries[top.d].syntax;
          const auto& expr = files[defs.entries[top.d].file].syntax->at(u.expr);
          const bool direct = u.definition == top.d;
          const bool is_let = defs.entries[u.definition].syntax->what == ast::definition::kind::let;
          make(top.d, expr.where, diag::code::recursive_definition,
               direct ? "'" + self.name + "' " + (is_let ? "needs its own value" : "calls itself")
                      : std::string(is_let ? "these definitions need each other's values: "
                                           : "these definitions call each other: ") +
                            chain,
               "a definition cannot reach itself, directly or through others: evaluation must always end");
        } else {
          total[top.d] = std::max(total[top.d], u.depth + total[u.definition]);
        }
        continue;
      }
      // Every use done: its callees' depths are known.
      const std::uint32_t d = top.d;
      if (note) {
        total[d] = std::max(total[d], note->height);
        bool below_too_deep = false;
        for (const auto& u : note->uses) {
          total[d] = std::max(total[d], u.depth + total[u.definition]);
          below_too_deep = below_too_deep || too_deep[u.definition];
        }
        too_deep[d] = total[d] > max_depth;
        if (too_deep[d] && !below_too_deep) {
          const auto& def = *defs.entries[d].syntax;
          make(d, def.name_span, diag::code::too_deep,
               "'" + def.name + "' nests " + std::to_string(total[d]) +
                   " levels deep with the definitions it uses, past the limit of " + std::to_string(max_depth),
               "a call or a let reads the definition's whole body at that point; shorten the chain of definitions "
               "or raise compile_options::max_expression_depth (--max-expression-depth)");
        }
      }
      state[d] = color::black;
      stack.pop_back();
    }
  }
  for (const auto& f : files)
    for (const auto& u : f.rule_uses) {
      if (too_deep[u.definition] || u.depth + total[u.definition] <= max_depth) continue;
      const auto& e = f.syntax->at(u.expr);
      diags.push_back(f.source->make(e.where.begin, e.where.end, diag::code::too_deep,
                                     "this use of '" + defs.entries[u.definition].syntax->name + "' nests " +
                                         std::to_string(u.depth + total[u.definition]) +
                                         " levels deep with the definitions it reaches, past the limit of " +
                                         std::to_string(max_depth),
                                     "shorten the expression or the chain of definitions"));
    }
}

}  // namespace joinup::check
