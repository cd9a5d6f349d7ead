// Small text utilities shared by every stage: suggestions, UTF-8 encoding, quoting for display.
// UTF-8 validity: diag/utf8.hpp, included here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "diag/utf8.hpp"

namespace joinup::diag {

// Optimal string alignment distance: insertions, deletions, substitutions and transpositions of
// adjacent characters each cost one ("cuont" is one step from "count").
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate a mistyped name most likely means, or "" when none is close enough to be a useful
// guess: the nearest by edit_distance, within 1 edit for names of 3–4 characters, 2 up to 8 and 3
// beyond; one- and two-letter names get no guess, and the name itself is never suggested. Every
// "did you mean" of the project (names in rules, keys of YAML rule files, waivers and test files)
// follows this one rule.
std::string closest(std::string_view name, const std::vector<std::string>& candidates);
std::string closest(std::string_view name, std::initializer_list<std::string_view> candidates);

// The choices as a reader expects them listed: 'a', 'b' or 'c'.
std::string one_of(const std::vector<std::string>& choices);

// Appends the UTF-8 encoding of a Unicode scalar value.
void append_utf8(std::string& out, std::uint32_t cp);

// Appends s in double quotes, escaping quotes, backslashes and control characters as a rule
// author would write them: "say \"hi\"".
void append_quoted(std::string& out, std::string_view s);

// User text (usually from data) in a message is shown whole up to this many bytes; longer text is
// cut at a character boundary and followed by "… (N more bytes)".
inline constexpr std::size_t quote_window = 100;
// Appends s bare (or, with `quoted`, as append_quoted does) within quote_window.
void append_window(std::string& out, std::string_view s, bool quoted = false);
std::string window(std::string_view s, bool quoted = false);

}  // namespace joinup::diag
