// The document builder's state and steps, private to the library. The public builder
// (document_builder, src/data/document.cpp) checks each use, then takes these steps; the JSON
// loader takes them directly (it calls the builder correctly by construction: a key before each
// map value, balanced begin/end, one root), through data::access::state, so that a value costs a
// few stores and no call.
//
// Limits the public functions check and these steps do not: a document of at most 4294967294
// values and 4 GiB of strings. The JSON text is shorter than 4 GiB and every value takes at least
// one byte of it, every pooled byte one byte of it, so a JSON document stays within both; the
// pool's growth checks its limit anyway.
//
// The builder appends a container's node when it begins, so ids are in pre-order; the ids of a
// container's children are collected on a scratch stack and moved into `items` / `entries` as one
// contiguous run when the container ends. Maps with more than large_map_threshold entries get a
// hash index keyed by (map node, key id); it is built while the map grows (the builder needs it
// anyway to find duplicate keys without an O(n²) scan) and holds indexes relative to the map's
// first entry until finish() rebases them.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "data/storage.hpp"

namespace joinup::data {

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

class builder_state {
 public:
  // A builder on the heap: the one this thread last deleted, when there is one (see operator
  // delete), else a new one.
  static std::unique_ptr<builder_state> make(std::string origin);
  // Deleting a builder keeps it, cleared, with the room of its arrays (the open containers, the
  // children gathered, the nodes, lists, entries, string pool and key table while building, the
  // key guesses and stamps), for the next make() on this thread, when that room is small: a host
  // loading one small document after another allocates none of it again (finish() copies a
  // small document out of it). Otherwise, and at thread exit, the builder is destroyed.
  void operator delete(builder_state* b, std::destroying_delete_t);
  builder_state(const builder_state&) = delete;
  builder_state& operator=(const builder_state&) = delete;

  // The public builder's functions, checked (they throw joinup::error, code builder-misuse).
  void set_source(std::string_view text);
  void set_lines(line_index lines);
  void null_value(std::uint32_t offset);
  void boolean(bool v, std::uint32_t offset);
  void integer(std::int64_t v, std::uint32_t offset);
  void number(double v, std::uint32_t offset);
  void string(std::string_view v, std::uint32_t offset);
  void date_value(date v, std::uint32_t offset);
  void begin_list(std::uint32_t offset);
  void begin_map(std::uint32_t offset);
  void end();
  std::optional<std::uint32_t> key(std::string_view k, std::uint32_t offset);
  std::size_t depth() const { return frames_.size(); }
  void reserve(std::size_t values, std::size_t string_bytes, std::optional<std::size_t> map_entries);
  document finish();

  // The steps, unchecked.
  struct frame {
    std::uint32_t node;
    bool is_map;
    std::uint32_t scratch_start;  // into scratch_items_ or scratch_entries_
  };
  struct pending_entry {
    std::uint32_t key;         // interned key id
    std::uint32_t value;       // node id
    std::uint32_t key_offset;  // where the key was written, for a duplicate's message
    std::uint32_t unused;      // 16 bytes: counting them is a shift
  };
  // A growing array of a trivially copyable type that does not initialise what it allocates and
  // appends inline. The document's nodes, items, entries and keys are gathered in these; finish()
  // copies them into the document's block, or hands a large one over (trimmed by a copy only when
  // much of the room is unused).
  template <class T>
  struct array {
    std::unique_ptr<T, free_storage> data;
    std::size_t size = 0, capacity = 0;
    T* grow(std::size_t more) {
      const std::size_t cap = std::max<std::size_t>({size + more, 2 * capacity, 64});
      std::unique_ptr<T, free_storage> grown(static_cast<T*>(::operator new(cap * sizeof(T))));
      if (size) std::memcpy(static_cast<void*>(grown.get()), data.get(), size * sizeof(T));
      data = std::move(grown);
      capacity = cap;
      return data.get();
    }
    void reserve(std::size_t n) {
      if (n > capacity) grow(n - size);
    }
    // Room for `more` elements at the end, returned.
    T* extend(std::size_t more) {
      T* base = capacity - size < more ? grow(more) : data.get();
      T* at = base + size;
      size += more;
      return at;
    }
    // The next element, to be written in place.
    T* next() {
      T* base = size == capacity ? grow(1) : data.get();
      return base + size++;
    }
    // The storage becomes the document's (`owner`): as it is when at most an eighth of its room
    // is unused (the JSON loader reserves close to what it needs) or the unused room is under
    // 1 KiB, else trimmed by a copy. The array is left empty, without room.
    void hand_over(stored_array<T>& to, std::unique_ptr<void, free_storage>& owner) {
      if (capacity - size > size / 8 && (capacity - size) * sizeof(T) > 1024) {
        std::unique_ptr<T, free_storage> trimmed(static_cast<T*>(::operator new(size * sizeof(T))));
        std::memcpy(static_cast<void*>(trimmed.get()), data.get(), size * sizeof(T));
        data = std::move(trimmed);
      }
      to.items = data.get();
      to.count = size;
      owner.reset(data.release());
      size = capacity = 0;
    }
    std::size_t bytes() const { return capacity * sizeof(T); }
    T& operator[](std::size_t i) { return data.get()[i]; }
    const T& operator[](std::size_t i) const { return data.get()[i]; }
    const T* begin() const { return data.get(); }
    const T* end() const { return data.get() + size; }
  };
  std::size_t room() const;  // the bytes its arrays hold
  void clear();              // as new, but for the room of its arrays and its origin
  inline std::uint32_t place(value_kind kind, std::uint32_t offset, std::uint64_t payload);
  inline void put_null(std::uint32_t offset);
  inline void put_boolean(bool v, std::uint32_t offset);
  inline void put_integer(std::int64_t v, std::uint32_t offset);
  inline void put_number(double v, std::uint32_t offset);
  inline void put_date(date v, std::uint32_t offset);
  // `slack`: 16 bytes from v.data() may be read (the text goes on), so short strings are copied
  // with one fixed-size move.
  inline void put_string(std::string_view v, std::uint32_t offset, bool slack);
  inline void put_begin(bool is_map, std::uint32_t offset);
  inline void put_end();
  // `slack` as for put_string.
  inline std::optional<std::uint32_t> put_key(std::string_view k, std::uint32_t offset, bool slack);
  // The key that followed the previous key of the open map the last time (or began a map), or
  // no key: put_key's guess, which a reader may test against its text before reading it.
  inline std::uint32_t guessed_key() const;
  // put_key for a key already interned (`id`): the duplicate check and the pending key.
  inline std::optional<std::uint32_t> put_key_id(std::uint32_t id, std::uint32_t offset);
  inline std::uint32_t pool_append(std::string_view v, bool slack);
  std::string_view pool_text(std::uint32_t first, std::uint32_t count) const {
    return std::string_view(pool_.get() + first, count);
  }
  void grow_pool(std::size_t more);
  void check_value() const;
  std::string_view key_text_of(std::uint32_t k) const;
  void index_large_map(const frame& f, std::uint32_t count);
  std::uint32_t intern(std::string_view k, bool slack);

