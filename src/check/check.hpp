// Resolve and check: binds every name in a parsed rule file to a document name (declared with
// `uses`) or a rule-local slot, every call to a built-in, and reports every load-time error
// (unknown names and functions with did-you-mean, wrong arity, has() on a non-path, names bound
// twice, rules given twice). The checked result annotates the AST; the planner lowers it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ast/ast.hpp"
#include "check/builtins.hpp"
#include "diag/source.hpp"
#include "joinup/diagnostic.hpp"

namespace joinup::check {

// no_index (base/no_index.hpp) stands for no slot.

struct expr_note {
  std::uint32_t slot = no_index;      // name: the slot it reads; binder forms: the element's slot
  std::uint32_t key_slot = no_index;  // binder forms with two names: the index/key slot
  bool document_name = false;         // name: a `uses` name, read from the document's top level
  const builtin_info* fn = nullptr;   // call: the built-in
  // name, call, or a field naming an imported package's let (`integration.common.team_size_min`):
  // the file-level definition it reads or calls, an index into definition_table::entries.
  std::uint32_t definition = no_index;
};

// A file-level `let` or `def` of the rule set (docs/language.md, "Definitions and imports").
struct definition_entry {
  std::string package;
  const ast::definition* syntax = nullptr;
  std::uint32_t file = 0;   // the index of its file among those checked together
  std::uint32_t index = 0;  // in that file's ast::file::definitions
  std::string place;        // "FILE:LINE:COLUMN" of its name
};

// Every definition of a rule set, by package and name, built before the files are checked: a
// definition is visible in every file of its package, whatever the order of the files.
struct definition_table {
  std::vector<definition_entry> entries;
  std::unordered_map<std::string, std::uint32_t> by_key;  // package + '\n' + name → entry
  std::uint32_t find(std::string_view package, std::string_view name) const {
    const auto it = by_key.find(std::string(package) + '\n' + std::string(name));
    return it == by_key.end() ? no_index : it->second;
  }
  bool has_package(std::string_view package) const {
    for (const auto& e : entries)
      if (e.package == package) return true;
    return false;
  }
};

// A call of a definition or a read of a file-level let, from a definition's body or a rule.
struct definition_use {
  std::uint32_t definition = no_index;  // definition_table::entries
  std::uint32_t depth = 0;              // how deep in its expression the use sits (1 at the root)
  ast::expr_id expr = no_index;
};

struct definition_note {
  std::vector<std::uint32_t> param_slots;  // per parameter, in order
  std::uint32_t slot_count = 0;            // parameters and the body's binders
  std::uint32_t height = 0;                // the body's nesting depth
  std::vector<definition_use> uses;        // the definitions its body reaches directly
};

struct rule_note {
  std::string full_id;
  std::string package;
  std::vector<std::uint32_t> step_slots;      // per ast step: the let's or the element's slot
  std::vector<std::uint32_t> step_key_slots;  // per ast step: the index/key slot, or no_index
  std::uint32_t slot_count = 0;
};

struct checked_file {
  const diag::source_file* source = nullptr;
  const ast::file* syntax = nullptr;
  std::string package;
  std::vector<expr_note> exprs;              // parallel to syntax->exprs
  std::vector<rule_note> rules;              // parallel to syntax->rules
  std::vector<definition_note> definitions;  // parallel to syntax->definitions
  std::vector<definition_use> rule_uses;     // the definitions the rules reach directly
};

// The package of a file: its `package` line, or its file name's stem.
std::string package_of(const diag::source_file& src, const ast::file& file);

// Collects the definitions of every file; reports two of one name in a package (naming both
// places) and definitions named like a built-in function.
definition_table collect_definitions(const std::vector<const diag::source_file*>& sources,
                                     const std::vector<const ast::file*>& files, std::vector<diagnostic>& diags);

// Checks one file whose names may read the definitions of `defs` (its package's and those of
// the packages it imports); appends diagnostics.
checked_file check_file(const diag::source_file& src, const ast::file& file, const definition_table& defs,
                        std::vector<diagnostic>& diags);

// Over the checked files: a definition that reaches itself (through calls or lets) is an error
// naming the cycle; a chain of definitions nested deeper than max_depth in all is an error.
void check_definition_graph(const definition_table& defs, const std::vector<checked_file>& files,
                            std::uint32_t max_depth, std::vector<diagnostic>& diags);

// Checks one file of a set without definitions; appends diagnostics. Returns the annotations
// (valid only without errors).
checked_file check_file(const diag::source_file& src, const ast::file& file, std::vector<diagnostic>& diags);

// Reports rules whose full ids repeat across the whole set.
void check_unique_ids(const std::vector<checked_file>& files, std::vector<diagnostic>& diags);

// "did you mean 'x'?" candidates: diag::closest (the one rule for suggestions), or "".
std::string closest(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace joinup::check
