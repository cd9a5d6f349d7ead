// An outside C++ program using the C++ API (the static library and its dependencies).
#include <iostream>

#include <joinup/joinup.hpp>

int main() {
  auto policy = joinup::policy::compile({{"outside.jup",
                                          "package outside\nuses partnership\n"
                                          "rule named \"Named\" { require has(partnership.name) }\n"}});
  auto doc = joinup::load_document("partnership: {name: Outside}\n", "outside.yaml");
  auto result = policy.evaluate(doc, {.as_of = joinup::date::parse("2026-11-21")});
  std::cout << "c++ consumer: joinup " << joinup::version_string << ", " << joinup::summary_line(result.summary())
            << "\n";
  // Outcomes first, details on demand.
  auto missing = joinup::load_document("partnership: {}\n", "missing.yaml");
  auto found = policy.find(missing, {.as_of = joinup::date::parse("2026-11-21")});
  if (found.size() != 1 || found.violations()[0].subject != missing.root() || found.details(0).message.empty())
    return 1;
  return 0;
}
