// The compiler's front end: sources → syntax → checked → lowered.
#include "api/compile.hpp"

#include <functional>
#include <string>
#include <tuple>

#include <range/v3/algorithm/find.hpp>
#include <range/v3/algorithm/stable_sort.hpp>

#include "diag/codes.hpp"
#include "diag/read.hpp"
#include "diag/utf8.hpp"
#include "rulefile/yaml_rules.hpp"
#include "syntax/parse.hpp"

namespace joinup::api {

void sort_diagnostics(std::vector<diagnostic>& diags, const std::vector<rule_source>& sources) {
  const auto position = [&](const diagnostic& d) {
    const auto file = ranges::find(sources, d.origin, &rule_source::origin) - sources.begin();
    return std::tuple(file, d.line, d.column);
  };
  ranges::stable_sort(diags, std::less<>{}, position);
}

namespace {

// The evaluator walks a rule's `for each` steps by recursion, one level per step: the steps of a
// rule count as levels of nesting, under the same limit as an expression's (and so within the
// stack that limit is documented to need, docs/security.md).
void check_for_each_depth(const diag::source_file& src, const ast::file& tree, std::uint32_t max,
                          std::vector<diagnostic>& diags) {
  for (const auto& r : tree.rules) {
    std::uint32_t n = 0;
    for (const auto& st : r.steps) {
      if (st.what != ast::step::kind::for_each || ++n <= max) continue;
      diags.push_back(src.make(
          st.where.begin, st.where.end, diag::code::too_deep,
          "rule '" + r.id + "' nests more than " + std::to_string(max) + " 'for each' steps, the limit of nesting",
          "iterate over fewer collections in one rule, or raise the limit "
          "(max_expression_depth, --max-expression-depth)"));
      break;
    }
  }
}

}  // namespace

compiled_rules front_end(const std::vector<rule_source>& sources, const compile_options& options,
                         std::vector<diagnostic>& diags) {
  compiled_rules out;
  syntax::parse_limits limits;
  limits.max_nesting = options.max_expression_depth;
  for (const auto& s : sources) {
    if (s.text.size() > options.max_file_bytes) {
      diags.push_back(diag::file_diagnostic(diag::code::too_large, s.origin,
                                            diag::too_large_text("rule file", s.text.size(), options.max_file_bytes)));
      continue;
    }
    // Rules are UTF-8 text: invalid bytes would reach titles, messages and reports as they are.
    if (const auto bad = diag::find_invalid_utf8(s.text); bad != std::string::npos) {
      diags.push_back(diag::invalid_utf8_error(s.text, bad, s.origin, "rule files must be UTF-8 encoded", false));
      continue;
    }
    auto src = std::make_shared<const diag::source_file>(s.origin, std::string(diag::without_bom(s.text)));
    auto tree = std::make_unique<ast::file>();
    tree->origin = s.origin;
    if (rulefile::is_yaml_name(s.origin)) {
      rulefile::read_yaml(*src, *tree, diags, limits, options.max_file_bytes);
    } else {
      syntax::parse_output parsed;
      syntax::parse(*src, syntax::parse_mode::rule_file, *tree, parsed, diags, limits);
    }
    check_for_each_depth(*src, *tree, options.max_expression_depth, diags);
    out.files.push_back(std::move(src));
    out.trees.push_back(std::move(tree));
  }
  std::vector<const diag::source_file*> srcs;
  std::vector<const ast::file*> trees;
  for (std::size_t i = 0; i < out.files.size(); ++i) {
    srcs.push_back(out.files[i].get());
    trees.push_back(out.trees[i].get());
  }
  out.definitions = check::collect_definitions(srcs, trees, diags);
  for (std::size_t i = 0; i < out.files.size(); ++i)
    out.checked.push_back(check::check_file(*out.files[i], *out.trees[i], out.definitions, diags));
  check::check_unique_ids(out.checked, diags);
  check::check_definition_graph(out.definitions, out.checked, options.max_expression_depth, diags);
  if (diags.empty()) plan::lower(out.checked, out.files, out.definitions, out.program, diags, options.max_regex_bytes);
  return out;
}

compiled_rules compile_rules(const std::vector<rule_source>& sources, const compile_options& options) {
  std::vector<diagnostic> diags;
  compiled_rules out = front_end(sources, options, diags);
  if (!diags.empty()) {
    sort_diagnostics(diags, sources);
    throw error(std::move(diags));
  }
  return out;
}

}  // namespace joinup::api
