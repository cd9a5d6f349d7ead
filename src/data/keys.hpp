// Where a map key is written in its source text. A document keeps the offsets of values only, so
// callers that must point at a key (unknown-key errors, the formatter, copies of inline test
// inputs) find it here, in one way.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "joinup/document.hpp"

namespace joinup::data {

// The offset of the i-th key of `map` in `text` (the document's source): the last occurrence of
// the key's text before its value (an empty value sits at its key); the value's offset when the
// key cannot be found.
std::uint32_t key_offset(const document& doc, std::string_view text, document::node_id map, std::uint32_t i);

// The entries of `n` when it is a list, else `n` alone: for the keys of YAML files that take one
// value or a list of them (tags: x or tags: [x, y]).
std::vector<document::node_id> list_or_one(const document& doc, document::node_id n);

// A key of a map that is not one of the keys allowed there.
struct unknown_key {
  std::string key;
  std::uint32_t begin = 0, end = 0;  // where the key is written (key_offset)
  std::string suggestion;            // the allowed key it most likely means (diag::closest), or ""
  // "unknown key 'nmae' in a waiver (expected 'rule', 'subject' or 'reason')", `where` naming the map.
  std::string message(std::string_view where, const std::vector<std::string>& allowed) const;
  // "did you mean 'name'?", or "" without a suggestion.
  std::string hint() const;
};

// The keys of `map` that are not in `allowed`, in document order: one check for every file the
// project reads as YAML with a fixed set of keys (rule files, waivers, test files).
std::vector<unknown_key> unknown_keys(const document& doc, std::string_view text, document::node_id map,
                                      const std::vector<std::string>& allowed);

}  // namespace joinup::data
