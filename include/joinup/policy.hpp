// Compiling rule sets into an immutable policy, and evaluating documents against it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "joinup/diagnostic.hpp"
#include "joinup/document.hpp"
#include "joinup/findings.hpp"
#include "joinup/result.hpp"

namespace joinup {

namespace detail {
struct policy_impl;
}

// A rule's identity and metadata, as written in its file.
struct rule_info {
  std::string full_id;  // package.id
  std::string package;
  std::string id;
  std::string title;
  joinup::severity severity = severity::error;
  std::vector<std::string> tags;
  std::string source;
  std::string rationale;     // as written (interpolations unrendered)
  std::string remedy;        // as written
  std::string origin;        // rule file
  source_position position;  // of the `rule` keyword
  std::string text;          // the rule's whole source text, for `joinup explain`
};

// The rules an id names: the rule whose full id it is, else every rule whose full id ends with
// '.' and the id, a short id (`pooled-share-2027` for `brackley.pooled-share-2027`, or
// `workforce.joint-posts` for `integration.workforce.joint-posts`). One rule is a match; several
// make the id ambiguous (ambiguous_rule_text names them); none, an unknown id.
inline std::vector<const rule_info*> rules_named(const std::vector<rule_info>& rules, std::string_view id) {
  std::vector<const rule_info*> out;
  for (const auto& r : rules)
    if (r.full_id == id) return {&r};
  if (id.empty()) return out;
  for (const auto& r : rules)
    if (r.full_id.size() > id.size() && r.full_id.ends_with(id) && r.full_id[r.full_id.size() - id.size() - 1] == '.')
      out.push_back(&r);
  return out;
}
// "the rule id 'x' is ambiguous: it names 'a.x' and 'b.x'".
inline std::string ambiguous_rule_text(std::string_view id, const std::vector<const rule_info*>& candidates) {
  std::string out = "the rule id '" + std::string(id) + "' is ambiguous: it names ";
  for (std::size_t i = 0; i < candidates.size(); ++i)
    out += (i == 0 ? "'" : i + 1 == candidates.size() ? " and '" : ", '") + candidates[i]->full_id + "'";
  return out;
}

// Rule text held in memory: `origin` names it in diagnostics; its extension (.jup, .yaml, .yml)
// selects the form, and a name without one is read as the DSL.
struct rule_source {
  std::string origin;
  std::string text;
};

struct compile_options {
  std::uint64_t max_file_bytes = 16ull * 1024 * 1024;
  std::uint32_t max_expression_depth = 200;
  std::uint64_t max_regex_bytes = 64 * 1024;  // length of a pattern written in a rule (`matches "…"`)
};

struct evaluate_options {
  std::optional<joinup::date> as_of;  // today() and the result's as-of date; default: the real date
  bool undetermined_fails = true;     // undetermined subjects count as failing
  std::vector<std::string> only;      // full rule ids to evaluate; empty = all
  std::vector<std::string> tags;      // evaluate rules with any of these tags; empty = all
  // Evaluation step budget; 0 = unlimited. A step is one expression node evaluated, or one list
  // element built or compared, or 64 bytes joined, scanned or matched (a regular expression's
  // match costs the text's length times the pattern's program size).
  std::uint64_t max_steps = 0;
  std::uint64_t max_regex_bytes = 64 * 1024;             // length of a pattern read from the data
  std::uint64_t max_string_bytes = 16ull * 1024 * 1024;  // length of a string built by join()
  // Memory one evaluation may use for the strings and lists it builds (the document itself is
  // not counted); 0 = unlimited.
  std::uint64_t max_memory_bytes = 256ull * 1024 * 1024;
  // Count how often each `when`, `where` and `require` held (rule_result::clauses), for test
  // coverage. The outcomes are the same; the evaluation is slower, and only evaluate() reports them.
  bool count_clauses = false;
};

// An immutable, compiled rule set. Copies share the compiled form; evaluate() is const and may be
// called from any number of threads at once.
class policy {
 public:
  policy() = default;

  // Compile rule texts; throws joinup::error with every diagnostic when any text has an error.
  static policy compile(const std::vector<rule_source>& sources, const compile_options& options = {});
  // Read rule files and directories (searched recursively for .jup, .yaml and .yml files, in
  // sorted order); throws joinup::error naming unreadable paths and every error of the texts.
  // A YAML file found in a directory that is not a rule file by its content (its top level has
  // none of a rule file's keys: a data or waivers file) is skipped; a file named in `paths` is
  // always read.
  static policy load(const std::vector<std::string>& paths, const compile_options& options = {});
  // The same, appending to `notes` a note (level note, code "not-a-rule-file", the file as its
  // origin) for each file skipped, whether or not the rules then load.
  static policy load(const std::vector<std::string>& paths, const compile_options& options,
                     std::vector<diagnostic>& notes);

  const std::vector<rule_info>& rules() const;
  const rule_info* find_rule(std::string_view full_id) const;

  // Evaluates every selected rule. Never throws for problems in the data (those are undetermined
  // subjects); throws joinup::error for bad options (an unknown rule id in `only`).
  evaluation_result evaluate(const document& doc, const evaluate_options& options = {}) const;
  // The same evaluation, deciding every outcome and which subjects fail but leaving the rendering
  // of each violation (message, path, positions, explanation) until it is asked for
  // (joinup/findings.hpp). The result shares this policy and the document, keeping them alive.
  findings find(const document& doc, const evaluate_options& options = {}) const;

  bool empty() const { return !impl_; }

 private:
  std::shared_ptr<const detail::policy_impl> impl_;
};

// The real current date (UTC).
joinup::date today();

// Checks rule texts against the JSON Schema of the data they are meant for (language.md,
// "Checking rules against the data's schema"): a string outside a field's enum, comparisons and
// arithmetic between types that never match, count/sum/quantifiers over what is never a list,
// sum/avg over what are never numbers (errors); paths the schema does not allow, or allows only
// in one branch of a oneOf (warnings). With `schema` null, each package is checked against the
// schema its files declare (`schema "PATH"`, relative to the rule file), and files that declare
// none are not checked. Returns the diagnostics sorted by file and position; never changes what
// an evaluation returns. Throws joinup::error when the rules do not compile, when a declared
// schema cannot be read, or when files of one package declare different schemas.
std::vector<diagnostic> type_check(const std::vector<rule_source>& sources, const document* schema = nullptr,
                                   const compile_options& options = {});

}  // namespace joinup
