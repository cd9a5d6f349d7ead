// Reading a YAML rule file into the layout model, and printing a model as a YAML rule file.
#include <algorithm>
#include <optional>

#include "data/keys.hpp"
#include "diag/text.hpp"
#include "format/model.hpp"
#include "rulefile/yaml_rules.hpp"

namespace joinup::format {

namespace {

// ---- DSL strings and YAML scalars -----------------------------------------------------------

// The value of a plain DSL string literal (quotes included).
std::string decode_plain(std::string_view lit) {
  std::string v;
  for (std::size_t i = 1; i + 1 < lit.size(); ++i) {
    if (lit[i] != '\\' || i + 2 >= lit.size()) {
      v += lit[i];
      continue;
    }
    const char c = lit[++i];
    if (c == 'n') {
      v += '\n';
    } else if (c == 't') {
      v += '\t';
    } else if (c == 'u' && i + 1 < lit.size() && lit[i + 1] == '{') {
      // \u{HEX}: the parser has checked it names a character; it is written as that character.
      const auto close = lit.find('}', i);
      std::uint32_t cp = 0;
      for (std::size_t k = i + 2; k < close; ++k) {
        const char h = lit[k];
        cp = cp * 16 + static_cast<std::uint32_t>(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
      }
      diag::append_utf8(v, cp);
      i = close;
    } else {
      v += c;
    }
  }
  return v;
}

// A template's text (the inside of a DSL string) as a DSL literal: quotes escaped outside holes.
std::string template_literal(std::string_view text) {
  std::string out = "\"";
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (depth == 0) {
      if (c == '\\' && i + 1 < text.size()) {
        out += c;
        out += text[++i];
        continue;
      }
      if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
        out += c;
        out += text[++i];
        continue;
      }
      if (c == '{') depth = 1;
      if (c == '"') {
        out += "\\\"";
        continue;
      }
      if (c == '\n') {
        out += "\\n";
        continue;
      }
      out += c;
      continue;
    }
    if (in_string) {
      if (c == '\\' && i + 1 < text.size()) {
        out += c;
        out += text[++i];
        continue;
      }
      if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '}') {
      depth = 0;
    }
    out += c;
  }
  return out + "\"";
}

bool valid_word(std::string_view s) {
  if (s.empty() || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

bool plain_safe(std::string_view s) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ' || s.back() == ':') return false;
  if (std::string_view("-?:,[]{}#&*!|>'\"%@`").find(s.front()) != std::string_view::npos) return false;
  if (s.find(": ") != std::string_view::npos || s.find(" #") != std::string_view::npos) return false;
  if (s.find_first_of("\n\r\t") != std::string_view::npos) return false;
  // Numbers, dates and booleans may stay plain: the reader takes such values as written. A null
  // would be no text at all.
  static constexpr std::string_view special[] = {"null", "Null", "NULL", "~"};
  return std::find(std::begin(special), std::end(special), s) == std::end(special);
}

// A character YAML cannot hold as it is (YAML 1.2, 5.1: C0 but tab and line breaks, DEL, C1 but
// NEL, and the byte order mark) at s[i], with its length; 0 when s[i] starts a printable one.
std::size_t unprintable(std::string_view s, std::size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x20 || b == 0x7F) return 1;
  if (b == 0xC2 && i + 1 < s.size()) {
    const auto c = static_cast<unsigned char>(s[i + 1]);
    if (c >= 0x80 && c <= 0x9F && c != 0x85) return 2;
  }
  if (s.substr(i, 3) == "\xEF\xBB\xBF") return 3;
  return 0;
}

// A YAML scalar for a one-line text: plain when that is safe, else single-quoted; texts with line
// breaks or characters YAML cannot print double-quoted, those characters escaped.
std::string yaml_scalar(std::string_view s) {
  bool control = false;
  for (std::size_t i = 0; i < s.size() && !control; ++i) control = unprintable(s, i) != 0;
  if (control) {
    static const char* hexd = "0123456789abcdef";
    std::string out = "\"";
    for (std::size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\t') {
        out += "\\t";
      } else if (c == '\r') {
        out += "\\r";
      } else if (const auto n = unprintable(s, i); n != 0) {
        // \xHH for C0 and DEL, \uHHHH for C1 and the byte order mark: the code point, not its bytes.
        std::uint32_t cp = static_cast<unsigned char>(c);
        if (n == 2) cp = static_cast<unsigned char>(s[i + 1]);
        if (n == 3) cp = 0xFEFF;
        out += cp > 0xFF ? "\\u" : cp > 0x7F ? "\\u00" : "\\x";
        for (int shift = cp > 0xFF ? 12 : 4; shift >= 0; shift -= 4) out += hexd[(cp >> shift) & 0xF];
        i += n - 1;
      } else {
        out += c;
      }
    }
    return out + "\"";
  }
  if (plain_safe(s)) return std::string(s);
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

// ---- printing YAML --------------------------------------------------------------------------

class yaml_printer {
 public:
  std::string print(const file_model& m) {
    if (m.package) {
      above(m.package_line, 0);
      line("package: " + yaml_scalar(*m.package), m.package_line.trailing);
    }
    if (m.schema) {
      above(m.schema_line, 0);
      line("schema: " + yaml_scalar(*m.schema), m.schema_line.trailing);
    }
    if (!m.uses.empty()) {
      above(m.uses_line, 0);
      line("uses: [" + joined(m.uses, ", ") + "]", m.uses_line.trailing);
    }
    definitions(m);
    line("rules:");
    for (const auto& r : m.rules) rule(r);
    comments(m.end.before, 0, true);
    return out_;
  }

