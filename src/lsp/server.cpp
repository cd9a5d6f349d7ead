#include "lsp/server.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <functional>
#include <istream>
#include <ostream>
#include <set>

#include "api/compile.hpp"
#include "check/builtins.hpp"
#include "check/names.hpp"
#include "diag/read.hpp"
#include "format/format.hpp"
#include "joinup/version.hpp"
#include "lint/lint.hpp"
#include "lsp/framing.hpp"
#include "lsp/json.hpp"
#include "lsp/schema.hpp"
#include "report/json_writer.hpp"

namespace joinup::lsp {

namespace fs = std::filesystem;
using report::json_writer;

// JSON-RPC and LSP error codes.
namespace code {
constexpr int parse_error = -32700;
constexpr int invalid_request = -32600;
constexpr int method_not_found = -32601;
constexpr int invalid_params = -32602;
constexpr int internal_error = -32603;
constexpr int server_not_initialized = -32002;
constexpr int request_failed = -32803;
}  // namespace code

namespace {

// The identifier completion puts at the cursor so that the front end parses the text around it
// (a `partnership.` being typed becomes a field access whose object can be looked up).
constexpr std::string_view placeholder = "joinup_lsp_cursor_";

class request_failed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class file_kind : std::uint8_t { jup, yaml_rules, tests, waivers, other };

file_kind kind_of(const std::string& path, std::string_view text) {
  const auto name = fs::path(path).filename().string();
  if (name.ends_with(".jup")) return file_kind::jup;
  if (name.ends_with(".test.yaml") || name.ends_with(".test.yml")) return file_kind::tests;
  if (name.ends_with(".yaml") || name.ends_with(".yml")) {
    // A YAML file is a rule file when it has the rule file's top-level keys.
    const auto top = [&](std::string_view key) {
      return text.starts_with(std::string(key) + ":") ||
             text.find("\n" + std::string(key) + ":") != std::string_view::npos;
    };
    if (top("waivers")) return file_kind::waivers;
    if (top("rules") || top("package") || top("uses")) return file_kind::yaml_rules;
  }
  return file_kind::other;
}

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string write_int(std::int64_t v) { return std::to_string(v); }

bool is_reserved(std::string_view w) {
  static const std::set<std::string_view> words = {
      "package", "uses", "rule", "when", "let",     "for",     "each", "require", "message", "in", "where", "and", "or",
      "not",     "all",  "any",  "none", "between", "matches", "true", "false",   "null",    "if", "then",  "else"};
  return words.contains(w);
}

bool is_name(std::string_view w) {
  if (w.empty() || w.size() > ast::max_name_length || std::isdigit(static_cast<unsigned char>(w[0]))) return false;
  return std::all_of(w.begin(), w.end(), is_word_char);
}

}  // namespace

// ---- a document and what the front end made of it -------------------------------------------

struct analysis {
  std::vector<rule_source> sources;
  api::compiled_rules rules;
  std::vector<diagnostic> diags;

  // The document is the first source; the others are files of its package and of the packages it
  // imports, compiled with it so that its definitions and imports resolve.
  const check::checked_file* checked() const {
    if (rules.checked.empty() || rules.files.empty() || rules.files.front()->origin() != sources.front().origin)
      return nullptr;
    return &rules.checked.front();
  }
  const check::definition_table* definitions() const { return &rules.definitions; }
  const ast::file* tree() const { return rules.trees.empty() ? nullptr : rules.trees.front().get(); }
};

struct open_document {
  std::string uri;
  std::string path;
  std::string text;
  std::int64_t version = 0;
  file_kind kind = file_kind::other;
  text_map map;
  std::uint32_t bom = 0;  // bytes of a byte order mark: the front end's offsets start after it
  std::unique_ptr<analysis> result;

  void set_text(std::string t) {
    text = std::move(t);
    map = text_map(text);
    bom = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
    kind = kind_of(path, text);
  }
  bool is_rules() const { return kind == file_kind::jup || kind == file_kind::yaml_rules; }
};

std::optional<std::string> declared_schema(const open_document& doc) {
  // The types stage's resolution: the file's own `schema` line, or its package's (relative to the
  // file that declares it).
  if (!doc.result) return std::nullopt;
  const auto& r = doc.result->rules;
  if (r.trees.empty() || r.trees.size() != r.files.size() || r.trees.size() != r.checked.size()) return std::nullopt;
  std::vector<diagnostic> ignored;
  const auto paths = api::declared_schemas(r, ignored);
  if (paths.empty() || paths.front().empty()) return std::nullopt;
  return paths.front();
}

namespace {

// The document's text first, then `others` (files of its package and of the packages it
// imports); the diagnostics kept are the document's own.
analysis analyse_text(const std::string& origin, const std::string& text, const compile_options& options,
                      const document* schema, bool with_lint, const std::vector<rule_source>& others = {}) {
  analysis a;
  a.sources.push_back({origin, text});
  a.sources.insert(a.sources.end(), others.begin(), others.end());
  const auto own = [&](std::vector<diagnostic>& ds) {
    std::erase_if(ds, [&](const diagnostic& d) { return d.origin != origin; });
  };
  a.rules = api::front_end(a.sources, options, a.diags);
  own(a.diags);
  if (with_lint && a.diags.empty()) {
    try {
      auto warnings = lint::lint(a.sources, schema, options);
      a.diags.insert(a.diags.end(), warnings.begin(), warnings.end());
    } catch (const error& e) {
      a.diags.insert(a.diags.end(), e.diagnostics().begin(), e.diagnostics().end());
    }
    own(a.diags);
  }
  api::sort_diagnostics(a.diags, a.sources);
  return a;
}

// The package a rule file declares (a .jup file's `package` line, a YAML rule file's top-level
// `package:` key) or its file name's stem, and the packages it imports (`import` lines; `imports:`
// as a flow list, one name or a block list): read from the text's lines, for choosing the files
// to compile with it.
struct package_lines {
  std::string package;
  std::vector<std::string> imports;
};

// Calls f with each line of text (without its line break), until f returns false.
template <class F>
void each_line(std::string_view text, F&& f) {
  std::size_t at = 0;
  while (at < text.size()) {
    auto end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    auto line = text.substr(at, end - at);
    at = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!f(line)) return;
  }
}

// The package name at the start of v (after spaces and an opening quote), or "".
std::string leading_name(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '"' || v.front() == '\'')) v.remove_prefix(1);
  std::size_t n = 0;
  while (n < v.size() && (is_word_char(v[n]) || v[n] == '.' || v[n] == '-')) ++n;
  return std::string(v.substr(0, n));
}

package_lines scan_yaml_package(std::string_view text) {
  package_lines out;
  const auto add_import = [&](std::string_view v) {
    if (auto n = leading_name(v); !n.empty()) out.imports.push_back(std::move(n));
  };
  bool in_imports = false;  // in the block list under `imports:`
  each_line(text, [&](std::string_view line) {
    if (in_imports && (line.starts_with(" ") || line.starts_with("-"))) {
      while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
      if (line.starts_with("- ")) add_import(line.substr(2));
      return true;
    }
    in_imports = false;
    if (line.starts_with("package:")) {
      if (auto n = leading_name(line.substr(8)); !n.empty()) out.package = n;
    } else if (line.starts_with("imports:")) {
      auto rest = line.substr(8);
      const auto open = rest.find('[');
      if (open == std::string_view::npos) {
        add_import(rest);
        in_imports = true;
        return true;
      }
      rest = rest.substr(open + 1, rest.find(']') - open - 1);  // `[a, b]`: each between commas
      for (std::size_t comma; !rest.empty(); rest = comma == std::string_view::npos ? "" : rest.substr(comma + 1)) {
        comma = rest.find(',');
        add_import(rest.substr(0, comma));
      }
    }
    return true;
  });
  return out;
}

package_lines scan_package(const std::string& path, std::string_view text) {
  const bool yaml = kind_of(path, text) == file_kind::yaml_rules;
  package_lines out = yaml ? scan_yaml_package(text) : package_lines{};
  if (out.package.empty()) out.package = fs::path(path).stem().string();
  if (yaml) return out;
  each_line(text, [&](std::string_view line) {
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.starts_with("package ")) {
      if (auto n = leading_name(line.substr(8)); !n.empty()) out.package = n;
    } else if (line.starts_with("import ")) {
      if (auto n = leading_name(line.substr(7)); !n.empty()) out.imports.push_back(n);
    }
    return !line.starts_with("rule ");  // the header lines come before the rules
  });
  return out;
}

