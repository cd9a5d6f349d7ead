#include "data/keys.hpp"

#include <algorithm>

#include "diag/text.hpp"

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

std::vector<document::node_id> list_or_one(const document& doc, document::node_id n) {
  if (doc.kind(n) != value_kind::list) return {n};
  std::vector<document::node_id> out;
  out.reserve(doc.size(n));
  for (std::uint32_t i = 0; i < doc.size(n); ++i) out.push_back(doc.at(n, i));
  return out;
}

std::string unknown_key::message(std::string_view where, const std::vector<std::string>& allowed) const {
  return "unknown key '" + key + "' in " + std::string(where) + " (expected " + diag::one_of(allowed) + ")";
}

std::string unknown_key::hint() const {
  return suggestion.empty() ? std::string() : "did you mean '" + suggestion + "'?";
}

std::vector<unknown_key> unknown_keys(const document& doc, std::string_view text, document::node_id map,
                                      const std::vector<std::string>& allowed) {
  std::vector<unknown_key> out;
  for (std::uint32_t i = 0; i < doc.size(map); ++i) {
    const std::string_view key = doc.key_text(doc.key_at(map, i));
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    unknown_key u;
    u.key = std::string(key);
    u.begin = key_offset(doc, text, map, i);
    u.end = u.begin + static_cast<std::uint32_t>(key.size());
    u.suggestion = diag::closest(key, allowed);
    out.push_back(std::move(u));
  }
  return out;
}

}  // namespace joinup::data
