// The rule language's grammar in Boost.Spirit X3: rule tags, rules and their `*_def` definitions,
// in the layout of X3's rexpr and calc9 examples. Included only by grammar.cpp, so the templates
// are instantiated once.
//
// Semantic actions build the concrete syntax in a detail::builder (tree.hpp), reached through the
// context (x3::with<builder_tag>). Every rule's attribute is a node index. Spans come from x3::raw
// (for tokens) and from the spans of already-built children, never from iterators kept around.
//
// Expectation points (`>`) name what was expected through the rule names below ("an expression",
// "'in'", ...); failure.cpp turns a failed one into "expected X but found 'Y'".
#pragma once

#include <boost/spirit/home/x3.hpp>
#include <cctype>
#include <string_view>

#include "syntax/tree.hpp"

// Report the subject's name for actions, raw[] and lexeme[], so `> raw[name][act]` fails with
// "a name" rather than a mangled type name.
namespace boost::spirit::x3 {
template <typename Subject, typename Action>
struct get_info<action<Subject, Action>> {
  using result_type = std::string;
  std::string operator()(action<Subject, Action> const& p) const { return what(p.subject); }
};
template <typename Subject>
struct get_info<raw_directive<Subject>> {
  using result_type = std::string;
  std::string operator()(raw_directive<Subject> const& p) const { return what(p.subject); }
};
}  // namespace boost::spirit::x3