  explicit builder_state(std::string origin);
  std::string origin_;
  bool finished_ = false;
  std::vector<frame> frames_;
  bool in_map_ = false;  // the innermost open container is a map
  // The key of the innermost open map's last entry (no_index before its first): the key guesses
  // follow it (see key_state), without a look at the map's entries.
  std::uint32_t last_key_ = no_index;
  array<std::uint32_t> scratch_items_;
  array<pending_entry> scratch_entries_;
  array<doc_node> nodes_;  // the document's nodes, items and entries
  array<std::uint32_t> items_;
  array<doc_entry> entries_;
  std::uint32_t pending_key_ = no_index;
  std::uint32_t pending_key_offset_ = 0;
  // The string pool while building: pool_size_ bytes used of pool_capacity_, and 16 bytes more
  // allocated after those for fixed-size copies.
  std::unique_ptr<char, free_storage> pool_;
  std::size_t pool_size_ = 0, pool_capacity_ = 0;
  // Interned keys: their texts (in the pool) and the table document_data::key_slots will hold
  // (see there; key_slots_.size is 0 before the first key), built as keys come.
  std::uint32_t hash_key(std::string_view s) const noexcept { return data::hash_key(key_seed_, s); }
  std::uint64_t key_seed_;
  array<document_data::key_text> keys_;
  array<std::uint32_t> key_slots_;
  array<std::uint32_t> key_hashes_;
  std::unordered_map<std::uint64_t, std::uint32_t> large_maps_;  // document_data::large_maps, being built
  line_index lines_;
  // What the builder keeps of each key while building, by key id (one record, appended with the
  // key by intern()). Maps in a list usually repeat their keys in one order: `next` is the key
  // that followed this one the last time (first_key_ the one that began a map), and a key equal to
  // the guess needs no lookup. `stamp`: 1 + the node of the last map (below the large-map
  // threshold) the key was put in. `plain`: the JSON loader's, 1 when the key was read from the
  // text as it is (no '"', '\\' or control character in it).
  struct key_state {
    std::uint32_t next;
    std::uint32_t stamp;
    std::uint32_t plain;
  };
  array<key_state> key_states_;
  std::uint32_t first_key_ = no_index;
};

// A node is written field by field where it goes: a node built aside and copied as one 16-byte
// value was read back before its narrower writes had landed, which stalled every value.
__attribute__((always_inline)) inline std::uint32_t builder_state::place(value_kind kind, std::uint32_t offset,
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
    pending_key_ = no_index;
  } else {
    *scratch_items_.next() = id;  // the root goes here too, and finish() drops it
  }
  doc_node* n = nodes_.next();
  // Two 8-byte stores: the kind, three zero bytes and the offset; then the value.
  static_assert(offsetof(doc_node, offset) == 4 && offsetof(doc_node, u) == 8 && sizeof(n->u) == 8);
  const std::uint64_t head =
      static_cast<std::uint64_t>(static_cast<std::uint8_t>(kind)) | (std::uint64_t{offset} << 32);
  std::memcpy(static_cast<void*>(n), &head, 8);
  std::memcpy(reinterpret_cast<char*>(n) + 8, &payload, 8);
  return id;
}

