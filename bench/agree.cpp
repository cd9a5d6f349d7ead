// Checks that joinup and the hand-written baseline report the same violations (the same
// elements) on the workload, for JSON and YAML input alike, through policy::evaluate (every
// violation rendered) and policy::find (none rendered), and that the 1,000-rule file compiles.
// The same for the general shapes of bench/shapes.jup, all six together and each alone.
// Usage: joinup_bench_agree [--sizes=100,1000]   Exit status 1 on any disagreement.
#include <iostream>

#include "baseline.hpp"
#include "common.hpp"
#include "joinup/joinup.hpp"

int main(int argc, char** argv) {
  using namespace joinup::bench;
  auto sizes = take_sizes(argc, argv);
  int bad = 0;
  try {
    const auto policy = joinup::policy::compile({{"workload.jup", workload_rules()}});
    const auto shapes = joinup::policy::compile({{"shapes.jup", shapes_rules()}});
    joinup::evaluate_options options;
    options.as_of = joinup::date::parse("2026-11-21");
    for (auto n : sizes) {
      const std::string json = workload_json(n), yaml = workload_yaml(n);
      simdjson::dom::parser parser;
      const findings base = baseline_check(parser.parse(json));
      const auto from_json = engine_findings(policy.evaluate(joinup::load_document(json, "w.json"), options));
      const auto from_yaml = engine_findings(policy.evaluate(joinup::load_document(yaml, "w.yaml"), options));
      const auto json_doc = joinup::load_document(json, "w.json");
      const auto found = engine_findings(policy.find(json_doc, options), policy, json_doc);
      const bool same = from_json == base && from_yaml == base && found == base;
      // Each check alone finds what it found among all eight.
      bool alone_same = true;
      for (int k = 1; k <= 8; ++k) {
        joinup::evaluate_options only = options;
        only.only = {"workload.r" + std::to_string(k)};
        const auto doc = joinup::load_document(json, "w.json");
        const auto expected = baseline_check(parser.parse(json), k);
        if (engine_findings(policy.evaluate(doc, only)) != expected) alone_same = false;
        if (engine_findings(policy.find(doc, only), policy, doc) != expected) alone_same = false;
      }
      std::cout << "N=" << n << ": " << base.total() << " violations; "
                << (same && alone_same ? "engine and baseline agree" : "DISAGREE") << "\n";
      if (!same || !alone_same) {
        ++bad;
        std::cout << "baseline:\n"
                  << describe(base) << "engine (JSON):\n"
                  << describe(from_json) << "engine (YAML):\n"
                  << describe(from_yaml) << "engine (find):\n"
                  << describe(found);
      }
      // The general shapes.
      const shape_findings shape_base = baseline_shapes(parser.parse(json));
      const auto shape_json = engine_shape_findings(shapes.evaluate(json_doc, options));
      const auto shape_yaml = engine_shape_findings(shapes.evaluate(joinup::load_document(yaml, "w.yaml"), options));
      const auto shape_found = engine_shape_findings(shapes.find(json_doc, options), shapes, json_doc);
      bool shapes_same = shape_json == shape_base && shape_yaml == shape_base && shape_found == shape_base;
      for (int k = 1; k <= 6; ++k) {
        joinup::evaluate_options only = options;
        only.only = {"shapes.s" + std::to_string(k)};
        const auto expected = baseline_shapes(parser.parse(json), k);
        if (engine_shape_findings(shapes.evaluate(json_doc, only)) != expected) shapes_same = false;
        if (engine_shape_findings(shapes.find(json_doc, only), shapes, json_doc) != expected) shapes_same = false;
      }
      std::cout << "N=" << n << ": " << shape_base.total() << " violations of the shapes; "
                << (shapes_same ? "engine and baseline agree" : "DISAGREE") << "\n";
      if (!shapes_same) {
        ++bad;
        std::cout << "baseline:\n"
                  << describe(shape_base) << "engine (JSON):\n"
                  << describe(shape_json) << "engine (YAML):\n"
                  << describe(shape_yaml) << "engine (find):\n"
                  << describe(shape_found);
      }
    }
    const auto many = joinup::policy::compile({{"generated.jup", generated_rules(1000)}});
    std::cout << "generated rule file: " << many.rules().size() << " rules compiled\n";
    if (many.rules().size() != 1000) ++bad;
  } catch (const joinup::error& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  return bad ? 1 : 0;
}
