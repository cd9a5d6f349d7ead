// The value of an expression: what the planner folds constants into and the evaluator computes.
// It lives below both (src/value/ may include src/data/ and the public headers, nothing else).
// 24 bytes, trivially copyable. Values read from the document keep their node id (for paths,
// positions and explanations); computed strings and lists live in the evaluation's arena. `missing` and `error` are
// values too, so they flow through expressions and are judged where they are used (language spec section 4).
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "data/storage.hpp"
#include "joinup/document.hpp"

namespace joinup::values {

enum class vkind : std::uint8_t { missing, null, boolean, integer, number, string, date, list, map, error };

struct value {
  vkind kind = vkind::missing;
  std::uint8_t flags = 0;         // missing: missing_index when the missing part is an index
  std::uint32_t node = no_index;  // the document node this value is, or for missing: the parent that lacks it
  union {
    bool b;
    std::int64_t i;
    double d;
    std::int32_t days;
    const char* s;       // string chars; error message; missing key
    const value* items;  // computed list elements (node == no_index)
  } u{};
  std::uint32_t len = 0;  // string/error/missing-key length; computed list size
  std::uint32_t aux = 0;

  static constexpr std::uint8_t missing_index = 1;
  // missing: no element passed a `first`; u.s/len is the sentence that says so.
  static constexpr std::uint8_t missing_none = 2;
  // error: the error is that a value was missing (the rule's `undetermined "…"` text applies).
  static constexpr std::uint8_t missing_cause = 4;
  // error (with missing_cause): the missing value's text is not written yet. The error keeps what
  // the missing value held (its flags, u and len; its parent node in aux, node staying no_index)
  // and the evaluator writes the text when it is read (evaluator::error_text): most such errors
  // are absorbed by `and`/`or` and never read.
  static constexpr std::uint8_t missing_later = 8;

  static value null() {
    value v;
    v.kind = vkind::null;
    return v;
  }
  static value boolean(bool b) {
    value v;
    v.kind = vkind::boolean;
    v.u.b = b;
    return v;
  }
  static value integer(std::int64_t i) {
    value v;
    v.kind = vkind::integer;
    v.u.i = i;
    return v;
  }
  static value number(double d) {
    value v;
    v.kind = vkind::number;
    v.u.d = d;
    return v;
  }
  static value date(joinup::date d) {
    value v;
    v.kind = vkind::date;
    v.u.days = d.days;
    return v;
  }
  static value string(std::string_view s) {  // s must outlive the value (arena, plan or document)
    value v;
    v.kind = vkind::string;
    v.u.s = s.data();
    v.len = static_cast<std::uint32_t>(s.size());
    return v;
  }
  static value list(const value* items, std::uint32_t n) {
    value v;
    v.kind = vkind::list;
    v.u.items = items;
    v.len = n;
    return v;
  }
  static value error(std::string_view message) {  // message must outlive the value
    value v;
    v.kind = vkind::error;
    v.u.s = message.data();
    v.len = static_cast<std::uint32_t>(message.size());
    return v;
  }
  static value missing_key(std::uint32_t parent, std::string_view key) {
    value v;
    v.node = parent;
    v.u.s = key.data();
    v.len = static_cast<std::uint32_t>(key.size());
    return v;
  }
  static value missing_at(std::uint32_t parent, std::int64_t index) {
    value v;
    v.node = parent;
    v.flags = missing_index;
    v.u.i = index;
    return v;
  }

  bool is_number() const { return kind == vkind::integer || kind == vkind::number; }
  double as_double() const { return kind == vkind::integer ? static_cast<double>(u.i) : u.d; }
  std::string_view str() const { return {u.s, len}; }
  bool from_document() const { return node != no_index && kind != vkind::missing; }
};

using data::same_bytes;
inline bool same_text(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && same_bytes(a.data(), b.data(), a.size());
}

// The language's equality for scalars (1 == 1.0; NaN equals nothing); false for lists, maps and
// every other kind, which the evaluator compares element by element.
inline bool equal_scalars(const value& a, const value& b) {
  if (a.is_number() && b.is_number()) {
    if (a.kind == vkind::integer && b.kind == vkind::integer) return a.u.i == b.u.i;
    return a.as_double() == b.as_double();
  }
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case vkind::null: return true;
    case vkind::boolean: return a.u.b == b.u.b;
    case vkind::string: return a.len == b.len && same_bytes(a.u.s, b.u.s, a.len);
    case vkind::date: return a.u.days == b.u.days;
    default: return false;
  }
}

