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
    offset = std::clamp(offset, line_starts_.front(), std::max(size_, line_starts_.front()));
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    const auto line = static_cast<std::uint32_t>(it - line_starts_.begin());
    const std::uint32_t start = line_starts_[line - 1];
    return {first_line_ + line, offset - start + 1 - extra_between(start, offset)};
  }

  // The index of the lines that [begin, end] touches, and nothing else: positions in them are
  // those of the whole text (line numbers included); offsets outside clamp to the slice. For a
  // part of a large text kept on its own (an inline input of a rule test file): its size is that
  // of the part, not of the text.
  line_index slice(std::uint32_t begin, std::uint32_t end) const {
    line_index out;
    if (line_starts_.empty()) return out;
    const auto first = position(begin).line - first_line_ - 1;  // indexes into line_starts_
    const auto last = position(std::max(begin, end)).line - first_line_ - 1;
    out.line_starts_.assign(line_starts_.begin() + first, line_starts_.begin() + last + 1);
    out.first_line_ = first_line_ + first;
    out.size_ = line_end(first_line_ + last + 1);
    auto cmp = [](const wide_char& w, std::uint32_t o) { return w.offset < o; };
    auto a = std::lower_bound(wide_.begin(), wide_.end(), out.line_starts_.front(), cmp);
    auto b = std::lower_bound(wide_.begin(), wide_.end(), out.size_, cmp);
    const std::uint32_t before = a == wide_.begin() ? 0 : std::prev(a)->extra;
    for (; a != b; ++a) out.wide_.push_back({a->offset, a->extra - before});
    return out;
  }

  // Byte offset of the start of a 1-based line, and of the end of its text (before the '\n', or
  // the lone '\r', that ends it).
  std::uint32_t line_start(std::uint32_t line) const {
    if (line <= first_line_ || line - first_line_ > line_starts_.size()) return size_;
    return line_starts_[line - first_line_ - 1];
  }
  std::uint32_t line_end(std::uint32_t line) const {
    if (line <= first_line_ || line - first_line_ >= line_starts_.size()) return size_;
    return line_starts_[line - first_line_] - 1;
  }
  std::uint32_t line_count() const { return first_line_ + static_cast<std::uint32_t>(line_starts_.size()); }

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
  std::uint32_t first_line_ = 0;  // lines before line_starts_.front(), in a slice
};

}  // namespace joinup
