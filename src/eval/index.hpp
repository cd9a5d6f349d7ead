// A hash set of document scalars under the language's equality (numbers by value, so 1 == 1.0;
// strings by bytes; NaN equals nothing), to answer `X in LIST` without scanning the list. Holds
// node ids only: a document is immutable, so an index stays valid for the whole evaluation.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <vector>

#include "eval/value.hpp"

namespace joinup::eval {

class member_index {
 public:
  // Adds the elements of the document list `list`. False (and nothing added) when an element is
  // a list or a map: those compare structurally, and such lists are scanned instead.
  bool add_list(const document& doc, std::uint32_t list) {
    const std::uint32_t n = doc.size(list);
    for (std::uint32_t i = 0; i < n; ++i) {
      const auto k = doc.kind(doc.at(list, i));
      if (k == value_kind::list || k == value_kind::map) return false;
    }
    for (std::uint32_t i = 0; i < n; ++i) nodes_.push_back(doc.at(list, i));
    return true;
  }

  // Adds one document scalar (not a list or map).
  bool add_node(std::uint32_t node) {
    nodes_.push_back(node);
    return true;
  }

  // Builds the table over everything added; call once, before contains().
  void finish(const document& doc) {
    std::size_t size = 16;
    while (size < nodes_.size() * 2) size *= 2;
    table_.assign(size, empty);
    mask_ = size - 1;
    for (std::uint32_t k = 0; k < nodes_.size(); ++k) {
      const value v = from_node(doc, nodes_[k]);
      if (v.kind == vkind::number && v.u.d != v.u.d) continue;  // NaN: never found
      std::size_t at = hash(v) & mask_;
      bool duplicate = false;
      while (table_[at] != empty) {
        if (equal_scalars(from_node(doc, nodes_[table_[at]]), v)) {
          duplicate = true;
          break;
        }
        at = (at + 1) & mask_;
      }
      if (!duplicate) table_[at] = k;
    }
  }

  // Whether a scalar equal to x was added. x must not be a list, map, missing or error.
  bool contains(const document& doc, const value& x) const {
    if (x.kind == vkind::number && x.u.d != x.u.d) return false;
    for (std::size_t at = hash(x) & mask_; table_[at] != empty; at = (at + 1) & mask_)
      if (equal_scalars(from_node(doc, nodes_[table_[at]]), x)) return true;
    return false;
  }

 private:
  static constexpr std::uint32_t empty = 0xFFFFFFFFu;

  // Strings from the data are hashed with the process's random seed (detail::random_seed), so
  // that no document can be written to make its strings collide (which would make a join
  // quadratic). Every byte is read (overlapping fixed-size loads for short strings, no call).
  std::uint64_t hash_bytes(std::string_view s) const {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    std::uint64_t h = seed_ ^ (n * 0x9E3779B97F4A7C15ull);
    auto step = [&h](std::uint64_t w) {
      h = (h ^ w) * 0xFF51AFD7ED558CCDull;
      h ^= h >> 32;
    };
    if (n >= 8) {
      std::uint64_t w;
      for (std::size_t i = 0; i + 8 <= n; i += 8) {
        std::memcpy(&w, p + i, 8);
        step(w);
      }
      std::memcpy(&w, p + n - 8, 8);  // the last 8 bytes (overlapping what was read)
      h ^= w;
    } else if (n >= 4) {
      std::uint32_t a, b;
      std::memcpy(&a, p, 4);
      std::memcpy(&b, p + n - 4, 4);
      h ^= (std::uint64_t{a} << 32) | b;
    } else if (n > 0) {
      h ^= (std::uint64_t{p[0]} << 16) | (std::uint64_t{p[n >> 1]} << 8) | p[n - 1];
    }
    return mix(h);
  }

  static std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDull;
    x ^= x >> 33;
    x *= 0xC4CEB9FE1A85EC53ull;
    return x ^ (x >> 33);
  }
  // Equal values hash alike: every number by its double value (which is what mixed integer and
  // decimal comparison uses), with -0.0 as 0.0.
  std::uint64_t hash(const value& v) const {
    switch (v.kind) {
      case vkind::integer:
      case vkind::number: {
        const double d = v.as_double();
        return mix(std::bit_cast<std::uint64_t>(d == 0 ? 0.0 : d));
      }
      case vkind::string: return hash_bytes(v.str());
      case vkind::boolean: return mix(2 + v.u.b);
      case vkind::date: return mix((std::uint64_t{5} << 40) ^ static_cast<std::uint32_t>(v.u.days));
      default: return 7;
    }
  }

  std::uint64_t seed_ = detail::random_seed();
  std::vector<std::uint32_t> nodes_;
  std::vector<std::uint32_t> table_;
  std::size_t mask_ = 0;
};

}  // namespace joinup::eval
