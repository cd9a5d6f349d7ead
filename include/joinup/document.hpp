// The immutable data document that rules are evaluated against: a compact tree of values that
// remembers where in its source file every value came from.
//
// Nodes are stored in one array in pre-order (a container comes before its children, children in
// order), so a node's path is found by descending from the root without parent links. Map keys
// are interned per document. A document is cheap to copy (it shares its immutable data) and safe
// to read from any number of threads.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "joinup/position.hpp"

namespace joinup {

enum class value_kind : std::uint8_t { null, boolean, integer, number, string, date, list, map };

constexpr std::string_view to_string(value_kind k) {
  switch (k) {
    case value_kind::null: return "null";
    case value_kind::boolean: return "boolean";
    case value_kind::integer: return "integer";
    case value_kind::number: return "number";
    case value_kind::string: return "string";
    case value_kind::date: return "date";
    case value_kind::list: return "list";
    case value_kind::map: return "map";
  }
  return "value";
}

// A calendar date (proleptic Gregorian), as days since 1970-01-01.
struct date {
  std::int32_t days = 0;

  static constexpr date from_ymd(int y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return date{era * 146097 + static_cast<int>(doe) - 719468};
  }

  struct ymd {
    int year;
    unsigned month;
    unsigned day;
  };
  constexpr ymd to_ymd() const {
    const int z = days + 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int y = static_cast<int>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {y + (m <= 2), m, d};
  }

  static constexpr bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
  static constexpr unsigned days_in_month(int y, unsigned m) {
    constexpr unsigned table[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : table[m - 1];
  }

  // Exactly YYYY-MM-DD naming a real calendar day; anything else is not a date.
  static constexpr std::optional<date> parse(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    int v[3] = {0, 0, 0};
    const int starts[3] = {0, 5, 8}, lens[3] = {4, 2, 2};
    for (int f = 0; f < 3; ++f)
      for (int i = 0; i < lens[f]; ++i) {
        const char c = s[static_cast<std::size_t>(starts[f] + i)];
        if (c < '0' || c > '9') return std::nullopt;
        v[f] = v[f] * 10 + (c - '0');
      }
    if (v[1] < 1 || v[1] > 12 || v[2] < 1) return std::nullopt;
    if (static_cast<unsigned>(v[2]) > days_in_month(v[0], static_cast<unsigned>(v[1]))) return std::nullopt;
    return from_ymd(v[0], static_cast<unsigned>(v[1]), static_cast<unsigned>(v[2]));
  }

  std::string to_string() const {
    const auto [y, m, d] = to_ymd();
    char buf[16];
    buf[0] = static_cast<char>('0' + (y / 1000) % 10);
    buf[1] = static_cast<char>('0' + (y / 100) % 10);
    buf[2] = static_cast<char>('0' + (y / 10) % 10);
    buf[3] = static_cast<char>('0' + y % 10);
    buf[4] = '-';
    buf[5] = static_cast<char>('0' + m / 10);
    buf[6] = static_cast<char>('0' + m % 10);
    buf[7] = '-';
    buf[8] = static_cast<char>('0' + d / 10);
    buf[9] = static_cast<char>('0' + d % 10);
    return std::string(buf, 10);
  }

  friend constexpr bool operator==(date a, date b) { return a.days == b.days; }
  friend constexpr auto operator<=>(date a, date b) { return a.days <=> b.days; }
};

namespace detail {

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

// Storage from ::operator new, released with ::operator delete (nothing to destroy: the element
// types are trivially copyable and destructible).
struct free_storage {
  void operator()(void* p) const { ::operator delete(p); }
};

// An array of a fixed size that the document builder allocated (and hands over without a copy).
template <class T>
struct owned_array {
  std::unique_ptr<T, free_storage> storage;
  std::size_t count = 0;
  const T* data() const { return storage.get(); }
  std::size_t size() const { return count; }
  bool empty() const { return count == 0; }
  const T& operator[](std::size_t i) const { return storage.get()[i]; }
};

// A number chosen once per process at random: the seed of the hashes over data (interned keys,
// the evaluator's join indexes), so that no document can be written to make them collide.
std::uint64_t random_seed();
// The next document::uid (1, 2, 3, ... over the process).
std::uint64_t next_uid();

// The hash of interned keys: cheaper than the library's for the short keys data files have, and
// seeded once per process at random, so that no document can be written to make its keys collide
// (which would make loading it, and looking keys up, quadratic).
inline std::uint32_t hash_key(std::uint64_t seed, std::string_view s) noexcept {
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
  return static_cast<std::uint32_t>(h >> 32);
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
struct document_data {
  std::string origin;
  owned_array<doc_node> nodes;
  owned_array<std::uint32_t> items;  // children of lists
  owned_array<doc_entry> entries;    // children of maps, in document order
  std::string strings;               // pool of string values and keys
  struct key_text {
    std::uint32_t first, count;
  };
  std::vector<key_text> keys;                               // key id -> text in the pool
  // Key texts to ids: an open-addressing table (a power of two in size, at most half full) of
  // key id + 1 (0: empty), probed from hash_key(key_seed, text) & (size - 1); key_hashes[id] is
  // compared before the text.
  std::uint64_t key_seed = 0;
  std::vector<std::uint32_t> key_slots;
  std::vector<std::uint32_t> key_hashes;
  std::unordered_map<std::uint64_t, std::uint32_t> large_maps;  // (map node << 32 | key id) -> entry index
  line_index lines;
  // A number no other document of this process has (copies of a document share it; 0 for one
  // not yet finished): caches of what was derived from a document key on it, not on its address.
  std::uint64_t uid = 0;
};

}  // namespace detail

class document_builder;
namespace data {
class json_parser;
}  // namespace data

class document {
 public:
  using node_id = std::uint32_t;
  using key_id = std::uint32_t;
  static constexpr node_id npos = 0xFFFFFFFFu;
  static constexpr std::uint32_t large_map_threshold = 12;

