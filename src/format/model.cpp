// The layout model's helpers, and attaching comments to the lines they belong to.
#include "format/model.hpp"

#include <algorithm>

namespace joinup::format {

bool is_metadata(const std::string& k) {
  return k == "severity" || k == "tags" || k == "source" || k == "rationale" || k == "remedy" || k == "undetermined";
}
std::uint32_t indent_of(const clause& c) { return c.keyword == "where" ? 4 : 2; }

std::uint32_t expr_column(const clause& c) {
  const std::uint32_t k = indent_of(c);
  const auto head = diag::count_chars(c.head);
  if (c.keyword == "let") return k + 4 + head + 3;
  if (c.keyword == "for each") return k + 9 + head + 4;
  return k + static_cast<std::uint32_t>(c.keyword.size()) + 1;
}

std::string rtrim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return std::string(s);
}

std::vector<std::string> split_lines(std::string_view s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const auto nl = s.find('\n', start);
    out.push_back(std::string(s.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start)));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return out;
}

std::string normalise_expr(std::string_view text, std::uint32_t clause_indent, int delta) {
  const auto lines = split_lines(text);
  std::string out = rtrim(lines[0]);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    out += '\n';
    const std::string line = rtrim(lines[i]);
    std::size_t n = 0;
    while (n < line.size() && (line[n] == ' ' || line[n] == '\t')) ++n;
    if (n == line.size()) continue;
    const int absolute = std::max<int>(static_cast<int>(n) + delta, static_cast<int>(clause_indent) + 2);
    out += std::string(static_cast<std::size_t>(absolute) - clause_indent, ' ') + line.substr(n);
  }
  return out;
}

// ---- attaching comments ---------------------------------------------------------------------

namespace {

bool line_above_blank(std::string_view t, std::uint32_t at) {
  std::uint32_t ls = at;
  while (ls > 0 && t[ls - 1] != '\n') --ls;
  if (ls == 0) return false;
  std::uint32_t ps = ls - 1;
  while (ps > 0 && t[ps - 1] != '\n') --ps;
  for (std::uint32_t i = ps; i < ls - 1; ++i)
    if (t[i] != ' ' && t[i] != '\t' && t[i] != '\r') return false;
  return true;
}

bool own_line(std::string_view t, std::uint32_t at) {
  while (at > 0 && t[at - 1] != '\n') {
    if (t[at - 1] != ' ' && t[at - 1] != '\t') return false;
    --at;
  }
  return true;
}

std::uint32_t column_of(std::string_view t, std::uint32_t at) {
  std::uint32_t ls = at;
  while (ls > 0 && t[ls - 1] != '\n') --ls;
  return diag::count_chars(t.substr(ls, at - ls));
}

}  // namespace

void attach(std::string_view t, std::vector<anchor> anchors, const std::vector<ast::span>& comments, file_model& m,
            bool yaml) {
  std::stable_sort(anchors.begin(), anchors.end(), [](const anchor& a, const anchor& b) { return a.begin < b.begin; });
  for (auto& a : anchors) a.it->blank_before = line_above_blank(t, a.begin);
  for (const auto& c : comments) {
    const std::string text = rtrim(t.substr(c.begin, c.end - c.begin));
    auto next = std::lower_bound(anchors.begin(), anchors.end(), c.end,
                                 [](const anchor& a, std::uint32_t o) { return a.begin < o; });
    if (!own_line(t, c.begin)) {
      if (next != anchors.begin()) {
        item* it = std::prev(next)->it;
        if (it->trailing.empty()) {
          it->trailing = text;
          continue;
        }
      }
    }
    comment cm{text, line_above_blank(t, c.begin)};
    if (yaml && column_of(t, c.begin) >= 4 && (next == anchors.end() || next->is_rule)) {
      for (auto p = next; p != anchors.begin();) {
        --p;
        if (p->is_rule) {
          p->rule->close.before.push_back(cm);
          cm.text.clear();
          break;
        }
      }
      if (cm.text.empty()) continue;
    }
    if (next == anchors.end()) {
      m.end.before.push_back(cm);
    } else {
      next->it->before.push_back(cm);
    }
  }
}

}  // namespace joinup::format
