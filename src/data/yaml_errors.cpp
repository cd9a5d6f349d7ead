// YAML syntax errors in an author's words. The YAML parser says what it could not read ("illegal
// map value") and where it stopped; this reads the text around that place for the likely cause
// and says what to do about it:
// - a tab in a line's indentation (YAML indents with spaces only): the caret is on the tab;
// - an unquoted ': ' inside a value (`message: Note: …`, `require: a and b: c`): the help shows
//   the line with the value quoted;
// - a line indented more than the `key: value` line above it, or to a column no line above it
//   starts at, or a `- item` where a map expects `key: value`;
// - an unclosed '[', '{' or quote: the caret is on the opening character, and the message says
//   where the parser stopped looking for its end.
// Where the text shows no such cause, a sentence for the parser's message and its position.
// Only error paths come here: nothing of this runs while a file loads without errors.
#include <algorithm>
#include <cstdio>
#include <optional>
#include <vector>

#include "data/load_detail.hpp"
#include "diag/codes.hpp"

namespace joinup::data {

namespace {

constexpr std::uint32_t npos32 = 0xFFFFFFFF;

struct line {
  std::uint32_t begin = 0, end = 0;  // [begin, end): without the line break (its number: line_of)
};

class yaml_error_reader {
 public:
  explicit yaml_error_reader(std::string_view text) : text_(text) {}

  line line_at(std::uint32_t at) const {
    at = std::min<std::uint32_t>(at, size());
    line l;
    l.begin = at;
    while (l.begin > 0 && text_[l.begin - 1] != '\n') --l.begin;
    l.end = at;
    while (l.end < size() && text_[l.end] != '\n') ++l.end;
    if (l.end > l.begin && text_[l.end - 1] == '\r') --l.end;
    return l;
  }

  // The line before l that holds more than blanks and a comment.
  std::optional<line> previous_significant(const line& l) const {
    line p = l;
    while (p.begin > 0) {
      p = line_at(p.begin - 1);
      if (!is_blank_or_comment(p)) return p;
    }
    return std::nullopt;
  }

  std::string_view text_of(const line& l) const { return text_.substr(l.begin, l.end - l.begin); }

  // Offset of the first byte after the line's leading spaces and tabs.
  std::uint32_t content_start(const line& l) const {
    std::uint32_t k = l.begin;
    while (k < l.end && (text_[k] == ' ' || text_[k] == '\t')) ++k;
    return k;
  }
  std::uint32_t indent(const line& l) const { return content_start(l) - l.begin; }

  // The first tab in the line's indentation, or npos32.
  std::uint32_t tab_in_indentation(const line& l) const {
    for (std::uint32_t k = l.begin; k < content_start(l); ++k)
      if (text_[k] == '\t') return k;
    return npos32;
  }

  // The line ends with ':' (a key whose value is the block below it) or '-'.
  bool opens_block(const line& l) const {
    std::uint32_t e = l.end;
    while (e > l.begin && (text_[e - 1] == ' ' || text_[e - 1] == '\t')) --e;
    return e > l.begin && (text_[e - 1] == ':' || text_[e - 1] == '-');
  }

  // The line ends with a block text's indicator: '|' or '>', perhaps with a digit, '+' or '-',
  // and a comment.
  bool opens_block_text(const line& l) const {
    std::uint32_t e = l.end;
    for (std::uint32_t k = content_start(l); k < l.end; ++k)
      if (text_[k] == '#' && k > l.begin && (text_[k - 1] == ' ' || text_[k - 1] == '\t')) {
        e = k;
        break;
      }
    while (e > l.begin && (text_[e - 1] == ' ' || text_[e - 1] == '\t')) --e;
    std::uint32_t k = e;
    while (k > l.begin && k + 3 > e &&
           (text_[k - 1] == '+' || text_[k - 1] == '-' || (text_[k - 1] >= '1' && text_[k - 1] <= '9')))
      --k;
    return k > l.begin && (text_[k - 1] == '|' || text_[k - 1] == '>') &&
           (k - 1 == content_start(l) || text_[k - 2] == ' ' || text_[k - 2] == '\t');
  }

  bool is_blank_or_comment(const line& l) const {
    const auto c = content_start(l);
    return c == l.end || text_[c] == '#';
  }

