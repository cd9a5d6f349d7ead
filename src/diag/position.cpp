// line_index's constructor: the line starts and the multi-byte characters of a text in one pass.
#include "joinup/position.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <bit>
#include <cstring>

namespace joinup {

namespace {

constexpr std::uint32_t continuation_bytes(unsigned char lead) { return lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1; }

}  // namespace

line_index::line_index(std::string_view text) {
  line_starts_.push_back(0);
  const char* const base = text.data();
  const std::size_t n = text.size();
  std::uint32_t extra = 0;
  // One byte, for the tail and for the eight-byte fallback. A line ends at '\n', '\r\n' or a lone
  // '\r' (YAML 1.2 and JSON both take a lone CR for a line break).
  const auto step = [&](std::size_t i) {
    const auto c = static_cast<unsigned char>(base[i]);
    if (c == '\n' || (c == '\r' && (i + 1 == n || base[i + 1] != '\n'))) {
      line_starts_.push_back(static_cast<std::uint32_t>(i + 1));
    } else if (c >= 0xC0) {  // lead byte of a multi-byte sequence
      extra += continuation_bytes(c);
      wide_.push_back({static_cast<std::uint32_t>(i), extra});
    }
  };
  std::size_t i = 0;
#if defined(__SSE2__)
  // 32 bytes at a time: a mask of the line breaks and one of the bytes above 0x7F (the sign
  // bits); a block with neither costs a handful of instructions.
  const __m128i newline = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
  for (; i + 32 <= n; i += 32) {
    const __m128i w0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(base + i));
    const __m128i w1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(base + i + 16));
    auto breaks = static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(w0, newline))) |
                  (static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(w1, newline))) << 16);
    if (const auto crs = static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(w0, cr))) |
                         (static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(w1, cr))) << 16)) {
      // A CR is a break unless a LF follows it (the next byte may be in the next block).
      const std::uint32_t lf_next = (breaks >> 1) | (i + 32 < n && base[i + 32] == '\n' ? 0x80000000u : 0u);
      breaks |= crs & ~lf_next;
    }
    auto high =
        static_cast<std::uint32_t>(_mm_movemask_epi8(w0)) | (static_cast<std::uint32_t>(_mm_movemask_epi8(w1)) << 16);
    if (!(breaks | high)) continue;
    for (; breaks; breaks &= breaks - 1)
      line_starts_.push_back(static_cast<std::uint32_t>(i + static_cast<std::size_t>(std::countr_zero(breaks)) + 1));
    for (; high; high &= high - 1) {
      const std::size_t at = i + static_cast<std::size_t>(std::countr_zero(high));
      const auto c = static_cast<unsigned char>(base[at]);
      if (c >= 0xC0) {
        extra += continuation_bytes(c);
        wide_.push_back({static_cast<std::uint32_t>(at), extra});
      }
    }
  }
#else
  // Eight bytes at a time: skip words without a line break or a byte above 0x7F.
  constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, base + i, 8);
    const std::uint64_t x = w ^ (ones * '\n'), r = w ^ (ones * '\r');
    if (!((((x - ones) & ~x) | ((r - ones) & ~r) | w) & highs)) continue;
    for (std::size_t k = 0; k < 8; ++k) step(i + k);
  }
#endif
  for (; i < n; ++i) step(i);
  size_ = static_cast<std::uint32_t>(n);
}

}  // namespace joinup
