// UTF-8 validity, decided in one place for every stage that reads or writes text: the loader,
// the rule compiler, the report writers and the C interface. Inline, so that the loader's scan
// keeps its speed.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "joinup/diagnostic.hpp"

namespace joinup::diag {

// Length of the valid UTF-8 sequence at s[i] (1 to 4), or 0 when the bytes there are not one:
// overlong forms, surrogates, code points above U+10FFFF and sequences cut off by the end of s
// are invalid.
inline std::size_t utf8_sequence_length(std::string_view s, std::size_t i) noexcept {
  const auto b = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
  const unsigned c = b(0);
  if (c < 0x80) return 1;
  const auto cont = [](unsigned x) { return (x & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return cont(b(1)) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    const unsigned c1 = b(1);
    if (!cont(c1) || !cont(b(2))) return 0;
    if (c == 0xE0 && c1 < 0xA0) return 0;   // overlong
    if (c == 0xED && c1 >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    const unsigned c1 = b(1);
    if (!cont(c1) || !cont(b(2)) || !cont(b(3))) return 0;
    if (c == 0xF0 && c1 < 0x90) return 0;   // overlong
    if (c == 0xF4 && c1 >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

// Offset of the first byte of s that does not start a valid UTF-8 sequence, or npos.
inline std::size_t find_invalid_utf8(std::string_view s) noexcept {
  for (std::size_t i = 0; i < s.size();) {
    const auto len = utf8_sequence_length(s, i);
    if (len == 0) return i;
    i += len;
  }
  return std::string_view::npos;
}

// Why s is not valid UTF-8, given the offset `at` of its first bad byte (find_invalid_utf8):
// "byte 0xFF at byte offset 66 does not start a valid character".
inline std::string invalid_utf8_detail(std::string_view s, std::size_t at) {
  constexpr char digits[] = "0123456789ABCDEF";
  const auto byte = static_cast<unsigned char>(s[at]);
  return std::string("byte 0x") + digits[byte >> 4] + digits[byte & 15] + " at byte offset " + std::to_string(at) +
         " does not start a valid character";
}

// s with every byte that does not start a valid UTF-8 sequence written as \xNN: what the C
// interface gives out stays UTF-8 even when a path or an argument it echoes is not.
inline std::string escape_invalid_utf8(std::string_view s) {
  if (find_invalid_utf8(s) == std::string_view::npos) return std::string(s);
  constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() + 16);
  for (std::size_t i = 0; i < s.size();) {
    const auto len = utf8_sequence_length(s, i);
    if (len == 0) {
      const auto byte = static_cast<unsigned char>(s[i]);
      out += "\\x";
      out += digits[byte >> 4];
      out += digits[byte & 15];
      ++i;
    } else {
      out.append(s.substr(i, len));
      i += len;
    }
  }
  return out;
}

// The error for a text whose byte at `at` does not start a valid UTF-8 character, at its line
// and column (everything before `at` is valid, so the column is exact): "invalid UTF-8: byte 0xFF
// does not start a valid character", with `help` ("rule files must be UTF-8 encoded"). With
// `show_line`, the line is quoted with each invalid byte shown as '?', so that the diagnostic
// itself stays valid UTF-8.
diagnostic invalid_utf8_error(std::string_view text, std::size_t at, std::string origin, std::string help,
                              bool show_line);

}  // namespace joinup::diag
