// A strict RFC 8259 JSON parser that reads straight into a document_builder: one pass over the
// bytes, no recursion (an explicit stack of open containers, so depth is limited only by
// load_options::max_depth), no intermediate tree. Strings without escapes are passed to the
// builder as views of the input.
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <bit>
#include <cstring>
#include <limits>
#include <vector>

#include "data/builder.hpp"
#include "data/load_detail.hpp"
#include "diag/codes.hpp"
#include "diag/text.hpp"

namespace joinup::data {

namespace {

// The hot path (parse_value_tree and what it inlines) walks the text with a local pointer, which
// stays in a register; i_ is written only when a slower, out-of-line part (escaped strings, the
// general number syntax, errors) takes over, and read back after it.
class json_parser {
 public:
  json_parser(std::string_view text, builder_state& b, const load_options& options, line_index lines)
      : s_(text), base_(text.data()), end_(text.data() + text.size()), b_(b), max_depth_(options.max_depth),
        lines_(std::move(lines)) {}

  void parse() {
    const char* p = skip_ws(base_);
    if (p == end_) fail(0, 0, diag::code::data_parse, "empty JSON text, expected a value");
    p = parse_value_tree(p);
    p = skip_ws(p);
    if (p != end_) unexpected_at(p, "after the JSON value");
    b_.lines_ = std::move(lines_);
  }

 private:
  std::uint32_t pos() const { return static_cast<std::uint32_t>(i_); }
  std::uint32_t pos(const char* p) const { return static_cast<std::uint32_t>(p - base_); }

  // Whitespace, the only place a valid JSON text has line breaks (a string cannot hold one): the
  // line index gets them here.
  __attribute__((always_inline)) const char* skip_ws(const char* p) {
    // Inline: nothing or a single space before the next token, as most data files are written
    // (one test of the room left for both bytes).
    if (end_ - p >= 2) {
      if (static_cast<unsigned char>(p[0]) > ' ') return p;
      if (p[0] == ' ' && static_cast<unsigned char>(p[1]) > ' ') return p + 1;
    }
    return skip_ws_run(p);
  }

  __attribute__((noinline)) const char* skip_ws_run(const char* p) {
    constexpr std::uint64_t ws = (1ull << ' ') | (1ull << '\n') | (1ull << '\r') | (1ull << '\t');
    while (p < end_) {
      const auto c = static_cast<unsigned char>(*p);
      if (c > ' ' || !((ws >> c) & 1)) break;
      ++p;
      if (c == '\n' || (c == '\r' && (p == end_ || *p != '\n'))) {  // a lone CR is a line break too
        lines_.add_line_break(pos(p) - 1);
#if defined(__SSE2__)
        // Indentation after a line break: sixteen spaces at a time.
        while (end_ - p >= 16 && *p == ' ') {
          const __m128i w = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
          const auto other = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(w, _mm_set1_epi8(' ')))) ^ 0xFFFFu;
          if (other) {
            p += std::countr_zero(other);
            break;
          }
          p += 16;
        }
#endif
      }
    }
    return p;
  }

  // "unexpected 'x' <context>" at p.
  [[noreturn]] __attribute__((noinline, cold)) void unexpected_at(const char* p, const char* context) {
    i_ = static_cast<std::size_t>(p - base_);
    unexpected(context);
  }

  // "unexpected 'x' <context>" at the current position, or "unexpected end of input".
  [[noreturn]] void unexpected(const std::string& context) {
    if (i_ >= s_.size()) fail(pos(), pos(), diag::code::data_parse, "unexpected end of input, " + context);
    const auto c = static_cast<unsigned char>(s_[i_]);
    std::string what;
    if (c >= 0x20 && c < 0x7F) {
      what = std::string("'") + static_cast<char>(c) + "'";
    } else if (c >= 0x80) {
      std::size_t n = 1;
      while (i_ + n < s_.size() && (static_cast<unsigned char>(s_[i_ + n]) & 0xC0) == 0x80) ++n;
      what = "'" + std::string(s_.substr(i_, n)) + "'";
    } else {
      static constexpr char hex[] = "0123456789ABCDEF";
      what = std::string("control character U+00") + hex[c >> 4] + hex[c & 15];
    }
    fail(pos(), pos() + 1, diag::code::data_parse, "unexpected " + what + " " + context);
  }

  [[noreturn]] __attribute__((noinline, cold)) void too_deep(const char* p) {
    fail(pos(p), pos(p) + 1, diag::code::too_deep,
         "lists and maps are nested more than " + std::to_string(max_depth_) + " levels deep",
         "raise load_options::max_depth to load it");
  }

