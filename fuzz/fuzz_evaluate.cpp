// Evaluation: random rules over random documents. The input is rules, a line "%%%", then YAML
// data (or, without the line, split in half). Both must load for the evaluation to run.
//
// Differential: the evaluation runs first under a step budget, which turns every fast path off
// and renders every violation at once (the plain walk). When that completes, it runs again
// without a budget (filter kernels, fused counts, join indexes, path comparisons, violations
// rendered later) through policy::evaluate and through policy::find + result(), and once more
// under the budget counting each clause (evaluate_options::count_clauses, the walk `joinup test
// --coverage` takes); the four reports must be identical, byte for byte, or the target aborts
// (docs/architecture.md: proving a fast path equals the plain walk).
#include <cstdio>
#include <cstdlib>

#include "common.hpp"

#include "joinup/diagnostic.hpp"
#include "joinup/document.hpp"
#include "joinup/policy.hpp"
#include "joinup/report.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > joinup_fuzz::max_input) return 0;
  const auto [rules, text] = joinup_fuzz::split(data, size);
  try {
    const auto p = joinup::policy::compile({{"fuzz.jup", std::string(rules)}});
    const auto doc = joinup::load_document(text, "fuzz.yaml", joinup::data_format::yaml);
    joinup::evaluate_options options;
    options.as_of = joinup::date::from_ymd(2026, 1, 1);
    options.max_steps = joinup_fuzz::max_steps;
    const auto walked = joinup::to_json({p.evaluate(doc, options)}, p.rules());
    // The budget bounds the walk's work; the fast way does no more than the walk.
    joinup::evaluate_options fast = options;
    fast.max_steps = 0;
    const auto quick = joinup::to_json({p.evaluate(doc, fast)}, p.rules());
    const auto later = joinup::to_json({p.find(doc, fast).result()}, p.rules());
    // Counting each clause (test coverage) walks every element's filter: the same findings.
    joinup::evaluate_options counting = options;
    counting.count_clauses = true;
    const auto counted = joinup::to_json({p.evaluate(doc, counting)}, p.rules());
    if (walked != quick || quick != later || counted != walked) {
      std::fprintf(stderr,
                   "evaluations differ:\n--- walked\n%s\n--- fast\n%s\n--- rendered later\n%s\n--- counted\n%s\n",
                   walked.c_str(), quick.c_str(), later.c_str(), counted.c_str());
      std::abort();
    }
  } catch (const joinup::error&) {
  }
  return 0;
}