// ---- writing ---------------------------------------------------------------------------------

void write_position(json_writer& w, position p) {
  w.begin_object();
  w.key("line");
  w.number(p.line);
  w.key("character");
  w.number(p.character);
  w.end_object();
}

struct range {
  position start, end;
};

void write_range(json_writer& w, range r) {
  w.begin_object();
  w.key("start");
  write_position(w, r.start);
  w.key("end");
  write_position(w, r.end);
  w.end_object();
}

// The range of front-end byte offsets [begin, end) of a document.
range range_of(const open_document& d, encoding e, std::uint32_t begin, std::uint32_t end) {
  return {d.map.at(begin + d.bom, e), d.map.at(std::max(begin, end) + d.bom, e)};
}
range range_of(const open_document& d, encoding e, ast::span s) { return range_of(d, e, s.begin, s.end); }

// The range a diagnostic points at: its line, its column and length in characters.
range range_of(const open_document& d, encoding e, const diagnostic& diag) {
  if (diag.line == 0) return {};
  std::uint32_t begin = d.map.offset_of_column(diag.line, diag.column);
  if (diag.line == 1) begin = d.map.advance_in_line(begin, d.bom ? 1 : 0);
  const std::uint32_t end = d.map.advance_in_line(begin, std::max<std::uint32_t>(diag.length, 1));
  return {d.map.at(begin, e), d.map.at(end, e)};
}

void write_location(json_writer& w, std::string_view uri, range r) {
  w.begin_object();
  w.key("uri");
  w.string(uri);
  w.key("range");
  write_range(w, r);
  w.end_object();
}

// "did you mean 'x'?" at the start of a help line: x.
std::optional<std::string> suggested(std::string_view help) {
  constexpr std::string_view lead = "did you mean '";
  if (!help.starts_with(lead)) return std::nullopt;
  const auto end = help.find("'?", lead.size());
  if (end == std::string_view::npos) return std::nullopt;
  return std::string(help.substr(lead.size(), end - lead.size()));
}

std::string path_to_uri(const std::string& path) {
  std::string out = "file://";
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      static const char* hex = "0123456789ABCDEF";
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// The source text of an expression.
std::string source_of(const analysis& a, ast::expr_id id) {
  const auto* t = a.tree();
  if (!t || id == no_index || id >= t->exprs.size()) return {};
  return std::string(a.rules.files.front()->slice(t->at(id).where.begin, t->at(id).where.end));
}

// A message, rationale or remedy as written: its text with the {…} holes.
std::string template_text(const analysis& a, const ast::text_template& t) {
  std::string out;
  for (const auto& p : t.parts) out += p.is_expr ? "{" + source_of(a, p.value) + "}" : p.text;
  return out;
}

// The source text of a file-level definition (its keyword to the end of its value), from
// whichever file of the analysis holds it.
std::string definition_source(const analysis& a, const check::named& b) {
  const auto& defs = a.rules.definitions;
  if (b.kind == check::name_kind::parameter) {
    const auto* t = a.tree();
    if (!t || b.definition >= t->definitions.size()) return b.name;
    const auto& d = t->definitions[b.definition];
    return std::string(a.rules.files.front()->slice(d.where.begin, d.where.end));
  }
  if (b.definition >= defs.entries.size()) return b.name;
  const auto& e = defs.entries[b.definition];
  if (!e.syntax || e.file >= a.rules.files.size()) return b.name;
  return std::string(a.rules.files[e.file]->slice(e.syntax->where.begin, e.syntax->where.end));
}

// Whether a name's `where` is a span of the document (not of another file compiled with it).
bool in_document(const analysis& a, const check::named& b) {
  if (b.kind != check::name_kind::definition) return true;
  const auto& defs = a.rules.definitions;
  return b.definition < defs.entries.size() && defs.entries[b.definition].file == 0;
}

// The innermost expression of `part` (a rule, or a file-level definition's value) whose range
// holds `at`.
template <class Part>
ast::expr_id innermost_of(const ast::file& f, const Part& part, std::uint32_t at) {
  ast::expr_id best = no_index;
  check::for_each_expr(f, part, [&](ast::expr_id id) {
    const auto& e = f.at(id);
    if (e.where.begin <= at && at <= e.where.end) {
      if (best == no_index || e.where.end - e.where.begin <= f.at(best).where.end - f.at(best).where.begin) best = id;
    }
  });
  return best;
}
ast::expr_id innermost(const ast::file& f, std::size_t ri, std::uint32_t at) {
  return innermost_of(f, f.rules[ri], at);
}
ast::expr_id innermost_in_definition(const ast::file& f, std::size_t di, std::uint32_t at) {
  return innermost_of(f, f.definitions[di], at);
}

// The schema of an expression's value, where the schema says (paths from document names, lets
// and loop variables); none otherwise.
schema_view::node_id schema_of(const schema_view& s, const check::checked_file& c, std::size_t ri, ast::expr_id id,
                               int depth = 0) {
  const ast::file& f = *c.syntax;
  if (id == no_index || id >= f.exprs.size() || depth > 64) return schema_view::none;
  const auto& e = f.at(id);
  switch (e.kind) {
    case ast::expr_kind::name: {
      const auto b = check::binding_of(c, ri, id);
      if (!b) return schema_view::none;
      switch (b->kind) {
        case check::name_kind::document: return s.property(s.root(), b->name);
        case check::name_kind::let: return schema_of(s, c, ri, b->value, depth + 1);
        case check::name_kind::for_each:
        case check::name_kind::binder: {
          // The key of `k, v in map` is a string; the element's schema is that of v.
          return s.element(schema_of(s, c, ri, b->value, depth + 1));
        }
        case check::name_kind::definition:
        case check::name_kind::parameter: return schema_view::none;
      }
      return schema_view::none;
    }
    case ast::expr_kind::field: return s.property(schema_of(s, c, ri, e.args[0], depth + 1), e.text);
    case ast::expr_kind::index: {
      const auto obj = schema_of(s, c, ri, e.args[0], depth + 1);
      const auto& key = f.at(e.args[1]);
      return key.kind == ast::expr_kind::string_lit ? s.property(obj, key.text) : s.element(obj);
    }
    case ast::expr_kind::binary:
      if (e.op == ast::op::coalesce) {
        const auto a = schema_of(s, c, ri, e.args[0], depth + 1);
        return a != schema_view::none ? a : schema_of(s, c, ri, e.args[1], depth + 1);
      }
      return schema_view::none;
    default: return schema_view::none;
  }
}

std::string schema_note(const schema_view& s, schema_view::node_id n) {
  if (n == schema_view::none) return {};
  std::string out;
  const auto type = s.type(n);
  if (!type.empty()) out += "*" + type + "*";
  const auto description = s.description(n);
  if (!description.empty()) out += (out.empty() ? "" : " — ") + description;
  const auto values = s.enum_values(n);
  if (!values.empty()) {
    out += "\n\none of: ";
    for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + ("`\"" + values[i] + "\"`");
  }
  return out;
}

const char* kind_word(check::name_kind k) {
  switch (k) {
    case check::name_kind::document: return "document name";
    case check::name_kind::let: return "let";
    case check::name_kind::for_each: return "for each";
    case check::name_kind::binder: return "bound by";
    case check::name_kind::definition: return "definition";
    case check::name_kind::parameter: return "parameter";
  }
  return "";
}

// How a name is bound, as a line of the language.
std::string definition_text(const analysis& a, const check::named& b) {
  switch (b.kind) {
    case check::name_kind::document: return "uses " + b.name;
    case check::name_kind::let: return "let " + b.name + " = " + source_of(a, b.value);
    case check::name_kind::for_each: return "for each " + b.name + " in " + source_of(a, b.value);
    case check::name_kind::binder: return b.name + " in " + source_of(a, b.value);
    case check::name_kind::definition: return definition_source(a, b);
    case check::name_kind::parameter: return "parameter " + b.name + " of\n" + definition_source(a, b);
  }
  return b.name;
}

std::string binding_markdown(const analysis& a, const check::named& b, const std::optional<schema_view>& s) {
  std::string out = "```joinup\n" + definition_text(a, b) + "\n```";
  if (b.kind == check::name_kind::definition && b.definition < a.rules.definitions.entries.size()) {
    const auto& e = a.rules.definitions.entries[b.definition];
    out += "\n\npackage " + e.package + ", " + e.place;
  }
  if (s && b.kind == check::name_kind::document) {
    const auto note = schema_note(*s, s->property(s->root(), b.name));
    if (!note.empty()) out += "\n\n" + note;
  }
  return out;
}

// Words that may start a clause of a rule (.jup), and the keys of a rule in a YAML rule file.
const std::vector<std::pair<std::string_view, std::string_view>> clause_words = {
    {"severity", "how serious a violation is: error, warning or info"},
    {"tags", "a list of tags: [money, teams]"},
    {"source", "where the rule comes from (plain text)"},
    {"rationale", "why the rule matters (a message with {…} holes)"},
    {"remedy", "what to do about a violation (a message with {…} holes)"},
    {"when", "the rule applies only where the condition is true"},
    {"let", "names a value: let NAME = EXPR"},
    {"for each", "each element is a subject: for each NAME in EXPR [where COND]"},
    {"require", "the condition every subject must meet"},
    {"message", "the violation's message, with {…} holes"},
    {"undetermined", "the finding's text when the data cannot decide the rule (a message with {…} holes)"},
};
const std::vector<std::string_view> yaml_rule_keys = {"id",        "title",   "severity", "tags", "source",
                                                      "rationale", "remedy",  "when",     "let",  "for_each",
                                                      "where",     "require", "message"};
const std::vector<std::string_view> expression_words = {"and",   "or",   "not",   "in",      "where",   "all",
                                                        "any",   "none", "first", "between", "matches", "true",
                                                        "false", "null", "if",    "then",    "else"};
// Words that may start a line outside a rule (.jup).
const std::vector<std::pair<std::string_view, std::string_view>> file_words = {
    {"package", "the package of the file's rules: package NAME"},
    {"uses", "a name read from the document's top level: uses NAME"},
    {"schema", "the JSON Schema of the data the package reads: schema \"PATH\""},
    {"import", "another package's definitions, as PACKAGE.NAME: import PACKAGE"},
    {"let", "a named value of the package: let NAME = EXPR"},
    {"def", "a function of the package: def NAME(P1, P2) = EXPR"},
    {"rule", "a rule: rule ID \"title\" { … }"},
};

}  // namespace

