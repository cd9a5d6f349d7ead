// The immutable data document that rules are evaluated against: a compact tree of values that
// remembers where in its source file every value came from.
//
// Nodes are stored in one array in pre-order (a container comes before its children, children in
// order), so a node's path is found by descending from the root without parent links. Map keys
// are interned per document. A document is cheap to copy (it shares its immutable data) and safe
// to read from any number of threads.
//
// Every member function may be called on a default-constructed (empty) document: the questions
// about the whole document have an empty answer (empty() is true, uid() and node_count() are 0,
// origin() and path() are ""), and the questions about a node throw std::out_of_range, since an
// empty document has no node. The storage itself is private (src/data/storage.hpp).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "joinup/date.hpp"
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

namespace data {
struct document_data;
class builder_state;
struct access;
}  // namespace data

class document {
 public:
  using node_id = std::uint32_t;
  using key_id = std::uint32_t;
  // No node: what find() returns for a key that is not there.
  static constexpr node_id npos = 0xFFFFFFFFu;

  document() = default;

  bool empty() const noexcept;
  // A number that no other loaded document of this process has (copies share it), never 0 for a
  // loaded document and 0 for an empty one: a key for what a host derives from a document.
  std::uint64_t uid() const noexcept;
  // The name the document was loaded under ("" for an empty document).
  const std::string& origin() const noexcept;
  // The root value's node (0; an empty document has none).
  node_id root() const noexcept { return 0; }
  std::size_t node_count() const noexcept;

  // The readers below throw std::out_of_range for a node that is not in this document, and
  // std::invalid_argument when the node is not of the kind they read (as_*, at, key_at,
  // value_at) or a key id that no key of the document has (key_text).
  value_kind kind(node_id n) const;
  bool as_bool(node_id n) const;
  std::int64_t as_int(node_id n) const;
  double as_double(node_id n) const;
  joinup::date as_date(node_id n) const;
  // A view into the document's string pool, valid as long as any copy of the document lives.
  std::string_view as_string(node_id n) const;

  // Number of elements of a list or entries of a map; 0 for scalars.
  std::uint32_t size(node_id n) const;
  // Element i of a list (i < size(list)).
  node_id at(node_id list, std::uint32_t i) const;

  // Hints for walking a long list, whose next elements can be fetched while this one is read (a
  // large document does not fit in the caches): prefetch(n) asks for node n without reading it;
  // prefetch_entries(map) asks for the first entries of a map. Nothing happens for a node that
  // is not in the document (or not a map, for prefetch_entries).
  void prefetch(node_id n) const noexcept;
  void prefetch_entries(node_id map) const noexcept;
  // The key and the value of entry i of a map (i < size(map)), in document order.
  key_id key_at(node_id map, std::uint32_t i) const;
  node_id value_at(node_id map, std::uint32_t i) const;
  std::string_view key_text(key_id k) const;

  // The id of a key text in this document, if any map in it has that key.
  std::optional<key_id> find_key(std::string_view text) const;

  // The value under a key of a map, or npos (also when `map` is not a map).
  node_id find(node_id map, key_id k) const;
  node_id find(node_id map, std::string_view key) const;

  // Where a value starts in the source file.
  std::uint32_t offset(node_id n) const;
  source_position position(node_id n) const;

  // The value's path from the root: "partnership.leavers[3]",
  // "partnership.organisations.leeds-city-council"; keys that are not words are quoted:
  // partnership.areas["North East"]. Empty for the root and for a node not in the document.
  std::string path(node_id n) const;
  // Appends ".key" (or ["key"] for keys that are not words such as leeds-city-council) to a path.
  static void append_path_key(std::string& path, std::string_view key);

 private:
  friend struct data::access;
  std::shared_ptr<const data::document_data> data_;
};

// Builds a document in document order: scalars, begin_list/begin_map ... end, and key() before
// each map value. Used by the YAML and JSON loaders and by hosts that build data in memory.
// Misuse (a value without its key, an unbalanced end(), any use after finish() or after the
// builder was moved from) throws joinup::error with the code builder-misuse.
class document_builder {
 public:
  explicit document_builder(std::string origin = "<memory>");
  ~document_builder();
  document_builder(document_builder&&) noexcept;
  document_builder& operator=(document_builder&&) noexcept;

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

  // How many lists and maps are open (0 after finish()).
  std::size_t depth() const noexcept;

  // Room for about `values` values and `string_bytes` bytes of strings and keys, so that the
  // arrays do not grow step by step (a hint: more may be added; finish() trims what is unused).
  // `map_entries`, when known, is about how many of the values are in maps (the rest, but the
  // root, are in lists).
  void reserve(std::size_t values, std::size_t string_bytes, std::optional<std::size_t> map_entries = std::nullopt);

  // Ends building; the builder must be balanced (every begin_ has its end) and hold one root value.
  document finish();

 private:
  friend struct data::access;
  data::builder_state& state() const;
  std::unique_ptr<data::builder_state> state_;
};

// Loading data files. Errors throw joinup::error with the file, line and column.
enum class data_format : std::uint8_t { automatic, yaml, json };

struct load_options {
  std::uint32_t max_depth = 256;                         // nesting depth of lists and maps
  std::uint64_t max_bytes = 256ull * 1024 * 1024;        // size of the text
  std::uint64_t max_string_bytes = 16ull * 1024 * 1024;  // length of one string (or key) in the data
};

// Parses YAML (1.2 core schema: `yes` stays a string) or JSON text. `automatic` picks JSON when the
// origin ends in .json, YAML otherwise (JSON text is valid YAML, but the JSON path is stricter).
document load_document(std::string_view text, std::string origin, data_format format = data_format::automatic,
                       const load_options& options = {});
document load_document_file(const std::string& path, data_format format = data_format::automatic,
                            const load_options& options = {});

}  // namespace joinup
