// The formatter and converter. A rule file is read into a layout model — every clause in order,
// the text of each expression and string as written, every comment attached to the line it
// belongs to — and printed from it, as a .jup file in the canonical layout or as a YAML rule file.
#include "format/format.hpp"

#include "data/keys.hpp"

#include <algorithm>
#include <deque>
#include <optional>

#include "ast/ast.hpp"
#include "diag/source.hpp"
#include "diag/text.hpp"
#include "joinup/diagnostic.hpp"
#include "joinup/document.hpp"
#include "rulefile/yaml_rules.hpp"
#include "syntax/parse.hpp"

namespace joinup::format {

namespace {

// ---- the layout model -----------------------------------------------------------------------

struct comment {
  std::string text;  // from '#' to the end of the line
  bool blank_before = false;
};

// An output line and what is attached to it.
struct item {
  std::vector<comment> before;  // comments on their own lines above it
  bool blank_before = false;    // a blank line directly above the line itself
  std::string trailing;         // a comment at the end of the line
};

struct piece : item {
  std::string text;  // a string literal in DSL form (quotes included), a word, or a tag as written
};

struct clause : item {
  std::string keyword;  // severity tags source rationale remedy when let "for each" where require message
  std::string head;     // let: the name; for each: "NAME" or "I, NAME"
  // The expression as written. Continuation lines carry their indentation relative to the
  // clause's own indentation (at least 2).
  std::string expr;
  std::vector<piece> strings;
};

struct rule_model : item {
  std::string id;
  std::vector<std::string> title;  // DSL string literals
  std::vector<clause> clauses;
  item close;  // the closing brace: comments before it, and after it on its line
};

struct file_model {
  std::optional<std::string> package;
  item package_line;
  std::vector<std::string> uses;
  item uses_line;
  std::vector<rule_model> rules;
  item end;  // comments after everything
};

bool is_metadata(const std::string& k) {
  return k == "severity" || k == "tags" || k == "source" || k == "rationale" || k == "remedy";
}
bool is_body_indent4(const std::string& k) { return k == "where"; }
std::uint32_t indent_of(const clause& c) { return is_body_indent4(c.keyword) ? 4 : 2; }

// The column (in characters) where a clause's expression starts, as the DSL printer lays it out.
std::uint32_t expr_column(const clause& c) {
  const std::uint32_t k = indent_of(c);
  const auto head = diag::count_chars(c.head);
  if (c.keyword == "let") return k + 4 + head + 3;
  if (c.keyword == "for each") return k + 9 + head + 4;
  return k + static_cast<std::uint32_t>(c.keyword.size()) + 1;
}

std::string rtrim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return std::string(s);
}

std::vector<std::string> split_lines(std::string_view s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const auto nl = s.find('\n', start);
    out.push_back(std::string(s.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start)));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return out;
}

// Continuation lines indented relative to the clause (at least 2), shifted by `delta` columns.
std::string normalise_expr(std::string_view text, std::uint32_t clause_indent, int delta) {
  const auto lines = split_lines(text);
  std::string out = rtrim(lines[0]);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    out += '\n';
    const std::string line = rtrim(lines[i]);
    std::size_t n = 0;
    while (n < line.size() && (line[n] == ' ' || line[n] == '\t')) ++n;
    if (n == line.size()) continue;
    const int absolute = std::max<int>(static_cast<int>(n) + delta, static_cast<int>(clause_indent) + 2);
    out += std::string(static_cast<std::size_t>(absolute) - clause_indent, ' ') + line.substr(n);
  }
  return out;
}

// ---- attaching comments ---------------------------------------------------------------------

struct anchor {
  std::uint32_t begin;
  item* it;
  bool is_rule = false;
  rule_model* rule = nullptr;
};

bool line_above_blank(std::string_view t, std::uint32_t at) {
  std::uint32_t ls = at;
  while (ls > 0 && t[ls - 1] != '\n') --ls;
  if (ls == 0) return false;
  std::uint32_t ps = ls - 1;
  while (ps > 0 && t[ps - 1] != '\n') --ps;
  for (std::uint32_t i = ps; i < ls - 1; ++i)
    if (t[i] != ' ' && t[i] != '\t' && t[i] != '\r') return false;
  return true;
}

