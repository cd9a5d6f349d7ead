// The public document's checked accessors, the document builder (the only way nodes get into a
// document; its steps are in builder.hpp) and document::path.
#include "joinup/document.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <limits>
#include <random>
#include <stdexcept>
#include <utility>

#include "data/builder.hpp"
#include "data/load_detail.hpp"
#include "data/storage.hpp"
#include "diag/codes.hpp"
#include "diag/text.hpp"
#include "joinup/diagnostic.hpp"

namespace joinup {

namespace data {

namespace {

[[noreturn]] void misuse(const std::string& origin, std::string message) {
  diagnostic d;
  d.code = diag::to_string(diag::code::builder_misuse);
  d.message = std::move(message);
  d.origin = origin;
  throw error({std::move(d)});
}

std::uint64_t large_map_key(std::uint32_t map, std::uint32_t key) { return (std::uint64_t{map} << 32) | key; }

// Keys written with a dot: a letter or '_', then letters, digits, '_' and '-' (ids such as
// leeds-city-council read as they are written in the data).
bool is_path_word(std::string_view k) {
  if (k.empty()) return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!alpha(k[0])) return false;
  return std::all_of(k.begin() + 1, k.end(), [&](char c) { return alpha(c) || (c >= '0' && c <= '9') || c == '-'; });
}

}  // namespace

std::uint64_t random_seed() {
  static const std::uint64_t seed = [] {
    std::uint64_t s = 0x9E3779B97F4A7C15ull;
    try {
      std::random_device device;
      s ^= (static_cast<std::uint64_t>(device()) << 32) ^ device();
    } catch (...) {
      // No entropy source: the addresses of this process (randomised by the system) still vary.
      s ^= reinterpret_cast<std::uintptr_t>(&s) ^ (reinterpret_cast<std::uintptr_t>(&random_seed) << 16);
    }
    return s;
  }();
  return seed;
}

std::uint64_t next_uid() {
  static std::atomic<std::uint64_t> last{0};
  return last.fetch_add(1, std::memory_order_relaxed) + 1;
}

std::string path_of(const document_data& d, std::uint32_t n) {
  std::string out;
  if (n >= d.nodes.size()) return out;
  std::uint32_t cur = 0;
  // Pre-order: the subtree of a container's i-th child is the id range [child_i, child_i+1), so the
  // child holding n is the last one whose id is <= n.
  while (cur != n) {
    const auto& c = d.nodes[cur];
    const auto first = c.u.range.first, count = c.u.range.count;
    if (c.kind == value_kind::list && count > 0) {
      const auto* b = d.items.data() + first;
      const auto* it = std::upper_bound(b, b + count, n) - 1;
      out += '[';
      out += std::to_string(it - b);
      out += ']';
      cur = *it;
    } else if (c.kind == value_kind::map && count > 0) {
      const auto* b = d.entries.data() + first;
      const auto* it =
          std::upper_bound(b, b + count, n, [](std::uint32_t v, const doc_entry& e) { return v < e.value; }) - 1;
      const auto& t = d.keys[it->key];
      document::append_path_key(out, std::string_view(d.strings).substr(t.first, t.count));
      cur = it->value;
    } else {
      break;  // not reachable in a well-formed document
    }
  }
  return out;
}

namespace {

// A builder deleted after its thread's spare (a static one, at exit) is destroyed: spare_gone has
// no destructor, so it can still be read then.
thread_local bool spare_gone = false;
// The builder last deleted on this thread, cleared, with the room of its arrays (see
// builder_state::operator delete); a builder holding more room than max_spare_bytes is destroyed.
struct spare_builder {
  builder_state* held = nullptr;
  spare_builder() = default;
  spare_builder(const spare_builder&) = delete;
  spare_builder& operator=(const spare_builder&) = delete;
  ~spare_builder();
};
constexpr std::size_t max_spare_bytes = 64 * 1024;
thread_local spare_builder spare;

// An array of at most this many bytes is copied into the document's block by finish(); a larger
// one is handed over as it is.
constexpr std::size_t max_copied_bytes = 8 * 1024;

// The allocator of a document's block: what allocate_shared asks for (the shared count and the
// document_data), then `tail` bytes more, whose address goes to *tail_at.
template <class T>
struct block_allocator {
  using value_type = T;
  std::size_t tail;
  void** tail_at;
  block_allocator(std::size_t t, void** at) : tail(t), tail_at(at) {}
  template <class U>
  block_allocator(const block_allocator<U>& o) : tail(o.tail), tail_at(o.tail_at) {}
  T* allocate(std::size_t n) {
    const std::size_t head = (n * sizeof(T) + 15) & ~std::size_t{15};
    char* p = static_cast<char*>(::operator new(head + tail));
    *tail_at = p + head;
    return reinterpret_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t) { ::operator delete(static_cast<void*>(p)); }
  template <class U>
  bool operator==(const block_allocator<U>&) const {
    return true;
  }
};

// Copies a builder's array into the document's block at `at` (moved past it), leaving the array
// empty with its room.
template <class T>
void copy_out(builder_state::array<T>& from, stored_array<T>& to, char*& at) {
  const std::size_t bytes = from.size * sizeof(T);
  if (bytes) std::memcpy(at, from.begin(), bytes);
  to.items = reinterpret_cast<const T*>(at);
  to.count = from.size;
  at += bytes;
  from.size = 0;
}

spare_builder::~spare_builder() {
  spare_gone = true;
  if (held) {
    held->~builder_state();
    ::operator delete(held);
  }
}

}  // namespace

builder_state::builder_state(std::string origin) : origin_(std::move(origin)), key_seed_(random_seed()) {}

std::unique_ptr<builder_state> builder_state::make(std::string origin) {
  if (spare_gone || !spare.held) return std::unique_ptr<builder_state>(new builder_state(std::move(origin)));
  builder_state* b = std::exchange(spare.held, nullptr);
  b->origin_ = std::move(origin);
  return std::unique_ptr<builder_state>(b);
}

void builder_state::operator delete(builder_state* b, std::destroying_delete_t) {
  if (spare_gone || spare.held || b->room() > max_spare_bytes) {
    b->~builder_state();
    ::operator delete(b);
    return;
  }
  b->clear();
  spare.held = b;
}

std::size_t builder_state::room() const {
  return frames_.capacity() * sizeof(frame) + scratch_items_.bytes() + scratch_entries_.bytes() + key_states_.bytes() +
         nodes_.bytes() + items_.bytes() + entries_.bytes() + pool_capacity_ + keys_.bytes() + key_slots_.bytes() +
         key_hashes_.bytes() + large_maps_.bucket_count() * sizeof(void*);
}

// After finish() most of this is cleared already; after a build that failed half-way, nothing of
// it may be left for the next.
void builder_state::clear() {
  finished_ = false;
  frames_.clear();
  in_map_ = false;
  last_key_ = no_index;
  scratch_items_.size = scratch_entries_.size = 0;
  nodes_.size = items_.size = entries_.size = 0;
  pending_key_ = no_index;
  pending_key_offset_ = 0;
  pool_size_ = 0;
  keys_.size = key_slots_.size = key_hashes_.size = 0;
  if (!large_maps_.empty()) std::unordered_map<std::uint64_t, std::uint32_t>().swap(large_maps_);
  lines_ = line_index();
  key_states_.size = 0;
  first_key_ = no_index;
}

void builder_state::reserve(std::size_t values, std::size_t string_bytes, std::optional<std::size_t> map_entries) {
  if (finished_) misuse("<builder>", "document builder used after finish()");
  nodes_.reserve(values);
  frames_.reserve(16);  // open lists and maps: most documents nest less deeply
  if (map_entries) {
    const std::size_t in_maps = std::min(*map_entries, values > 0 ? values - 1 : 0);
    entries_.reserve(in_maps);
    items_.reserve(values > 0 ? values - 1 - in_maps : 0);
  }
  if (string_bytes > pool_capacity_) grow_pool(string_bytes - pool_size_);
}

void builder_state::grow_pool(std::size_t more) {
  if (pool_size_ + more > std::numeric_limits<std::uint32_t>::max())
    misuse(origin_, "the strings of a document take at most 4 GiB");
  const std::size_t capacity = std::max<std::size_t>({pool_size_ + more, 2 * pool_capacity_, 64});
  std::unique_ptr<char, free_storage> grown(static_cast<char*>(::operator new(capacity + 16)));
  if (pool_size_) std::memcpy(grown.get(), pool_.get(), pool_size_);
  pool_ = std::move(grown);
  pool_capacity_ = capacity;
}

void builder_state::set_source(std::string_view text) {
  if (finished_) misuse("<builder>", "document builder used after finish()");
  lines_ = line_index(text);
}

void builder_state::set_lines(line_index lines) {
  if (finished_) misuse("<builder>", "document builder used after finish()");
  lines_ = std::move(lines);
}

// The checks of the public functions: the steps themselves (builder.hpp) assume them.
void builder_state::check_value() const {
  if (finished_) misuse("<builder>", "document builder used after finish()");
  if (nodes_.size >= std::numeric_limits<std::uint32_t>::max() - 1)
    misuse(origin_, "a document holds at most 4294967294 values");
  if (frames_.empty()) {
    if (nodes_.size != 0) misuse(origin_, "a document has one root value; a second one was added");
  } else if (in_map_ && pending_key_ == no_index) {
    misuse(origin_, "a value was added to a map without a key before it");
  }
}

void builder_state::null_value(std::uint32_t offset) {
  check_value();
  put_null(offset);
}

void builder_state::boolean(bool v, std::uint32_t offset) {
  check_value();
  put_boolean(v, offset);
}

void builder_state::integer(std::int64_t v, std::uint32_t offset) {
  check_value();
  put_integer(v, offset);
}

void builder_state::number(double v, std::uint32_t offset) {
  check_value();
  put_number(v, offset);
}

void builder_state::string(std::string_view v, std::uint32_t offset) {
  check_value();
  if (pool_size_ + v.size() > std::numeric_limits<std::uint32_t>::max())
    misuse(origin_, "the strings of a document take at most 4 GiB");
  put_string(v, offset, false);
}

void builder_state::date_value(date v, std::uint32_t offset) {
  check_value();
  put_date(v, offset);
}

void builder_state::begin_list(std::uint32_t offset) {
  check_value();
  put_begin(false, offset);
}

void builder_state::begin_map(std::uint32_t offset) {
  check_value();
  put_begin(true, offset);
}

void builder_state::end() {
  if (finished_) misuse("<builder>", "document builder used after finish()");
  if (frames_.empty()) misuse(origin_, "end() without an open list or map");
  if (frames_.back().is_map && pending_key_ != no_index)
    misuse(origin_, "a map ended after key " + data::quote(key_text_of(pending_key_)) + " without its value");
  put_end();
}

std::string_view builder_state::key_text_of(std::uint32_t k) const { return pool_text(keys_[k].first, keys_[k].count); }

std::uint32_t builder_state::intern(std::string_view k, bool slack) {
  const std::uint32_t h = hash_key(k);
  if (key_slots_.size == 0) {
    // First key: room for 32 keys at once (the table keeps at most half its 64 slots full)
    // instead of regrowing four arrays from one.
    std::memset(key_slots_.extend(64), 0, 64 * sizeof(std::uint32_t));
    keys_.reserve(32);
    key_hashes_.reserve(32);
    key_states_.reserve(32);
  }
  std::size_t mask = key_slots_.size - 1;
  std::size_t slot = h & mask;
  for (; key_slots_[slot] != 0; slot = (slot + 1) & mask) {
    const std::uint32_t id = key_slots_[slot] - 1;
    if (key_hashes_[id] != h) continue;
    const auto& t = keys_[id];
    if (t.count == k.size() && same_bytes(pool_.get() + t.first, k.data(), k.size())) return id;
  }
  const auto id = static_cast<std::uint32_t>(keys_.size);
  const std::uint32_t first = pool_append(k, slack);
  *keys_.next() = {first, static_cast<std::uint32_t>(k.size())};
  *key_hashes_.next() = h;
  *key_states_.next() = {no_index, 0, 0};
  key_slots_[slot] = id + 1;
  if (2 * keys_.size > key_slots_.size) {  // keep it at most half full
    array<std::uint32_t> grown;
    std::uint32_t* g = grown.extend(key_slots_.size * 2);
    std::memset(g, 0, grown.size * sizeof(std::uint32_t));
    mask = grown.size - 1;
    for (std::uint32_t i = 0; i < key_hashes_.size; ++i) {
      std::size_t s = key_hashes_[i] & mask;
      while (g[s] != 0) s = (s + 1) & mask;
      g[s] = i + 1;
    }
    key_slots_ = std::move(grown);
  }
  return id;
}

// A map reaching more than large_map_threshold keys: its keys so far go into the hash index.
void builder_state::index_large_map(const frame& f, std::uint32_t count) {
  const pending_entry* e = scratch_entries_.begin() + f.scratch_start;
  for (std::uint32_t i = 0; i < count; ++i) large_maps_.emplace(large_map_key(f.node, e[i].key), i);
}

std::optional<std::uint32_t> builder_state::key(std::string_view k, std::uint32_t offset) {
  if (finished_) misuse("<builder>", "document builder used after finish()");
  if (frames_.empty() || !frames_.back().is_map) misuse(origin_, "key " + data::quote(k) + " outside a map");
  if (pending_key_ != no_index)
    misuse(origin_,
           "key " + data::quote(k) + " follows key " + data::quote(key_text_of(pending_key_)) + ", which has no value");
  return put_key(k, offset, false);
}

document builder_state::finish() {
  if (finished_) misuse("<builder>", "document builder used after finish()");
  if (!frames_.empty())
    misuse(origin_, "finish() with " + std::to_string(frames_.size()) + " list(s) or map(s) still open");
  if (nodes_.size == 0) misuse(origin_, "finish() before any value was added");

  // Entry indexes were relative to the map's first entry while the map was being built.
  for (auto& [k, v] : large_maps_) v += nodes_[static_cast<std::uint32_t>(k >> 32)].u.range.first;

  // The document's block: its storage, then the arrays copied into it, in decreasing alignment
  // (16 bytes for the block, 8 for nodes, entries and keys, 4 for the rest, then the bytes).
  const bool copy_nodes = nodes_.size * sizeof(doc_node) <= max_copied_bytes;
  const bool copy_items = items_.size * sizeof(std::uint32_t) <= max_copied_bytes;
  const bool copy_entries = entries_.size * sizeof(doc_entry) <= max_copied_bytes;
  const bool copy_pool = pool_size_ <= max_copied_bytes;
  const std::size_t tail =
      (copy_nodes ? nodes_.size * sizeof(doc_node) : 0) + (copy_entries ? entries_.size * sizeof(doc_entry) : 0) +
      keys_.size * sizeof(document_data::key_text) + (copy_items ? items_.size * sizeof(std::uint32_t) : 0) +
      (key_slots_.size + key_hashes_.size) * sizeof(std::uint32_t) + (copy_pool ? pool_size_ : 0);
  void* tail_at = nullptr;
  auto data = std::allocate_shared<document_data>(block_allocator<document_data>(tail, &tail_at));
  auto& d = *data;
  char* at = static_cast<char*>(tail_at);
  if (copy_nodes)
    copy_out(nodes_, d.nodes, at);
  else
    nodes_.hand_over(d.nodes, d.owned[0]);
  if (copy_entries)
    copy_out(entries_, d.entries, at);
  else
    entries_.hand_over(d.entries, d.owned[2]);
  copy_out(keys_, d.keys, at);
  if (copy_items)
    copy_out(items_, d.items, at);
  else
    items_.hand_over(d.items, d.owned[1]);
  copy_out(key_slots_, d.key_slots, at);
  copy_out(key_hashes_, d.key_hashes, at);
  if (copy_pool) {
    if (pool_size_) std::memcpy(at, pool_.get(), pool_size_);
    d.strings = {at, pool_size_};
  } else {
    // As the arrays: trimmed by a copy when much of its room is unused.
    if (pool_capacity_ - pool_size_ > pool_size_ / 8 && pool_capacity_ - pool_size_ > 1024) {
      std::unique_ptr<char, free_storage> trimmed(static_cast<char*>(::operator new(pool_size_)));
      std::memcpy(trimmed.get(), pool_.get(), pool_size_);
      pool_ = std::move(trimmed);
    }
    d.strings = {pool_.get(), pool_size_};
    d.owned[3].reset(pool_.release());
    pool_capacity_ = 0;
  }
  pool_size_ = 0;
  d.origin = std::move(origin_);
  d.key_seed = key_seed_;
  d.large_maps = std::move(large_maps_);
  d.lines = std::move(lines_);
  d.uid = next_uid();

  document out = access::adopt(std::move(data));
  finished_ = true;
  frames_.clear();
  in_map_ = false;
  last_key_ = no_index;
  scratch_items_.size = scratch_entries_.size = 0;  // their room stays for ~builder_state
  key_states_.size = 0;
  first_key_ = no_index;
  pending_key_ = no_index;
  return out;
}

}  // namespace data

