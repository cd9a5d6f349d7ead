// Lowering checked ASTs into the plan.
#include <re2/re2.h>

#include <algorithm>
#include <unordered_map>

#include "data/hash.hpp"
#include "diag/codes.hpp"
#include "plan/passes.hpp"
#include "plan/plan.hpp"

namespace joinup::plan {

namespace {

severity parse_severity(const std::optional<std::string>& s) {
  if (!s || *s == "error") return severity::error;
  if (*s == "warning") return severity::warning;
  return severity::info;
}

class lowerer {
 public:
  lowerer(program& out, std::vector<diagnostic>& diags, std::uint64_t max_regex_bytes)
      : out_(out), diags_(diags), max_regex_bytes_(max_regex_bytes) {}

  void file(const check::checked_file& f, std::uint32_t source_index) {
    f_ = &f;
    source_ = source_index;
    const auto& syn = *f.syntax;
    for (std::size_t i = 0; i < syn.rules.size(); ++i) rule(syn.rules[i], f.rules[i]);
  }

  // The definitions, after every rule: each body once, in a frame of slots of its own.
  void definitions(const check::definition_table& defs, const std::vector<check::checked_file>& files) {
    std::uint32_t next = out_.max_slots;
    out_.definitions.resize(defs.entries.size());
    for (std::uint32_t d = 0; d < defs.entries.size(); ++d) {
      const auto& e = defs.entries[d];
      f_ = &files[e.file];
      source_ = e.file;
      const auto& note = f_->definitions[e.index];
      auto& out = out_.definitions[d];
      out.first_slot = next;
      out.params = static_cast<std::uint32_t>(e.syntax->params.size());
      out.is_let = e.syntax->what == ast::definition::kind::let;
      out.name = f_->source->slice(e.syntax->name_span.begin, e.syntax->name_span.end);
      slot_base_ = next;
      out.root = expr(e.syntax->value);
      next += note.slot_count;
    }
    slot_base_ = 0;
    out_.max_slots = next;
  }

 private:
  void rule(const ast::rule& r, const check::rule_note& note) {
    const auto& src = *f_->source;
    rule_info info;
    info.full_id = note.full_id;
    info.package = note.package;
    info.id = r.id;
    info.title = r.title.value_or("");
    info.severity = parse_severity(r.severity);
    for (const auto& [t, _] : r.tags) info.tags.push_back(t);
    info.source = r.source.value_or("");
    if (r.rationale) info.rationale = raw(*r.rationale);
    if (r.remedy) info.remedy = raw(*r.remedy);
    info.origin = src.origin();
    info.position = src.position(r.where.begin);
    info.text = std::string(src.slice(r.where.begin, r.where.end));

    plan::rule p;
    p.source = source_;
    p.slot_count = note.slot_count;
    p.when = expr(r.when);
    for (std::size_t i = 0; i < r.steps.size(); ++i) {
      const auto& s = r.steps[i];
      step st;
      st.is_let = s.what == ast::step::kind::let;
      st.slot = note.step_slots[i];
      st.key_slot = note.step_key_slots[i];
      if (st.is_let) {
        st.value = expr(s.let.value);
        st.name = s.let.name;
      } else {
        st.value = expr(s.for_each.collection);
        st.filter = expr(s.for_each.filter);
        st.name = s.for_each.name;
      }
      p.steps.push_back(std::move(st));
    }
    for (const auto& q : r.requires_) {
      require rq;
      rq.condition = expr(q.condition);
      if (q.message) rq.message = templ(*q.message);
      const auto& c = f_->syntax->at(q.condition);
      rq.text = src.slice(c.where.begin, c.where.end);
      rq.position = src.position(c.where.begin);  // the expression, as in the spec's example
      p.requires_.push_back(std::move(rq));
    }
    if (r.message) p.message = templ(*r.message);
    if (r.remedy) p.remedy = templ(*r.remedy);
    if (r.undetermined) p.undetermined = templ(*r.undetermined);
    out_.max_slots = std::max(out_.max_slots, p.slot_count);
    out_.rules.push_back(std::move(p));
    out_.infos.push_back(std::move(info));
  }

  std::string raw(const ast::text_template& t) const {
    std::string s;
    for (const auto& part : t.parts) {
      if (part.is_expr) {
        const auto& e = f_->syntax->at(part.value);
        s += '{';
        s += f_->source->slice(e.where.begin, e.where.end);
        s += '}';
      } else {
        for (char c : part.text) {
          if (c == '{' || c == '}') s += c;  // written doubled in the source
          s += c;
        }
      }
    }
    return s;
  }

