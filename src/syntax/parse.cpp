// The parser's driver: pre-scan, run the grammar on each piece, and turn the concrete syntax into
// ast::file — decoding literals, checking clause order and counts. Grammar failures are worded in
// failure.cpp.
#include "syntax/parse.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "diag/codes.hpp"
#include "diag/text.hpp"
#include "joinup/document.hpp"
#include "syntax/failure.hpp"
#include "syntax/scan.hpp"
#include "syntax/tree.hpp"

namespace joinup::syntax {

namespace {

using detail::clause_kind;
using detail::node;
using detail::node_kind;

constexpr const char* body_order_help =
    "a rule body goes: when, then let and for each, then require (each may have a message), "
    "then the rule's message";

using detail::is_word_char;

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
std::uint32_t hex_value(char c) { return static_cast<std::uint32_t>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10); }

const char* clause_word(clause_kind k) {
  switch (k) {
    case clause_kind::severity: return "severity";
    case clause_kind::tags: return "tags";
    case clause_kind::source: return "source";
    case clause_kind::rationale: return "rationale";
    case clause_kind::remedy: return "remedy";
    case clause_kind::undetermined: return "undetermined";
    case clause_kind::when: return "when";
    case clause_kind::let: return "let";
    case clause_kind::for_each: return "for each";
    case clause_kind::require: return "require";
    case clause_kind::message: return "message";
  }
  return "";
}

class converter {
 public:
  converter(const diag::source_file& src, ast::file& out, std::vector<diagnostic>& diags, const parse_limits& limits)
      : src_(src), t_(src.text()), out_(out), diags_(diags), limits_(limits) {
    b_.base = t_.data();
  }

  detail::builder& builder() { return b_; }

  void error(std::uint32_t b, std::uint32_t e, diag::code code, std::string message, std::string help = {}) {
    diags_.push_back(src_.make(b, e, code, std::move(message), std::move(help)));
  }

  // Each word is within the limit (the scanner checks), but a dotted or hyphenated name of many
  // words may not be.
  void name_length(ast::span s, std::string_view what) {
    const auto message = ast::name_length_error(what, src_.slice(s.begin, s.end));
    if (!message.empty())
      error(
          s.begin, s.end, diag::code::too_long, message,
          "names are at most " + std::to_string(ast::max_name_length) + " characters long, dots and hyphens included");
  }

  std::uint32_t line_of(std::uint32_t offset) const { return src_.position(offset).line; }

  // A grammar failure, worded (failure.cpp).
  void report(const detail::failure& f, std::string_view fallback_which) {
    detail::report_failure(src_, b_, f, fallback_which, diags_);
  }

  // ---- literals ---------------------------------------------------------------------------------

  // Decodes one escape at t_[i] == '\\' into `into`; returns the offset after it.
  std::uint32_t escape(std::uint32_t i, std::uint32_t stop, std::string& into) {
    const char c = i + 1 < stop ? t_[i + 1] : '\0';
    switch (c) {
      case '"': into += '"'; return i + 2;
      case '\\': into += '\\'; return i + 2;
      case 'n': into += '\n'; return i + 2;
      case 't': into += '\t'; return i + 2;
      case 'u': {
        std::uint32_t j = i + 2;
        bool ok = j < stop && t_[j] == '{';
        std::uint32_t cp = 0, digits = 0;
        bool braced = false;  // \u{ hex digits }
        if (ok) {
          ++j;
          while (j < stop && is_hex(t_[j]) && digits < 7) {
            cp = cp * 16 + hex_value(t_[j]);
            ++digits;
            ++j;
          }
          braced = j < stop && t_[j] == '}' && digits >= 1 && digits <= 6;
          ok = braced && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
          if (j < stop && t_[j] == '}') ++j;
        }
        if (!ok) {
          std::string help = "write \\u{...} with 1 to 6 hex digits naming a Unicode character";
          if (braced && cp > 0x10FFFF) {
            help = "the largest code point is \\u{10FFFF}";
          } else if (braced) {
            help = "\\u{D800} to \\u{DFFF} are surrogate code points, not characters";
          }
          error(i, j, diag::code::invalid_escape, "invalid escape '" + std::string(src_.slice(i, j)) + "'", help);
          return j;
        }
        diag::append_utf8(into, cp);
        return j;
      }
      default: {
        std::uint32_t j = std::min(stop, i + 2);
        while (j < stop && (static_cast<unsigned char>(t_[j]) & 0xC0) == 0x80) ++j;
        error(i, j, diag::code::invalid_escape, "invalid escape '" + std::string(src_.slice(i, j)) + "'",
              "the escapes are \\\" \\\\ \\n \\t and \\u{...}; write '\\\\' for a backslash");
        return j;
      }
    }
  }