  document() = default;

  bool empty() const { return !data_ || data_->nodes.empty(); }
  // A number that no other loaded document of this process has (copies share it), never 0 for a
  // loaded document and 0 for an empty one: a key for what a host derives from a document.
  std::uint64_t uid() const { return data_ ? data_->uid : 0; }
  const std::string& origin() const { return data_->origin; }
  node_id root() const { return 0; }
  std::size_t node_count() const { return data_ ? data_->nodes.size() : 0; }

  value_kind kind(node_id n) const { return node(n).kind; }
  bool as_bool(node_id n) const { return node(n).u.boolean; }
  std::int64_t as_int(node_id n) const { return node(n).u.integer; }
  double as_double(node_id n) const { return node(n).u.number; }
  joinup::date as_date(node_id n) const { return joinup::date{node(n).u.days}; }
  // The as_ readers read the value of a node of that kind (check kind(n) first).
  std::string_view as_string(node_id n) const {
    const auto& r = node(n).u.range;
    return std::string_view(data_->strings.data() + r.first, r.count);  // the builder wrote a range inside the pool
  }

  // Number of elements of a list or entries of a map; 0 for scalars.
  std::uint32_t size(node_id n) const {
    const auto& d = node(n);
    return d.kind == value_kind::list || d.kind == value_kind::map ? d.u.range.count : 0;
  }
  node_id at(node_id list, std::uint32_t i) const { return data_->items[node(list).u.range.first + i]; }

  // For the library's own tight loops: the arrays themselves (null for an empty document).
  const detail::document_data* internals() const noexcept { return data_.get(); }

  // Hints for walking a long list, whose next elements can be fetched while this one is read (a
  // large document does not fit in the caches): prefetch(n) asks for node n without reading it;
  // prefetch_entries(map) reads node `map` and asks for its first entries. n and map must be
  // nodes of this document (not empty).
  void prefetch(node_id n) const {
#if defined(__GNUC__)
    __builtin_prefetch(&data_->nodes[n]);
#endif
  }
  void prefetch_entries(node_id map) const {
#if defined(__GNUC__)
    const auto& d = node(map);
    if (d.kind == value_kind::map && d.u.range.count != 0) __builtin_prefetch(&data_->entries[d.u.range.first]);
#endif
  }
  key_id key_at(node_id map, std::uint32_t i) const { return data_->entries[node(map).u.range.first + i].key; }
  node_id value_at(node_id map, std::uint32_t i) const {
    return data_->entries[node(map).u.range.first + i].value;
  }
  std::string_view key_text(key_id k) const {
    const auto& t = data_->keys[k];
    return std::string_view(data_->strings).substr(t.first, t.count);
  }

