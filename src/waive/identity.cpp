// The stable identity of a subject: its path with each list index replaced by the element's `id`
// or `name`, so that a waiver or a baseline keeps naming the same leaver when another is inserted
// above it (docs/language.md, section 13).
#include <algorithm>
#include <map>
#include <unordered_map>

#include "diag/text.hpp"
#include "joinup/waivers.hpp"

namespace joinup {

namespace {

// The `id` or `name` of a list element, as text, when it has one that is a plain value.
std::optional<std::pair<std::string_view, std::string>> own_name(const document& doc, document::node_id e) {
  if (doc.kind(e) != value_kind::map) return std::nullopt;
  for (const std::string_view key : {"id", "name"}) {
    const auto v = doc.find(e, key);
    if (v == document::npos) continue;
    switch (doc.kind(v)) {
      case value_kind::string:
        if (doc.as_string(v).empty()) continue;
        return std::pair(key, std::string(doc.as_string(v)));
      case value_kind::integer: return std::pair(key, std::to_string(doc.as_int(v)));
      case value_kind::date: return std::pair(key, doc.as_date(v).to_string());
      default: continue;
    }
  }
  return std::nullopt;
}

// `[id=northvale-council]`, quoted in the rule language's string syntax when the value has a
// character that would make it ambiguous: `[name="a ]b"]`.
void append_segment(std::string& out, std::string_view key, std::string_view value) {
  out += '[';
  out += key;
  out += '=';
  const bool plain = !value.empty() && value.front() != ' ' && value.back() != ' ' && value.front() != '"' &&
                     value.find_first_of("[]\\\"\n\r\t") == std::string_view::npos;
  if (plain)
    out += value;
  else
    diag::append_quoted(out, value);
  out += ']';
}

// Which (key, value) pairs occur more than once among a list's elements: those elements keep
// their index, as a name shared by two would not say which one is meant.
class list_names {
 public:
  explicit list_names(const document& doc) : doc_(doc) {}

  bool unique(document::node_id list, const std::pair<std::string_view, std::string>& name) {
    auto [it, fresh] = seen_.try_emplace(list);
    if (fresh)
      for (std::uint32_t i = 0; i < doc_.size(list); ++i)
        if (auto n = own_name(doc_, doc_.at(list, i))) ++it->second[std::string(n->first) + '=' + n->second];
    return it->second[std::string(name.first) + '=' + name.second] == 1;
  }

 private:
  const document& doc_;
  std::unordered_map<document::node_id, std::map<std::string, std::uint32_t>> seen_;
};

std::string identity(const document& doc, std::string_view path, list_names& names);

// A subject of several elements (a rule over pairs): "a[0], a[2]", each part identified.
std::string identities(const document& doc, std::string_view path, list_names& names) {
  std::string out;
  for (std::size_t start = 0;;) {
    const auto comma = path.find(", ", start);
    if (!out.empty()) out += ", ";
    out += identity(doc, path.substr(start, comma - start), names);
    if (comma == std::string_view::npos) return out;
    start = comma + 2;
  }
}

std::string identity(const document& doc, std::string_view path, list_names& names) {
  if (doc.empty() || path.empty()) return std::string(path);
  std::string out;
  document::node_id cur = doc.root();
  std::size_t i = 0;
  while (i < path.size()) {
    const value_kind k = doc.kind(cur);
    if (path[i] == '[' && i + 1 < path.size() && path[i + 1] >= '0' && path[i + 1] <= '9') {
      // [N]: a list index.
      const auto close = path.find(']', i);
      if (k != value_kind::list || close == std::string_view::npos) return std::string(path);
      std::uint64_t n = 0;
      for (std::size_t j = i + 1; j < close; ++j) {
        if (path[j] < '0' || path[j] > '9' || n > 0xFFFFFFFFull) return std::string(path);
        n = n * 10 + static_cast<unsigned>(path[j] - '0');
      }
      if (n >= doc.size(cur)) return std::string(path);
      const auto element = doc.at(cur, static_cast<std::uint32_t>(n));
      const auto name = own_name(doc, element);
      if (name && names.unique(cur, *name))
        append_segment(out, name->first, name->second);
      else
        out.append(path.substr(i, close + 1 - i));
      cur = element;
      i = close + 1;
      continue;
    }
    // A map key, as document::append_path_key writes it: `.word` (no dot first) or `["text"]`.
    if (k != value_kind::map) return std::string(path);
    if (path[i] != '[') {
      // A word: looked up directly (a map of many keys is not scanned for each subject).
      const std::size_t start = i + (path[i] == '.' ? 1 : 0);
      const std::size_t end = std::min(path.find_first_of(".[", start), path.size());
      const auto value = doc.find(cur, path.substr(start, end - start));
      if (value == document::npos) return std::string(path);
      out.append(path.substr(i, end - i));
      cur = value;
      i = end;
      continue;
    }
    bool found = false;
    for (std::uint32_t e = 0; e < doc.size(cur) && !found; ++e) {
      std::string written = "x";  // not empty, so a word gets its dot
      document::append_path_key(written, doc.key_text(doc.key_at(cur, e)));
      std::string_view segment = std::string_view(written).substr(1);
      if (i == 0 && segment.front() == '.') segment.remove_prefix(1);
      if (path.substr(i, segment.size()) != segment) continue;
      const std::size_t end = i + segment.size();
      if (end < path.size() && path[end] != '.' && path[end] != '[') continue;  // a longer key
      out += segment;
      cur = doc.value_at(cur, e);
      i = end;
      found = true;
    }
    if (!found) return std::string(path);
  }
  return out;
}

}  // namespace

std::string subject_identity(const document& doc, std::string_view path) {
  list_names names(doc);
  return identities(doc, path, names);
}

void identify_subjects(evaluation_result& r, const document& doc) {
  list_names names(doc);
  std::unordered_map<std::string, std::string> known;
  for (auto& rr : r.rules)
    for (auto& v : rr.violations) {
      auto [it, fresh] = known.try_emplace(v.subject);
      if (fresh) it->second = identities(doc, v.subject, names);
      v.subject_key = it->second;
    }
}

}  // namespace joinup