// ---------------------------------------------------------------- the public document

namespace {

using data::document_view;

[[noreturn]] void not_a_node(const char* what, document::node_id n, const document& doc) {
  throw std::out_of_range("joinup::document::" + std::string(what) + ": node " + std::to_string(n) +
                          " is not in this document" + (doc.empty() ? " (it is empty)" : ""));
}

// The view of `doc` once n is known to be one of its nodes.
document_view checked(const char* what, const document& doc, document::node_id n) {
  const document_view v(doc);
  if (v.empty() || n >= v.storage()->nodes.size()) not_a_node(what, n, doc);
  return v;
}

// ... and of kind k.
document_view checked(const char* what, const document& doc, document::node_id n, value_kind k) {
  const document_view v = checked(what, doc, n);
  if (v.kind(n) != k)
    throw std::invalid_argument("joinup::document::" + std::string(what) + ": node " + std::to_string(n) + " is a " +
                                std::string(to_string(v.kind(n))) + ", not a " + std::string(to_string(k)));
  return v;
}

// ... and a list or map with an element i.
document_view checked_element(const char* what, const document& doc, document::node_id n, value_kind k,
                              std::uint32_t i) {
  const document_view v = checked(what, doc, n, k);
  if (i >= v.size(n))
    throw std::out_of_range("joinup::document::" + std::string(what) + ": " + std::string(to_string(k)) + " node " +
                            std::to_string(n) + " has " + std::to_string(v.size(n)) + " elements, not " +
                            std::to_string(i + 1));
  return v;
}

}  // namespace

