// YAML rule files (language spec section 8): the same rules as a .jup file, written as YAML with
// the expressions as DSL strings. They are read into the same ast::file the parser builds, with
// every span a byte offset into the YAML file itself, so that the checker, the planner and the
// reports point into the YAML file exactly as they point into a .jup file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ast/ast.hpp"
#include "diag/source.hpp"
#include "joinup/diagnostic.hpp"
#include "joinup/document.hpp"
#include "syntax/parse.hpp"

namespace joinup::rulefile {

// True for names the YAML form is read for: *.yaml and *.yml.
bool is_yaml_name(std::string_view name);

// Reads a YAML rule file into `into` (package, uses, rules, expressions). Every error found is
// appended to `diags` with the YAML file's line and column — inside an expression string, the
// column of the offending character. Returns false when there was any.
bool read_yaml(const diag::source_file& src, ast::file& into, std::vector<diagnostic>& diags,
               const syntax::parse_limits& limits = {});

// The keys of the YAML form, for the reader's messages and for the converter.
inline constexpr const char* file_keys[] = {"package", "uses", "rules"};
inline constexpr const char* rule_keys[] = {"id",      "title", "severity", "tags",  "source",  "rationale", "remedy",
                                            "when",    "let",   "for_each", "where", "require", "message"};
inline constexpr const char* for_each_keys[] = {"each", "where", "let"};
inline constexpr const char* require_keys[] = {"that", "message"};

// A scalar's text as YAML decoded it, with where each byte came from in the file: byte i of
// `text` was written at [begin[i], end[i]) (an escape sequence maps all its bytes to itself).
struct mapped_text {
  std::string text;
  std::vector<std::uint32_t> begin, end;
  std::uint32_t raw_begin = 0;  // the scalar's first byte after its quote or block header
  std::uint32_t raw_end = 0;    // one past the last byte that produced text
  bool exact = true;            // false when the text could not be matched with the file
  ast::span map(ast::span s) const;
};

// Matches the decoded value of the scalar written at `offset` in `file` (plain, quoted or block)
// with the file's bytes. When they cannot be matched byte for byte, every byte maps to the
// scalar's first character and `exact` is false.
mapped_text map_scalar(std::string_view file, std::uint32_t offset, std::string_view decoded);

// A scalar's text with its map to the file. Values YAML typed as something other than a string
// (`true`, `42`, a date) are taken as written.
mapped_text scalar_text(const document& doc, std::string_view file, document::node_id n);

}  // namespace joinup::rulefile
