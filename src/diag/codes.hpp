// Every diagnostic code the library and the command give, in one list. A code is the stable,
// machine-readable name of a kind of problem (diagnostic::code, the JSON and SARIF reports, the C
// interface's joinup_diagnostic::code); its text never changes once released. Give a new kind of
// problem a new code here, and the C interface a status for it in capi/error.cpp if it needs one.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace joinup::diag {

enum class code : std::uint8_t {
  // Rule text that does not read.
  syntax,               // the grammar does not match; the message says what was expected
  unbalanced,           // a bracket, brace or parenthesis left open or closed by another
  unterminated_string,  // a string without its closing quote
  too_long,             // a name longer than the scanner takes
  invalid_escape,       // an escape sequence a string does not have
  invalid_number,       // a number literal out of range or badly written
  invalid_date,         // a date literal that is not a date
  invalid_severity,     // a severity other than error, warning or info
  control_character,    // a control character in rule text
  chained_comparison,   // a < b < c
  misplaced_clause,     // a clause out of its order, or given twice
  duplicate_metadata,   // a metadata clause given twice
  yaml,                 // a YAML rule file that is not YAML
  yaml_rules,           // a YAML rule file whose keys or values are not those of rules
  // Rules that read but do not check.
  unknown_name,
  unknown_function,
  arity,                 // a built-in called with the wrong number of arguments
  has_path,              // has() of something that is not a path
  duplicate_name,        // a name bound twice
  duplicate_rule,        // a full rule id given twice in a rule set
  invalid_regex,         // a constant pattern that does not compile or is too long
  duplicate_definition,  // two file-level definitions of one name in a package
  recursive_definition,  // a def that calls itself, or a let whose value needs itself
  unknown_package,       // an import or a qualified name of a package that defines nothing
  // Files and limits.
  file_not_found,
  not_a_file,       // a directory (or other) where a file was wanted
  no_rules,         // a rule directory without rule files
  not_a_rule_file,  // a YAML file in a rule directory that is not a rule file (a note: skipped)
  too_large,        // a file, string or pattern past its limit
  too_deep,         // nesting past its limit
  invalid_utf8,
  // Data.
  data_parse,  // YAML or JSON that does not parse
  duplicate_key,
  multiple_documents,  // a YAML stream of more than one document
  builder_misuse,      // document_builder calls out of order
  // Evaluation.
  unknown_rule,  // evaluate_options::only names no rule of the set
  step_limit,    // evaluate_options::max_steps used up
  memory_limit,  // evaluate_options::max_memory_bytes used up
  // Lint warnings.
  unused_let,
  constant_condition,  // a `when` that constant folding decides
  constant_require,    // a `require` that constant folding decides
  duplicate_body,      // rules that check the same under different ids
  schema_path,         // a path the data's JSON Schema does not allow
  // Checking rules against the data's JSON Schema (src/types/).
  schema_enum,        // a string compared with a field whose enum does not hold it
  schema_type,        // a comparison or arithmetic between types that can never match
  schema_collection,  // count, sum, a quantifier or `for each` over what is never a list or map
  schema_numbers,     // sum or avg over what are never numbers
  schema_branch,      // a path the schema allows only in some branches of a oneOf
  schema_conflict,    // files of one package that declare different schemas
  unused_parameter,   // a def parameter its body never reads
  unused_definition,  // a file-level let or def no rule of the set reaches
  unguarded_hole,     // a message hole reading a path that may be missing when it is shown
  // Other files the command reads.
  waivers_file,
  ambiguous_waiver,    // a waiver that names no data file, while several are checked
  positional_subject,  // a waiver's subject written by list position (still read, for one release)
  baseline,            // a baseline report that cannot be read
  no_data,             // a folder given as data that holds no data file
  test_file,
  // The C interface.
  misuse,       // a call out of contract
  unsupported,  // a feature this build does not have
  error,        // any other failure
};

