// Grammar failures in words: what the parser expected, what it found instead, and the likely fix
// ("'&&' is not an operator", "did you mean 'and'?"), pointing at the offending token.
#include "syntax/failure.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>

#include "diag/codes.hpp"
#include "diag/text.hpp"

namespace joinup::syntax::detail {

ast::span token_at(std::string_view t, std::uint32_t i) {
  const auto n = static_cast<std::uint32_t>(t.size());
  if (i >= n) return {n, n};
  std::uint32_t j = i;
  const char c = t[i];
  if (is_word_char(c)) {
    while (j < n && is_word_char(t[j])) ++j;
  } else if (c == '"') {
    ++j;
    while (j < n && t[j] != '"' && t[j] != '\n') j += t[j] == '\\' ? 2 : 1;
    j = std::min(n, j + 1);
  } else {
    static constexpr std::string_view two[] = {"==", "!=", "<=", ">=", "??", "{{", "}}"};
    const auto rest = std::string_view(t).substr(i);
    j = i + 1;
    for (auto op : two)
      if (rest.starts_with(op)) j = i + 2;
    if (j == i + 1)
      while (j < n && (static_cast<unsigned char>(t[j]) & 0xC0) == 0x80) ++j;  // whole UTF-8 character
  }
  return {i, j};
}

namespace {

class wording {
 public:
  wording(const diag::source_file& src, const builder& b, std::vector<diagnostic>& diags)
      : src_(src), t_(src.text()), b_(b), diags_(diags) {}

  std::uint32_t skip_blank(std::uint32_t i) const {
    while (i < t_.size()) {
      const char c = t_[i];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        ++i;
      } else if (c == '#') {
        while (i < t_.size() && t_[i] != '\n') ++i;
      } else {
        break;
      }
    }
    return i;
  }

  // A C-style operator (`&&`, `||`, `!`, `===`, `<>`, ...) around `at`: its span and the
  // joinup operator meant, or an empty string.
  std::string c_style_operator(std::uint32_t at, ast::span& run) const {
    static constexpr std::string_view op_chars = "=!<>&|";
    const auto n = static_cast<std::uint32_t>(t_.size());
    if (at >= n || op_chars.find(t_[at]) == std::string_view::npos) return {};
    std::uint32_t b = at, e = at;
    while (b > 0 && op_chars.find(t_[b - 1]) != std::string_view::npos) --b;
    while (e < n && op_chars.find(t_[e]) != std::string_view::npos) ++e;
    static constexpr std::pair<std::string_view, std::string_view> meant[] = {
        {"&&", "and"}, {"&", "and"},  {"||", "or"}, {"|", "or"},  {"!", "not"},
        {"===", "=="}, {"!==", "!="}, {"<>", "!="}, {"=<", "<="}, {"=>", ">="}};
    const auto text = std::string_view(t_).substr(b, e - b);
    for (const auto& [c, j] : meant)
      if (text == c) {
        run = {b, e};
        return std::string(j);
      }
    return {};
  }

  // The token that ends just before `at` (blanks skipped), for "'and' needs an expression".
  ast::span token_before(std::uint32_t at) const {
    std::uint32_t e = std::min<std::uint32_t>(at, static_cast<std::uint32_t>(t_.size()));
    while (e > 0 && (t_[e - 1] == ' ' || t_[e - 1] == '\t' || t_[e - 1] == '\n' || t_[e - 1] == '\r')) --e;
    std::uint32_t b = e;
    if (b > 0 && is_word_char(t_[b - 1])) {
      while (b > 0 && is_word_char(t_[b - 1])) --b;
    } else {
      static constexpr std::string_view op_chars = "+-*/%=!<>?";
      while (b > 0 && op_chars.find(t_[b - 1]) != std::string_view::npos) --b;
    }
    return {b, e};
  }

  static bool is_infix_or_prefix(std::string_view op) {
    static constexpr std::string_view ops[] = {"and", "or", "not", "in", "matches", "between", "??", "+", "-",
                                               "*",   "/",  "%",   "==", "!=",      "<",       "<=", ">", ">="};
    return std::find(std::begin(ops), std::end(ops), op) != std::end(ops);
  }