bool document::empty() const noexcept { return document_view(*this).empty(); }
std::uint64_t document::uid() const noexcept { return document_view(*this).uid(); }
const std::string& document::origin() const noexcept { return document_view(*this).origin(); }
std::size_t document::node_count() const noexcept { return data_ ? data_->nodes.size() : 0; }

value_kind document::kind(node_id n) const { return checked("kind", *this, n).kind(n); }
bool document::as_bool(node_id n) const { return checked("as_bool", *this, n, value_kind::boolean).as_bool(n); }
std::int64_t document::as_int(node_id n) const { return checked("as_int", *this, n, value_kind::integer).as_int(n); }
double document::as_double(node_id n) const { return checked("as_double", *this, n, value_kind::number).as_double(n); }
date document::as_date(node_id n) const { return checked("as_date", *this, n, value_kind::date).as_date(n); }
std::string_view document::as_string(node_id n) const {
  return checked("as_string", *this, n, value_kind::string).as_string(n);
}
std::uint32_t document::size(node_id n) const { return checked("size", *this, n).size(n); }
document::node_id document::at(node_id list, std::uint32_t i) const {
  return checked_element("at", *this, list, value_kind::list, i).at(list, i);
}

void document::prefetch(node_id n) const noexcept {
  const document_view v(*this);
  if (!v.empty() && n < v.storage()->nodes.size()) v.prefetch(n);
}
void document::prefetch_entries(node_id map) const noexcept {
  const document_view v(*this);
  if (!v.empty() && map < v.storage()->nodes.size()) v.prefetch_entries(map);
}

