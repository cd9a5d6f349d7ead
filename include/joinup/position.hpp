// Source positions: byte offsets everywhere, turned into line and column only when a finding or an
// error is reported. Columns count characters (UTF-8 code points), not bytes.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace joinup {

struct source_position {
  std::uint32_t line = 0;    // 1-based; 0 = unknown
  std::uint32_t column = 0;  // 1-based, in characters
};

// Line starts and multi-byte character starts of a text, computed once.
class line_index {
 public:
  line_index() = default;
  // Defined in src/diag/position.cpp: one pass over the text (32 bytes at a time where SSE2 is
  // there) finds both the line breaks and the multi-byte characters.
  explicit line_index(std::string_view text);

  // An index that a reader fills as it meets the line breaks and multi-byte characters of a
  // text of `size` bytes (each kind in increasing order): what the constructor above finds, at
  // no extra pass over the text.
  static line_index filled_by_reader(std::uint32_t size) {
    line_index li;
    li.line_starts_.push_back(0);
    li.size_ = size;
    return li;
  }
  // A '\n' at `offset`.
  void add_line_break(std::uint32_t offset) { line_starts_.push_back(offset + 1); }
  // A character of `bytes` (2 to 4) bytes at `offset`.
  void add_wide_char(std::uint32_t offset, std::uint32_t bytes) {
    wide_.push_back({offset, (wide_.empty() ? 0 : wide_.back().extra) + bytes - 1});
  }

  source_position position(std::uint32_t offset) const {
    if (line_starts_.empty()) return {};
    offset = std::min(offset, size_);
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    const auto line = static_cast<std::uint32_t>(it - line_starts_.begin());
    const std::uint32_t start = line_starts_[line - 1];
    return {line, offset - start + 1 - extra_between(start, offset)};
  }

  // Byte offset of the start of a 1-based line, and of the end of its text (before the '\n', or
  // the lone '\r', that ends it).
  std::uint32_t line_start(std::uint32_t line) const {
    if (line == 0 || line > line_starts_.size()) return size_;
    return line_starts_[line - 1];
  }
  std::uint32_t line_end(std::uint32_t line) const {
    if (line == 0 || line >= line_starts_.size()) return size_;
    return line_starts_[line] - 1;
  }
  std::uint32_t line_count() const { return static_cast<std::uint32_t>(line_starts_.size()); }

 private:
  struct wide_char {
    std::uint32_t offset;  // of the lead byte
    std::uint32_t extra;   // continuation bytes seen up to and including this character
  };
  // Continuation bytes of characters that start in [from, to).
  std::uint32_t extra_between(std::uint32_t from, std::uint32_t to) const {
    auto cmp = [](const wide_char& w, std::uint32_t o) { return w.offset < o; };
    auto a = std::lower_bound(wide_.begin(), wide_.end(), from, cmp);
    auto b = std::lower_bound(wide_.begin(), wide_.end(), to, cmp);
    if (a == b) return 0;
    const std::uint32_t before = a == wide_.begin() ? 0 : std::prev(a)->extra;
    return std::prev(b)->extra - before;
  }

  std::vector<std::uint32_t> line_starts_;
  std::vector<wide_char> wide_;
  std::uint32_t size_ = 0;
};

}  // namespace joinup