  // The id of a key text in this document, if any map in it has that key.
  std::optional<key_id> find_key(std::string_view text) const {
    if (!data_) return std::nullopt;
    const auto& slots = data_->key_slots;
    if (slots.empty()) return std::nullopt;
    const std::uint32_t h = detail::hash_key(data_->key_seed, text);
    const std::size_t mask = slots.size() - 1;
    for (std::size_t slot = h & mask; slots[slot] != 0; slot = (slot + 1) & mask) {
      const std::uint32_t id = slots[slot] - 1;
      if (data_->key_hashes[id] != h) continue;
      const auto& t = data_->keys[id];
      if (t.count == text.size() && std::memcmp(data_->strings.data() + t.first, text.data(), text.size()) == 0)
        return id;
    }
    return std::nullopt;
  }

  // The value under a key of a map, or npos.
  node_id find(node_id map, key_id k) const {
    const auto& m = node(map);
    if (m.kind != value_kind::map) return npos;
    if (m.u.range.count > large_map_threshold) {
      auto it = data_->large_maps.find((std::uint64_t{map} << 32) | k);
      return it == data_->large_maps.end() ? npos : data_->entries[it->second].value;
    }
    const detail::doc_entry* e = data_->entries.data() + m.u.range.first;
    for (std::uint32_t i = 0; i < m.u.range.count; ++i)
      if (e[i].key == k) return e[i].value;
    return npos;
  }
  node_id find(node_id map, std::string_view key) const {
    auto k = find_key(key);
    return k ? find(map, *k) : npos;
  }

  // Where a value starts in the source file.
  std::uint32_t offset(node_id n) const { return node(n).offset; }
  source_position position(node_id n) const { return data_->lines.position(node(n).offset); }

  // The value's path from the root: "partnership.leavers[3]",
  // "partnership.organisations.leeds-city-council"; keys that are not words are quoted:
  // partnership.areas["North East"].
  std::string path(node_id n) const;
  // Appends ".key" (or ["key"] for keys that are not words such as leeds-city-council) to a path.
  static void append_path_key(std::string& path, std::string_view key);

 private:
  friend class document_builder;
  const detail::doc_node& node(node_id n) const { return data_->nodes[n]; }
  std::shared_ptr<const detail::document_data> data_;
};

// Builds a document in document order: scalars, begin_list/begin_map ... end, and key() before
// each map value. Used by the YAML and JSON loaders and by hosts that build data in memory.
class document_builder {
 public:
  explicit document_builder(std::string origin = "<memory>");

  // The source text that offsets refer to, for line and column computation (may be empty).
  void set_source(std::string_view text);
  // Or its line index, made already (a slice of a larger text's, say).
  void set_lines(line_index lines);

  void null_value(std::uint32_t offset = 0);
  void boolean(bool v, std::uint32_t offset = 0);
  void integer(std::int64_t v, std::uint32_t offset = 0);
  void number(double v, std::uint32_t offset = 0);
  void string(std::string_view v, std::uint32_t offset = 0);
  void date_value(date v, std::uint32_t offset = 0);
  void begin_list(std::uint32_t offset = 0);
  void begin_map(std::uint32_t offset = 0);
  void end();

  // The key of the next value in the current map. When the map already has this key, nothing is
  // added and the offset of the earlier key is returned: the caller reports the duplicate.
  std::optional<std::uint32_t> key(std::string_view k, std::uint32_t offset = 0);

  std::size_t depth() const { return frames_.size(); }

  // Room for about `values` values and `string_bytes` bytes of strings and keys, so that the
  // arrays do not grow step by step (a hint: more may be added; finish() trims what is unused).
  // `map_entries`, when known, is about how many of the values are in maps (the rest, but the
  // root, are in lists).
  void reserve(std::size_t values, std::size_t string_bytes, std::optional<std::size_t> map_entries = std::nullopt);

