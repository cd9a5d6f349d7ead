// Positions as the Language Server Protocol counts them: a 0-based line and a 0-based character
// offset in the negotiated encoding (UTF-16 code units by default, bytes with UTF-8), turned into
// byte offsets of the document's text and back. Lines end at '\n' (a '\r' before it belongs to the
// line break), as in the library's own line index.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace joinup::lsp {

enum class encoding : std::uint8_t { utf16, utf8 };

struct position {
  std::uint32_t line = 0;
  std::uint32_t character = 0;
  friend bool operator==(const position&, const position&) = default;
};

class text_map {
 public:
  text_map() = default;
  // The text must outlive the map.
  explicit text_map(std::string_view text);

  std::uint32_t line_count() const { return static_cast<std::uint32_t>(starts_.size()); }
  std::string_view text() const { return text_; }

  // The byte offset of a position. A line past the last gives the end of the text; a character
  // past the end of its line gives the end of the line; one inside a character (half of a UTF-16
  // surrogate pair) gives that character's start.
  std::uint32_t offset(position p, encoding e) const;
  // The position of a byte offset (clamped to the text; inside a character: that character's start).
  position at(std::uint32_t offset, encoding e) const;
  // The byte offset of a 1-based line and 1-based column counted in characters (UTF-8 code
  // points), as a diagnostic gives them; clamped to the line.
  std::uint32_t offset_of_column(std::uint32_t line, std::uint32_t column) const;
  // The offset `count` characters after `from`, stopping at the end of its line.
  std::uint32_t advance_in_line(std::uint32_t from, std::uint32_t count) const;
  // The end of a 0-based line's text (before its '\r\n' or '\n').
  std::uint32_t line_end(std::uint32_t line) const;

 private:
  std::string_view text_;
  std::vector<std::uint32_t> starts_{0};
};

// The bytes of the UTF-8 sequence starting with byte b (1 for a byte that cannot start one).
inline std::uint32_t sequence_length(unsigned char b) {
  if (b >= 0xF0 && b <= 0xF4) return 4;
  if (b >= 0xE0 && b <= 0xEF) return 3;
  if (b >= 0xC2 && b <= 0xDF) return 2;
  return 1;
}

}  // namespace joinup::lsp
