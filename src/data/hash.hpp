// Numbers given once per process (the seed of the hashes over data, the uids of documents and
// programs) and the hash and comparison of short byte strings that the loader and the evaluator
// share. Private to the library.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace joinup::data {

// A number chosen once per process at random: the seed of the hashes over data (interned keys,
// the evaluator's join indexes), so that no document can be written to make them collide.
std::uint64_t random_seed();
// The next uid of a document or a compiled program (1, 2, 3, ... over the process).
std::uint64_t next_uid();

// The hash of short byte strings: the document's interned keys (hash_key) and the strings of the
// evaluator's join and group indexes (eval/index.hpp). Cheaper than the library's for the short
// texts data files have, and seeded once per process at random, so that no document can be
// written to make its keys or strings collide (which would make loading it, looking keys up or a
// join quadratic). All 64 bits are usable: the high half alone, or the low bits of the whole.
inline std::uint64_t hash_bytes(std::uint64_t seed, std::string_view s) noexcept {
  // Every byte is read with fixed-size loads (overlapping for the last bytes), without a call.
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::uint64_t h = seed ^ n;
  std::uint64_t w = 0;
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 <= n; i += 8) {
      std::memcpy(&w, p + i, 8);
      h = (h ^ w) * 0xFF51AFD7ED558CCDull;
      h ^= h >> 32;
    }
    std::memcpy(&w, p + n - 8, 8);
  } else if (n >= 4) {
    std::uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    w = (std::uint64_t{a} << 32) | b;
  } else if (n > 0) {
    w = (std::uint64_t{p[0]} << 16) | (std::uint64_t{p[n >> 1]} << 8) | p[n - 1];
  }
  h = (h ^ w) * 0xC4CEB9FE1A85EC53ull;
  return h ^ (h >> 32);  // the product's high bits are its best mixed: folded into the low ones
}

// The hash of an interned key: the high half.
inline std::uint32_t hash_key(std::uint64_t seed, std::string_view s) noexcept {
  return static_cast<std::uint32_t>(hash_bytes(seed, s) >> 32);
}

// Whether n bytes at a and at b are the same: up to 16 bytes with fixed-size loads (overlapping,
// never past either end) and no call, for the short texts keys and data strings mostly are.
inline bool same_bytes(const char* a, const char* b, std::size_t n) noexcept {
  if (n >= 8) {
    if (n > 16) return std::memcmp(a, b, n) == 0;
    std::uint64_t a0, b0, a1, b1;
    std::memcpy(&a0, a, 8);
    std::memcpy(&b0, b, 8);
    std::memcpy(&a1, a + n - 8, 8);
    std::memcpy(&b1, b + n - 8, 8);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
  }
  if (n >= 4) {
    std::uint32_t a0, b0, a1, b1;
    std::memcpy(&a0, a, 4);
    std::memcpy(&b0, b, 4);
    std::memcpy(&a1, a + n - 4, 4);
    std::memcpy(&b1, b + n - 4, 4);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
  }
  if (n == 0) return true;
  return a[0] == b[0] && a[n >> 1] == b[n >> 1] && a[n - 1] == b[n - 1];  // 1 to 3 bytes: each is read
}

}  // namespace joinup::data
