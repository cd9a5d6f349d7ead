// Out of memory through the C++ API and the C ABI (docs/security.md). This program replaces the
// global operator new with one that fails its Nth call (std::bad_alloc) once armed, and runs each
// call again and again with N = 1, 2, 3, ... until a run makes fewer than N allocations: so every
// allocation the call makes fails in turn, on its own. For each run:
//   - C++ (policy::compile, load_document, policy::evaluate, load_waivers, the text report): the
//     call either succeeds with the same answer as without failures, or throws std::bad_alloc;
//     never another exception, a crash, or a changed answer;
//   - C ABI (joinup_policy_compile, joinup_document_parse, joinup_policy_evaluate,
//     joinup_waivers_parse, joinup_result_report): the call returns JOINUP_OK with the same answer,
//     or JOINUP_NO_MEMORY whose error says "out of memory while" what it was doing; never
//     JOINUP_ERROR (an internal error) or another status.
// Usage: out_of_memory SOURCE_DIR. Run without sanitizers' allocators only where they allow
// replacing operator new (they do: the program's definitions win).
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <new>
#include <string>

#include "joinup.h"
#include "joinup/joinup.hpp"

namespace {

std::atomic<bool> armed{false};
std::atomic<std::size_t> calls{0}, fail_at{0};

void* allocate(std::size_t n) {
  if (armed.load(std::memory_order_relaxed) && ++calls == fail_at.load(std::memory_order_relaxed))
    throw std::bad_alloc();
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}

}  // namespace

