// The storage of a document, private to the library: its nodes, lists, map entries, string pool
// and key table, and the one way in from the public types (`access`). The evaluator reads a
// document through `document_view`, the public document's read-only accessors inline and
// unchecked; the public accessors (src/data/document.cpp) check their arguments, then read the
// same storage.
//
// Nodes are stored in one array in pre-order (a container comes before its children, children in
// order), so a node's path is found by descending from the root without parent links. Map keys
// are interned per document. A document's storage is one block (see document_data) but for its
// large arrays, which the builder hands over as they are.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/no_index.hpp"
#include "data/hash.hpp"
#include "joinup/document.hpp"

namespace joinup::data {

static_assert(document::npos == no_index);

struct doc_node {
  value_kind kind = value_kind::null;
  std::uint8_t reserved[3] = {0, 0, 0};
  std::uint32_t offset = 0;  // byte offset of the value in the source text
  union {
    bool boolean;
    std::int64_t integer;
    double number;
    std::int32_t days;
    struct {
      std::uint32_t first;  // string: offset in the string pool; list: index in items; map: index in entries
      std::uint32_t count;  // string: length in bytes; list/map: number of elements
    } range;
  } u{};
};
static_assert(sizeof(doc_node) == 16);

struct doc_entry {
  std::uint32_t key;    // interned key id
  std::uint32_t value;  // node id
};

// Maps with more entries than this have a hash index keyed by (map node, key id).
inline constexpr std::uint32_t large_map_threshold = 12;

// Storage from ::operator new, released with ::operator delete (nothing to destroy: the element
// types are trivially copyable and destructible).
struct free_storage {
  void operator()(void* p) const { ::operator delete(p); }
};

// A fixed array of the document: in the document's own block (see below), or in storage the
// builder allocated and handed over without a copy (held by document_data::owned).
template <class T>
struct stored_array {
  const T* items = nullptr;
  std::size_t count = 0;
  const T* data() const { return items; }
  std::size_t size() const { return count; }
  bool empty() const { return count == 0; }
  const T& operator[](std::size_t i) const { return items[i]; }
  const T* begin() const { return items; }
  const T* end() const { return items + count; }
};

// The string pool: bytes, read as text.
struct stored_text {
  const char* bytes = "";
  std::size_t count = 0;
  const char* data() const { return bytes; }
  std::size_t size() const { return count; }
  operator std::string_view() const { return std::string_view(bytes, count); }
};

// A document's storage. It is made by document_builder::finish() in one allocation with its
// shared count, and its arrays follow it in that block, but for a large array the builder had
// allocated, which is handed over as it is (held by `owned`): a small document costs one
// allocation and one release, a large one no copy of its bulk.
struct document_data {
  std::string origin;
  stored_array<doc_node> nodes;
  stored_array<std::uint32_t> items;  // children of lists
  stored_array<doc_entry> entries;    // children of maps, in document order
  stored_text strings;                // pool of string values and keys
  struct key_text {
    std::uint32_t first, count;
  };
  stored_array<key_text> keys;  // key id -> text in the pool
  // Key texts to ids: an open-addressing table (a power of two in size, at most half full) of
  // key id + 1 (0: empty), probed from hash_key(key_seed, text) & (size - 1); key_hashes[id] is
  // compared before the text.
  std::uint64_t key_seed = 0;
  stored_array<std::uint32_t> key_slots;
  stored_array<std::uint32_t> key_hashes;
  std::unordered_map<std::uint64_t, std::uint32_t> large_maps;  // (map node << 32 | key id) -> entry index
  line_index lines;
  // A number no other document of this process has (copies of a document share it; 0 for one
  // not yet finished): caches of what was derived from a document key on it, not on its address.
  std::uint64_t uid = 0;
  // The large arrays handed over by the builder (nodes, items, entries, strings), or null.
  std::unique_ptr<void, free_storage> owned[4];
};

class builder_state;

// The one way from the public document and builder to their storage.
struct access {
  static const document_data* storage(const document& d) noexcept { return d.data_.get(); }
  static document adopt(std::shared_ptr<const document_data> data) {
    document out;
    out.data_ = std::move(data);
    return out;
  }
  static builder_state& state(document_builder& b) { return *b.state_; }
};

// The path of node n from the root (see document::path); empty for a node not in d.
std::string path_of(const document_data& d, std::uint32_t n);

// A document read without checks, for the library's own loops: the public document's read-only
// accessors, inline. The document must outlive the view; node ids must be of the document.
class document_view {
 public:
  using node_id = std::uint32_t;
  using key_id = std::uint32_t;
  static constexpr node_id npos = no_index;

