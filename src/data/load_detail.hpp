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

class builder_state;

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

// A YAML syntax error, as the YAML parser names it (classify_yaml_problem reads its message;
// `detail` gets the part after a fixed prefix, or the whole message when it is unknown).
enum class yaml_problem : std::uint8_t {
  yaml_directive_args,
  yaml_version,
  yaml_major_version,
  repeated_yaml_directive,
  tag_directive_args,
  repeated_tag_directive,
  char_in_tag_handle,
  tag_with_no_suffix,
  end_of_verbatim_tag,
  end_of_map,
  end_of_map_flow,
  end_of_seq,
  end_of_seq_flow,
  multiple_tags,
  multiple_anchors,
  multiple_aliases,
  alias_content,
  invalid_hex,
  invalid_unicode,
  invalid_escape,
  unknown_token,
  doc_in_scalar,
  eof_in_scalar,
  char_in_scalar,
  tab_in_indentation,
  flow_end,
  block_entry,
  map_key,
  map_value,
  alias_not_found,
  anchor_not_found,
  char_in_alias,
  char_in_anchor,
  zero_indent_in_block,
  char_in_block,
  ambiguous_anchor,
  unknown_anchor,
  other
};
yaml_problem classify_yaml_problem(std::string_view parser_message, std::string& detail);

// Fails with the YAML syntax error the parser reported at byte `at` of `text`, in an author's
// words: what is wrong, at the character that causes it where the text shows the likely cause
// (a tab in the indentation, an unquoted ': ' in a value, an unclosed bracket or quote, a line
// indented unlike the lines above), and a help line saying what to do (yaml_errors.cpp).
[[noreturn]] void fail_yaml_syntax(std::string_view text, std::uint32_t at, yaml_problem problem,
                                   std::string_view detail);

// A decimal floating-point literal in from_chars' general syntax (no leading '+'). nullopt when the
// value is too large for a double, or too small to be told from zero (1e-400): reading it as 0
// would change what it says. number_range_error says which.
std::optional<double> parse_double(std::string_view s);
std::string number_range_error(std::string_view s);

// The JSON and YAML parsers: they read `text` (BOM removed, UTF-8 already validated) into `b`.
// load_json completes `lines` (which holds the text's multi-byte characters) with the line breaks
// and gives it to the document.
void load_json(std::string_view text, builder_state& b, const load_options& options, line_index lines);
void load_yaml(std::string_view text, builder_state& b, const load_options& options);

}  // namespace joinup::data
