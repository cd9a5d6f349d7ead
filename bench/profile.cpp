// A driver for profiling one piece of the workload under valgrind --tool=callgrind (instruction
// counts are steady on a noisy machine where times are not):
//   joinup_bench_profile WHAT N REPS     WHAT: load-json, load-yaml, eval, eval-rK (K = 1..8),
//                                              find, find-rK, baseline-load, baseline-eval,
//                                              baseline-eval-rK, shapes, shapes-sK (K = 1..6),
//                                              baseline-shapes, baseline-shapes-sK
// (eval: policy::evaluate, every violation rendered; find and shapes: policy::find, none rendered;
// shapes: the rules of bench/shapes.jup)
// Run with --toggle-collect='*joinup_bench_profile_work*' (the leading * because the function is in an unnamed
// namespace) to count only the repeated part.
#include <iostream>

#include "baseline.hpp"
#include "common.hpp"
#include "joinup/joinup.hpp"

namespace {

std::size_t sink = 0;

// Everything worth profiling happens below this function (named for --toggle-collect).
__attribute__((noinline)) void joinup_bench_profile_work(const std::string& what, const std::string& json,
                                                         const std::string& yaml, const joinup::policy& policy,
                                                         const joinup::policy& shapes, const joinup::document& doc,
                                                         simdjson::dom::element root, int reps) {
  joinup::evaluate_options options;
  options.as_of = joinup::date::parse("2026-11-21");
  if (what.rfind("eval-r", 0) == 0 || what.rfind("find-r", 0) == 0) options.only = {"workload." + what.substr(5)};
  if (what.rfind("shapes-s", 0) == 0) options.only = {"shapes." + what.substr(7)};
  for (int i = 0; i < reps; ++i) {
    if (what == "load-json") {
      sink += joinup::load_document(json, "w.json").node_count();
    } else if (what == "load-yaml") {
      sink += joinup::load_document(yaml, "w.yaml").node_count();
    } else if (what.rfind("eval", 0) == 0) {
      sink += policy.evaluate(doc, options).summary().failing_subjects;
    } else if (what.rfind("shapes", 0) == 0) {
      sink += shapes.find(doc, options).failures();
    } else if (what.rfind("baseline-shapes", 0) == 0) {
      const int which = what.size() > 17 ? std::stoi(what.substr(17)) : 0;  // baseline-shapes-sK
      sink += joinup::bench::baseline_shapes(root, which).total();
    } else if (what.rfind("find", 0) == 0) {
      sink += policy.find(doc, options).failures();
    } else if (what == "baseline-load") {
      simdjson::dom::parser parser;
      sink += parser.parse(json).is_object();
    } else if (what.rfind("baseline-eval", 0) == 0) {
      const int which = what.size() > 15 ? std::stoi(what.substr(15)) : 0;  // baseline-eval-rK
      sink += joinup::bench::baseline_check(root, which).total();
    } else if (what == "compile") {
      sink += joinup::policy::compile({{"generated.jup", joinup::bench::generated_rules(1000)}}).rules().size();
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace joinup::bench;
  if (argc != 4) {
    std::cerr << "usage: joinup_bench_profile WHAT N REPS\n";
    return 2;
  }
  const std::string what = argv[1];
  const auto n = static_cast<std::uint32_t>(std::stoul(argv[2]));
  const int reps = std::stoi(argv[3]);
  const std::string json = workload_json(n), yaml = workload_yaml(n);
  const auto policy = joinup::policy::compile({{"workload.jup", workload_rules()}});
  const auto shapes = joinup::policy::compile({{"shapes.jup", shapes_rules()}});
  const auto doc = joinup::load_document(json, "w.json");
  simdjson::dom::parser parser;
  const simdjson::dom::element root = parser.parse(json);
  joinup_bench_profile_work(what, json, yaml, policy, shapes, doc, root, reps);
  std::cout << sink << "\n";
  return 0;
}
