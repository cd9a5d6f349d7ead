// `joinup eval`: an expression's value over a data file, with the sub-expression values the
// evaluator explains findings with; or how one rule of a rule set judged each subject. Both go
// through the library's public API: the expression is compiled as a one-require rule, so its
// errors, values and explanations are the language's own.
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "cli/args.hpp"
#include "cli/cli.hpp"
#include "cli/limits.hpp"
#include "diag/codes.hpp"
#include "diag/read.hpp"
#include "diag/source.hpp"
#include "diag/text.hpp"
#include "joinup/document.hpp"
#include "joinup/policy.hpp"

namespace joinup::cli {

namespace {

constexpr option_spec eval_options[] = {{"--rules", true}, {"--rule", true}, {"--as-of", true}, {"--format", true}};

// The origin of the expression in diagnostics.
constexpr const char* expression_origin = "<expression>";

const std::vector<std::string> reserved = {
    "package", "uses",     "rule", "let",    "for",       "each",   "in",           "where", "when", "require",
    "message", "severity", "tags", "source", "rationale", "remedy", "undetermined", "and",   "or",   "not",
    "any",     "all",      "none", "true",   "false",     "null",   "today",        "if",    "then", "else"};

bool is_name(const std::string& k) {
  if (k.empty() || !(std::isalpha(static_cast<unsigned char>(k[0])) || k[0] == '_')) return false;
  for (const char c : k)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  for (const auto& r : reserved)
    if (r == k) return false;
  return true;
}

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string json_explanation(const std::vector<explanation_entry>& entries, std::size_t from) {
  std::string out = "[";
  for (std::size_t i = from; i < entries.size(); ++i) {
    if (i > from) out += ", ";
    out += "{\"expression\": " + json_string(entries[i].expression) + ", \"value\": " + json_string(entries[i].value) +
           "}";
  }
  return out + "]";
}

document load_eval_data(const std::string& path, const load_options& options, io& io) {
  if (path == "-") {
    if (io.in_closed)
      throw joinup::error({diag::file_diagnostic(diag::code::file_not_found, path,
                                                 "standard input is closed, so there is no data to read from '-'")});
    if (io.in_is_tty) io.err << "joinup: reading data from standard input (a terminal); end it with Ctrl-D\n";
    const std::string text = diag::read_stream(
        io.in, path, {"standard input", options.max_bytes, "raise the limit (--max-data-bytes) to read it"});
    return load_document(text, path, data_format::automatic, options);
  }
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(st))
    throw joinup::error({diag::file_diagnostic(diag::code::file_not_found, path, "data file not found")});
  if (std::filesystem::is_directory(st))
    throw joinup::error({diag::file_diagnostic(diag::code::not_a_file, path, "is a directory, not a data file")});
  return load_document_file(path, data_format::automatic, options);
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  for (const char c : text) {
    if (c == '\n') {
      lines.push_back(line);
      line.clear();
    } else {
      line += c;
    }
  }
  lines.push_back(line);
  return lines;
}

// The rule set an expression is evaluated in: rule `value` binds it, inside a one-element list, to
// a `let` and requires that list to be empty, which always fails (or cannot be judged), so the
// evaluator explains it with the list's value, also when the expression is a constant; rule
// `explained` requires the same of the expression written out, so that the explanation lists the
// value of each of its sub-expressions.
struct expression_rules {
  std::string text;
  std::vector<std::string> lines;  // the expression's
  std::uint32_t first_copy = 0;    // the line where each copy of the expression starts
  std::uint32_t second_copy = 0;
  std::string uses;  // the data's top-level keys, as the expression's names

  expression_rules(const std::string& expr, const std::string& uses) : lines(split_lines(expr)), uses(uses) {
    const auto n = static_cast<std::uint32_t>(lines.size());
    text = "package eval\n" + (uses.empty() ? std::string("\n") : "uses " + uses + "\n");
    text += "rule value \"The expression\" {\n  let v = [\n";
    first_copy = 5;
    text += expr + "\n  ]\n  require v == []\n}\nrule explained \"The expression, explained\" {\n  require [\n";
    second_copy = first_copy + n + 5;
    text += expr + "\n  ] == []\n}\n";
  }

