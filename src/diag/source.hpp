// A source text with its name and line index, and the one way to turn a byte range in it into a
// diagnostic (line, column, caret length and the source line).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "diag/codes.hpp"
#include "joinup/diagnostic.hpp"
#include "joinup/position.hpp"

namespace joinup::diag {

class source_file {
 public:
  source_file(std::string origin, std::string text)
      : origin_(std::move(origin)), text_(std::move(text)), lines_(text_) {}

  const std::string& origin() const { return origin_; }
  const std::string& text() const { return text_; }
  const line_index& lines() const { return lines_; }
  source_position position(std::uint32_t offset) const { return lines_.position(offset); }
  std::string_view slice(std::uint32_t begin, std::uint32_t end) const {
    if (begin > text_.size()) begin = static_cast<std::uint32_t>(text_.size());
    if (end > text_.size() || end < begin) end = static_cast<std::uint32_t>(text_.size());
    return std::string_view(text_).substr(begin, end - begin);
  }
  std::string_view line_text(std::uint32_t line) const { return slice(lines_.line_start(line), lines_.line_end(line)); }

  // A diagnostic for the bytes [begin, end); the caret stops at the end of the first line.
  diagnostic make(std::uint32_t begin, std::uint32_t end, std::string code, std::string message, std::string help = {},
                  diagnostic_level level = diagnostic_level::error) const;
  diagnostic make(std::uint32_t begin, std::uint32_t end, code c, std::string message, std::string help = {},
                  diagnostic_level level = diagnostic_level::error) const {
    return make(begin, end, std::string(to_string(c)), std::move(message), std::move(help), level);
  }

 private:
  std::string origin_;
  std::string text_;
  line_index lines_;
};

// A diagnostic about a whole file, without a position: a file not found, one past a size limit.
inline diagnostic file_diagnostic(code c, std::string origin, std::string message, std::string help = {}) {
  diagnostic d;
  d.code = to_string(c);
  d.origin = std::move(origin);
  d.message = std::move(message);
  d.help = std::move(help);
  return d;
}

// Number of UTF-8 code points in s.
std::uint32_t count_chars(std::string_view s);

}  // namespace joinup::diag
