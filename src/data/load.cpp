// load_document and load_document_file: size limit, BOM, UTF-8 validation, choice of format, and
// turning a loader's failure into a diagnostic with file, line, column and caret.
//
// Empty text: a YAML stream without a document (empty, blank or only comments) is a document whose
// root is null, as YAML says; empty JSON text is a data-parse error, as RFC 8259 says.
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <system_error>

#include "data/builder.hpp"
#include "data/load_detail.hpp"
#include "data/storage.hpp"
#include "diag/codes.hpp"
#include "diag/read.hpp"
#include "diag/source.hpp"
#include "diag/utf8.hpp"
#include "joinup/diagnostic.hpp"

namespace joinup {
namespace data {

std::string quote(std::string_view s) {
  constexpr std::size_t max = 60;
  std::string out = "'";
  if (s.size() <= max) {
    out += s;
  } else {
    std::size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    out += s.substr(0, cut);
    out += "...";
  }
  out += '\'';
  return out;
}

std::uint32_t line_of(std::string_view text, std::uint32_t offset) {
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text.size()));
  return 1 + static_cast<std::uint32_t>(std::count(text.begin(), text.begin() + offset, '\n'));
}

void fail_duplicate_key(std::string_view text, std::string_view key, std::uint32_t offset, std::uint32_t first_offset) {
  fail(offset, offset + static_cast<std::uint32_t>(key.size()), diag::code::duplicate_key,
       "duplicate key " + quote(key) + " (first at line " + std::to_string(line_of(text, first_offset)) + ")",
       "a map holds each key once; remove or rename one of them");
}

namespace {

// The decimal exponent of a literal's first significant digit (1 for "12.5", -3 for "0.00125",
// saturating), or nullopt when it has no significant digit (it is zero).
std::optional<long long> decimal_exponent(std::string_view s) {
  std::size_t i = 0;
  if (!s.empty() && s[0] == '-') ++i;
  long long exp10 = 0;
  bool seen_point = false, significant = false;
  for (; i < s.size() && s[i] != 'e' && s[i] != 'E'; ++i) {
    const char c = s[i];
    if (c == '.') {
      seen_point = true;
    } else if (!significant && c == '0') {
      if (seen_point) --exp10;
    } else if (!significant) {
      significant = true;
      if (seen_point) --exp10;
    } else if (!seen_point) {
      ++exp10;
    }
  }
  if (!significant) return std::nullopt;
  if (i < s.size()) {  // exponent, saturating
    ++i;
    bool exp_negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) exp_negative = s[i++] == '-';
    long long e = 0;
    for (; i < s.size(); ++i) e = std::min<long long>(e * 10 + (s[i] - '0'), 1'000'000'000);
    exp10 += exp_negative ? -e : e;
  }
  return exp10;
}

}  // namespace

std::optional<double> parse_double(std::string_view s) {
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, std::chars_format::general);
  if (ec == std::errc{} && end == s.data() + s.size()) return v;
  // Out of range: too large, or too small to be told from zero. A literal of zeros is zero.
  if (!decimal_exponent(s)) return s.starts_with('-') ? -0.0 : 0.0;
  return std::nullopt;
}

std::string number_range_error(std::string_view s) {
  const auto exp10 = decimal_exponent(s);
  if (exp10 && *exp10 < 0)
    return "number " + quote(s) + " is too small for a double: it is not zero, but would read as 0";
  return "number " + quote(s) + " is too large for a double";
}

namespace {

// Offset of the first byte that does not start a valid UTF-8 sequence, or npos. Each multi-byte
// character is added to `wide` when given.
std::size_t find_invalid_utf8(std::string_view s, line_index* wide = nullptr) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    // Fast path: 64 (SSE2), 32, then eight ASCII bytes at a time.
#if defined(__SSE2__)
    while (i + 64 <= n) {
      const auto* p = reinterpret_cast<const __m128i*>(s.data() + i);
      const __m128i any = _mm_or_si128(_mm_or_si128(_mm_loadu_si128(p), _mm_loadu_si128(p + 1)),
                                       _mm_or_si128(_mm_loadu_si128(p + 2), _mm_loadu_si128(p + 3)));
      if (_mm_movemask_epi8(any)) break;
      i += 64;
    }
#endif
    while (i + 32 <= n) {
      std::uint64_t w[4];
      std::memcpy(w, s.data() + i, 32);
      if ((w[0] | w[1] | w[2] | w[3]) & 0x8080808080808080ull) break;
      i += 32;
    }
    while (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const auto len = diag::utf8_sequence_length(s, i);
    if (len == 0) return i;
    if (wide) wide->add_wide_char(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(len));
    i += len;
  }
  return std::string_view::npos;
}

