// Running rule text over YAML text in one call, for the tests of the checker and the evaluator.
#pragma once

#include <string>
#include <vector>

#include "fixed_date.hpp"
#include "joinup/joinup.hpp"

namespace joinup_test {

using namespace joinup;

inline evaluation_result run(const std::string& rules, const std::string& yaml, evaluate_options o = fixed_date()) {
  auto p = policy::compile({{"t.jup", rules}});
  auto doc = load_document(yaml, "d.yaml");
  return p.evaluate(doc, o);
}

// The outcome of the single rule in a one-rule set.
inline outcome outcome_of(const std::string& rules, const std::string& yaml) {
  auto r = run(rules, yaml);
  REQUIRE(r.rules.size() == 1);
  return r.rules[0].result;
}

// Evaluates `expr` as the require of a root rule over `yaml` (which declares `d`).
inline outcome expr_outcome(const std::string& expr, const std::string& yaml = "d: {}") {
  return outcome_of("uses d\nrule r {\n  require " + expr + "\n}\n", yaml);
}

// The diagnostics of compiling `rules` as "line:column message | help", none when it compiles.
inline std::vector<std::string> diagnostics_of(const std::string& rules) {
  try {
    policy::compile({{"bad.jup", rules}});
  } catch (const error& e) {
    std::vector<std::string> out;
    for (const auto& d : e.diagnostics())
      out.push_back(std::to_string(d.line) + ":" + std::to_string(d.column) + " " + d.message +
                    (d.help.empty() ? "" : " | " + d.help));
    return out;
  }
  return {};
}

}  // namespace joinup_test
