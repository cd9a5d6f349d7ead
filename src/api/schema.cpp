// Checking rules against the data's JSON Schema: the public type_check and the schemas that
// packages declare, read once each.
#include <map>

#include "api/compile.hpp"
#include "diag/codes.hpp"
#include "diag/read.hpp"
#include "types/types.hpp"

namespace joinup {

namespace api {

namespace {

// The files of a compiled set as the types stage reads them.
types::rule_set_view view_of(const compiled_rules& rules) {
  types::rule_set_view set;
  for (std::size_t i = 0; i < rules.trees.size() && i < rules.checked.size(); ++i) {
    set.sources.push_back(rules.files[i].get());
    set.trees.push_back(rules.trees[i].get());
    set.checked.push_back(&rules.checked[i]);
  }
  set.definitions = &rules.definitions;
  return set;
}

}  // namespace

std::vector<std::string> declared_schemas(const compiled_rules& rules, std::vector<diagnostic>& errors) {
  const auto set = view_of(rules);
  return types::declared_schemas(set.trees, set.sources, set.checked, errors);
}

std::vector<diagnostic> type_check(const compiled_rules& rules, const document* schema) {
  std::vector<diagnostic> out;
  const types::rule_set_view set = view_of(rules);
  if (schema) {
    for (std::size_t i = 0; i < set.trees.size(); ++i)
      types::check_file(*set.sources[i], *set.trees[i], *set.checked[i], *schema, out, &set);
    return out;
  }
  std::vector<diagnostic> errors;
  const auto paths = types::declared_schemas(set.trees, set.sources, set.checked, errors);
  std::map<std::string, document> loaded;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (paths[i].empty() || loaded.contains(paths[i])) continue;
    try {
      const load_options options;
      loaded.emplace(paths[i], load_document(diag::read_file(paths[i], {"schema file", options.max_bytes}), paths[i],
                                             data_format::automatic, options));
    } catch (const joinup::error& e) {
      // Said at the `schema` line that names it, with the reader's own words as the help.
      const auto& f = *set.trees[i];
      std::string why = e.diagnostics().empty() ? std::string(e.what()) : e.diagnostics().front().message;
      errors.push_back(set.sources[i]->make(f.schema_span.begin, f.schema_span.end, diag::code::file_not_found,
                                            "cannot read the schema '" + paths[i] + "' this file declares",
                                            why + " (a schema path is relative to the rule file's folder)"));
      loaded.emplace(paths[i], document());
    }
  }
  if (!errors.empty()) throw joinup::error(std::move(errors));
  for (std::size_t i = 0; i < paths.size(); ++i)
    if (!paths[i].empty())
      types::check_file(*set.sources[i], *set.trees[i], *set.checked[i], loaded.at(paths[i]), out, &set);
  return out;
}

}  // namespace api

std::vector<diagnostic> type_check(const std::vector<rule_source>& sources, const document* schema,
                                   const compile_options& options) {
  const auto rules = api::compile_rules(sources, options);
  auto out = api::type_check(rules, schema);
  api::sort_diagnostics(out, sources);
  return out;
}

}  // namespace joinup