// ---- the server ------------------------------------------------------------------------------

struct server::reply {
  json_writer result;
  bool has_result = false;
  std::vector<std::string> notifications;

  json_writer& begin() {
    has_result = true;
    return result;
  }
  void null_result() { begin().null(); }
};

server::server(server_options options) : options_(std::move(options)) {}
server::~server() = default;

namespace {

std::string error_body(std::string_view id_json, int c, std::string_view message) {
  json_writer w;
  w.begin_object();
  w.key("jsonrpc");
  w.string("2.0");
  w.key("id");
  w.raw(id_json);
  w.key("error");
  w.begin_object();
  w.key("code");
  w.raw(write_int(c));
  w.key("message");
  w.string(message);
  w.end_object();
  w.end_object();
  return w.take();
}

std::string notification(std::string_view method, const std::function<void(json_writer&)>& params) {
  json_writer w;
  w.begin_object();
  w.key("jsonrpc");
  w.string("2.0");
  w.key("method");
  w.string(method);
  w.key("params");
  params(w);
  w.end_object();
  return w.take();
}

std::string log_message(int type, std::string_view text) {
  return notification("window/logMessage", [&](json_writer& w) {
    w.begin_object();
    w.key("type");
    w.number(static_cast<std::uint64_t>(type));
    w.key("message");
    w.string(text);
    w.end_object();
  });
}

}  // namespace

std::string server::framing_error(std::string_view problem) const {
  return error_body("null", code::parse_error, problem);
}

std::vector<std::string> server::handle(std::string_view body) {
  std::vector<std::string> out;
  document message;
  try {
    load_options lo;
    lo.max_bytes = options_.max_message_bytes;
    lo.max_string_bytes = options_.max_message_bytes;
    message = load_document(body, "message.json", data_format::json, lo);
  } catch (const error& e) {
    const auto& d = e.diagnostics();
    std::string why = d.empty() ? std::string("the message is not JSON") : d.front().message;
    if (!d.empty() && d.front().line)
      why += " (line " + std::to_string(d.front().line) + ", column " + std::to_string(d.front().column) + ")";
    out.push_back(error_body("null", code::parse_error, "the message is not valid JSON: " + why));
    return out;
  }
  const json msg(&message, message.root(), "");
  if (!msg.is(value_kind::map)) {
    out.push_back(error_body("null", code::invalid_request, "a message must be a JSON object"));
    return out;
  }
  // The id, passed back as it came: a whole number or a string.
  const json id = msg["id"];
  std::string id_json;
  if (id.is(value_kind::integer)) {
    id_json = write_int(id.int_or(0));
  } else if (id.is(value_kind::string)) {
    report::append_json_string(id_json, id.string());
  } else if (id.present() && !id.is_null()) {
    out.push_back(error_body("null", code::invalid_request, "a request's id must be a number or a string"));
    return out;
  }
  const json method = msg["method"];
  if (!method.is(value_kind::string)) {
    if (msg["result"].present() || msg["error"].present()) return out;  // a client's answer: nothing asked
    out.push_back(error_body(id_json.empty() ? "null" : id_json, code::invalid_request, "a message needs a 'method'"));
    return out;
  }
  const std::string name(method.string());
  const bool is_request = !id_json.empty();
  const auto fail = [&](int c, std::string_view text) {
    if (is_request) {
      out.push_back(error_body(id_json, c, text));
    } else {
      out.push_back(log_message(1, "joinup lsp: " + name + ": " + std::string(text)));
    }
  };
  if (!initialized_ && name != "initialize" && name != "exit") {
    if (is_request)
      out.push_back(error_body(id_json, code::server_not_initialized, "the server is not initialized yet"));
    return out;
  }
  if (shutdown_ && name != "exit") {
    if (is_request) out.push_back(error_body(id_json, code::invalid_request, "the server has been shut down"));
    return out;
  }
  reply r;
  try {
    dispatch(name, msg["params"], is_request, r);
  } catch (const bad_params& e) {
    fail(code::invalid_params, e.what());
    return out;
  } catch (const request_failed& e) {
    fail(code::request_failed, e.what());
    return out;
  } catch (const error& e) {
    fail(code::request_failed, e.diagnostics().empty() ? e.what() : render(e.diagnostics()));
    return out;
  } catch (const std::exception& e) {
    fail(code::internal_error, std::string("internal error: ") + e.what());
    return out;
  } catch (...) {
    fail(code::internal_error, "internal error");
    return out;
  }
  out.insert(out.end(), r.notifications.begin(), r.notifications.end());
  if (is_request) {
    if (r.has_result || name == "shutdown" || name == "initialize") {
      if (!r.has_result) r.null_result();
      json_writer w;
      w.begin_object();
      w.key("jsonrpc");
      w.string("2.0");
      w.key("id");
      w.raw(id_json);
      w.key("result");
      w.raw(r.result.take());
      w.end_object();
      out.insert(out.begin(), w.take());
    } else {
      out.push_back(error_body(id_json, code::method_not_found, "unknown method '" + name + "'"));
    }
  }
  return out;
}

