// Evaluation of a plan over one document: subjects, outcomes, violations, explanations.
// One evaluator per call; the program and the document are only read.
#pragma once

#include "joinup/findings.hpp"
#include "joinup/policy.hpp"
#include "joinup/result.hpp"
#include "plan/plan.hpp"
#include "value/value.hpp"

namespace joinup::eval {

// What find() returns: the public outcomes and violation references, and what rendering a
// violation later needs. A failing subject whose `for each` elements are all document values or
// plain scalars is kept as those elements (one value per `for each` element and per key of
// `for each k, v`, in the order of the rule's steps) and rendered on demand by binding them again,
// evaluating the rule's `let`s again in order (they depend only on what comes before them and the
// document) and re-running the failing require. A subject a require leaves undetermined is kept
// the same way. Any other violation (undetermined by a `when`, `for each` or `where`, subjects
// that are computed values, every violation under a step budget) is rendered at once.
struct found {
  found() = default;
  found(const found&) = default;
  found(found&&) noexcept = default;
  found& operator=(const found&) = default;
  found& operator=(found&&) noexcept = default;
  // Gives the room of its lists to the next find() on this thread (keep_room).
  ~found();
  struct pending {
    std::uint32_t rule_index = 0;     // into program.rules
    std::uint32_t require = 0;        // into that rule's requires
    std::uint32_t first_binding = 0;  // into bindings
    // Into eager when rendered at once; when kept, how the require judged the subject.
    static constexpr std::int32_t kept_fail = -1, kept_undetermined = -2;
    std::int32_t eager = kept_fail;
  };
  std::vector<findings::rule_outcome> rules;
  std::vector<findings::violation_ref> violations;
  std::vector<pending> pendings;  // parallel to violations
  std::vector<value> bindings;
  std::vector<violation> eager;
  date as_of;
  bool undetermined_fails = true;
};

// Keeps the room of a finished evaluation's lists for the next find() on this thread, when they
// are not large (a host evaluating one small event after another allocates them once); the
// lists are left empty. Any list may be given, the others empty.
void keep_room(std::vector<findings::rule_outcome>& rules, std::vector<findings::violation_ref>& violations,
               std::vector<found::pending>& pendings, std::vector<value>& bindings);

// Decides the outcome of the selected rules (indexes into program.rules, in order), rendering
// only what cannot wait.
found find(const plan::program& program, const document& doc, const std::vector<std::uint32_t>& rules,
           const evaluate_options& options);
// Violation i of what find() returned (with the same program, document and options), in full.
violation render(const plan::program& program, const document& doc, const evaluate_options& options, const found& f,
                 std::size_t i);
// Every violation in full, as evaluate() returns them; `rules` are f's rule outcomes (findings
// takes them out of f).
evaluation_result render_all(const plan::program& program, const document& doc, const evaluate_options& options,
                             const found& f, const std::vector<findings::rule_outcome>& rules);

// Evaluates the selected rules (indexes into program.rules, in order).
// The name a document gives itself, for a reader's heading (evaluation_result::title): the text
// under `name` at its root, or under its root's only key (`partnership.name`); "" when none.
std::string document_title(const document& doc);

evaluation_result evaluate(const plan::program& program, const document& doc, const std::vector<std::uint32_t>& rules,
                           const evaluate_options& options);

// Rendering of values, shared with reports: in messages strings print bare; in explanations quoted;
// both show at most diag::quote_window bytes of a string. `whole` (join()) prints strings bare and whole.
enum class render_style : std::uint8_t { message, explanation, whole };

}  // namespace joinup::eval
