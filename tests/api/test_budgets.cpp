// The step and memory budgets bound what one evaluation costs (docs/security.md, "Evaluation"):
// work is charged in proportion to what is built, compared, joined and matched, and what an
// evaluation builds is bounded by max_memory_bytes. The hostile inputs are generated here.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "fixed_date.hpp"
#include "joinup/joinup.hpp"

using namespace joinup;

namespace {

// The first diagnostic of the error `f` throws, as "code message"; "" when it does not throw.
template <class F>
std::string first_error(F f) {
  try {
    f();
  } catch (const error& e) {
    REQUIRE(!e.diagnostics().empty());
    return e.diagnostics()[0].code + " " + e.diagnostics()[0].message;
  }
  return "";
}

// Seconds f takes.
template <class F>
double seconds(F f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// "d: {s: <bytes of text>, idx: [0, 1, ..., n-1]}"
document big_string_doc(std::size_t bytes, std::size_t n) {
  std::string yaml = "d:\n  s: \"";
  for (std::size_t i = 0; i < bytes; ++i) yaml += i % 2 ? 'b' : 'a';
  yaml += "\"\n  idx: [";
  for (std::size_t i = 0; i < n; ++i) yaml += (i ? ", " : "") + std::to_string(i);
  yaml += "]\n";
  return load_document(yaml, "big.yaml");
}

}  // namespace

TEST_CASE("budgets: 1,000 join()s of a big string stop at the memory budget, and at the step budget") {
  // Each join() builds 2 MiB (under max_string_bytes); 1,000 of them would hold 2 GB.
  const auto p =
      policy::compile({{"j.jup", "uses d\nrule joins { require count([join([d.s, d.s], \"\") for i in d.idx]) > 0 }"}});
  const auto doc = big_string_doc(1 << 20, 1000);
  evaluate_options o = fixed_date();
  o.max_memory_bytes = 64ull << 20;
  std::string message;
  const double t = seconds([&] { message = first_error([&] { p.evaluate(doc, o); }); });
  CHECK(message ==
        "memory-limit evaluation stopped in rule j.joins: the memory budget of 67108864 bytes (max_memory_bytes) "
        "was used up by the strings and lists it built");
  CHECK(t < 10);
  // Bytes joined count as steps: 20,000 steps do not pay for one 2 MiB join().
  o.max_memory_bytes = 0;
  o.max_steps = 20000;
  CHECK(first_error([&] { p.evaluate(doc, o); }) ==
        "step-limit evaluation stopped in rule j.joins: the step budget of 20000 was used up");
  // A few joins fit both budgets.
  const auto few = big_string_doc(1 << 10, 3);
  o.max_memory_bytes = 64ull << 20;
  o.max_steps = 20000;
  CHECK(p.evaluate(few, o).rules[0].result == outcome::pass);
}

TEST_CASE("budgets: a chain of lets doubling a list 60 times ends at max_steps 1000") {
  std::string rules = "uses d\nrule doubling {\n  let v1 = [d.x]\n";
  for (int i = 2; i <= 60; ++i)
    rules += "  let v" + std::to_string(i) + " = [v" + std::to_string(i - 1) + ", v" + std::to_string(i - 1) + "]\n";
  const auto doc = load_document("d: {x: 1}", "d.yaml");
  evaluate_options o = fixed_date();
  o.max_steps = 1000;
  for (const char* require : {"v60 == [v59, v59]", "v60 in [v60]", "count(flatten(v60)) == 2", "v60 != [1]"}) {
    INFO(require);
    const auto p = policy::compile({{"c.jup", rules + "  require " + require + "\n}\n"}});
    std::string message;
    const double t = seconds([&] { message = first_error([&] { p.evaluate(doc, o); }); });
    CHECK(t < 5);
    // Each either decides within the budget or stops at it; none runs on.
    if (!message.empty())
      CHECK(message == "step-limit evaluation stopped in rule c.doubling: the step budget of 1000 was used up");
  }
  // Comparing the doubled lists element by element is what costs: it stops at the budget.
  const auto p = policy::compile({{"c.jup", rules + "  require v60 == [v59, v59]\n}\n"}});
  CHECK(first_error([&] { p.evaluate(doc, o); }) ==
        "step-limit evaluation stopped in rule c.doubling: the step budget of 1000 was used up");
}

TEST_CASE("budgets: a costly regular expression on a 4 MB string stops at a small step budget before it runs") {
  const auto p =
      policy::compile({{"m.jup", "uses d\nrule pattern { require not (d.s matches \"[ab]*a[ab]{1000}c\") }"}});
  const auto doc = big_string_doc(4 << 20, 1);
  evaluate_options o = fixed_date();
  o.max_steps = 1000;
  std::string message;
  const double t = seconds([&] { message = first_error([&] { p.evaluate(doc, o); }); });
  CHECK(message == "step-limit evaluation stopped in rule m.pattern: the step budget of 1000 was used up");
  CHECK(t < 5);
  // The same pattern on a short string fits the budget.
  const auto small = big_string_doc(16, 1);
  CHECK(p.evaluate(small, o).rules[0].result == outcome::pass);
}

TEST_CASE("budgets: flatten of nested comprehensions over a 10-element literal stops at the default memory budget") {
  // l8 would have 10^8 elements.
  const auto p = policy::compile({{"f.jup", R"(uses d
rule flat {
  let xs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
  let l2 = flatten([xs for a in xs])
  let l4 = flatten([l2 for a in l2])
  let l8 = flatten([l4 for a in l4])
  require count(l8) > d.x
}
)"}});
  const auto doc = load_document("d: {x: 1}", "d.yaml");
  const evaluate_options o = fixed_date();
  REQUIRE(o.max_memory_bytes == 256ull << 20);
  REQUIRE(o.max_steps == 0);
  std::string message;
  const double t = seconds([&] { message = first_error([&] { p.evaluate(doc, o); }); });
  CHECK(message ==
        "memory-limit evaluation stopped in rule f.flat: the memory budget of 268435456 bytes (max_memory_bytes) "
        "was used up by the strings and lists it built");
  CHECK(t < 10);
  // The findings API stops the same way.
  CHECK(first_error([&] { p.find(doc, o); }).rfind("memory-limit ", 0) == 0);
  // Four levels (10^4 elements) are well within it.
  const auto q = policy::compile({{"f.jup", R"(uses d
rule flat {
  let xs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
  let l2 = flatten([xs for a in xs])
  let l4 = flatten([l2 for a in l2])
  require count(l4) == 10000 + d.x - 1
}
)"}});
  CHECK(q.evaluate(doc, o).rules[0].result == outcome::pass);
}

TEST_CASE("budgets: a memory budget too small for a comprehension's list stops it") {
  const auto p = policy::compile({{"c.jup", "uses d\nrule many { require count([i * 2 for i in d.idx]) > 0 }"}});
  const auto doc = big_string_doc(1, 100000);
  evaluate_options o = fixed_date();
  o.max_memory_bytes = 256 * 1024;
  CHECK(first_error([&] { p.evaluate(doc, o); }).rfind("memory-limit evaluation stopped in rule c.many", 0) == 0);
  o.max_memory_bytes = 0;  // unlimited
  CHECK(p.evaluate(doc, o).rules[0].result == outcome::pass);
}

// docs/c-api.md states the stack an expression needs per level of nesting (about 1 KiB, measured
// in an optimised build); a thread with twice that for the deepest expression the limits allow
// must compile and evaluate it. Sanitizer builds have much larger frames: the stacks are scaled.
#include <pthread.h>

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr std::size_t stack_scale = 16;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr std::size_t stack_scale = 16;
#else
constexpr std::size_t stack_scale = 1;
#endif
#else
constexpr std::size_t stack_scale = 1;
#endif

struct deep_job {
  std::string rules;
  std::uint32_t depth = 200;
  bool passed = false;
  std::string error;
};

void* run_deep(void* arg) {
  auto& job = *static_cast<deep_job*>(arg);
  try {
    compile_options co;
    co.max_expression_depth = job.depth;
    const auto p = policy::compile({{"deep.jup", job.rules}}, co);
    const auto doc = load_document("d: {x: 1}", "d.yaml");
    job.passed = p.evaluate(doc, fixed_date()).rules[0].result == outcome::pass;
  } catch (const error& e) {
    job.error = e.what();
  }
  return nullptr;
}

// Compiles and evaluates `rules` on a thread with `stack` bytes of stack.
bool on_stack(std::size_t stack, const std::string& rules, std::uint32_t depth) {
  deep_job job{rules, depth, false, {}};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, stack * stack_scale);
  pthread_t t;
  const bool started = pthread_create(&t, &attr, run_deep, &job) == 0;
  pthread_attr_destroy(&attr);
  if (!started) return false;
  pthread_join(t, nullptr);
  INFO(job.error);
  CHECK(job.error.empty());
  return job.passed;
}

std::string brackets(std::size_t depth) {
  return "uses d\nrule r { require " + std::string(depth, '(') + "d.x == 1" + std::string(depth, ')') + " }\n";
}

std::string chain(std::size_t operators) {
  std::string e = "d.x";
  for (std::size_t i = 0; i < operators; ++i) e += " + d.x";
  return "uses d\nrule r { require " + e + " > 0 }\n";
}

}  // namespace

TEST_CASE("budgets: the deepest expressions the limits allow run on the stack docs/c-api.md asks for") {
  // The default limit, 200: 200 brackets or a chain of 400 operators; 512 KiB asked.
  // One past each limit is refused (the test would prove nothing otherwise).
  CHECK_THROWS(policy::compile({{"deep.jup", chain(398)}}));
  CHECK(on_stack(512 * 1024, brackets(200), 200));
  CHECK(on_stack(512 * 1024, chain(397), 200));  // the longest chain the limit admits
  // The command's ceiling, 1000 (a chain of 2,000 operators): 2 MiB asked, 4 MiB given.
  CHECK(on_stack(4 * 1024 * 1024, brackets(1000), 1000));
  CHECK(on_stack(4 * 1024 * 1024, chain(1997), 1000));
}