void server::dispatch(std::string_view method, const json& params, bool is_request, reply& out) {
  if (method == "initialize") return initialize(params, out);
  if (method == "initialized") return;
  if (method == "shutdown") {
    shutdown_ = true;
    return out.null_result();
  }
  if (method == "exit") {
    exit_ = true;
    return;
  }
  if (method == "textDocument/didOpen") {
    const auto td = params["textDocument"];
    auto doc = std::make_unique<open_document>();
    doc->uri = std::string(td["uri"].string());
    doc->path = uri_to_path(doc->uri);
    if (doc->path.empty()) doc->path = doc->uri;
    doc->version = td["version"].int_or(0);
    doc->set_text(std::string(td["text"].string()));
    auto& d = *(documents_[doc->uri] = std::move(doc));
    analyse(d);
    return publish(d, out);
  }
  if (method == "textDocument/didChange") {
    auto& d = document_of(params);
    d.version = params["textDocument"]["version"].int_or(d.version);
    const auto changes = params["contentChanges"];
    if (!changes.is(value_kind::list)) throw bad_params("'contentChanges' must be a list");
    std::string text = d.text;
    for (std::uint32_t i = 0; i < changes.size(); ++i) {
      const auto ch = changes.at(i);
      const auto new_text = ch["text"].string();
      if (!ch["range"].present()) {
        text = std::string(new_text);
        continue;
      }
      const text_map m(text);
      const auto pos = [&](const json& p) { return position{p["line"].unsigned_int(), p["character"].unsigned_int()}; };
      const auto a = m.offset(pos(ch["range"]["start"]), encoding_);
      const auto b = std::max(a, m.offset(pos(ch["range"]["end"]), encoding_));
      text = text.substr(0, a) + std::string(new_text) + text.substr(b);
    }
    d.set_text(std::move(text));
    analyse(d);
    return publish(d, out);
  }
  if (method == "textDocument/didClose") {
    const std::string uri(params["textDocument"]["uri"].string());
    documents_.erase(uri);
    out.notifications.push_back(notification("textDocument/publishDiagnostics", [&](json_writer& w) {
      w.begin_object();
      w.key("uri");
      w.string(uri);
      w.key("diagnostics");
      w.begin_array();
      w.end_array();
      w.end_object();
    }));
    return;
  }
  if (method == "textDocument/didSave") return;
  if (method == "workspace/didChangeConfiguration") return configure(params["settings"], out);
  if (method == "textDocument/hover") return hover(params, out);
  if (method == "textDocument/completion") return completion(params, out);
  if (method == "textDocument/definition") return definition(params, out);
  if (method == "textDocument/documentSymbol") return symbols(params, out);
  if (method == "textDocument/formatting") return formatting(params, out);
  if (method == "textDocument/rename") return rename(params, out);
  if (method == "textDocument/codeAction") return code_action(params, out);
  (void)is_request;  // an unknown request is answered by handle(); an unknown notification is ignored
}

void server::initialize(const json& params, reply& out) {
  if (initialized_) throw request_failed("the server is already initialized");
  // utf-8 when the client offers it; otherwise the protocol's default, utf-16.
  const auto offered = params["capabilities"]["general"]["positionEncodings"];
  for (std::uint32_t i = 0; i < offered.size(); ++i)
    if (offered.at(i).string_or("") == "utf-8") encoding_ = encoding::utf8;
  root_path_ = uri_to_path(params["rootUri"].string_or(""));
  if (root_path_.empty()) root_path_ = std::string(params["rootPath"].string_or(""));
  const auto options = params["initializationOptions"];
  initialized_ = true;
  if (options.present()) configure(options, out);

  auto& w = out.begin();
  w.begin_object();
  w.key("capabilities");
  w.begin_object();
  w.key("positionEncoding");
  w.string(encoding_ == encoding::utf8 ? "utf-8" : "utf-16");
  w.key("textDocumentSync");
  w.begin_object();
  w.key("openClose");
  w.boolean(true);
  w.key("change");
  w.number(1);  // full
  w.end_object();
  w.key("hoverProvider");
  w.boolean(true);
  w.key("completionProvider");
  w.begin_object();
  w.key("triggerCharacters");
  w.begin_array();
  w.string(".");
  w.end_array();
  w.end_object();
  w.key("definitionProvider");
  w.boolean(true);
  w.key("documentSymbolProvider");
  w.boolean(true);
  w.key("documentFormattingProvider");
  w.boolean(true);
  w.key("renameProvider");
  w.boolean(true);
  w.key("codeActionProvider");
  w.begin_object();
  w.key("codeActionKinds");
  w.begin_array();
  w.string("quickfix");
  w.end_array();
  w.end_object();
  w.end_object();
  w.key("serverInfo");
  w.begin_object();
  w.key("name");
  w.string("joinup");
  w.key("version");
  w.string(version_string);
  w.end_object();
  w.end_object();
}

void server::configure(const json& settings, reply& out) {
  // { "joinup": { "schema": PATH } }, { "joinup.schema": PATH } or { "schema": PATH }.
  json value = settings["joinup"]["schema"];
  if (!value.present()) value = settings["joinup.schema"];
  if (!value.present()) value = settings["schema"];
  if (!value.present()) return;
  schema_setting_ = std::string(value.string_or(""));
  load_schema(out);
  for (auto& [uri, doc] : documents_) {
    analyse(*doc);
    publish(*doc, out);
  }
}

void server::load_schema(reply& out) {
  schema_.reset();
  if (schema_setting_.empty()) return;
  fs::path p = schema_setting_;
  if (p.is_relative() && !root_path_.empty()) p = fs::path(root_path_) / p;
  try {
    const auto text = diag::read_file(p.string(), {"schema file", 64ull * 1024 * 1024});
    schema_ = load_document(text, p.string());
  } catch (const error& e) {
    out.notifications.push_back(notification("window/showMessage", [&](json_writer& w) {
      w.begin_object();
      w.key("type");
      w.number(1);
      w.key("message");
      w.string("joinup: the schema cannot be read: " + render(e.diagnostics()));
      w.end_object();
    }));
  }
}

const document* server::schema_for(const open_document& doc) {
  if (schema_) return &*schema_;  // an explicit setting overrides the declared schema
  if (auto declared = declared_schema(doc)) {
    // Relative to the rule file; loaded once per path (a schema that cannot be read: none).
    fs::path p = *declared;
    if (p.is_relative()) p = fs::path(doc.path).parent_path() / p;
    const auto key = p.lexically_normal().string();
    auto it = declared_schemas_.find(key);
    if (it == declared_schemas_.end()) {
      std::optional<document> loaded;
      try {
        loaded = load_document(diag::read_file(key, {"schema file", 64ull * 1024 * 1024}), key);
      } catch (const error&) {
      }
      it = declared_schemas_.emplace(key, std::move(loaded)).first;
    }
    return it->second ? &*it->second : nullptr;
  }
  return nullptr;
}

std::vector<rule_source> server::package_sources(const open_document& doc) const {
  // The rule files (.jup and YAML) of the document's package and of the packages it imports: the
  // open documents and the files of its folder (at most 500 entries looked at, each within the
  // rule size limit).
  std::vector<rule_source> out;
  if (doc.kind != file_kind::jup && doc.kind != file_kind::yaml_rules) return out;
  const auto self = scan_package(doc.path, doc.text);
  const auto wanted = [&](const std::string& path, std::string_view text) {
    const auto p = scan_package(path, text).package;
    return p == self.package || std::find(self.imports.begin(), self.imports.end(), p) != self.imports.end();
  };
  std::set<std::string> seen{doc.path};
  for (const auto& [uri, d] : documents_) {
    if ((d->kind != file_kind::jup && d->kind != file_kind::yaml_rules) || seen.contains(d->path)) continue;
    seen.insert(d->path);
    if (wanted(d->path, d->text)) out.push_back({d->path, d->text});
  }
  std::error_code ec;
  const auto folder = fs::path(doc.path).parent_path();
  if (folder.empty()) return out;
  fs::directory_iterator it(folder, ec), end;
  for (int looked = 0; !ec && it != end && looked < 500; it.increment(ec), ++looked) {
    const auto path = it->path().lexically_normal().string();
    const bool yaml = (path.ends_with(".yaml") || path.ends_with(".yml")) && !path.ends_with(".test.yaml") &&
                      !path.ends_with(".test.yml");
    if ((!path.ends_with(".jup") && !yaml) || seen.contains(path) || !it->is_regular_file(ec)) continue;
    seen.insert(path);
    try {
      auto text = diag::read_file(path, {"rule file", options_.compile.max_file_bytes});
      // A YAML file of the folder is compiled with the document only when it is a rule file.
      if (yaml && kind_of(path, text) != file_kind::yaml_rules) continue;
      if (wanted(path, text)) out.push_back({path, std::move(text)});
    } catch (const error&) {
      // unreadable: not compiled with the document
    }
  }
  std::sort(out.begin(), out.end(), [](const rule_source& a, const rule_source& b) { return a.origin < b.origin; });
  return out;
}