namespace joinup::syntax::detail::grammar {

namespace x3 = boost::spirit::x3;
namespace ascii = boost::spirit::x3::ascii;
using ascii::alnum;
using ascii::alpha;
using ascii::digit;
using x3::eoi;
using x3::eol;
using x3::eps;
using x3::lexeme;
using x3::lit;
using x3::raw;
using any_char = x3::standard::char_type;
inline constexpr any_char anychar{};

struct builder_tag;

template <typename Context>
builder& bld(Context const& ctx) {
  return x3::get<builder_tag>(ctx);
}
template <typename Range>
ast::span span_of(builder& b, Range const& r) {
  return b.span(r.begin(), r.end());
}
inline bool is_comparison(const node& n) {
  if (n.kind == node_kind::between) return true;
  return n.kind == node_kind::binary && n.op >= ast::op::eq && n.op <= ast::op::matches;
}
inline void attach(builder& b, std::uint32_t parent, std::uint32_t kid) {
  b.nodes[parent].kids.push_back(kid);
  if (kid != no_index && b.nodes[kid].depth + 1 > b.nodes[parent].depth) b.nodes[parent].depth = b.nodes[kid].depth + 1;
}
inline void set_bind(builder& b, std::uint32_t parent, std::uint32_t binder) {
  b.nodes[parent].bind = binder;
  if (b.nodes[binder].depth + 1 > b.nodes[parent].depth) b.nodes[parent].depth = b.nodes[binder].depth + 1;
}
inline ast::op op_from_word(std::string_view w) {
  if (w.starts_with("all")) return ast::op::all;
  if (w.starts_with("any")) return ast::op::any;
  if (w.starts_with("none")) return ast::op::none_of;
  if (w.starts_with("count")) return ast::op::count;
  if (w.starts_with("sum")) return ast::op::sum;
  if (w.starts_with("min")) return ast::op::min;
  if (w.starts_with("max")) return ast::op::max;
  if (w.starts_with("avg")) return ast::op::avg;
  if (w.starts_with("first")) return ast::op::first;
  return ast::op::none;
}
template <typename Range>
std::string_view text_of(Range const& r) {
  return std::string_view(r.begin(), static_cast<std::size_t>(r.end() - r.begin()));
}

///////////////////////////////////////////////////////////////////////////////////////////////////
// Semantic actions
///////////////////////////////////////////////////////////////////////////////////////////////////

struct assign {
  template <typename C>
  void operator()(C const& c) const {
    x3::_val(c) = x3::_attr(c);
  }
};

// A token that is a whole node: number, string, date, name, true/false/null.
struct leaf {
  node_kind kind;
  bool value = false;
  template <typename C>
  void operator()(C const& c) const {
    auto& b = bld(c);
    node n;
    n.kind = kind;
    n.boolean = value;
    n.where = span_of(b, x3::_attr(c));
    n.name = n.where;  // the token itself, even once parentheses widen `where`
    x3::_val(c) = b.add(std::move(n));
  }
};

struct binary {
  ast::op op;
  template <typename C>
  void operator()(C const& c) const {
    auto& b = bld(c);
    const std::uint32_t lhs = x3::_val(c), rhs = x3::_attr(c);
    node n;
    n.kind = node_kind::binary;
    n.op = op;
    n.where = {b.nodes[lhs].where.begin, b.nodes[rhs].where.end};
    n.kids = {lhs, rhs};
    x3::_val(c) = b.add(std::move(n));
  }
};

struct compare {
  template <typename C>
  void operator()(C const& c) const {
    auto& b = bld(c);
    auto const& a = x3::_attr(c);
    auto const& oper = boost::fusion::at_c<0>(a);
    const std::uint32_t lhs = x3::_val(c), rhs = boost::fusion::at_c<1>(a);
    const auto t = text_of(oper);
    node n;
    n.kind = node_kind::binary;
    n.op = t == "=="              ? ast::op::eq
           : t == "!="            ? ast::op::ne
           : t == "<="            ? ast::op::le
           : t == ">="            ? ast::op::ge
           : t == "<"             ? ast::op::lt
           : t == ">"             ? ast::op::gt
           : t.starts_with("not") ? ast::op::not_in
           : t == "in"            ? ast::op::in
                                  : ast::op::matches;
    if (is_comparison(b.nodes[lhs]) && !b.nodes[lhs].parens) n.chained_at = b.offset(oper.begin());
    n.where = {b.nodes[lhs].where.begin, b.nodes[rhs].where.end};
    n.kids = {lhs, rhs};
    x3::_val(c) = b.add(std::move(n));
  }
};

struct between {
  template <typename C>
  void operator()(C const& c) const {
    auto& b = bld(c);
    auto const& a = x3::_attr(c);
    auto const& oper = boost::fusion::at_c<0>(a);
    const std::uint32_t lhs = x3::_val(c), lo = boost::fusion::at_c<1>(a), hi = boost::fusion::at_c<2>(a);
    node n;
    n.kind = node_kind::between;
    if (is_comparison(b.nodes[lhs]) && !b.nodes[lhs].parens) n.chained_at = b.offset(oper.begin());
    n.where = {b.nodes[lhs].where.begin, b.nodes[hi].where.end};
    n.kids = {lhs, lo, hi};
    x3::_val(c) = b.add(std::move(n));
  }
};

struct unary {
  ast::op op;
  template <typename C>
  void operator()(C const& c) const {
    auto& b = bld(c);
    auto const& a = x3::_attr(c);
    auto const& oper = boost::fusion::at_c<0>(a);
    const std::uint32_t operand = boost::fusion::at_c<1>(a);
    node n;
    n.kind = node_kind::unary;
    n.op = op;
    n.where = {b.offset(oper.begin()), b.nodes[operand].where.end};
    n.kids = {operand};
    x3::_val(c) = b.add(std::move(n));
  }
};

struct make_field {
  template <typename C>
  void operator()(C const& c) const {
    auto& b = bld(c);
    const std::uint32_t object = x3::_val(c);
    node n;
    n.kind = node_kind::field;
    n.name = span_of(b, x3::_attr(c));
    n.where = {b.nodes[object].where.begin, n.name.end};
    n.kids = {object};
    x3::_val(c) = b.add(std::move(n));
  }
};

struct make_index {
  template <typename C>
  void operator()(C const& c) const {
    auto& b = bld(c);
    auto const& a = x3::_attr(c);
    const std::uint32_t object = x3::_val(c), index = boost::fusion::at_c<0>(a);
    node n;
    n.kind = node_kind::index;
    n.where = {b.nodes[object].where.begin, b.offset(boost::fusion::at_c<1>(a).end())};
    n.kids = {object, index};
    x3::_val(c) = b.add(std::move(n));
  }
};

struct parenthesized {
  template <typename C>
  void operator()(C const& c) const {
    auto& b = bld(c);
    auto const& a = x3::_attr(c);
    const std::uint32_t inner = boost::fusion::at_c<1>(a);
    b.nodes[inner].parens = true;
    b.nodes[inner].where = {b.offset(boost::fusion::at_c<0>(a).begin()), b.offset(boost::fusion::at_c<2>(a).end())};
    x3::_val(c) = inner;
  }
};

// A node that starts with the token in _attr and is completed by later actions.
struct start_node {
  node_kind kind;
  template <typename C>
  void operator()(C const& c) const {
    auto& b = bld(c);
    node n;
    n.kind = kind;
    n.where = span_of(b, x3::_attr(c));
    if (kind == node_kind::quantifier) n.op = op_from_word(text_of(x3::_attr(c)));
    if (kind == node_kind::call) {  // "count (" → the name is the word
      const auto t = text_of(x3::_attr(c));
      std::uint32_t len = 0;
      while (len < t.size() && (std::isalnum(static_cast<unsigned char>(t[len])) || t[len] == '_')) ++len;
      n.name = {n.where.begin, n.where.begin + len};
    }
    x3::_val(c) = b.add(std::move(n));
  }
};

// The name of a name node followed by '(' becomes a call.
struct to_call {
  template <typename C>
  void operator()(C const& c) const {
    bld(c).nodes[x3::_val(c)].kind = node_kind::call;
  }
};

struct push_kid {
  template <typename C>
  void operator()(C const& c) const {
    attach(bld(c), x3::_val(c), x3::_attr(c));
  }
};

// The closing token (in _attr) ends the node.
struct close_node {
  template <typename C>
  void operator()(C const& c) const {
    auto& b = bld(c);
    b.nodes[x3::_val(c)].where.end = b.offset(x3::_attr(c).end());
  }
};

// Binder completes a comprehension, or turns a call of count/sum/... into an aggregate.
struct bind_as {
  node_kind kind;
  bool without_expr = false;
  template <typename C>
  void operator()(C const& c) const {
    auto& b = bld(c);
    const std::uint32_t self = x3::_val(c);
    node& n = b.nodes[self];
    n.kind = kind;
    if (kind == node_kind::aggregate)
      n.op = op_from_word(std::string_view(b.base + n.name.begin, n.name.end - n.name.begin));
    if (without_expr) n.kids.push_back(no_index);
    set_bind(b, self, x3::_attr(c));
  }
};

struct quantifier_body {
  template <typename C>
  void operator()(C const& c) const {
    auto& b = bld(c);
    const std::uint32_t self = x3::_val(c), body = x3::_attr(c);
    attach(b, self, body);
    b.nodes[self].where.end = b.nodes[body].where.end;
  }
};

// The else branch (in _attr) ends a conditional.
struct conditional_end {
  template <typename C>
  void operator()(C const& c) const {
    auto& b = bld(c);
    const std::uint32_t self = x3::_val(c), branch = x3::_attr(c);
    attach(b, self, branch);
    b.nodes[self].where.end = b.nodes[branch].where.end;
  }
};

struct set_binder {
  template <typename C>
  void operator()(C const& c) const {
    set_bind(bld(c), x3::_val(c), x3::_attr(c));
  }
};

struct binder_first {
  template <typename C>
  void operator()(C const& c) const {
    auto& b = bld(c);
    node n;
    n.kind = node_kind::binder;
    n.name = span_of(b, x3::_attr(c));
    n.where = n.name;
    x3::_val(c) = b.add(std::move(n));
  }
};
struct binder_second {
  template <typename C>
  void operator()(C const& c) const {
    auto& b = bld(c);
    node& n = b.nodes[x3::_val(c)];
    n.key = n.name;
    n.has_key = true;
    n.name = span_of(b, x3::_attr(c));
  }
};
struct binder_part {  // collection, then filter: each extends the binder's span
  template <typename C>
  void operator()(C const& c) const {
    auto& b = bld(c);
    const std::uint32_t self = x3::_val(c), part = x3::_attr(c);
    attach(b, self, part);
    b.nodes[self].where.end = b.nodes[part].where.end;
  }
};

// Rule and header parts go straight into the builder.
struct rule_keyword {
  template <typename C>
  void operator()(C const& c) const {
    bld(c).rule.keyword = span_of(bld(c), x3::_attr(c));
  }
};
struct rule_id {
  template <typename C>
  void operator()(C const& c) const {
    bld(c).rule.id = span_of(bld(c), x3::_attr(c));
  }
};
struct rule_title {
  template <typename C>
  void operator()(C const& c) const {
    bld(c).rule.title.push_back(span_of(bld(c), x3::_attr(c)));
  }
};
struct rule_close {
  template <typename C>
  void operator()(C const& c) const {
    bld(c).rule.close = span_of(bld(c), x3::_attr(c));
  }
};
struct begin_clause {
  clause_kind kind;
  template <typename C>
  void operator()(C const& c) const {
    clause cl;
    cl.kind = kind;
    cl.keyword = span_of(bld(c), x3::_attr(c));
    bld(c).rule.clauses.push_back(std::move(cl));
  }
};
struct clause_name {
  template <typename C>
  void operator()(C const& c) const {
    bld(c).rule.clauses.back().name = span_of(bld(c), x3::_attr(c));
  }
};
struct clause_value {
  template <typename C>
  void operator()(C const& c) const {
    bld(c).rule.clauses.back().value = x3::_attr(c);
  }
};
struct clause_string {
  template <typename C>
  void operator()(C const& c) const {
    bld(c).rule.clauses.back().strings.push_back(span_of(bld(c), x3::_attr(c)));
  }
};
struct clause_tag {
  bool is_string;
  template <typename C>
  void operator()(C const& c) const {
    bld(c).rule.clauses.back().tags.emplace_back(span_of(bld(c), x3::_attr(c)), is_string);
  }
};
struct package_name {
  template <typename C>
  void operator()(C const& c) const {
    bld(c).header.has_package = true;
    bld(c).header.package = span_of(bld(c), x3::_attr(c));
  }
};
struct schema_path {
  template <typename C>
  void operator()(C const& c) const {
    bld(c).header.has_schema = true;
    bld(c).header.schema = span_of(bld(c), x3::_attr(c));
  }
};
struct use_name {
  template <typename C>
  void operator()(C const& c) const {
    bld(c).header.uses.push_back(span_of(bld(c), x3::_attr(c)));
  }
};

// File-level definitions and imports (tree.hpp, definition_syntax).
struct begin_definition {
  definition_syntax::kind kind;
  template <typename C>
  void operator()(C const& c) const {
    auto& d = bld(c).definition;
    d = {};
    d.what = kind;
    d.keyword = span_of(bld(c), x3::_attr(c));
  }
};
struct definition_name {
  template <typename C>
  void operator()(C const& c) const {
    bld(c).definition.name = span_of(bld(c), x3::_attr(c));
  }
};
struct definition_param {
  template <typename C>
  void operator()(C const& c) const {
    bld(c).definition.params.push_back(span_of(bld(c), x3::_attr(c)));
  }
};
struct definition_value {
  template <typename C>
  void operator()(C const& c) const {
    bld(c).definition.value = x3::_attr(c);
  }
};

///////////////////////////////////////////////////////////////////////////////////////////////////
// Lexical pieces (no attributes; spans are taken with raw[])
///////////////////////////////////////////////////////////////////////////////////////////////////

inline auto kw(const char* word) { return lexeme[lit(word) >> !(alnum | '_')]; }

// Words that cannot name a variable. Metadata words (severity, tags, source, rationale, remedy,
// undetermined)
// are keywords only where a rule-body line starts, and aggregate names only before '('.
inline x3::symbols<> const reserved_words({"package", "uses",    "rule", "when",    "let",     "for",  "each",
                                           "require", "message", "in",   "where",   "and",     "or",   "not",
                                           "all",     "any",     "none", "between", "matches", "true", "false",
                                           "null",    "if",      "then", "else"});

auto const skipper = ascii::space | lexeme['#' >> *(anychar - eol)];

auto const word = lexeme[(alpha | '_') >> *(alnum | '_')];
auto const plain_string = lexeme['"' >> *(('\\' >> (anychar - eol)) | (anychar - '"' - eol)) >> '"'];
auto const hole = lexeme['{' >> *(plain_string | (anychar - '}' - '"' - eol)) >> '}'];
auto const template_string =
    lexeme['"' >> *(('\\' >> (anychar - eol)) | lit("{{") | lit("}}") | hole | (anychar - '"' - eol)) >> '"'];
auto const number_token =
    lexeme[digit >> *((lit('.') >> &digit) | ((lit('e') | 'E') >> (lit('+') | '-') >> &digit) | alnum | '_')];
auto const date_token = lexeme['@' >> *(alnum | '-')];
auto const agg_word = lexeme[(lit("count") | "sum" | "min" | "max" | "avg" | "first") >> !(alnum | '_')];
auto const compare_op = lit("==") | "!=" | "<=" | ">=" | '<' | '>' | (kw("not") >> kw("in")) | kw("in") | kw("matches");

///////////////////////////////////////////////////////////////////////////////////////////////////
// Rules
///////////////////////////////////////////////////////////////////////////////////////////////////

using id = std::uint32_t;
using range = boost::iterator_range<const char*>;

// Tokens whose position an action needs while they sit inside a sequence.
x3::rule<class compare_tok_class, range> const compare_tok = "a comparison";
x3::rule<class between_tok_class, range> const between_tok = "'between'";
x3::rule<class not_tok_class, range> const not_tok = "'not'";
x3::rule<class minus_tok_class, range> const minus_tok = "'-'";
x3::rule<class lparen_tok_class, range> const lparen_tok = "'('";
x3::rule<class rparen_tok_class, range> const rparen_tok = "')'";
x3::rule<class rbracket_tok_class, range> const rbracket_tok = "']'";
auto const compare_tok_def = raw[compare_op];
auto const between_tok_def = raw[kw("between")];
auto const not_tok_def = raw[kw("not")];
auto const minus_tok_def = raw[lit('-')];
auto const lparen_tok_def = raw[lit('(')];
auto const rparen_tok_def = raw[lit(')')];
auto const rbracket_tok_def = raw[lit(']')];
BOOST_SPIRIT_DEFINE(compare_tok, between_tok, not_tok, minus_tok, lparen_tok, rparen_tok, rbracket_tok)

x3::rule<class name_class> const name = "a name";
x3::rule<class field_name_class> const field_name = "a field name after '.'";
x3::rule<class rule_id_word_class> const rule_id_word = "a rule id";
x3::rule<class severity_word_class> const severity_word = "a severity";
x3::rule<class package_path_class> const package_path = "a package name";
x3::rule<class kw_in_class> const kw_in = "'in'";
x3::rule<class kw_each_class> const kw_each = "'each' after 'for'";
x3::rule<class kw_and_class> const kw_between_and = "'and' (as in 'x between 1 and 9')";
x3::rule<class lone_equals_class> const lone_equals = "'='";
x3::rule<class lbrace_class> const lbrace = rule_body_open;
x3::rule<class tags_end_class> const tags_end = end_of_tags;
x3::rule<class rbrace_class> const rbrace = rule_body_item;
x3::rule<class strings_class> const strings = "a string";
x3::rule<class templates_class> const templates = "a string";
x3::rule<class tag_list_class> const tag_list = "a tag";
x3::rule<class clause_class> const clause = "a rule body item";
x3::rule<class end_rule_class> const end_of_rule_r = end_of_rule;
x3::rule<class end_header_class> const end_of_header_r = end_of_header;
x3::rule<class end_definition_class> const end_of_definition_r = end_of_definition;
x3::rule<class def_open_class> const def_open = "'(' and the parameters";
x3::rule<class def_close_class> const def_close = "')'";
x3::rule<class end_expression_class> const end_of_expression = "the end of the expression";
x3::rule<class end_hole_class> const end_of_hole = "'}'";
x3::rule<class kw_then_class> const kw_then = "'then' (as in 'if c then a else b')";
x3::rule<class kw_else_class> const kw_else = "'else' (as in 'if c then a else b')";

x3::rule<class expr_class, id> const expr = "an expression";
x3::rule<class coalesce_class, id> const coalesce_expr = "an expression";
x3::rule<class if_class, id> const if_expr = "an expression";
x3::rule<class or_class, id> const or_expr = "an expression";
x3::rule<class and_class, id> const and_expr = "an expression";
x3::rule<class not_class, id> const not_expr = "an expression";
x3::rule<class cmp_class, id> const cmp_expr = "an expression";
x3::rule<class add_class, id> const add_expr = "an expression";
x3::rule<class mul_class, id> const mul_expr = "an expression";
x3::rule<class unary_class, id> const unary_expr = "an expression";
x3::rule<class postfix_class, id> const postfix_expr = "an expression";
x3::rule<class primary_class, id> const primary = "an expression";
x3::rule<class literal_class, id> const literal = "a literal";
x3::rule<class list_class, id> const list = "a list";
x3::rule<class quantifier_class, id> const quantifier = "a quantifier";
x3::rule<class aggregate_class, id> const aggregate = "an aggregate";
x3::rule<class call_or_name_class, id> const call_or_name = "a name";
x3::rule<class paren_class, id> const paren = "a parenthesized expression";
x3::rule<class binder_class, id> const binder = "a name to bind";
x3::rule<class expression_entry_class, id> const expression_entry = "an expression";
x3::rule<class hole_entry_class, id> const hole_entry = "an expression";
x3::rule<class rule_class> const rule_ = "a rule";
x3::rule<class header_class> const header = "a header";
x3::rule<class definition_class> const definition = "a definition";

auto const name_def = !lexeme[reserved_words >> !(alnum | '_')] >> word;
auto const field_name_def = word;
auto const rule_id_word_def = lexeme[alpha >> *(alnum | '_' | '-')];
auto const severity_word_def = lexeme[alpha >> *(alnum | '_' | '-')];
auto const package_path_def = lexeme[alpha >> *(alnum | '_' | '-') >> *('.' >> alpha >> *(alnum | '_' | '-'))];
auto const kw_in_def = kw("in");
auto const kw_each_def = kw("each");
auto const kw_between_and_def = kw("and");
auto const lone_equals_def = lexeme['=' >> !lit('=')];
auto const lbrace_def = lit('{');
auto const rbrace_def = lit('}');
auto const tags_end_def = lit(']');
auto const end_of_rule_r_def = eoi;
auto const end_of_header_r_def = eoi;
auto const end_of_definition_r_def = eoi;
auto const def_open_def = lit('(');
auto const def_close_def = lit(')');
auto const end_of_expression_def = eoi;
auto const end_of_hole_def = eoi;
auto const kw_then_def = kw("then");
auto const kw_else_def = kw("else");

// Expressions, loosest first; binary levels loop, so only brackets and prefixes recurse.
// `if c then a else b` is the loosest form: each of its parts is a whole expression, so `else`
// binds to the nearest `if` and `if a then b else c ?? d` chooses `c ?? d`.
auto const expr_def = if_expr[assign{}] | coalesce_expr[assign{}];
auto const if_expr_def = raw[kw("if")][start_node{node_kind::conditional}] > expr[push_kid{}] > kw_then >
                         expr[push_kid{}] > kw_else > expr[conditional_end{}];
auto const coalesce_expr_def = or_expr[assign{}] >> *((lit("??") > or_expr)[binary{ast::op::coalesce}]);
auto const or_expr_def = and_expr[assign{}] >> *((kw("or") > and_expr)[binary{ast::op::or_}]);
auto const and_expr_def = not_expr[assign{}] >> *((kw("and") > not_expr)[binary{ast::op::and_}]);
auto const not_expr_def = (not_tok > not_expr)[unary{ast::op::not_}] | cmp_expr[assign{}];
auto const cmp_expr_def = add_expr[assign{}] >> *((compare_tok > add_expr)[compare{}] |
                                                  (between_tok > add_expr > kw_between_and > add_expr)[between{}]);
auto const add_expr_def = mul_expr[assign{}] >>
                          *((lit('+') > mul_expr)[binary{ast::op::add}] | (lit('-') > mul_expr)[binary{ast::op::sub}]);
auto const mul_expr_def = unary_expr[assign{}] >> *((lit('*') > unary_expr)[binary{ast::op::mul}] |
                                                    (lit('/') > unary_expr)[binary{ast::op::div}] |
                                                    (lit('%') > unary_expr)[binary{ast::op::mod}]);
auto const unary_expr_def = (minus_tok > unary_expr)[unary{ast::op::neg}] | postfix_expr[assign{}];
auto const postfix_expr_def = primary[assign{}] >> *((lit('.') > raw[field_name])[make_field{}] |
                                                     (lit('[') > expr > rbracket_tok)[make_index{}]);
auto const primary_def = literal | list | quantifier | aggregate | call_or_name | paren;

auto const literal_def = raw[number_token][leaf{node_kind::number}] | raw[date_token][leaf{node_kind::date}] |
                         raw[plain_string][leaf{node_kind::string}] | raw[kw("true")][leaf{node_kind::bool_lit, true}] |
                         raw[kw("false")][leaf{node_kind::bool_lit, false}] |
                         raw[kw("null")][leaf{node_kind::null_lit}];

auto const list_def = raw[lit('[')][start_node{node_kind::list}] >>
                      (rbracket_tok[close_node{}] |
                       ((eps > expr[push_kid{}]) >> ((kw("for") > binder[bind_as{node_kind::comprehension}]) |
                                                     (*(',' >> expr[push_kid{}]) >> -lit(','))) >
                        rbracket_tok[close_node{}]));

auto const quantifier_def = raw[kw("all") | kw("any") | kw("none")][start_node{node_kind::quantifier}] >
                            binder[set_binder{}] > ':' > expr[quantifier_body{}];

// count(x in xs [where c]), sum(e for x in xs [where c]), or a plain call count(xs), max(a, b).
auto const aggregate_def = raw[agg_word >> '('][start_node{node_kind::call}] >>
                           ((&(name >> kw("in")) > binder[bind_as{node_kind::aggregate, true}] >
                             rparen_tok[close_node{}]) |
                            rparen_tok[close_node{}] |
                            ((eps > expr[push_kid{}]) >> ((kw("for") > binder[bind_as{node_kind::aggregate}]) |
                                                          *(',' > expr[push_kid{}])) > rparen_tok[close_node{}]));

// `matches` is an operator word, but `matches(s, re)` is also a built-in function.
auto const keyword_function = lexeme[lit("matches") >> !(alnum | '_')] >> &lit('(');
// A call of a definition of another package: `integration.common.org_name(x)`.
auto const qualified_function = !lexeme[reserved_words >> !(alnum | '_')] >> lexeme[word >> +('.' >> word)] >>
                                &lit('(');
auto const call_or_name_def = raw[qualified_function | name | keyword_function][leaf{node_kind::name}] >>
                              -(lit('(')[to_call{}] >> -(expr[push_kid{}] >> *(',' > expr[push_kid{}])) >
                                rparen_tok[close_node{}]);

auto const paren_def = (lparen_tok > expr > rparen_tok)[parenthesized{}];

auto const binder_head = raw[name][binder_first{}] >> -(',' > raw[name][binder_second{}]) > kw_in > expr[binder_part{}];
auto const binder_def = binder_head >> -(kw("where") > expr[binder_part{}]);

auto const expression_entry_def = expr[assign{}] > end_of_expression;
auto const hole_entry_def = expr[assign{}] > end_of_hole;

// Rule files. The body is read as a loose sequence of clauses; parse.cpp checks their order
// and counts, which gives better messages than encoding the order in the grammar.
auto const strings_def = +raw[plain_string][clause_string{}];
auto const templates_def = +raw[template_string][clause_string{}];
auto const tag_list_def = -((raw[rule_id_word][clause_tag{false}] | raw[plain_string][clause_tag{true}]) >>
                            *(',' >> (raw[rule_id_word][clause_tag{false}] | raw[plain_string][clause_tag{true}]))) >>
                          -lit(',');
auto const clause_def =
    (raw[kw("severity")][begin_clause{clause_kind::severity}] > raw[severity_word][clause_name{}]) |
    (raw[kw("tags")][begin_clause{clause_kind::tags}] > '[' > tag_list > tags_end) |
    (raw[kw("source")][begin_clause{clause_kind::source}] > strings) |
    (raw[kw("rationale")][begin_clause{clause_kind::rationale}] > templates) |
    (raw[kw("remedy")][begin_clause{clause_kind::remedy}] > templates) |
    (raw[kw("undetermined")][begin_clause{clause_kind::undetermined}] > templates) |
    (raw[kw("when")][begin_clause{clause_kind::when}] > expr[clause_value{}]) |
    (raw[kw("let")][begin_clause{clause_kind::let}] > raw[name][clause_name{}] > lone_equals > expr[clause_value{}]) |
    (raw[kw("for")][begin_clause{clause_kind::for_each}] > kw_each > binder[clause_value{}]) |
    (raw[kw("require")][begin_clause{clause_kind::require}] > expr[clause_value{}]) |
    (raw[kw("message")][begin_clause{clause_kind::message}] > templates);

auto const rule__def = (raw[kw("rule")][rule_keyword{}] > raw[rule_id_word][rule_id{}]) >>
                       *raw[plain_string][rule_title{}] > lbrace > *clause > raw[rbrace][rule_close{}] > end_of_rule_r;

auto const header_def = -(kw("package") > raw[package_path][package_name{}]) >>
                        -(kw("schema") > raw[plain_string][schema_path{}]) >>
                        *((kw("uses") > raw[name][use_name{}]) >> *(',' > raw[name][use_name{}])) > end_of_header_r;

auto const definition_def =
    ((raw[kw("let")][begin_definition{definition_syntax::kind::let}] > raw[name][definition_name{}] > lone_equals >
      expr[definition_value{}]) |
     (raw[kw("def")][begin_definition{definition_syntax::kind::def}] > raw[name][definition_name{}] > def_open >
      -(raw[name][definition_param{}] % ',') > def_close > lone_equals > expr[definition_value{}]) |
     (raw[kw("import")][begin_definition{definition_syntax::kind::import}] > raw[package_path][definition_name{}])) >
    end_of_definition_r;

BOOST_SPIRIT_DEFINE(end_of_definition_r, def_open, def_close, definition)
BOOST_SPIRIT_DEFINE(name, field_name, rule_id_word, severity_word, package_path, kw_in, kw_each, kw_between_and,
                    lone_equals, lbrace, rbrace, tags_end, strings, templates, tag_list, clause, end_of_rule_r,
                    end_of_header_r, end_of_expression, end_of_hole, kw_then, kw_else)
BOOST_SPIRIT_DEFINE(expr, coalesce_expr, if_expr, or_expr, and_expr, not_expr, cmp_expr, add_expr, mul_expr, unary_expr,
                    postfix_expr, primary, literal, list, quantifier, aggregate, call_or_name, paren, binder,
                    expression_entry, hole_entry, rule_, header)

}  // namespace joinup::syntax::detail::grammar
