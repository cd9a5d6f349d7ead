// Small text utilities shared by every stage: suggestions, UTF-8 encoding, quoting for display.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace joinup::diag {

// Optimal string alignment distance: insertions, deletions, substitutions and transpositions of
// adjacent characters each cost one ("cuont" is one step from "count").
std::size_t edit_distance(std::string_view a, std::string_view b);

// Appends the UTF-8 encoding of a Unicode scalar value.
void append_utf8(std::string& out, std::uint32_t cp);

// Appends s in double quotes, escaping quotes, backslashes and control characters as a rule
// author would write them: "say \"hi\"".
void append_quoted(std::string& out, std::string_view s);

}  // namespace joinup::diag

namespace joinup::diag {

// Offset of the first byte of s that does not start a valid UTF-8 sequence (overlong forms,
// surrogates and code points above U+10FFFF are invalid), or npos.
std::size_t find_invalid_utf8(std::string_view s);

}  // namespace joinup::diag