  // The value of a plain string literal, quotes included in `s`.
  std::string plain(ast::span s) {
    std::string v;
    const std::uint32_t stop = s.end - 1;
    for (std::uint32_t i = s.begin + 1; i < stop;) {
      if (t_[i] == '\\') {
        i = escape(i, stop, v);
      } else {
        v += t_[i++];
      }
    }
    return v;
  }
  std::string plain(const std::vector<ast::span>& pieces) {
    std::string v;
    for (const auto& s : pieces) v += plain(s);
    return v;
  }

  // Template text: literal parts (adjacent ones merged, across pieces too) and {EXPR} holes.
  struct template_builder {
    ast::text_template result;
    std::string text;
    ast::span text_where{0, 0};
    bool pending = false;
    void flush() {
      if (pending) {
        ast::template_part p;
        p.text = std::move(text);
        p.where = text_where;
        result.parts.push_back(std::move(p));
      }
      text.clear();
      pending = false;
    }
  };

  void template_body(std::uint32_t from, std::uint32_t stop, template_builder& tb) {
    std::uint32_t i = from;
    auto literal = [&](std::uint32_t start) {
      if (!tb.pending) {
        tb.pending = true;
        tb.text_where.begin = start;
      }
    };
    while (i < stop) {
      const char c = t_[i];
      const std::uint32_t start = i;
      if (c == '\\') {
        literal(start);
        i = escape(i, stop, tb.text);
      } else if ((c == '{' || c == '}') && i + 1 < stop && t_[i + 1] == c) {
        literal(start);
        tb.text += c;
        i += 2;
      } else if (c == '{') {
        tb.flush();
        const std::uint32_t close = detail::hole_end(t_, i, stop);
        ast::template_part p;
        p.is_expr = true;
        p.where = {i, std::min(stop, close + 1)};
        std::uint32_t root = no_index;
        detail::failure f;
        if (detail::parse_expression(b_, t_.data() + i + 1, t_.data() + close, detail::expression_end::hole, root, f)) {
          p.value = expression(root);
        } else {
          report(f, "an expression");
        }
        tb.result.parts.push_back(std::move(p));
        i = close + 1;
        continue;
      } else if (c == '}') {
        error(i, i + 1, diag::code::syntax, "unmatched '}' in a template", "write '}}' for a literal '}'");
        ++i;
      } else {
        literal(start);
        tb.text += c;
        ++i;
      }
      if (tb.pending) tb.text_where.end = i;
    }
  }

  ast::text_template text(const std::vector<ast::span>& pieces) {
    template_builder tb;
    for (const auto& s : pieces) template_body(s.begin + 1, s.end - 1, tb);
    tb.flush();
    if (!pieces.empty()) tb.result.where = {pieces.front().begin, pieces.back().end};
    return std::move(tb.result);
  }
  ast::text_template text_source() {
    template_builder tb;
    const auto n = static_cast<std::uint32_t>(t_.size());
    template_body(0, n, tb);
    tb.flush();
    tb.result.where = {0, n};
    return std::move(tb.result);
  }

