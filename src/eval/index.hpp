// Hash indexes under the language's equality (numbers by value, so 1 == 1.0; strings by bytes;
// NaN equals nothing). member_index: a set of document scalars, to answer `X in LIST` without
// scanning the list. group_index: a list's positions grouped by a key, for filters of the form
// `where K == E and ...`. Both hold document data only: a document is immutable, so an index
// stays valid for the whole evaluation.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

#include "value/value.hpp"

namespace joinup::eval {

// Hashes scalars under the language's equality: equal values hash alike. Strings from the data
// are hashed with the process's random seed (data::random_seed), so that no document can be
// written to make its strings collide (which would make a join quadratic).
class scalar_hasher {
 public:
  std::uint64_t operator()(const value& v) const { return hash(v); }

 private:
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
      case vkind::string: return data::hash_bytes(seed_, v.str());
      case vkind::boolean: return mix(2 + v.u.b);
      case vkind::date: return mix((std::uint64_t{5} << 40) ^ static_cast<std::uint32_t>(v.u.days));
      default: return 7;
    }
  }

  std::uint64_t seed_ = data::random_seed();
};

class member_index {
 public:
  // Adds the elements of the document list `list`. False (and nothing added) when an element is
  // a list or a map: those compare structurally, and such lists are scanned instead.
  bool add_list(const data::document_view& doc, std::uint32_t list) {
    const std::uint32_t n = doc.size(list);
    const std::size_t before = nodes_.size();
    for (std::uint32_t i = 0; i < n; ++i) {
      const auto e = doc.at(list, i);
      const auto k = doc.kind(e);
      if (k == value_kind::list || k == value_kind::map) {
        nodes_.resize(before);
        return false;
      }
      nodes_.push_back(e);
    }
    return true;
  }

  // Adds one document scalar (not a list or map).
  bool add_node(std::uint32_t node) {
    nodes_.push_back(node);
    return true;
  }

  // Empty again, keeping the memory for the next use (or giving it back when it grew large).
  void clear() {
    if (nodes_.capacity() > kept_capacity) {
      std::vector<std::uint32_t>().swap(nodes_);
      table_.reset();
      table_capacity_ = 0;
    }
    nodes_.clear();
    mask_ = 0;
  }

  // Builds the table over everything added; call once, before contains().
  void finish(const data::document_view& doc) {
    std::size_t size = 16;
    while (size < nodes_.size() * 2) size *= 2;
    if (size > table_capacity_) {
      table_ = std::make_unique_for_overwrite<std::uint32_t[]>(size);
      table_capacity_ = size;
    }
    std::memset(table_.get(), 0xFF, size * sizeof(std::uint32_t));  // every slot `empty`
    mask_ = size - 1;
    for (std::uint32_t k = 0; k < nodes_.size(); ++k) {
      const value v = from_node(doc, nodes_[k]);
      if (v.kind == vkind::number && v.u.d != v.u.d) continue;  // NaN: never found
      for (std::size_t at = hash_(v) & mask_;; at = (at + 1) & mask_) {
        const std::uint32_t slot = table_[at];
        if (slot == empty) {
          table_[at] = k;
          break;
        }
        if (equal_scalars(from_node(doc, nodes_[slot]), v)) break;  // an equal value is in already
      }
    }
  }

  // Whether a scalar equal to x was added. x must not be a list, map, missing or error.
  bool contains(const data::document_view& doc, const value& x) const {
    if (x.kind == vkind::number && x.u.d != x.u.d) return false;
    for (std::size_t at = hash_(x) & mask_; table_[at] != empty; at = (at + 1) & mask_)
      if (equal_scalars(from_node(doc, nodes_[table_[at]]), x)) return true;
    return false;
  }

 private:
  static constexpr std::uint32_t empty = no_index;       // a slot holds an index in nodes_
  static constexpr std::size_t kept_capacity = 1 << 14;  // elements; about 192 KiB with the table

  scalar_hasher hash_;
  std::vector<std::uint32_t> nodes_;
  std::unique_ptr<std::uint32_t[]> table_;  // mask_ + 1 slots in use
  std::size_t table_capacity_ = 0;
  std::size_t mask_ = 0;
};

// An index of a document list, built on first use and kept for one evaluation.
struct indexed_list {
  std::uint32_t searches = 0;
  bool built = false, usable = false;
  member_index index;
};

// The indexed lists of one evaluation by a 64-bit key, kept from one evaluation to the next
// (cleared, with their memory) so that building an index does not allocate each time: the first
// few are found by a scan, more through a hash map.
class indexed_lists {
 public:
  indexed_list& operator[](std::uint64_t key) {
    if (used_ <= scan_limit) {
      for (std::size_t i = 0; i < used_; ++i)
        if (lists_[i].first == key) return *lists_[i].second;
    } else if (auto it = where_.find(key); it != where_.end()) {
      return *lists_[it->second].second;
    }
    if (used_ == lists_.size()) lists_.emplace_back(0, std::make_unique<indexed_list>());
    auto& [k, list] = lists_[used_];
    k = key;
    if (used_ == scan_limit)  // from now on through the map
      for (std::size_t i = 0; i < used_; ++i) where_.emplace(lists_[i].first, i);
    if (used_ >= scan_limit) where_.emplace(key, used_);
    ++used_;
    return *list;
  }

