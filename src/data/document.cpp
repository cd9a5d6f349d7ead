// The document builder (the only way nodes get into a document) and document::path.
//
// The builder appends a container's node when it begins, so ids are in pre-order; the ids of a
// container's children are collected on a scratch stack and moved into `items` / `entries` as one
// contiguous run when the container ends. Maps with more than large_map_threshold entries get a
// hash index keyed by (map node, key id); it is built while the map grows (the builder needs it
// anyway to find duplicate keys without an O(n²) scan) and holds indexes relative to the map's
// first entry until finish() rebases them.
#include "joinup/document.hpp"

#include "diag/text.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <limits>
#include <random>

#include "data/builder_steps.hpp"
#include "data/load_detail.hpp"
#include "joinup/diagnostic.hpp"

namespace joinup {

namespace {

using detail::no_key;

[[noreturn]] void misuse(const std::string& origin, std::string message) {
  diagnostic d;
  d.code = "builder-misuse";
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
  return std::all_of(k.begin() + 1, k.end(),
                     [&](char c) { return alpha(c) || (c >= '0' && c <= '9') || c == '-'; });
}

}  // namespace

void document::append_path_key(std::string& out, std::string_view k) {
  if (is_path_word(k)) {
    if (!out.empty()) out += '.';
    out += k;
    return;
  }
  // In the rule language's own string syntax, so the path can be pasted into a rule.
  out += '[';
  diag::append_quoted(out, k);
  out += ']';
}

std::string document::path(node_id n) const {
  std::string out;
  if (!data_ || n >= data_->nodes.size()) return out;
  node_id cur = root();
  // Pre-order: the subtree of a container's i-th child is the id range [child_i, child_i+1), so the
  // child holding n is the last one whose id is <= n.
  while (cur != n) {
    const auto& c = node(cur);
    const auto first = c.u.range.first, count = c.u.range.count;
    if (c.kind == value_kind::list && count > 0) {
      const auto* b = data_->items.data() + first;
      const auto* it = std::upper_bound(b, b + count, n) - 1;
      out += '[';
      out += std::to_string(it - b);
      out += ']';
      cur = *it;
    } else if (c.kind == value_kind::map && count > 0) {
      const auto* b = data_->entries.data() + first;
      const auto* it =
          std::upper_bound(b, b + count, n, [](node_id v, const detail::doc_entry& e) { return v < e.value; }) - 1;
      append_path_key(out, key_text(it->key));
      cur = it->value;
    } else {
      break;  // not reachable in a well-formed document
    }
  }
  return out;
}

namespace detail {

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

}  // namespace detail

document_builder::document_builder(std::string origin)
    : data_(std::make_shared<detail::document_data>()), key_seed_(detail::random_seed()) {
  data_->origin = std::move(origin);
}

void document_builder::reserve(std::size_t values, std::size_t string_bytes, std::optional<std::size_t> map_entries) {
  if (!data_) misuse("<builder>", "document builder used after finish()");
  nodes_.reserve(values);
  frames_.reserve(16);  // open lists and maps: most documents nest less deeply
  if (map_entries) {
    const std::size_t in_maps = std::min(*map_entries, values > 0 ? values - 1 : 0);
    entries_.reserve(in_maps);
    items_.reserve(values > 0 ? values - 1 - in_maps : 0);
  }
  if (string_bytes > pool_capacity_) grow_pool(string_bytes - pool_size_);
}

void document_builder::grow_pool(std::size_t more) {
  if (pool_size_ + more > std::numeric_limits<std::uint32_t>::max())
    misuse(data_->origin, "the strings of a document take at most 4 GiB");
  const std::size_t capacity = std::max<std::size_t>({pool_size_ + more, 2 * pool_capacity_, 64});
  std::unique_ptr<char[]> grown(new char[capacity + 16]);
  if (pool_size_) std::memcpy(grown.get(), pool_.get(), pool_size_);
  pool_ = std::move(grown);
  pool_capacity_ = capacity;
}

void document_builder::set_source(std::string_view text) {
  if (!data_) misuse("<builder>", "document builder used after finish()");
  data_->lines = line_index(text);
}

void document_builder::set_lines(line_index lines) {
  if (!data_) misuse("<builder>", "document builder used after finish()");
  data_->lines = std::move(lines);
}

// The checks of the public functions: the steps themselves (builder_steps.hpp) assume them.
void document_builder::check_value() const {
  if (!data_) misuse("<builder>", "document builder used after finish()");
  if (nodes_.size >= std::numeric_limits<std::uint32_t>::max() - 1)
    misuse(data_->origin, "a document holds at most 4294967294 values");
  if (frames_.empty()) {
    if (nodes_.size != 0) misuse(data_->origin, "a document has one root value; a second one was added");
  } else if (in_map_ && pending_key_ == no_key) {
    misuse(data_->origin, "a value was added to a map without a key before it");
  }
}

void document_builder::null_value(std::uint32_t offset) {
  check_value();
  put_null(offset);
}

void document_builder::boolean(bool v, std::uint32_t offset) {
  check_value();
  put_boolean(v, offset);
}

void document_builder::integer(std::int64_t v, std::uint32_t offset) {
  check_value();
  put_integer(v, offset);
}

void document_builder::number(double v, std::uint32_t offset) {
  check_value();
  put_number(v, offset);
}

void document_builder::string(std::string_view v, std::uint32_t offset) {
  check_value();
  if (pool_size_ + v.size() > std::numeric_limits<std::uint32_t>::max())
    misuse(data_->origin, "the strings of a document take at most 4 GiB");
  put_string(v, offset, false);
}

void document_builder::date_value(date v, std::uint32_t offset) {
  check_value();
  put_date(v, offset);
}

void document_builder::begin_list(std::uint32_t offset) {
  check_value();
  put_begin(false, offset);
}

void document_builder::begin_map(std::uint32_t offset) {
  check_value();
  put_begin(true, offset);
}

void document_builder::end() {
  if (!data_) misuse("<builder>", "document builder used after finish()");
  if (frames_.empty()) misuse(data_->origin, "end() without an open list or map");
  if (frames_.back().is_map && pending_key_ != no_key)
    misuse(data_->origin, "a map ended after key " + data::quote(key_text_of(pending_key_)) + " without its value");
  put_end();
}

std::string_view document_builder::key_text_of(std::uint32_t k) const {
  return pool_text(data_->keys[k].first, data_->keys[k].count);
}

std::uint32_t document_builder::intern(std::string_view k) {
  const std::uint32_t h = hash_key(k);
  if (key_slots_.empty()) {
    // First key: room for 32 keys at once (the table keeps at most half its 64 slots full)
    // instead of regrowing four arrays from one.
    key_slots_.assign(64, 0);
    data_->keys.reserve(32);
    key_hashes_.reserve(32);
    next_key_.reserve(32);
    key_map_.reserve(32);
  }
  std::size_t mask = key_slots_.size() - 1;
  std::size_t slot = h & mask;
  for (; key_slots_[slot] != 0; slot = (slot + 1) & mask) {
    const std::uint32_t id = key_slots_[slot] - 1;
    if (key_hashes_[id] != h) continue;
    const auto& t = data_->keys[id];
    if (t.count == k.size() && (k.empty() || std::memcmp(pool_.get() + t.first, k.data(), k.size()) == 0)) return id;
  }
  const auto id = static_cast<std::uint32_t>(data_->keys.size());
  const std::uint32_t first = pool_append(k, false);
  data_->keys.push_back({first, static_cast<std::uint32_t>(k.size())});
  key_hashes_.push_back(h);
  next_key_.push_back(no_key);
  key_map_.push_back(0);
  key_slots_[slot] = id + 1;
  if (2 * data_->keys.size() > key_slots_.size()) {  // keep it at most half full
    std::vector<std::uint32_t> grown(key_slots_.size() * 2, 0);
    mask = grown.size() - 1;
    for (std::uint32_t i = 0; i < key_hashes_.size(); ++i) {
      std::size_t s = key_hashes_[i] & mask;
      while (grown[s] != 0) s = (s + 1) & mask;
      grown[s] = i + 1;
    }
    key_slots_.swap(grown);
  }
  return id;
}

// A map reaching more than large_map_threshold keys: its keys so far go into the hash index.
void document_builder::index_large_map(const frame& f, std::uint32_t count) {
  auto& index = data_->large_maps;
  const pending_entry* e = scratch_entries_.begin() + f.scratch_start;
  for (std::uint32_t i = 0; i < count; ++i) index.emplace(large_map_key(f.node, e[i].key), i);
}

std::optional<std::uint32_t> document_builder::key(std::string_view k, std::uint32_t offset) {
  if (!data_) misuse("<builder>", "document builder used after finish()");
  if (frames_.empty() || !frames_.back().is_map) misuse(data_->origin, "key " + data::quote(k) + " outside a map");
  if (pending_key_ != no_key)
    misuse(data_->origin, "key " + data::quote(k) + " follows key " + data::quote(key_text_of(pending_key_)) +
                              ", which has no value");
  return put_key(k, offset);
}

document document_builder::finish() {
  if (!data_) misuse("<builder>", "document builder used after finish()");
  if (!frames_.empty())
    misuse(data_->origin, "finish() with " + std::to_string(frames_.size()) + " list(s) or map(s) still open");
  if (nodes_.size == 0) misuse(data_->origin, "finish() before any value was added");

  auto& d = *data_;
  // Entry indexes were relative to the map's first entry while the map was being built.
  for (auto& [k, v] : d.large_maps) v += nodes_[static_cast<std::uint32_t>(k >> 32)].u.range.first;
  nodes_.hand_over(d.nodes);
  items_.hand_over(d.items);
  entries_.hand_over(d.entries);
  d.strings.assign(pool_.get(), pool_size_);  // before any view into it is taken: it must not move afterwards
  pool_.reset();
  pool_size_ = pool_capacity_ = 0;
  d.key_seed = key_seed_;
  d.key_slots = std::move(key_slots_);  // the builder's table of interned keys serves lookups
  d.key_hashes = std::move(key_hashes_);
  d.uid = detail::next_uid();

  document out;
  out.data_ = std::move(data_);
  frames_.clear();
  in_map_ = false;
  scratch_items_ = {};
  scratch_entries_ = {};
  key_slots_.clear();
  key_hashes_.clear();
  next_key_.clear();
  key_map_.clear();
  first_key_ = no_key;
  pending_key_ = no_key;
  return out;
}

}  // namespace joinup
