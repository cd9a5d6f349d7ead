// The formatter and converter's entry points: a rule file is read into the layout model
// (format/model.hpp) and printed from it, as a .jup file in the canonical layout or as a YAML
// rule file.
#include "format/format.hpp"

#include "ast/ast.hpp"
#include "diag/read.hpp"
#include "diag/source.hpp"
#include "format/model.hpp"
#include "joinup/diagnostic.hpp"
#include "joinup/document.hpp"
#include "rulefile/yaml_rules.hpp"
#include "syntax/parse.hpp"

namespace joinup::format {

namespace {

file_model read_dsl(const rule_source& s) {
  const diag::source_file src(s.origin, std::string(diag::without_bom(s.text)));  // the layout drops the mark
  ast::file f;
  syntax::parse_output out;
  std::vector<diagnostic> diags;
  if (!syntax::parse(src, syntax::parse_mode::rule_file, f, out, diags)) throw error(std::move(diags));
  return read_dsl_layout(src, f);
}

}  // namespace

bool is_yaml_source(std::string_view origin) { return rulefile::is_yaml_name(origin); }

std::string format_dsl(const rule_source& jup) { return print_dsl(read_dsl(jup)); }

std::string to_yaml(const rule_source& jup) {
  // From the canonical layout, so that expressions spanning lines are indented canonically.
  const rule_source formatted{jup.origin, format_dsl(jup)};
  const file_model m = read_dsl(formatted);
  return print_yaml(m);
}

std::string to_dsl(const rule_source& yaml) {
  const diag::source_file src(yaml.origin, yaml.text);
  ast::file f;
  std::vector<diagnostic> diags;
  if (!rulefile::read_yaml(src, f, diags)) throw error(std::move(diags));
  const document doc = load_document(yaml.text, yaml.origin, data_format::yaml);
  return print_dsl(read_yaml_layout(src, doc));
}

}  // namespace joinup::format