// Close upper bounds of the values and map entries of a JSON text, to reserve the document's
// arrays: every value but the root follows a ',', '{' or '[' (a map's values follow ':' after
// their key, and the commas between its entries are one fewer than its entries), so the values
// are at most 1 + the count of those bytes, and the map entries at most the count of ':'. Bytes
// inside strings count too, which only raises the bounds. Also whether the text is all ASCII
// (then it needs no UTF-8 validation). 32 bytes at a time with SSE2 (a per-byte counter in each
// lane, summed before it can overflow); without SSE2, nothing.
struct json_bounds {
  std::size_t values = 0, map_entries = 0;
  bool ascii = false;
};

// A JSON text of at most this many bytes is not counted: its arrays fit the document's block (see
// finish()) and are copied into it whatever room they had, a builder reused on the thread has the
// room already, and counting cost an event (421 bytes) more than half as much as parsing it.
constexpr std::size_t small_json_bytes = 4096;

std::optional<json_bounds> count_json_bounds(std::string_view s) {
#if defined(__SSE2__)
  json_bounds b;
  b.values = 1;
  // '[' is 0x5B and '{' 0x7B: setting bit 0x20 makes both '{' (and no other byte).
  const __m128i comma = _mm_set1_epi8(','), brace = _mm_set1_epi8('{'), bit5 = _mm_set1_epi8(0x20),
                colon = _mm_set1_epi8(':'), zero = _mm_setzero_si128();
  const auto sum = [&](__m128i lanes) {
    const __m128i halves = _mm_sad_epu8(lanes, zero);  // two 64-bit sums of eight bytes each
    return static_cast<std::size_t>(_mm_cvtsi128_si32(halves)) +
           static_cast<std::size_t>(_mm_cvtsi128_si32(_mm_unpackhi_epi64(halves, halves)));
  };
  const auto marks_in = [&](__m128i w) {
    return _mm_or_si128(_mm_cmpeq_epi8(w, comma), _mm_cmpeq_epi8(_mm_or_si128(w, bit5), brace));
  };
  std::size_t i = 0;
  const std::size_t n = s.size();
  __m128i high = zero;
  while (i + 32 <= n) {
    __m128i marks = zero, colons = zero;
    // At most 127 rounds (two bytes per lane each) before the byte counters are summed.
    for (int round = 0; round < 127 && i + 32 <= n; ++round, i += 32) {
      const __m128i w0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
      const __m128i w1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i + 16));
      high = _mm_or_si128(high, _mm_or_si128(w0, w1));
      marks = _mm_sub_epi8(_mm_sub_epi8(marks, marks_in(w0)), marks_in(w1));
      colons = _mm_sub_epi8(_mm_sub_epi8(colons, _mm_cmpeq_epi8(w0, colon)), _mm_cmpeq_epi8(w1, colon));
    }
    b.values += sum(marks);
    b.map_entries += sum(colons);
  }
  bool ascii = _mm_movemask_epi8(high) == 0;
  for (; i < n; ++i) {
    b.values += s[i] == ',' || s[i] == '{' || s[i] == '[';
    b.map_entries += s[i] == ':';
    ascii = ascii && static_cast<unsigned char>(s[i]) < 0x80;
  }
  b.ascii = ascii;
  return b;
#else
  (void)s;
  return std::nullopt;
#endif
}

[[noreturn]] void throw_plain(diag::code code, std::string message, const std::string& origin, std::string help = {}) {
  throw error({diag::file_diagnostic(code, origin, std::move(message), std::move(help))});
}

bool ends_with_json(std::string_view origin) {
  if (origin.size() < 5) return false;
  auto ext = origin.substr(origin.size() - 5);
  std::string lower(ext);
  for (auto& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return lower == ".json";
}

// Exact: "1 KiB" only for 1024 bytes, so that a size just past a limit does not read as equal to it.
std::string size_text(std::uint64_t n) { return diag::size_text(n); }

// A string or key longer than load_options::max_string_bytes, at the value's line and column (a
// key is reported at its value, which follows it). Only a text longer than the limit can hold
// such a string (aliases copy strings but do not lengthen them; escapes only shorten), so most
// documents skip the walk.
void check_string_lengths(const document& loaded, std::string_view text, const std::string& origin,
                          std::uint64_t limit) {
  if (text.size() <= limit) return;
  auto refuse = [&](std::uint32_t offset, std::string what, std::size_t size) {
    diag::source_file src(origin, std::string(text));
    throw error({src.make(
        offset, offset + 1, diag::code::too_large,
        what + " of " + std::to_string(size) + " bytes is longer than the limit of " + std::to_string(limit) + " bytes",
        "raise load_options::max_string_bytes (--max-string-bytes) to load it")});
  };
  const document_view doc(loaded);
  for (document::node_id n = 0; n < loaded.node_count(); ++n) {
    if (doc.kind(n) == value_kind::string && doc.as_string(n).size() > limit)
      refuse(doc.offset(n), "a string", doc.as_string(n).size());
    if (doc.kind(n) == value_kind::map)
      for (std::uint32_t i = 0; i < doc.size(n); ++i)
        if (const auto k = doc.key_text(doc.key_at(n, i)); k.size() > limit)
          refuse(doc.offset(doc.value_at(n, i)), "a key", k.size());
  }
}

}  // namespace
}  // namespace data

