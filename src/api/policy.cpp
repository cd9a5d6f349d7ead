// The public policy API: rule texts → parse → check → plan, held immutable; evaluation.
#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "check/check.hpp"
#include "diag/source.hpp"
#include "diag/text.hpp"
#include "eval/eval.hpp"
#include "joinup/policy.hpp"
#include "plan/plan.hpp"
#include "rulefile/files.hpp"
#include "rulefile/yaml_rules.hpp"
#include "syntax/parse.hpp"

namespace joinup {

namespace detail {
struct policy_impl {
  explicit policy_impl(plan::program lowered) : program(std::move(lowered)) {}
  const plan::program program;  // final once lowered
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

namespace {

// Every diagnostic, in the order of the files given and then of their positions in each file.
void sort_diagnostics(std::vector<diagnostic>& diags, const std::vector<rule_source>& sources) {
  auto file_index = [&](const diagnostic& d) {
    for (std::size_t i = 0; i < sources.size(); ++i)
      if (sources[i].origin == d.origin) return i;
    return sources.size();
  };
  std::stable_sort(diags.begin(), diags.end(), [&](const diagnostic& a, const diagnostic& b) {
    const auto fa = file_index(a), fb = file_index(b);
    if (fa != fb) return fa < fb;
    if (a.line != b.line) return a.line < b.line;
    return a.column < b.column;
  });
}

std::string hex_byte(unsigned char c) {
  constexpr char digits[] = "0123456789ABCDEF";
  return std::string("0x") + digits[c >> 4] + digits[c & 15];
}

diagnostic file_error(const std::string& path, std::string code, std::string message, std::string help = {}) {
  diagnostic d;
  d.code = std::move(code);
  d.origin = path;
  d.message = std::move(message);
  d.help = std::move(help);
  return d;
}

}  // namespace

policy policy::compile(const std::vector<rule_source>& sources, const compile_options& options) {
  std::vector<diagnostic> diags;
  std::vector<std::shared_ptr<const diag::source_file>> files;
  std::vector<std::unique_ptr<ast::file>> trees;
  for (const auto& s : sources) {
    if (s.text.size() > options.max_file_bytes) {
      diags.push_back(file_error(s.origin, "too-large",
                                 "rule file is " + std::to_string(s.text.size()) + " bytes, more than the limit of " +
                                     std::to_string(options.max_file_bytes)));
      continue;
    }
    // Rules are UTF-8 text: invalid bytes would reach titles, messages and reports as they are.
    if (const auto bad = diag::find_invalid_utf8(s.text); bad != std::string::npos) {
      const std::string_view before(s.text.data(), bad);
      const auto line_start = before.rfind('\n');
      auto d = file_error(s.origin, "invalid-utf8",
                          "invalid UTF-8: byte " + hex_byte(static_cast<unsigned char>(s.text[bad])) +
                              " does not start a valid character",
                          "rule files must be UTF-8 encoded");
      d.line = 1 + static_cast<std::uint32_t>(std::count(before.begin(), before.end(), '\n'));
      d.column = diag::count_chars(line_start == std::string_view::npos ? before : before.substr(line_start + 1)) + 1;
      diags.push_back(std::move(d));
      continue;
    }
    auto src = std::make_shared<const diag::source_file>(s.origin, s.text);
    auto tree = std::make_unique<ast::file>();
    tree->origin = s.origin;
    syntax::parse_output out;
    syntax::parse_limits limits;
    limits.max_nesting = options.max_expression_depth;
    if (rulefile::is_yaml_name(s.origin)) {
      rulefile::read_yaml(*src, *tree, diags, limits);
    } else {
      syntax::parse(*src, syntax::parse_mode::rule_file, *tree, out, diags, limits);
    }
    files.push_back(std::move(src));
    trees.push_back(std::move(tree));
  }
  std::vector<check::checked_file> checked;
  for (std::size_t i = 0; i < files.size(); ++i) checked.push_back(check::check_file(*files[i], *trees[i], diags));
  check::check_unique_ids(checked, diags);
  if (!diags.empty()) {
    sort_diagnostics(diags, sources);
    throw error(std::move(diags));
  }

  auto program = plan::lower(checked, files, diags, options.max_regex_bytes);
  if (!diags.empty()) {
    sort_diagnostics(diags, sources);
    throw error(std::move(diags));
  }
  // The ASTs may go: the plan keeps the sources and everything else it needs.
  policy p;
  p.impl_ = std::make_shared<const detail::policy_impl>(std::move(program));
  return p;
}

policy policy::load(const std::vector<std::string>& paths, const compile_options& options) {
  std::vector<diagnostic> diags;
  auto sources = rulefile::read_rule_files(paths, diags);
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

// The indexes of the rules that `only` and `tags` select; throws for an unknown id in `only`.
std::vector<std::uint32_t> select_rules(const policy& p, const evaluate_options& options) {
  const auto& infos = p.rules();
  std::vector<diagnostic> diags;
  for (const auto& id : options.only) {
    if (p.find_rule(id)) continue;
    std::vector<std::string> ids;
    for (const auto& r : infos) ids.push_back(r.full_id);
    const auto guess = check::closest(id, ids);
    diagnostic d;
    d.code = "unknown-rule";
    d.message = "no rule '" + id + "' in the rule set";
    if (!guess.empty()) d.help = "did you mean '" + guess + "'?";
    diags.push_back(std::move(d));
  }
  if (!diags.empty()) throw error(std::move(diags));

  std::vector<std::uint32_t> selected;
  selected.reserve(infos.size());
  for (std::uint32_t i = 0; i < infos.size(); ++i) {
    const auto& r = infos[i];
    if (!options.only.empty() && std::find(options.only.begin(), options.only.end(), r.full_id) == options.only.end())
      continue;
    if (!options.tags.empty() && std::none_of(r.tags.begin(), r.tags.end(), [&](const std::string& t) {
          return std::find(options.tags.begin(), options.tags.end(), t) != options.tags.end();
        }))
      continue;
    selected.push_back(i);
  }
  return selected;
}

}  // namespace

evaluation_result policy::evaluate(const document& doc, const evaluate_options& options) const {
  const auto selected = select_rules(*this, options);
  if (!impl_) {
    evaluation_result r;
    r.as_of = options.as_of ? *options.as_of : today();
    r.data_origin = doc.empty() ? std::string() : doc.origin();
    return r;
  }
  return eval::evaluate(impl_->program, doc, selected, options);
}

findings policy::find(const document& doc, const evaluate_options& options) const {
  const auto selected = select_rules(*this, options);
  auto state = std::make_shared<detail::findings_state>();
  state->policy = impl_;
  state->doc = doc;
  state->options = options;
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

violation findings::details(std::size_t i) const {
  if (!state_ || i >= violations_.size()) throw std::out_of_range("findings::details: no violation " + std::to_string(i));
  return eval::render(state_->policy->program, state_->doc, state_->options, state_->found, i);
}

evaluation_result findings::result() const {
  if (!state_) return {};
  if (!state_->policy) {
    evaluation_result r;
    r.as_of = state_->found.as_of;
    r.data_origin = state_->doc.empty() ? std::string() : state_->doc.origin();
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