  text_template templ(const ast::text_template& t) {
    text_template out;
    for (const auto& part : t.parts)
      out.push_back({part.is_expr, part.text, part.is_expr ? expr(part.value) : no_index});
    return out;
  }

  std::uint32_t symbol(const std::string& s) {
    auto [it, fresh] = symbol_ids_.emplace(s, static_cast<std::uint32_t>(out_.symbols.size()));
    if (fresh) {
      out_.symbols.push_back(s);
      out_.symbol_texts.push_back(out_.symbols.back());
    }
    return it->second;
  }

  std::uint32_t push(node n) {
    out_.nodes.push_back(n);
    return static_cast<std::uint32_t>(out_.nodes.size() - 1);
  }

  std::uint32_t expr(ast::expr_id id) {
    if (id == no_index) return no_index;
    const auto& e = f_->syntax->at(id);
    const auto& note = f_->exprs[id];
    node n;
    n.where = e.where;
    n.text = f_->source->slice(e.where.begin, e.where.end);
    n.source = source_;
    n.op = e.op;
    switch (e.kind) {
      case ast::expr_kind::null_lit: n.constant = values::value::null(); break;
      case ast::expr_kind::bool_lit: n.constant = values::value::boolean(e.boolean); break;
      case ast::expr_kind::int_lit: n.constant = values::value::integer(e.integer); break;
      case ast::expr_kind::double_lit: n.constant = values::value::number(e.number); break;
      case ast::expr_kind::date_lit: n.constant = values::value::date(date{e.days}); break;
      case ast::expr_kind::string_lit:
        out_.strings.push_back(e.text);
        n.constant = values::value::string(out_.strings.back());
        break;
      case ast::expr_kind::list: {
        std::vector<std::uint32_t> kids;
        bool all_constant = true;
        for (auto a : e.args) {
          kids.push_back(expr(a));
          all_constant = all_constant && out_.nodes[kids.back()].code == opcode::constant;
        }
        if (all_constant) {
          auto& items = out_.lists.emplace_back();
          for (auto k : kids) items.push_back(out_.nodes[k].constant);
          n.constant = values::value::list(items.data(), static_cast<std::uint32_t>(items.size()));
        } else {
          n.code = opcode::list;
          n.first = static_cast<std::uint32_t>(out_.args.size());
          n.count = static_cast<std::uint32_t>(kids.size());
          out_.args.insert(out_.args.end(), kids.begin(), kids.end());
        }
        break;
      }
      case ast::expr_kind::name:
        if (note.definition != no_index) {
          n.code = opcode::global;
          n.sym = note.definition;
        } else if (note.document_name) {
          n.code = opcode::doc_name;
          n.sym = symbol(e.text);
        } else {
          n.code = opcode::slot;
          n.slot = slot_base_ + note.slot;
        }
        break;
      case ast::expr_kind::field:
        if (note.definition != no_index) {  // an imported package's let
          n.code = opcode::global;
          n.sym = note.definition;
          break;
        }
        n.code = opcode::field;
        n.a = expr(e.args[0]);
        n.sym = symbol(e.text);
        break;
      case ast::expr_kind::index:
        n.code = opcode::index;
        n.a = expr(e.args[0]);
        n.b = expr(e.args[1]);
        break;
      case ast::expr_kind::call: {
        if (note.definition != no_index) {
          n.code = opcode::call_def;
          n.sym = note.definition;
          std::vector<std::uint32_t> kids;
          for (auto a : e.args) kids.push_back(expr(a));
          n.first = static_cast<std::uint32_t>(out_.args.size());
          n.count = static_cast<std::uint32_t>(kids.size());
          out_.args.insert(out_.args.end(), kids.begin(), kids.end());
          break;
        }
        n.code = opcode::call;
        n.fn = note.fn->id;
        std::vector<std::uint32_t> kids;
        for (auto a : e.args) kids.push_back(expr(a));
        n.first = static_cast<std::uint32_t>(out_.args.size());
        n.count = static_cast<std::uint32_t>(kids.size());
        out_.args.insert(out_.args.end(), kids.begin(), kids.end());
        if (n.fn == check::builtin::matches) n.regex = constant_regex(kids[1]);
        break;
      }
      case ast::expr_kind::unary:
        n.code = opcode::unary;
        n.a = expr(e.args[0]);
        break;
      case ast::expr_kind::binary:
        n.code = opcode::binary;
        n.a = expr(e.args[0]);
        n.b = expr(e.args[1]);
        if (e.op == ast::op::matches) n.regex = constant_regex(n.b);
        break;
      case ast::expr_kind::between:
        n.code = opcode::between;
        n.a = expr(e.args[0]);
        n.b = expr(e.args[1]);
        n.c = expr(e.args[2]);
        break;
      case ast::expr_kind::quantifier:
      case ast::expr_kind::aggregate:
      case ast::expr_kind::comprehension:
        n.code = e.kind == ast::expr_kind::quantifier  ? opcode::quantifier
                 : e.kind == ast::expr_kind::aggregate ? opcode::aggregate
                                                       : opcode::comprehension;
        n.a = expr(e.bind.collection);
        n.b = expr(e.bind.filter);
        n.c = e.args.empty() ? no_index : expr(e.args[0]);
        n.slot = slot_base_ + note.slot;
        n.key_slot = note.key_slot == no_index ? no_index : slot_base_ + note.key_slot;
        n.bound = f_->source->slice(e.bind.name_span.begin, e.bind.name_span.end);
        break;
      case ast::expr_kind::conditional: {
        n.code = opcode::conditional;
        n.a = expr(e.args[0]);
        n.b = expr(e.args[1]);
        n.c = expr(e.args[2]);
        // A constant condition chooses its branch now (the other is lowered, never reached).
        const auto& c = out_.nodes[n.a];
        if (c.code == opcode::constant && c.constant.kind == values::vkind::boolean) return c.constant.u.b ? n.b : n.c;
        break;
      }
    }
    if (n.code == opcode::quantifier) n.join = joinable(n);
    const std::uint32_t lowered = push(n);
    if (foldable(out_.nodes[lowered])) fold_constant(out_, lowered);
    return lowered;
  }

