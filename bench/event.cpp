// The per-event path of a host: an HR or case-management system checks each vacancy or leaver as
// it happens, a new small document every time against the same compiled standard pack. Times the
// whole path per event (parse the ~400-byte JSON event, evaluate, free), through the C++ API and
// the C ABI, lazy (outcomes only) and rendered (every finding's text), the whole pack and one
// rule, as Google Benchmark programs (one event per iteration).
//
// Usage: joinup_bench_event [--rule=ID] [--benchmark_...]      the benchmarks
//        joinup_bench_event --only=NAME [--events=N] [--rule=ID] one variant, for callgrind
// --rule: the rule of the one-rule variants (default: the senior-leaver rule).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "common.hpp"
#include "joinup.h"
#include "joinup/joinup.hpp"

namespace {

const char* const one_rule = "integration.workforce.senior-leaver-replacement";

struct variant {
  const char* name;
  const char* what;
  std::function<void()> run;  // one event
};

std::size_t sink = 0;  // keeps the work observable

// The events of one --only run, apart so that callgrind can count them alone
// (--toggle-collect='*joinup_bench_event_work*').
[[gnu::noinline]] void joinup_bench_event_work(const variant& v, int events) {
  for (int i = 0; i < events; ++i) v.run();
}

}  // namespace

int main(int argc, char** argv) {
  int events = 2000;
  std::string only, rule = one_rule;
  std::vector<char*> rest = {argv[0]};  // for Google Benchmark
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind("--events=", 0) == 0)
      events = std::atoi(a.c_str() + 9);
    else if (a.rfind("--only=", 0) == 0)
      only = a.substr(7);
    else if (a.rfind("--rule=", 0) == 0)
      rule = a.substr(7);
    else
      rest.push_back(argv[i]);
  }
  const std::string rules_dir = JOINUP_BENCH_DIR "/../rules";
  const std::string event = joinup::bench::read_file(JOINUP_BENCH_DIR "/event.json");
  const auto policy = joinup::policy::load({rules_dir});
  joinup::evaluate_options all, single;
  all.as_of = single.as_of = joinup::date::parse("2026-11-21");
  single.only = {rule};

  joinup_policy* cpolicy = nullptr;
  const char* paths[] = {rules_dir.c_str()};
  if (joinup_policy_load(paths, 1, nullptr, &cpolicy, nullptr) != JOINUP_OK) return 1;
  joinup_evaluate_options call, csingle;
  joinup_evaluate_options_init(&call);
  joinup_evaluate_options_init(&csingle);
  call.as_of = csingle.as_of = "2026-11-21";
  const char* only_ids[] = {rule.c_str()};
  csingle.only = only_ids;
  csingle.only_count = 1;

  auto cpp_load = [&] { return joinup::load_document(event, "event.json", joinup::data_format::json); };
  auto c_event = [&](const joinup_evaluate_options* o, bool render) {
    joinup_document* d = nullptr;
    joinup_result* r = nullptr;
    int fails = 0;
    if (joinup_document_parse(event.data(), event.size(), "event.json", JOINUP_FORMAT_JSON, nullptr, &d, nullptr) ||
        joinup_policy_evaluate(cpolicy, d, o, &r, nullptr) || joinup_result_fails(r, JOINUP_SEVERITY_ERROR, &fails))
      std::abort();
    sink += static_cast<std::size_t>(fails);
    if (render) {
      std::size_t n = 0;
      joinup_result_violation_count(r, &n);
      for (std::size_t i = 0; i < n; ++i) {
        const joinup_violation* v = nullptr;
        joinup_result_violation(r, i, &v);
        sink += std::strlen(v->message);
      }
    }
    joinup_result_free(r);
    joinup_document_free(d);
  };

  const std::vector<variant> variants = {
      {"cpp-load", "C++  load_document (JSON) only", [&] { sink += cpp_load().node_count(); }},
      {"cpp-find", "C++  load + policy.find, whole pack (lazy)",
       [&] { sink += policy.find(cpp_load(), all).fails_at(joinup::severity::error); }},
      {"cpp-evaluate", "C++  load + policy.evaluate, whole pack (rendered)",
       [&] { sink += policy.evaluate(cpp_load(), all).rules.size(); }},
      {"cpp-find-one", "C++  load + policy.find, one rule (lazy)",
       [&] { sink += policy.find(cpp_load(), single).fails_at(joinup::severity::error); }},
      {"cpp-evaluate-one", "C++  load + policy.evaluate, one rule (rendered)",
       [&] { sink += policy.evaluate(cpp_load(), single).rules.size(); }},
      {"c-lazy", "C    parse + evaluate + fails + free, whole pack (lazy)", [&] { c_event(&call, false); }},
      {"c-rendered", "C    the same, every finding rendered", [&] { c_event(&call, true); }},
      {"c-lazy-one", "C    parse + evaluate + fails + free, one rule (lazy)", [&] { c_event(&csingle, false); }},
      {"c-rendered-one", "C    the same, one rule, findings rendered", [&] { c_event(&csingle, true); }},
  };

  if (!only.empty()) {
    for (const auto& v : variants)
      if (only == v.name) {
        joinup_bench_event_work(v, events);
        std::printf("%s: %d events (%zu)\n", v.name, events, sink);
        joinup_policy_free(cpolicy);
        return 0;
      }
    std::fprintf(stderr, "joinup_bench_event: no variant '%s'\n", only.c_str());
    return 2;
  }

  std::printf("event: %zu bytes of JSON; standard pack: %zu rules; one event per iteration\n", event.size(),
              policy.rules().size());
  for (const auto& v : variants) std::printf("  %-18s %s\n", v.name, v.what);
  for (const auto& v : variants)
    benchmark::RegisterBenchmark(v.name, [&v](benchmark::State& state) {
      for (auto _ : state) v.run();
    })->Unit(benchmark::kMicrosecond);
  int rest_count = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_count, rest.data());
  if (benchmark::ReportUnrecognizedArguments(rest_count, rest.data())) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  joinup_policy_free(cpolicy);
  return sink == 42 ? 3 : 0;  // never: only so that the work is not optimised away
}
