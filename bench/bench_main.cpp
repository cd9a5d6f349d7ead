// The workload benchmark: joinup and the hand-written baseline side by side, per N.
//
//   joinup_bench [--sizes=100,1000] [--data-dir=DIR] [Google Benchmark flags]
//
// Per N: load/json (joinup, simdjson DOM), load/yaml (joinup, YAML::Load into a YAML::Node),
// eval/all and eval/rK (joinup, baseline) over a document already in memory: joinup's figure is
// policy::find, which decides every outcome and names every violating subject (its data node)
// and renders nothing, as the baseline collects indexes; eval/all/joinup-full is
// policy::evaluate, which also renders every violation's message, subject path, positions,
// explanation and remedy. An evaluator keeps, per thread, what it derived from the last program
// and document it evaluated (key ids, kernel terms); eval/all/joinup-first alternates between two
// loads of the same text, so that every evaluation is the first of its pair and derives them again.
// eval/shapes/all and eval/shapes/sK: the general shapes of bench/shapes.jup over the same
// document, joinup (policy::find) and their hand-written baseline side by side.
// Once: compile/workload (bench/workload.jup) and compile/generated-1000. Load benchmarks carry
// memory counters: `retained` (heap held by the loaded document once the text is gone), `peak`
// (during the load) and `per_json_byte` (retained / size of the JSON text); the allocation
// counting behind them is switched on only around those measurements, never in a timed loop.
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <iostream>
#include <new>

#include "baseline.hpp"
#include "common.hpp"
#include "joinup/joinup.hpp"

// ---------------------------------------------------------------- heap accounting

// Replacing the global allocation functions with malloc/free is what they are for; GCC's
// mismatched-new-delete check cannot tell a replacement from a caller.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace {
bool counting = false;
std::int64_t live = 0, peak = 0;

void* counted(void* p) {
  if (!p) throw std::bad_alloc();
  if (counting) {
    live += static_cast<std::int64_t>(malloc_usable_size(p));
    peak = std::max(peak, live);
  }
  return p;
}
void uncounted(void* p) noexcept {
  if (p && counting) live -= static_cast<std::int64_t>(malloc_usable_size(p));
  std::free(p);
}
void* aligned(std::size_t n, std::align_val_t a) {
  const auto al = static_cast<std::size_t>(a);
  return std::aligned_alloc(al, (n + al - 1) / al * al);
}
}  // namespace