__attribute__((always_inline)) inline void builder_state::put_null(std::uint32_t offset) {
  place(value_kind::null, offset, 0);
}

__attribute__((always_inline)) inline void builder_state::put_boolean(bool v, std::uint32_t offset) {
  place(value_kind::boolean, offset, payload_of(v));
}

__attribute__((always_inline)) inline void builder_state::put_integer(std::int64_t v, std::uint32_t offset) {
  place(value_kind::integer, offset, payload_of(v));
}

__attribute__((always_inline)) inline void builder_state::put_number(double v, std::uint32_t offset) {
  place(value_kind::number, offset, payload_of(v));
}

__attribute__((always_inline)) inline void builder_state::put_date(date v, std::uint32_t offset) {
  place(value_kind::date, offset, payload_of(v.days));
}

__attribute__((always_inline)) inline std::uint32_t builder_state::pool_append(std::string_view v, bool slack) {
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

__attribute__((always_inline)) inline void builder_state::put_string(std::string_view v, std::uint32_t offset,
                                                                     bool slack) {
  const std::uint32_t first = pool_append(v, slack);
  place(value_kind::string, offset, range_payload(first, static_cast<std::uint32_t>(v.size())));
}

__attribute__((always_inline)) inline void builder_state::put_begin(bool is_map, std::uint32_t offset) {
  const auto id = place(is_map ? value_kind::map : value_kind::list, offset, 0);
  frames_.push_back({id, is_map, static_cast<std::uint32_t>(is_map ? scratch_entries_.size : scratch_items_.size)});
  in_map_ = is_map;
  last_key_ = no_index;
}

__attribute__((always_inline)) inline void builder_state::put_end() {
  const frame f = frames_.back();
  frames_.pop_back();
  in_map_ = !frames_.empty() && frames_.back().is_map;
  // Back in a map, the container that ends is its last entry's value.
  if (in_map_) last_key_ = scratch_entries_.begin()[scratch_entries_.size - 1].key;
  auto& n = nodes_[f.node];
  if (f.is_map) {
    const std::size_t count = scratch_entries_.size - f.scratch_start;
    n.u.range.first = static_cast<std::uint32_t>(entries_.size);
    n.u.range.count = static_cast<std::uint32_t>(count);
    const pending_entry* e = scratch_entries_.begin() + f.scratch_start;
    doc_entry* to = entries_.extend(count);
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

__attribute__((always_inline)) inline std::uint32_t builder_state::guessed_key() const {
  return last_key_ != no_index ? key_states_[last_key_].next : first_key_;
}

__attribute__((always_inline)) inline std::optional<std::uint32_t> builder_state::put_key(std::string_view k,
                                                                                          std::uint32_t offset,
                                                                                          bool slack) {
  const std::uint32_t prev = last_key_;
  std::uint32_t id = prev != no_index ? key_states_[prev].next : first_key_;
  if (id == no_index || keys_[id].count != k.size() || !same_bytes(pool_.get() + keys_[id].first, k.data(), k.size())) {
    id = intern(k, slack);  // may grow key_states_: index it afresh
    (prev != no_index ? key_states_[prev].next : first_key_) = id;
  }
  return put_key_id(id, offset);
}

__attribute__((always_inline)) inline std::optional<std::uint32_t> builder_state::put_key_id(std::uint32_t id,
                                                                                             std::uint32_t offset) {
  const frame& f = frames_.back();
  const auto count = static_cast<std::uint32_t>(scratch_entries_.size - f.scratch_start);
  const pending_entry* e = scratch_entries_.begin() + f.scratch_start;
  if (count < large_map_threshold) {
    // key_map_[id] - 1 is the last map the key was put in. A map's ids are larger than those of
    // every map begun before it, so a stamp below this map's means the key is not in it (most
    // keys: no scan); equal means it is, larger that a map inside this one has had it since.
    std::uint32_t& stamp = key_states_[id].stamp;
    if (stamp >= f.node + 1) {
      for (std::uint32_t i = 0; i < count; ++i)
        if (e[i].key == id) return e[i].key_offset;
    }
    stamp = f.node + 1;
  } else {
    // The map is large, or this key makes it large: the hash index (built here) finds duplicates.
    if (count == large_map_threshold) {
      for (std::uint32_t i = 0; i < count; ++i)
        if (e[i].key == id) return e[i].key_offset;
      index_large_map(f, count);
    }
    auto [it, inserted] = large_maps_.try_emplace((std::uint64_t{f.node} << 32) | id, count);
    if (!inserted) return e[it->second].key_offset;
  }
  pending_key_ = id;
  pending_key_offset_ = offset;
  last_key_ = id;
  return std::nullopt;
}

}  // namespace joinup::data