  // "line 3, column 5", columns counted in characters.
  std::string where(std::uint32_t at) const {
    const line l = line_at(at);
    std::uint32_t column = 1;
    for (std::uint32_t k = l.begin; k < at && k < size(); ++k)
      if ((static_cast<unsigned char>(text_[k]) & 0xC0) != 0x80) ++column;
    return "line " + std::to_string(line_of(text_, at)) + ", column " + std::to_string(column);
  }

  char at_or_nul(std::uint32_t at) const { return at < size() ? text_[at] : '\0'; }

  bool is_list_item(std::uint32_t at) const {
    return at_or_nul(at) == '-' && (at + 1 >= size() || text_[at + 1] == ' ' || text_[at + 1] == '\t' ||
                                    text_[at + 1] == '\n' || text_[at + 1] == '\r');
  }

  // The offset of the ':' that ends the key of a `key: value` starting at `from` (a key followed
  // by ': ' or by ':' at the end of the line), before `limit`; npos32 when there is none.
  std::uint32_t key_colon(std::uint32_t from, std::uint32_t limit) const {
    if (from < limit && (text_[from] == '"' || text_[from] == '\'')) {  // a quoted key
      const char q = text_[from];
      std::uint32_t k = from + 1;
      while (k < limit && text_[k] != q) k += text_[k] == '\\' && q == '"' ? 2 : 1;
      from = std::min(k + 1, limit);
    }
    for (std::uint32_t k = from; k < limit; ++k) {
      if (text_[k] == '#' && k > from && (text_[k - 1] == ' ' || text_[k - 1] == '\t')) return npos32;
      if (text_[k] == ':' && (k + 1 >= size() || text_[k + 1] == ' ' || text_[k + 1] == '\t' || text_[k + 1] == '\n' ||
                              text_[k + 1] == '\r'))
        return k;
    }
    return npos32;
  }

  // A line's content after its "- " list markers.
  std::uint32_t after_list_markers(const line& l) const {
    std::uint32_t k = content_start(l);
    while (is_list_item(k)) {
      ++k;
      while (k < l.end && (text_[k] == ' ' || text_[k] == '\t')) ++k;
    }
    return k;
  }

  // The word at `k` (a key), quoted.
  std::string word_at(std::uint32_t k, std::uint32_t end) const { return quote(text_.substr(k, word_end(k, end) - k)); }
  std::uint32_t word_end(std::uint32_t k, std::uint32_t end) const {
    const std::uint32_t from = k;
    while (k < end && k - from < 40 && text_[k] != ':' && text_[k] != ' ' && text_[k] != '\t') ++k;
    return k;
  }
  // The first word of a line's content, for naming the line ("'teams'", "'- id'").
  std::string first_word(const line& l) const {
    const std::uint32_t k = content_start(l);
    const std::uint32_t e = is_list_item(k) ? word_end(after_list_markers(l), l.end) : word_end(k, l.end);
    return quote(text_.substr(k, e - k));
  }