document load_document(std::string_view text, std::string origin, data_format format, const load_options& options) {
  // Offsets are 32-bit; a larger text cannot be addressed whatever the limit says.
  const std::uint64_t limit = std::min<std::uint64_t>(options.max_bytes, std::numeric_limits<std::uint32_t>::max() - 1);
  if (text.size() > limit)
    data::throw_plain(
        diag::code::too_large,
        "data file is " + data::size_text(text.size()) + ", more than the limit of " + data::size_text(limit), origin,
        "raise load_options::max_bytes to load it");
  // A UTF-8 byte order mark is not part of the text: offsets and columns start after it.
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  const bool json = format == data_format::json || (format == data_format::automatic && data::ends_with_json(origin));
  // JSON: the line index is filled as the text is read (multi-byte characters here, line breaks
  // by the parser, which meets every one of them in whitespace); YAML builds it from the text.
  line_index lines = json ? line_index::filled_by_reader(static_cast<std::uint32_t>(text.size())) : line_index();
  // A small JSON text (an event) is not counted: see small_json_bytes.
  const bool small_json = json && text.size() <= data::small_json_bytes;
  const auto bounds = json && !small_json ? data::count_json_bounds(text) : std::nullopt;
  if (!(bounds && bounds->ascii))  // ASCII is valid UTF-8 without a character of more than one byte
    if (const auto bad = data::find_invalid_utf8(text, json ? &lines : nullptr); bad != std::string_view::npos)
      throw error({diag::invalid_utf8_error(text, bad, origin, "data files must be UTF-8 encoded", true)});

  const auto built = data::builder_state::make(origin);
  data::builder_state& b = *built;
  // Room up front spares the arrays' regrowth (a builder this thread used before has its room
  // already), and finish() trims a large array it hands over when much of it is unused. YAML:
  // data files hold about a value per 8-10 bytes and a third of their text in strings. JSON: the
  // bounds counted from the text, so that large arrays are usually handed to the document
  // without a trimming copy; but at most a value per eight bytes, as before the bounds
  // (a hostile text of commas must not reserve more than that; a denser valid text grows its
  // arrays as it is read). The pool holds each key once and the string values: never more bytes
  // than the text, so a small text reserves its size (one allocation, no regrowth), a large one a
  // third.
  if (small_json) {
    b.reserve(text.size() / 8 + 1, text.size(), std::nullopt);
  } else if (bounds) {
    const std::size_t values = std::min(bounds->values, text.size() / 8 + 1);
    b.reserve(values, text.size() / 3, std::min(bounds->map_entries, values));
  } else {
    b.reserve(text.size() / 8, text.size() / 3, std::nullopt);
  }
  try {
    if (json)
      data::load_json(text, b, options, std::move(lines));
    else
      data::load_yaml(text, b, options);
  } catch (const data::load_failure& f) {
    diag::source_file src(origin, std::string(text));
    throw error({src.make(f.begin, std::max(f.end, f.begin + 1), f.code, f.message, f.help)});
  }
  if (!json) b.set_source(text);
  document doc = b.finish();
  data::check_string_lengths(doc, text, origin, options.max_string_bytes);
  return doc;
}

document load_document_file(const std::string& path, data_format format, const load_options& options) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    data::throw_plain(diag::code::file_not_found, "file " + data::quote(path) + " not found", path);
  }
  if (std::filesystem::is_directory(status))
    data::throw_plain(diag::code::file_not_found, data::quote(path) + " is a directory, not a data file", path);
  // Offsets are 32-bit; a larger text cannot be addressed whatever the limit says.
  const std::uint64_t limit = std::min<std::uint64_t>(options.max_bytes, std::numeric_limits<std::uint32_t>::max() - 1);
  const std::string text = diag::read_file(path, {"data file", limit, "raise load_options::max_bytes to load it"});
  return load_document(text, path, format, options);
}

}  // namespace joinup