 private:
  void line(const std::string& text, const std::string& trailing = {}) {
    out_ += text;
    if (!trailing.empty()) out_ += "  " + trailing;
    out_ += '\n';
  }
  void blank() {
    if (!out_.empty() && !out_.ends_with("\n\n")) out_ += '\n';
  }
  void comments(const std::vector<comment>& cs, std::uint32_t indent, bool keep_blank) {
    for (std::size_t i = 0; i < cs.size(); ++i) {
      if (cs[i].blank_before && (i > 0 || keep_blank)) blank();
      line(std::string(indent, ' ') + cs[i].text);
    }
  }
  // The comments above an item, and the blank line directly above it.
  void above(const item& it, std::uint32_t indent) {
    comments(it.before, indent, true);
    if (it.blank_before) blank();
  }

  // `imports:` and `definitions:`, before the rules (a YAML file keeps no place between rules).
  void definitions(const file_model& m) {
    std::vector<std::string> imported;
    bool first = true;
    for (const auto& d : m.definitions) {
      if (d.keyword != "import") continue;
      if (first) above(d, 0);
      first = false;
      imported.push_back(d.head);
    }
    if (!imported.empty()) line("imports: [" + joined(imported, ", ") + "]");
    first = true;
    for (const auto& d : m.definitions) {
      if (d.keyword == "import") continue;
      if (first) line("definitions:");
      first = false;
      above(d, 2);
      line("  - " + d.keyword + ": " + yaml_scalar(d.head), d.trailing);
      clause value;
      value.expr = d.expr;
      expr_entry(4, "value: ", value);
    }
  }

  // key: value, where value is an expression (a block scalar when it spans lines).
  void expr_entry(std::uint32_t indent, const std::string& key, const clause& c) {
    above(c, indent);
    const std::string pad(indent, ' ');
    if (c.expr.find('\n') == std::string::npos) {
      line(pad + key + yaml_scalar(c.expr), c.trailing);
      return;
    }
    // The clause's trailing comment ends the block's last line, where it stands in the DSL and
    // after the comments inside the expression; when that line has a '#' already (a comment or a
    // string) it goes after the block header, which the reader also takes as the trailing comment.
    const auto lines = split_lines(c.expr);
    const bool at_end = lines.back().find('#') == std::string::npos;
    line(pad + key + "|-", at_end ? std::string() : c.trailing);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const auto& l = lines[i];
      line(l.empty() ? std::string() : pad + "  " + l, at_end && i + 1 == lines.size() ? c.trailing : std::string());
    }
  }

  // key: text pieces: one scalar, or a list of them.
  void text_entry(std::uint32_t indent, const std::string& key, const clause& c, bool is_template) {
    above(c, indent);
    const std::string pad(indent, ' ');
    auto value = [&](const piece& p) {
      if (is_template) return yaml_scalar(p.text.substr(1, p.text.size() - 2));
      return yaml_scalar(decode_plain(p.text));
    };
    if (c.strings.size() == 1 && c.strings[0].before.empty()) {
      std::string trailing = c.trailing;
      if (!c.strings[0].trailing.empty()) trailing += (trailing.empty() ? "" : " ") + c.strings[0].trailing;
      line(pad + key + value(c.strings[0]), trailing);
      return;
    }
    line(pad + rtrim(key), c.trailing);
    for (const auto& p : c.strings) {
      above(p, indent + 2);
      line(pad + "  - " + value(p), p.trailing);
    }
  }

