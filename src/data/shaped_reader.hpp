// What the readers of YAML files with a fixed shape share (waivers files, test files): problems
// collected as diagnostics that point into the file, the extent of a scalar for the caret, unknown
// keys with a suggestion, and "must be a string, not a list". The file is first loaded as data, so
// a file that is not YAML gets the same diagnostics as a data file.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "data/keys.hpp"
#include "diag/codes.hpp"
#include "diag/source.hpp"
#include "joinup/diagnostic.hpp"
#include "joinup/document.hpp"

namespace joinup::data {

class shaped_reader {
 protected:
  // `code` is the diagnostics' code: "waivers-file", "test-file" (diag/codes.hpp).
  shaped_reader(document doc, std::string origin, std::string text, std::string code)
      : doc_(std::move(doc)), src_(std::move(origin), std::move(text)), code_(std::move(code)) {}

  void fail_at(std::uint32_t begin, std::uint32_t end, std::string message, std::string help = {}) {
    diags_.push_back(src_.make(begin, end, code_, std::move(message), std::move(help)));
  }
  void fail(document::node_id n, std::string message, std::string help = {}) {
    const auto at = doc_.offset(n);
    fail_at(at, at + span_of(n), std::move(message), std::move(help));
  }

  // Bytes a scalar takes in the text, as far as can be told (for the caret); 1 for containers.
  std::uint32_t span_of(document::node_id n) const {
    const auto k = doc_.kind(n);
    if (k == value_kind::list || k == value_kind::map) return 1;
    const auto& text = src_.text();
    std::uint32_t e = doc_.offset(n);
    while (e < text.size() && text[e] != '\n' && text[e] != ',' && text[e] != '}' && text[e] != ']' && text[e] != '#')
      ++e;
    while (e > doc_.offset(n) + 1 && (text[e - 1] == ' ' || text[e - 1] == '\r')) --e;
    return std::max<std::uint32_t>(1, e - doc_.offset(n));
  }

  std::uint32_t key_offset(document::node_id map, std::uint32_t i) const {
    return data::key_offset(doc_, src_.text(), map, i);
  }

  // Reports unknown keys; returns the keys suggested for them, so that a misspelt required key is
  // not also reported as missing ("no 'input'" beside "unknown key 'inptu' (did you mean 'input'?)").
  std::set<std::string> check_keys(document::node_id map, const std::vector<std::string>& allowed,
                                   std::string_view where) {
    std::set<std::string> suggested;
    for (const auto& u : unknown_keys(doc_, src_.text(), map, allowed)) {
      fail_at(u.begin, u.end, u.message(where, allowed), u.hint());
      if (!u.suggestion.empty()) suggested.insert(u.suggestion);
    }
    return suggested;
  }

  // "a string", "an integer", "null": a value's kind as an error message says it.
  std::string a_kind(document::node_id n) const {
    const std::string_view k = to_string(doc_.kind(n));
    if (k == "null") return "null";
    return (k == "integer" ? "an " : "a ") + std::string(k);
  }

  std::optional<std::string> string_of(document::node_id n, std::string_view what) {
    if (doc_.kind(n) == value_kind::string) return std::string(doc_.as_string(n));
    fail(n, std::string(what) + " must be a string, not " + a_kind(n));
    return std::nullopt;
  }

  document doc_;
  diag::source_file src_;
  std::vector<diagnostic> diags_;

 private:
  std::string code_;
};

}  // namespace joinup::data