  explicit document_view(const document& doc) noexcept : d_(access::storage(doc)) {}

  bool empty() const { return !d_ || d_->nodes.empty(); }
  std::uint64_t uid() const { return d_ ? d_->uid : 0; }
  const std::string& origin() const {  // empty for an empty document
    static const std::string none;
    return d_ ? d_->origin : none;
  }
  node_id root() const { return 0; }
  // The storage itself (null for an empty document).
  const document_data* storage() const { return d_; }

  value_kind kind(node_id n) const { return node(n).kind; }
  bool as_bool(node_id n) const { return node(n).u.boolean; }
  std::int64_t as_int(node_id n) const { return node(n).u.integer; }
  double as_double(node_id n) const { return node(n).u.number; }
  joinup::date as_date(node_id n) const { return joinup::date{node(n).u.days}; }
  std::string_view as_string(node_id n) const {
    const auto& r = node(n).u.range;
    return std::string_view(d_->strings.data() + r.first, r.count);  // the builder wrote a range inside the pool
  }
  std::uint32_t size(node_id n) const {
    const auto& d = node(n);
    return d.kind == value_kind::list || d.kind == value_kind::map ? d.u.range.count : 0;
  }
  node_id at(node_id list, std::uint32_t i) const { return d_->items[node(list).u.range.first + i]; }

  void prefetch(node_id n) const {
#if defined(__GNUC__)
    __builtin_prefetch(&d_->nodes[n]);
#endif
  }
  void prefetch_entries(node_id map) const {
#if defined(__GNUC__)
    const auto& d = node(map);
    if (d.kind == value_kind::map && d.u.range.count != 0) __builtin_prefetch(&d_->entries[d.u.range.first]);
#endif
  }
  key_id key_at(node_id map, std::uint32_t i) const { return d_->entries[node(map).u.range.first + i].key; }
  node_id value_at(node_id map, std::uint32_t i) const { return d_->entries[node(map).u.range.first + i].value; }
  std::string_view key_text(key_id k) const {
    const auto& t = d_->keys[k];
    return std::string_view(d_->strings).substr(t.first, t.count);
  }

  std::optional<key_id> find_key(std::string_view text) const {
    if (!d_) return std::nullopt;
    const auto& slots = d_->key_slots;
    if (slots.empty()) return std::nullopt;
    const std::uint32_t h = hash_key(d_->key_seed, text);
    const std::size_t mask = slots.size() - 1;
    for (std::size_t slot = h & mask; slots[slot] != 0; slot = (slot + 1) & mask) {
      const std::uint32_t id = slots[slot] - 1;
      if (d_->key_hashes[id] != h) continue;
      const auto& t = d_->keys[id];
      if (t.count == text.size() && std::memcmp(d_->strings.data() + t.first, text.data(), text.size()) == 0) return id;
    }
    return std::nullopt;
  }

  node_id find(node_id map, key_id k) const {
    const auto& m = node(map);
    if (m.kind != value_kind::map) return npos;
    if (m.u.range.count > large_map_threshold) {
      auto it = d_->large_maps.find((std::uint64_t{map} << 32) | k);
      return it == d_->large_maps.end() ? npos : d_->entries[it->second].value;
    }
    const doc_entry* e = d_->entries.data() + m.u.range.first;
    for (std::uint32_t i = 0; i < m.u.range.count; ++i)
      if (e[i].key == k) return e[i].value;
    return npos;
  }
  node_id find(node_id map, std::string_view key) const {
    auto k = find_key(key);
    return k ? find(map, *k) : npos;
  }

  std::uint32_t offset(node_id n) const { return node(n).offset; }
  source_position position(node_id n) const { return d_->lines.position(node(n).offset); }
  std::string path(node_id n) const { return d_ ? path_of(*d_, n) : std::string(); }

  const doc_node& node(node_id n) const { return d_->nodes[n]; }

 private:
  const document_data* d_;
};

}  // namespace joinup::data