  void rule(const rule_model& r) {
    above(r, 2);
    line("  - id: " + r.id, r.trailing);
    const std::uint32_t in = 4;
    if (!r.title.empty()) line("    title: " + yaml_scalar(joined(r.title | ranges::views::transform(decode_plain))));
    // Metadata, in the order written.
    std::size_t i = 0;
    for (; i < r.clauses.size() && is_metadata(r.clauses[i].keyword); ++i) {
      const auto& c = r.clauses[i];
      if (c.keyword == "severity" || c.keyword == "tags") {
        above(c, in);
        const auto scalar = [](const piece& p) {
          return yaml_scalar(p.text.starts_with("\"") ? decode_plain(p.text) : p.text);
        };
        const std::string v = joined(c.strings | ranges::views::transform(scalar), ", ");
        std::string trailing = c.trailing;
        for (const auto& p : c.strings)
          if (!p.trailing.empty()) trailing += (trailing.empty() ? "" : " ") + p.trailing;
        line("    " + c.keyword + ": " + (c.keyword == "tags" ? "[" + v + "]" : v), trailing);
      } else {
        text_entry(in, c.keyword + ": ", c, c.keyword != "source");
      }
    }
    // The body: when, lets before any for each, for each (with where and lets), lets, requires.
    std::vector<const clause*> body;
    for (; i < r.clauses.size(); ++i) body.push_back(&r.clauses[i]);
    std::size_t b = 0;
    if (b < body.size() && body[b]->keyword == "when") expr_entry(in, "when: ", *body[b++]);
    std::vector<const clause*> lets_before;
    while (b < body.size() && body[b]->keyword == "let") lets_before.push_back(body[b++]);
    struct each {
      const clause* c;
      const clause* where = nullptr;
      std::vector<const clause*> lets;
    };
    std::vector<each> eaches;
    while (b < body.size() && body[b]->keyword == "for each") {
      each e{body[b++], nullptr, {}};
      if (b < body.size() && body[b]->keyword == "where") e.where = body[b++];
      while (b < body.size() && body[b]->keyword == "let") e.lets.push_back(body[b++]);
      eaches.push_back(std::move(e));
    }
    if (!lets_before.empty()) lets(in, lets_before, nullptr);
    if (!eaches.empty()) {
      // The common shape: the last for each's where and lets at the rule level.
      const bool simple_last = lets_before.empty() || eaches.back().lets.empty();
      const bool list = eaches.size() > 1 || !simple_last;
      if (!list) {
        const auto& e = eaches[0];
        clause fc = *e.c;
        fc.expr = e.c->head + " in " + e.c->expr;
        expr_entry(in, "for_each: ", fc);
      } else {
        header(in, "for_each:", *eaches.front().c);
        for (std::size_t k = 0; k < eaches.size(); ++k) {
          const auto& e = eaches[k];
          const bool last = k + 1 == eaches.size();
          clause fc = k == 0 ? bare(*e.c) : *e.c;
          fc.expr = e.c->head + " in " + e.c->expr;
          const bool as_map = !(last && simple_last) && (e.where || !e.lets.empty());
          if (!as_map) {
            expr_entry(in + 2, "- ", fc);
            continue;
          }
          above(fc, in + 2);
          clause inner = fc;
          inner.before.clear();
          inner.blank_before = false;
          expr_entry(in + 2, "- each: ", inner);
          if (e.where) expr_entry(in + 4, "where: ", *e.where);
          if (!e.lets.empty()) lets(in + 4, e.lets, nullptr);
        }
      }
      const auto& last = eaches.back();
      if (!list || simple_last) {
        if (last.where) expr_entry(in, "where: ", *last.where);
        if (!last.lets.empty()) lets(in, last.lets, nullptr);
      }
    }
    // Requires, each with its message; the message after the last require is the rule's.
    std::vector<std::pair<const clause*, const clause*>> reqs;
    const clause* rule_message = nullptr;
    for (; b < body.size(); ++b) {
      if (body[b]->keyword == "require") {
        reqs.emplace_back(body[b], nullptr);
      } else if (body[b]->keyword == "message" && !reqs.empty()) {
        reqs.back().second = body[b];
      }
    }
    if (!reqs.empty() && reqs.back().second) {
      rule_message = reqs.back().second;
      reqs.back().second = nullptr;
    }
    const bool any_message = std::any_of(reqs.begin(), reqs.end(), [](const auto& q) { return q.second != nullptr; });
    if (reqs.size() == 1 && !any_message) {
      expr_entry(in, "require: ", *reqs[0].first);
    } else {
      header(in, "require:", *reqs.front().first);
      for (std::size_t k = 0; k < reqs.size(); ++k) {
        const auto& [q, msg] = reqs[k];
        const clause c = k == 0 ? bare(*q) : *q;
        if (!msg) {
          expr_entry(in + 2, "- ", c);
          continue;
        }
        expr_entry(in + 2, "- that: ", c);
        text_entry(in + 4, "message: ", *msg, true);
      }
    }
    if (rule_message) text_entry(in, "message: ", *rule_message, true);
    comments(r.close.before, in, true);
    if (!r.close.trailing.empty()) line("    " + r.close.trailing);
  }

