// The plan: checked rules lowered into a flat, immutable program the evaluator walks. Names are
// resolved to slots or document symbols, calls to built-ins, constant regexes compiled once.
// A program is shared by every evaluation and never written after lowering.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ast/ast.hpp"
#include "check/check.hpp"
#include "joinup/policy.hpp"
#include "value/value.hpp"

namespace re2 {
class RE2;
}

namespace joinup::plan {

// no_index (base/no_index.hpp) stands for no node, slot, symbol, kernel or group.

enum class opcode : std::uint8_t {
  constant,       // constant
  slot,           // slot
  doc_name,       // sym: a `uses` name, looked up in the document's top-level map
  field,          // a.sym
  index,          // a[b]
  call,           // fn(args[first .. first+count))
  list,           // [args...]
  unary,          // op a
  binary,         // a op b (and/or/?? short-circuit)
  between,        // a between b and c
  quantifier,     // op (all/any/none_of): slot/key_slot over a, filter b, body c
  aggregate,      // op (count/sum/min/max/avg/first): slot/key_slot over a, filter b, element c (or none)
  comprehension,  // [c for slot in a where b]
  conditional,    // if a then b else c (only the chosen branch is evaluated)
  call_def,       // a def's call: definitions[sym], its arguments args[first .. first+count)
  global,         // a file-level let's value: definitions[sym], computed once per evaluation
};

struct node {
  opcode code = opcode::constant;
  ast::op op = ast::op::none;
  check::builtin fn = check::builtin::count;
  std::uint32_t a = no_index, b = no_index, c = no_index;
  std::uint32_t first = 0, count = 0;
  std::uint32_t slot = no_index, key_slot = no_index;
  std::uint32_t sym = no_index;    // symbol id (doc_name, field); call_def, global: the definition
  std::uint32_t regex = no_index;  // binary matches / matches(): a constant pattern compiled at load
  values::value constant;
  std::string_view text;   // source text of the expression
  std::string_view bound;  // binder forms: the element's name
  ast::span where;
  std::uint32_t source = 0;  // index of the rule file
  // A quantifier `any|none t in C: X in F`, `X == F` or `F == X`, whose X does not read t and
  // whose F reads no name but t: the evaluator may answer it from a hash index of every F(t)
  // (the elements of each list F(t), or each scalar F(t)), built once per C.
  enum class join_form : std::uint8_t { none, in, equals, equals_swapped };
  join_form join = join_form::none;
  // Set once the whole program is lowered (the passes of passes.hpp), for the evaluator's fast paths:
  // field: the index of its key-position cache; the chain of fields below it starts at a slot.
  std::uint32_t hint = no_index;
  bool slot_path = false;
  // field: the chain of fields below it starts at a document name (`partnership.x.y`).
  bool doc_rooted = false;
  // Of a form the evaluator's quick test (eval/quick_test.hpp, test()) may answer without
  // building values (mark_quick_tests): the others are not offered to it.
  bool testable = false;
  // binary ==, !=, <, <=, >, >=: `a` is a slot_path field and `b` a constant.
  bool path_vs_constant = false;
  // quantifier, aggregate, comprehension: the filter's kernel (program::kernels), or none.
  std::uint32_t kernel = no_index;
  // aggregate count: its group of counts over the same document path (program::fusions), or none.
  std::uint32_t fusion = no_index;
  // quantifier, aggregate, comprehension: the filter's grouped index (program::groups), or none.
  std::uint32_t group = no_index;
};

// A filter whose first test is an equality of something of the element with something that does
// not read the element (`where p.org == o.id and ...`): the evaluator may visit only the elements
// whose `key` equals `probe`, from a hash index of the keys built once per collection
// (docs/architecture.md, grouped filters).
struct grouped_filter {
  std::uint32_t key = no_index;    // reads only the bound element (and document names)
  std::uint32_t probe = no_index;  // does not read the bound element
  std::uint32_t slot = no_index;   // the bound element's slot
  std::uint32_t test = no_index;   // the equality node (the filter's leftmost test)
  // The probe reads a name bound outside (`o.id`): the filter is meant to be asked once per
  // outer subject, so its index is built on the first use; a probe that reads no name (a
  // constant, a document path) gets it on the second.
  bool correlated = false;
};

// A filter the evaluator can answer from an element's map alone: `and`s of tests of the bound
// element's own fields, each a boolean field (`x.flag`) or a field compared with a constant of a
// kind the kernel knows (`x.kind == "senior"`, `x.months < 18`). Per element it gives true, false,
// or "don't know" (a key missing, another kind), when the general walk answers.
struct kernel_term {
  std::uint32_t field = no_index;    // the field node (x.f)
  std::uint32_t compare = no_index;  // the comparison node, or none for a boolean field
};
struct filter_kernel {
  std::vector<kernel_term> terms;  // all must hold, tested in order
};

struct template_part {
  bool is_expr = false;
  std::string text;
  std::uint32_t node = no_index;
};
using text_template = std::vector<template_part>;

struct step {
  bool is_let = false;
  std::uint32_t value = no_index;  // let value or for-each collection
  std::uint32_t filter = no_index;
  std::uint32_t slot = no_index, key_slot = no_index;
  std::string name;
  std::uint32_t kernel = no_index;  // the filter's kernel (program::kernels), or none
  std::uint32_t group = no_index;   // the filter's grouped index (program::groups), or none
};

struct require {
  std::uint32_t condition = no_index;
  std::optional<text_template> message;
  std::string_view text;
  source_position position;
};

struct rule {
  std::uint32_t when = no_index;
  // The paths of the has() calls a `when` is, or that are operands of its `and` chain
  // (`when has(x.y)`, `when has(x.y) and has(x.z)`): when one of them surely reads as missing,
  // the `when` is false and the rule not applicable, without evaluating anything (mark_guards;
  // the evaluator's fast paths only).
  std::vector<std::uint32_t> guards;
  std::vector<step> steps;
  std::vector<require> requires_;
  std::optional<text_template> message, remedy, undetermined;
  std::uint32_t slot_count = 0;
  std::uint32_t source = 0;
};

// A file-level definition lowered once (check::definition_table::entries, same order): its body
// and the slots of its frame. A def's parameters are the first `params` slots from `first_slot`;
// every def and let has slots of its own, after the rules' (the checker forbids a definition to
// reach itself, so a frame is never in use twice at once).
struct definition {
  std::uint32_t root = no_index;  // the body's node
  std::uint32_t first_slot = 0;
  std::uint32_t params = 0;
  bool is_let = false;
  std::string_view name;
};

// At most this many counts are fused into one group.
inline constexpr std::size_t max_fused = 8;

struct program {
  std::vector<std::shared_ptr<const diag::source_file>> sources;
  std::vector<node> nodes;
  std::vector<std::uint32_t> args;
  std::deque<std::string> symbols;               // stable addresses: values point into them
  std::vector<std::string_view> symbol_texts;    // symbols' texts in one array, for the evaluator to index
  std::deque<std::string> strings;               // string constants
  std::deque<std::vector<values::value>> lists;  // constant lists
  std::vector<std::shared_ptr<const re2::RE2>> regexes;
  std::vector<rule> rules;  // parallel to rule_info
  std::vector<rule_info> infos;
  std::uint32_t max_slots = 0;
  // A number no other program of this process has, given when its nodes are final
  // (at the end of lower()); 0 while it is being lowered. Evaluators key what they derive from a
  // program and a document (key ids, live kernel terms) on it.
  std::uint64_t uid = 0;
  std::uint32_t hints = 0;  // field nodes with a key-position cache (node::hint)
  std::vector<filter_kernel> kernels;
  // Counts in one rule over the same document path (`partnership.people`), each with a kernel
  // filter: the evaluator counts them all in one pass over the list.
  std::vector<std::vector<std::uint32_t>> fusions;
  std::vector<grouped_filter> groups;
  std::vector<definition> definitions;  // parallel to check::definition_table::entries
};

// Lowers checked files (already free of errors): the expression walk with constant folding, then
// the marking of the fast paths (passes.hpp). Appends diagnostics for what only lowering can see
// (a constant regex that does not compile, or is longer than max_regex_bytes). The program
// returned is final: its holders keep it const (policy_impl), and the evaluator only reads it.
program lower(const std::vector<check::checked_file>& files,
              const std::vector<std::shared_ptr<const diag::source_file>>& sources, std::vector<diagnostic>& diags,
              std::uint64_t max_regex_bytes = 64 * 1024);
// With the rule set's file-level definitions.
void lower(const std::vector<check::checked_file>& files,
           const std::vector<std::shared_ptr<const diag::source_file>>& sources, const check::definition_table& defs,
           program& out, std::vector<diagnostic>& diags, std::uint64_t max_regex_bytes = 64 * 1024);
// The same, into `out`.
void lower(const std::vector<check::checked_file>& files,
           const std::vector<std::shared_ptr<const diag::source_file>>& sources, program& out,
           std::vector<diagnostic>& diags, std::uint64_t max_regex_bytes = 64 * 1024);

}  // namespace joinup::plan
