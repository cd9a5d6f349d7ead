// Shared by the fuzz targets: each target defines LLVMFuzzerTestOneInput and may only see
// joinup::error escape from the library (anything else — another exception, a crash, a
// sanitizer report, a hang — is a finding).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace joinup_fuzz {

// Splits the input at the first line "%%%\n" (rules, then data); without it, the first half.
inline std::pair<std::string_view, std::string_view> split(const std::uint8_t* data, std::size_t size) {
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  constexpr std::string_view sep = "\n%%%\n";
  if (const auto at = all.find(sep); at != std::string_view::npos)
    return {all.substr(0, at + 1), all.substr(at + sep.size())};
  return {all.substr(0, size / 2), all.substr(size / 2)};
}

// Small limits keep each run short; the limits themselves are what is being exercised.
constexpr std::uint64_t max_steps = 200000;
constexpr std::size_t max_input = 64 * 1024;

}  // namespace joinup_fuzz