bool own_line(std::string_view t, std::uint32_t at) {
  while (at > 0 && t[at - 1] != '\n') {
    if (t[at - 1] != ' ' && t[at - 1] != '\t') return false;
    --at;
  }
  return true;
}

std::uint32_t column_of(std::string_view t, std::uint32_t at) {
  std::uint32_t ls = at;
  while (ls > 0 && t[ls - 1] != '\n') --ls;
  return diag::count_chars(t.substr(ls, at - ls));
}

// Attaches each comment to an anchor: a comment alone on its line to the next anchor, one after
// code to the line it ends. `yaml`: a comment indented into a rule just before the next rule
// (or the end) closes that rule.
void attach(std::string_view t, std::vector<anchor> anchors, const std::vector<ast::span>& comments, file_model& m,
            bool yaml) {
  std::stable_sort(anchors.begin(), anchors.end(), [](const anchor& a, const anchor& b) { return a.begin < b.begin; });
  for (auto& a : anchors) a.it->blank_before = line_above_blank(t, a.begin);
  for (const auto& c : comments) {
    const std::string text = rtrim(t.substr(c.begin, c.end - c.begin));
    auto next = std::lower_bound(anchors.begin(), anchors.end(), c.end,
                                 [](const anchor& a, std::uint32_t o) { return a.begin < o; });
    if (!own_line(t, c.begin)) {
      if (next != anchors.begin()) {
        item* it = std::prev(next)->it;
        if (it->trailing.empty()) {
          it->trailing = text;
          continue;
        }
      }
    }
    comment cm{text, line_above_blank(t, c.begin)};
    if (yaml && column_of(t, c.begin) >= 4 && (next == anchors.end() || next->is_rule)) {
      for (auto p = next; p != anchors.begin();) {
        --p;
        if (p->is_rule) {
          p->rule->close.before.push_back(cm);
          cm.text.clear();
          break;
        }
      }
      if (cm.text.empty()) continue;
    }
    if (next == anchors.end()) {
      m.end.before.push_back(cm);
    } else {
      next->it->before.push_back(cm);
    }
  }
}

// ---- reading a .jup file --------------------------------------------------------------------

class dsl_reader {
 public:
  dsl_reader(const diag::source_file& src, const ast::file& f) : src_(src), t_(src.text()), f_(f) {}

  file_model read() {
    file_model m;
    std::vector<anchor> anchors;
    if (f_.package) {
      m.package = *f_.package;
      anchors.push_back({line_start(f_.package_span.begin), &m.package_line});
    }
    // Every name goes on one `uses` line, at the first declaration. A later declaration's line
    // still anchors the comments around it; they are then moved to what follows it (below), so
    // no comment changes places with another.
    std::deque<item> later_uses;
    std::optional<std::uint32_t> first_uses, last_uses;
    for (const auto& [name, where] : f_.uses) {
      m.uses.push_back(name);
      const auto at = line_start(where.begin);
      if (!first_uses || at == *first_uses) {
        first_uses = at;
        anchors.push_back({at, &m.uses_line});
      } else if (at != last_uses) {
        later_uses.emplace_back();
        anchors.push_back({at, &later_uses.back()});
      }
      last_uses = at;
    }
    m.rules.reserve(f_.rules.size());
    for (const auto& r : f_.rules) m.rules.push_back(rule(r));
    for (std::size_t i = 0; i < f_.rules.size(); ++i) {
      auto& rm = m.rules[i];
      anchors.push_back({f_.rules[i].where.begin, &rm, true, &rm});
      for (std::size_t k = 0; k < rm.clauses.size(); ++k) {
        auto& c = rm.clauses[k];
        anchors.push_back({clause_begin_[i][k], &c});
        for (std::size_t p = 0; p < c.strings.size(); ++p)
          if (piece_begin_[i][k][p] != clause_begin_[i][k] && c.keyword != "tags" && c.keyword != "severity")
            anchors.push_back({piece_begin_[i][k][p], &c.strings[p]});
      }
      anchors.push_back({f_.rules[i].where.end - 1, &rm.close});
    }
    // Comments inside an expression travel with its text.
    std::vector<ast::span> comments;
    for (const auto& c : f_.comments) {
      const bool inside = std::any_of(opaque_.begin(), opaque_.end(),
                                      [&](ast::span s) { return c.begin >= s.begin && c.end <= s.end; });
      if (!inside) comments.push_back(c);
    }
    std::stable_sort(anchors.begin(), anchors.end(), [](const anchor& a, const anchor& b) { return a.begin < b.begin; });
    attach(t_, anchors, comments, m, false);
    for (auto& u : later_uses) move_comments_on(u, anchors, m);
    return m;
  }

