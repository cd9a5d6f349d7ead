// YAML rule files (language spec section 8): the same rules as a .jup file, written as YAML with
// the expressions as DSL strings. They are read into the same ast::file the parser builds, with
// every span a byte offset into the YAML file itself, so that the checker, the planner and the
// reports point into the YAML file exactly as they point into a .jup file.
#pragma once

#include <cstdint>
#include <limits>
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
// column of the offending character. Returns false when there was any. `max_bytes` bounds the
// text of the rules once YAML aliases are expanded (keys and strings), as it bounds the file: a
// small file whose aliases copy megabytes of rules is refused (compile_options::max_file_bytes).
bool read_yaml(const diag::source_file& src, ast::file& into, std::vector<diagnostic>& diags,
               const syntax::parse_limits& limits = {},
               std::uint64_t max_bytes = std::numeric_limits<std::uint64_t>::max());

// The keys of the YAML form, for the reader's messages and for the converter.
inline constexpr const char* file_keys[] = {"package", "schema", "uses", "imports", "definitions", "rules"};
// The keys of an entry of `definitions:` ({let: NAME, value: EXPR} or {def: "NAME(P, ...)", value: EXPR}).
inline constexpr const char* definition_keys[] = {"let", "def", "value"};
inline constexpr const char* rule_keys[] = {"id",        "title",  "severity",     "tags",   "source",
                                            "rationale", "remedy", "undetermined", "when",   "let",
                                            "for_each",  "where",  "require",      "message"};
inline constexpr const char* for_each_keys[] = {"each", "where", "let"};
inline constexpr const char* require_keys[] = {"that", "message"};

// The shape of a rule in the YAML form, read in one place for the reader and the converter.
// A rule's steps, in the order the DSL takes them: a `let` written before `for_each` in the rule's
// map comes before the iteration; one written after it (or without a `for_each`), per subject.
struct rule_steps {
  document::node_id lets_before = document::npos;  // the `let` map, when written before `for_each`
  document::node_id for_each = document::npos;     // an item, or a list of them
  document::node_id lets_after = document::npos;   // the `let` map otherwise
  std::uint32_t let_key = 0;                       // the index of `let` in the rule's map
};
rule_steps steps_of(const document& doc, document::node_id rule);

// A `for_each` item: a string is its own `each`; a map has `each`, `where` and `let` (npos when
// not written).
struct for_each_item {
  document::node_id each, where = document::npos, lets = document::npos;
};
for_each_item for_each_item_of(const document& doc, document::node_id item);

// A `require` item: a string is its own `that`; a map has `that` and `message`.
struct require_item {
  document::node_id that, message = document::npos;
};
require_item require_item_of(const document& doc, document::node_id item);

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