  // A header line (let:, for_each:, require:) takes the comments and blank line of its first item.
  void header(std::uint32_t indent, const std::string& key, const item& first) {
    above(first, indent);
    line(std::string(indent, ' ') + key);
  }
  static clause bare(const clause& c) {
    clause b = c;
    b.before.clear();
    b.blank_before = false;
    return b;
  }

  void lets(std::uint32_t indent, const std::vector<const clause*>& ls, const clause*) {
    header(indent, "let:", *ls.front());
    for (std::size_t i = 0; i < ls.size(); ++i)
      expr_entry(indent + 2, ls[i]->head + ": ", i == 0 ? bare(*ls[i]) : *ls[i]);
  }

  std::string out_;
};

// ---- reading a YAML rule file ---------------------------------------------------------------

class yaml_reader {
 public:
  yaml_reader(const diag::source_file& src, const document& doc) : t_(src.text()), doc_(doc) {}

  file_model read() {
    file_model m;
    if (doc_.empty() || doc_.kind(doc_.root()) != value_kind::map) return m;
    const auto root = doc_.root();
    for (std::uint32_t i = 0; i < doc_.size(root); ++i) {
      const auto key = doc_.key_text(doc_.key_at(root, i));
      const auto v = doc_.value_at(root, i);
      const auto at = data::key_offset(doc_, t_, root, i);
      if (key == "package") {
        m.package = text(v).text;
        anchors_.push_back({at, &m.package_line});
      } else if (key == "schema") {
        m.schema = text(v).text;
        anchors_.push_back({at, &m.schema_line});
      } else if (key == "uses") {
        if (doc_.kind(v) == value_kind::list) {
          for (std::uint32_t k = 0; k < doc_.size(v); ++k) m.uses.push_back(text(doc_.at(v, k)).text);
        } else {
          m.uses.push_back(text(v).text);
        }
        anchors_.push_back({at, &m.uses_line});
      }
    }
    definitions(m);
    const auto rules = doc_.find(root, "rules");
    if (rules != document::npos && doc_.kind(rules) == value_kind::list) {
      m.rules.resize(doc_.size(rules));
      for (std::uint32_t i = 0; i < doc_.size(rules); ++i) rule(doc_.at(rules, i), m.rules[i]);
    }
    // Every comment outside a value.
    std::vector<ast::span> comments;
    for (std::uint32_t i = 0; i < t_.size(); ++i) {
      if (t_[i] != '#' || (i > 0 && t_[i - 1] != ' ' && t_[i - 1] != '\t' && t_[i - 1] != '\n')) continue;
      const bool inside =
          std::any_of(values_.begin(), values_.end(), [&](ast::span s) { return i >= s.begin && i < s.end; });
      std::uint32_t e = i;
      while (e < t_.size() && t_[e] != '\n') ++e;
      if (!inside) comments.push_back({i, e});
      i = e;
    }
    attach(t_, anchors_, comments, m, true);
    return m;
  }

 private:
  rulefile::mapped_text text(document::node_id n) {
    auto m = rulefile::scalar_text(doc_, t_, n);
    std::uint32_t begin = std::min(m.raw_begin, doc_.offset(n));
    // A block scalar's header line (`|-  # a comment`) is not its text: a comment there is kept.
    if (begin < t_.size() && (t_[begin] == '|' || t_[begin] == '>'))
      while (begin < t_.size() && t_[begin] != '\n') ++begin;
    values_.push_back({begin, std::max(m.raw_end, doc_.offset(n) + 1)});
    return m;
  }

