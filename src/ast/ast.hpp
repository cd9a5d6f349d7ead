// The abstract syntax of rule files: what the parser produces and the checker reads.
// Expressions live in one array per file and refer to each other by index. Every node keeps the
// half-open byte range of its source text, so later stages report errors against it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/no_index.hpp"

namespace joinup::ast {

// The longest name in rules, in characters: a word, and also a whole dotted package name or
// hyphenated rule id (names are quoted whole in messages and reports).
constexpr std::uint32_t max_name_length = 256;

// A message for a name past max_name_length ("a package name of 300 characters …"), or "" when
// it is within it.
inline std::string name_length_error(std::string_view what, std::string_view name) {
  if (name.size() <= max_name_length) return {};
  return std::string(what) + " of " + std::to_string(name.size()) + " characters is longer than the limit of " +
         std::to_string(max_name_length);
}

struct span {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;  // one past the last byte
};

using expr_id = std::uint32_t;
// no_index (base/no_index.hpp) stands for no expression.

enum class expr_kind : std::uint8_t {
  null_lit,
  bool_lit,
  int_lit,
  double_lit,
  string_lit,
  date_lit,
  list,           // [a, b, c]                         args = elements
  name,           // leaver                            text = name
  field,          // x.name                            args[0] = object, text = field, name_span
  index,          // x[i], x["key"]                    args[0] = object, args[1] = index
  call,           // f(a, b)                           text = function, name_span, args
  unary,          // not x, -x                         op, args[0]
  binary,         // a op b                            op, args[0], args[1]
  between,        // x between lo and hi               args[0..2]
  quantifier,     // all|any|none x in xs [where f]: body     op, bind, args[0] = body
  aggregate,      // count(x in xs [where f]) / sum(e for x in xs [where f])   op, bind, args[0] = e or no_index
  comprehension,  // [e for x in xs [where f]]         bind, args[0] = e
  conditional,    // if c then a else b                args[0] = c, args[1] = a, args[2] = b
};

enum class op : std::uint8_t {
  none,
  // unary
  not_,
  neg,
  // binary, loosest first
  coalesce,
  or_,
  and_,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  in,
  not_in,
  matches,
  add,
  sub,
  mul,
  div,
  mod,
  // quantifiers
  all,
  any,
  none_of,
  // aggregates with a binder
  count,
  sum,
  min,
  max,
  avg,
  first,  // first(x in xs [where f]): an aggregate whose args[0] is always no_index
};

// == != < <= > >=: the operators that compare two values (the enumeration keeps them together).
constexpr bool is_comparison(op o) { return o >= op::eq && o <= op::ge; }

// `x in xs`, `i, x in xs`, with an optional `where` filter.
struct binder {
  std::string key_name;  // index or key name; empty when only one name is bound
  span key_span;
  std::string name;
  span name_span;
  expr_id collection = no_index;
  expr_id filter = no_index;
};

struct expr {
  expr_kind kind = expr_kind::null_lit;
  ast::op op = op::none;
  span where;        // the whole expression's source range
  std::string text;  // name, field, function name, or a string literal's value (escapes decoded)
  span name_span;    // field or function name
  bool boolean = false;
  std::int64_t integer = 0;
  double number = 0;
  std::int32_t days = 0;  // date literal: days since 1970-01-01
  std::vector<expr_id> args;
  ast::binder bind;  // quantifier, aggregate, comprehension
};

// A message, remedy or rationale: literal text with {EXPR} holes.
struct template_part {
  bool is_expr = false;
  std::string text;  // literal text (escapes and {{ }} decoded) when !is_expr
  expr_id value = no_index;
  span where;
};
struct text_template {
  std::vector<template_part> parts;
  span where;  // the string literal(s), quotes included
};

struct let_clause {
  std::string name;
  span name_span;
  expr_id value = no_index;
};

// Before the requires, a rule is a sequence of `let` and `for each` steps, in source order.
struct step {
  enum class kind : std::uint8_t { let, for_each } what = kind::let;
  let_clause let;
  ast::binder for_each;
  span where;
};

struct require_clause {
  expr_id condition = no_index;
  std::optional<text_template> message;
  span where;  // from `require` to the end of the condition
};

// A clause as written in a .jup file, for the formatter: its keyword ("severity", "for each",
// "message", ...) and the bytes from the keyword to the end of the clause.
struct written_clause {
  std::string keyword;
  span keyword_span;
  span where;
};

struct rule {
  std::string id;
  span id_span;
  std::optional<std::string> title;
  span where;  // from `rule` to the closing brace

  // Metadata; each at most once. The span of each item is kept for "given twice" diagnostics.
  std::optional<std::string> severity;
  span severity_span;
  std::vector<std::pair<std::string, span>> tags;
  std::optional<std::string> source;
  std::optional<text_template> rationale;
  std::optional<text_template> remedy;
  // What to record, in words, for a subject left undetermined because a require read a missing
  // value: the finding's message instead of "PATH is missing" (docs/language.md, section 3).
  std::optional<text_template> undetermined;

  expr_id when = no_index;
  std::vector<step> steps;
  std::vector<require_clause> requires_;
  std::optional<text_template> message;

  std::vector<written_clause> written;  // every clause in source order (.jup files only)
};

// A file-level definition, visible to every rule of the file's package (docs/language.md,
// "Definitions and imports"): `let NAME = EXPR` (a named value, computed at most once per
// evaluation) or `def NAME(P1, ...) = EXPR` (a function of its parameters).
struct definition {
  enum class kind : std::uint8_t { let, def } what = kind::let;
  std::string name;
  span name_span;
  std::vector<std::pair<std::string, span>> params;  // def only, in order
  expr_id value = no_index;
  span where;  // from the keyword to the end of the value
};

struct file {
  std::string origin;
  std::optional<std::string> package;
  span package_span;
  // `schema "PATH"` (`schema:` in a YAML rule file): the JSON Schema of the data, as written
  // (relative to the rule file); rules are type-checked against it (src/types/).
  std::optional<std::string> schema;
  span schema_span;  // the string literal
  std::vector<std::pair<std::string, span>> uses;
  std::vector<rule> rules;
  std::vector<definition> definitions;                // in source order
  std::vector<std::pair<std::string, span>> imports;  // `import PACKAGE`: the package names
  std::vector<expr> exprs;
  std::vector<span> comments;  // every `# ...` comment, for the formatter

  const expr& at(expr_id id) const { return exprs[id]; }
  expr_id add(expr e) {
    exprs.push_back(std::move(e));
    return static_cast<expr_id>(exprs.size() - 1);
  }
};

}  // namespace joinup::ast
