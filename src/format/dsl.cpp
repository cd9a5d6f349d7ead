// Reading a .jup file into the layout model, and printing a model as a .jup file in the one
// canonical layout.
#include <algorithm>
#include <deque>
#include <optional>

#include "base/no_index.hpp"
#include "diag/text.hpp"
#include "format/model.hpp"

namespace joinup::format {

namespace {

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
    if (f_.schema) {
      m.schema = *f_.schema;
      anchors.push_back({line_start(f_.schema_span.begin), &m.schema_line});
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
    definitions(m, anchors);
    // Comments inside an expression travel with its text.
    std::vector<ast::span> comments;
    for (const auto& c : f_.comments) {
      const bool inside = std::any_of(opaque_.begin(), opaque_.end(),
                                      [&](ast::span s) { return c.begin >= s.begin && c.end <= s.end; });
      if (!inside) comments.push_back(c);
    }
    std::stable_sort(anchors.begin(), anchors.end(),
                     [](const anchor& a, const anchor& b) { return a.begin < b.begin; });
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
    next.before.insert(next.before.begin(), std::make_move_iterator(moved.begin()),
                       std::make_move_iterator(moved.end()));
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

  // The file-level definitions and imports, in source order, each before the rule that follows it.
  void definitions(file_model& m, std::vector<anchor>& anchors) {
    struct found {
      std::uint32_t begin;
      definition_model d;
    };
    std::vector<found> all;
    const auto rules_before = [&](std::uint32_t at) {
      return static_cast<std::size_t>(
          std::count_if(f_.rules.begin(), f_.rules.end(), [&](const ast::rule& r) { return r.where.begin < at; }));
    };
    for (const auto& [pkg, where] : f_.imports) {
      const auto begin = line_start(where.begin);
      definition_model d;
      d.keyword = "import";
      d.head = pkg;
      d.before_rule = rules_before(begin);
      all.push_back({begin, std::move(d)});
    }
    for (const auto& def : f_.definitions) {
      definition_model d;
      d.keyword = def.what == ast::definition::kind::let ? "let" : "def";
      d.head = def.name;
      if (def.what == ast::definition::kind::def) {
        d.head += "(";
        for (std::size_t i = 0; i < def.params.size(); ++i) d.head += (i ? ", " : "") + def.params[i].first;
        d.head += ")";
      }
      if (def.value != no_index) {
        const auto s = f_.at(def.value).where;
        opaque_.push_back(s);
        const int column = static_cast<int>(d.keyword.size() + 1 + diag::count_chars(d.head) + 3);
        d.expr =
            normalise_expr(src_.slice(s.begin, s.end), 0, column - static_cast<int>(src_.position(s.begin).column - 1));
      }
      d.before_rule = rules_before(def.where.begin);
      all.push_back({line_start(def.where.begin), std::move(d)});
    }
    std::stable_sort(all.begin(), all.end(), [](const found& a, const found& b) { return a.begin < b.begin; });
    m.definitions.reserve(all.size());  // anchors point into it
    for (auto& f : all) {
      m.definitions.push_back(std::move(f.d));
      anchors.push_back({f.begin, &m.definitions.back()});
    }
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
      } else if (w.keyword == "source" || w.keyword == "rationale" || w.keyword == "remedy" ||
                 w.keyword == "undetermined" || w.keyword == "message") {
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
          if (s.for_each.filter != no_index) {
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
    if (m.schema) {
      comments(m.schema_line.before, 0, m.package.has_value());
      blank_if(m.schema_line.blank_before && !m.schema_line.before.empty());
      std::string lit = "schema ";
      diag::append_quoted(lit, *m.schema);
      line(lit, m.schema_line.trailing);
    }
    if (!m.uses.empty()) {
      comments(m.uses_line.before, 0, m.package.has_value());
      blank_if(m.uses_line.blank_before && !m.uses_line.before.empty());
      line("uses " + joined(m.uses, ", "), m.uses_line.trailing);
    }
    std::size_t next = 0;  // the next definition to print
    for (std::size_t i = 0; i <= m.rules.size(); ++i) {
      bool first = true;
      for (; next < m.definitions.size() && m.definitions[next].before_rule <= i; ++next, first = false)
        definition(m.definitions[next], first && !(i == 0 && next == 0 && m.definitions[next].keyword == "import"));
      if (i < m.rules.size()) rule(m.rules[i]);
    }
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
      while (j < lines_.size() && !lines_[j].second.empty())
        width = std::max<std::size_t>(width, diag::count_chars(lines_[j++].first));
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

  // A group of definitions follows a blank line (imports straight after the header need none);
  // within it, blank lines are kept as written.
  void definition(const definition_model& d, bool first) {
    const bool first_blank = d.before.empty() ? d.blank_before : d.before.front().blank_before;
    blank_if(first || first_blank);
    comments(d.before, 0, false);
    blank_if(d.blank_before && !d.before.empty());
    std::string code = d.keyword + " " + d.head;
    if (d.keyword != "import") code += " = " + d.expr;
    const auto lines = split_lines(code);
    for (std::size_t i = 0; i < lines.size(); ++i) line(lines[i], i + 1 == lines.size() ? d.trailing : std::string());
  }

  void rule(const rule_model& r) {
    blank_if(true);
    comments(r.before, 0, false);
    blank_if(r.blank_before && !r.before.empty());
    std::string head = "rule " + r.id;
    for (const auto& t : r.title) head += " " + t;
    line(head + " {", r.trailing);
    bool was_meta = false;
    const auto require_count =
        std::count_if(r.clauses.begin(), r.clauses.end(), [](const clause& k) { return k.keyword == "require"; });
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
      std::string v = joined(c.strings | ranges::views::transform(&piece::text), ", ");
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

}  // namespace

file_model read_dsl_layout(const diag::source_file& src, const ast::file& f) { return dsl_reader(src, f).read(); }

std::string print_dsl(const file_model& m) { return dsl_printer().print(m); }

}  // namespace joinup::format
