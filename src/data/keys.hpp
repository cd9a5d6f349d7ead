// Where a map key is written in its source text. A document keeps the offsets of values only, so
// callers that must point at a key (unknown-key errors, the formatter, copies of inline test
// inputs) find it here, in one way.
#pragma once

#include <cstdint>
#include <string_view>

#include "joinup/document.hpp"

namespace joinup::data {

// The offset of the i-th key of `map` in `text` (the document's source): the last occurrence of
// the key's text before its value (an empty value sits at its key); the value's offset when the
// key cannot be found.
std::uint32_t key_offset(const document& doc, std::string_view text, document::node_id map, std::uint32_t i);

}  // namespace joinup::data
