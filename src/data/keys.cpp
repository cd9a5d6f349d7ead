#include "data/keys.hpp"

namespace joinup::data {

std::uint32_t key_offset(const document& doc, std::string_view text, document::node_id map, std::uint32_t i) {
  const auto value = doc.value_at(map, i);
  const std::uint32_t v = doc.offset(value);
  const std::string_view key = doc.key_text(doc.key_at(map, i));
  if (key.empty()) return v;
  std::size_t from = v;
  if (doc.kind(value) != value_kind::null && from > 0) --from;  // not the value itself
  const auto at = text.rfind(key, from);
  if (at == std::string_view::npos || at < doc.offset(map)) return v;
  return static_cast<std::uint32_t>(at);
}

}  // namespace joinup::data
