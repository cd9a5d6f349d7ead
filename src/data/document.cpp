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
#include <cstring>
#include <limits>
#include <random>

#include "data/load_detail.hpp"
#include "joinup/diagnostic.hpp"

namespace joinup {

namespace {

constexpr std::uint32_t no_key = 0xFFFFFFFFu;

[[noreturn]] void misuse(const std::string& origin, std::string message) {
  diagnostic d;
  d.code = "builder-misuse";
  d.message = std::move(message);
  d.origin = origin;
  throw error({std::move(d)});
}

std::uint64_t large_map_key(std::uint32_t map, std::uint32_t key) { return (std::uint64_t{map} << 32) | key; }

std::string_view key_text_of(const detail::document_data& d, std::uint32_t k) {
  return std::string_view(d.strings).substr(d.keys[k].first, d.keys[k].count);
}

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

namespace {

// The seed of the key table's hash: random, chosen once per process (see hash_key).
std::uint64_t key_hash_seed() {
  static const std::uint64_t seed = [] {
    std::uint64_t s = 0x9E3779B97F4A7C15ull;
    try {
      std::random_device device;
      s ^= (static_cast<std::uint64_t>(device()) << 32) ^ device();
    } catch (...) {
      // No entropy source: the addresses of this process (randomised by the system) still vary.
      s ^= reinterpret_cast<std::uintptr_t>(&s) ^ (reinterpret_cast<std::uintptr_t>(&key_hash_seed) << 16);
    }
    return s;
  }();
  return seed;
}

}  // namespace

document_builder::document_builder(std::string origin)
    : data_(std::make_shared<detail::document_data>()), key_seed_(key_hash_seed()) {
  data_->origin = std::move(origin);
}

void document_builder::reserve(std::size_t values, std::size_t string_bytes) {
  if (!data_) misuse("<builder>", "document builder used after finish()");
  data_->nodes.reserve(values);
  data_->strings.reserve(string_bytes);
}

void document_builder::set_source(std::string_view text) {
  if (!data_) misuse("<builder>", "document builder used after finish()");
  data_->lines = line_index(text);
}

// Inlined into each kind of value (it is only called in this file): one call per value less.
__attribute__((always_inline)) inline std::uint32_t document_builder::add(detail::doc_node n) {
  if (!data_) misuse("<builder>", "document builder used after finish()");
  auto& nodes = data_->nodes;
  if (nodes.size() >= std::numeric_limits<std::uint32_t>::max() - 1)
    misuse(data_->origin, "a document holds at most 4294967294 values");
  const auto id = static_cast<std::uint32_t>(nodes.size());
  if (frames_.empty()) {
    if (!nodes.empty()) misuse(data_->origin, "a document has one root value; a second one was added");
  } else if (frames_.back().is_map) {
    if (pending_key_ == no_key) misuse(data_->origin, "a value was added to a map without a key before it");
    scratch_entries_.push_back({pending_key_, id});
    key_offsets_.push_back(pending_key_offset_);
    pending_key_ = no_key;
  } else {
    scratch_items_.push_back(id);
  }
  nodes.push_back(n);
  return id;
}

void document_builder::null_value(std::uint32_t offset) {
  detail::doc_node n;
  n.kind = value_kind::null;
  n.offset = offset;
  add(n);
}

void document_builder::boolean(bool v, std::uint32_t offset) {
  detail::doc_node n;
  n.kind = value_kind::boolean;
  n.offset = offset;
  n.u.boolean = v;
  add(n);
}

void document_builder::integer(std::int64_t v, std::uint32_t offset) {
  detail::doc_node n;
  n.kind = value_kind::integer;
  n.offset = offset;
  n.u.integer = v;
  add(n);
}

void document_builder::number(double v, std::uint32_t offset) {
  detail::doc_node n;
  n.kind = value_kind::number;
  n.offset = offset;
  n.u.number = v;
  add(n);
}

void document_builder::string(std::string_view v, std::uint32_t offset) {
  if (!data_) misuse("<builder>", "document builder used after finish()");
  auto& pool = data_->strings;
  if (pool.size() + v.size() > std::numeric_limits<std::uint32_t>::max())
    misuse(data_->origin, "the strings of a document take at most 4 GiB");
  detail::doc_node n;
  n.kind = value_kind::string;
  n.offset = offset;
  n.u.range.first = static_cast<std::uint32_t>(pool.size());
  n.u.range.count = static_cast<std::uint32_t>(v.size());
  add(n);  // first: it may throw, and then the pool must not have grown
  pool.append(v);
}

void document_builder::date_value(date v, std::uint32_t offset) {
  detail::doc_node n;
  n.kind = value_kind::date;
  n.offset = offset;
  n.u.days = v.days;
  add(n);
}

void document_builder::begin_list(std::uint32_t offset) {
  detail::doc_node n;
  n.kind = value_kind::list;
  n.offset = offset;
  const auto id = add(n);
  frames_.push_back({id, false, static_cast<std::uint32_t>(scratch_items_.size())});
}

void document_builder::begin_map(std::uint32_t offset) {
  detail::doc_node n;
  n.kind = value_kind::map;
  n.offset = offset;
  const auto id = add(n);
  frames_.push_back({id, true, static_cast<std::uint32_t>(scratch_entries_.size())});
}

void document_builder::end() {
  if (!data_) misuse("<builder>", "document builder used after finish()");
  if (frames_.empty()) misuse(data_->origin, "end() without an open list or map");
  const frame f = frames_.back();
  auto& n = data_->nodes[f.node];
  if (f.is_map) {
    if (pending_key_ != no_key)
      misuse(data_->origin,
             "a map ended after key " + data::quote(key_text_of(*data_, pending_key_)) + " without its value");
    auto& entries = data_->entries;
    n.u.range.first = static_cast<std::uint32_t>(entries.size());
    n.u.range.count = static_cast<std::uint32_t>(scratch_entries_.size() - f.scratch_start);
    entries.insert(entries.end(), scratch_entries_.begin() + f.scratch_start, scratch_entries_.end());
    scratch_entries_.resize(f.scratch_start);
    key_offsets_.resize(f.scratch_start);
  } else {
    auto& items = data_->items;
    n.u.range.first = static_cast<std::uint32_t>(items.size());
    n.u.range.count = static_cast<std::uint32_t>(scratch_items_.size() - f.scratch_start);
    items.insert(items.end(), scratch_items_.begin() + f.scratch_start, scratch_items_.end());
    scratch_items_.resize(f.scratch_start);
  }
  frames_.pop_back();
}

std::uint32_t document_builder::intern(std::string_view k) {
  auto& pool = data_->strings;
  const std::uint32_t h = hash_key(k);
  if (key_slots_.empty()) key_slots_.assign(64, 0);
  std::size_t mask = key_slots_.size() - 1;
  std::size_t slot = h & mask;
  for (; key_slots_[slot] != 0; slot = (slot + 1) & mask) {
    const std::uint32_t id = key_slots_[slot] - 1;
    if (key_hashes_[id] != h) continue;
    const auto& t = data_->keys[id];
    if (t.count == k.size() && (k.empty() || std::memcmp(pool.data() + t.first, k.data(), k.size()) == 0)) return id;
  }
  if (pool.size() + k.size() > std::numeric_limits<std::uint32_t>::max())
    misuse(data_->origin, "the strings of a document take at most 4 GiB");
  const auto id = static_cast<std::uint32_t>(data_->keys.size());
  data_->keys.push_back({static_cast<std::uint32_t>(pool.size()), static_cast<std::uint32_t>(k.size())});
  pool.append(k);
  key_hashes_.push_back(h);
  next_key_.push_back(no_key);
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

std::optional<std::uint32_t> document_builder::key(std::string_view k, std::uint32_t offset) {
  if (!data_) misuse("<builder>", "document builder used after finish()");
  if (frames_.empty() || !frames_.back().is_map) misuse(data_->origin, "key " + data::quote(k) + " outside a map");
  if (pending_key_ != no_key)
    misuse(data_->origin, "key " + data::quote(k) + " follows key " + data::quote(key_text_of(*data_, pending_key_)) +
                              ", which has no value");
  const frame& f = frames_.back();
  const auto count = static_cast<std::uint32_t>(scratch_entries_.size() - f.scratch_start);
  const auto* e = scratch_entries_.data() + f.scratch_start;
  const std::uint32_t prev = count ? e[count - 1].key : no_key;
  const std::uint32_t guess = count ? next_key_[prev] : first_key_;
  std::uint32_t id;
  if (guess != no_key && data_->keys[guess].count == k.size() &&
      (k.empty() || std::memcmp(data_->strings.data() + data_->keys[guess].first, k.data(), k.size()) == 0)) {
    id = guess;
  } else {
    id = intern(k);
    (count ? next_key_[prev] : first_key_) = id;
  }
  if (count <= document::large_map_threshold) {
    for (std::uint32_t i = 0; i < count; ++i)
      if (e[i].key == id) return key_offsets_[f.scratch_start + i];
    if (count == document::large_map_threshold) {  // this key makes the map large: index it
      auto& index = data_->large_maps;
      for (std::uint32_t i = 0; i < count; ++i) index.emplace(large_map_key(f.node, e[i].key), i);
      index.emplace(large_map_key(f.node, id), count);
    }
  } else {
    auto [it, inserted] = data_->large_maps.try_emplace(large_map_key(f.node, id), count);
    if (!inserted) return key_offsets_[f.scratch_start + it->second];
  }
  pending_key_ = id;
  pending_key_offset_ = offset;
  return std::nullopt;
}

document document_builder::finish() {
  if (!data_) misuse("<builder>", "document builder used after finish()");
  if (!frames_.empty())
    misuse(data_->origin, "finish() with " + std::to_string(frames_.size()) + " list(s) or map(s) still open");
  if (data_->nodes.empty()) misuse(data_->origin, "finish() before any value was added");

  auto& d = *data_;
  // Entry indexes were relative to the map's first entry while the map was being built.
  for (auto& [k, v] : d.large_maps) v += d.nodes[static_cast<std::uint32_t>(k >> 32)].u.range.first;
  d.nodes.shrink_to_fit();
  d.items.shrink_to_fit();
  d.entries.shrink_to_fit();
  d.strings.shrink_to_fit();  // before any view into the pool is taken: it must not move afterwards
  const std::string_view pool(d.strings);
  d.key_ids.reserve(d.keys.size());
  for (std::uint32_t i = 0; i < d.keys.size(); ++i) d.key_ids.emplace(pool.substr(d.keys[i].first, d.keys[i].count), i);

  document out;
  out.data_ = std::move(data_);
  frames_.clear();
  scratch_items_.clear();
  scratch_entries_.clear();
  key_offsets_.clear();
  key_slots_.clear();
  key_hashes_.clear();
  next_key_.clear();
  first_key_ = no_key;
  pending_key_ = no_key;
  return out;
}

}  // namespace joinup
