#include "diag/text.hpp"

#include <algorithm>
#include <vector>

#include "diag/codes.hpp"
#include "diag/source.hpp"
#include "diag/utf8.hpp"

namespace joinup::diag {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  // Three rolling rows: the transposition step looks two rows back.
  std::vector<std::size_t> before(m + 1), prev(m + 1), cur(m + 1);
  for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = std::min(cur[j], before[j - 2] + 1);
    }
    before.swap(prev);
    prev.swap(cur);
  }
  return prev[m];
}

namespace {

template <class Range>
std::string closest_of(std::string_view name, const Range& candidates) {
  const std::size_t limit = name.size() <= 2 ? 0 : name.size() <= 4 ? 1 : name.size() <= 8 ? 2 : 3;
  if (limit == 0) return {};
  std::string_view best;
  std::size_t best_d = limit + 1;
  for (const auto& c : candidates) {
    const std::string_view candidate(c);
    if (candidate == name) continue;
    const std::size_t d = edit_distance(name, candidate);
    if (d < best_d) best = candidate, best_d = d;
  }
  return std::string(best);
}

}  // namespace

std::string closest(std::string_view name, const std::vector<std::string>& candidates) {
  return closest_of(name, candidates);
}
std::string closest(std::string_view name, std::initializer_list<std::string_view> candidates) {
  return closest_of(name, candidates);
}

std::string one_of(const std::vector<std::string>& choices) {
  std::string out;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    out += i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ";
    out += '\'';
    out += choices[i];
    out += '\'';
  }
  return out;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

void append_window(std::string& out, std::string_view s, bool quoted) {
  std::size_t cut = s.size();
  if (cut > quote_window) {
    cut = quote_window;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  }
  if (quoted)
    append_quoted(out, s.substr(0, cut));
  else
    out.append(s.substr(0, cut));
  if (cut < s.size()) out += "… (" + std::to_string(s.size() - cut) + " more bytes)";
}

void append_message_text(std::string& out, std::string_view s) {
  if (s.size() <= message_quote_limit) {
    out.append(s);
    return;
  }
  std::size_t cut = message_quote_limit;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  // Back to the end of the last whole word, unless the limit holds no space at all.
  if (const auto space = s.find_last_of(" \t\n", cut); space != std::string_view::npos && space > 0) {
    cut = space;
    while (cut > 0 && (s[cut - 1] == ' ' || s[cut - 1] == '\t' || s[cut - 1] == '\n')) --cut;
  }
  out.append(s.substr(0, cut));
  out += "…";
}

std::string window(std::string_view s, bool quoted) {
  std::string out;
  append_window(out, s, quoted);
  return out;
}

