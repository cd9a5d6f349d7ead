// Building diagnostics from byte ranges, and the one renderer.
#include <algorithm>
#include <vector>

#include "diag/ansi.hpp"
#include "diag/source.hpp"

namespace joinup::diag {

std::uint32_t count_chars(std::string_view s) {
  std::uint32_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

diagnostic source_file::make(std::uint32_t begin, std::uint32_t end, std::string code, std::string message,
                             std::string help, diagnostic_level level) const {
  diagnostic d;
  d.level = level;
  d.code = std::move(code);
  d.message = std::move(message);
  d.help = std::move(help);
  d.origin = origin_;
  const auto pos = position(begin);
  d.line = pos.line;
  d.column = pos.column;
  d.source_line = std::string(line_text(pos.line));
  const std::uint32_t line_end = lines_.line_end(pos.line);
  const std::uint32_t stop = std::min(std::max(end, begin), line_end);
  d.length = std::max<std::uint32_t>(1, count_chars(slice(begin, stop)));
  return d;
}

}  // namespace joinup::diag

namespace joinup {

namespace {
using namespace ansi;

const char* level_name(diagnostic_level l) {
  switch (l) {
    case diagnostic_level::error: return "error";
    case diagnostic_level::warning: return "warning";
    case diagnostic_level::note: return "note";
  }
  return "error";
}
}  // namespace

namespace {

// Appends text for a terminal: a control character (a NUL byte of a damaged file, say) is shown as
// its Unicode control picture (U+2400 ␀ … U+241F, U+2421 ␡ for DEL), one column wide like the
// byte it stands for, instead of being written to the terminal. Tabs (and line feeds, where
// `keep_newlines`) stay as they are.
void append_visible(std::string& out, std::string_view s, bool keep_newlines) {
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t' && !(keep_newlines && c == '\n')) || c == 0x7F) {
      const unsigned picture = c == 0x7F ? 0x2421 : 0x2400 + c;
      out += static_cast<char>(0xE0 | (picture >> 12));
      out += static_cast<char>(0x80 | ((picture >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (picture & 0x3F));
    } else {
      out += ch;
    }
  }
}

}  // namespace

std::string render(const diagnostic& d, bool color) {
  std::string out;
  auto paint = [&](const char* c) {
    if (color) out += c;
  };
  paint(bold);
  out += d.origin.empty() ? std::string("<input>") : d.origin;
  if (d.line) {
    out += ':' + std::to_string(d.line);
    if (d.column) out += ':' + std::to_string(d.column);
  }
  out += ": ";
  paint(d.level == diagnostic_level::error ? red : d.level == diagnostic_level::warning ? yellow : cyan);
  out += level_name(d.level);
  out += ": ";
  paint(reset);
  paint(bold);
  append_visible(out, d.message, true);
  paint(reset);
  out += '\n';
  if (d.line && d.column && !d.source_line.empty()) {
    // A long line (minified JSON, a generated file) is shown as a window of `window` characters
    // around the column, so that a diagnostic stays a few lines whatever the input.
    constexpr std::uint32_t window = 160;
    const std::string_view line = d.source_line;
    // Two walks over the line, and no memory in proportion to it (a minified file of 200 MB is
    // one line): its length in characters, then the byte offsets of the window's ends.
    auto starts_char = [&](std::size_t i) { return (static_cast<unsigned char>(line[i]) & 0xC0) != 0x80; };
    std::uint32_t total = 0;
    for (std::size_t i = 0; i < line.size(); ++i) total += starts_char(i);
    total = std::max<std::uint32_t>(total, 1);
    std::uint32_t first = 1, last = total;  // shown columns, inclusive
    if (total > window) {
      first = d.column > window / 2 ? d.column - window / 2 : 1;
      if (first + window - 1 > total) first = total - window + 1;
      last = first + window - 1;
    }
    std::size_t from = 0, to = line.size();
    for (std::uint32_t seen = 0, i = 0; i < line.size(); ++i) {  // seen: characters before i
      if (!starts_char(i)) continue;
      if (seen == first - 1) from = i;
      if (seen == last) {
        to = i;
        break;
      }
      ++seen;
    }
    const bool cut_front = first > 1, cut_back = last < total;
    out += "  ";
    if (cut_front) out += "...";
    append_visible(out, line.substr(from, to - from), false);
    if (cut_back) out += "...";
    out += "\n  ";
    if (cut_front) out += "   ";
    // Walk the line by characters so the caret sits under the right one, keeping tabs as tabs.
    std::uint32_t col = first;
    for (std::size_t i = from; i < to && col < d.column; ++i) {
      const auto c = static_cast<unsigned char>(line[i]);
      if ((c & 0xC0) == 0x80) continue;
      out += c == '\t' ? '\t' : ' ';
      ++col;
    }
    std::uint32_t carets = std::max<std::uint32_t>(1, d.length);
    if (total > window) carets = std::min<std::uint32_t>(carets, std::max<std::uint32_t>(1, last + 1 - std::min(col, last + 1)));
    paint(green);
    out += std::string(carets, '^');
    paint(reset);
    out += '\n';
  }
  if (!d.help.empty()) {
    out += "  ";
    paint(cyan);
    out += "help:";
    paint(reset);
    out += ' ';
    append_visible(out, d.help, true);
    out += '\n';
  }
  return out;
}

std::string render(const std::vector<diagnostic>& ds, bool color) {
  std::string out;
  for (const auto& d : ds) out += render(d, color);
  return out;
}

}  // namespace joinup