  static bool is_clause_word(std::string_view w) {
    static constexpr std::string_view words[] = {"severity", "tags", "source", "rationale", "remedy", "undetermined",
                                                 "when",     "let",  "for",    "require",   "message"};
    return std::find(std::begin(words), std::end(words), w) != std::end(words);
  }

  // A word in a rule body that is not a clause: the clause most likely meant, or "".
  static std::string clause_guess(std::string_view word) {
    std::string w(word);
    for (auto& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    static constexpr std::pair<std::string_view, std::string_view> aliases[] = {
        {"foreach", "for each"}, {"for_each", "for each"}, {"each", "for each"},    {"msg", "message"},
        {"if", "when"},          {"assert", "require"},    {"requires", "require"}, {"tag", "tags"}};
    for (const auto& [a, meant] : aliases)
      if (w == a) return std::string(meant);
    return diag::closest(w, {"severity", "tags", "source", "rationale", "remedy", "undetermined", "when", "let", "for",
                             "for each", "require", "message", "where"});
  }

  void report(const detail::failure& f, std::string_view fallback_which) {
    const std::uint32_t raw_at = f.at ? b_.offset(f.at) : 0;
    const std::uint32_t at = skip_blank(raw_at);
    ast::span tok = token_at(t_, at);
    const std::string which = f.which.empty() ? std::string(fallback_which) : f.which;
    if (which == "a rule id" && tok.begin < tok.end && t_[tok.begin] != '"') {  // the whole id, as in 10-to-20
      while (tok.end < t_.size() && (is_word_char(t_[tok.end]) || t_[tok.end] == '-')) ++tok.end;
    }
    const std::string text(src_.slice(tok.begin, tok.end));
    const std::string found = tok.begin == tok.end ? "end of input" : "'" + text + "'";

    ast::span run;
    if (const std::string meant = c_style_operator(at, run); !meant.empty()) {
      error(run.begin, run.end, diag::code::syntax,
            "'" + std::string(src_.slice(run.begin, run.end)) + "' is not an operator",
            "did you mean '" + meant + "'?");
      return;
    }
    if (text == "'") {  // 'senior'
      const auto stop = static_cast<std::uint32_t>(t_.find_first_of("'\n", at + 1));
      std::string help = "write strings in double quotes";
      ast::span where = tok;
      if (stop < t_.size() && t_[stop] == '\'') {
        const auto inner = std::string_view(t_).substr(at + 1, stop - at - 1);
        if (inner.find_first_of("\"\\") == std::string_view::npos) help = "write \"" + std::string(inner) + "\"";
        where = {at, stop + 1};
      }
      error(where.begin, where.end, diag::code::syntax, "strings use double quotes", help);
      return;
    }
    if (which == "an expression") {  // `a and` with nothing after it: point at the operator
      const ast::span op = token_before(raw_at);
      const auto op_text = src_.slice(op.begin, op.end);
      const bool nothing_after = tok.begin == tok.end || text == "}" || text == ")" || text == "]" || text == "," ||
                                 line_of(tok.begin) > line_of(op.begin);
      if (op.begin < op.end && nothing_after && is_infix_or_prefix(op_text)) {
        error(op.begin, op.end, diag::code::syntax, "'" + std::string(op_text) + "' needs an expression on its right");
        return;
      }
    }
    if (text == "=" && which != "an expression" && which != "'='") {
      error(tok.begin, tok.end, diag::code::syntax, "'=' is not a comparison", "did you mean '=='?");
    } else if (which == detail::rule_body_item) {
      if (tok.begin == tok.end) {
        error(tok.begin, tok.end, diag::code::syntax, "expected '}' but found end of input");
        return;
      }
      std::string help =
          "a rule body holds severity, tags, source, rationale, remedy, undetermined, when, let, for each, "
          "require and message, and ends with '}'";
      const auto guess = clause_guess(text);
      if (!guess.empty()) help = "did you mean '" + guess + "'?";
      error(tok.begin, tok.end, diag::code::syntax, "unexpected " + found, help);
    } else if (which == detail::rule_body_open) {
      const auto& r = b_.rule;
      const bool titled = !r.title.empty();
      const std::uint32_t header_end = titled ? r.title.back().end : r.id.end;
      if (tok.begin == tok.end || line_of(tok.begin) > line_of(header_end)) {
        // The body starts on a later line: the '{' was left off the end of the header.
        error(header_end, header_end + 1, diag::code::syntax,
              std::string("expected '{' after the rule ") + (titled ? "title" : "id"), "add '{' to open the rule body");
      } else if (!titled && !is_clause_word(text)) {
        error(tok.begin, tok.end, diag::code::syntax, "expected a title string or '{' but found " + found,
              is_word_char(text[0]) ? "put the title in double quotes" : "");
      } else {
        error(tok.begin, tok.end, diag::code::syntax,
              std::string("expected '{' after the rule ") + (titled ? "title" : "id") + " but found " + found,
              is_clause_word(text) ? "add '{' before it to open the rule body" : "");
      }
    } else if (which == detail::end_of_rule) {
      error(tok.begin, tok.end, diag::code::syntax, "unexpected " + found + " after the rule",
            text == "package" || text == "uses" ? "'" + text + "' must come before the first rule"
                                                : "a rule ends at its closing '}'; start the next one with 'rule'");
    } else if (which == detail::end_of_definition) {
      error(tok.begin, tok.end, diag::code::syntax, "unexpected " + found + " after the definition",
            text == "package" || text == "uses"
                ? "'" + text + "' must come before the first definition"
                : "a definition is one expression; start the next one on its own line with 'let', 'def', "
                  "'import' or 'rule'");
    } else if (which == detail::end_of_header) {
      std::string help =
          "a file starts with 'package NAME' and 'uses NAME, ...', then rules, each starting with 'rule'";
      const auto guess = diag::closest(text, {"package", "uses", "rule"});
      if (!guess.empty()) help = "did you mean '" + guess + "'? " + help;
      error(tok.begin, tok.end, diag::code::syntax, "unexpected " + found, help);
    } else if (which == detail::end_of_tags) {
      const bool another = tok.begin < tok.end && (is_word_char(text[0]) || text[0] == '"');
      error(tok.begin, tok.end, diag::code::syntax, "expected ',' or ']' but found " + found,
            another ? "separate tags with ','" : "");
    } else if (which == "a severity") {
      error(tok.begin, tok.end, diag::code::invalid_severity, "expected a severity but found " + found,
            "expected error, warning or info");
    } else {
      std::string help;
      if (which == "a rule id" && tok.begin < tok.end) {
        help =
            text[0] == '"' ? "a rule's id comes before its title: rule ID \"TITLE\" {" : "rule ids start with a letter";
      } else if (which == "a package name" && tok.begin < tok.end && text[0] == '"') {
        help =
            "a package name is written without quotes, as in 'import integration.common'; files are not "
            "included: give every rule file or folder to the command";
      } else if (which == "'='" && text == "==") {
        help = "a let takes a single '='";
      } else if (which == "':'") {
        help = "a quantifier reads 'any x in xs: condition'; add ':' before the condition";
      } else if (which == "'in'" && (text == "of" || text == "from" || text == "over" || text == "within" ||
                                     text == "inside" || text == "IN" || text == "In")) {
        help = "did you mean 'in'?";
      } else if (which == "'['" && tok.begin < tok.end && (is_word_char(text[0]) || text[0] == '"')) {
        help = "tags are a list: tags [a, b]";
      }
      error(tok.begin, tok.end, diag::code::syntax, "expected " + which + " but found " + found, help);
    }
  }

 private:
  void error(std::uint32_t b, std::uint32_t e, diag::code code, std::string message, std::string help = {}) {
    diags_.push_back(src_.make(b, e, code, std::move(message), std::move(help)));
  }
  std::uint32_t line_of(std::uint32_t offset) const { return src_.position(offset).line; }

  const diag::source_file& src_;
  const std::string& t_;
  const builder& b_;
  std::vector<diagnostic>& diags_;
};

}  // namespace

void report_failure(const diag::source_file& src, const builder& b, const failure& f, std::string_view fallback_which,
                    std::vector<diagnostic>& diags) {
  wording(src, b, diags).report(f, fallback_which);
}

}  // namespace joinup::syntax::detail