  // The operands of a node, in no particular order.
  template <class F>
  void for_operands(const node& n, F&& f) const {
    for (auto k : {n.a, n.b, n.c})
      if (k != no_index) f(k);
    if (n.code == opcode::call || n.code == opcode::list || n.code == opcode::call_def)
      for (std::uint32_t i = 0; i < n.count; ++i) f(out_.args[n.first + i]);
  }

  bool reads_slot(std::uint32_t id, std::uint32_t slot) const {
    const auto& n = out_.nodes[id];
    if (n.code == opcode::slot) return n.slot == slot;
    bool found = false;
    for_operands(n, [&](std::uint32_t k) { found = found || reads_slot(k, slot); });
    return found;
  }

  // Reads no name but `slot` (document names aside) and binds none of its own.
  bool reads_only(std::uint32_t id, std::uint32_t slot) const {
    const auto& n = out_.nodes[id];
    if (n.code == opcode::slot) return n.slot == slot;
    if (n.code == opcode::quantifier || n.code == opcode::aggregate || n.code == opcode::comprehension) return false;
    bool ok = true;
    for_operands(n, [&](std::uint32_t k) { ok = ok && reads_only(k, slot); });
    return ok;
  }

  // See node::join. A membership or equality test inside `any`/`none` without a filter is a join:
  // an index of what is searched turns O(|C| x |F|) per subject into O(1) after one pass over C.
  node::join_form joinable(const node& q) const {
    using form = node::join_form;
    if (q.op != ast::op::any && q.op != ast::op::none_of) return form::none;
    if (q.b != no_index || q.key_slot != no_index || q.c == no_index) return form::none;
    const auto& body = out_.nodes[q.c];
    if (body.code != opcode::binary) return form::none;
    const bool x_then_f = !reads_slot(body.a, q.slot) && reads_only(body.b, q.slot);
    if (body.op == ast::op::in) return x_then_f ? form::in : form::none;
    if (body.op != ast::op::eq) return form::none;
    if (x_then_f) return form::equals;
    return !reads_slot(body.b, q.slot) && reads_only(body.a, q.slot) ? form::equals_swapped : form::none;
  }

  // Operators and pure built-ins whose operands are all constants are evaluated once, here.
  bool foldable(const node& n) const {
    auto is_const = [&](std::uint32_t k) { return k == no_index || out_.nodes[k].code == opcode::constant; };
    switch (n.code) {
      case opcode::unary:
      case opcode::binary:
      case opcode::between: return is_const(n.a) && is_const(n.b) && is_const(n.c);
      case opcode::call:
        if (n.fn == check::builtin::today || n.fn == check::builtin::has) return false;
        for (std::uint32_t i = 0; i < n.count; ++i)
          if (!is_const(out_.args[n.first + i])) return false;
        return true;
      default: return false;
    }
  }