void* operator new(std::size_t n) { return allocate(n); }
void* operator new[](std::size_t n) { return allocate(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace {

int failures = 0;

enum class outcome { ok, out_of_memory, broken };

// Runs `call` with each of its allocations failing in turn; then once more without failures,
// which must succeed. `call` returns what became of it (and prints why when broken).
template <class F>
void sweep(const char* name, F&& call) {
  std::size_t n = 1, reported = 0;
  for (;; ++n) {
    calls = 0;
    fail_at = n;
    armed = true;
    const outcome o = call();
    armed = false;
    if (o == outcome::broken) {
      std::printf("FAIL %s: with allocation %zu failing (above)\n", name, n);
      ++failures;
      return;
    }
    if (calls < n) {  // the run made fewer than n allocations: none failed
      if (o != outcome::ok) {
        std::printf("FAIL %s: out of memory reported when no allocation failed\n", name);
        ++failures;
        return;
      }
      break;
    }
    reported += o == outcome::out_of_memory;
  }
  std::printf(
      "ok   %s: each of %zu allocations failed in turn: %zu runs reported out of memory, %zu recovered "
      "with the same answer\n",
      name, n - 1, reported, n - 1 - reported);
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A C ABI refusal for want of memory: JOINUP_NO_MEMORY, and an error (when one could be made)
// saying what ran out while doing what.
outcome c_status(joinup_status s, joinup_error* e, const std::string& stage) {
  std::string message = e ? joinup_error_message(e) : "";
  joinup_error_free(e);
  if (s == JOINUP_NO_MEMORY && (!e || message.rfind("out of memory while " + stage, 0) == 0))
    return outcome::out_of_memory;
  std::printf("  status %d (%s), message \"%s\"; expected JOINUP_NO_MEMORY and \"out of memory while %s...\"\n",
              static_cast<int>(s), joinup_status_text(s), message.c_str(), stage.c_str());
  return outcome::broken;
}

template <class F>
outcome cxx(F&& body) {
  try {
    return body() ? outcome::ok : outcome::broken;
  } catch (const std::bad_alloc&) {
    return outcome::out_of_memory;
  } catch (const std::exception& e) {
    std::printf("  threw %s instead of std::bad_alloc\n", e.what());
    return outcome::broken;
  } catch (...) {
    std::printf("  threw something other than std::bad_alloc\n");
    return outcome::broken;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: out_of_memory SOURCE_DIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  const std::string rules = read(dir + "/examples/quickstart/rules.jup");
  const std::string data = read(dir + "/examples/quickstart/partnership.yaml");
  const std::string waivers_text = read(dir + "/examples/partnerships/northvale-waivers.yaml");
  if (rules.empty() || data.empty() || waivers_text.empty()) {
    std::fprintf(stderr, "out_of_memory: cannot read the examples under %s\n", dir.c_str());
    return 2;
  }

  // --- C++ ----------------------------------------------------------------------------------------
  const auto policy = joinup::policy::compile({{"rules.jup", rules}});
  const auto doc = joinup::load_document(data, "partnership.yaml");
  joinup::evaluate_options eo;
  eo.as_of = joinup::date::from_ymd(2026, 11, 21);
  const auto expected = policy.evaluate(doc, eo);
  joinup::check_results run;
  run.files = {expected};
  const std::string expected_text = joinup::to_text(run, policy.rules());
  const auto expected_waivers = joinup::load_waivers(waivers_text, "waivers.yaml").size();

  sweep("C++ policy::compile", [&] {
    return cxx([&] { return joinup::policy::compile({{"rules.jup", rules}}).rules().size() == policy.rules().size(); });
  });
  sweep("C++ load_document", [&] {
    return cxx([&] { return joinup::load_document(data, "partnership.yaml").node_count() == doc.node_count(); });
  });
  sweep("C++ policy::evaluate", [&] {
    return cxx([&] {
      const auto r = policy.evaluate(doc, eo);
      joinup::check_results again;
      again.files = {r};
      return joinup::to_text(again, policy.rules()) == expected_text;
    });
  });
  sweep("C++ load_waivers", [&] {
    return cxx([&] { return joinup::load_waivers(waivers_text, "waivers.yaml").size() == expected_waivers; });
  });
  sweep("C++ to_text", [&] { return cxx([&] { return joinup::to_text(run, policy.rules()) == expected_text; }); });

  // --- C ABI ---------------------------------------------------------------------------------------
  joinup_policy* cp = nullptr;
  joinup_document* cd = nullptr;
  if (joinup_policy_compile("rules.jup", rules.data(), rules.size(), nullptr, &cp, nullptr) != JOINUP_OK ||
      joinup_document_parse(data.data(), data.size(), "partnership.yaml", JOINUP_FORMAT_AUTO, nullptr, &cd, nullptr) !=
          JOINUP_OK) {
    std::fprintf(stderr, "out_of_memory: the examples do not load through the C ABI\n");
    return 2;
  }
  joinup_evaluate_options ceo;
  joinup_evaluate_options_init(&ceo);
  ceo.as_of = "2026-11-21";
  joinup_result* cr = nullptr;
  if (joinup_policy_evaluate(cp, cd, &ceo, &cr, nullptr) != JOINUP_OK) return 2;
  const joinup_summary* cs = nullptr;
  joinup_result_summary(cr, &cs);
  const std::uint32_t expected_findings = cs->findings;
  const char* report = nullptr;
  if (joinup_result_report(cr, "text", &report) != JOINUP_OK) return 2;
  const std::string expected_report = report;

  sweep("C joinup_policy_compile", [&] {
    joinup_policy* p = nullptr;
    joinup_error* e = nullptr;
    const auto s = joinup_policy_compile("rules.jup", rules.data(), rules.size(), nullptr, &p, &e);
    if (s == JOINUP_OK) return joinup_policy_free(p), outcome::ok;
    return c_status(s, e, "compiling the rules of 'rules.jup'");
  });
  sweep("C joinup_document_parse", [&] {
    joinup_document* d = nullptr;
    joinup_error* e = nullptr;
    const auto s =
        joinup_document_parse(data.data(), data.size(), "partnership.yaml", JOINUP_FORMAT_AUTO, nullptr, &d, &e);
    if (s == JOINUP_OK) return joinup_document_free(d), outcome::ok;
    return c_status(s, e, "reading data 'partnership.yaml'");
  });
  sweep("C joinup_policy_evaluate", [&] {
    joinup_result* r = nullptr;
    joinup_error* e = nullptr;
    const auto s = joinup_policy_evaluate(cp, cd, &ceo, &r, &e);
    if (s != JOINUP_OK) return c_status(s, e, "evaluating the rules against 'partnership.yaml'");
    const joinup_summary* sum = nullptr;
    const bool same = joinup_result_summary(r, &sum) == JOINUP_OK && sum->findings == expected_findings;
    joinup_result_free(r);
    if (!same) std::printf("  a different number of findings\n");
    return same ? outcome::ok : outcome::broken;
  });
  sweep("C joinup_waivers_parse", [&] {
    joinup_waivers* w = nullptr;
    joinup_error* e = nullptr;
    const auto s = joinup_waivers_parse(waivers_text.data(), waivers_text.size(), "waivers.yaml", &w, &e);
    if (s == JOINUP_OK) return joinup_waivers_free(w), outcome::ok;
    return c_status(s, e, "reading waivers 'waivers.yaml'");
  });
  // A report is made once per result and kept: a fresh result for each run.
  sweep("C joinup_result_report", [&] {
    armed = false;
    joinup_result* r = nullptr;
    if (joinup_policy_evaluate(cp, cd, &ceo, &r, nullptr) != JOINUP_OK) return outcome::broken;
    armed = true;
    const char* text = nullptr;
    const auto s = joinup_result_report(r, "text", &text);
    armed = false;
    const bool same = s == JOINUP_OK && text == expected_report;
    joinup_result_free(r);
    if (s == JOINUP_NO_MEMORY) return outcome::out_of_memory;  // no error object: the status alone
    if (!same) std::printf("  status %d, or a different report\n", static_cast<int>(s));
    return same ? outcome::ok : outcome::broken;
  });
  joinup_result_free(cr);
  joinup_document_free(cd);
  joinup_policy_free(cp);

  std::printf(failures ? "out of memory: %d calls broke a promise\n" : "out of memory: every call kept its promises\n",
              failures);
  return failures ? 1 : 0;
}
