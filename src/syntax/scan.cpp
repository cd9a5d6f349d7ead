// The lexical pre-scan (see scan.hpp). One pass, no recursion, so it is safe on any input.
#include "syntax/scan.hpp"

#include <string>

#include "diag/codes.hpp"

namespace joinup::syntax::detail {

namespace {

using ast::max_name_length;

bool is_word_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_word_char(char c) { return is_word_start(c) || (c >= '0' && c <= '9'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_line_end(char c) { return c == '\n' || c == '\r'; }

char closer_of(char open) { return open == '(' ? ')' : open == '[' ? ']' : '}'; }

class scanner {
 public:
  scanner(const diag::source_file& src, scan_mode mode, std::uint32_t max_nesting, std::vector<diagnostic>& diags)
      : src_(src), t_(src.text()), n_(static_cast<std::uint32_t>(t_.size())), mode_(mode), max_(max_nesting),
        diags_(diags) {
    levels_.push_back({});
  }

  scan_result run() {
    out_.chunks.push_back({0, n_, false, false});
    if (mode_ == scan_mode::text_template) {
      template_body(0, false);
      return std::move(out_);
    }
    std::uint32_t i = 0;
    while (i < n_) i = step(i);
    finish_chunk(n_);
    return std::move(out_);
  }

 private:
  enum class prev_kind : std::uint8_t { none, operand, op, dot, template_word, template_string };
  struct level {
    char open = 0;
    std::uint32_t at = 0;
    std::uint32_t quantifiers = 0;  // `all x in xs:` bodies open at this level
    std::uint32_t prefixes = 0;     // `not`/`-` written just before the bracket
    bool rule_body = false;         // a rule's `{`: the grammar does not recurse for it
  };

  chunk& current() { return out_.chunks.back(); }

  void error(std::uint32_t b, std::uint32_t e, diag::code code, std::string message, std::string help) {
    diags_.push_back(src_.make(b, e, code, std::move(message), std::move(help)));
    current().bad = true;
  }

  std::uint32_t depth() const {
    const bool body = levels_.size() > 1 && levels_[1].rule_body;
    return static_cast<std::uint32_t>(levels_.size() - 1 - (body ? 1 : 0)) + quantifiers_ + prefixes_ + run_;
  }
  void check_depth(std::uint32_t b, std::uint32_t e) {
    if (depth() > max_ && !current().bad)
      error(b, e, diag::code::too_deep, "too deeply nested",
            "brackets, 'not', '-' and quantifiers may nest at most " + std::to_string(max_) + " levels deep");
  }
  void reset_level() {
    quantifiers_ -= levels_.back().quantifiers;
    levels_.back().quantifiers = 0;
    run_ = 0;
  }

  // Ends the current chunk at `end`: where the next `rule` starts, or the end of the file.
  void finish_chunk(std::uint32_t end) {
    current().end = end;
    if (levels_.size() > 1 && !current().bad) {
      const level& l = levels_.back();
      const char close = closer_of(l.open);
      std::string help = std::string("add a matching '") + close + "'";
      if (l.rule_body && end < n_)  // the scan noticed only when the next rule began inside the body
        help = "add the rule's closing '}' before the next rule, which starts on line " +
               std::to_string(src_.position(end).line);
      error(l.at, l.at + 1, diag::code::unbalanced, std::string("unclosed '") + l.open + "'", std::move(help));
    }
    levels_.resize(1);
    levels_[0].quantifiers = 0;
    quantifiers_ = 0;
    prefixes_ = 0;
    run_ = 0;
  }

  std::uint32_t line_end(std::uint32_t i) const {
    while (i < n_ && !is_line_end(t_[i])) ++i;
    return i;
  }

  // A one-line string literal opening at `q`; returns the offset after it. An unterminated one
  // is reported at its opening quote unless `quiet`, and then `ok` is false.
  std::uint32_t plain_string(std::uint32_t q, bool& ok, bool quiet = false) {
    std::uint32_t j = q + 1;
    while (j < n_ && !is_line_end(t_[j])) {
      if (t_[j] == '\\') {
        j += (j + 1 < n_ && !is_line_end(t_[j + 1])) ? 2 : 1;
        continue;
      }
      if (t_[j] == '"') {
        ok = true;
        return j + 1;
      }
      ++j;
    }
    ok = false;
    if (!quiet) unterminated(q, j);
    return j;
  }

  void unterminated(std::uint32_t q, std::uint32_t end) {
    error(q, end, diag::code::unterminated_string, "unterminated string",
          "strings end on the line they start; close it with '\"'");
  }

  // `"{a ?? "none}"`: the string in the hole runs on past the '}' meant to close the hole, which
  // is then never closed. Point at that string and show it ended before the '}'.
  void string_took_hole_end(ast::span s) {
    const std::string_view str = std::string_view(t_).substr(s.begin, s.end - s.begin);
    std::string help = "inside {...} a '\"' starts a string; end it before the '}'";
    const auto brace = str.find('}');
    if (brace <= 40) help += ", as in " + std::string(str.substr(0, brace)) + "\"}";
    error(s.begin, s.end, diag::code::unbalanced, "unclosed '{' in a template: its '}' is inside a string",
          std::move(help));
  }

  // A template's text: after its opening quote when `quoted` (ends at the closing quote, on the
  // same line), or the whole source. Returns the offset after it.
  std::uint32_t template_body(std::uint32_t from, bool quoted) {
    const std::uint32_t q = from - (quoted ? 1 : 0);
    std::uint32_t j = from;
    while (j < n_) {
      const char c = t_[j];
      if (quoted && is_line_end(c)) break;
      if (c == '\\') {
        j += (j + 1 < n_ && !(quoted && is_line_end(t_[j + 1]))) ? 2 : 1;
        continue;
      }
      if (quoted && c == '"') return j + 1;
      if ((c == '{' || c == '}') && j + 1 < n_ && t_[j + 1] == c) {
        j += 2;
        continue;
      }
      if (c != '{') {
        ++j;
        continue;
      }
      // A hole: an expression up to the matching '}', which may hold strings of its own.
      const std::uint32_t open = j++;
      std::uint32_t nested = 0;
      bool closed = false;
      ast::span swallowed{0, 0};  // the first string in the hole with a '}' in it
      while (j < n_ && !(quoted && is_line_end(t_[j]))) {
        const char h = t_[j];
        if (h == '}') {
          closed = true;
          ++j;
          break;
        }
        if (h == '"') {
          bool ok = false;
          const std::uint32_t after = plain_string(j, ok, true);
          if (!ok) {  // most likely the hole was never closed and the quote ends the template
            error(open, open + 1, diag::code::unbalanced, "unclosed '{' in a template",
                  "close the expression with '}', or write '{{' for a literal '{'");
            return after;
          }
          if (swallowed.end == 0 && std::string_view(t_).substr(j, after - j).find('}') != std::string_view::npos)
            swallowed = {j, after};
          j = after;
          continue;
        }
        if (h == '(' || h == '[') {
          ++nested;
          levels_.push_back({h, j, 0, 0});
          check_depth(j, j + 1);
        } else if ((h == ')' || h == ']') && nested > 0) {
          --nested;
          levels_.pop_back();
        }
        ++j;
      }
      while (nested-- > 0) levels_.pop_back();
      if (!closed && swallowed.end != 0) {
        string_took_hole_end(swallowed);
        return j;
      }
      if (!closed) {
        error(open, open + 1, diag::code::unbalanced, "unclosed '{' in a template",
              "close the expression with '}', or write '{{' for a literal '{'");
        return j;
      }
    }
    if (quoted) unterminated(q, j);
    return j;
  }

  std::uint32_t step(std::uint32_t i) {
    const char c = t_[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return i + 1;
    if (c == '#') {
      const std::uint32_t e = line_end(i);
      out_.comments.push_back({i, e});
      return e;
    }
    if (c == '"') {
      const bool is_template = prev_ == prev_kind::template_word || prev_ == prev_kind::template_string;
      std::uint32_t after;
      if (is_template) {
        after = template_body(i + 1, true);
      } else {
        bool ok = false;
        after = plain_string(i, ok, true);
        if (!ok && !title_missing_open_quote(i)) unterminated(i, after);
      }
      prev_ = is_template ? prev_kind::template_string : prev_kind::operand;
      run_ = 0;
      return after;
    }
    if (is_word_start(c)) {
      std::uint32_t j = i;
      while (j < n_ && is_word_char(t_[j])) ++j;
      // Names are quoted whole in messages; a name of megabytes would make megabytes of them.
      if (j - i > max_name_length)
        error(i, j, diag::code::too_long,
              "a name of " + std::to_string(j - i) + " characters is longer than the limit of " +
                  std::to_string(max_name_length),
              "names are at most " + std::to_string(max_name_length) + " characters long");
      word(std::string_view(t_).substr(i, j - i), i, j);
      return j;
    }
    if (is_digit(c) || c == '@') {
      std::uint32_t j = i + 1;
      while (j < n_ && (is_word_char(t_[j]) || t_[j] == '-' || (t_[j] == '.' && j + 1 < n_ && is_digit(t_[j + 1])))) {
        if (t_[j] == '-' && c != '@') break;
        ++j;
      }
      prev_ = prev_kind::operand;
      run_ = 0;
      return j;
    }
    switch (c) {
      case '(':
      case '[':
      case '{':
        if (c == '{' && in_header() && levels_.size() == 1) {
          body_opened_ = true;
          levels_.push_back({c, i, 0, run_, true});
        } else {
          levels_.push_back({c, i, 0, run_});
        }
        prefixes_ += run_;
        run_ = 0;
        prev_ = prev_kind::op;
        check_depth(i, i + 1);
        return i + 1;
      case ')':
      case ']':
      case '}':
        close(c, i);
        prev_ = prev_kind::operand;
        run_ = 0;
        return i + 1;
      case '-':
        if (prev_ != prev_kind::operand) {
          ++run_;
          check_depth(i, i + 1);
        }
        prev_ = prev_kind::op;
        return i + 1;
      case ',':
        reset_level();
        prev_ = prev_kind::op;
        return i + 1;
      case '.': prev_ = prev_kind::dot; return i + 1;
      default: prev_ = prev_kind::op; return i + 1;
    }
  }

  void close(char c, std::uint32_t i) {
    if (levels_.size() == 1) {
      // A rule whose `{` is missing: the grammar reports that, at the end of the rule's header,
      // which is the real mistake; its `}` closing nothing is only a consequence.
      if (c == '}' && in_header()) return;
      if (!current().bad)
        error(i, i + 1, diag::code::unbalanced, std::string("unexpected '") + c + "'",
              std::string("there is no '") +
                  (c == ')'   ? '('
                   : c == ']' ? '['
                              : '{') +
                  "' for it to close");
      return;
    }
    const level l = levels_.back();
    quantifiers_ -= l.quantifiers;
    prefixes_ -= l.prefixes;
    levels_.pop_back();
    run_ = 0;
    if (closer_of(l.open) != c && !current().bad) {
      const auto pos = src_.position(l.at);
      error(i, i + 1, diag::code::unbalanced, std::string("'") + l.open + "' closed by '" + c + "'",
            std::string("the '") + l.open + "' on line " + std::to_string(pos.line) + " needs a matching '" +
                closer_of(l.open) + "'");
    }
  }

  void word(std::string_view w, std::uint32_t b, std::uint32_t e) {
    if (prev_ == prev_kind::dot) {  // a field name, whatever it spells
      prev_ = prev_kind::operand;
      run_ = 0;
      return;
    }
    if (w == "rule" && mode_ == scan_mode::rule_file) {
      finish_chunk(b);
      out_.chunks.push_back({b, n_, true, false});
      body_opened_ = false;
      prev_ = prev_kind::op;
      return;
    }
    // A file-level definition or import: outside any bracket and any rule body, at the start of
    // a line's first word.
    if ((w == "let" || w == "def" || w == "import") && mode_ == scan_mode::rule_file && levels_.size() == 1 &&
        at_line_start(b) && !in_header()) {
      finish_chunk(b);
      chunk c{b, n_, false, false};
      c.is_definition = true;
      out_.chunks.push_back(c);
      prev_ = prev_kind::op;
      return;
    }
    if (w == "not") {
      ++run_;
      check_depth(b, e);
      prev_ = prev_kind::op;
    } else if (w == "all" || w == "any" || w == "none" || w == "if") {
      ++levels_.back().quantifiers;
      ++quantifiers_;
      check_depth(b, e);
      prev_ = prev_kind::op;
    } else if (w == "message" || w == "rationale" || w == "remedy" || w == "undetermined") {
      reset_level();
      prev_ = prev_kind::template_word;
    } else if (w == "require" || w == "when" || w == "let" || w == "for" || w == "severity" || w == "tags" ||
               w == "source" || w == "package" || w == "uses") {
      reset_level();
      prev_ = prev_kind::op;
    } else if (w == "and" || w == "or" || w == "in" || w == "where" || w == "between" || w == "matches" ||
               w == "each" || w == "then" || w == "else") {
      prev_ = prev_kind::op;
    } else {
      prev_ = prev_kind::operand;
      run_ = 0;
    }
  }

  // Only blanks between the start of b's line and b.
  bool at_line_start(std::uint32_t b) const {
    while (b > 0 && (t_[b - 1] == ' ' || t_[b - 1] == '\t')) --b;
    return b == 0 || is_line_end(t_[b - 1]);
  }

  // Between a `rule` keyword and its body's `{`.
  bool in_header() const { return mode_ == scan_mode::rule_file && current_is_rule() && !body_opened_; }
  bool current_is_rule() const { return out_.chunks.back().is_rule; }

  // An unterminated string at `q` in a rule header after two or more words (`rule id Every team
  // has a lead" {`) is most likely the title's closing quote with the opening one missing: the
  // grammar then reports the title's first word, which is the real mistake.
  bool title_missing_open_quote(std::uint32_t q) const {
    if (!in_header()) return false;
    const std::uint32_t from = out_.chunks.back().begin + 4;  // after `rule`
    std::uint32_t words = 0;
    bool in_word = false;
    for (std::uint32_t j = from; j < q; ++j) {
      const char c = t_[j];
      if (c == '"' || c == '#' || c == '{') return false;
      const bool blank = c == ' ' || c == '\t' || is_line_end(c);
      if (!blank && !in_word) ++words;
      in_word = !blank;
    }
    return words >= 2 && q > 0 && is_word_char(t_[q - 1]);
  }

  const diag::source_file& src_;
  const std::string& t_;
  const std::uint32_t n_;
  const scan_mode mode_;
  const std::uint32_t max_;
  std::vector<diagnostic>& diags_;
  scan_result out_;
  std::vector<level> levels_;  // [0] is the outermost, bracket-less level
  std::uint32_t quantifiers_ = 0;
  std::uint32_t prefixes_ = 0;  // sum of the open levels' `prefixes`
  std::uint32_t run_ = 0;       // consecutive prefix operators (`not not -x`) at this level
  prev_kind prev_ = prev_kind::none;
  bool body_opened_ = false;  // the current rule chunk's `{` was seen
};

}  // namespace

scan_result scan(const diag::source_file& src, scan_mode mode, std::uint32_t max_nesting,
                 std::vector<diagnostic>& diags) {
  return scanner(src, mode, max_nesting, diags).run();
}

std::uint32_t hole_end(std::string_view t, std::uint32_t open, std::uint32_t stop) {
  std::uint32_t j = open + 1;
  while (j < stop) {
    if (t[j] == '}') return j;
    if (t[j] == '"') {
      ++j;
      while (j < stop && t[j] != '"') j += t[j] == '\\' ? 2 : 1;
    }
    ++j;
  }
  return stop;
}

}  // namespace joinup::syntax::detail