  bool valid_number_text(std::string_view s) const {
    std::size_t i = 0;
    auto digits = [&] {
      if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) return false;
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
        ++i;
        if (i + 1 < s.size() && s[i] == '_' && std::isdigit(static_cast<unsigned char>(s[i + 1]))) ++i;
      }
      return true;
    };
    if (!digits()) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      if (!digits()) return false;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
      ++i;
      if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
      if (!digits()) return false;
    }
    return i == s.size();
  }

  // A number literal at `s`, negated when `negate` (the '-' is folded into the literal).
  void number(ast::span s, bool negate, ast::expr& e) {
    const auto raw = src_.slice(s.begin, s.end);
    e.kind = ast::expr_kind::int_lit;
    if (!valid_number_text(raw)) {
      error(s.begin, s.end, diag::code::invalid_number, "'" + std::string(raw) + "' is not a number",
            "write digits with optional '_' between them, a decimal point and an exponent, as in 1_000, 0.5 or 2e6");
      return;
    }
    std::string clean;
    for (char c : raw)
      if (c != '_') clean += c;
    if (clean.find_first_of(".eE") == std::string::npos) {
      std::uint64_t magnitude = 0;
      auto [p, ec] = std::from_chars(clean.data(), clean.data() + clean.size(), magnitude);
      const std::uint64_t limit = negate ? std::uint64_t{1} << 63 : (std::uint64_t{1} << 63) - 1;
      if (ec != std::errc() || p != clean.data() + clean.size() || magnitude > limit) {
        error(s.begin, s.end, diag::code::invalid_number, "'" + std::string(raw) + "' is too large for an integer",
              "integers are 64-bit, up to 9223372036854775807; write a decimal point for a larger number");
        return;
      }
      e.integer = negate ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
      return;
    }
    e.kind = ast::expr_kind::double_lit;
    double v = 0;
    auto [p, ec] = std::from_chars(clean.data(), clean.data() + clean.size(), v);
    if (ec != std::errc() || p != clean.data() + clean.size() || !std::isfinite(v)) {
      // from_chars fails both ways: past the largest double, and too small to be told from zero.
      // (A negative exponent tells which but for literals of more than 300 digits.)
      const auto exponent = clean.find_first_of("eE");
      const bool small = exponent != std::string::npos && exponent + 1 < clean.size() && clean[exponent + 1] == '-';
      error(s.begin, s.end, diag::code::invalid_number,
            "'" + std::string(raw) +
                (small ? "' is too small for a number: it is not zero, but would read as 0"
                       : "' is too large for a number"),
            "numbers are 64-bit floating point");
      return;
    }
    e.number = negate ? -v : v;
  }

  // ---- expressions ------------------------------------------------------------------------------

  std::uint32_t max_tree_depth() const { return 2 * limits_.max_nesting; }

  // A root expression (or binder): too deep a tree is refused before it is walked recursively.
  ast::expr_id expression(std::uint32_t id) {
    if (id == no_index) return no_index;
    if (!depth_ok(id)) return no_index;
    return convert(id);
  }
  bool depth_ok(std::uint32_t id) {
    const node& n = b_.nodes[id];
    if (n.depth <= max_tree_depth()) return true;
    error(n.where.begin, n.where.end, diag::code::too_deep, "expression too deeply nested",
          "an expression may nest at most " + std::to_string(max_tree_depth()) +
              " operators deep; split it up with 'let'");
    return false;
  }

  ast::binder binder(std::uint32_t id) {
    const node n = b_.nodes[id];
    ast::binder bd;
    if (n.has_key) {
      bd.key_name = std::string(src_.slice(n.key.begin, n.key.end));
      bd.key_span = n.key;
    }
    bd.name = std::string(src_.slice(n.name.begin, n.name.end));
    bd.name_span = n.name;
    if (!n.kids.empty()) bd.collection = convert(n.kids[0]);
    if (n.kids.size() > 1) bd.filter = convert(n.kids[1]);
    return bd;
  }

  ast::expr_id convert(std::uint32_t id) {
    const node n = b_.nodes[id];  // a copy: converting children may not add nodes, but stay safe
    ast::expr e;
    e.where = n.where;
    e.op = n.op;
    auto kids = [&] {
      for (auto k : n.kids) e.args.push_back(k == no_index ? no_index : convert(k));
    };
    switch (n.kind) {
      case node_kind::null_lit: e.kind = ast::expr_kind::null_lit; break;
      case node_kind::bool_lit:
        e.kind = ast::expr_kind::bool_lit;
        e.boolean = n.boolean;
        break;
      case node_kind::number: number(n.name, false, e); break;
      case node_kind::string:
        e.kind = ast::expr_kind::string_lit;
        e.text = plain(n.name);
        break;
      case node_kind::date: {
        e.kind = ast::expr_kind::date_lit;
        const auto raw = src_.slice(n.name.begin, n.name.end);
        if (auto d = date::parse(raw.substr(1))) {
          e.days = d->days;
        } else {
          error(n.name.begin, n.name.end, diag::code::invalid_date, "'" + std::string(raw) + "' is not a date",
                "write a real calendar day as @YYYY-MM-DD, as in @2026-03-31");
        }
        break;
      }
      case node_kind::name:
        e.kind = ast::expr_kind::name;
        e.text = std::string(src_.slice(n.name.begin, n.name.end));
        break;
      case node_kind::list:
        e.kind = ast::expr_kind::list;
        kids();
        break;
      case node_kind::field:
        e.kind = ast::expr_kind::field;
        e.text = std::string(src_.slice(n.name.begin, n.name.end));
        e.name_span = n.name;
        kids();
        break;
      case node_kind::index:
        e.kind = ast::expr_kind::index;
        kids();
        break;
      case node_kind::call:
        e.kind = ast::expr_kind::call;
        e.text = std::string(src_.slice(n.name.begin, n.name.end));
        e.name_span = n.name;
        kids();
        break;
      case node_kind::unary: {
        const node& operand = b_.nodes[n.kids[0]];
        if (n.op == ast::op::neg && operand.kind == node_kind::number && !operand.parens) {
          number(operand.name, true, e);
          e.op = ast::op::none;
          break;
        }
        e.kind = ast::expr_kind::unary;
        kids();
        if (n.op == ast::op::neg) {  // fold `- -5` and `-(5)` too
          ast::expr& inner = out_.exprs[e.args[0]];
          if (inner.kind == ast::expr_kind::double_lit) {
            inner.number = -inner.number;
            inner.where = n.where;
            return e.args[0];
          }
          if (inner.kind == ast::expr_kind::int_lit && inner.integer != std::numeric_limits<std::int64_t>::min()) {
            inner.integer = -inner.integer;
            inner.where = n.where;
            return e.args[0];
          }
        }
        break;
      }
      case node_kind::binary:
      case node_kind::between:
        e.kind = n.kind == node_kind::binary ? ast::expr_kind::binary : ast::expr_kind::between;
        if (n.chained_at != no_index) {
          const ast::span op = detail::token_at(t_, n.chained_at);
          error(op.begin, op.end, diag::code::chained_comparison,
                "comparisons cannot be chained: '" + std::string(src_.slice(op.begin, op.end)) +
                    "' follows another comparison",
                "combine comparisons with 'and', as in 'a < b and b < c'");
        }
        kids();
        break;
      case node_kind::quantifier:
        e.kind = ast::expr_kind::quantifier;
        e.bind = binder(n.bind);
        kids();
        break;
      case node_kind::aggregate:
        e.kind = ast::expr_kind::aggregate;
        e.text = std::string(src_.slice(n.name.begin, n.name.end));
        e.name_span = n.name;
        e.bind = binder(n.bind);
        kids();
        break;
      case node_kind::comprehension:
        e.kind = ast::expr_kind::comprehension;
        e.bind = binder(n.bind);
        kids();
        break;
      case node_kind::binder: break;  // never a root: binders are converted by binder()
      case node_kind::conditional:
        e.kind = ast::expr_kind::conditional;
        kids();
        break;
    }
    return out_.add(std::move(e));
  }

  // ---- rules ------------------------------------------------------------------------------------

  void header() {
    const auto& h = b_.header;
    if (h.has_package) {
      out_.package = std::string(src_.slice(h.package.begin, h.package.end));
      out_.package_span = h.package;
      name_length(h.package, "a package name");
    }
    if (h.has_schema) {
      out_.schema = plain(h.schema);
      out_.schema_span = h.schema;
    }
    for (const auto& u : h.uses) out_.uses.emplace_back(std::string(src_.slice(u.begin, u.end)), u);
  }

  void definition() {
    const detail::definition_syntax& d = b_.definition;
    const std::string name(src_.slice(d.name.begin, d.name.end));
    if (d.what == detail::definition_syntax::kind::import) {
      name_length(d.name, "a package name");
      out_.imports.emplace_back(name, d.name);
      return;
    }
    ast::definition def;
    def.what = d.what == detail::definition_syntax::kind::let ? ast::definition::kind::let : ast::definition::kind::def;
    def.name = name;
    def.name_span = d.name;
    for (const auto& p : d.params) def.params.emplace_back(std::string(src_.slice(p.begin, p.end)), p);
    def.value = expression(d.value);
    def.where = {d.keyword.begin, d.value == no_index ? d.name.end : b_.nodes[d.value].where.end};
    out_.definitions.push_back(std::move(def));
  }

  void rule() {
    const detail::rule_syntax rs = b_.rule;
    ast::rule r;
    r.id = std::string(src_.slice(rs.id.begin, rs.id.end));
    r.id_span = rs.id;
    name_length(rs.id, "a rule id");
    if (!rs.title.empty()) r.title = plain(rs.title);
    r.where = {rs.keyword.begin, rs.close.end};

    const detail::clause* first_of[11] = {};
    bool body_started = false;  // a when/let/for each/require/message was seen
    bool prev_was_require = false;
    const detail::clause* prev_message = nullptr;  // the message just before, if the last clause was one
    for (const auto& c : rs.clauses) {
      r.written.push_back({clause_word(c.kind), c.keyword, {c.keyword.begin, clause_end(c)}});
      const auto kind_index = static_cast<std::size_t>(c.kind);
      const std::string word = clause_word(c.kind);
      const bool is_metadata = c.kind <= clause_kind::undetermined;
      const bool was_require = prev_was_require;
      prev_was_require = c.kind == clause_kind::require;
      const detail::clause* const message_before = prev_message;
      prev_message = c.kind == clause_kind::message ? &c : nullptr;
      if (is_metadata) {
        if (body_started) {
          error(c.keyword.begin, c.keyword.end, diag::code::misplaced_clause,
                "'" + word + "' must come before the rule body",
                "metadata (severity, tags, source, rationale, remedy, undetermined) comes first; " +
                    std::string(body_order_help));
          continue;
        }
        if (first_of[kind_index]) {
          error(c.keyword.begin, c.keyword.end, diag::code::duplicate_metadata, "'" + word + "' given twice",
                "it was first given on line " + std::to_string(line_of(first_of[kind_index]->keyword.begin)) +
                    "; keep one");
          continue;
        }
        first_of[kind_index] = &c;
        metadata(c, r);
        continue;
      }
      switch (c.kind) {
        case clause_kind::when:
          if (first_of[kind_index]) {
            error(c.keyword.begin, c.keyword.end, diag::code::misplaced_clause, "'when' given twice",
                  "it was first given on line " + std::to_string(line_of(first_of[kind_index]->keyword.begin)) +
                      "; combine the conditions with 'and'");
            break;
          }
          first_of[kind_index] = &c;
          if (body_started) {
            error(c.keyword.begin, c.keyword.end, diag::code::misplaced_clause,
                  "'when' must come first in the rule body", body_order_help);
            break;
          }
          r.when = expression(c.value);
          break;
        case clause_kind::let:
        case clause_kind::for_each: {
          if (!r.requires_.empty()) {
            error(c.keyword.begin, c.keyword.end, diag::code::misplaced_clause,
                  "'" + word + "' cannot come after 'require'", body_order_help);
            break;
          }
          ast::step s;
          if (c.kind == clause_kind::let) {
            s.what = ast::step::kind::let;
            s.let.name = std::string(src_.slice(c.name.begin, c.name.end));
            s.let.name_span = c.name;
            s.let.value = expression(c.value);
          } else {
            s.what = ast::step::kind::for_each;
            if (depth_ok(c.value)) s.for_each = binder(c.value);
          }
          s.where = {c.keyword.begin, c.value == no_index ? c.keyword.end : b_.nodes[c.value].where.end};
          r.steps.push_back(std::move(s));
          break;
        }
        case clause_kind::require: {
          ast::require_clause q;
          q.condition = expression(c.value);
          q.where = {c.keyword.begin, c.value == no_index ? c.keyword.end : b_.nodes[c.value].where.end};
          r.requires_.push_back(std::move(q));
          break;
        }
        case clause_kind::message:
          if (r.requires_.empty()) {
            error(c.keyword.begin, c.keyword.end, diag::code::misplaced_clause, "'message' must follow a 'require'",
                  body_order_help);
          } else if (message_before) {
            error(c.keyword.begin, c.keyword.end, diag::code::misplaced_clause, "'message' given twice",
                  "it was first given on line " + std::to_string(line_of(message_before->keyword.begin)) +
                      "; a 'require' takes one message");
          } else if (!was_require) {
            error(c.keyword.begin, c.keyword.end, diag::code::misplaced_clause, "'message' must follow a 'require'",
                  body_order_help);
          } else {
            r.requires_.back().message = text(c.strings);
          }
          break;
        default: break;
      }
      body_started = true;
    }
    // The message after the last require is the rule's default message.
    if (!r.requires_.empty() && r.requires_.back().message) {
      r.message = std::move(r.requires_.back().message);
      r.requires_.back().message.reset();
    }
    if (std::none_of(rs.clauses.begin(), rs.clauses.end(),
                     [](const detail::clause& c) { return c.kind == clause_kind::require; })) {
      error(rs.id.begin, rs.id.end, diag::code::syntax, "rule '" + r.id + "' has no 'require'",
            "add the condition the rule checks: require EXPR");
    }
    out_.rules.push_back(std::move(r));
  }

  // Where a clause ends: its last string, word or expression (tags: the closing ']').
  std::uint32_t clause_end(const detail::clause& c) const {
    if (c.kind == clause_kind::tags) {
      std::uint32_t i = c.tags.empty() ? c.keyword.end : c.tags.back().first.end;
      while (i < t_.size() && t_[i] != ']') {
        if (t_[i] == '#') {
          while (i < t_.size() && t_[i] != '\n') ++i;
        } else {
          ++i;
        }
      }
      return std::min<std::uint32_t>(static_cast<std::uint32_t>(t_.size()), i + 1);
    }
    if (!c.strings.empty()) return c.strings.back().end;
    if (c.value != no_index) return b_.nodes[c.value].where.end;
    if (c.name.end > c.keyword.end) return c.name.end;
    return c.keyword.end;
  }

  void metadata(const detail::clause& c, ast::rule& r) {
    switch (c.kind) {
      case clause_kind::severity: {
        const std::string v(src_.slice(c.name.begin, c.name.end));
        if (v != "error" && v != "warning" && v != "info") {
          error(c.name.begin, c.name.end, diag::code::invalid_severity, "unknown severity '" + v + "'",
                "expected error, warning or info");
        }
        r.severity = v;
        r.severity_span = c.name;
        break;
      }
      case clause_kind::tags:
        for (const auto& [s, is_string] : c.tags)
          r.tags.emplace_back(is_string ? plain(s) : std::string(src_.slice(s.begin, s.end)), s);
        break;
      case clause_kind::source: r.source = plain(c.strings); break;
      case clause_kind::rationale: r.rationale = text(c.strings); break;
      case clause_kind::remedy: r.remedy = text(c.strings); break;
      case clause_kind::undetermined: r.undetermined = text(c.strings); break;
      default: break;
    }
  }

 private:
  const diag::source_file& src_;
  const std::string& t_;
  ast::file& out_;
  std::vector<diagnostic>& diags_;
  const parse_limits& limits_;
  detail::builder b_;
};

}  // namespace

