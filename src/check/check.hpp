// Resolve and check: binds every name in a parsed rule file to a document name (declared with
// `uses`) or a rule-local slot, every call to a built-in, and reports every load-time error
// (unknown names and functions with did-you-mean, wrong arity, has() on a non-path, names bound
// twice, rules given twice). The checked result annotates the AST; the planner lowers it.
#pragma once

#include <cstdint>
#include <string>
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
  std::vector<expr_note> exprs;  // parallel to syntax->exprs
  std::vector<rule_note> rules;  // parallel to syntax->rules
};

// Checks one file; appends diagnostics. Returns the annotations (valid only without errors).
checked_file check_file(const diag::source_file& src, const ast::file& file, std::vector<diagnostic>& diags);

// Reports rules whose full ids repeat across the whole set.
void check_unique_ids(const std::vector<checked_file>& files, std::vector<diagnostic>& diags);

// "did you mean 'x'?" candidates: diag::closest (the one rule for suggestions), or "".
std::string closest(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace joinup::check