 private:
  // The comments of a line that is not printed where it was (a later `uses`), moved in order to the
  // front of the comments of the next line that is (or of the file's end).
  static void move_comments_on(item& gone, const std::vector<anchor>& anchors, file_model& m) {
    std::vector<comment> moved = std::move(gone.before);
    if (!gone.trailing.empty()) moved.push_back({gone.trailing, false});
    gone = item{};
    if (moved.empty()) return;
    auto at = std::find_if(anchors.begin(), anchors.end(), [&](const anchor& a) { return a.it == &gone; });
    while (at != anchors.end() && at->it == &gone) ++at;
    item& next = at == anchors.end() ? m.end : *at->it;
    next.before.insert(next.before.begin(), std::make_move_iterator(moved.begin()), std::make_move_iterator(moved.end()));
  }

  std::uint32_t line_start(std::uint32_t at) const {
    while (at > 0 && t_[at - 1] != '\n') --at;
    return at;
  }

  std::uint32_t skip_blank(std::uint32_t i, std::uint32_t stop) const {
    while (i < stop) {
      const char c = t_[i];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++i;
      } else if (c == '#') {
        while (i < stop && t_[i] != '\n') ++i;
      } else {
        break;
      }
    }
    return i;
  }

  // The end of the string literal starting at t_[i] == '"'. Templates may hold strings in holes.
  std::uint32_t string_end(std::uint32_t i, bool is_template) const {
    const auto n = static_cast<std::uint32_t>(t_.size());
    ++i;
    while (i < n && t_[i] != '"' && t_[i] != '\n') {
      if (t_[i] == '\\') {
        i += 2;
      } else if (is_template && (t_.compare(i, 2, "{{") == 0 || t_.compare(i, 2, "}}") == 0)) {
        i += 2;
      } else if (is_template && t_[i] == '{') {
        ++i;
        while (i < n && t_[i] != '}' && t_[i] != '\n') {
          if (t_[i] == '"') {
            ++i;
            while (i < n && t_[i] != '"' && t_[i] != '\n') i += t_[i] == '\\' ? 2 : 1;
          }
          ++i;
        }
        ++i;
      } else {
        ++i;
      }
    }
    return std::min(n, i + 1);
  }

  // The string literals in [from, stop), with where each starts.
  std::vector<std::pair<std::uint32_t, std::string>> strings(std::uint32_t from, std::uint32_t stop, bool is_template) {
    std::vector<std::pair<std::uint32_t, std::string>> out;
    std::uint32_t i = skip_blank(from, stop);
    while (i < stop && t_[i] == '"') {
      const auto e = string_end(i, is_template);
      out.emplace_back(i, std::string(src_.slice(i, e)));
      i = skip_blank(e, stop);
    }
    return out;
  }

  std::string expr_text(const clause& c, ast::span s) {
    opaque_.push_back(s);
    const int delta = static_cast<int>(expr_column(c)) - static_cast<int>(src_.position(s.begin).column - 1);
    return normalise_expr(src_.slice(s.begin, s.end), indent_of(c), delta);
  }

  rule_model rule(const ast::rule& r) {
    rule_model rm;
    rm.id = r.id;
    const std::uint32_t body = r.written.empty() ? r.where.end : r.written.front().keyword_span.begin;
    for (auto& [at, text] : strings(r.id_span.end, body, false)) rm.title.push_back(text);
    std::vector<std::uint32_t> begins;
    std::vector<std::vector<std::uint32_t>> piece_begins;
    std::size_t step = 0, req = 0;
    for (const auto& w : r.written) {
      clause c;
      c.keyword = w.keyword;
      std::vector<std::uint32_t> pb;
      if (w.keyword == "severity" || w.keyword == "tags") {
        // Words and strings as written, between the keyword (and '[') and the end.
        std::uint32_t i = w.keyword_span.end;
        while (i < w.where.end) {
          i = skip_blank(i, w.where.end);
          if (i >= w.where.end) break;
          const char ch = t_[i];
          if (ch == '[' || ch == ']' || ch == ',') {
            ++i;
            continue;
          }
          std::uint32_t e = i;
          if (ch == '"') {
            e = string_end(i, false);
          } else {
            while (e < w.where.end && t_[e] != ',' && t_[e] != ']' && t_[e] != ' ' && t_[e] != '\n' && t_[e] != '#' &&
                   t_[e] != '\t' && t_[e] != '\r')
              ++e;
          }
          piece p;
          p.text = std::string(src_.slice(i, e));
          c.strings.push_back(std::move(p));
          pb.push_back(i);
          i = e;
        }
      } else if (w.keyword == "source" || w.keyword == "rationale" || w.keyword == "remedy" || w.keyword == "message") {
        for (auto& [at, text] : strings(w.keyword_span.end, w.where.end, w.keyword != "source")) {
          piece p;
          p.text = text;
          c.strings.push_back(std::move(p));
          pb.push_back(at);
        }
      } else if (w.keyword == "when") {
        c.expr = expr_text(c, f_.at(r.when).where);
      } else if (w.keyword == "require") {
        if (req < r.requires_.size()) c.expr = expr_text(c, f_.at(r.requires_[req++].condition).where);
      } else if (w.keyword == "let" || w.keyword == "for each") {
        if (step >= r.steps.size()) continue;
        const auto& s = r.steps[step++];
        if (s.what == ast::step::kind::let) {
          c.head = s.let.name;
          c.expr = expr_text(c, f_.at(s.let.value).where);
        } else {
          c.head = s.for_each.key_name.empty() ? s.for_each.name : s.for_each.key_name + ", " + s.for_each.name;
          c.expr = expr_text(c, f_.at(s.for_each.collection).where);
          rm.clauses.push_back(std::move(c));
          begins.push_back(w.keyword_span.begin);
          piece_begins.push_back({});
          if (s.for_each.filter != ast::no_expr) {
            clause wc;
            wc.keyword = "where";
            const auto fs = f_.at(s.for_each.filter).where;
            wc.expr = expr_text(wc, fs);
            // The anchor is the `where` keyword: the last word before the filter.
            std::uint32_t k = fs.begin;
            while (k > 0 && (t_[k - 1] == ' ' || t_[k - 1] == '\t' || t_[k - 1] == '\n' || t_[k - 1] == '\r')) --k;
            rm.clauses.push_back(std::move(wc));
            begins.push_back(k >= 5 ? k - 5 : fs.begin);
            piece_begins.push_back({});
          }
          continue;
        }
      }
      rm.clauses.push_back(std::move(c));
      begins.push_back(w.keyword_span.begin);
      piece_begins.push_back(std::move(pb));
    }
    clause_begin_.push_back(std::move(begins));
    piece_begin_.push_back(std::move(piece_begins));
    return rm;
  }

  const diag::source_file& src_;
  const std::string& t_;
  const ast::file& f_;
  std::vector<ast::span> opaque_;
  std::vector<std::vector<std::uint32_t>> clause_begin_;
  std::vector<std::vector<std::vector<std::uint32_t>>> piece_begin_;
};