namespace {

constexpr char hex_digits[] = "0123456789abcdef";

void append_hex(std::string& out, std::uint32_t v) {
  char buf[8];
  int n = 0;
  do {
    buf[n++] = hex_digits[v & 15];
    v >>= 4;
  } while (v);
  while (n) out += buf[--n];
}

// The code point of the valid UTF-8 sequence of `len` bytes at s[i].
std::uint32_t decode_at(std::string_view s, std::size_t i, std::size_t len) {
  const auto b = [&](std::size_t k) { return static_cast<std::uint32_t>(static_cast<unsigned char>(s[i + k])); };
  switch (len) {
    case 1: return b(0);
    case 2: return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
    case 3: return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
    default: return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
  }
}

bool needs_escape(std::uint32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

// The escapes shared by append_quoted and append_escaped. `quoted` (a string literal of the rule
// language, which is also a subject's stable identity) escapes '"' and '\\' as well and leaves
// C1 controls and bidirectional controls as they are, so that identities stay as they were;
// every text output escapes those when it writes the literal out.
void append_escaped_text(std::string& out, std::string_view s, bool quoted, line_breaks nl) {
  std::size_t plain = 0;      // start of the run of bytes that need no escape
  bool line_start = !quoted;  // only blanks so far on this line (for the "::" of workflow commands)
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    // The common case, a printable ASCII character, in one test.
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != ':') {
      line_start = line_start && c == ' ';
      ++i;
      continue;
    }
    const std::size_t len = utf8_sequence_length(s, i);
    const std::uint32_t cp = len ? decode_at(s, i, len) : 0;
    std::string_view escape;
    bool hex = false;
    if (len == 0 && quoted) {  // rule text and data are valid UTF-8; kept as before
      ++i;
      continue;
    } else if (len == 0) {
      hex = true;
    } else if (quoted && (c == '"' || c == '\\')) {
      escape = c == '"' ? "\\\"" : "\\\\";
    } else if (c == ':') {
      const bool command = line_start && i + 1 < s.size() && s[i + 1] == ':';
      line_start = false;
      if (!command) {
        ++i;
        continue;
      }
      escape = "\\u{3a}";
    } else if (c == '\t' && !quoted) {  // harmless, and the caret line of a diagnostic aligns by it
      ++i;
      continue;
    } else if (c == '\n' && nl == line_breaks::keep && !quoted) {
      line_start = true;
      ++i;
      continue;
    } else if (quoted ? !(cp < 0x20 || cp == 0x7F) : !needs_escape(cp)) {
      line_start = false;
      i += len;
      continue;
    } else if (c == '\n') {
      escape = "\\n";
    } else if (c == '\t') {
      escape = "\\t";
    } else if (c == '\r') {
      escape = "\\r";
    }
    out.append(s.data() + plain, i - plain);
    if (!escape.empty()) {
      out += escape;
    } else if (hex) {
      out += "\\x{";
      out += hex_digits[c >> 4];
      out += hex_digits[c & 15];
      out += '}';
    } else {
      out += "\\u{";
      append_hex(out, cp);
      out += '}';
    }
    if (c != ':') line_start = false;
    i += len ? len : 1;
    plain = i;
  }
  out.append(s.data() + plain, s.size() - plain);
}

}  // namespace

void append_quoted(std::string& out, std::string_view s) {
  out += '"';
  append_escaped_text(out, s, true, line_breaks::escape);
  out += '"';
}

void append_escaped(std::string& out, std::string_view s, line_breaks nl) { append_escaped_text(out, s, false, nl); }

std::string escaped(std::string_view s, line_breaks nl) {
  std::string out;
  append_escaped_text(out, s, false, nl);
  return out;
}

}  // namespace joinup::diag

namespace joinup::diag {

diagnostic invalid_utf8_error(std::string_view text, std::size_t at, std::string origin, std::string help,
                              bool show_line) {
  const std::size_t line_start = at == 0 ? std::string_view::npos : text.rfind('\n', at - 1);
  const std::size_t start = line_start == std::string_view::npos ? 0 : line_start + 1;
  diagnostic d;
  d.code = diag::to_string(diag::code::invalid_utf8);
  constexpr char digits[] = "0123456789ABCDEF";
  const auto byte = static_cast<unsigned char>(text[at]);
  d.message = std::string("invalid UTF-8: byte 0x") + digits[byte >> 4] + digits[byte & 15] +
              " does not start a valid character";
  d.help = std::move(help);
  d.origin = std::move(origin);
  d.line =
      1 + static_cast<std::uint32_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
  d.column = count_chars(text.substr(start, at - start)) + 1;
  if (show_line) {
    std::size_t stop = text.find('\n', at);
    if (stop == std::string_view::npos) stop = text.size();
    for (std::size_t i = start; i < stop;) {
      const auto len = utf8_sequence_length(text, i);
      if (len == 0 || i + len > stop) {
        d.source_line += '?';
        ++i;
      } else {
        d.source_line.append(text.substr(i, len));
        i += len;
      }
    }
  }
  return d;
}

}  // namespace joinup::diag
