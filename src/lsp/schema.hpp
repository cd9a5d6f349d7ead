// A JSON Schema of the data, as the editor reads it: the schema of a property or an element,
// and a schema's description, type and enumerated values. `$ref` within the schema document and
// the branches of allOf/anyOf/oneOf are followed by the type checker's reader (types/types.hpp).
#pragma once

#include <string>
#include <vector>

#include "joinup/document.hpp"
#include "types/types.hpp"

namespace joinup::lsp {

class schema_view {
 public:
  using node_id = document::node_id;
  static constexpr node_id none = document::npos;

  explicit schema_view(const document& s) : s_(s) {}
  node_id root() const { return s_.empty() ? none : s_.root(); }

  node_id property(node_id n, std::string_view name) const {
    for (auto b : branches(n)) {
      if (const auto props = get(b, "properties"); props != none && s_.kind(props) == value_kind::map)
        if (const auto p = s_.find(props, name); p != none) return resolve(p);
      if (const auto extra = get(b, "additionalProperties"); extra != none && s_.kind(extra) == value_kind::map)
        return resolve(extra);
    }
    return none;
  }
  node_id element(node_id n) const {
    for (auto b : branches(n)) {
      if (const auto items = get(b, "items"); items != none && s_.kind(items) == value_kind::map) return resolve(items);
      if (const auto extra = get(b, "additionalProperties"); extra != none && s_.kind(extra) == value_kind::map)
        return resolve(extra);
    }
    return none;
  }
  // The declared properties of an object schema: name and schema, in the schema's order.
  std::vector<std::pair<std::string, node_id>> properties(node_id n) const {
    std::vector<std::pair<std::string, node_id>> out;
    for (auto b : branches(n))
      if (const auto props = get(b, "properties"); props != none && s_.kind(props) == value_kind::map)
        for (std::uint32_t i = 0; i < s_.size(props); ++i)
          out.emplace_back(std::string(s_.key_text(s_.key_at(props, i))), resolve(s_.value_at(props, i)));
    return out;
  }
  std::string description(node_id n) const { return text(n, "description"); }
  // "string", "list of object", "integer or null", or "".
  std::string type(node_id n) const {
    for (auto b : branches(n)) {
      const auto t = get(b, "type");
      std::string out;
      if (t != none && s_.kind(t) == value_kind::string) {
        out = std::string(s_.as_string(t));
      } else if (t != none && s_.kind(t) == value_kind::list) {
        for (std::uint32_t i = 0; i < s_.size(t); ++i)
          if (s_.kind(s_.at(t, i)) == value_kind::string)
            out += (out.empty() ? "" : " or ") + std::string(s_.as_string(s_.at(t, i)));
      }
      if (out == "array") {
        const auto e = element(b);
        const auto inner = e == none ? std::string() : type(e);
        return inner.empty() ? "list" : "list of " + inner;
      }
      if (!out.empty()) return out;
    }
    return {};
  }
  // The string values of `enum` (or `const`) in the schema and its branches.
  std::vector<std::string> enum_values(node_id n) const {
    std::vector<std::string> out;
    for (auto b : branches(n)) {
      if (const auto e = get(b, "enum"); e != none && s_.kind(e) == value_kind::list)
        for (std::uint32_t i = 0; i < s_.size(e); ++i)
          if (s_.kind(s_.at(e, i)) == value_kind::string) out.emplace_back(s_.as_string(s_.at(e, i)));
      if (const auto c = get(b, "const"); c != none && s_.kind(c) == value_kind::string)
        out.emplace_back(s_.as_string(c));
    }
    return out;
  }

 private:
  node_id get(node_id n, std::string_view key) const { return t_.get(n, key); }
  std::string text(node_id n, std::string_view key) const {
    for (auto b : branches(n))
      if (const auto d = get(b, key); d != none && s_.kind(d) == value_kind::string)
        return std::string(s_.as_string(d));
    return {};
  }
  // `$ref` and the branches of allOf/anyOf/oneOf, followed as the type checker follows them.
  node_id resolve(node_id n) const { return t_.resolve(n); }
  std::vector<node_id> branches(node_id n) const { return t_.branches(n); }

  const document& s_;
  types::schema_types t_{s_};
};

}  // namespace joinup::lsp