// ---- printing the DSL -----------------------------------------------------------------------

class dsl_printer {
 public:
  std::string print(const file_model& m) {
    if (m.package) {
      comments(m.package_line.before, 0, false);
      blank_if(m.package_line.blank_before && !m.package_line.before.empty());
      line("package " + *m.package, m.package_line.trailing);
    }
    if (!m.uses.empty()) {
      comments(m.uses_line.before, 0, m.package.has_value());
      blank_if(m.uses_line.blank_before && !m.uses_line.before.empty());
      std::string u = "uses ";
      for (std::size_t i = 0; i < m.uses.size(); ++i) u += (i ? ", " : "") + m.uses[i];
      line(u, m.uses_line.trailing);
    }
    for (const auto& r : m.rules) rule(r);
    if (!m.end.before.empty()) comments(m.end.before, 0, !lines_.empty());
    return text();
  }

 private:
  // Trailing comments on consecutive lines line up, two spaces after the longest line's code.
  std::string text() const {
    std::string out;
    for (std::size_t i = 0; i < lines_.size();) {
      std::size_t j = i;
      std::size_t width = 0;
      while (j < lines_.size() && !lines_[j].second.empty()) width = std::max<std::size_t>(width, diag::count_chars(lines_[j++].first));
      if (j == i) {
        out += lines_[i++].first + '\n';
        continue;
      }
      for (; i < j; ++i) {
        const auto& [code, trailing] = lines_[i];
        out += code + std::string(width - diag::count_chars(code) + 2, ' ') + trailing + '\n';
      }
    }
    return out;
  }
  void line(const std::string& code, const std::string& trailing = {}) { lines_.emplace_back(code, trailing); }
  bool last_blank() const { return !lines_.empty() && lines_.back().first.empty() && lines_.back().second.empty(); }
  void blank_if(bool b) {
    if (b && !lines_.empty() && !last_blank()) lines_.emplace_back();
  }
  // Comments on their own lines; `keep_blank`: honour a blank line before the first one.
  void comments(const std::vector<comment>& cs, std::uint32_t indent, bool keep_blank) {
    for (std::size_t i = 0; i < cs.size(); ++i) {
      blank_if(cs[i].blank_before && (i > 0 || keep_blank));
      line(std::string(indent, ' ') + cs[i].text);
    }
  }