document::key_id document::key_at(node_id map, std::uint32_t i) const {
  return checked_element("key_at", *this, map, value_kind::map, i).key_at(map, i);
}
document::node_id document::value_at(node_id map, std::uint32_t i) const {
  return checked_element("value_at", *this, map, value_kind::map, i).value_at(map, i);
}
std::string_view document::key_text(key_id k) const {
  if (!data_ || k >= data_->keys.size())
    throw std::out_of_range("joinup::document::key_text: no key " + std::to_string(k) + " in this document");
  return document_view(*this).key_text(k);
}

std::optional<document::key_id> document::find_key(std::string_view text) const {
  return document_view(*this).find_key(text);
}
document::node_id document::find(node_id map, key_id k) const { return checked("find", *this, map).find(map, k); }
document::node_id document::find(node_id map, std::string_view key) const {
  return checked("find", *this, map).find(map, key);
}

std::uint32_t document::offset(node_id n) const { return checked("offset", *this, n).offset(n); }
source_position document::position(node_id n) const { return checked("position", *this, n).position(n); }

std::string document::path(node_id n) const { return data_ ? data::path_of(*data_, n) : std::string(); }

void document::append_path_key(std::string& out, std::string_view k) {
  if (data::is_path_word(k)) {
    if (!out.empty()) out += '.';
    out += k;
    return;
  }
  // In the rule language's own string syntax, so the path can be pasted into a rule.
  out += '[';
  diag::append_quoted(out, k);
  out += ']';
}

