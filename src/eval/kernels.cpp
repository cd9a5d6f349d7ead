// Fast path: filter kernels. A filter made of the element's own fields compared with constants
// is tested on the document's nodes directly (run_kernel, kernels.hpp); its terms are resolved
// here once per rule set and document (key ids, cached key positions).
#include "eval/evaluator.hpp"

namespace joinup::eval {

void evaluator::resolve_kernels() {
  auto& s = *lease_;
  if (p_.uid != 0 && s.terms_program == p_.uid) {
    // The terms of this program are made: only their keys depend on the document.
    for (std::size_t t = 0; t < live_terms_.size(); ++t) live_terms_[t].key = sym_keys_[s.term_syms[t]];
    return;
  }
  s.terms_program = 0;
  live_terms_.clear();
  kernel_first_.clear();
  s.term_syms.clear();
  kernel_first_.reserve(p_.kernels.size() + 1);
  for (const auto& k : p_.kernels) {
    kernel_first_.push_back(static_cast<std::uint32_t>(live_terms_.size()));
    for (const auto& t : k.terms) {
      const auto& f = p_.nodes[t.field];
      live_term l;
      l.key = sym_keys_[f.sym];
      l.hint = f.hint;
      if (t.compare != no_index) {
        const auto& cmp = p_.nodes[t.compare];
        const value& c = p_.nodes[cmp.b].constant;
        l.op = cmp.op;
        switch (c.kind) {
          case vkind::string:
            l.kind = live_term::string;
            l.text = c.str();
            break;
          case vkind::integer:
            l.kind = live_term::integer;
            l.number = c.u.i;
            break;
          case vkind::date:
            l.kind = live_term::date;
            l.number = c.u.days;
            break;
          default:
            l.kind = live_term::boolean;
            l.number = c.u.b;
            break;
        }
      }
      live_terms_.push_back(l);
      s.term_syms.push_back(f.sym);
    }
  }
  kernel_first_.push_back(static_cast<std::uint32_t>(live_terms_.size()));
  s.terms_program = p_.uid;
}

}  // namespace joinup::eval
