// The layout model of a rule file, shared by the formatter's readers and printers: every clause in
// order, the text of each expression and string as written, and every comment attached to the
// line it belongs to. Read from a .jup file (dsl.cpp) or a YAML rule file (yaml.cpp) and printed
// as either.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <range/v3/range/conversion.hpp>
#include <range/v3/view/join.hpp>
#include <range/v3/view/transform.hpp>

#include "ast/ast.hpp"
#include "diag/source.hpp"
#include "joinup/document.hpp"

namespace joinup::format {

struct comment {
  std::string text;  // from '#' to the end of the line
  bool blank_before = false;
};

// An output line and what is attached to it.
struct item {
  std::vector<comment> before;  // comments on their own lines above it
  bool blank_before = false;    // a blank line directly above the line itself
  std::string trailing;         // a comment at the end of the line
};

struct piece : item {
  std::string text;  // a string literal in DSL form (quotes included), a word, or a tag as written
};

struct clause : item {
  std::string keyword;  // severity tags source rationale remedy when let "for each" where require message
  std::string head;     // let: the name; for each: "NAME" or "I, NAME"
  // The expression as written. Continuation lines carry their indentation relative to the
  // clause's own indentation (at least 2).
  std::string expr;
  std::vector<piece> strings;
};

struct rule_model : item {
  std::string id;
  std::vector<std::string> title;  // DSL string literals
  std::vector<clause> clauses;
  item close;  // the closing brace: comments before it, and after it on its line
};

// A file-level `let`, `def` or `import` line.
struct definition_model : item {
  std::string keyword;          // let, def, import
  std::string head;             // the name, "NAME(P1, P2)", or the imported package
  std::string expr;             // let and def: the value as written (continuation lines as in clause)
  std::size_t before_rule = 0;  // printed before this rule (the number of rules: after the last)
};

struct file_model {
  std::optional<std::string> package;
  item package_line;
  std::optional<std::string> schema;  // the path, as written
  item schema_line;
  std::vector<std::string> uses;
  item uses_line;
  std::vector<rule_model> rules;
  std::vector<definition_model> definitions;  // in source order
  item end;                                   // comments after everything
};

// severity, tags, source, rationale and remedy: the clauses before a rule's body.
bool is_metadata(const std::string& keyword);
// How far a clause is indented in the DSL: 4 for `where`, 2 for the others.
std::uint32_t indent_of(const clause& c);
// The column (in characters) where a clause's expression starts, as the DSL printer lays it out.
std::uint32_t expr_column(const clause& c);

std::string rtrim(std::string_view s);
std::vector<std::string> split_lines(std::string_view s);
// Continuation lines indented relative to the clause (at least 2), shifted by `delta` columns.
std::string normalise_expr(std::string_view text, std::uint32_t clause_indent, int delta);

// The texts of a range with `separator` between them: "a, b, c".
template <class Texts>
std::string joined(Texts&& texts, std::string_view separator = {}) {
  return ranges::to<std::string>(std::forward<Texts>(texts) | ranges::views::join(separator));
}

// Where a line of the model starts in the source text, for attaching comments.
struct anchor {
  std::uint32_t begin;
  item* it;
  bool is_rule = false;
  rule_model* rule = nullptr;
};

// Attaches each comment to an anchor: a comment alone on its line to the next anchor, one after
// code to the line it ends. `yaml`: a comment indented into a rule just before the next rule
// (or the end) closes that rule.
void attach(std::string_view t, std::vector<anchor> anchors, const std::vector<ast::span>& comments, file_model& m,
            bool yaml);

// A parsed .jup file's layout, and the DSL text of a layout in the canonical layout (dsl.cpp).
file_model read_dsl_layout(const diag::source_file& src, const ast::file& f);
std::string print_dsl(const file_model& m);

// A YAML rule file's layout (`doc` is the file loaded as data), and the YAML form of a layout
// (yaml.cpp).
file_model read_yaml_layout(const diag::source_file& src, const document& doc);
std::string print_yaml(const file_model& m);

}  // namespace joinup::format
