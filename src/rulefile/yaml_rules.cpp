// Reading YAML rule files. The YAML is loaded as a data document (which keeps the byte offset of
// every value); each expression string is then parsed on its own, as YAML decoded it, and every
// span and diagnostic is mapped back to the bytes of the YAML file that produced it. For plain
// and quoted scalars without escapes, and for block scalars, that is exact to the character; an
// escape sequence (`\"` in a double-quoted scalar) maps to the whole sequence.
#include "rulefile/yaml_rules.hpp"

#include "data/keys.hpp"

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <span>

#include "base/no_index.hpp"
#include "diag/codes.hpp"
#include "diag/read.hpp"
#include "diag/text.hpp"
#include "joinup/document.hpp"

namespace joinup::rulefile {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_word(char c) { return is_alpha(c) || is_digit(c) || c == '_'; }

int hex(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes the escape of a double-quoted YAML scalar at file[j] == '\\' into `out`; returns its
// length in the file, or 0 when it is not one.
std::uint32_t yaml_escape(std::string_view file, std::uint32_t j, std::string& out) {
  if (j + 1 >= file.size()) return 0;
  const char c = file[j + 1];
  auto hex_escape = [&](std::uint32_t digits) -> std::uint32_t {
    std::uint32_t cp = 0;
    for (std::uint32_t k = 0; k < digits; ++k) {
      if (j + 2 + k >= file.size() || hex(file[j + 2 + k]) < 0) return 0;
      cp = cp * 16 + static_cast<std::uint32_t>(hex(file[j + 2 + k]));
    }
    diag::append_utf8(out, cp);
    return 2 + digits;
  };
  switch (c) {
    case '0': out += '\0'; return 2;
    case 'a': out += '\a'; return 2;
    case 'b': out += '\b'; return 2;
    case 't':
    case '\t': out += '\t'; return 2;
    case 'n': out += '\n'; return 2;
    case 'v': out += '\v'; return 2;
    case 'f': out += '\f'; return 2;
    case 'r': out += '\r'; return 2;
    case 'e': out += '\x1b'; return 2;
    case ' ':
    case '"':
    case '/':
    case '\\': out += c; return 2;
    case 'N': diag::append_utf8(out, 0x85); return 2;
    case '_': diag::append_utf8(out, 0xA0); return 2;
    case 'L': diag::append_utf8(out, 0x2028); return 2;
    case 'P': diag::append_utf8(out, 0x2029); return 2;
    case 'x': return hex_escape(2);
    case 'u': return hex_escape(4);
    case 'U': return hex_escape(8);
    default: return 0;
  }
}

bool valid_id(std::string_view s) {
  if (s.empty() || !is_alpha(s[0])) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return is_word(c) || c == '-'; });
}