  // `imports:` and `definitions:` (the rule file reader has checked their shape).
  void definitions(file_model& m) {
    const auto root = doc_.root();
    std::size_t count = 0;
    const auto imports = doc_.find(root, "imports"), defs = doc_.find(root, "definitions");
    const auto imported =
        imports == document::npos ? std::vector<document::node_id>{} : data::list_or_one(doc_, imports);
    count += imported.size();
    if (defs != document::npos && doc_.kind(defs) == value_kind::list) count += doc_.size(defs);
    m.definitions.reserve(count);  // anchors point into it
    for (std::size_t k = 0; k < imported.size(); ++k) {
      definition_model d;
      d.keyword = "import";
      d.head = text(imported[k]).text;
      m.definitions.push_back(std::move(d));
      if (k == 0) anchors_.push_back({key_at(root, "imports"), &m.definitions.back()});
    }
    if (defs == document::npos || doc_.kind(defs) != value_kind::list) return;
    for (std::uint32_t k = 0; k < doc_.size(defs); ++k) {
      const auto e = doc_.at(defs, k);
      if (doc_.kind(e) != value_kind::map) continue;
      definition_model d;
      const auto let = doc_.find(e, "let"), def = doc_.find(e, "def"), value = doc_.find(e, "value");
      d.keyword = let != document::npos ? "let" : "def";
      const auto head = let != document::npos ? let : def;
      if (head != document::npos) d.head = rtrim(text(head).text);
      if (value != document::npos) d.expr = expr(value);
      m.definitions.push_back(std::move(d));
      anchors_.push_back({doc_.offset(e), &m.definitions.back()});
    }
  }

  // An expression's text: continuation lines indented at least 2 past the clause.
  std::string expr(document::node_id n) {
    std::string s = rtrim(text(n).text);
    std::size_t b = 0;
    while (b < s.size() && (s[b] == ' ' || s[b] == '\n')) ++b;
    return normalise_expr(std::string_view(s).substr(b), 0, 0);
  }

  void pieces(document::node_id n, clause& c, bool is_template) {
    const auto items = data::list_or_one(doc_, n);
    c.strings.reserve(items.size());
    for (auto it : items) {
      piece p;
      const auto v = text(it).text;
      if (is_template) {
        p.text = template_literal(v);
      } else {
        diag::append_quoted(p.text, v);
      }
      c.strings.push_back(std::move(p));
    }
    if (items.size() > 1 || doc_.kind(n) == value_kind::list)
      for (std::size_t k = 0; k < items.size(); ++k) piece_anchors_.push_back({doc_.offset(items[k]), k});
  }

  std::uint32_t key_at(document::node_id map, std::string_view key) {
    for (std::uint32_t i = 0; i < doc_.size(map); ++i)
      if (doc_.key_text(doc_.key_at(map, i)) == key) return data::key_offset(doc_, t_, map, i);
    return doc_.offset(map);
  }

  // Adds a clause, anchored at `at`; its pieces' anchors are added once the vector is stable.
  void add(rule_model& r, clause c, std::uint32_t at) {
    r.clauses.push_back(std::move(c));
    pending_.push_back({at, r.clauses.size() - 1, std::move(piece_anchors_)});
    piece_anchors_.clear();
  }

  // `header`: where the map's own key is written; its first entry is anchored there.
  void lets(document::node_id n, rule_model& r, std::uint32_t header) {
    if (doc_.kind(n) != value_kind::map) return;
    for (std::uint32_t i = 0; i < doc_.size(n); ++i) {
      clause c;
      c.keyword = "let";
      c.head = std::string(doc_.key_text(doc_.key_at(n, i)));
      c.expr = expr(doc_.value_at(n, i));
      add(r, std::move(c), i == 0 ? header : data::key_offset(doc_, t_, n, i));
    }
  }