  // A diagnostic of these rules, pointed into the expression itself.
  diagnostic into_expression(diagnostic d) const {
    if (d.origin != expression_origin) return d;
    const auto n = static_cast<std::uint32_t>(lines.size());
    if (d.line >= first_copy && d.line < first_copy + n) {
      d.line -= first_copy - 1;
    } else if (d.line >= second_copy && d.line < second_copy + n) {
      d.line -= second_copy - 1;
    } else {  // on the words around it: the expression ends too early (an unclosed bracket)
      d.line = n;
      std::uint32_t chars = 0;  // columns count characters (UTF-8 code points)
      for (const char c : lines.back()) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
      d.column = chars + 1;
      d.length = 1;
      d.source_line = lines.back();
      if (const auto at = d.message.find(" closed by ']'"); at != std::string::npos)
        d.message = d.message.substr(0, at) + " is never closed";
      d.help.clear();
    }
    if (d.help.starts_with("add 'uses "))  // there is no file to add it to
      d.help = uses.empty() ? "the data has no top-level keys to name"
                            : "the names an expression may use are the data's top-level keys: " + uses;
    // "on line 7" in a help names a line of the rules: name the expression's.
    if (const auto at = d.help.find("on line "); at != std::string::npos) {
      std::size_t end = at + 8;
      std::uint32_t line = 0;
      while (end < d.help.size() && std::isdigit(static_cast<unsigned char>(d.help[end])))
        line = line * 10 + static_cast<std::uint32_t>(d.help[end++] - '0');
      if (line >= first_copy && line < first_copy + n)
        line -= first_copy - 1;
      else if (line >= second_copy && line < second_copy + n)
        line -= second_copy - 1;
      d.help = d.help.substr(0, at + 8) + std::to_string(line) + d.help.substr(end);
    }
    return d;
  }
};

// A closing bracket the expression does not open would close the rule's own around it: reported
// at its character. Strings and comments are skipped as the language writes them.
void check_closers(const std::string& expr) {
  int depth = 0;
  std::uint32_t line = 1, column = 0;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < expr.size(); ++i) {
    const char c = expr[i];
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++column;
    if (c == '\n') {
      ++line;
      column = 0;
      line_start = i + 1;
    } else if (c == '#') {
      while (i + 1 < expr.size() && expr[i + 1] != '\n') ++i;
    } else if (c == '"') {
      for (++i; i < expr.size() && expr[i] != '"' && expr[i] != '\n'; ++i) {
        if ((static_cast<unsigned char>(expr[i]) & 0xC0) != 0x80) ++column;
        if (expr[i] == '\\' && i + 1 < expr.size() && expr[i + 1] != '\n') {
          ++i;
          if ((static_cast<unsigned char>(expr[i]) & 0xC0) != 0x80) ++column;
        }
      }
      if (i < expr.size() && expr[i] == '"') ++column;
      if (i < expr.size() && expr[i] == '\n') --i;  // an unterminated string: the compiler says so
    } else if (c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if (c == ')' || c == ']' || c == '}') {
      if (--depth >= 0) continue;
      diagnostic d;
      d.code = "syntax";
      d.message = std::string("unmatched '") + c + "'";
      d.origin = expression_origin;
      d.line = line;
      d.column = column;
      const auto end = expr.find('\n', line_start);
      d.source_line = expr.substr(line_start, end == std::string::npos ? std::string::npos : end - line_start);
      d.help = std::string("remove it, or open it earlier with '") + (c == ')' ? '(' : c == ']' ? '[' : '{') + "'";
      throw joinup::error({d});
    }
  }
}

int eval_expression(const std::string& expr, const document& doc, const evaluate_options& eo, const limits& lim,
                    bool json, io& io) {
  if (expr.find_first_not_of(" \t\r\n") == std::string::npos) throw usage_error("the expression is empty");
  std::string uses;
  if (doc.node_count() > 0 && doc.kind(doc.root()) == value_kind::map)
    for (std::uint32_t i = 0; i < doc.size(doc.root()); ++i) {
      const std::string key(doc.key_text(doc.key_at(doc.root(), i)));
      if (is_name(key)) uses += (uses.empty() ? "" : ", ") + key;
    }
  check_closers(expr);
  const expression_rules rules(expr, uses);
  policy pol;
  try {
    pol = policy::compile({{expression_origin, rules.text}}, lim.compile);
  } catch (const joinup::error& e) {
    std::vector<diagnostic> ds;  // each mistake once, though the expression is written twice
    for (const auto& d : e.diagnostics()) {
      diagnostic m = rules.into_expression(d);
      bool seen = false;
      for (const auto& o : ds) seen = seen || (o.line == m.line && o.column == m.column && o.message == m.message);
      if (!seen) ds.push_back(std::move(m));
    }
    throw joinup::error(std::move(ds));
  }
  const evaluation_result r = pol.evaluate(doc, eo);
  if (r.rules.size() != 2 || r.rules[0].violations.empty() || r.rules[1].violations.empty())
    throw std::runtime_error("the expression was not evaluated");
  const violation& v = r.rules[0].violations[0];
  const bool undetermined = v.kind == outcome::undetermined;
  std::string value;
  if (!undetermined && !v.explanation.empty()) {
    value = v.explanation[0].value;  // "[…]": the list around the expression
    if (value.size() >= 2) value = value.substr(1, value.size() - 2);
  }
  // Its sub-expressions: the first entry is the list around the expression; the next, the
  // expression itself, whose value is already shown.
  const violation& explained = r.rules[1].violations[0];
  std::size_t from = explained.explanation.empty() ? 0 : 1;
  if (from < explained.explanation.size() && explained.explanation[from].expression == expr) ++from;
  if (json) {
    io.out << "{\"expression\": " << json_string(expr) << ", \"as_of\": " << json_string(r.as_of.to_string())
           << ", \"undetermined\": " << (undetermined ? "true" : "false");
    if (undetermined)
      io.out << ", \"reason\": " << json_string(v.message);
    else
      io.out << ", \"value\": " << json_string(value);
    io.out << ", \"explanation\": " << json_explanation(explained.explanation, from) << "}\n";
  } else {
    using diag::escaped;
    if (undetermined)
      io.out << "undetermined: " << escaped(v.message) << '\n';
    else
      io.out << escaped(value) << '\n';
    for (std::size_t i = from; i < explained.explanation.size(); ++i)
      io.out << "  " << escaped(explained.explanation[i].expression) << " = " << escaped(explained.explanation[i].value)
             << '\n';
  }
  return undetermined ? 1 : 0;
}

// A rule by its full id, or by its id within its package when only one package has it.
const rule_info& resolve_rule(const std::string& id, const std::vector<rule_info>& rules) {
  std::vector<const rule_info*> matches;
  for (const auto& r : rules) {
    if (r.full_id == id) return r;
    if (r.id == id) matches.push_back(&r);
  }
  if (matches.size() == 1) return *matches[0];
  if (matches.size() > 1) {
    std::string names;
    for (std::size_t i = 0; i < matches.size(); ++i)
      names += (i == 0 ? "" : i + 1 == matches.size() ? " or " : ", ") + ("'" + matches[i]->full_id + "'");
    throw usage_error("rule id '" + id + "' is ambiguous: it could be " + names);
  }
  std::vector<std::string> ids;
  for (const auto& r : rules) ids.push_back(id.find('.') == std::string::npos ? r.id : r.full_id);
  if (const auto near = closest(id, ids))
    for (const auto& r : rules)
      if (r.id == *near || r.full_id == *near)
        throw usage_error("unknown rule '" + id + "' (did you mean '" + r.full_id + "'?)");
  throw usage_error("unknown rule '" + id + "'");
}

std::string location(const std::string& origin, const source_position& p) {
  return origin + ":" + std::to_string(p.line) + ":" + std::to_string(p.column);
}

int eval_rule(const policy& pol, const rule_info& info, const document& doc, evaluate_options eo, bool json, io& io) {
  eo.only = {info.full_id};
  const evaluation_result r = pol.evaluate(doc, eo);
  const rule_result& rr = r.rules.at(0);
  const std::uint32_t passed = rr.subjects - static_cast<std::uint32_t>(rr.violations.size());
  if (json) {
    io.out << "{\"rule\": " << json_string(info.full_id) << ", \"title\": " << json_string(info.title)
           << ", \"data\": " << json_string(r.data_origin) << ", \"as_of\": " << json_string(r.as_of.to_string())
           << ", \"outcome\": " << json_string(to_string(rr.result)) << ", \"subjects\": " << rr.subjects
           << ", \"passed\": " << passed << ", \"violations\": [";
    for (std::size_t i = 0; i < rr.violations.size(); ++i) {
      const violation& v = rr.violations[i];
      io.out << (i ? ", " : "") << "{\"subject\": " << json_string(v.subject) << ", \"line\": " << v.data_position.line
             << ", \"column\": " << v.data_position.column << ", \"outcome\": " << json_string(to_string(v.kind))
             << ", \"message\": " << json_string(v.message) << ", \"clause\": " << json_string(v.clause)
             << ", \"expression\": " << json_string(v.require_text)
             << ", \"explanation\": " << json_explanation(v.explanation, 0) << "}";
    }
    io.out << "]}\n";
    return 0;
  }
  using diag::escaped;
  const auto plural = [](std::uint32_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  io.out << escaped(info.full_id) << ": " << escaped(info.title) << '\n'
         << "  " << to_string(rr.result) << " on " << escaped(r.data_origin) << " as of " << r.as_of.to_string() << ": "
         << plural(rr.subjects, "subject", "subjects") << " judged, " << passed << " passed\n";
  for (const violation& v : rr.violations) {
    io.out << '\n'
           << escaped(location(v.data_origin, v.data_position)) << ": "
           << (v.subject.empty() ? std::string("the document") : escaped(v.subject)) << ": " << to_string(v.kind)
           << '\n'
           << "  " << escaped(v.message) << '\n'
           << "  " << escaped(location(v.rule_origin, v.rule_position)) << ": " << v.clause << ' '
           << escaped(v.require_text) << '\n';
    for (const auto& e : v.explanation)
      io.out << "      " << escaped(e.expression) << " = " << escaped(e.value) << '\n';
  }
  return 0;
}

}  // namespace

int run_eval(const std::vector<std::string>& args, io& io) {
  const parsed_args a = parse_args(args, with_limits(eval_options, true));
  if (a.help) {
    io.out << usage("eval");
    return 0;
  }
  const limits lim = read_limits(a);
  evaluate_options eo;
  lim.apply(eo);
  if (const auto v = a.last("--as-of")) {
    eo.as_of = date::parse(*v);
    if (!eo.as_of) throw usage_error("invalid value '" + *v + "' for --as-of: expected a date as YYYY-MM-DD");
  } else {
    eo.as_of = today();
  }
  const std::string format = a.last("--format").value_or("text");
  if (format != "text" && format != "json") {
    static const std::vector<std::string> formats = {"text", "json"};
    throw usage_error("unknown format '" + format + "' for --format: use text or json" + did_you_mean(format, formats));
  }
  const bool json = format == "json";
  const auto rule = a.last("--rule");
  if (rule) {
    if (a.operands.size() != 1)
      throw usage_error("eval --rule takes one data file (usage: joinup eval --rules PATH --rule RULE-ID DATA)");
    io.stage = "reading the rules";
    const policy pol = load_rules(a.all("--rules"), lim.compile, io);
    const rule_info& info = resolve_rule(*rule, pol.rules());
    io.stage = "reading data file '" + a.operands[0] + "'";
    const document doc = load_eval_data(a.operands[0], lim.load, io);
    io.stage = "evaluating rule '" + info.full_id + "'";
    return eval_rule(pol, info, doc, eo, json, io);
  }
  if (a.has("--rules")) throw usage_error("--rules needs --rule RULE-ID (or give an expression without --rules)");
  if (a.operands.size() != 2)
    throw usage_error("eval takes an expression and one data file (usage: joinup eval EXPR DATA)");
  io.stage = "reading data file '" + a.operands[1] + "'";
  const document doc = load_eval_data(a.operands[1], lim.load, io);
  io.stage = "evaluating the expression";
  return eval_expression(a.operands[0], doc, eo, lim, json, io);
}

}  // namespace joinup::cli
