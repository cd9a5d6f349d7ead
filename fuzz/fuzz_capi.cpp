// The C ABI: compile, parse, evaluate, read every finding, the JSON and text reports, and free,
// as a host would. Input as for fuzz_evaluate (rules, "%%%", data); the first byte picks the
// data format and whether undetermined subjects fail.
#include "common.hpp"

#include "joinup.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > joinup_fuzz::max_input) return 0;
  const std::uint8_t mode = data[0];
  const auto [rules, text] = joinup_fuzz::split(data + 1, size - 1);

  joinup_policy* policy = nullptr;
  joinup_error* error = nullptr;
  if (joinup_policy_compile("fuzz.jup", rules.data(), rules.size(), nullptr, &policy, &error) != JOINUP_OK) {
    (void)joinup_error_text(error);
    size_t n = 0;
    if (joinup_error_diagnostic_count(error, &n) == JOINUP_OK && n == 0) std::abort();
    joinup_error_free(error);
    return 0;
  }
  size_t rule_count = 0;
  joinup_policy_rule_count(policy, &rule_count);
  for (size_t i = 0; i < rule_count; ++i) {
    const joinup_rule* rule = nullptr;
    if (joinup_policy_rule(policy, i, &rule) != JOINUP_OK) std::abort();
    const joinup_rule* found = nullptr;
    if (joinup_policy_find_rule(policy, rule->id, &found) != JOINUP_OK || found != rule) std::abort();
  }

  joinup_document* document = nullptr;
  const auto format = static_cast<joinup_format>(mode % 3);
  if (joinup_document_parse(text.data(), text.size(), "fuzz.yaml", format, nullptr, &document, &error) != JOINUP_OK) {
    (void)joinup_error_message(error);
    (void)joinup_error_line(error);
    joinup_error_free(error);
    joinup_policy_free(policy);
    return 0;
  }
  joinup_evaluate_options options;
  joinup_evaluate_options_init(&options);
  options.as_of = "2026-01-01";
  options.undetermined_fails = (mode >> 2) & 1;
  options.max_steps = joinup_fuzz::max_steps;
  joinup_result* result = nullptr;
  if (joinup_policy_evaluate(policy, document, &options, &result, &error) == JOINUP_OK) {
    size_t n = 0;
    joinup_result_violation_count(result, &n);
    for (size_t i = 0; i < n; ++i) {
      const joinup_violation* v = nullptr;
      if (joinup_result_violation(result, i, &v) != JOINUP_OK) std::abort();
    }
    const char* s = nullptr;
    joinup_result_json(result, &s);
    joinup_result_text(result, &s);
    int fails = 0;
    joinup_result_fails(result, JOINUP_SEVERITY_WARNING, &fails);
    joinup_result_free(result);
  } else {
    joinup_error_free(error);
  }
  joinup_document_free(document);
  joinup_policy_free(policy);
  return 0;
}
