// Fast path: filter kernels run on the document's nodes (see kernels.cpp). Inline: included by
// evaluator.hpp.
#pragma once

#include "eval/evaluator.hpp"

namespace joinup::eval {

inline int evaluator::run_kernel(std::uint32_t k, std::uint32_t element) {
  const data::doc_node& m = raw_->nodes[element];
  if (m.kind != value_kind::map) return -1;
  const std::uint32_t size = m.u.range.count;
  const live_term* t = live_terms_.data() + kernel_first_[k];
  const live_term* end = live_terms_.data() + kernel_first_[k + 1];
  for (; t != end; ++t) {
    const int r = run_term(*t, element, size);
    if (r <= 0) return r;
  }
  return 1;
}

inline int evaluator::run_term(const live_term& t, std::uint32_t element, std::uint32_t size) {
  if (t.key == no_index) return -1;
  const data::document_data& d = *raw_;
  const std::uint32_t first = d.nodes[element].u.range.first;
  std::uint32_t child;
  const std::uint32_t hint = t.hint != no_index ? hints_[t.hint] : size;
  if (hint < size && d.entries[first + hint].key == t.key) {
    child = d.entries[first + hint].value;
  } else {
    child = lookup_missed(element, size, t.key, t.hint);
    if (child == no_index) return -1;
  }
  const data::doc_node& c = d.nodes[child];
  std::int64_t x = 0;
  switch (t.kind) {
    case live_term::flag:
      if (c.kind != value_kind::boolean) return -1;
      return c.u.boolean;
    case live_term::string: {
      if (c.kind != value_kind::string) return -1;
      const std::string_view s(d.strings.data() + c.u.range.first, c.u.range.count);
      if (t.op == ast::op::eq || t.op == ast::op::ne) {
        const bool same = same_text(s, t.text);
        return same == (t.op == ast::op::eq);
      }
      const int o = s.compare(t.text);
      x = (o > 0) - (o < 0);
      break;
    }
    case live_term::integer:
      if (c.kind != value_kind::integer) return -1;
      x = (c.u.integer > t.number) - (c.u.integer < t.number);
      break;
    case live_term::date:
      if (c.kind != value_kind::date) return -1;
      x = (c.u.days > t.number) - (c.u.days < t.number);
      break;
    case live_term::boolean:
      if (c.kind != value_kind::boolean) return -1;
      x = c.u.boolean != (t.number != 0);  // eq and ne only
      break;
  }
  switch (t.op) {
    case ast::op::eq: return x == 0;
    case ast::op::ne: return x != 0;
    case ast::op::lt: return x < 0;
    case ast::op::le: return x <= 0;
    case ast::op::gt: return x > 0;
    case ast::op::ge: return x >= 0;
    default: return -1;
  }
}

}  // namespace joinup::eval