bool valid_package(std::string_view s) {
  std::size_t start = 0;
  while (true) {
    const auto dot = s.find('.', start);
    if (!valid_id(s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start))) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

constexpr std::string_view reserved[] = {
    "package", "uses", "rule", "when", "let",     "for",     "each", "require", "message", "in", "where", "and", "or",
    "not",     "all",  "any",  "none", "between", "matches", "true", "false",   "null",    "if", "then",  "else"};

bool valid_name(std::string_view s) {
  if (s.empty() || !(is_alpha(s[0]) || s[0] == '_')) return false;
  if (!std::all_of(s.begin(), s.end(), is_word)) return false;
  return std::find(std::begin(reserved), std::end(reserved), s) == std::end(reserved);
}

class reader {
 public:
  reader(const diag::source_file& src, ast::file& out, std::vector<diagnostic>& diags,
         const syntax::parse_limits& limits, std::uint64_t max_bytes)
      : src_(src), t_(src.text()), out_(out), diags_(diags), limits_(limits), max_bytes_(max_bytes) {}

  void run() {
    try {
      doc_ = load_document(t_, src_.origin(), data_format::yaml);
    } catch (const joinup::error& e) {
      for (auto d : e.diagnostics()) {
        if (d.code == diag::to_string(diag::code::data_parse)) d.code = diag::to_string(diag::code::yaml);
        diags_.push_back(std::move(d));
      }
      return;
    }
    if (doc_.empty()) return;  // an empty file is an empty rule set, as an empty .jup file is
    if (std::uint64_t bytes = 0; !within(doc_.root(), bytes)) {
      diags_.push_back(diag::file_diagnostic(diag::code::too_large, src_.origin(),
                                             "the rules are larger than the limit of " + diag::size_text(max_bytes_) +
                                                 " once their YAML aliases are expanded",
                                             "aliases copy the rules they refer to; raise "
                                             "compile_options::max_file_bytes (--max-rule-bytes) to read them"));
      return;
    }
    const auto root = doc_.root();
    if (doc_.kind(root) == value_kind::null) return;
    if (doc_.kind(root) != value_kind::map) {
      fail(root, "a YAML rule file is a map with 'package', 'uses' and 'rules'");
      return;
    }
    check_keys(root, file_keys, "a YAML rule file");
    if (auto n = doc_.find(root, "package"); n != document::npos) package(n);
    if (auto n = doc_.find(root, "schema"); n != document::npos) schema(n);
    if (auto n = doc_.find(root, "uses"); n != document::npos) uses(n);
    if (auto n = doc_.find(root, "imports"); n != document::npos) imports(n);
    if (auto n = doc_.find(root, "definitions"); n != document::npos) definitions(n);
    if (auto n = doc_.find(root, "rules"); n != document::npos) {
      if (doc_.kind(n) == value_kind::null) return;
      if (doc_.kind(n) != value_kind::list) {
        fail(n, "'rules' must be a list of rules, not " + a_kind(n));
        return;
      }
      for (std::uint32_t i = 0; i < doc_.size(n); ++i) rule(doc_.at(n, i));
    }
  }

 private:
  // ---- diagnostics ------------------------------------------------------------------------------

  void error(std::uint32_t b, std::uint32_t e, std::string message, std::string help = {},
             diag::code code = diag::code::yaml_rules) {
    diags_.push_back(src_.make(b, e, code, std::move(message), std::move(help)));
  }
  // False (with an error) for a name past ast::max_name_length.
  bool name_length(ast::span s, std::string_view what, std::string_view name) {
    const auto message = ast::name_length_error(what, name);
    if (message.empty()) return true;
    error(s.begin, s.end, message,
          "names are at most " + std::to_string(ast::max_name_length) + " characters long, dots and hyphens included",
          diag::code::too_long);
    return false;
  }
  void fail(document::node_id n, std::string message, std::string help = {}) {
    const auto s = span_of(n);
    error(s.begin, s.end, std::move(message), std::move(help));
  }

  std::string a_kind(document::node_id n) const {
    const std::string_view k = to_string(doc_.kind(n));
    if (k == "null") return "empty";
    return (k == "integer" ? "an " : "a ") + std::string(k);
  }

  // The bytes a value takes: a scalar's text, or a container's first character.
  ast::span span_of(document::node_id n) const {
    const std::uint32_t at = doc_.offset(n);
    const auto k = doc_.kind(n);
    if (k == value_kind::list || k == value_kind::map || k == value_kind::null) return {at, at + 1};
    const auto m = scalar(n);
    return {std::min(at, m.raw_begin), std::max(m.raw_end, at + 1)};
  }

  std::uint32_t key_offset(document::node_id map, std::uint32_t i) const { return data::key_offset(doc_, t_, map, i); }
  ast::span key_span(document::node_id map, std::uint32_t i) const {
    const auto at = key_offset(map, i);
    return {at, at + static_cast<std::uint32_t>(doc_.key_text(doc_.key_at(map, i)).size())};
  }

  // Reports unknown keys; returns the keys suggested for them, so that a misspelt required key is
  // not reported a second time as missing.
  std::vector<std::string> check_keys(document::node_id map, std::span<const char* const> allowed,
                                      std::string_view where) {
    const std::vector<std::string> names(allowed.begin(), allowed.end());
    std::vector<std::string> suggested;
    for (auto& u : data::unknown_keys(doc_, t_, map, names)) {
      if (u.suggestion.empty() && (u.key == "for each" || u.key == "foreach" || u.key == "for-each"))
        u.suggestion = "for_each";
      error(u.begin, u.end, u.message(where, names), u.hint());
      if (!u.suggestion.empty()) suggested.push_back(u.suggestion);
    }
    return suggested;
  }

  // ---- scalars ----------------------------------------------------------------------------------

  mapped_text scalar(document::node_id n) const { return scalar_text(doc_, t_, n); }

  // A scalar meant as text: strings, and numbers or words YAML typed otherwise.
  std::optional<mapped_text> text_of(document::node_id n, std::string_view what) {
    const auto k = doc_.kind(n);
    if (k == value_kind::list || k == value_kind::map || k == value_kind::null) {
      fail(n, "'" + std::string(what) + "' must be a string, not " + a_kind(n));
      return std::nullopt;
    }
    auto m = scalar(n);
    note_end(m.raw_end);
    return m;
  }

  // A string, or a list of strings read as adjacent strings are in the DSL.
  std::vector<mapped_text> pieces_of(document::node_id n, std::string_view what) {
    std::vector<mapped_text> out;
    if (doc_.kind(n) == value_kind::list) {
      if (doc_.size(n) == 0) fail(n, "'" + std::string(what) + "' is an empty list");
      for (std::uint32_t i = 0; i < doc_.size(n); ++i)
        if (auto m = text_of(doc_.at(n, i), what)) out.push_back(std::move(*m));
    } else if (auto m = text_of(n, what)) {
      out.push_back(std::move(*m));
    }
    return out;
  }

  std::optional<std::string> plain(document::node_id n, std::string_view what) {
    auto pieces = pieces_of(n, what);
    if (pieces.empty()) return std::nullopt;
    std::string s;
    for (const auto& p : pieces) s += p.text;
    return s;
  }

  void note_end(std::uint32_t e) { rule_end_ = std::max(rule_end_, e); }

  // ---- expressions and templates ----------------------------------------------------------------

  // Maps the spans of everything the parser added (expressions from `first_expr` on) and its
  // diagnostics back into the YAML file.
  void remap(const mapped_text& m, const diag::source_file& piece, std::size_t first_expr,
             std::vector<diagnostic>& local) {
    for (std::size_t i = first_expr; i < out_.exprs.size(); ++i) {
      auto& e = out_.exprs[i];
      e.where = m.map(e.where);
      e.name_span = m.map(e.name_span);
      e.bind.key_span = m.map(e.bind.key_span);
      e.bind.name_span = m.map(e.bind.name_span);
    }
    for (auto& d : local) {
      if (d.line == 0) {
        diags_.push_back(std::move(d));
        continue;
      }
      const std::uint32_t b = offset_of(piece, d.line, d.column);
      const std::uint32_t e = advance(piece.text(), b, d.length);
      const auto s = m.map({b, e});
      diags_.push_back(src_.make(s.begin, s.end, d.code, d.message, d.help, d.level));
    }
  }

  static std::uint32_t advance(std::string_view text, std::uint32_t at, std::uint32_t chars) {
    while (chars > 0 && at < text.size()) {
      ++at;
      while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) ++at;
      --chars;
    }
    return at;
  }
  static std::uint32_t offset_of(const diag::source_file& f, std::uint32_t line, std::uint32_t column) {
    return advance(f.text(), f.lines().line_start(line), column - 1);
  }

  // Parses the expression in text[from, to) of `m`; the rest of the text is blanked so that
  // offsets stay those of the whole scalar.
  ast::expr_id expression(const mapped_text& m, std::uint32_t from, std::uint32_t to) {
    std::string text = m.text;
    for (std::uint32_t i = 0; i < text.size(); ++i)
      if ((i < from || i >= to) && text[i] != '\n') text[i] = ' ';
    const diag::source_file piece(src_.origin(), std::move(text));
    const std::size_t first = out_.exprs.size();
    std::vector<diagnostic> local;
    syntax::parse_output po;
    syntax::parse(piece, syntax::parse_mode::expression, out_, po, local, limits_);
    // Comments inside an expression string are the string's own business.
    remap(m, piece, first, local);
    return local.empty() ? po.expression : no_index;
  }

  ast::expr_id expression(document::node_id n, std::string_view what) {
    if (doc_.kind(n) == value_kind::null) {
      fail(n, "'" + std::string(what) + "' needs an expression", "write the condition as a string");
      return no_index;
    }
    auto m = text_of(n, what);
    if (!m) return no_index;
    const auto comments = out_.comments.size();
    const auto id = expression(*m, 0, static_cast<std::uint32_t>(m->text.size()));
    for (auto i = comments; i < out_.comments.size(); ++i) out_.comments[i] = m->map(out_.comments[i]);
    return id;
  }

  // A text with {EXPR} holes: a string, or a list of strings joined as adjacent DSL strings are.
  std::optional<ast::text_template> templ(document::node_id n, std::string_view what) {
    auto pieces = pieces_of(n, what);
    if (pieces.empty()) return std::nullopt;
    ast::text_template result;
    bool ok = true;
    for (const auto& m : pieces) {
      const diag::source_file piece(src_.origin(), m.text);
      const std::size_t first = out_.exprs.size();
      std::vector<diagnostic> local;
      syntax::parse_output po;
      syntax::parse(piece, syntax::parse_mode::text_template, out_, po, local, limits_);
      ok = ok && local.empty();
      remap(m, piece, first, local);
      if (!po.text) continue;
      for (auto part : po.text->parts) {
        part.where = m.map(part.where);
        if (!part.is_expr && !result.parts.empty() && !result.parts.back().is_expr) {
          result.parts.back().text += part.text;
          result.parts.back().where.end = part.where.end;
        } else {
          result.parts.push_back(std::move(part));
        }
      }
    }
    result.where = {pieces.front().raw_begin, pieces.back().raw_end};
    if (!ok) return std::nullopt;
    return result;
  }

  // ---- the file ---------------------------------------------------------------------------------

  void package(document::node_id n) {
    auto m = text_of(n, "package");
    if (!m) return;
    const ast::span s = m->map({0, static_cast<std::uint32_t>(m->text.size())});
    if (!valid_package(m->text)) {
      error(s.begin, s.end, "'" + m->text + "' is not a package name",
            "a package is words of letters, digits, '-' and '_' joined by '.', as in local.housing");
      return;
    }
    if (!name_length(s, "a package name", m->text)) return;
    out_.package = m->text;
    out_.package_span = s;
  }

  void schema(document::node_id n) {
    auto m = text_of(n, "schema");
    if (!m) return;
    out_.schema = m->text;
    out_.schema_span = {m->raw_begin, m->raw_end};
  }

  void uses(document::node_id n) {
    const auto names = data::list_or_one(doc_, n);
    for (auto u : names) {
      auto m = text_of(u, "uses");
      if (!m) continue;
      const ast::span s = m->map({0, static_cast<std::uint32_t>(m->text.size())});
      if (!valid_name(m->text)) {
        error(s.begin, s.end, "'" + m->text + "' cannot be declared with 'uses'",
              "'uses' names the document's top-level keys that are words, as in [partnership]");
        continue;
      }
      out_.uses.emplace_back(m->text, s);
    }
  }

  void rule(document::node_id n) {
    if (doc_.kind(n) != value_kind::map) {
      fail(n, "a rule is a map with 'id' and 'require', not " + a_kind(n));
      return;
    }
    const auto suggested = check_keys(n, rule_keys, "a rule");
    rule_end_ = doc_.offset(n) + 1;
    ast::rule r;
    auto at = [&](const char* key) { return doc_.find(n, key); };
    const auto id = at("id");
    if (id == document::npos) {
      fail(n, "a rule has no 'id'", "add 'id: NAME' (letters, digits, '-' and '_', starting with a letter)");
    } else if (auto m = text_of(id, "id")) {
      r.id_span = m->map({0, static_cast<std::uint32_t>(m->text.size())});
      r.id = m->text;
      if (!valid_id(m->text))
        error(r.id_span.begin, r.id_span.end, "'" + m->text + "' is not a rule id",
              "rule ids are letters, digits, '-' and '_', starting with a letter");
      else
        name_length(r.id_span, "a rule id", m->text);
    }
    if (auto v = at("title"); v != document::npos) r.title = plain(v, "title");
    if (auto v = at("severity"); v != document::npos) {
      if (auto m = text_of(v, "severity")) {
        r.severity_span = m->map({0, static_cast<std::uint32_t>(m->text.size())});
        r.severity = m->text;
        if (m->text != "error" && m->text != "warning" && m->text != "info")
          error(r.severity_span.begin, r.severity_span.end, "unknown severity '" + m->text + "'",
                "expected error, warning or info", diag::code::invalid_severity);
      }
    }
    if (auto v = at("tags"); v != document::npos) {
      const auto items = data::list_or_one(doc_, v);
      for (auto t : items)
        if (auto m = text_of(t, "tags"))
          r.tags.emplace_back(m->text, m->map({0, static_cast<std::uint32_t>(m->text.size())}));
    }
    if (auto v = at("source"); v != document::npos) r.source = plain(v, "source");
    if (auto v = at("rationale"); v != document::npos) r.rationale = templ(v, "rationale");
    if (auto v = at("remedy"); v != document::npos) r.remedy = templ(v, "remedy");
    if (auto v = at("undetermined"); v != document::npos) r.undetermined = templ(v, "undetermined");
    if (auto v = at("when"); v != document::npos) r.when = expression(v, "when");

    // A for_each item written as a map carries its own where and lets.
    const auto steps = steps_of(doc_, n);
    if (steps.lets_before != document::npos) lets(steps.lets_before, r);
    const auto where = at("where");
    if (const auto f = steps.for_each; f != document::npos) {
      const auto items = data::list_or_one(doc_, f);
      if (items.empty()) fail(f, "'for_each' is an empty list");
      for (std::size_t i = 0; i < items.size(); ++i)
        for_each(items[i], r, i + 1 == items.size() ? where : document::npos);
    } else if (where != document::npos) {
      const auto k = key_span(n, index_of(n, "where"));
      error(k.begin, k.end, "'where' needs a 'for_each'", "'where' filters the elements of the last 'for_each'");
    }
    if (steps.lets_after != document::npos) lets(steps.lets_after, r);

    const auto req = at("require");
    if (req == document::npos && std::find(suggested.begin(), suggested.end(), "require") == suggested.end()) {
      const auto s = r.id.empty() ? span_of(n) : r.id_span;
      error(s.begin, s.end, "rule '" + r.id + "' has no 'require'", "add the condition the rule checks: require: EXPR",
            diag::code::syntax);
    } else if (req != document::npos) {
      requires_(req, r);
    }
    if (auto v = at("message"); v != document::npos) {
      if (r.message) {
        const auto k = key_span(n, index_of(n, "message"));
        error(k.begin, k.end, "'message' given twice", "the last require's message is the rule's message; keep one",
              diag::code::misplaced_clause);
      }
      r.message = templ(v, "message");
    }
    std::uint32_t end = rule_end_;
    while (end < t_.size() && t_[end] != '\n') ++end;  // to the end of the rule's last line
    r.where = {doc_.offset(n), end};
    out_.rules.push_back(std::move(r));
  }

  std::uint32_t index_of(document::node_id map, std::string_view key) const {
    for (std::uint32_t i = 0; i < doc_.size(map); ++i)
      if (doc_.key_text(doc_.key_at(map, i)) == key) return i;
    return 0;
  }

  // `imports: [integration.common]`: the packages whose definitions the file reaches.
  void imports(document::node_id n) {
    for (auto u : data::list_or_one(doc_, n)) {
      auto m = text_of(u, "imports");
      if (!m) continue;
      const ast::span s = m->map({0, static_cast<std::uint32_t>(m->text.size())});
      if (!valid_package(m->text)) {
        error(s.begin, s.end, "'" + m->text + "' is not a package name",
              "a package is words of letters, digits, '-' and '_' joined by '.', as in integration.common");
        continue;
      }
      if (!name_length(s, "a package name", m->text)) continue;
      out_.imports.emplace_back(m->text, s);
    }
  }

  // `definitions:`, a list of {let: NAME, value: EXPR} and {def: "NAME(P1, P2)", value: EXPR}.
  void definitions(document::node_id n) {
    if (doc_.kind(n) == value_kind::null) return;
    if (doc_.kind(n) != value_kind::list) {
      fail(n, "'definitions' must be a list of definitions, not " + a_kind(n),
           "write definitions: [{let: NAME, value: EXPR}, {def: \"NAME(P)\", value: EXPR}]");
      return;
    }
    for (std::uint32_t i = 0; i < doc_.size(n); ++i) definition(doc_.at(n, i));
  }

  void definition(document::node_id n) {
    if (doc_.kind(n) != value_kind::map) {
      fail(n, "a definition must be a map with 'let' or 'def', and 'value', not " + a_kind(n),
           "write {let: NAME, value: EXPR} or {def: \"NAME(P)\", value: EXPR}");
      return;
    }
    check_keys(n, definition_keys, "a definition");
    const auto let = doc_.find(n, "let"), def = doc_.find(n, "def"), value = doc_.find(n, "value");
    if ((let == document::npos) == (def == document::npos)) {
      fail(n, "a definition has exactly one of 'let' and 'def'",
           "write {let: NAME, value: EXPR} or {def: \"NAME(P)\", value: EXPR}");
      return;
    }
    ast::definition d;
    d.what = let != document::npos ? ast::definition::kind::let : ast::definition::kind::def;
    const char* word = let != document::npos ? "let" : "def";
    auto m = text_of(let != document::npos ? let : def, word);
    if (!m) return;
    // NAME, or NAME(P1, P2) for a def.
    const std::string& s = m->text;
    std::uint32_t i = 0;
    const auto blanks = [&] {
      while (i < s.size() && is_space(s[i])) ++i;
    };
    const auto word_at = [&]() -> ast::span {
      blanks();
      const std::uint32_t b = i;
      while (i < s.size() && is_word(s[i])) ++i;
      return {b, i};
    };
    const auto text = [&](ast::span sp) { return s.substr(sp.begin, sp.end - sp.begin); };
    const auto whole = m->map({0, static_cast<std::uint32_t>(s.size())});
    const auto name = word_at();
    bool ok = name.begin < name.end && valid_name(text(name));
    if (d.what == ast::definition::kind::def) {
      blanks();
      ok = ok && i < s.size() && s[i] == '(';
      ++i;
      blanks();
      if (ok && i < s.size() && s[i] != ')') {
        while (ok) {
          const auto p = word_at();
          ok = p.begin < p.end && valid_name(text(p));
          if (ok) d.params.emplace_back(text(p), m->map(p));
          blanks();
          if (i < s.size() && s[i] == ',') {
            ++i;
            continue;
          }
          break;
        }
      }
      ok = ok && i < s.size() && s[i] == ')';
      ++i;
    }
    blanks();
    ok = ok && i >= s.size();
    if (!ok) {
      error(whole.begin, whole.end,
            d.what == ast::definition::kind::let ? "'let' must be a name" : "'def' must read 'NAME(P1, P2, ...)'",
            d.what == ast::definition::kind::let ? "as in 'let: team_size_min'" : "as in 'def: senior(p)'");
      return;
    }
    d.name = text(name);
    d.name_span = m->map(name);
    if (value == document::npos) {
      fail(n, std::string("the '") + word + " " + d.name + "' has no 'value'", "write value: EXPR");
      return;
    }
    d.value = expression(value, "value");
    d.where = {whole.begin, span_of(value).end};
    out_.definitions.push_back(std::move(d));
  }

  void lets(document::node_id n, ast::rule& r) {
    if (doc_.kind(n) == value_kind::null) return;
    if (doc_.kind(n) != value_kind::map) {
      fail(n, "'let' must be a map of names to expressions, not " + a_kind(n),
           "write let: {size: count(team.members)}");
      return;
    }
    for (std::uint32_t i = 0; i < doc_.size(n); ++i) {
      ast::step s;
      s.what = ast::step::kind::let;
      s.let.name = std::string(doc_.key_text(doc_.key_at(n, i)));
      s.let.name_span = key_span(n, i);
      if (!valid_name(s.let.name)) {
        error(s.let.name_span.begin, s.let.name_span.end, "'" + s.let.name + "' cannot be the name of a 'let'",
              "a name is a word of letters, digits and '_' that is not a keyword");
        continue;
      }
      s.let.value = expression(doc_.value_at(n, i), "let");
      const auto v = span_of(doc_.value_at(n, i));
      s.where = {s.let.name_span.begin, v.end};
      r.steps.push_back(std::move(s));
    }
  }

  void for_each(document::node_id n, ast::rule& r, document::node_id where) {
    auto [each, filter, item_lets] = for_each_item_of(doc_, n);
    if (doc_.kind(n) == value_kind::map) {
      check_keys(n, for_each_keys, "a 'for_each' item");
      if (each == document::npos) {
        fail(n, "a 'for_each' item has no 'each'", "write each: NAME in EXPR");
        return;
      }
      if (filter != document::npos && where != document::npos) {
        const auto s = span_of(where);
        error(s.begin, s.end, "'where' given twice for the last 'for_each'", "keep the one in the 'for_each' item");
      }
    }
    if (filter == document::npos) filter = where;
    auto m = text_of(each, "for_each");
    if (!m) return;
    // NAME in EXPR, or I, NAME in EXPR.
    const std::string& s = m->text;
    std::uint32_t i = 0;
    auto blanks = [&] {
      while (i < s.size() && is_space(s[i])) ++i;
    };
    auto word = [&]() -> ast::span {
      blanks();
      const std::uint32_t b = i;
      while (i < s.size() && is_word(s[i])) ++i;
      return {b, i};
    };
    ast::binder bd;
    ast::span first = word(), second{0, 0};
    blanks();
    if (i < s.size() && s[i] == ',') {
      ++i;
      second = word();
      blanks();
    }
    const bool has_in =
        s.compare(i, 2, "in") == 0 && (i + 2 == s.size() || is_space(s[i + 2]) || s[i + 2] == '(' || s[i + 2] == '[');
    auto text = [&](ast::span sp) { return s.substr(sp.begin, sp.end - sp.begin); };
    if (first.begin == first.end || !valid_name(text(first)) ||
        (second.end != 0 && (second.begin == second.end || !valid_name(text(second)))) || !has_in) {
      const auto sp = m->map({0, static_cast<std::uint32_t>(s.size())});
      error(sp.begin, sp.end, "'for_each' must read 'NAME in EXPR' or 'I, NAME in EXPR'",
            "as in 'team in partnership.teams' or 'i, team in partnership.teams'");
      return;
    }
    if (second.end != 0) {
      bd.key_name = text(first);
      bd.key_span = m->map(first);
      bd.name = text(second);
      bd.name_span = m->map(second);
    } else {
      bd.name = text(first);
      bd.name_span = m->map(first);
    }
    bd.collection = expression(*m, i + 2, static_cast<std::uint32_t>(s.size()));
    if (bd.collection == no_index && i + 2 >= s.size()) return;
    if (filter != document::npos) bd.filter = expression(filter, "where");
    ast::step st;
    st.what = ast::step::kind::for_each;
    st.for_each = std::move(bd);
    st.where = m->map({0, static_cast<std::uint32_t>(s.size())});
    r.steps.push_back(std::move(st));
    if (item_lets != document::npos) lets(item_lets, r);
  }

  void requires_(document::node_id n, ast::rule& r) {
    const auto items = data::list_or_one(doc_, n);
    if (items.empty()) fail(n, "'require' is an empty list", "give at least one condition");
    for (auto item : items) {
      ast::require_clause q;
      const auto [cond, msg] = require_item_of(doc_, item);
      if (doc_.kind(item) == value_kind::map) {
        check_keys(item, require_keys, "a 'require' item");
        if (cond == document::npos) {
          fail(item, "a 'require' item has no 'that'", "write that: EXPR (and optionally message: TEXT)");
          continue;
        }
        if (msg != document::npos) q.message = templ(msg, "message");
      }
      q.condition = expression(cond, "require");
      q.where = span_of(cond);
      r.requires_.push_back(std::move(q));
    }
    // As in the DSL, the message of the last require is the rule's message.
    if (!r.requires_.empty() && r.requires_.back().message) {
      r.message = std::move(r.requires_.back().message);
      r.requires_.back().message.reset();
    }
  }

  const diag::source_file& src_;
  const std::string& t_;
  ast::file& out_;
  std::vector<diagnostic>& diags_;
  const syntax::parse_limits& limits_;
  std::uint64_t max_bytes_;

  // Adds the bytes of the keys and strings under n (aliases expanded) to `bytes`; false as soon as
  // they are past max_bytes_.
  bool within(document::node_id n, std::uint64_t& bytes) const {
    switch (doc_.kind(n)) {
      case value_kind::string: bytes += doc_.as_string(n).size(); break;
      case value_kind::list:
        for (std::uint32_t i = 0; i < doc_.size(n); ++i)
          if (!within(doc_.at(n, i), bytes)) return false;
        break;
      case value_kind::map:
        for (std::uint32_t i = 0; i < doc_.size(n); ++i) {
          bytes += doc_.key_text(doc_.key_at(n, i)).size();
          if (!within(doc_.value_at(n, i), bytes)) return false;
        }
        break;
      default: ++bytes; break;
    }
    return bytes <= max_bytes_;
  }
  document doc_;
  std::uint32_t rule_end_ = 0;
};

}  // namespace

