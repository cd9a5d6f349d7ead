// The parser's private concrete syntax: what the X3 grammar (grammar.cpp) builds and what
// parse.cpp converts into ast::file. The grammar's semantic actions add nodes to a pool and refer to
// them by index, so X3 attributes stay plain integers; nodes left behind by backtracking are never
// reached from a root and are simply not converted.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ast/ast.hpp"

namespace joinup::syntax::detail {

enum class node_kind : std::uint8_t {
  null_lit,
  bool_lit,
  number,
  string,
  date,
  name,
  list,
  field,
  index,
  call,
  unary,
  binary,
  between,
  quantifier,
  aggregate,
  comprehension,
  binder,       // kids[0] = collection, kids[1] = filter (optional); name/key spans
  conditional,  // if kids[0] then kids[1] else kids[2]
};

struct node {
  node_kind kind = node_kind::null_lit;
  ast::op op = ast::op::none;
  ast::span where;
  ast::span name;  // field or function name; binder: the (second) bound name
  ast::span key;   // binder: the first of two bound names
  bool has_key = false;
  bool boolean = false;
  bool parens = false;                  // written in parentheses: `(a < b) < c` is not a chain
  std::uint32_t chained_at = no_index;  // offset of a comparison operator that continues a comparison
  std::uint32_t depth = 1;              // height of the tree below and including this node
  std::uint32_t bind = no_index;        // binder node of a quantifier, aggregate or comprehension
  std::vector<std::uint32_t> kids;
};

enum class clause_kind : std::uint8_t {
  severity,
  tags,
  source,
  rationale,
  remedy,
  undetermined,  // metadata
  when,
  let,
  for_each,
  require,
  message,  // body
};

struct clause {
  clause_kind kind = clause_kind::require;
  ast::span keyword;
  ast::span name;                                // severity word, let name
  std::uint32_t value = no_index;                // expression, or binder node for `for each`
  std::vector<ast::span> strings;                // adjacent string literals, quotes included
  std::vector<std::pair<ast::span, bool>> tags;  // (span, is a string literal)
};

struct rule_syntax {
  ast::span keyword, id, close;
  std::vector<ast::span> title;
  std::vector<clause> clauses;
};

struct header_syntax {
  bool has_package = false;
  ast::span package;
  bool has_schema = false;
  ast::span schema;  // the string literal, quotes included
  std::vector<ast::span> uses;
};

// A file-level `let NAME = EXPR`, `def NAME(P, ...) = EXPR` or `import PACKAGE`.
struct definition_syntax {
  enum class kind : std::uint8_t { let, def, import } what = kind::let;
  ast::span keyword;
  ast::span name;  // the defined name, or the imported package
  std::vector<ast::span> params;
  std::uint32_t value = no_index;
};

// Shared by the grammar's semantic actions for one parse call.
struct builder {
  const char* base = nullptr;  // start of the whole source text: offsets are relative to it
  std::vector<node> nodes;
  rule_syntax rule;
  header_syntax header;
  definition_syntax definition;

  std::uint32_t offset(const char* p) const { return static_cast<std::uint32_t>(p - base); }
  ast::span span(const char* b, const char* e) const { return {offset(b), offset(e)}; }
  std::uint32_t add(node n) {
    for (auto k : n.kids)
      if (k != no_index && nodes[k].depth + 1 > n.depth) n.depth = nodes[k].depth + 1;
    if (n.bind != no_index && nodes[n.bind].depth + 1 > n.depth) n.depth = nodes[n.bind].depth + 1;
    nodes.push_back(std::move(n));
    return static_cast<std::uint32_t>(nodes.size() - 1);
  }
};

// Where and why the grammar gave up: an expectation point that failed (`which` is the failed
// parser's name, as given to its x3::rule), or a rule that matched less than its whole input.
struct failure {
  const char* at = nullptr;
  std::string which;
};

// Names of the expectation points that get their own wording (see failure.cpp).
inline constexpr const char* end_of_header = "<end of header>";
inline constexpr const char* end_of_rule = "<end of rule>";
inline constexpr const char* end_of_definition = "<end of definition>";
inline constexpr const char* rule_body_item = "<rule body item>";
inline constexpr const char* rule_body_open = "<rule body open>";
inline constexpr const char* end_of_tags = "<end of tags>";

enum class expression_end : std::uint8_t { input, hole };

// The grammar's entry points, defined in grammar.cpp. Each parses exactly [first, last) and
// returns false with `fail` set when it cannot.
bool parse_header(builder& b, const char* first, const char* last, failure& fail);
bool parse_rule(builder& b, const char* first, const char* last, failure& fail);
// A file-level definition or import (a chunk that starts with `let`, `def` or `import`).
bool parse_definition(builder& b, const char* first, const char* last, failure& fail);
bool parse_expression(builder& b, const char* first, const char* last, expression_end end, std::uint32_t& root,
                      failure& fail);

}  // namespace joinup::syntax::detail