void* operator new(std::size_t n) { return counted(std::malloc(n ? n : 1)); }
void* operator new[](std::size_t n) { return counted(std::malloc(n ? n : 1)); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  void* p = std::malloc(n ? n : 1);
  if (p && counting) counted(p);
  return p;
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return operator new(n, std::nothrow); }
void* operator new(std::size_t n, std::align_val_t a) { return counted(aligned(n, a)); }
void* operator new[](std::size_t n, std::align_val_t a) { return counted(aligned(n, a)); }
void operator delete(void* p) noexcept { uncounted(p); }
void operator delete[](void* p) noexcept { uncounted(p); }
void operator delete(void* p, std::size_t) noexcept { uncounted(p); }
void operator delete[](void* p, std::size_t) noexcept { uncounted(p); }
void operator delete(void* p, std::align_val_t) noexcept { uncounted(p); }
void operator delete[](void* p, std::align_val_t) noexcept { uncounted(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { uncounted(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { uncounted(p); }

namespace {

using namespace joinup::bench;

struct memory {
  double retained = 0, peak = 0;
};
// Heap held by what `load` returns (while it lives) and the peak while loading.
template <class F>
memory measure(F&& load) {
  live = peak = 0;
  counting = true;
  memory m;
  {
    auto held = load();
    m.retained = static_cast<double>(live);
    m.peak = static_cast<double>(peak);
    counting = false;
  }
  return m;
}

struct workload {
  std::uint32_t n;
  std::string json, yaml;
};

joinup::evaluate_options options_for(int which) {
  joinup::evaluate_options o;
  o.as_of = joinup::date::parse("2026-11-21");
  if (which) o.only = {"workload.r" + std::to_string(which)};
  return o;
}

void set_memory(benchmark::State& st, const memory& m, const workload& w) {
  st.counters["retained"] = m.retained;
  st.counters["peak"] = m.peak;
  st.counters["per_json_byte"] = m.retained / static_cast<double>(w.json.size());
}

// Times run(), which returns how many violations it found, and reports the last count.
template <class Run>
void timed(benchmark::State& st, Run&& run) {
  std::size_t violations = 0;
  for (auto _ : st) violations = run();
  st.counters["violations"] = static_cast<double>(violations);
}

void register_size(const workload& w) {
  const auto n = std::to_string(w.n);
  const auto* wp = &w;

  benchmark::RegisterBenchmark(("load/json/joinup/" + n).c_str(), [wp](benchmark::State& st) {
    for (auto _ : st) benchmark::DoNotOptimize(joinup::load_document(wp->json, "w.json"));
    set_memory(st, measure([&] { return joinup::load_document(wp->json, "w.json"); }), *wp);
    st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * wp->json.size()));
  })->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark(("load/json/baseline/" + n).c_str(), [wp](benchmark::State& st) {
    simdjson::dom::parser parser;  // reused, as simdjson is meant to be used
    for (auto _ : st) benchmark::DoNotOptimize(parser.parse(wp->json).value());
    set_memory(st, measure([&] {
                 auto p = std::make_unique<simdjson::dom::parser>();
                 (void)p->parse(wp->json).value();
                 return p;
               }),
               *wp);
    st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * wp->json.size()));
  })->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark(("load/yaml/joinup/" + n).c_str(), [wp](benchmark::State& st) {
    for (auto _ : st) benchmark::DoNotOptimize(joinup::load_document(wp->yaml, "w.yaml"));
    set_memory(st, measure([&] { return joinup::load_document(wp->yaml, "w.yaml"); }), *wp);
    st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * wp->yaml.size()));
  })->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark(("load/yaml/yaml-node/" + n).c_str(), [wp](benchmark::State& st) {
    for (auto _ : st) benchmark::DoNotOptimize(YAML::Load(wp->yaml));
    set_memory(st, measure([&] { return YAML::Load(wp->yaml); }), *wp);
    st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * wp->yaml.size()));
  })->Unit(benchmark::kMillisecond);

  for (int which = 0; which <= 8; ++which) {
    const std::string rule = which ? "r" + std::to_string(which) : "all";
    benchmark::RegisterBenchmark(("eval/" + rule + "/joinup/" + n).c_str(), [wp, which](benchmark::State& st) {
      const auto policy = joinup::policy::compile({{"workload.jup", workload_rules()}});
      const auto doc = joinup::load_document(wp->json, "w.json");
      const auto options = options_for(which);
      timed(st, [&] {
        auto found = policy.find(doc, options);
        benchmark::DoNotOptimize(found);
        return found.failures();
      });
    })->Unit(benchmark::kMicrosecond);
    if (which == 0)
      benchmark::RegisterBenchmark(("eval/all/joinup-first/" + n).c_str(), [wp](benchmark::State& st) {
        const auto policy = joinup::policy::compile({{"workload.jup", workload_rules()}});
        const joinup::document docs[2] = {joinup::load_document(wp->json, "w.json"),
                                          joinup::load_document(wp->json, "w.json")};
        const auto options = options_for(0);
        std::size_t turn = 0;
        timed(st, [&] {
          auto found = policy.find(docs[turn++ & 1], options);
          benchmark::DoNotOptimize(found);
          return found.failures();
        });
      })->Unit(benchmark::kMicrosecond);
    if (which == 0)
      benchmark::RegisterBenchmark(("eval/all/joinup-full/" + n).c_str(), [wp](benchmark::State& st) {
        const auto policy = joinup::policy::compile({{"workload.jup", workload_rules()}});
        const auto doc = joinup::load_document(wp->json, "w.json");
        const auto options = options_for(0);
        timed(st, [&] {
          auto r = policy.evaluate(doc, options);
          benchmark::DoNotOptimize(r);
          return r.summary().failing_subjects;
        });
      })->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("eval/" + rule + "/baseline/" + n).c_str(), [wp, which](benchmark::State& st) {
      simdjson::dom::parser parser;
      const simdjson::dom::element root = parser.parse(wp->json);
      timed(st, [&] {
        auto f = baseline_check(root, which);
        benchmark::DoNotOptimize(f);
        return f.total();
      });
    })->Unit(benchmark::kMicrosecond);
  }

  for (int which = 0; which <= 6; ++which) {
    const std::string rule = which ? "s" + std::to_string(which) : "all";
    benchmark::RegisterBenchmark(("eval/shapes/" + rule + "/joinup/" + n).c_str(), [wp, which](benchmark::State& st) {
      const auto policy = joinup::policy::compile({{"shapes.jup", shapes_rules()}});
      const auto doc = joinup::load_document(wp->json, "w.json");
      auto options = options_for(0);
      if (which) options.only = {"shapes.s" + std::to_string(which)};
      timed(st, [&] {
        auto found = policy.find(doc, options);
        benchmark::DoNotOptimize(found);
        return found.failures();
      });
    })->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("eval/shapes/" + rule + "/baseline/" + n).c_str(), [wp, which](benchmark::State& st) {
      simdjson::dom::parser parser;
      const simdjson::dom::element root = parser.parse(wp->json);
      timed(st, [&] {
        auto f = baseline_shapes(root, which);
        benchmark::DoNotOptimize(f);
        return f.total();
      });
    })->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const auto sizes = take_sizes(argc, argv);
  std::filesystem::path dir = "bench-data";
  int out = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind("--data-dir=", 0) == 0)
      dir = a.substr(11);
    else
      argv[out++] = argv[i];
  }
  argc = out;

  static std::vector<workload> loads;
  loads.reserve(sizes.size());
  for (auto n : sizes) {
    const auto files = ensure_workload(dir, n);
    loads.push_back({n, read_file(files.json), read_file(files.yaml)});
  }

  const std::string rules = workload_rules();
  benchmark::RegisterBenchmark("compile/workload", [rules](benchmark::State& st) {
    for (auto _ : st) benchmark::DoNotOptimize(joinup::policy::compile({{"workload.jup", rules}}));
  })->Unit(benchmark::kMillisecond);
  const std::string generated = generated_rules(1000);
  benchmark::RegisterBenchmark("compile/generated-1000", [generated](benchmark::State& st) {
    for (auto _ : st) benchmark::DoNotOptimize(joinup::policy::compile({{"generated.jup", generated}}));
    st.counters["rules"] = 1000;
  })->Unit(benchmark::kMillisecond);
  for (const auto& w : loads) register_size(w);

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