rule_steps steps_of(const document& doc, document::node_id rule) {
  std::optional<std::uint32_t> let_index, for_index;
  for (std::uint32_t i = 0; i < doc.size(rule); ++i) {
    const auto key = doc.key_text(doc.key_at(rule, i));
    if (key == "let") let_index = i;
    if (key == "for_each") for_index = i;
  }
  rule_steps steps;
  if (for_index) steps.for_each = doc.value_at(rule, *for_index);
  if (let_index) {
    steps.let_key = *let_index;
    (for_index && *let_index < *for_index ? steps.lets_before : steps.lets_after) = doc.value_at(rule, *let_index);
  }
  return steps;
}

for_each_item for_each_item_of(const document& doc, document::node_id item) {
  if (doc.kind(item) != value_kind::map) return {item};
  return {doc.find(item, "each"), doc.find(item, "where"), doc.find(item, "let")};
}

require_item require_item_of(const document& doc, document::node_id item) {
  if (doc.kind(item) != value_kind::map) return {item};
  return {doc.find(item, "that"), doc.find(item, "message")};
}

mapped_text scalar_text(const document& doc, std::string_view t, document::node_id n) {
  if (doc.kind(n) == value_kind::string) return map_scalar(t, doc.offset(n), doc.as_string(n));
  std::uint32_t b = doc.offset(n), e = b;
  while (e < t.size() && t[e] != '\n' && t[e] != '\r' && !(t[e] == '#' && e > b && is_space(t[e - 1]))) ++e;
  while (e > b && is_space(t[e - 1])) --e;
  return map_scalar(t, b, t.substr(b, e - b));
}

