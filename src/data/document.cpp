// The public document's checked accessors, the document builder (the only way nodes get into a
// document; its steps are in builder.hpp) and document::path.
#include "joinup/document.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <limits>
#include <random>
#include <stdexcept>

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

// A builder destroyed after its thread's spare (a static one, at exit) keeps its scratch to
// itself: spare_gone has no destructor, so it can still be read then.
thread_local bool spare_gone = false;
// A builder's scratch kept for the next builder on the same thread (see ~builder_state): cleared,
// with its room. Larger room than this is given back to the system instead.
struct spare_scratch {
  std::vector<builder_state::frame> frames;
  builder_state::array<std::uint32_t> items;
  builder_state::array<builder_state::pending_entry> entries;
  std::vector<std::uint32_t> next_key, key_map;
  bool held = false;
  spare_scratch() = default;
  spare_scratch(const spare_scratch&) = delete;
  spare_scratch& operator=(const spare_scratch&) = delete;
  ~spare_scratch() { spare_gone = true; }
};
constexpr std::size_t max_spare_bytes = 64 * 1024;
thread_local spare_scratch spare;

// Exchanges a builder's scratch with the spare: taking it, or giving it back.
[[gnu::always_inline]] inline void trade(builder_state& b, spare_scratch& s) {
  b.frames_.swap(s.frames);
  std::swap(b.scratch_items_, s.items);
  std::swap(b.scratch_entries_, s.entries);
  b.next_key_.swap(s.next_key);
  b.key_map_.swap(s.key_map);
}

}  // namespace

builder_state::builder_state(std::string origin) : data_(std::make_shared<document_data>()), key_seed_(random_seed()) {
  data_->origin = std::move(origin);
  if (!spare_gone && spare.held) {
    spare.held = false;
    trade(*this, spare);
  }
}

builder_state::~builder_state() {
  const std::size_t bytes = frames_.capacity() * sizeof(frame) + scratch_items_.capacity * sizeof(std::uint32_t) +
                            scratch_entries_.capacity * sizeof(pending_entry) +
                            (next_key_.capacity() + key_map_.capacity()) * sizeof(std::uint32_t);
  if (spare_gone || spare.held || bytes > max_spare_bytes) return;
  frames_.clear();
  scratch_items_.size = scratch_entries_.size = 0;
  next_key_.clear();
  key_map_.clear();
  trade(*this, spare);
  spare.held = true;
}

void builder_state::reserve(std::size_t values, std::size_t string_bytes, std::optional<std::size_t> map_entries) {
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

void builder_state::grow_pool(std::size_t more) {
  if (pool_size_ + more > std::numeric_limits<std::uint32_t>::max())
    misuse(data_->origin, "the strings of a document take at most 4 GiB");
  const std::size_t capacity = std::max<std::size_t>({pool_size_ + more, 2 * pool_capacity_, 64});
  std::unique_ptr<char[]> grown(new char[capacity + 16]);
  if (pool_size_) std::memcpy(grown.get(), pool_.get(), pool_size_);
  pool_ = std::move(grown);
  pool_capacity_ = capacity;
}

void builder_state::set_source(std::string_view text) {
  if (!data_) misuse("<builder>", "document builder used after finish()");
  data_->lines = line_index(text);
}

void builder_state::set_lines(line_index lines) {
  if (!data_) misuse("<builder>", "document builder used after finish()");
  data_->lines = std::move(lines);
}

// The checks of the public functions: the steps themselves (builder.hpp) assume them.
void builder_state::check_value() const {
  if (!data_) misuse("<builder>", "document builder used after finish()");
  if (nodes_.size >= std::numeric_limits<std::uint32_t>::max() - 1)
    misuse(data_->origin, "a document holds at most 4294967294 values");
  if (frames_.empty()) {
    if (nodes_.size != 0) misuse(data_->origin, "a document has one root value; a second one was added");
  } else if (in_map_ && pending_key_ == no_index) {
    misuse(data_->origin, "a value was added to a map without a key before it");
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
    misuse(data_->origin, "the strings of a document take at most 4 GiB");
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
  if (!data_) misuse("<builder>", "document builder used after finish()");
  if (frames_.empty()) misuse(data_->origin, "end() without an open list or map");
  if (frames_.back().is_map && pending_key_ != no_index)
    misuse(data_->origin, "a map ended after key " + data::quote(key_text_of(pending_key_)) + " without its value");
  put_end();
}

std::string_view builder_state::key_text_of(std::uint32_t k) const {
  return pool_text(data_->keys[k].first, data_->keys[k].count);
}

std::uint32_t builder_state::intern(std::string_view k) {
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
  next_key_.push_back(no_index);
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
void builder_state::index_large_map(const frame& f, std::uint32_t count) {
  auto& index = data_->large_maps;
  const pending_entry* e = scratch_entries_.begin() + f.scratch_start;
  for (std::uint32_t i = 0; i < count; ++i) index.emplace(large_map_key(f.node, e[i].key), i);
}

std::optional<std::uint32_t> builder_state::key(std::string_view k, std::uint32_t offset) {
  if (!data_) misuse("<builder>", "document builder used after finish()");
  if (frames_.empty() || !frames_.back().is_map) misuse(data_->origin, "key " + data::quote(k) + " outside a map");
  if (pending_key_ != no_index)
    misuse(data_->origin,
           "key " + data::quote(k) + " follows key " + data::quote(key_text_of(pending_key_)) + ", which has no value");
  return put_key(k, offset);
}

document builder_state::finish() {
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
  d.uid = next_uid();

  document out = access::adopt(std::move(data_));
  frames_.clear();
  in_map_ = false;
  scratch_items_.size = scratch_entries_.size = 0;  // their room stays for ~builder_state
  key_slots_.clear();
  key_hashes_.clear();
  next_key_.clear();
  key_map_.clear();
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

document_builder::document_builder(std::string origin)
    : state_(std::make_unique<data::builder_state>(std::move(origin))) {}
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