  // Where each '[' and '{' opened and closed, and a quote left open, by a rough lexical scan of
  // the whole text (quotes, comments and block scalars skipped).
  struct bracket {
    std::uint32_t open, close;  // close: npos32 when never closed
  };
  struct scan_result {
    std::vector<bracket> brackets;
    std::uint32_t open_quote = npos32;  // a quote the text ends inside of
  };
  scan_result scan() const {
    scan_result r;
    std::vector<std::size_t> stack;  // indexes into r.brackets
    char prev = '\n';                // the last non-blank byte, '\n' at the start of a line
    std::uint32_t line_indent = 0;
    bool at_line_start = true;
    const auto n = size();
    for (std::uint32_t i = 0; i < n; ++i) {
      const char c = text_[i];
      if (c == '\n') {
        prev = '\n';
        at_line_start = true;
        line_indent = 0;
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r') {
        if (at_line_start) ++line_indent;
        continue;
      }
      at_line_start = false;
      const bool node_start =
          prev == '\n' || prev == ':' || prev == '-' || prev == '?' || prev == '[' || prev == '{' || prev == ',';
      if (c == '#' && (i == 0 || text_[i - 1] == ' ' || text_[i - 1] == '\t' || text_[i - 1] == '\n')) {
        while (i + 1 < n && text_[i + 1] != '\n') ++i;
        continue;
      }
      if ((c == '"' || c == '\'') && node_start) {
        const std::uint32_t open = i;
        bool closed = false;
        for (++i; i < n; ++i) {
          if (c == '"' && text_[i] == '\\') {
            ++i;
          } else if (text_[i] == c) {
            if (c == '\'' && i + 1 < n && text_[i + 1] == '\'') {
              ++i;
            } else {
              closed = true;
              break;
            }
          }
        }
        if (!closed) {
          r.open_quote = open;
          break;
        }
      } else if ((c == '|' || c == '>') && stack.empty() && (prev == ':' || prev == '-' || prev == '\n')) {
        // A block scalar: its lines are those indented more than the line that starts it.
        std::uint32_t k = i;
        while (k < n && text_[k] != '\n') ++k;
        while (k < n) {
          std::uint32_t s = k + 1, ind = 0;
          while (s + ind < n && text_[s + ind] == ' ') ++ind;
          const bool blank = s + ind >= n || text_[s + ind] == '\n' || text_[s + ind] == '\r';
          if (!blank && ind <= line_indent) break;
          k = s + ind;
          while (k < n && text_[k] != '\n') ++k;
        }
        i = k > i ? k - 1 : i;
        prev = '|';
        continue;
      } else if ((c == '[' || c == '{') && node_start) {
        stack.push_back(r.brackets.size());
        r.brackets.push_back({i, npos32});
      } else if ((c == ']' || c == '}') && !stack.empty()) {
        r.brackets[stack.back()].close = i;
        stack.pop_back();
      }
      prev = c;
    }
    return r;
  }

  std::uint32_t size() const { return static_cast<std::uint32_t>(text_.size()); }
  // The line's number, as text.
  std::string number(const line& l) const { return std::to_string(line_of(text_, l.begin)); }
  std::string_view text() const { return text_; }

