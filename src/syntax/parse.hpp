// The one entry point to the rule-language parser. The grammar (Boost.Spirit X3) is private to
// src/syntax/ and instantiated in exactly one translation unit, grammar.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "ast/ast.hpp"
#include "diag/source.hpp"
#include "joinup/diagnostic.hpp"

namespace joinup::syntax {

enum class parse_mode : std::uint8_t {
  rule_file,      // a whole .jup file: package, uses, rules
  expression,     // one expression (YAML rule files hold expressions as strings)
  text_template,  // the inside of a message string: text with {EXPR} holes, no surrounding quotes
};

struct parse_limits {
  std::uint32_t max_nesting = 200;  // brackets, parentheses and operator nesting
};

struct parse_output {
  ast::expr_id expression = no_index;      // parse_mode::expression
  std::optional<ast::text_template> text;  // parse_mode::text_template
};

// Parses `src` in the given mode, appending what it finds to `into` (package, uses, rules and
// comments for rule_file; expressions always). Spans are byte offsets into src.text().
// Every syntax error found is appended to `diags` (a file with several broken rules reports each);
// returns false when there was any.
bool parse(const diag::source_file& src, parse_mode mode, ast::file& into, parse_output& out,
           std::vector<diagnostic>& diags, const parse_limits& limits = {});

}  // namespace joinup::syntax