  // Ends building; the builder must be balanced (every begin_ has its end) and hold one root value.
  document finish();

 private:
  // The JSON loader (src/data/json.cpp) calls the builder correctly by construction and uses its
  // unchecked inline steps (defined in src/data/builder_steps.hpp); the public functions above
  // check their use and then take the same steps.
  friend class data::json_parser;

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
  // appends inline. The document's nodes, items and entries are gathered in these and handed to
  // it by finish() (trimmed by a copy only when much of the room is unused).
  using free_storage = detail::free_storage;
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
    // The array becomes the document's: as it is when at most an eighth of its room is unused
    // (the JSON loader reserves close to what it needs), else trimmed by a copy.
    void hand_over(detail::owned_array<T>& to) {
      if (capacity - size > size / 8) {
        std::unique_ptr<T, free_storage> trimmed(size ? static_cast<T*>(::operator new(size * sizeof(T))) : nullptr);
        if (size) std::memcpy(static_cast<void*>(trimmed.get()), data.get(), size * sizeof(T));
        data = std::move(trimmed);
      }
      to.storage = std::move(data);
      to.count = size;
      size = capacity = 0;
    }
    T& operator[](std::size_t i) { return data.get()[i]; }
    const T* begin() const { return data.get(); }
    const T* end() const { return data.get() + size; }
  };
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
  inline std::optional<std::uint32_t> put_key(std::string_view k, std::uint32_t offset);
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
  std::uint32_t intern(std::string_view k);

  std::shared_ptr<detail::document_data> data_;
  std::vector<frame> frames_;
  bool in_map_ = false;  // the innermost open container is a map
  array<std::uint32_t> scratch_items_;
  array<pending_entry> scratch_entries_;
  array<detail::doc_node> nodes_;  // the document's nodes, items and entries
  array<std::uint32_t> items_;
  array<detail::doc_entry> entries_;
  std::uint32_t pending_key_ = 0xFFFFFFFFu;
  std::uint32_t pending_key_offset_ = 0;
  // The string pool while building (moved into the document by finish()): pool_size_ bytes used
  // of pool_capacity_, and 16 bytes more allocated after those for fixed-size copies.
  std::unique_ptr<char[]> pool_;
  std::size_t pool_size_ = 0, pool_capacity_ = 0;
  // Interned keys: the table document_data::key_slots will hold (see there), built as keys come;
  // the texts are those in the pool.
  std::uint32_t hash_key(std::string_view s) const noexcept { return detail::hash_key(key_seed_, s); }
  std::uint64_t key_seed_;
  std::vector<std::uint32_t> key_slots_;
  std::vector<std::uint32_t> key_hashes_;
  // Maps in a list usually repeat their keys in one order: next_key_[k] is the key that followed k
  // the last time, first_key_ the one that began a map; a key equal to the guess needs no lookup.
  std::vector<std::uint32_t> next_key_;
  // key_map_[k]: 1 + the node of the last map (below the large-map threshold) that k was put in.
  std::vector<std::uint32_t> key_map_;
  std::uint32_t first_key_ = 0xFFFFFFFFu;
};

// Loading data files. Errors throw joinup::error with the file, line and column.
enum class data_format : std::uint8_t { automatic, yaml, json };

struct load_options {
  std::uint32_t max_depth = 256;                      // nesting depth of lists and maps
  std::uint64_t max_bytes = 256ull * 1024 * 1024;     // size of the text
  std::uint64_t max_string_bytes = 16ull * 1024 * 1024;  // length of one string (or key) in the data
};

// Parses YAML (1.2 core schema: `yes` stays a string) or JSON text. `automatic` picks JSON when the
// origin ends in .json, YAML otherwise (JSON text is valid YAML, but the JSON path is stricter).
document load_document(std::string_view text, std::string origin, data_format format = data_format::automatic,
                       const load_options& options = {});
document load_document_file(const std::string& path, data_format format = data_format::automatic,
                            const load_options& options = {});

}  // namespace joinup