  // RE2's error text ends with the pattern itself; the caret already shows it.
  static std::string regex_problem(const RE2& re) {
    std::string e = re.error();
    if (auto colon = e.find(": "); colon != std::string::npos) e = e.substr(0, colon);
    switch (re.error_code()) {
      case RE2::ErrorMissingParen: return "a '(' is not closed";
      case RE2::ErrorUnexpectedParen: return "a ')' closes nothing";
      case RE2::ErrorMissingBracket: return "a '[' is not closed";
      case RE2::ErrorBadEscape: return "an escape sequence RE2 does not know";
      case RE2::ErrorRepeatArgument: return "a repetition ('*', '+' or '?') has nothing to repeat";
      case RE2::ErrorBadPerlOp: return "lookahead, lookbehind and backreferences are not supported";
      default: return e;
    }
  }

  // A pattern written as a string literal is compiled once, here; a bad one is a load-time error.
  std::uint32_t constant_regex(std::uint32_t pattern) {
    const auto& p = out_.nodes[pattern];
    if (p.code != opcode::constant || p.constant.kind != values::vkind::string) return no_index;
    if (p.constant.len > max_regex_bytes_) {
      diags_.push_back(f_->source->make(p.where.begin, p.where.end, diag::code::too_large,
                                        "a regular expression of " + std::to_string(p.constant.len) +
                                            " bytes is longer than the limit of " + std::to_string(max_regex_bytes_) +
                                            " bytes",
                                        "shorten the pattern, or raise compile_options::max_regex_bytes "
                                        "(--max-regex-bytes)"));
      return no_index;
    }
    RE2::Options opts;
    opts.set_log_errors(false);
    auto re = std::make_shared<const RE2>(re2::StringPiece(p.constant.u.s, p.constant.len), opts);
    if (!re->ok()) {
      diags_.push_back(f_->source->make(p.where.begin, p.where.end, diag::code::invalid_regex,
                                        "invalid regular expression: " + regex_problem(*re),
                                        "patterns use RE2 syntax; escape a literal '(' or '.' with '\\\\'"));
      return no_index;
    }
    out_.regexes.push_back(std::move(re));
    return static_cast<std::uint32_t>(out_.regexes.size() - 1);
  }

  program& out_;
  std::vector<diagnostic>& diags_;
  std::uint64_t max_regex_bytes_;
  const check::checked_file* f_ = nullptr;
  std::uint32_t source_ = 0;
  std::uint32_t slot_base_ = 0;  // 0 in rules; a definition's first slot in its body
  std::unordered_map<std::string, std::uint32_t> symbol_ids_;
};

}  // namespace

namespace {

program lower_all(const std::vector<check::checked_file>& files,
                  const std::vector<std::shared_ptr<const diag::source_file>>& sources,
                  const check::definition_table* defs, std::vector<diagnostic>& diags, std::uint64_t max_regex_bytes) {
  program out;
  out.sources = sources;
  lowerer l(out, diags, max_regex_bytes);
  for (std::size_t i = 0; i < files.size(); ++i) l.file(files[i], static_cast<std::uint32_t>(i));
  if (defs) l.definitions(*defs, files);
  mark_hints(out);
  mark_kernels(out);
  mark_groups(out);
  mark_fusions(out);
  mark_guards(out);
  mark_quick_tests(out);
  out.uid = data::next_uid();  // the nodes are final
  return out;
}

}  // namespace

program lower(const std::vector<check::checked_file>& files,
              const std::vector<std::shared_ptr<const diag::source_file>>& sources, std::vector<diagnostic>& diags,
              std::uint64_t max_regex_bytes) {
  return lower_all(files, sources, nullptr, diags, max_regex_bytes);
}

void lower(const std::vector<check::checked_file>& files,
           const std::vector<std::shared_ptr<const diag::source_file>>& sources, const check::definition_table& defs,
           program& out, std::vector<diagnostic>& diags, std::uint64_t max_regex_bytes) {
  out = lower_all(files, sources, &defs, diags, max_regex_bytes);
}

void lower(const std::vector<check::checked_file>& files,
           const std::vector<std::shared_ptr<const diag::source_file>>& sources, program& out,
           std::vector<diagnostic>& diags, std::uint64_t max_regex_bytes) {
  out = lower(files, sources, diags, max_regex_bytes);
}

}  // namespace joinup::plan
