// The public policy API: rule texts → parse → check → plan, held immutable; evaluation.
#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

#include "api/compile.hpp"
#include "check/check.hpp"
#include "diag/codes.hpp"
#include "eval/eval.hpp"
#include "joinup/policy.hpp"
#include "plan/plan.hpp"
#include "rulefile/files.hpp"

namespace joinup {

namespace detail {
struct policy_impl {
  explicit policy_impl(plan::program lowered) : program(std::move(lowered)) {
    every_rule.resize(program.rules.size());
    for (std::uint32_t i = 0; i < every_rule.size(); ++i) every_rule[i] = i;
    // What rules_named() gives for every name it accepts: a full id names its rule alone; each
    // shorter dotted suffix names the rules that end with it, in rule-set order.
    const auto& infos = program.infos;
    for (std::uint32_t i = 0; i < infos.size(); ++i) {
      const std::string_view id = infos[i].full_id;
      for (auto dot = id.find('.'); dot != std::string_view::npos; dot = id.find('.', dot + 1))
        if (dot + 1 < id.size()) by_name[id.substr(dot + 1)].push_back(i);
    }
    for (std::uint32_t i = 0; i < infos.size(); ++i) by_name[infos[i].full_id] = {i};
    for (std::uint32_t i = 0; i < infos.size(); ++i)
      for (const auto& t : infos[i].tags)
        if (auto& rules = by_tag[t]; rules.empty() || rules.back() != i) rules.push_back(i);
  }
  const plan::program program;  // final once lowered
  // 0 … n-1: what select_rules gives without `only` and `tags` (the usual call), made once.
  std::vector<std::uint32_t> every_rule;
  // The rules each id of `only` names (keys view the rules' full ids), so that a host selecting
  // rules for every event pays one lookup an id.
  std::unordered_map<std::string_view, std::vector<std::uint32_t>> by_name;
  // The rules with each tag, in rule-set order (keys view the rules' tags): a host selecting by
  // tag for every event pays one lookup a tag, not a pass over every rule's tags.
  std::unordered_map<std::string_view, std::vector<std::uint32_t>> by_tag;
};

// What findings render from: the policy and the document they were found in (shared, kept
// alive), the options with the as-of date fixed, and what eval::find kept.
struct findings_state {
  std::shared_ptr<const policy_impl> policy;
  document doc;
  evaluate_options options;
  eval::found found;
};
}  // namespace detail

policy policy::compile(const std::vector<rule_source>& sources, const compile_options& options) {
  // The ASTs may go: the plan keeps the sources and everything else it needs.
  policy p;
  p.impl_ = std::make_shared<const detail::policy_impl>(std::move(api::compile_rules(sources, options).program));
  return p;
}

policy policy::load(const std::vector<std::string>& paths, const compile_options& options) {
  std::vector<diagnostic> notes;
  return load(paths, options, notes);
}

policy policy::load(const std::vector<std::string>& paths, const compile_options& options,
                    std::vector<diagnostic>& notes) {
  std::vector<diagnostic> diags;
  auto sources = rulefile::read_rule_files(paths, options.max_file_bytes, diags, &notes);
  if (!diags.empty()) throw error(std::move(diags));
  return compile(sources, options);
}

const std::vector<rule_info>& policy::rules() const {
  static const std::vector<rule_info> empty_rules;
  return impl_ ? impl_->program.infos : empty_rules;
}

const rule_info* policy::find_rule(std::string_view full_id) const {
  for (const auto& r : rules())
    if (r.full_id == full_id) return &r;
  return nullptr;
}

namespace {

// The indexes of the rules that `only` and `tags` select, in rule-set order; throws for an unknown
// id in `only`. With `only`, each id is looked up once (a host checking one rule per event pays
// for one lookup, not for a pass over every rule comparing it with every id).
std::vector<std::uint32_t> select_rules(const policy& p, const detail::policy_impl* impl,
                                        const evaluate_options& options) {
  const auto& infos = p.rules();
  const auto tagged = [&](const rule_info& r) {
    return options.tags.empty() || std::any_of(r.tags.begin(), r.tags.end(), [&](const std::string& t) {
             return std::find(options.tags.begin(), options.tags.end(), t) != options.tags.end();
           });
  };
  std::vector<std::uint32_t> selected;
  if (options.only.empty() && impl && !options.tags.empty()) {
    for (const auto& t : options.tags)
      if (const auto it = impl->by_tag.find(t); it != impl->by_tag.end())
        selected.insert(selected.end(), it->second.begin(), it->second.end());
    if (options.tags.size() > 1) {
      std::sort(selected.begin(), selected.end());
      selected.erase(std::unique(selected.begin(), selected.end()), selected.end());
    }
    return selected;
  }
  if (options.only.empty()) {
    selected.reserve(infos.size());
    for (std::uint32_t i = 0; i < infos.size(); ++i)
      if (tagged(infos[i])) selected.push_back(i);
    return selected;
  }
  std::vector<diagnostic> diags;
  for (const auto& id : options.only) {
    if (impl)
      if (const auto it = impl->by_name.find(id); it != impl->by_name.end() && it->second.size() == 1) {
        selected.push_back(it->second.front());
        continue;
      }
    const auto named = rules_named(infos, id);  // none, or several: the words say which
    if (named.size() == 1) {
      selected.push_back(static_cast<std::uint32_t>(named.front() - infos.data()));
      continue;
    }
    if (named.size() > 1) {
      diagnostic d;
      d.code = diag::to_string(diag::code::unknown_rule);
      d.message = ambiguous_rule_text(id, named);
      d.help = "give the rule's full id";
      diags.push_back(std::move(d));
      continue;
    }
    std::vector<std::string> ids;
    for (const auto& r : infos) ids.push_back(r.full_id);
    const auto guess = check::closest(id, ids);
    diagnostic d;
    d.code = diag::to_string(diag::code::unknown_rule);
    d.message = "no rule '" + id + "' in the rule set";
    if (!guess.empty()) d.help = "did you mean '" + guess + "'?";
    diags.push_back(std::move(d));
  }
  if (!diags.empty()) throw error(std::move(diags));
  std::sort(selected.begin(), selected.end());
  selected.erase(std::unique(selected.begin(), selected.end()), selected.end());
  std::erase_if(selected, [&](std::uint32_t i) { return !tagged(infos[i]); });
  return selected;
}

// The selected rules: the policy's list of every rule when nothing narrows them, else those
// select_rules gives, kept in `storage`.
const std::vector<std::uint32_t>& selection(const policy& p, const detail::policy_impl* impl,
                                            const evaluate_options& options, std::vector<std::uint32_t>& storage) {
  if (impl && options.only.empty() && options.tags.empty()) return impl->every_rule;
  storage = select_rules(p, impl, options);
  return storage;
}

}  // namespace

evaluation_result policy::evaluate(const document& doc, const evaluate_options& options) const {
  std::vector<std::uint32_t> storage;
  const auto& selected = selection(*this, impl_.get(), options, storage);
  if (!impl_) {
    evaluation_result r;
    r.as_of = options.as_of ? *options.as_of : today();
    r.data_origin = doc.empty() ? std::string() : doc.origin();
    r.title = eval::document_title(doc);
    return r;
  }
  return eval::evaluate(impl_->program, doc, selected, options);
}

findings policy::find(const document& doc, const evaluate_options& options) const {
  std::vector<std::uint32_t> storage;
  const auto& selected = selection(*this, impl_.get(), options, storage);
  auto state = std::make_shared<detail::findings_state>();
  state->policy = impl_;
  state->doc = doc;
  // What rendering reads: the date, the budgets, undetermined_fails. Not the selection (the
  // findings hold the selected rules), whose strings a host selecting rules for every event would
  // otherwise copy every time.
  state->options.as_of = options.as_of;
  state->options.undetermined_fails = options.undetermined_fails;
  state->options.max_steps = options.max_steps;
  state->options.max_regex_bytes = options.max_regex_bytes;
  state->options.max_string_bytes = options.max_string_bytes;
  state->options.max_memory_bytes = options.max_memory_bytes;
  state->options.count_clauses = options.count_clauses;
  static_assert(sizeof(evaluate_options) == 104, "an option was added to evaluate_options: copy it above too");
  if (impl_) {
    state->found = eval::find(impl_->program, doc, selected, options);
  } else {
    state->found.as_of = options.as_of ? *options.as_of : today();
    state->found.undetermined_fails = options.undetermined_fails;
  }
  state->options.as_of = state->found.as_of;  // rendering later sees the same date
  findings out;
  out.rules_ = std::move(state->found.rules);  // kept once, in the findings
  out.violations_ = std::move(state->found.violations);
  out.as_of_ = state->found.as_of;
  out.undetermined_fails_ = state->found.undetermined_fails;
  out.state_ = std::move(state);
  return out;
}

findings::~findings() {
  std::vector<eval::found::pending> no_pendings;
  std::vector<values::value> no_bindings;
  eval::keep_room(rules_, violations_, no_pendings, no_bindings);
}

violation findings::details(std::size_t i) const {
  if (!state_ || i >= violations_.size())
    throw std::out_of_range("findings::details: no violation " + std::to_string(i));
  return eval::render(state_->policy->program, state_->doc, state_->options, state_->found, i);
}

const document& findings::data() const {
  static const document none;
  return state_ ? state_->doc : none;
}

evaluation_result findings::result() const {
  if (!state_) return {};
  if (!state_->policy) {
    evaluation_result r;
    r.as_of = state_->found.as_of;
    r.data_origin = state_->doc.empty() ? std::string() : state_->doc.origin();
    r.title = eval::document_title(state_->doc);
    r.undetermined_fails = state_->found.undetermined_fails;
    return r;
  }
  return eval::render_all(state_->policy->program, state_->doc, state_->options, state_->found, rules_);
}

date today() {
  const auto now = std::chrono::system_clock::now();
  const auto days = std::chrono::floor<std::chrono::days>(now);
  return date{static_cast<std::int32_t>(days.time_since_epoch().count())};
}

}  // namespace joinup