  void rule(document::node_id n, rule_model& r) {
    if (doc_.kind(n) != value_kind::map) return;
    pending_.clear();
    auto at = [&](const char* k) { return doc_.find(n, k); };
    if (auto v = at("id"); v != document::npos) r.id = text(v).text;
    if (auto v = at("title"); v != document::npos) {
      clause tmp;
      pieces(v, tmp, false);
      piece_anchors_.clear();
      std::string lit;
      diag::append_quoted(
          lit, joined(tmp.strings | ranges::views::transform([](const piece& p) { return decode_plain(p.text); })));
      r.title.push_back(lit);
    }
    for (std::uint32_t i = 0; i < doc_.size(n); ++i) {
      const std::string key(doc_.key_text(doc_.key_at(n, i)));
      if (!is_metadata(key)) continue;
      const auto v = doc_.value_at(n, i);
      clause c;
      c.keyword = key;
      if (key == "severity") {
        piece p;
        p.text = text(v).text;
        c.strings.push_back(p);
      } else if (key == "tags") {
        const auto items = data::list_or_one(doc_, v);
        for (auto t : items) {
          piece p;
          const auto s = text(t).text;
          if (valid_word(s)) {
            p.text = s;
          } else {
            diag::append_quoted(p.text, s);
          }
          c.strings.push_back(p);
        }
      } else {
        pieces(v, c, key != "source");
      }
      add(r, std::move(c), data::key_offset(doc_, t_, n, i));
    }
    if (auto v = at("when"); v != document::npos) {
      clause c;
      c.keyword = "when";
      c.expr = expr(v);
      add(r, std::move(c), key_at(n, "when"));
    }
    const auto steps = rulefile::steps_of(doc_, n);
    const auto rule_lets = [&](document::node_id m) { lets(m, r, data::key_offset(doc_, t_, n, steps.let_key)); };
    if (steps.lets_before != document::npos) rule_lets(steps.lets_before);
    if (steps.for_each != document::npos) {
      const auto items = data::list_or_one(doc_, steps.for_each);
      for (std::size_t k = 0; k < items.size(); ++k) {
        const auto item = items[k];
        auto [each, where, item_lets] = rulefile::for_each_item_of(doc_, item);
        std::uint32_t where_at = doc_.kind(item) == value_kind::map ? key_at(item, "where") : 0;
        if (k + 1 == items.size() && where == document::npos && at("where") != document::npos) {
          where = at("where");
          where_at = key_at(n, "where");
        }
        const std::string s = expr(each);
        const auto in = s.find(" in ");
        clause c;
        c.keyword = "for each";
        std::string head = s.substr(0, in);
        // "i,x" and "i , x" are written "i, x"
        std::string h;
        for (char ch : head)
          if (ch != ' ') h += ch;
        const auto comma = h.find(',');
        c.head = comma == std::string::npos ? h : h.substr(0, comma) + ", " + h.substr(comma + 1);
        std::size_t e = in + 4;
        while (e < s.size() && s[e] == ' ') ++e;
        c.expr = s.substr(e);
        add(r, std::move(c), k == 0 ? key_at(n, "for_each") : doc_.offset(item));
        if (where != document::npos) {
          clause w;
          w.keyword = "where";
          w.expr = expr(where);
          add(r, std::move(w), where_at);
        }
        if (item_lets != document::npos) lets(item_lets, r, key_at(item, "let"));
      }
    }
    if (steps.lets_after != document::npos) rule_lets(steps.lets_after);
    if (auto req = at("require"); req != document::npos) {
      const auto items = data::list_or_one(doc_, req);
      for (std::size_t k = 0; k < items.size(); ++k) {
        const auto item = items[k];
        clause c;
        c.keyword = "require";
        const auto [cond, msg] = rulefile::require_item_of(doc_, item);
        c.expr = expr(cond);
        add(r, std::move(c), k == 0 ? key_at(n, "require") : doc_.offset(item));
        if (msg != document::npos) {
          clause mc;
          mc.keyword = "message";
          pieces(msg, mc, true);
          add(r, std::move(mc), key_at(item, "message"));
        }
      }
    }
    if (auto v = at("message"); v != document::npos) {
      clause c;
      c.keyword = "message";
      pieces(v, c, true);
      add(r, std::move(c), key_at(n, "message"));
    }
    anchors_.push_back({doc_.offset(n), &r, true, &r});
    for (auto& p : pending_) {
      auto& c = r.clauses[p.index];
      anchors_.push_back({p.at, &c});
      for (const auto& [off, k] : p.pieces) anchors_.push_back({off, &c.strings[k]});
    }
  }

  struct pending_clause {
    std::uint32_t at;
    std::size_t index;
    std::vector<std::pair<std::uint32_t, std::size_t>> pieces;
  };

  std::string_view t_;
  const document& doc_;
  std::vector<anchor> anchors_;
  std::vector<ast::span> values_;
  std::vector<std::pair<std::uint32_t, std::size_t>> piece_anchors_;
  std::vector<pending_clause> pending_;
};

}  // namespace

file_model read_yaml_layout(const diag::source_file& src, const document& doc) { return yaml_reader(src, doc).read(); }

std::string print_yaml(const file_model& m) { return yaml_printer().print(m); }

}  // namespace joinup::format
