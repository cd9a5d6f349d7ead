// Evaluation: random rules over random documents. The input is rules, a line "%%%", then YAML
// data (or, without the line, split in half). Both must load for the evaluation to run.
#include "common.hpp"

#include "joinup/diagnostic.hpp"
#include "joinup/document.hpp"
#include "joinup/policy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > joinup_fuzz::max_input) return 0;
  const auto [rules, text] = joinup_fuzz::split(data, size);
  try {
    const auto p = joinup::policy::compile({{"fuzz.jup", std::string(rules)}});
    const auto doc = joinup::load_document(text, "fuzz.yaml", joinup::data_format::yaml);
    joinup::evaluate_options options;
    options.as_of = joinup::date::from_ymd(2026, 1, 1);
    options.max_steps = joinup_fuzz::max_steps;
    const auto result = p.evaluate(doc, options);
    (void)result;
  } catch (const joinup::error&) {
  }
  return 0;
}
