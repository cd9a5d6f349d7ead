// Checking rules against the data's JSON Schema: a type inference over the checked AST. Every
// path, `let`, `for each` and binder variable, built-in call and operator gets a type read from
// the schema (objects and their properties, arrays and their items, additionalProperties, enum,
// const, type, format: date, local $ref, anyOf/oneOf as unions, allOf as an intersection); where
// the schema is silent the type is *unknown* and nothing is reported. The checks report uses that
// can never match (a string outside an enum, a number compared with a string, count() of a
// string, sum() of strings) as errors, paths the schema does not allow and paths allowed only in
// one branch of a oneOf as warnings. Nothing here changes what an evaluation returns: the
// evaluator never sees these types.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ast/ast.hpp"
#include "check/check.hpp"
#include "diag/source.hpp"
#include "joinup/diagnostic.hpp"
#include "joinup/document.hpp"

namespace joinup::types {

// The kinds of value a type admits (a union): a bit each.
enum kind_bits : std::uint8_t {
  k_null = 1,
  k_boolean = 2,
  k_number = 4,  // integers and decimals (1 == 1.0)
  k_string = 8,
  k_date = 16,
  k_list = 32,
  k_map = 64,
  k_any = 127,  // unknown: the schema is silent
};

// What the schema says a value may be.
struct type {
  std::uint8_t kinds = k_any;
  // When `enumerated`, every string the value may be (from enum or const); otherwise any string.
  bool enumerated = false;
  std::vector<std::string> strings;
  // The schema nodes (resolved) the value is described by: for its properties and elements.
  std::vector<document::node_id> nodes;
  // The type of the elements of a list the rule builds (a list literal, a comprehension, keys()).
  std::shared_ptr<const type> element;
  // An object schema's branches of a oneOf, with the branch index each came from (for warnings).
  bool known() const { return kinds != k_any; }
};

type any();
type of_kinds(std::uint8_t kinds);
type unite(const type& a, const type& b);
// "a string", "a number or a string", "a list": the kinds in words, for messages.
std::string describe(std::uint8_t kinds);

// The schema read as types. Holds a reference to the schema document.
class schema_types {
 public:
  explicit schema_types(const document& schema) : s_(schema) {}
  const document& doc() const { return s_; }
  // The type of the whole document.
  type root() const;
  // The type of the schema node n ($ref followed, cycles stop at unknown).
  type of(document::node_id n) const;
  // Follows $ref (a local JSON pointer, "#/$defs/leaver"); npos when it leads nowhere.
  document::node_id resolve(document::node_id n) const;
  // n and every branch of its allOf/anyOf/oneOf, resolved, recursively (each node once).
  std::vector<document::node_id> branches(document::node_id n) const;
  document::node_id get(document::node_id n, std::string_view key) const;

 private:
  type of(document::node_id n, std::vector<document::node_id>& stack) const;
  const document& s_;
};

// A name's type, as the environment of the inference holds it. The checked AST gives each name a
// slot (a rule's `let`s and binders) or a document name (`uses`); file-level definitions slot in
// here as names with a type (a `let`) or a function from argument types to a result type (a `def`,
// inferred again at each call site from its arguments' types).
struct environment {
  std::vector<type> slots;                         // per slot of the current rule
  std::vector<std::pair<std::string, type>> docs;  // `uses` names
};

// The files checked together, for following a file-level `let` or `def` into the file that
// defines it (parallel vectors, indexed as check::definition_entry::file).
struct rule_set_view {
  std::vector<const diag::source_file*> sources;
  std::vector<const ast::file*> trees;
  std::vector<const check::checked_file*> checked;
  const check::definition_table* definitions = nullptr;
};

// Checks one file's rules, and its file-level definitions, against `schema`; appends the
// diagnostics (errors and warnings). With `set`, a file-level `let` has its value's type and a
// `def` call the type of its body with the parameters bound to the arguments' types (inferred at
// each call site, quietly: the body's own mistakes are reported once, at the definition);
// without it, both are unknown.
void check_file(const diag::source_file& src, const ast::file& tree, const check::checked_file& checked,
                const document& schema, std::vector<diagnostic>& out, const rule_set_view* set = nullptr);

// The schema each file declares (`schema "PATH"`), resolved against the file's folder; "" for a
// file that declares none. A package whose files declare different schemas is an error
// (appended to diags); the files of a package that declare none take the package's.
std::vector<std::string> declared_schemas(const std::vector<const ast::file*>& trees,
                                          const std::vector<const diag::source_file*>& sources,
                                          const std::vector<const check::checked_file*>& checked,
                                          std::vector<diagnostic>& diags);

}  // namespace joinup::types
