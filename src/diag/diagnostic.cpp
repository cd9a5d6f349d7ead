// Building diagnostics from byte ranges, and the one renderer.
#include <algorithm>
#include <vector>

#include "diag/ansi.hpp"
#include "diag/source.hpp"
#include "diag/text.hpp"

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

std::string render(const diagnostic& d, bool color) {
  std::string out;
  auto paint = [&](const char* c) {
    if (color) out += c;
  };
  paint(bold);
  if (d.origin.empty())
    out += "<input>";
  else
    diag::append_escaped(out, d.origin);
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
  diag::append_escaped(out, d.message, diag::line_breaks::keep);
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
    // Control characters are shown escaped (`\u{0}`), as in every text output.
    const std::string shown = diag::escaped(line.substr(from, to - from));
    out += shown;
    if (cut_back) out += "...";
    out += "\n  ";
    if (cut_front) out += "   ";
    const std::uint32_t col = std::clamp(d.column, first, last + 1);
    // The byte where character col - 1 starts (from is where character first - 1 starts).
    std::size_t at = from;
    for (std::uint32_t seen = first - 1; at < line.size() && seen < col - 1; ++seen) {
      ++at;
      while (at < line.size() && !starts_char(at)) ++at;
    }
    // Walk the line by characters so the caret sits under the right one, keeping tabs as tabs and
    // a space for each character of an escape.
    for (std::size_t i = from; i < at;) {
      std::size_t len = diag::utf8_sequence_length(line, i);
      if (len == 0) len = 1;
      if (line[i] == '\t')
        out += '\t';
      else
        out += std::string(diag::count_chars(diag::escaped(line.substr(i, len))), ' ');
      i += len;
    }
    std::uint32_t carets = std::max<std::uint32_t>(1, d.length);
    if (total > window)
      carets = std::min<std::uint32_t>(carets, std::max<std::uint32_t>(1, last + 1 - std::min(col, last + 1)));
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
    diag::append_escaped(out, d.help, diag::line_breaks::keep);
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