 private:
  std::string_view text_;
};

constexpr std::string_view prefix = "invalid YAML: ";

[[noreturn]] void fail_at(std::uint32_t begin, std::uint32_t end, std::string_view message, std::string help = {}) {
  fail(begin, std::max(end, begin + 1), diag::code::data_parse, std::string(prefix) + std::string(message),
       std::move(help));
}

const std::string quote_text_help = "if it is part of a text, put the whole text in double quotes";

// A value holding an unquoted ': ' (`message: Note: this`, `require: a and b: c`): the line's
// key and value, and the help that shows the value quoted. nullopt when the line is not so.
std::optional<std::string> quoted_value_suggestion(const yaml_error_reader& r, const line& l, std::uint32_t colon) {
  const std::uint32_t key_from = r.after_list_markers(l);
  const std::uint32_t first = r.key_colon(key_from, colon);
  if (first == npos32 || first >= colon) return std::nullopt;
  std::uint32_t value = first + 1;
  while (value < l.end && (r.text()[value] == ' ' || r.text()[value] == '\t')) ++value;
  if (value >= colon) return std::nullopt;
  const char v0 = r.text()[value];
  if (v0 == '"' || v0 == '\'' || v0 == '[' || v0 == '{' || v0 == '|' || v0 == '>' || v0 == '&' || v0 == '*' ||
      v0 == '!')
    return std::nullopt;
  // The value runs to the end of the line, or to a comment.
  std::uint32_t end = l.end;
  for (std::uint32_t k = value + 1; k < l.end; ++k)
    if (r.text()[k] == '#' && (r.text()[k - 1] == ' ' || r.text()[k - 1] == '\t')) {
      end = k;
      break;
    }
  while (end > value && (r.text()[end - 1] == ' ' || r.text()[end - 1] == '\t')) --end;
  const std::string_view key = r.text().substr(key_from, first - key_from);
  const std::string_view v = r.text().substr(value, end - value);
  std::string quoted;
  if (v.find('"') == std::string_view::npos) {
    quoted = "\"" + std::string(v) + "\"";
  } else if (v.find('\'') == std::string_view::npos) {
    quoted = "'" + std::string(v) + "'";
  } else {
    quoted = "\"";
    for (const char c : v) {
      if (c == '"' || c == '\\') quoted += '\\';
      quoted += c;
    }
    quoted += '"';
  }
  const std::string line_suggestion = std::string(key) + ": " + quoted;
  if (line_suggestion.size() > 120)
    return std::string("put the whole value of ") + quote(key) + " in double quotes (write each \" inside it as \\\")";
  return "put the whole value in quotes: " + line_suggestion;
}

// The lines above l that it could line up with: each line less indented than every line between
// it and l (the keys and list items l may belong to), nearest first, at most four.
struct candidate {
  std::uint32_t indent;
  line at;
  bool list_item;
  std::string name;  // the line's first word, or its key inside a list item
};
std::vector<candidate> alignment_candidates(const yaml_error_reader& r, const line& l) {
  std::vector<candidate> out;
  std::uint32_t below = 0xFFFFFFFF;
  std::optional<line> p = r.previous_significant(l);
  for (; p && out.size() < 4; p = r.previous_significant(*p)) {
    if (r.tab_in_indentation(*p) != npos32) continue;
    const std::uint32_t ind = r.indent(*p);
    const bool item = r.is_list_item(r.content_start(*p));
    // The keys of a map inside a list item (`- id: r`) start after the "- ".
    if (item) {
      const std::uint32_t inner = r.after_list_markers(*p) - p->begin;
      if (inner < below && r.key_colon(r.after_list_markers(*p), p->end) != npos32)
        out.push_back({inner, *p, false, r.word_at(r.after_list_markers(*p), p->end)});
    }
    if (ind < below) {
      // The lines below a block text's '|' or '>' are its text, not lines to line up with.
      if (r.opens_block_text(*p))
        out.erase(std::remove_if(out.begin(), out.end(), [&](const candidate& c) { return c.indent > ind; }),
                  out.end());
      out.push_back({ind, *p, item, r.first_word(*p)});
      below = ind;
    }
    if (ind == 0) break;
  }
  return out;
}

// "U+D800" for the parser's decimal "55296".
std::string code_point_name(std::string_view decimal) {
  std::uint64_t v = 0;
  if (decimal.empty() || decimal.size() > 10) return std::string(decimal);
  for (const char c : decimal) {
    if (c < '0' || c > '9') return std::string(decimal);
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "U+%04llX", static_cast<unsigned long long>(v));
  return buf;
}

std::string spaces(std::uint32_t n) {
  return n == 0 ? std::string("no indentation") : std::to_string(n) + (n == 1 ? " space" : " spaces");
}

// The likely cause for a line that breaks a block map or list: a line that lines up with no
// line above it, or a key among the items of a list.
[[noreturn]] void explain_indentation(const yaml_error_reader& r, const line& l, std::uint32_t at,
                                      std::string_view generic, std::string_view generic_help) {
  const std::uint32_t start = r.content_start(l);
  const std::uint32_t ind = r.indent(l);
  const auto candidates = alignment_candidates(r, l);
  if (!candidates.empty() && at == start) {
    const auto same =
        std::find_if(candidates.begin(), candidates.end(), [&](const candidate& c) { return c.indent == ind; });
    if (same == candidates.end()) {
      std::string help = "indent it as ";
      for (std::size_t k = 0; k < candidates.size() && k < 3; ++k) {
        help += k == 0 ? "" : k + 1 == std::min<std::size_t>(candidates.size(), 3) ? " or " : ", ";
        help +=
            candidates[k].name + " on line " + r.number(candidates[k].at) + " (" + spaces(candidates[k].indent) + ")";
      }
      help += candidates.size() > 1 ? ", whichever it belongs with" : "";
      fail_at(start, start + 1, "this line is indented " + spaces(ind) + ", which lines up with no line above it",
              help);
    }
    const bool key_line = !r.is_list_item(start) && r.key_colon(start, l.end) != npos32;
    if (same->list_item && key_line) {
      // The item may be a map (`- id: r`): this line is then most likely one of its keys.
      const std::uint32_t inner = r.after_list_markers(same->at);
      std::string help;
      if (r.key_colon(inner, same->at.end) != npos32)
        help = "indent it as " + r.word_at(inner, same->at.end) + " on line " + r.number(same->at) + " (" +
               spaces(inner - same->at.begin) + ") to make it a key of that item, or start it with '- ' " +
               "to make it an item of its own";
      else
        help = "start it with '- ' to make it an item of the list, or indent it as the key the list belongs to";
      fail_at(start, start + 1,
              "this 'key: value' line stands among the items of the list on line " + r.number(same->at) +
                  ", which start with '- '",
              help);
    }
    if (!same->list_item && r.is_list_item(start))
      fail_at(start, start + 1,
              "a list item ('- ') stands where the map of line " + r.number(same->at) + " expects a 'key: value' line",
              "indent the list under the key it belongs to (a line ending in ':'), or write this line as "
              "'key: value'");
  }
  if (r.is_list_item(at) && at == start)
    fail_at(at, at + 1, "a list item ('- ') stands where the map expects a 'key: value' line",
            "indent the list under the key it belongs to (a line ending in ':'), or write this line as 'key: value'");
  if (at > start && at < l.end)
    fail_at(at, at + 1, "the line goes on after its value, where YAML expects it to end", quote_text_help);
  fail_at(at, at + 1, generic, std::string(generic_help));
}

}  // namespace

yaml_problem classify_yaml_problem(std::string_view m, std::string& detail) {
  struct entry {
    std::string_view message;
    yaml_problem problem;
    bool has_detail;
  };
  // yaml-cpp's parser messages (yaml-cpp/exceptions.h, namespace ErrorMsg).
  static constexpr entry table[] = {
      {"YAML directives must have exactly one argument", yaml_problem::yaml_directive_args, false},
      {"bad YAML version: ", yaml_problem::yaml_version, true},
      {"YAML major version too large", yaml_problem::yaml_major_version, false},
      {"repeated YAML directive", yaml_problem::repeated_yaml_directive, false},
      {"TAG directives must have exactly two arguments", yaml_problem::tag_directive_args, false},
      {"repeated TAG directive", yaml_problem::repeated_tag_directive, false},
      {"illegal character found while scanning tag handle", yaml_problem::char_in_tag_handle, false},
      {"tag handle with no suffix", yaml_problem::tag_with_no_suffix, false},
      {"end of verbatim tag not found", yaml_problem::end_of_verbatim_tag, false},
      {"end of map not found", yaml_problem::end_of_map, false},
      {"end of map flow not found", yaml_problem::end_of_map_flow, false},
      {"end of sequence not found", yaml_problem::end_of_seq, false},
      {"end of sequence flow not found", yaml_problem::end_of_seq_flow, false},
      {"cannot assign multiple tags to the same node", yaml_problem::multiple_tags, false},
      {"cannot assign multiple anchors to the same node", yaml_problem::multiple_anchors, false},
      {"cannot assign multiple aliases to the same node", yaml_problem::multiple_aliases, false},
      {"aliases can't have any content, *including* tags", yaml_problem::alias_content, false},
      {"bad character found while scanning hex number", yaml_problem::invalid_hex, false},
      {"invalid unicode: ", yaml_problem::invalid_unicode, true},
      {"unknown escape character: ", yaml_problem::invalid_escape, true},
      {"unknown token", yaml_problem::unknown_token, false},
      {"illegal document indicator in scalar", yaml_problem::doc_in_scalar, false},
      {"illegal EOF in scalar", yaml_problem::eof_in_scalar, false},
      {"illegal character in scalar", yaml_problem::char_in_scalar, false},
      {"illegal tab when looking for indentation", yaml_problem::tab_in_indentation, false},
      {"illegal flow end", yaml_problem::flow_end, false},
      {"illegal block entry", yaml_problem::block_entry, false},
      {"illegal map key", yaml_problem::map_key, false},
      {"illegal map value", yaml_problem::map_value, false},
      {"alias not found after *", yaml_problem::alias_not_found, false},
      {"anchor not found after &", yaml_problem::anchor_not_found, false},
      {"illegal character found while scanning alias", yaml_problem::char_in_alias, false},
      {"illegal character found while scanning anchor", yaml_problem::char_in_anchor, false},
      {"cannot set zero indentation for a block scalar", yaml_problem::zero_indent_in_block, false},
      {"unexpected character in block scalar", yaml_problem::char_in_block, false},
      {"cannot assign the same alias to multiple nodes", yaml_problem::ambiguous_anchor, false},
      {"the referenced anchor is not defined", yaml_problem::unknown_anchor, false},
  };
  for (const auto& e : table) {
    if (e.has_detail ? m.substr(0, e.message.size()) == e.message : m == e.message) {
      detail = std::string(m.substr(e.has_detail ? e.message.size() : m.size()));
      return e.problem;
    }
  }
  detail = std::string(m);
  return yaml_problem::other;
}

void fail_yaml_syntax(std::string_view text, std::uint32_t at, yaml_problem problem, std::string_view detail) {
  const yaml_error_reader r(text);
  at = std::min<std::uint32_t>(at, r.size());
  const line l = r.line_at(at);
  using p = yaml_problem;

  // A tab in the indentation of the line where the parser stopped explains any error about the
  // shape of a block.
  if (problem == p::tab_in_indentation || problem == p::map_value || problem == p::end_of_map ||
      problem == p::end_of_seq || problem == p::block_entry || problem == p::map_key) {
    if (const auto tab = r.tab_in_indentation(l); tab != npos32)
      fail_at(tab, tab + 1, "this line is indented with a tab, and YAML allows only spaces for indentation",
              "indent with spaces (most editors can turn tabs into spaces)");
  }

  const std::string stopped = "YAML stopped reading at " + r.where(at);
  switch (problem) {
    case p::map_value: {
      if (const auto help = quoted_value_suggestion(r, l, at))
        fail_at(at, at + 1, "this value holds ': ', which YAML reads as the end of another key", *help);
      // A quoted value followed by more text: `key: "x": y`.
      if (const auto first = r.key_colon(r.after_list_markers(l), at); first != npos32) {
        std::uint32_t v = first + 1;
        while (v < at && (text[v] == ' ' || text[v] == '\t')) ++v;
        if (v < at && (text[v] == '"' || text[v] == '\''))
          fail_at(at, at + 1, "this value goes on after its closing quote",
                  "put the whole value inside the quotes, or remove what follows them");
      }
      if (const auto prev = r.previous_significant(l)) {
        const std::uint32_t inner = r.after_list_markers(*prev);
        const std::uint32_t pc = r.key_colon(inner, prev->end);
        // A line indented more than a `key: value` or `- value` line above it continues that value.
        const bool prev_has_value = pc != npos32 ? r.content_start(line{pc + 1, prev->end}) < prev->end
                                                 : inner != r.content_start(*prev) && inner < prev->end;
        if (r.indent(l) > r.indent(*prev) && prev_has_value)
          fail_at(r.content_start(l), r.content_start(l) + 1,
                  "this line is indented more than line " + r.number(*prev) +
                      ", so YAML reads it as more of that line's value",
                  pc == npos32
                      ? "put that value in quotes if the two lines are one text, or start this line with '- ' in "
                        "the column of the '-' on line " +
                            r.number(*prev) + " if it is an item of its own"
                      : "indent it as " + r.first_word(*prev) + " on line " + r.number(*prev) + " (" +
                            spaces(r.indent(*prev)) + ") if it stands beside it, or put that value in quotes if " +
                            "the two lines are one text");
        // A line without ': ' among `key: value` lines: YAML reads it and this line as one key.
        const auto before = r.previous_significant(*prev);
        const std::uint32_t pstart = r.content_start(*prev);
        const char p0 = r.at_or_nul(pstart);
        if (r.indent(l) == r.indent(*prev) && pc == npos32 && !r.is_list_item(pstart) && p0 != '"' && p0 != '\'' &&
            p0 != '[' && p0 != '{' && before &&
            (r.indent(*before) == r.indent(*prev) || (r.indent(*before) < r.indent(*prev) && r.opens_block(*before))))
          fail_at(pstart, r.word_end(pstart, prev->end),
                  "line " + r.number(*prev) + " has no ': ', so YAML reads it and the next line as one key",
                  "write it as 'key: value', or remove it");
      }
      fail_at(at, at + 1, "a 'key: value' pair cannot start here",
              "if the ': ' is part of a text, put the whole text in double quotes; otherwise check this line's "
              "indentation against the lines above it");
    }
    case p::end_of_map:
      explain_indentation(r, l, at, "this line does not continue the map above it",
                          "each line of a map is 'key: value', starting in the same column as the other keys "
                          "of that map");
    case p::end_of_seq:
      explain_indentation(r, l, at, "this line does not continue the list above it",
                          "each item of a list starts with '- ', in the same column as the other items");
    case p::block_entry: {
      if (at > r.content_start(l))
        fail_at(at, at + 1, "a list item ('- ') cannot start in the middle of a line",
                "start the list on the next line, each item on a line of its own, indented under its key; " +
                    quote_text_help);
      explain_indentation(r, l, at, "a list item ('- ') cannot start here",
                          "each item of a list starts with '- ' on a line of its own, in the same column as "
                          "the other items");
    }
    case p::tab_in_indentation:
      fail_at(at, at + 1, "a tab stands in the indentation of this line, and YAML allows only spaces there",
              "indent with spaces (most editors can turn tabs into spaces)");
    case p::end_of_seq_flow:
    case p::end_of_map_flow: {
      const bool list = problem == p::end_of_seq_flow;
      const auto scan = r.scan();
      // The innermost bracket open at the place the parser stopped.
      const yaml_error_reader::bracket* open = nullptr;
      for (const auto& b : scan.brackets)
        if (b.open < at && (b.close == npos32 || b.close >= at)) open = &b;
      // The innermost bracket still open there: its kind may differ from the parser's guess.
      const char opener = open ? r.at_or_nul(open->open) : list ? '[' : '{';
      const char closer = opener == '[' ? ']' : '}';
      const char* what = opener == '[' ? "list" : "map";
      if (open && open->close == npos32)
        fail_at(open->open, open->open + 1,
                std::string("this '") + opener + "' starts a " + what + " that is not closed with '" + closer + "'",
                std::string("close it with '") + closer + "' after its last item (" + stopped +
                    " without finding it), or, if the brackets belong to a text or an expression, put the whole "
                    "value in double quotes");
      if (open)
        fail_at(at, at + 1,
                std::string("YAML cannot read the ") + what + " in '" + opener + "…" + closer + "' that opens at " +
                    r.where(open->open) + " past this point",
                std::string("separate its ") + (opener == '[' ? "items" : "'key: value' pairs") +
                    " with commas, and put any item that holds ': ', ',', brackets or braces in double quotes");
      fail_at(at, at + 1, std::string("the ") + what + " in '" + opener + "…" + closer + "' is not closed here",
              std::string("close it with '") + closer + "', or " + quote_text_help);
    }
    case p::eof_in_scalar:
    case p::doc_in_scalar: {
      const auto scan = r.scan();
      const bool eof = problem == p::eof_in_scalar;
      if (scan.open_quote != npos32 && scan.open_quote < at) {
        const char q = text[scan.open_quote];
        if (eof)
          fail_at(scan.open_quote, scan.open_quote + 1, "this quoted string is not closed before the end of the file",
                  std::string("close it with ") + q);
        fail_at(at, at + 3,
                std::string("a line starting with '---' or '...' ends the document, and the quoted string that "
                            "opens at ") +
                    r.where(scan.open_quote) + " is still open here",
                std::string("close the string with ") + q + " before this line, or indent this line");
      }
      if (eof) fail_at(at, at + 1, "the file ends inside a quoted string", "close the string with its quote");
      fail_at(at, at + 3, "a line starting with '---' or '...' cannot stand inside a quoted string",
              "indent the line, or close the string before it");
    }
    case p::flow_end:
      fail_at(at, at + 1, std::string("this '") + r.at_or_nul(at) + "' closes no list or map",
              "remove it, or " + quote_text_help);
    case p::unknown_token:
      fail_at(at, at + 1, std::string("a value cannot start with '") + r.at_or_nul(at) + "' in YAML",
              "put the value in double quotes");
    case p::char_in_scalar:
      fail_at(at, at + 1, "this character cannot stand in text without quotes here", "put the text in double quotes");
    case p::map_key:
      fail_at(at, at + 1, "a '?' (which starts a complex key in YAML) cannot stand here", quote_text_help);
    case p::alias_not_found:
      fail_at(at, at + 1, "a '*' that starts a value must be followed by the name of an anchor ('*name')",
              quote_text_help);
    case p::anchor_not_found:
      fail_at(at, at + 1, "a '&' that starts a value must be followed by the name of an anchor ('&name')",
              quote_text_help);
    case p::char_in_alias:
      fail_at(at, at + 1, "the name of this alias ('*name') holds a character a name cannot hold", quote_text_help);
    case p::char_in_anchor:
      fail_at(at, at + 1, "the name of this anchor ('&name') holds a character a name cannot hold", quote_text_help);
    case p::unknown_anchor: {
      if (at >= l.end) break;
      std::uint32_t e = at + 1;
      while (e < l.end && text[e] != ' ' && text[e] != ',' && text[e] != ']' && text[e] != '}') ++e;
      const std::string_view name = text.substr(at + 1, e - (at + 1));
      fail_at(at, e, "no anchor " + quote("&" + std::string(name)) + " is defined before this alias",
              "define the anchor on a value above (&" + std::string(name) + "), or " + quote_text_help);
    }
    case p::multiple_tags:
      fail_at(at, at + 1, "this value has two tags ('!…'), and a value takes at most one", "remove one of them");
    case p::multiple_anchors:
      fail_at(at, at + 1, "this value has two anchors ('&name'), and a value takes at most one", "remove one of them");
    case p::multiple_aliases:
    case p::ambiguous_anchor:
      fail_at(at, at + 1, "this value has two aliases ('*name'), and a value takes at most one", "remove one of them");
    case p::alias_content:
      fail_at(at, at + 1, "an alias ('*name') stands for a whole value, and nothing else may follow it",
              quote_text_help);
    case p::invalid_hex:
    case p::invalid_unicode:
    case p::invalid_escape: {
      // The parser stops after the escape: the caret goes from its backslash.
      std::uint32_t b = r.size() == 0 ? 0 : std::min<std::uint32_t>(at, r.size() - 1);
      const std::uint32_t floor = b > 12 ? b - 12 : 0;
      while (b > floor && text[b] != '\\') --b;
      const std::uint32_t from = r.at_or_nul(b) == '\\' ? b : at;
      const std::uint32_t to = from == at ? at + 1 : at;
      const std::string help =
          "to write a backslash itself, double it (\\\\) inside double quotes, or put the text in single quotes, "
          "where a backslash is itself";
      if (problem == p::invalid_hex)
        fail_at(from, to,
                "an escape '\\x', '\\u' or '\\U' in a double-quoted string must be followed by hexadecimal "
                "digits (0-9, a-f)",
                help);
      if (problem == p::invalid_unicode)
        fail_at(from, to, "this escape names no character that text can hold (" + code_point_name(detail) + ")",
                "write the character itself, or the escape of another character");
      fail_at(from, to, "'\\" + std::string(detail) + "' is not an escape YAML knows in a double-quoted string", help);
    }
    case p::zero_indent_in_block:
      fail_at(at, at + 1, "a block text ('|' or '>') cannot be given an indentation of 0",
              "write a digit from 1 to 9 after the '|' or '>', or none");
    case p::char_in_block:
      fail_at(at, at + 1, "only an indentation digit, '+' or '-' and a comment may follow '|' or '>' on its line",
              "start the text on the next line, indented under its key");
    case p::char_in_tag_handle:
    case p::tag_with_no_suffix:
    case p::end_of_verbatim_tag:
      fail_at(at, at + 1, "a tag ('!…') is not written as YAML expects",
              "if the '!' is part of a text, put the whole text in double quotes");
    case p::yaml_directive_args:
      fail_at(at, at + 1, "a %YAML line takes exactly one version number", "write %YAML 1.2, or remove the line");
    case p::yaml_version:
      fail_at(at, at + 1, "the YAML version " + quote(detail) + " is not one YAML knows",
              "write %YAML 1.2, or remove the line");
    case p::yaml_major_version:
      fail_at(at, at + 1, "YAML versions after 1.x cannot be read", "write %YAML 1.2, or remove the line");
    case p::repeated_yaml_directive: fail_at(at, at + 1, "the %YAML line is repeated", "keep one of them");
    case p::tag_directive_args: fail_at(at, at + 1, "a %TAG line takes exactly two parts (a handle and a prefix)");
    case p::repeated_tag_directive: fail_at(at, at + 1, "this %TAG line repeats a handle", "keep one of them");
    case p::other: break;
  }
  // A message this code has no words for: the parser's own, and its position.
  fail_at(at, at + 1, problem == p::unknown_anchor ? "an alias refers to an anchor that is not defined" : detail);
}

}  // namespace joinup::data