void server::analyse(open_document& doc) {
  if (!doc.is_rules()) {
    doc.result.reset();
    return;
  }
  // Without a setting, lint checks against the schema the package declares (as `joinup lint`).
  doc.result = std::make_unique<analysis>(
      analyse_text(doc.path, doc.text, options_.compile, schema_ ? &*schema_ : nullptr, true, package_sources(doc)));
}

open_document& server::document_of(const json& params) {
  const std::string uri(params["textDocument"]["uri"].string());
  const auto it = documents_.find(uri);
  if (it == documents_.end()) throw request_failed("the document '" + uri + "' is not open");
  return *it->second;
}

void server::publish(open_document& doc, reply& out) {
  out.notifications.push_back(notification("textDocument/publishDiagnostics", [&](json_writer& w) {
    w.begin_object();
    w.key("uri");
    w.string(doc.uri);
    w.key("version");
    w.raw(write_int(doc.version));
    w.key("diagnostics");
    w.begin_array();
    if (doc.result)
      for (const auto& d : doc.result->diags) {
        w.begin_object();
        w.key("range");
        write_range(w, range_of(doc, encoding_, d));
        w.key("severity");
        w.number(d.level == diagnostic_level::error ? 1 : d.level == diagnostic_level::warning ? 2 : 3);
        w.key("code");
        w.string(d.code);
        w.key("source");
        w.string("joinup");
        w.key("message");
        w.string(d.help.empty() ? d.message : d.message + "\nhelp: " + d.help);
        if (auto fix = suggested(d.help)) {
          // A misspelt string (a value the schema does not list) is replaced by the string.
          std::uint32_t begin = d.line ? doc.map.offset_of_column(d.line, d.column) : 0;
          if (d.line == 1) begin = doc.map.advance_in_line(begin, doc.bom ? 1 : 0);
          if (begin < doc.text.size() && doc.text[begin] == '"') fix = "\"" + *fix + "\"";
          w.key("data");
          w.begin_object();
          w.key("fix");
          w.string(*fix);
          w.end_object();
        }
        w.end_object();
      }
    w.end_array();
    w.end_object();
  }));
}

// ---- hover -----------------------------------------------------------------------------------

void server::hover(const json& params, reply& out) {
  const position p{params["position"]["line"].unsigned_int(), params["position"]["character"].unsigned_int()};
  auto& doc = document_of(params);
  const std::uint32_t text_offset = doc.map.offset(p, encoding_);
  const std::uint32_t at = text_offset >= doc.bom ? text_offset - doc.bom : 0;
  std::string markdown;
  ast::span span{at, at};
  const analysis* a = doc.result.get();
  const check::checked_file* c = a ? a->checked() : nullptr;
  if (c) {
    const ast::file& f = *c->syntax;
    const auto ri = check::rule_at(f, at);
    const document* schema_doc = schema_for(doc);
    const auto s = schema_doc ? std::optional<schema_view>(schema_view(*schema_doc)) : std::nullopt;
    if (ri < f.rules.size()) {
      const auto& r = f.rules[ri];
      const auto id = innermost(f, ri, at);
      const auto binding_note = [&](const check::named& b) { markdown = binding_markdown(*a, b, s); };
      if (id != no_index) {
        const auto& e = f.at(id);
        const check::builtin_info* noted = id < c->exprs.size() ? c->exprs[id].fn : nullptr;
        const auto defined = check::definition_read(*c, id, *a->definitions());
        const bool on_name = e.kind == ast::expr_kind::name || (e.name_span.begin <= at && at <= e.name_span.end);
        if (defined && on_name) {
          binding_note(*defined);
          span = e.kind == ast::expr_kind::name ? e.where : e.name_span;
        } else if (e.kind == ast::expr_kind::call && e.name_span.begin <= at && at <= e.name_span.end) {
          const auto* fn = noted ? noted : check::find_builtin(e.text);
          if (fn) {
            markdown = "```joinup\n" + std::string(fn->signature) + "\n```\n\n" + std::string(fn->doc);
            span = e.name_span;
          }
        } else if (e.kind == ast::expr_kind::name) {
          if (const auto b = check::binding_of(*c, ri, id)) {
            binding_note(*b);
            if (s && b->kind != check::name_kind::document) {
              const auto n = schema_note(*s, schema_of(*s, *c, ri, id));
              if (!n.empty()) markdown += "\n\n" + n;
            }
            span = e.where;
          }
        } else if (e.kind == ast::expr_kind::field && s) {
          const auto n = schema_note(*s, schema_of(*s, *c, ri, id));
          if (!n.empty()) {
            markdown = "`" + source_of(*a, id) + "`: " + n;
            span = e.name_span;
          }
        }
      }
      if (markdown.empty()) {
        if (const auto b = check::binding_at(*c, ri, at)) {
          binding_note(*b);
          span = b->where;
        }
      }
      const auto on_header = [&] {
        if (r.id_span.begin <= at && at <= r.id_span.end) return true;
        return doc.map.at(r.id_span.begin, encoding_).line == doc.map.at(at, encoding_).line;
      };
      if (markdown.empty() && on_header()) {
        const std::string full = ri < c->rules.size() ? c->rules[ri].full_id : std::string();
        markdown = "**" + (full.empty() ? r.id : full) + "**";
        if (r.title) markdown += " — " + *r.title;
        markdown += "\n\nseverity: " + r.severity.value_or("error");
        if (!r.tags.empty()) {
          markdown += " · tags:";
          for (const auto& [tag, where] : r.tags) markdown += " " + tag;
        }
        if (r.source) markdown += "\n\nsource: " + *r.source;
        if (r.rationale) markdown += "\n\n" + template_text(*a, *r.rationale);
        span = r.id_span;
      }
    } else {
      // Outside the rules: a definition's name or parameter, or a name inside its value.
      if (const auto di = check::definition_at(f, at); di < f.definitions.size()) {
        if (const auto id = innermost_in_definition(f, di, at); id != no_index) {
          const auto& e = f.at(id);
          const bool on_name = e.kind == ast::expr_kind::name || (e.name_span.begin <= at && at <= e.name_span.end);
          if (const auto b = check::binding_in_definition(*c, di, id, a->definitions()); b && on_name) {
            markdown = binding_markdown(*a, *b, s);
            span = e.kind == ast::expr_kind::name ? e.where : e.name_span;
          } else if (e.kind == ast::expr_kind::call && on_name) {
            if (const auto* fn =
                    id < c->exprs.size() && c->exprs[id].fn ? c->exprs[id].fn : check::find_builtin(e.text)) {
              markdown = "```joinup\n" + std::string(fn->signature) + "\n```\n\n" + std::string(fn->doc);
              span = e.name_span;
            }
          }
        }
      }
      if (markdown.empty())
        for (const auto& b : check::names_in_scope(*c, ri, at, a->definitions()))
          if (in_document(*a, b) && b.where.begin <= at && at <= b.where.end) {
            markdown = binding_markdown(*a, b, s);
            span = b.where;
          }
    }
  }
  if (markdown.empty()) return out.null_result();
  auto& w = out.begin();
  w.begin_object();
  w.key("contents");
  w.begin_object();
  w.key("kind");
  w.string("markdown");
  w.key("value");
  w.string(markdown);
  w.end_object();
  w.key("range");
  write_range(w, range_of(doc, encoding_, span));
  w.end_object();
}

// ---- completion ------------------------------------------------------------------------------