bool is_yaml_name(std::string_view name) { return ends_with(name, ".yaml") || ends_with(name, ".yml"); }

ast::span mapped_text::map(ast::span s) const {
  const auto n = static_cast<std::uint32_t>(text.size());
  const std::uint32_t b = s.begin >= n ? raw_end : begin[s.begin];
  std::uint32_t e = b;
  if (s.end > s.begin && s.end > 0) e = end[std::min(s.end, n) - 1];
  return {b, std::max(b, e)};
}

mapped_text map_scalar(std::string_view t, std::uint32_t offset, std::string_view d) {
  mapped_text m;
  m.text = std::string(d);
  m.begin.assign(d.size(), offset);
  m.end.assign(d.size(), offset + 1);
  const auto n = static_cast<std::uint32_t>(t.size());
  std::uint32_t j = std::min(offset, n);
  while (j < n && (t[j] == '!' || t[j] == '&')) {  // a tag or an anchor before the value
    while (j < n && !is_space(t[j])) ++j;
    while (j < n && (t[j] == ' ' || t[j] == '\t')) ++j;
  }
  char style = 0;
  if (j < n && (t[j] == '"' || t[j] == '\'')) {
    style = t[j++];
  } else if (j < n && (t[j] == '|' || t[j] == '>')) {
    style = '|';
    while (j < n && t[j] != '\n') ++j;
    if (j < n) ++j;
  }
  m.raw_begin = j;
  std::size_t i = 0;
  while (i < d.size()) {
    const char c = d[i];
    if (style == '"' && j < n && t[j] == '\\') {
      if (j + 1 < n && (t[j + 1] == '\n' || t[j + 1] == '\r')) {  // an escaped line break
        j += 2;
        if (j < n && t[j - 1] == '\r' && t[j] == '\n') ++j;
        while (j < n && (t[j] == ' ' || t[j] == '\t')) ++j;
        continue;
      }
      std::string decoded;
      const auto len = yaml_escape(t, j, decoded);
      if (len == 0 || d.compare(i, decoded.size(), decoded) != 0) break;
      for (std::size_t k = 0; k < decoded.size(); ++k) m.begin[i + k] = j, m.end[i + k] = j + len;
      i += decoded.size();
      j += len;
      continue;
    }
    if (style == '\'' && c == '\'' && j + 1 < n && t[j] == '\'' && t[j + 1] == '\'') {
      m.begin[i] = j, m.end[i] = j + 2;
      ++i, j += 2;
      continue;
    }
    if (j < n && t[j] == c) {
      m.begin[i] = j, m.end[i] = j + 1;
      ++i, ++j;
      continue;
    }
    if (is_space(c)) {  // a line break folded to a space, or the last line break of a block
      m.begin[i] = j, m.end[i] = std::min(n, j + 1);
      ++i;
      if (j < n && is_space(t[j])) ++j;
      continue;
    }
    if (j < n && is_space(t[j])) {  // indentation, or line breaks folded away
      while (j < n && is_space(t[j])) ++j;
      continue;
    }
    break;
  }
  // Whether every byte was matched: otherwise everything points at the scalar's start.
  if (i == d.size()) {
    m.raw_end = d.empty() ? j : m.end.back();
    return m;
  }
  m.exact = false;
  m.begin.assign(d.size(), offset);
  m.end.assign(d.size(), offset + 1);
  m.raw_begin = offset;
  m.raw_end = offset + 1;
  return m;
}

bool read_yaml(const diag::source_file& src, ast::file& into, std::vector<diagnostic>& diags,
               const syntax::parse_limits& limits, std::uint64_t max_bytes) {
  const auto before = diags.size();
  if (into.origin.empty()) into.origin = src.origin();
  reader r(src, into, diags, limits, max_bytes);
  r.run();
  return diags.size() == before;
}

}  // namespace joinup::rulefile
