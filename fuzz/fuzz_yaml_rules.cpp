// YAML rule files: the same compiler behind the YAML form (origin ending in .yaml).
#include "common.hpp"

#include "joinup/diagnostic.hpp"
#include "joinup/policy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > joinup_fuzz::max_input) return 0;
  try {
    auto p = joinup::policy::compile({{"fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size)}});
    (void)p.rules().size();
  } catch (const joinup::error&) {
  }
  return 0;
}
