// Fast path: fused counts (plan::program::fusions). Counts over the same document list in one
// rule are all counted in one pass over it.
#include "eval/evaluator.hpp"

namespace joinup::eval {

void evaluator::resolve_fusions() {
  auto& all = (*lease_).fusion_tests;
  all.resize(p_.fusions.size());
  for (std::size_t f = 0; f < p_.fusions.size(); ++f) {
    const auto& group = p_.fusions[f];
    auto& ft = all[f];
    ft.tests.clear();
    ft.uses.clear();
    ft.first.clear();
    const std::size_t members = std::min<std::size_t>(group.size(), plan::max_fused);
    for (std::size_t g = 0; g < members; ++g) {
      ft.first.push_back(static_cast<std::uint32_t>(ft.uses.size()));
      const auto k = p_.nodes[group[g]].kernel;
      for (auto t = kernel_first_[k]; t < kernel_first_[k + 1]; ++t) {
        std::size_t u = 0;
        while (u < ft.tests.size() && !live_terms_[ft.tests[u]].same_test(live_terms_[t])) ++u;
        if (u == ft.tests.size()) ft.tests.push_back(t);
        ft.uses.push_back(static_cast<std::uint8_t>(std::min<std::size_t>(u, 255)));
      }
    }
    ft.first.push_back(static_cast<std::uint32_t>(ft.uses.size()));
  }
}

[[gnu::noinline]] const value* evaluator::fused_count(const plan::node& n) {
  const auto id = static_cast<std::uint32_t>(&n - p_.nodes.data());
  for (const auto& [node, v] : fused_)
    if (node == id) return &v;
  if (fusion_failed_.empty()) fusion_failed_.resize(p_.fusions.size(), false);
  if (fusion_failed_[n.fusion]) return nullptr;
  const auto& group = p_.fusions[n.fusion];
  const value coll = eval(n.a);
  std::int64_t counts[plan::max_fused] = {};
  const std::size_t members = std::min<std::size_t>(group.size(), plan::max_fused);
  const auto& ft = (*lease_).fusion_tests[n.fusion];
  if (coll.kind != vkind::list || coll.node == no_index || ft.tests.size() > 64) {
    fusion_failed_[n.fusion] = true;
    return nullptr;
  }
  const live_term* term[64];
  for (std::size_t u = 0; u < ft.tests.size(); ++u) term[u] = &live_terms_[ft.tests[u]];
  const std::uint8_t* uses = ft.uses.data();
  const std::uint32_t* first = ft.first.data();
  const std::uint32_t len = coll.len;
  const data::document_data& d = *raw_;
  const std::uint32_t* items = d.items.data() + d.nodes[coll.node].u.range.first;
  for (std::uint32_t i = 0; i < len; ++i) {
    fetch_ahead(coll.node, i, len);
    const auto e = items[i];
    if (d.nodes[e].kind != value_kind::map) {
      fusion_failed_[n.fusion] = true;
      return nullptr;
    }
    const std::uint32_t size = d.nodes[e].u.range.count;
    std::int8_t known[64];  // per test on this element: 1 held, 0 did not, 2 not run yet
    std::memset(known, 2, sizeof known);
    for (std::size_t g = 0; g < members; ++g) {
      int r = 1;
      for (std::uint32_t k = first[g]; k < first[g + 1]; ++k) {
        const auto u = uses[k];
        if (known[u] == 2) known[u] = static_cast<std::int8_t>(run_term(*term[u], e, size));
        r = known[u];
        if (r <= 0) break;
      }
      if (r < 0) {  // a kernel cannot answer for this element: every count the general way
        fusion_failed_[n.fusion] = true;
        return nullptr;
      }
      counts[g] += r;
    }
  }
  const value* own = nullptr;
  for (std::size_t g = 0; g < members; ++g) fused_.push_back({group[g], value::integer(counts[g])});
  for (const auto& [node, v] : fused_)
    if (node == id) own = &v;
  return own;
}

}  // namespace joinup::eval