// A value read from the document node n.
[[gnu::always_inline]] inline value from_node(const data::document_view& doc, std::uint32_t n) {
  value v;
  v.node = n;
  switch (doc.kind(n)) {
    case value_kind::null: v.kind = vkind::null; break;
    case value_kind::boolean:
      v.kind = vkind::boolean;
      v.u.b = doc.as_bool(n);
      break;
    case value_kind::integer:
      v.kind = vkind::integer;
      v.u.i = doc.as_int(n);
      break;
    case value_kind::number:
      v.kind = vkind::number;
      v.u.d = doc.as_double(n);
      break;
    case value_kind::string: {
      const auto s = doc.as_string(n);
      v.kind = vkind::string;
      v.u.s = s.data();
      v.len = static_cast<std::uint32_t>(s.size());
      break;
    }
    case value_kind::date:
      v.kind = vkind::date;
      v.u.days = doc.as_date(n).days;
      break;
    case value_kind::list:
      v.kind = vkind::list;
      v.len = doc.size(n);
      break;
    case value_kind::map:
      v.kind = vkind::map;
      v.len = doc.size(n);
      break;
  }
  return v;
}

// Bump allocation for one evaluation: computed strings, lists and messages. Values are trivially
// destructible, so a mark/release pair frees everything a subject allocated.
// Thrown by an arena asked to hold more than its limit (set_limit).
struct arena_limit_reached {};

class arena {
 public:
  // The most bytes of blocks the arena may hold; a block that would pass it throws
  // arena_limit_reached instead of being allocated. 0: no limit.
  void set_limit(std::size_t bytes) { limit_ = bytes ? bytes : SIZE_MAX; }
  // Bytes of blocks held.
  std::size_t held() const { return held_; }
  char* allocate(std::size_t bytes) {
    bytes = (bytes + 7) & ~std::size_t{7};
    if (blocks_.empty() || used_ + bytes > blocks_[current_].size) next_block(bytes);
    char* p = blocks_[current_].data.get() + used_;
    used_ += bytes;
    return p;
  }
  value* values(std::size_t n) { return reinterpret_cast<value*>(allocate(n * sizeof(value))); }
  std::string_view copy(std::string_view s) {
    char* p = allocate(s.size() + 1);
    if (!s.empty()) std::memcpy(p, s.data(), s.size());
    return {p, s.size()};
  }

  struct mark_t {
    std::size_t block, used;
  };
  mark_t mark() const { return {current_, used_}; }
  // Everything released; blocks beyond the first are freed when they add up to more than `keep`
  // bytes (an arena kept for the next evaluation does not hold on to an unusual one's memory).
  void trim(std::size_t keep) {
    current_ = 0;
    used_ = 0;
    std::size_t total = 0;
    for (const auto& b : blocks_) total += b.size;
    if (total > keep && blocks_.size() > 1) blocks_.resize(1);
    if (!blocks_.empty() && blocks_[0].size > keep) blocks_.clear();
    held_ = blocks_.empty() ? 0 : blocks_[0].size;
  }
  void release(mark_t m) {
    if (blocks_.empty()) return;
    current_ = m.block;
    used_ = m.used;
  }

 private:
  struct block {
    std::unique_ptr<char[]> data;
    std::size_t size;
  };
  void next_block(std::size_t need) {
    // Reuse a later block if it is big enough; otherwise add one.
    while (current_ + 1 < blocks_.size() && !blocks_.empty()) {
      ++current_;
      used_ = 0;
      if (blocks_[current_].size >= need) return;
    }
    const std::size_t size = std::max<std::size_t>(need, 64 * 1024);
    if (size > limit_ || held_ > limit_ - size) throw arena_limit_reached{};
    held_ += size;
    blocks_.push_back({std::unique_ptr<char[]>(new char[size]), size});
    current_ = blocks_.size() - 1;
    used_ = 0;
  }
  std::vector<block> blocks_;
  std::size_t current_ = 0;
  std::size_t used_ = 0;
  std::size_t held_ = 0;
  std::size_t limit_ = SIZE_MAX;
};

}  // namespace joinup::values

namespace joinup::eval {
// The evaluator's names for them (and those of code that reads a plan's constants).
using values::arena;
using values::equal_scalars;
using values::from_node;
using values::same_bytes;
using values::same_text;
using values::value;
using values::vkind;
}  // namespace joinup::eval