namespace {

struct item {
  std::string label;
  int kind;  // CompletionItemKind
  std::string detail;
  std::string documentation;
  std::string sort;
  std::string insert;  // "" for the label
};

void write_items(json_writer& w, const std::vector<item>& items) {
  w.begin_object();
  w.key("isIncomplete");
  w.boolean(false);
  w.key("items");
  w.begin_array();
  std::set<std::string> seen;
  for (const auto& i : items) {
    if (!seen.insert(i.label).second) continue;
    w.begin_object();
    w.key("label");
    w.string(i.label);
    w.key("kind");
    w.number(static_cast<std::uint64_t>(i.kind));
    if (!i.detail.empty()) {
      w.key("detail");
      w.string(i.detail);
    }
    if (!i.documentation.empty()) {
      w.key("documentation");
      w.begin_object();
      w.key("kind");
      w.string("markdown");
      w.key("value");
      w.string(i.documentation);
      w.end_object();
    }
    if (!i.sort.empty()) {
      w.key("sortText");
      w.string(i.sort);
    }
    if (!i.insert.empty()) {
      w.key("insertText");
      w.string(i.insert);
    }
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

constexpr int kind_function = 3, kind_field = 5, kind_variable = 6, kind_keyword = 14, kind_enum_member = 20;

void add_names(std::vector<item>& items, const analysis& a, const std::vector<check::named>& names) {
  for (const auto& b : names) {
    const auto& defs = a.rules.definitions.entries;
    const ast::definition* d =
        b.kind == check::name_kind::definition && b.definition < defs.size() ? defs[b.definition].syntax : nullptr;
    if (d && d->what == ast::definition::kind::def) {
      // A def: its parameters in the detail.
      std::string head = b.name + "(";
      for (std::size_t i = 0; i < d->params.size(); ++i) head += (i ? ", " : "") + d->params[i].first;
      head += ")";
      items.push_back(
          {b.name, kind_function, "def " + head, "```joinup\n" + definition_text(a, b) + "\n```", "1" + b.name, {}});
      continue;
    }
    items.push_back(
        {b.name, kind_variable, kind_word(b.kind), "```joinup\n" + definition_text(a, b) + "\n```", "1" + b.name, {}});
  }
}

void add_functions(std::vector<item>& items) {
  for (const auto& fn : check::builtins())
    items.push_back({std::string(fn.name),
                     kind_function,
                     std::string(fn.signature),
                     std::string(fn.doc),
                     "3" + std::string(fn.name),
                     {}});
}

void add_words(std::vector<item>& items) {
  for (auto word : expression_words)
    items.push_back({std::string(word), kind_keyword, {}, {}, "4" + std::string(word), {}});
}

// Whether the lines before a line (of a .jup file that does not parse) leave a rule open: a line
// starting with `rule` and no line `}` after it.
bool inside_rule_text(std::string_view before) {
  bool open = false;
  each_line(before, [&](std::string_view line) {
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (line.starts_with("rule ")) open = true;
    if (line == "}" || (line.ends_with("}") && line.starts_with("rule "))) open = false;
    return true;
  });
  return open;
}

}  // namespace

void server::completion(const json& params, reply& out) {
  const position p{params["position"]["line"].unsigned_int(), params["position"]["character"].unsigned_int()};
  auto& doc = document_of(params);
  const std::uint32_t text_offset = doc.map.offset(p, encoding_);
  std::vector<item> items;
  if (!doc.is_rules()) {
    auto& w = out.begin();
    write_items(w, items);
    return;
  }
  // The word being typed and what stands before it on its line.
  std::uint32_t word_start = text_offset;
  while (word_start > 0 && is_word_char(doc.text[word_start - 1])) --word_start;
  const std::uint32_t line_start = doc.map.offset({p.line, 0}, encoding_);
  const std::string_view before = std::string_view(doc.text).substr(line_start, word_start - line_start);
  const bool line_head = before.find_first_not_of(" \t") == std::string_view::npos;
  const auto trimmed_before = [&] {
    auto v = before;
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    return v;
  }();
  const std::uint32_t at = text_offset >= doc.bom ? text_offset - doc.bom : 0;
  const document* schema_doc = schema_for(doc);
  const auto s = schema_doc ? std::optional<schema_view>(schema_view(*schema_doc)) : std::nullopt;

  // After `severity`: the severities.
  if (trimmed_before.ends_with("severity") || trimmed_before.ends_with("severity:")) {
    for (auto sev : {"error", "warning", "info"}) items.push_back({sev, kind_enum_member, "severity", {}, {}, {}});
    return write_items(out.begin(), items);
  }

  // The text parsed with a placeholder name at the cursor: the expression around it tells what
  // may stand there.
  std::string patched = doc.text.substr(0, text_offset) + std::string(placeholder) + doc.text.substr(text_offset);
  const analysis probe = analyse_text(doc.path, patched, options_.compile, nullptr, false, package_sources(doc));
  const check::checked_file* c = probe.checked();
  bool in_expression = false;
  if (c) {
    const ast::file& f = *c->syntax;
    const auto ri = check::rule_at(f, at);
    std::vector<ast::expr_id> parent(f.exprs.size(), no_index);
    for (ast::expr_id i = 0; i < f.exprs.size(); ++i)
      for (auto arg : f.exprs[i].args)
        if (arg < parent.size()) parent[arg] = i;
    for (ast::expr_id i = 0; i < f.exprs.size() && !in_expression; ++i) {
      const auto& e = f.exprs[i];
      const bool here = e.text.ends_with(placeholder) &&
                        (e.kind == ast::expr_kind::field ? e.name_span.begin <= at && at <= e.name_span.end
                                                         : e.where.begin <= at && at <= e.where.end);
      if (!here) continue;
      if (e.kind == ast::expr_kind::field) {
        in_expression = true;
        // After `PACKAGE.` of an imported package: its definitions.
        const auto object = source_of(probe, e.args[0]);
        if (std::any_of(f.imports.begin(), f.imports.end(), [&](const auto& i) { return i.first == object; }))
          add_names(items, probe, check::definitions_of(probe.rules.definitions, object));
        if (s && ri < f.rules.size())
          for (const auto& [name, sub] : s->properties(schema_of(*s, *c, ri, e.args[0])))
            items.push_back({name, kind_field, s->type(sub), s->description(sub), "0" + name, {}});
      } else if (e.kind == ast::expr_kind::name) {
        in_expression = true;
        // Enumerated values after == / != / in / not in, and in the list after in.
        ast::expr_id up = parent[i], self = i;
        if (up != no_index && f.at(up).kind == ast::expr_kind::list) {
          self = up;
          up = parent[up];
        }
        if (s && ri < f.rules.size() && up != no_index && f.at(up).kind == ast::expr_kind::binary) {
          const auto& b = f.at(up);
          const bool compares =
              b.op == ast::op::eq || b.op == ast::op::ne || b.op == ast::op::in || b.op == ast::op::not_in;
          if (compares && b.args.size() == 2) {
            const auto other = b.args[0] == self ? b.args[1] : b.args[0];
            for (const auto& v : s->enum_values(schema_of(*s, *c, ri, other)))
              items.push_back({"\"" + v + "\"", kind_enum_member, "value", {}, "0" + v, {}});
          }
        }
        add_names(items, probe, check::names_in_scope(*c, ri, at, probe.definitions()));
        add_functions(items);
        add_words(items);
      } else if (e.kind == ast::expr_kind::call) {
        in_expression = true;
        add_functions(items);
      }
    }
  }
  if (doc.kind == file_kind::jup && line_head) {
    // A clause may start here inside a rule; outside one, the file's header words.
    const auto* cur = doc.result ? doc.result->checked() : nullptr;
    const bool in_rule = (c && check::rule_at(*c->syntax, at) < c->syntax->rules.size()) ||
                         (cur && check::rule_at(*cur->syntax, at) < cur->syntax->rules.size()) ||
                         inside_rule_text(std::string_view(doc.text).substr(0, line_start));
    if (in_rule) {
      for (const auto& [word, what] : clause_words)
        items.push_back({std::string(word), kind_keyword, std::string(what), {}, "2" + std::string(word), {}});
    } else {
      for (const auto& [word, what] : file_words)
        items.push_back({std::string(word), kind_keyword, std::string(what), {}, {}, {}});
    }
  } else if (doc.kind == file_kind::yaml_rules && !in_expression) {
    const auto head = before.find_first_not_of(" \t-");
    if (head == std::string_view::npos) {
      if (before.empty()) {
        for (auto word : {"package", "uses", "rules"})
          items.push_back({word, kind_keyword, {}, {}, {}, std::string(word) + ": "});
      } else {
        for (auto word : yaml_rule_keys)
          items.push_back({std::string(word), kind_keyword, {}, {}, {}, std::string(word) + ": "});
      }
    }
  }
  if (!in_expression && !(doc.kind == file_kind::jup && line_head && before.empty()) && items.empty()) {
    // The text around the cursor does not parse yet: the names the rule had, the functions and words.
    if (const auto* cur = doc.result ? doc.result->checked() : nullptr) {
      add_names(items, *doc.result,
                check::names_in_scope(*cur, check::rule_at(*cur->syntax, at), at, doc.result->definitions()));
      add_functions(items);
      add_words(items);
    }
  }
  write_items(out.begin(), items);
}

// ---- definition ------------------------------------------------------------------------------

namespace {

// The rule id (letters, digits, '_', '-', '.') at a byte of a text.
std::string rule_id_at(std::string_view text, std::uint32_t at) {
  const auto ok = [](char ch) { return is_word_char(ch) || ch == '-' || ch == '.'; };
  std::uint32_t b = at, e = at;
  while (b > 0 && ok(text[b - 1])) --b;
  while (e < text.size() && ok(text[e])) ++e;
  return std::string(text.substr(b, e - b));
}

// The rule files a rule test file names (`rules: [a.jup, b.jup]` or a list of `- path` lines).
std::vector<std::string> tested_rule_files(const open_document& doc) {
  std::vector<std::string> out;
  try {
    const document d = load_document(doc.text, doc.path, data_format::yaml);
    if (d.kind(d.root()) != value_kind::map) return out;
    const auto rules = d.find(d.root(), "rules");
    if (rules == document::npos) return out;
    const auto dir = fs::path(doc.path).parent_path();
    const auto add = [&](document::node_id n) {
      if (d.kind(n) == value_kind::string)
        out.push_back((dir / std::string(d.as_string(n))).lexically_normal().string());
    };
    if (d.kind(rules) == value_kind::list) {
      for (std::uint32_t i = 0; i < d.size(rules); ++i) add(d.at(rules, i));
    } else {
      add(rules);
    }
  } catch (const error&) {
  }
  return out;
}

// The rule files (.jup, .yaml, .yml but rule tests) under a folder, in sorted order, looking at
// no more than 5,000 entries and skipping hidden folders and node_modules: a workspace folder
// may be large (or the whole file system), and a request must stay bounded.
std::vector<std::string> rule_files_under(const fs::path& root) {
  std::vector<std::string> out;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
  for (int seen = 0; !ec && it != end && seen < 5000; it.increment(ec), ++seen) {
    const auto name = it->path().filename().string();
    if (it->is_directory(ec)) {
      if (name.starts_with(".") || name == "node_modules") it.disable_recursion_pending();
      continue;
    }
    const bool rules = name.ends_with(".jup") || ((name.ends_with(".yaml") || name.ends_with(".yml")) &&
                                                  !name.ends_with(".test.yaml") && !name.ends_with(".test.yml"));
    if (rules && it->is_regular_file(ec)) out.push_back(it->path().lexically_normal().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

void server::definition(const json& params, reply& out) {
  const position p{params["position"]["line"].unsigned_int(), params["position"]["character"].unsigned_int()};
  auto& doc = document_of(params);
  const std::uint32_t text_offset = doc.map.offset(p, encoding_);
  const std::uint32_t at = text_offset >= doc.bom ? text_offset - doc.bom : 0;
  if (doc.is_rules() && doc.result && doc.result->checked()) {
    const auto& a = *doc.result;
    const auto& c = *a.checked();
    const auto& f = *c.syntax;
    const auto ri = check::rule_at(f, at);
    std::optional<check::named> b;
    // A name, or the name of a call or field access, that reads a file-level definition.
    const auto defined = [&](ast::expr_id id) -> std::optional<check::named> {
      if (id == no_index) return std::nullopt;
      const auto& e = f.at(id);
      if (e.kind != ast::expr_kind::name && !(e.name_span.begin <= at && at <= e.name_span.end)) return std::nullopt;
      return check::definition_read(c, id, *a.definitions());
    };
    if (ri < f.rules.size()) {
      const auto id = innermost(f, ri, at);
      b = defined(id);
      if (!b && id != no_index && f.at(id).kind == ast::expr_kind::name) b = check::binding_of(c, ri, id);
      if (!b) b = check::binding_at(c, ri, at);
    } else if (const auto di = check::definition_at(f, at); di < f.definitions.size()) {
      const auto id = innermost_in_definition(f, di, at);
      b = defined(id);
      if (!b && id != no_index && f.at(id).kind == ast::expr_kind::name)
        b = check::binding_in_definition(c, di, id, nullptr);
      if (!b)
        for (const auto& p : check::parameters_of(c, di))
          if (p.where.begin <= at && at <= p.where.end) b = p;
    }
    if (!b) return out.null_result();
    if (!in_document(a, *b)) {
      // In another file compiled with the document: there, as open in the editor or on disk.
      const auto& e = a.rules.definitions.entries[b->definition];
      const auto& src = *a.rules.files[e.file];
      open_document target;
      target.path = src.origin();
      target.uri = path_to_uri(fs::absolute(src.origin()).lexically_normal().string());
      for (const auto& [uri, d] : documents_)
        if (d->path == src.origin()) target.uri = uri;
      target.set_text(src.text());
      auto& w = out.begin();
      write_location(w, target.uri, range_of(target, encoding_, b->where));
      return;
    }
    auto& w = out.begin();
    write_location(w, doc.uri, range_of(doc, encoding_, b->where));
    return;
  }
  if (doc.kind != file_kind::tests && doc.kind != file_kind::waivers) return out.null_result();
  // A rule id in a test or waivers file: the rule, in an open rule file, a file the test names,
  // or the rule files under the workspace's folder.
  const std::string wanted = rule_id_at(doc.text, text_offset);
  if (wanted.empty()) return out.null_result();
  std::vector<rule_source> candidates;
  for (const auto& [uri, d] : documents_)
    if (d->is_rules()) candidates.push_back({d->path, d->text});
  std::vector<std::string> files = tested_rule_files(doc);
  if (doc.kind == file_kind::waivers || files.empty())
    files = rule_files_under(root_path_.empty() ? fs::path(doc.path).parent_path() : fs::path(root_path_));
  for (const auto& path : files) {
    if (std::any_of(candidates.begin(), candidates.end(), [&](const rule_source& r) { return r.origin == path; }))
      continue;
    try {
      candidates.push_back({path, diag::read_file(path, {"rule file", options_.compile.max_file_bytes})});
    } catch (const error&) {
      // unreadable: not a candidate
    }
  }
  for (const auto& src : candidates) {
    if (kind_of(src.origin, src.text) != file_kind::jup && kind_of(src.origin, src.text) != file_kind::yaml_rules)
      continue;
    const analysis a = analyse_text(src.origin, src.text, options_.compile, nullptr, false);
    const auto* c = a.checked();
    if (!c) continue;
    for (std::size_t ri = 0; ri < c->syntax->rules.size() && ri < c->rules.size(); ++ri) {
      const auto& full = c->rules[ri].full_id;
      if (full == wanted || c->syntax->rules[ri].id == wanted || full.ends_with("." + wanted)) {
        open_document target;
        target.path = src.origin;
        target.uri = path_to_uri(fs::absolute(src.origin).lexically_normal().string());
        for (const auto& [uri, d] : documents_)
          if (d->path == src.origin) target.uri = uri;
        target.set_text(src.text);
        auto& w = out.begin();
        write_location(w, target.uri, range_of(target, encoding_, c->syntax->rules[ri].id_span));
        return;
      }
    }
  }
  out.null_result();
}

// ---- symbols, formatting, rename, code actions ----------------------------------------------

void server::symbols(const json& params, reply& out) {
  auto& doc = document_of(params);
  auto& w = out.begin();
  w.begin_array();
  const auto* c = doc.result ? doc.result->checked() : nullptr;
  if (c) {
    for (const auto& r : c->syntax->rules) {
      w.begin_object();
      w.key("name");
      w.string(r.id.empty() ? std::string("(rule)") : r.id);
      if (r.title) {
        w.key("detail");
        w.string(*r.title);
      }
      w.key("kind");
      w.number(12);  // Function
      const ast::span whole{std::min(r.where.begin, r.id_span.begin), std::max(r.where.end, r.id_span.end)};
      w.key("range");
      write_range(w, range_of(doc, encoding_, whole));
      w.key("selectionRange");
      write_range(w, range_of(doc, encoding_, r.id_span));
      w.key("children");
      w.begin_array();
      for (const auto& st : r.steps) {
        const auto& name = st.what == ast::step::kind::let ? st.let.name : st.for_each.name;
        const auto span = st.what == ast::step::kind::let ? st.let.name_span : st.for_each.name_span;
        w.begin_object();
        w.key("name");
        w.string(name.empty() ? std::string("(name)") : name);
        w.key("detail");
        w.string(st.what == ast::step::kind::let ? "let" : "for each");
        w.key("kind");
        w.number(13);  // Variable
        w.key("range");
        write_range(w, range_of(doc, encoding_,
                                ast::span{std::min(st.where.begin, span.begin), std::max(st.where.end, span.end)}));
        w.key("selectionRange");
        write_range(w, range_of(doc, encoding_, span));
        w.end_object();
      }
      w.end_array();
      w.end_object();
    }
  }
  w.end_array();
}

void server::formatting(const json& params, reply& out) {
  auto& doc = document_of(params);
  std::string formatted;
  try {
    if (doc.kind == file_kind::jup) {
      formatted = format::format_dsl({doc.path, doc.text});
    } else if (doc.kind == file_kind::yaml_rules) {
      // A YAML rule file in the layout `joinup fmt --to yaml` gives its canonical .jup form.
      const std::string jup = fs::path(doc.path).replace_extension(".jup").string();
      formatted = format::to_yaml({jup, format::to_dsl({doc.path, doc.text})});
    } else {
      return out.null_result();
    }
  } catch (const error&) {
    return out.null_result();  // it does not parse: the diagnostics say why
  }
  auto& w = out.begin();
  w.begin_array();
  if (formatted != doc.text) {
    w.begin_object();
    w.key("range");
    write_range(w, {{0, 0}, doc.map.at(static_cast<std::uint32_t>(doc.text.size()), encoding_)});
    w.key("newText");
    w.string(formatted);
    w.end_object();
  }
  w.end_array();
}

void server::rename(const json& params, reply& out) {
  const position p{params["position"]["line"].unsigned_int(), params["position"]["character"].unsigned_int()};
  auto& doc = document_of(params);
  const std::string new_name(params["newName"].string());
  const std::uint32_t text_offset = doc.map.offset(p, encoding_);
  const std::uint32_t at = text_offset >= doc.bom ? text_offset - doc.bom : 0;
  const auto* c = doc.result ? doc.result->checked() : nullptr;
  std::optional<check::named> b;
  std::size_t ri = static_cast<std::size_t>(-1);
  std::size_t di = static_cast<std::size_t>(-1);
  if (c) {
    ri = check::rule_at(*c->syntax, at);
    di = check::definition_at(*c->syntax, at);
    if (ri < c->syntax->rules.size()) {
      const auto id = innermost(*c->syntax, ri, at);
      if (id != no_index && c->syntax->at(id).kind == ast::expr_kind::name) b = check::binding_of(*c, ri, id);
      if (!b) b = check::binding_at(*c, ri, at);
    } else if (di < c->syntax->definitions.size()) {
      // A def's parameter, within its def.
      const auto id = innermost_in_definition(*c->syntax, di, at);
      if (id != no_index && c->syntax->at(id).kind == ast::expr_kind::name)
        b = check::binding_in_definition(*c, di, id, nullptr);
      if (!b)
        for (const auto& p : check::parameters_of(*c, di))
          if (p.where.begin <= at && at <= p.where.end) b = p;
    }
  }
  if (!b || b->kind == check::name_kind::document || b->kind == check::name_kind::definition)
    throw request_failed(
        "only a let or a loop variable (inside its rule) or a def's parameter (inside its def) can be renamed");
  if (!is_name(new_name) || is_reserved(new_name))
    throw request_failed(
        "'" + new_name +
        "' cannot be a name: a name is letters, digits and '_', not starting with a digit, and not a reserved word");
  std::vector<ast::span> spans;
  if (b->kind == check::name_kind::parameter) {
    for (const auto& other :
         check::names_in_scope(*c, ri, c->syntax->definitions[di].where.end, doc.result->definitions()))
      if (other.name == new_name && !(other.kind == check::name_kind::parameter && other.slot == b->slot))
        throw request_failed("'" + new_name + "' is already a name this def can read");
    spans = check::parameter_reads(*c, di, *b);
  } else {
    for (const auto& other : check::names_in_scope(*c, ri, c->syntax->rules[ri].where.end))
      if (other.name == new_name && other.slot != b->slot)
        throw request_failed("'" + new_name + "' is already bound in this rule");
    spans = check::reads_of(*c, ri, *b);
  }
  spans.push_back(b->where);
  auto& w = out.begin();
  w.begin_object();
  w.key("changes");
  w.begin_object();
  w.key(doc.uri);
  w.begin_array();
  for (const auto& sp : spans) {
    w.begin_object();
    w.key("range");
    write_range(w, range_of(doc, encoding_, sp));
    w.key("newText");
    w.string(new_name);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  w.end_object();
}

void server::code_action(const json& params, reply& out) {
  auto& doc = document_of(params);
  const auto diags = params["context"]["diagnostics"];
  auto& w = out.begin();
  w.begin_array();
  for (std::uint32_t i = 0; i < diags.size(); ++i) {
    const auto d = diags.at(i);
    const auto fix = d["data"]["fix"];
    if (!fix.is(value_kind::string)) continue;
    const auto r = d["range"];
    const position start{r["start"]["line"].unsigned_int(), r["start"]["character"].unsigned_int()};
    const position end{r["end"]["line"].unsigned_int(), r["end"]["character"].unsigned_int()};
    w.begin_object();
    w.key("title");
    w.string("Change to '" + std::string(fix.string()) + "'");
    w.key("kind");
    w.string("quickfix");
    w.key("isPreferred");
    w.boolean(true);
    w.key("diagnostics");
    w.begin_array();
    w.begin_object();
    w.key("range");
    write_range(w, {start, end});
    w.key("message");
    w.string(d["message"].string_or(""));
    w.end_object();
    w.end_array();
    w.key("edit");
    w.begin_object();
    w.key("changes");
    w.begin_object();
    w.key(doc.uri);
    w.begin_array();
    w.begin_object();
    w.key("range");
    write_range(w, {start, end});
    w.key("newText");
    w.string(fix.string());
    w.end_object();
    w.end_array();
    w.end_object();
    w.end_object();
    w.end_object();
  }
  w.end_array();
}

// ---- the loop --------------------------------------------------------------------------------

std::string uri_to_path(std::string_view uri) {
  constexpr std::string_view scheme = "file://";
  if (!uri.starts_with(scheme)) return {};
  uri.remove_prefix(scheme.size());
  if (const auto slash = uri.find('/'); slash != 0 && slash != std::string_view::npos)
    uri.remove_prefix(slash);  // host
  std::string out;
  for (std::size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size() + 0 && std::isxdigit(static_cast<unsigned char>(uri[i + 1])) &&
        i + 2 < uri.size() && std::isxdigit(static_cast<unsigned char>(uri[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(uri.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += uri[i];
    }
  }
  return out;
}

int serve(std::istream& in, std::ostream& out, const server_options& options) {
  server s(options);
  frame_reader reader(in, options.max_message_bytes);
  std::string body, problem;
  const auto send = [&](const std::string& message) {
    out << frame(message);
    out.flush();
  };
  for (;;) {
    const auto status = reader.next(body, problem);
    if (status == read_status::end) break;
    if (status == read_status::bad_header) {
      send(s.framing_error(problem));
      continue;
    }
    for (const auto& m : s.handle(body)) send(m);
    if (s.exit_requested()) return s.exit_code();
  }
  return 1;  // the stream ended without `exit`
}

}  // namespace joinup::lsp
