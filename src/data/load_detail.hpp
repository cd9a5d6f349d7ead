// Pieces shared by the JSON and YAML loaders: the internal failure they throw (turned into a
// joinup::error with line, column and caret by load_document, which alone builds the line index
// for it), number parsing and scalar helpers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "diag/codes.hpp"
#include "joinup/document.hpp"

namespace joinup::data {

// An error at the bytes [begin, end) of the text being loaded.
struct load_failure {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  std::string code;
  std::string message;
  std::string help;
};

[[noreturn]] inline void fail(std::uint32_t begin, std::uint32_t end, std::string code, std::string message,
                              std::string help = {}) {
  throw load_failure{begin, end, std::move(code), std::move(message), std::move(help)};
}
[[noreturn]] inline void fail(std::uint32_t begin, std::uint32_t end, diag::code code, std::string message,
                              std::string help = {}) {
  fail(begin, end, diag::to_string(code), std::move(message), std::move(help));
}

// User text for a message: quoted, cut after 60 bytes (on a character boundary).
std::string quote(std::string_view s);

// 1-based line of a byte offset, by counting; for error messages only.
std::uint32_t line_of(std::string_view text, std::uint32_t offset);

// "duplicate key 'x' (first at line 3)" at the second key.
[[noreturn]] void fail_duplicate_key(std::string_view text, std::string_view key, std::uint32_t offset,
                                     std::uint32_t first_offset);

// A decimal floating-point literal in from_chars' general syntax (no leading '+'). nullopt when the
// value is too large for a double, or too small to be told from zero (1e-400): reading it as 0
// would change what it says. number_range_error says which.
std::optional<double> parse_double(std::string_view s);
std::string number_range_error(std::string_view s);

// The JSON and YAML parsers: they read `text` (BOM removed, UTF-8 already validated) into `b`.
// load_json completes `lines` (which holds the text's multi-byte characters) with the line breaks
// and gives it to the document.
void load_json(std::string_view text, document_builder& b, const load_options& options, line_index lines);
void load_yaml(std::string_view text, document_builder& b, const load_options& options);

}  // namespace joinup::data
