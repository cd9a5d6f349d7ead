// Fast path: grouped filters (plan::grouped_filter). The elements of a list whose key equals the
// probe are found in a hash index of the keys, built once per list, instead of a scan.
#include "eval/evaluator.hpp"

namespace joinup::eval {

// ---------------------------------------------------------------- grouped filters

value evaluator::filter_after_test(std::uint32_t id, std::uint32_t test) {
  if (id == test) return value::boolean(true);
  const auto& n = p_.nodes[id];
  return logic_after(n, filter_after_test(n.a, test));
}

int evaluator::test_after_test(std::uint32_t id, std::uint32_t test) {
  if (id == test) return 1;
  const auto& n = p_.nodes[id];
  const int l = test_after_test(n.a, test);
  if (l <= 0) return l;
  return this->test(n.b);
}

[[gnu::noinline]] evaluator::positions evaluator::visit_order(std::uint32_t g, const value& coll) {
  if (!fast_paths_on() || coll.kind != vkind::list || coll.node == no_index || coll.len == 0) return {};
  // In a small document (an event) every list is short and each filter is asked a few times:
  // walking the list costs less than building its index.
  if (raw_->nodes.size() < grouped_from_nodes) return {};
  const auto& gf = p_.groups[g];
  const std::uint64_t at = (std::uint64_t{g} << 32) | coll.node;
  grouped_list* gl = nullptr;
  if (!gf.correlated) {
    // A probe that reads no name may well be asked once, when a walk is cheaper than an index:
    // the index is built when the filter is asked again over the same list.
    if (group_last_.size() < p_.groups.size()) group_last_.resize(p_.groups.size(), no_index);
    const bool again = group_last_[g] == coll.node;
    group_last_[g] = coll.node;
    if (!again) {
      if (groups_.empty()) return {};
      const auto it = groups_.find(at);
      if (it == groups_.end()) return {};
      gl = &it->second;
    }
  }
  if (!gl) gl = &groups_[at];
  if (!gl->built) {
    gl->built = true;
    const auto mark = arena_.mark();
    for (std::uint32_t i = 0; i < coll.len; ++i) {
      slots_[gf.slot] = from_node(doc_, doc_.at(coll.node, i));
      const value key = eval(gf.key);
      // A string the evaluation computed lives in the arena: such an element is always visited.
      gl->index.add(i, key.kind == vkind::string && !key.from_document() ? value{} : key);
      arena_.release(mark);
    }
    gl->index.finish();
  }
  const value x = eval(gf.probe);
  if (!group_index::groupable(x)) return {};
  return positions(gl->index.find(x), gl->index.always());
}

}  // namespace joinup::eval