// ---------------------------------------------------------------- the public builder

document_builder::document_builder(std::string origin) : state_(data::builder_state::make(std::move(origin))) {}
document_builder::~document_builder() = default;
document_builder::document_builder(document_builder&&) noexcept = default;
document_builder& document_builder::operator=(document_builder&&) noexcept = default;

data::builder_state& document_builder::state() const {
  if (!state_) data::misuse("<builder>", "document builder used after it was moved from");
  return *state_;
}

void document_builder::set_source(std::string_view text) { state().set_source(text); }
void document_builder::set_lines(line_index lines) { state().set_lines(std::move(lines)); }
void document_builder::null_value(std::uint32_t offset) { state().null_value(offset); }
void document_builder::boolean(bool v, std::uint32_t offset) { state().boolean(v, offset); }
void document_builder::integer(std::int64_t v, std::uint32_t offset) { state().integer(v, offset); }
void document_builder::number(double v, std::uint32_t offset) { state().number(v, offset); }
void document_builder::string(std::string_view v, std::uint32_t offset) { state().string(v, offset); }
void document_builder::date_value(date v, std::uint32_t offset) { state().date_value(v, offset); }
void document_builder::begin_list(std::uint32_t offset) { state().begin_list(offset); }
void document_builder::begin_map(std::uint32_t offset) { state().begin_map(offset); }
void document_builder::end() { state().end(); }
std::optional<std::uint32_t> document_builder::key(std::string_view k, std::uint32_t offset) {
  return state().key(k, offset);
}
std::size_t document_builder::depth() const noexcept { return state_ ? state_->depth() : 0; }
void document_builder::reserve(std::size_t values, std::size_t string_bytes, std::optional<std::size_t> map_entries) {
  state().reserve(values, string_bytes, map_entries);
}
document document_builder::finish() { return state().finish(); }

}  // namespace joinup