// Each code with its text, in the enum's order (checked below).
struct code_text {
  code id;
  std::string_view text;
};
inline constexpr std::array<code_text, 61> code_texts = {{
    {code::syntax, "syntax"},
    {code::unbalanced, "unbalanced"},
    {code::unterminated_string, "unterminated-string"},
    {code::too_long, "too-long"},
    {code::invalid_escape, "invalid-escape"},
    {code::invalid_number, "invalid-number"},
    {code::invalid_date, "invalid-date"},
    {code::invalid_severity, "invalid-severity"},
    {code::control_character, "control-character"},
    {code::chained_comparison, "chained-comparison"},
    {code::misplaced_clause, "misplaced-clause"},
    {code::duplicate_metadata, "duplicate-metadata"},
    {code::yaml, "yaml"},
    {code::yaml_rules, "yaml-rules"},
    {code::unknown_name, "unknown-name"},
    {code::unknown_function, "unknown-function"},
    {code::arity, "arity"},
    {code::has_path, "has-path"},
    {code::duplicate_name, "duplicate-name"},
    {code::duplicate_rule, "duplicate-rule"},
    {code::invalid_regex, "invalid-regex"},
    {code::duplicate_definition, "duplicate-definition"},
    {code::recursive_definition, "recursive-definition"},
    {code::unknown_package, "unknown-package"},
    {code::file_not_found, "file-not-found"},
    {code::not_a_file, "not-a-file"},
    {code::no_rules, "no-rules"},
    {code::not_a_rule_file, "not-a-rule-file"},
    {code::too_large, "too-large"},
    {code::too_deep, "too-deep"},
    {code::invalid_utf8, "invalid-utf8"},
    {code::data_parse, "data-parse"},
    {code::duplicate_key, "duplicate-key"},
    {code::multiple_documents, "multiple-documents"},
    {code::builder_misuse, "builder-misuse"},
    {code::unknown_rule, "unknown-rule"},
    {code::step_limit, "step-limit"},
    {code::memory_limit, "memory-limit"},
    {code::unused_let, "unused-let"},
    {code::constant_condition, "constant-condition"},
    {code::constant_require, "constant-require"},
    {code::duplicate_body, "duplicate-body"},
    {code::schema_path, "schema-path"},
    {code::schema_enum, "schema-enum"},
    {code::schema_type, "schema-type"},
    {code::schema_collection, "schema-collection"},
    {code::schema_numbers, "schema-numbers"},
    {code::schema_branch, "schema-branch"},
    {code::schema_conflict, "schema-conflict"},
    {code::unused_parameter, "unused-parameter"},
    {code::unused_definition, "unused-definition"},
    {code::unguarded_hole, "unguarded-hole"},
    {code::waivers_file, "waivers-file"},
    {code::ambiguous_waiver, "ambiguous-waiver"},
    {code::positional_subject, "positional-subject"},
    {code::baseline, "baseline"},
    {code::no_data, "no-data"},
    {code::test_file, "test-file"},
    {code::misuse, "misuse"},
    {code::unsupported, "unsupported"},
    {code::error, "error"},
}};

consteval bool code_texts_in_order() {
  for (std::size_t i = 0; i < code_texts.size(); ++i)
    if (code_texts[i].id != static_cast<code>(i)) return false;
  return code_texts.size() == static_cast<std::size_t>(code::error) + 1;
}
static_assert(code_texts_in_order(), "code_texts must list every code once, in the enum's order");

// The code's text, as diagnostics carry it: "unknown-name".
constexpr const char* to_string(code c) { return code_texts[static_cast<std::size_t>(c)].text.data(); }

// The code a diagnostic's text names, or nothing for a text that is no code.
constexpr std::optional<code> code_of(std::string_view text) {
  for (std::size_t i = 0; i < code_texts.size(); ++i)
    if (code_texts[i].text == text) return code_texts[i].id;
  return std::nullopt;
}

}  // namespace joinup::diag