  static bool same4(const char* p, const char* word) {
    std::uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, word, 4);
    return a == b;
  }

  // The value tree at p (whitespace skipped), iteratively; returns where it ends. The builder's
  // stack of open containers is the parser's; `depth` is its size.
  const char* parse_value_tree(const char* p) {
    std::size_t depth = 0;
    for (;;) {
      // A value is expected at p (whitespace skipped).
      if (p >= end_) unexpected_at(p, "expected a value");
      if (*p == '"') {  // the most common value, before the switch's table
        string_value(p);
      } else
        switch (*p) {
          case '{':
          case '[': {
            const bool is_map = *p == '{';
            if (depth >= max_depth_) too_deep(p);
            b_.put_begin(is_map, pos(p));
            ++depth;
            p = skip_ws(p + 1);
            if (p < end_ && *p == (is_map ? '}' : ']')) {
              ++p;
              b_.put_end();
              --depth;
              break;
            }
            if (is_map) parse_key(p);
            continue;  // the first element
          }
          case 't':
            if (!(end_ - p >= 4 && same4(p, "true"))) unexpected_at(p, "where a value was expected");
            b_.put_boolean(true, pos(p));
            p += 4;
            break;
          case 'f':
            if (!(end_ - p >= 5 && same4(p + 1, "alse"))) unexpected_at(p, "where a value was expected");
            b_.put_boolean(false, pos(p));
            p += 5;
            break;
          case 'n':
            if (!(end_ - p >= 4 && same4(p, "null"))) unexpected_at(p, "where a value was expected");
            b_.put_null(pos(p));
            p += 4;
            break;
          case '-':
          case '0':
          case '1':
          case '2':
          case '3':
          case '4':
          case '5':
          case '6':
          case '7':
          case '8':
          case '9': number(p); break;
          default: unexpected_at(p, "where a value was expected");
        }
      // After a value: close containers until one continues with ','.
      for (;;) {
        if (depth == 0) return p;
        if (p >= end_ || *p != ',') p = skip_ws(p);  // usually the ',' follows at once
        const bool is_map = b_.in_map_;
        if (p < end_ && *p == ',') {
          p = skip_ws(p + 1);
          if (is_map) parse_key(p);
          break;
        }
        if (p < end_ && *p == (is_map ? '}' : ']')) {
          ++p;
          b_.put_end();
          --depth;
          continue;
        }
        unexpected_at(p, is_map ? "in a map, expected ',' or '}'" : "in a list, expected ',' or ']'");
      }
    }
  }

  // A key, its ':' and the whitespace after it; at p (whitespace skipped).
  //
  // Maps in a list usually repeat their keys in one order, so the builder's guess of the key is
  // compared with the text first: when the guess is plain (no '"', '\\' or control character in
  // its text) and the text holds exactly its bytes and then '"', that is the whole string, with
  // no escape in it, and it needs neither scanning nor interning.
  __attribute__((always_inline)) void parse_key(const char*& p) {
    if (p >= end_ || *p != '"') unexpected_at(p, "where a key (a string in double quotes) was expected");
    const auto at = pos(p);
    const std::uint32_t guess = b_.guessed_key();
    if (guess != no_index && b_.key_states_[guess].plain) {
      const auto& t = b_.keys_[guess];
      const char* const q = p + 1;
      if (end_ - q > static_cast<std::ptrdiff_t>(t.count) && q[t.count] == '"' &&
          same_bytes(b_.pool_.get() + t.first, q, t.count)) {
        if (const auto first = b_.put_key_id(guess, at))
          fail_duplicate_key(s_, std::string_view(q, t.count), at, *first);
        p = q + t.count + 1;
        return after_key(p);
      }
    }
    bool in_text;
    const std::string_view k = string_text(p, in_text);
    if (const auto first = b_.put_key(k, at, in_text && end_ - k.data() >= 16)) fail_duplicate_key(s_, k, at, *first);
    if (in_text) b_.key_states_[b_.pending_key_].plain = 1;  // read from the text: plain
    after_key(p);
  }

  // The ':' after a key and the whitespace after it.
  __attribute__((always_inline)) void after_key(const char*& p) {
    if (p >= end_ || *p != ':') {  // usually the ':' follows at once
      p = skip_ws(p);
      if (p >= end_ || *p != ':') unexpected_at(p, "after a key, expected ':'");
    }
    p = skip_ws(p + 1);
  }

  __attribute__((always_inline)) void string_value(const char*& p) {
    const auto at = pos(p);
    bool in_text;
    const std::string_view v = string_text(p, in_text);
    // Only YYYY-MM-DD can be a date.
    if (v.size() == 10 && v[4] == '-' && v[7] == '-')
      if (const auto d = date::parse(v)) return b_.put_date(*d, at);
    // A view of the text with 16 bytes after its start may be copied 16 bytes at a time; one
    // into scratch_ (escaped) may not.
    const bool slack = in_text && end_ - v.data() >= 16;
    b_.put_string(v, at, slack);
  }

  // A number at p: a whole number of up to 18 digits (which cannot overflow) inline, anything
  // else by general_number().
  __attribute__((always_inline)) void number(const char*& p) {
    const char* q = p + (*p == '-');
    if (q < end_ && static_cast<unsigned>(*q - '1') < 9) {
      std::uint64_t mag = static_cast<std::uint64_t>(*q++ - '0');
      const char* const stop = end_ - q > 17 ? q + 17 : end_;
      while (q < stop && static_cast<unsigned>(*q - '0') < 10) mag = mag * 10 + static_cast<std::uint64_t>(*q++ - '0');
      if (q == end_ || (static_cast<unsigned>(*q - '0') >= 10 && *q != '.' && (*q | 0x20) != 'e')) {
        b_.put_integer(*p == '-' ? static_cast<std::int64_t>(0 - mag) : static_cast<std::int64_t>(mag), pos(p));
        p = q;
        return;
      }
    }
    i_ = static_cast<std::size_t>(p - base_);
    general_number();
    p = base_ + i_;
  }

  static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  unsigned hex4(std::size_t at) {
    if (at + 4 > s_.size())
      fail(static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(s_.size()), diag::code::data_parse,
           "truncated \\u escape");
    unsigned v = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const int d = hex_digit(s_[at + k]);
      if (d < 0)
        fail(static_cast<std::uint32_t>(at - 2), static_cast<std::uint32_t>(at + 4), diag::code::data_parse,
             "invalid \\u escape, expected four hexadecimal digits");
      v = v * 16 + static_cast<unsigned>(d);
    }
    return v;
  }

  // The text of the string at p (which is '"'); p moves past the closing quote. The view is into
  // the input, or into scratch_ when the string has escapes (valid until the next call).
  __attribute__((always_inline)) std::string_view string_text(const char*& p, bool& in_text) {
    const char* const open = p;
    const char* const start = p + 1;
    const char* q = start;
    // Fast path: no escapes. Eight bytes at a time: `special` flags the bytes that are '"', '\\'
    // or a control character (the usual bit tricks; the lowest flag is always exact).
    constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    for (;;) {
#if defined(__SSE2__)
      // Sixteen bytes at a time where SSE2 is there (every x86-64): a byte is special when it is
      // '"', '\\' or below 0x20 (min(byte, 0x1F) == byte).
      if (end_ - q >= 16) {
        const __m128i w = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
        const __m128i special =
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(w, _mm_set1_epi8('"')), _mm_cmpeq_epi8(w, _mm_set1_epi8('\\'))),
                         _mm_cmpeq_epi8(_mm_min_epu8(w, _mm_set1_epi8(0x1F)), w));
        const auto mask = static_cast<unsigned>(_mm_movemask_epi8(special));
        if (!mask) {
          q += 16;
          continue;
        }
        q += std::countr_zero(mask);
      } else