bool parse(const diag::source_file& src, parse_mode mode, ast::file& into, parse_output& out,
           std::vector<diagnostic>& diags, const parse_limits& limits) {
  const std::size_t first_diag = diags.size();
  converter cv(src, into, diags, limits);
  const std::string& text = src.text();
  const char* base = text.data();

  // Rule text is text: a control character (a NUL byte, say) is a damaged or binary file, and
  // would reach titles, messages and the YAML form as it is. Strings write them as escapes.
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
      char name[8];
      std::snprintf(name, sizeof name, "U+%04X", static_cast<unsigned>(c));
      const auto at = static_cast<std::uint32_t>(i);
      char escape[12];
      std::snprintf(escape, sizeof escape, "\\u{%x}", static_cast<unsigned>(c));
      diags.push_back(src.make(at, at + 1, diag::code::control_character,
                               std::string("control character ") + name + " in rule text",
                               std::string("rule files are text; in a string, write it as the escape ") + escape));
      return false;
    }
  }

  switch (mode) {
    case parse_mode::rule_file: {
      if (into.origin.empty()) into.origin = src.origin();
      auto scanned = detail::scan(src, detail::scan_mode::rule_file, limits.max_nesting, diags);
      into.comments.insert(into.comments.end(), scanned.comments.begin(), scanned.comments.end());
      for (const auto& ch : scanned.chunks) {
        if (ch.bad) continue;
        detail::failure f;
        if (ch.is_definition) {
          if (detail::parse_definition(cv.builder(), base + ch.begin, base + ch.end, f)) {
            cv.definition();
          } else {
            cv.report(f, "a definition");
          }
        } else if (!ch.is_rule) {
          if (detail::parse_header(cv.builder(), base + ch.begin, base + ch.end, f)) {
            cv.header();
          } else {
            cv.report(f, "'package', 'schema', 'uses' or 'rule'");
          }
        } else if (detail::parse_rule(cv.builder(), base + ch.begin, base + ch.end, f)) {
          cv.rule();
        } else {
          cv.report(f, "a rule");
        }
      }
      break;
    }
    case parse_mode::expression: {
      auto scanned = detail::scan(src, detail::scan_mode::expression, limits.max_nesting, diags);
      into.comments.insert(into.comments.end(), scanned.comments.begin(), scanned.comments.end());
      if (scanned.chunks.front().bad) break;
      std::uint32_t root = no_index;
      detail::failure f;
      if (detail::parse_expression(cv.builder(), base, base + text.size(), detail::expression_end::input, root, f)) {
        out.expression = cv.expression(root);
      } else {
        cv.report(f, "an expression");
      }
      break;
    }
    case parse_mode::text_template: {
      auto scanned = detail::scan(src, detail::scan_mode::text_template, limits.max_nesting, diags);
      if (scanned.chunks.front().bad) break;
      out.text = cv.text_source();
      break;
    }
  }

  std::stable_sort(diags.begin() + static_cast<std::ptrdiff_t>(first_diag), diags.end(),
                   [](const diagnostic& a, const diagnostic& b) {
                     return a.line != b.line ? a.line < b.line : a.column < b.column;
                   });
  return diags.size() == first_diag;
}

}  // namespace joinup::syntax