  // Empty again for the next evaluation; at most a few lists keep their memory.
  void clear() {
    for (std::size_t i = 0; i < used_; ++i) {
      auto& l = *lists_[i].second;
      l.searches = 0;
      l.built = l.usable = false;
      l.index.clear();
    }
    used_ = 0;
    if (lists_.size() > kept) lists_.resize(kept);
    where_.clear();
  }

 private:
  static constexpr std::size_t scan_limit = 8, kept = 4;
  std::vector<std::pair<std::uint64_t, std::unique_ptr<indexed_list>>> lists_;
  std::size_t used_ = 0;
  std::unordered_map<std::uint64_t, std::size_t> where_;  // key -> index in lists_, past scan_limit
};

// The elements of one list grouped by a key (docs/architecture.md, grouped filters): for a value x, the
// positions whose key equals x, in list order, and the positions whose key is not groupable (to be
// visited whatever x is), in list order too. Groupable keys are the scalars on which the
// language's equality is an equivalence: null, booleans, strings, dates, and numbers other than
// NaN whose value a double holds exactly (whole numbers up to 2^53 in size), so that every key
// equal to x is in x's one group. Keys are held as values: strings must outlive the index (the
// document's, not the arena's).
class group_index {
 public:
  static bool groupable(const value& v) {
    switch (v.kind) {
      case vkind::null:
      case vkind::boolean:
      case vkind::string:
      case vkind::date: return true;
      case vkind::integer: return v.u.i >= -(std::int64_t{1} << 53) && v.u.i <= (std::int64_t{1} << 53);
      case vkind::number: return v.u.d == v.u.d;
      default: return false;
    }
  }

  // The key of the element at `position`; positions are added in increasing order.
  void add(std::uint32_t position, const value& key) {
    if (!groupable(key)) {
      always_.push_back(position);
      return;
    }
    if ((keys_.size() + 1) * 2 > table_.size()) grow();
    const std::uint32_t g = insert(key);
    if (g == keys_.size()) {
      keys_.push_back(key);
      sizes_.push_back(0);
    }
    ++sizes_[g];
    added_.push_back({position, g});
  }

  // Orders the positions by group (each group in list order); call once, after the last add().
  void finish() {
    first_.assign(keys_.size() + 1, 0);
    for (std::uint32_t g = 0; g < keys_.size(); ++g) first_[g + 1] = first_[g] + sizes_[g];
    positions_.resize(added_.size());
    std::vector<std::uint32_t> next(first_.begin(), first_.end() - 1);
    for (const auto& [position, g] : added_) positions_[next[g]++] = position;
    std::vector<std::pair<std::uint32_t, std::uint32_t>>().swap(added_);
    std::vector<std::uint32_t>().swap(sizes_);
  }

  struct span {
    const std::uint32_t* begin = nullptr;
    const std::uint32_t* end = nullptr;
  };
  // The positions whose key equals x (x groupable).
  span find(const value& x) const {
    if (table_.empty()) return {};
    for (std::size_t at = hash_(x) & mask_; table_[at] != empty; at = (at + 1) & mask_) {
      const std::uint32_t g = table_[at];
      if (equal_scalars(keys_[g], x)) return {positions_.data() + first_[g], positions_.data() + first_[g + 1]};
    }
    return {};
  }
  // The positions whose key is not groupable.
  span always() const { return {always_.data(), always_.data() + always_.size()}; }

 private:
  static constexpr std::uint32_t empty = no_index;

  // The group of key (a new one, numbered keys_.size(), when no key is equal).
  std::uint32_t insert(const value& key) {
    std::size_t at = hash_(key) & mask_;
    for (; table_[at] != empty; at = (at + 1) & mask_)
      if (equal_scalars(keys_[table_[at]], key)) return table_[at];
    table_[at] = static_cast<std::uint32_t>(keys_.size());
    return table_[at];
  }
  void grow() {
    const std::size_t size = std::max<std::size_t>(16, table_.size() * 2);
    table_.assign(size, empty);
    mask_ = size - 1;
    for (std::uint32_t g = 0; g < keys_.size(); ++g) {
      std::size_t at = hash_(keys_[g]) & mask_;
      while (table_[at] != empty) at = (at + 1) & mask_;
      table_[at] = g;
    }
  }

  scalar_hasher hash_;
  std::vector<value> keys_;                                     // each group's first key
  std::vector<std::uint32_t> sizes_;                            // while adding: each group's size
  std::vector<std::pair<std::uint32_t, std::uint32_t>> added_;  // while adding: (position, group)
  std::vector<std::uint32_t> first_;                            // group g: positions_[first_[g], first_[g + 1])
  std::vector<std::uint32_t> positions_;
  std::vector<std::uint32_t> always_;
  std::vector<std::uint32_t> table_;
  std::size_t mask_ = 0;
};

}  // namespace joinup::eval
