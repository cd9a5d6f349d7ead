#include "lsp/text.hpp"

#include <algorithm>

namespace joinup::lsp {

namespace {

// The bytes of the character at `at` in `text` (a truncated sequence counts its bytes alone).
std::uint32_t char_bytes(std::string_view text, std::uint32_t at) {
  const auto n = sequence_length(static_cast<unsigned char>(text[at]));
  std::uint32_t k = 1;
  while (k < n && at + k < text.size() && (static_cast<unsigned char>(text[at + k]) & 0xC0) == 0x80) ++k;
  return k;
}

// UTF-16 code units of a character of `bytes` bytes.
std::uint32_t units(std::uint32_t bytes, encoding e) {
  if (e == encoding::utf8) return bytes;
  return bytes == 4 ? 2 : 1;
}

}  // namespace

text_map::text_map(std::string_view text) : text_(text) {
  for (std::uint32_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts_.push_back(i + 1);
}

std::uint32_t text_map::line_end(std::uint32_t line) const {
  if (line >= starts_.size()) return static_cast<std::uint32_t>(text_.size());
  std::uint32_t end = line + 1 < starts_.size() ? starts_[line + 1] - 1 : static_cast<std::uint32_t>(text_.size());
  if (end > starts_[line] && text_[end - 1] == '\r' && end < text_.size()) --end;
  return end;
}

std::uint32_t text_map::offset(position p, encoding e) const {
  if (p.line >= starts_.size()) return static_cast<std::uint32_t>(text_.size());
  std::uint32_t at = starts_[p.line];
  const std::uint32_t end = line_end(p.line);
  std::uint32_t counted = 0;
  while (at < end) {
    const auto bytes = char_bytes(text_, at);
    const auto u = units(bytes, e);
    if (counted + u > p.character) break;
    counted += u;
    at += bytes;
  }
  return std::min(at, end);
}

position text_map::at(std::uint32_t offset, encoding e) const {
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text_.size()));
  const auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  const auto line = static_cast<std::uint32_t>(it - starts_.begin() - 1);
  std::uint32_t at = starts_[line];
  std::uint32_t counted = 0;
  while (at < offset) {
    const auto bytes = char_bytes(text_, at);
    if (at + bytes > offset) break;
    counted += units(bytes, e);
    at += bytes;
  }
  return {line, counted};
}

std::uint32_t text_map::offset_of_column(std::uint32_t line, std::uint32_t column) const {
  if (line == 0) return 0;
  if (line > starts_.size()) return static_cast<std::uint32_t>(text_.size());
  return advance_in_line(starts_[line - 1], column > 0 ? column - 1 : 0);
}

std::uint32_t text_map::advance_in_line(std::uint32_t from, std::uint32_t count) const {
  from = std::min<std::uint32_t>(from, static_cast<std::uint32_t>(text_.size()));
  const auto line =
      static_cast<std::uint32_t>(std::upper_bound(starts_.begin(), starts_.end(), from) - starts_.begin() - 1);
  const std::uint32_t end = line_end(line);
  while (count > 0 && from < end) {
    from += char_bytes(text_, from);
    --count;
  }
  return from;
}

}  // namespace joinup::lsp
