// The one "none" of every 32-bit index into the library's arrays: no node, no expression, no
// slot, no key, no symbol, no kernel, no group. document::npos is its public spelling.
#pragma once

#include <cstdint>

namespace joinup {

inline constexpr std::uint32_t no_index = 0xFFFFFFFFu;

}  // namespace joinup
