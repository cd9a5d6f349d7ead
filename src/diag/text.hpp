// Small text utilities shared by every stage: suggestions, UTF-8 encoding, quoting for display.
// UTF-8 validity: diag/utf8.hpp, included here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
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
// author would write them: "say \"hi\"". C0 controls and DEL are escaped as append_escaped escapes
// them; C1 and bidirectional controls are left to the text outputs, which escape the whole line.
void append_quoted(std::string& out, std::string_view s);

// Whether append_escaped keeps line feeds: where the output breaks lines itself (a message of
// several lines, indented line by line) or escapes them as `\n` (a field within one line).
enum class line_breaks { escape, keep };

// The one escaping of text for a terminal or a CI log, used by every text output (the text, github
// and markdown reports, diagnostics, `joinup rules`, `explain` and `test`) for every string that
// comes from a data file, a rule file, a waivers file or a file name. What a terminal would act on
// is written in the rule language's notation instead of as itself:
//   - C0 control characters (carriage return `\r`, line feed `\n` unless kept, the others
//     `\u{1b}`), DEL `\u{7f}` and the C1 controls U+0080 to U+009F (`\u{9b}`); a tab is kept, as
//     a terminal only moves to the next tab stop for it (and a diagnostic's caret aligns by it);
//   - the bidirectional embeddings, overrides and isolates U+202A to U+202E and U+2066 to U+2069
//     (`\u{202e}`), which reorder what a reader sees;
//   - a byte that does not start a valid UTF-8 character (a file name's), as `\x{ff}`;
//   - the first ':' of a line whose first non-blank characters are "::" (`\u{3a}:`), so that a CI
//     runner never reads a line of data as a workflow command.
// Everything else, backslashes included, is written as it is.
void append_escaped(std::string& out, std::string_view s, line_breaks nl = line_breaks::escape);
std::string escaped(std::string_view s, line_breaks nl = line_breaks::escape);

// User text (usually from data) in a message is shown whole up to this many bytes; longer text is
// cut at a character boundary and followed by "… (N more bytes)".
inline constexpr std::size_t quote_window = 100;
// Appends s bare (or, with `quoted`, as append_quoted does) within quote_window.
void append_window(std::string& out, std::string_view s, bool quoted = false);
std::string window(std::string_view s, bool quoted = false);

// A string from the data that a rule's message interpolates (`{person.note}`) is a partnership's
// own words: it is shown whole up to this many bytes, which only hostile or generated data
// exceeds; longer text is cut after the last whole word within the limit (at a character
// boundary where the limit holds no space) and followed by "…".
inline constexpr std::size_t message_quote_limit = 2000;
void append_message_text(std::string& out, std::string_view s);

}  // namespace joinup::diag
