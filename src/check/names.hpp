// The names of a checked rule file as an editor asks about them: which names a rule can see at a
// position, which binding a name reads, and every place that reads it. All of it goes through the
// checker's resolution (the slots of check_file's notes), so a new kind of name (a file-level
// `let` or `def`, an `import`) is added here once and completion, hover, go to definition and
// rename all know it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ast/ast.hpp"
#include "check/check.hpp"

namespace joinup::check {

enum class name_kind : std::uint8_t {
  document,    // declared with `uses`, read from the document's top level
  let,         // a rule's `let`
  for_each,    // a rule's `for each` element (or its index/key)
  binder,      // bound by a quantifier, aggregate or comprehension
  definition,  // a file-level `let` or `def` of the package (or of an imported package)
  parameter,   // a parameter of a file-level `def`, inside its body
};

struct named {
  std::string name;
  name_kind kind = name_kind::document;
  ast::span where;                                  // the name where it is bound (or declared with `uses`)
  ast::expr_id value = no_index;                    // let: its value; for_each, binder: the collection
  std::uint32_t slot = no_index;                    // the checker's slot (no_index for a document name)
  std::size_t rule = static_cast<std::size_t>(-1);  // the rule that binds it (none for `uses`)
  // definition: its index in definition_table::entries (`where` and `value` are in the file
  // entries[definition].file); parameter: the index of its def in ast::file::definitions.
  std::uint32_t definition = no_index;
};

// The file-level definition (its keyword to the end of its value) holding byte `at`, or npos.
std::size_t definition_at(const ast::file& f, std::uint32_t at);

// Every expression of a file-level definition's value, parents before children.
void for_each_expr(const ast::file& f, const ast::definition& d, const std::function<void(ast::expr_id)>& fn);

// The definitions of package `package` in `defs`, as names (kind definition), in table order.
std::vector<named> definitions_of(const definition_table& defs, std::string_view package);

// The parameters of definition `def` of a checked file (kind parameter).
std::vector<named> parameters_of(const checked_file& c, std::size_t def);

// The binding the name expression `id` inside the value of definition `def` reads: one of its
// parameters or, with `defs`, a definition; nothing otherwise.
std::optional<named> binding_in_definition(const checked_file& c, std::size_t def, ast::expr_id id,
                                           const definition_table* defs);

// The definition a name, call or field expression reads or calls (the checker's note), if any.
std::optional<named> definition_read(const checked_file& c, ast::expr_id id, const definition_table& defs);

// The span of every name of definition `def`'s value that reads its parameter `p`.
std::vector<ast::span> parameter_reads(const checked_file& c, std::size_t def, const named& p);

// The rule whose source range holds byte `at` (its closing brace included), or npos.
std::size_t rule_at(const ast::file& f, std::uint32_t at);

// Every expression of a rule, each root (metadata holes, when, steps, requires, messages) and
// everything below it, parents before children.
void for_each_expr(const ast::file& f, const ast::rule& r, const std::function<void(ast::expr_id)>& fn);

// The names rule `rule` can see at byte `at`: the document names, then the steps bound before `at`
// and the binders whose expression holds `at`, innermost last. With rule == npos, the document
// names alone.
// With `defs`, the package's definitions follow the document names; inside a definition's value
// (rule == npos), its parameters come last.
std::vector<named> names_in_scope(const checked_file& c, std::size_t rule, std::uint32_t at,
                                  const definition_table* defs = nullptr);

// The binding the name expression `id` of rule `rule` reads, by the checker's resolution; nothing
// when the checker did not resolve it.
std::optional<named> binding_of(const checked_file& c, std::size_t rule, ast::expr_id id);

// The binding whose bound name's span holds byte `at` in rule `rule` (a `let x`, `for each x`,
// `any x in …` written there), if any.
std::optional<named> binding_at(const checked_file& c, std::size_t rule, std::uint32_t at);

// The span of every name expression of rule `rule` that reads binding `b`.
std::vector<ast::span> reads_of(const checked_file& c, std::size_t rule, const named& b);

}  // namespace joinup::check