  void rule(const rule_model& r) {
    blank_if(true);
    comments(r.before, 0, false);
    blank_if(r.blank_before && !r.before.empty());
    std::string head = "rule " + r.id;
    for (const auto& t : r.title) head += " " + t;
    line(head + " {", r.trailing);
    bool was_meta = false;
    const auto require_count = std::count_if(r.clauses.begin(), r.clauses.end(),
                                        [](const clause& k) { return k.keyword == "require"; });
    for (std::size_t i = 0; i < r.clauses.size(); ++i) {
      const auto& c = r.clauses[i];
      const bool meta = is_metadata(c.keyword);
      const bool first_blank = c.before.empty() ? c.blank_before : c.before.front().blank_before;
      blank_if(i > 0 && (first_blank || (was_meta && !meta)));
      was_meta = meta;
      // In a rule with several requires, each message sits under the require it follows.
      const bool under_require = c.keyword == "message" && require_count > 1;
      comments(c.before, under_require ? 4 : indent_of(c), false);
      blank_if(c.blank_before && !c.before.empty());
      clause_lines(c, under_require);
    }
    comments(r.close.before, 2, true);
    line("}", r.close.trailing);
  }

  void clause_lines(const clause& c, bool under_require) {
    const std::string pad(under_require ? 4 : indent_of(c), ' ');
    if (c.keyword == "severity" || c.keyword == "tags") {
      std::string v;
      for (std::size_t i = 0; i < c.strings.size(); ++i) v += (i ? ", " : "") + c.strings[i].text;
      if (c.keyword == "tags") v = "[" + v + "]";
      std::string trailing = c.trailing;
      for (const auto& p : c.strings)
        if (!p.trailing.empty()) trailing += (trailing.empty() ? "" : " ") + p.trailing;
      line(pad + keyword(c.keyword) + v, trailing);
      return;
    }
    if (!c.strings.empty()) {  // source, rationale, remedy, message: one piece a line
      const std::string kw = keyword(c.keyword);
      for (std::size_t i = 0; i < c.strings.size(); ++i) {
        const auto& p = c.strings[i];
        comments(p.before, static_cast<std::uint32_t>(pad.size() + kw.size()), false);
        std::string trailing = p.trailing;
        if (i == 0 && !c.trailing.empty()) trailing = c.trailing + (trailing.empty() ? "" : " " + trailing);
        line((i == 0 ? pad + kw : std::string(pad.size() + kw.size(), ' ')) + p.text, trailing);
      }
      return;
    }
    std::string first = pad + c.keyword + " ";
    if (c.keyword == "let") first = pad + "let " + c.head + " = ";
    if (c.keyword == "for each") first = pad + "for each " + c.head + " in ";
    const auto lines = split_lines(c.expr);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const std::string text = i == 0 ? first + lines[0] : lines[i].empty() ? std::string() : pad + lines[i];
      line(text, i + 1 == lines.size() ? c.trailing : std::string());
    }
  }

  static std::string keyword(const std::string& k) {
    if (k == "message") return "message ";
    std::string s = k;
    s.resize(std::max<std::size_t>(s.size() + 1, 10), ' ');
    return s;
  }

  std::vector<std::pair<std::string, std::string>> lines_;  // code, trailing comment
};

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
      const auto close = lit.find('}', i);
      v += std::string(lit.substr(i - 1, close - i + 2));  // not expected in titles; kept as written
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