#endif
          if (end_ - q >= 8) {
        std::uint64_t w;
        std::memcpy(&w, q, 8);
        const std::uint64_t dq = w ^ (ones * '"'), b = w ^ (ones * '\\');
        const std::uint64_t special = (((dq - ones) & ~dq) | ((b - ones) & ~b) | ((w - ones * 0x20) & ~w)) & highs;
        if (!special) {
          q += 8;
          continue;
        }
        q += std::countr_zero(special) >> 3;
      } else {
        while (q < end_ && *q != '"' && *q != '\\' && static_cast<unsigned char>(*q) >= 0x20) ++q;
        if (q >= end_) break;
      }
      if (*q == '"') {
        p = q + 1;
        in_text = true;
        return std::string_view(start, static_cast<std::size_t>(q - start));
      }
      break;  // an escape or a control character
    }
    i_ = static_cast<std::size_t>(q - base_);
    in_text = false;
    const std::string_view v =
        escaped_string_text(static_cast<std::size_t>(open - base_), static_cast<std::size_t>(start - base_));
    p = base_ + i_;
    return v;
  }

  // The rest of string_text for a string with an escape or a control character at i_ (or
  // unterminated).
  __attribute__((noinline)) std::string_view escaped_string_text(std::size_t open, std::size_t start) {
    scratch_.assign(s_.substr(start, i_ - start));
    while (i_ < s_.size()) {
      const auto c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') {
        ++i_;
        return scratch_;
      }
      if (c < 0x20)
        fail(pos(), pos() + 1, diag::code::data_parse,
             c == '\n' ? "unterminated string: a line break inside a string must be written \\n"
                       : "control character in a string (write it as a \\u escape)");
      if (c != '\\') {
        scratch_ += static_cast<char>(c);
        ++i_;
        continue;
      }
      const std::size_t esc = i_;
      if (++i_ >= s_.size()) break;
      switch (s_[i_]) {
        case '"': scratch_ += '"'; break;
        case '\\': scratch_ += '\\'; break;
        case '/': scratch_ += '/'; break;
        case 'b': scratch_ += '\b'; break;
        case 'f': scratch_ += '\f'; break;
        case 'n': scratch_ += '\n'; break;
        case 'r': scratch_ += '\r'; break;
        case 't': scratch_ += '\t'; break;
        case 'u': {
          unsigned cp = hex4(i_ + 1);
          i_ += 4;
          if (cp >= 0xDC00 && cp <= 0xDFFF)
            fail(static_cast<std::uint32_t>(esc), pos() + 1, diag::code::data_parse,
                 "invalid \\u escape: a low surrogate without a high surrogate before it");
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (i_ + 2 >= s_.size() || s_[i_ + 1] != '\\' || s_[i_ + 2] != 'u')
              fail(static_cast<std::uint32_t>(esc), pos() + 1, diag::code::data_parse,
                   "invalid \\u escape: a high surrogate must be followed by a \\u escape of a low surrogate");
            const unsigned lo = hex4(i_ + 3);
            if (lo < 0xDC00 || lo > 0xDFFF)
              fail(static_cast<std::uint32_t>(esc), pos() + 7, diag::code::data_parse,
                   "invalid \\u escape: a high surrogate must be followed by a low surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i_ += 6;
          }
          diag::append_utf8(scratch_, cp);
          break;
        }
        default:
          fail(static_cast<std::uint32_t>(esc), pos() + 1, diag::code::data_parse, "invalid escape in a string",
               "JSON escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX");
      }
      ++i_;
    }
    fail(static_cast<std::uint32_t>(open), static_cast<std::uint32_t>(open + 1), diag::code::data_parse,
         "unterminated string", "a string ends with '\"' on the same line");
  }

  // A number at i_ in the full syntax (fractions, exponents, leading-zero and range errors); i_
  // moves past it.
  __attribute__((noinline)) void general_number() {
    const std::size_t start = i_;
    const auto digit = [&](std::size_t k) { return k < s_.size() && s_[k] >= '0' && s_[k] <= '9'; };
    const bool negative = s_[i_] == '-';
    if (negative) ++i_;
    if (!digit(i_)) unexpected("in a number, expected a digit");
    std::uint64_t mag = 0;
    bool overflow = false;
    if (s_[i_] == '0') {
      ++i_;
      if (digit(i_))
        fail(static_cast<std::uint32_t>(start), pos() + 1, diag::code::data_parse,
             "numbers cannot have leading zeros in JSON");
    } else {
      // Up to 19 digits cannot overflow 64 bits; a longer run is out of the integers' range
      // whatever it wraps to (it goes to the double path below).
      const std::size_t first = i_;
      while (digit(i_)) mag = mag * 10 + static_cast<std::uint64_t>(s_[i_++] - '0');
      overflow = i_ - first > 19;
    }
    bool is_float = false;
    if (i_ < s_.size() && s_[i_] == '.') {
      is_float = true;
      ++i_;
      if (!digit(i_)) unexpected("after '.', expected a digit");
      while (digit(i_)) ++i_;
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      is_float = true;
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      if (!digit(i_)) unexpected("in an exponent, expected a digit");
      while (digit(i_)) ++i_;
    }
    const auto at = static_cast<std::uint32_t>(start);
    if (!is_float && !overflow) {
      constexpr std::uint64_t max_pos = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
      if (!negative && mag <= max_pos) return b_.put_integer(static_cast<std::int64_t>(mag), at);
      if (negative && mag <= max_pos + 1) return b_.put_integer(static_cast<std::int64_t>(0 - mag), at);
    }
    const auto text = s_.substr(start, i_ - start);
    const auto v = parse_double(text);
    if (!v) fail(at, pos(), diag::code::data_parse, number_range_error(text));
    b_.put_number(*v, at);
  }

  std::string_view s_;
  const char* base_;
  const char* end_;
  std::size_t i_ = 0;  // the position for the out-of-line parts
  builder_state& b_;
  std::uint32_t max_depth_;
  std::string scratch_;
  line_index lines_;
};

}  // namespace

void load_json(std::string_view text, builder_state& b, const load_options& options, line_index lines) {
  json_parser(text, b, options, std::move(lines)).parse();
}

}  // namespace joinup::data
