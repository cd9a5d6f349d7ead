// The document builder's steps, inline: included by document.cpp (whose public functions check
// their use, then take these steps) and by the JSON loader, which calls them directly (it calls
// the builder correctly by construction: a key before each map value, balanced begin/end, one
// root), so that a value costs a few stores and no call.
//
// Limits the public functions check and these do not: a document of at most 4294967294 values
// and 4 GiB of strings. The JSON text is shorter than 4 GiB and every value takes at least one
// byte of it, every pooled byte one byte of it, so a JSON document stays within both; the pool's
// growth checks its limit anyway.
#pragma once

#include <cstddef>
#include <cstring>
#include <type_traits>

#include "joinup/document.hpp"

namespace joinup {

namespace detail {

constexpr std::uint32_t no_key = 0xFFFFFFFFu;

// The eight bytes of a node's value, as the union holds them (in registers: no memory between).
template <class T>
inline std::uint64_t payload_of(T v) {
  static_assert(sizeof(T) <= 8 && std::is_trivially_copyable_v<T>);
  std::uint64_t p = 0;
  std::memcpy(&p, &v, sizeof(T));
  return p;
}
inline std::uint64_t range_payload(std::uint32_t first, std::uint32_t count) {
  const std::uint32_t r[2] = {first, count};
  std::uint64_t p;
  std::memcpy(&p, r, 8);
  return p;
}

}  // namespace detail

// A node is written field by field where it goes: a node built aside and copied as one 16-byte
// value was read back before its narrower writes had landed, which stalled every value.
__attribute__((always_inline)) inline std::uint32_t document_builder::place(value_kind kind, std::uint32_t offset,
                                                                            std::uint64_t payload) {
  const auto id = static_cast<std::uint32_t>(nodes_.size);
  if (in_map_) {
    pending_entry* e = scratch_entries_.next();
    // Two 8-byte stores: key and value, then the key's offset and the unused word.
    static_assert(offsetof(pending_entry, value) == 4 && offsetof(pending_entry, key_offset) == 8);
    const std::uint64_t kv = pending_key_ | (std::uint64_t{id} << 32);
    const std::uint64_t ko = pending_key_offset_;
    std::memcpy(static_cast<void*>(e), &kv, 8);
    std::memcpy(reinterpret_cast<char*>(e) + 8, &ko, 8);
    pending_key_ = detail::no_key;
  } else {
    *scratch_items_.next() = id;  // the root goes here too, and finish() drops it
  }
  detail::doc_node* n = nodes_.next();
  // Two 8-byte stores: the kind, three zero bytes and the offset; then the value.
  static_assert(offsetof(detail::doc_node, offset) == 4 && offsetof(detail::doc_node, u) == 8 && sizeof(n->u) == 8);
  const std::uint64_t head = static_cast<std::uint64_t>(static_cast<std::uint8_t>(kind)) | (std::uint64_t{offset} << 32);
  std::memcpy(static_cast<void*>(n), &head, 8);
  std::memcpy(reinterpret_cast<char*>(n) + 8, &payload, 8);
  return id;
}

__attribute__((always_inline)) inline void document_builder::put_null(std::uint32_t offset) {
  place(value_kind::null, offset, 0);
}

__attribute__((always_inline)) inline void document_builder::put_boolean(bool v, std::uint32_t offset) {
  place(value_kind::boolean, offset, detail::payload_of(v));
}

__attribute__((always_inline)) inline void document_builder::put_integer(std::int64_t v, std::uint32_t offset) {
  place(value_kind::integer, offset, detail::payload_of(v));
}

__attribute__((always_inline)) inline void document_builder::put_number(double v, std::uint32_t offset) {
  place(value_kind::number, offset, detail::payload_of(v));
}

__attribute__((always_inline)) inline void document_builder::put_date(date v, std::uint32_t offset) {
  place(value_kind::date, offset, detail::payload_of(v.days));
}

__attribute__((always_inline)) inline std::uint32_t document_builder::pool_append(std::string_view v, bool slack) {
  const std::size_t at = pool_size_;
  if (pool_capacity_ - at < v.size()) grow_pool(v.size());
  char* to = pool_.get() + at;
  // Room for 16 bytes at `to`: the pool keeps 16 bytes past its capacity.
  if (slack && v.size() <= 16)
    std::memcpy(to, v.data(), 16);
  else if (!v.empty())
    std::memcpy(to, v.data(), v.size());
  pool_size_ = at + v.size();
  return static_cast<std::uint32_t>(at);
}

__attribute__((always_inline)) inline void document_builder::put_string(std::string_view v, std::uint32_t offset, bool slack) {
  const std::uint32_t first = pool_append(v, slack);
  place(value_kind::string, offset, detail::range_payload(first, static_cast<std::uint32_t>(v.size())));
}

__attribute__((always_inline)) inline void document_builder::put_begin(bool is_map, std::uint32_t offset) {
  const auto id = place(is_map ? value_kind::map : value_kind::list, offset, 0);
  frames_.push_back(
      {id, is_map, static_cast<std::uint32_t>(is_map ? scratch_entries_.size : scratch_items_.size)});
  in_map_ = is_map;
}

__attribute__((always_inline)) inline void document_builder::put_end() {
  const frame f = frames_.back();
  frames_.pop_back();
  in_map_ = !frames_.empty() && frames_.back().is_map;
  auto& n = nodes_[f.node];
  if (f.is_map) {
    const std::size_t count = scratch_entries_.size - f.scratch_start;
    n.u.range.first = static_cast<std::uint32_t>(entries_.size);
    n.u.range.count = static_cast<std::uint32_t>(count);
    const pending_entry* e = scratch_entries_.begin() + f.scratch_start;
    detail::doc_entry* to = entries_.extend(count);
    for (std::size_t i = 0; i < count; ++i) to[i] = {e[i].key, e[i].value};
    scratch_entries_.size = f.scratch_start;
  } else {
    const std::size_t count = scratch_items_.size - f.scratch_start;
    n.u.range.first = static_cast<std::uint32_t>(items_.size);
    n.u.range.count = static_cast<std::uint32_t>(count);
    // Lists are mostly short: a loop without a library call up to eight items.
    if (count) {
      std::uint32_t* to = items_.extend(count);
      const std::uint32_t* from = scratch_items_.begin() + f.scratch_start;
      if (count <= 8) {
        for (std::size_t i = 0; i < count; ++i) to[i] = from[i];
      } else {
        std::memcpy(to, from, count * sizeof(std::uint32_t));
      }
    }
    scratch_items_.size = f.scratch_start;
  }
}

__attribute__((always_inline)) inline std::uint32_t document_builder::guessed_key() const {
  const frame& f = frames_.back();
  const auto count = static_cast<std::uint32_t>(scratch_entries_.size - f.scratch_start);
  return count ? next_key_[scratch_entries_.begin()[f.scratch_start + count - 1].key] : first_key_;
}

__attribute__((always_inline)) inline std::optional<std::uint32_t> document_builder::put_key(std::string_view k, std::uint32_t offset) {
  const frame& f = frames_.back();
  const auto count = static_cast<std::uint32_t>(scratch_entries_.size - f.scratch_start);
  const pending_entry* e = scratch_entries_.begin() + f.scratch_start;
  const std::uint32_t prev = count ? e[count - 1].key : detail::no_key;
  std::uint32_t id = count ? next_key_[prev] : first_key_;
  if (id == detail::no_key || data_->keys[id].count != k.size() ||
      !detail::same_bytes(pool_.get() + data_->keys[id].first, k.data(), k.size())) {
    id = intern(k);  // may grow next_key_: index it afresh
    (count ? next_key_[prev] : first_key_) = id;
  }
  return put_key_id(id, offset);
}

__attribute__((always_inline)) inline std::optional<std::uint32_t> document_builder::put_key_id(std::uint32_t id, std::uint32_t offset) {
  const frame& f = frames_.back();
  const auto count = static_cast<std::uint32_t>(scratch_entries_.size - f.scratch_start);
  const pending_entry* e = scratch_entries_.begin() + f.scratch_start;
  if (count < document::large_map_threshold) {
    // key_map_[id] - 1 is the last map the key was put in. A map's ids are larger than those of
    // every map begun before it, so a stamp below this map's means the key is not in it (most
    // keys: no scan); equal means it is, larger that a map inside this one has had it since.
    std::uint32_t& stamp = key_map_[id];
    if (stamp >= f.node + 1) {
      for (std::uint32_t i = 0; i < count; ++i)
        if (e[i].key == id) return e[i].key_offset;
    }
    stamp = f.node + 1;
  } else {
    // The map is large, or this key makes it large: the hash index (built here) finds duplicates.
    if (count == document::large_map_threshold) {
      for (std::uint32_t i = 0; i < count; ++i)
        if (e[i].key == id) return e[i].key_offset;
      index_large_map(f, count);
    }
    auto [it, inserted] = data_->large_maps.try_emplace((std::uint64_t{f.node} << 32) | id, count);
    if (!inserted) return e[it->second].key_offset;
  }
  pending_key_ = id;
  pending_key_offset_ = offset;
  return std::nullopt;
}

}  // namespace joinup