// A YAML scalar for a one-line text: plain when that is safe, else single-quoted; texts with line
// breaks or control characters double-quoted.
std::string yaml_scalar(std::string_view s) {
  const bool control = std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
  if (control) {
    std::string out = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\t') {
        out += "\\t";
      } else if (static_cast<unsigned char>(c) < 0x20) {
        static const char* hexd = "0123456789abcdef";
        out += "\\x";
        out += hexd[(c >> 4) & 0xF];
        out += hexd[c & 0xF];
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
    if (!m.uses.empty()) {
      above(m.uses_line, 0);
      std::string u = "uses: [";
      for (std::size_t i = 0; i < m.uses.size(); ++i) u += (i ? ", " : "") + m.uses[i];
      line(u + "]", m.uses_line.trailing);
    }
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

  // key: value, where value is an expression (a block scalar when it spans lines).
  void expr_entry(std::uint32_t indent, const std::string& key, const clause& c) {
    above(c, indent);
    const std::string pad(indent, ' ');
    if (c.expr.find('\n') == std::string::npos) {
      line(pad + key + yaml_scalar(c.expr), c.trailing);
      return;
    }
    line(pad + key + "|-", c.trailing);
    for (const auto& l : split_lines(c.expr)) line(l.empty() ? std::string() : pad + "  " + l);
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
    if (!r.title.empty()) {
      std::string t;
      for (const auto& p : r.title) t += decode_plain(p);
      line("    title: " + yaml_scalar(t));
    }
    // Metadata, in the order written.
    std::size_t i = 0;
    for (; i < r.clauses.size() && is_metadata(r.clauses[i].keyword); ++i) {
      const auto& c = r.clauses[i];
      if (c.keyword == "severity" || c.keyword == "tags") {
        above(c, in);
        std::string v, trailing = c.trailing;
        for (std::size_t k = 0; k < c.strings.size(); ++k) {
          const auto& p = c.strings[k].text;
          v += (k ? ", " : "") + (p.starts_with("\"") ? yaml_scalar(decode_plain(p)) : yaml_scalar(p));
          if (!c.strings[k].trailing.empty()) trailing += (trailing.empty() ? "" : " ") + c.strings[k].trailing;
        }
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
      } else if (key == "uses") {
        if (doc_.kind(v) == value_kind::list) {
          for (std::uint32_t k = 0; k < doc_.size(v); ++k) m.uses.push_back(text(doc_.at(v, k)).text);
        } else {
          m.uses.push_back(text(v).text);
        }
        anchors_.push_back({at, &m.uses_line});
      }
    }
    const auto rules = doc_.find(root, "rules");
    if (rules != document::npos && doc_.kind(rules) == value_kind::list) {
      m.rules.resize(doc_.size(rules));
      for (std::uint32_t i = 0; i < doc_.size(rules); ++i) rule(doc_.at(rules, i), m.rules[i]);
    }
    // Every comment outside a value.
    std::vector<ast::span> comments;
    for (std::uint32_t i = 0; i < t_.size(); ++i) {
      if (t_[i] != '#' || (i > 0 && t_[i - 1] != ' ' && t_[i - 1] != '\t' && t_[i - 1] != '\n')) continue;
      const bool inside = std::any_of(values_.begin(), values_.end(),
                                      [&](ast::span s) { return i >= s.begin && i < s.end; });
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
    values_.push_back({std::min(m.raw_begin, doc_.offset(n)), std::max(m.raw_end, doc_.offset(n) + 1)});
    return m;
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
      std::string joined;
      for (const auto& p : tmp.strings) joined += decode_plain(p.text);
      std::string lit;
      diag::append_quoted(lit, joined);
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
    std::optional<std::uint32_t> let_index, for_index;
    for (std::uint32_t i = 0; i < doc_.size(n); ++i) {
      const auto key = doc_.key_text(doc_.key_at(n, i));
      if (key == "let") let_index = i;
      if (key == "for_each") for_index = i;
    }
    const bool lets_first = let_index && for_index && *let_index < *for_index;
    const auto let_at = let_index ? data::key_offset(doc_, t_, n, *let_index) : 0;
    if (lets_first) lets(doc_.value_at(n, *let_index), r, let_at);
    if (for_index) {
      const auto f = doc_.value_at(n, *for_index);
      const auto items = data::list_or_one(doc_, f);
      for (std::size_t k = 0; k < items.size(); ++k) {
        auto item = items[k];
        document::node_id each = item, where = document::npos, item_lets = document::npos;
        std::uint32_t where_at = 0;
        if (doc_.kind(item) == value_kind::map) {
          each = doc_.find(item, "each");
          where = doc_.find(item, "where");
          item_lets = doc_.find(item, "let");
          where_at = key_at(item, "where");
        }
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
    if (let_index && !lets_first) lets(doc_.value_at(n, *let_index), r, let_at);
    if (auto req = at("require"); req != document::npos) {
      const auto items = data::list_or_one(doc_, req);
      for (std::size_t k = 0; k < items.size(); ++k) {
        const auto item = items[k];
        clause c;
        c.keyword = "require";
        document::node_id cond = item, msg = document::npos;
        if (doc_.kind(item) == value_kind::map) {
          cond = doc_.find(item, "that");
          msg = doc_.find(item, "message");
        }
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

// ---- entry points ---------------------------------------------------------------------------

file_model read_dsl(const rule_source& s) {
  const diag::source_file src(s.origin, s.text);
  ast::file f;
  syntax::parse_output out;
  std::vector<diagnostic> diags;
  if (!syntax::parse(src, syntax::parse_mode::rule_file, f, out, diags)) throw error(std::move(diags));
  return dsl_reader(src, f).read();
}

}  // namespace

bool is_yaml_source(std::string_view origin) { return rulefile::is_yaml_name(origin); }

std::string format_dsl(const rule_source& jup) { return dsl_printer().print(read_dsl(jup)); }

std::string to_yaml(const rule_source& jup) {
  // From the canonical layout, so that expressions spanning lines are indented canonically.
  const rule_source formatted{jup.origin, format_dsl(jup)};
  return yaml_printer().print(read_dsl(formatted));
}

std::string to_dsl(const rule_source& yaml) {
  const diag::source_file src(yaml.origin, yaml.text);
  ast::file f;
  std::vector<diagnostic> diags;
  if (!rulefile::read_yaml(src, f, diags)) throw error(std::move(diags));
  const document doc = load_document(yaml.text, yaml.origin, data_format::yaml);
  return dsl_printer().print(yaml_reader(src, doc).read());
}

}  // namespace joinup::format
