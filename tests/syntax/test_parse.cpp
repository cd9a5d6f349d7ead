// The rule-language parser: AST shapes and spans, precedence, templates, metadata, and errors.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "syntax/parse.hpp"

using namespace joinup;
using syntax::parse_mode;

namespace {

const char* op_name(ast::op o) {
  switch (o) {
    case ast::op::none: return "none";
    case ast::op::not_: return "not";
    case ast::op::neg: return "neg";
    case ast::op::coalesce: return "??";
    case ast::op::or_: return "or";
    case ast::op::and_: return "and";
    case ast::op::eq: return "==";
    case ast::op::ne: return "!=";
    case ast::op::lt: return "<";
    case ast::op::le: return "<=";
    case ast::op::gt: return ">";
    case ast::op::ge: return ">=";
    case ast::op::in: return "in";
    case ast::op::not_in: return "not-in";
    case ast::op::matches: return "matches";
    case ast::op::add: return "+";
    case ast::op::sub: return "-";
    case ast::op::mul: return "*";
    case ast::op::div: return "/";
    case ast::op::mod: return "%";
    case ast::op::all: return "all";
    case ast::op::any: return "any";
    case ast::op::none_of: return "none";
    case ast::op::count: return "count";
    case ast::op::sum: return "sum";
    case ast::op::min: return "min";
    case ast::op::max: return "max";
    case ast::op::avg: return "avg";
    case ast::op::first: return "first";
  }
  return "?";
}

std::string show(const ast::file& f, ast::expr_id id);

std::string show_binder(const ast::file& f, const ast::binder& b) {
  std::string s = b.key_name.empty() ? b.name : b.key_name + "," + b.name;
  s += " in " + show(f, b.collection);
  if (b.filter != no_index) s += " where " + show(f, b.filter);
  return s;
}

// An S-expression for the tree under `id`, to check shape and precedence at a glance.
std::string show(const ast::file& f, ast::expr_id id) {
  if (id == no_index) return "_";
  const ast::expr& e = f.at(id);
  auto args = [&](std::size_t from = 0) {
    std::string s;
    for (std::size_t i = from; i < e.args.size(); ++i) s += " " + show(f, e.args[i]);
    return s;
  };
  switch (e.kind) {
    case ast::expr_kind::null_lit: return "null";
    case ast::expr_kind::bool_lit: return e.boolean ? "true" : "false";
    case ast::expr_kind::int_lit: return std::to_string(e.integer);
    case ast::expr_kind::double_lit: {
      std::string s = std::to_string(e.number);
      while (s.back() == '0') s.pop_back();
      return s;
    }
    case ast::expr_kind::string_lit: return "\"" + e.text + "\"";
    case ast::expr_kind::date_lit: return "@" + std::to_string(e.days);
    case ast::expr_kind::list: return "[" + args() + "]";
    case ast::expr_kind::name: return e.text;
    case ast::expr_kind::field: return "(. " + show(f, e.args[0]) + " " + e.text + ")";
    case ast::expr_kind::index: return "([]" + args() + ")";
    case ast::expr_kind::call: return "(" + e.text + "()" + args() + ")";
    case ast::expr_kind::unary:
    case ast::expr_kind::binary: return std::string("(") + op_name(e.op) + args() + ")";
    case ast::expr_kind::between: return "(between" + args() + ")";
    case ast::expr_kind::quantifier:
      return std::string("(") + op_name(e.op) + " " + show_binder(f, e.bind) + ":" + args() + ")";
    case ast::expr_kind::aggregate:
      return std::string("(") + op_name(e.op) + args() + " for " + show_binder(f, e.bind) + ")";
    case ast::expr_kind::comprehension: return "[" + show(f, e.args[0]) + " for " + show_binder(f, e.bind) + "]";
    case ast::expr_kind::conditional: return "(if" + args() + ")";
  }
  return "?";
}

struct parsed {
  diag::source_file src;
  ast::file file;
  syntax::parse_output out;
  std::vector<diagnostic> diags;
  bool ok = false;

  parsed(std::string text, parse_mode mode, syntax::parse_limits limits = {}) : src("t.jup", std::move(text)) {
    ok = syntax::parse(src, mode, file, out, diags, limits);
  }
  std::string tree() const { return show(file, out.expression); }
  std::string text_of(ast::span s) const { return std::string(src.slice(s.begin, s.end)); }
  std::string text_of(ast::expr_id id) const { return text_of(file.at(id).where); }
  std::string errors() const {
    std::string s;
    for (const auto& d : diags)
      s += std::to_string(d.line) + ":" + std::to_string(d.column) + " " + d.code + ": " + d.message +
           (d.help.empty() ? "" : " | " + d.help) + "\n";
    return s;
  }
};

parsed expr(std::string text) { return parsed(std::move(text), parse_mode::expression); }
parsed file(std::string text) { return parsed(std::move(text), parse_mode::rule_file); }

std::string tree_of(std::string text) {
  parsed p = expr(std::move(text));
  INFO(p.errors());
  CHECK(p.ok);
  return p.tree();
}

// The one diagnostic a broken input gives.
diagnostic only_error(const parsed& p) {
  INFO(p.errors());
  REQUIRE(!p.ok);
  REQUIRE(p.diags.size() == 1);
  return p.diags[0];
}

}  // namespace

// ------------------------------------------------------------------------------------------------
// Expressions
// ------------------------------------------------------------------------------------------------

TEST_CASE("literals") {
  CHECK(tree_of("42") == "42");
  CHECK(tree_of("1_000_000") == "1000000");
  CHECK(tree_of("0.5") == "0.5");
  CHECK(tree_of("2e3") == "2000.");
  CHECK(tree_of("1.5E-1") == "0.15");
  CHECK(tree_of("true") == "true");
  CHECK(tree_of("false") == "false");
  CHECK(tree_of("null") == "null");
  CHECK(tree_of("\"a\\\"b\\\\c\\n\\td\"") == "\"a\"b\\c\n\td\"");
  CHECK(tree_of("\"\\u{1F600}\\u{e9}\"") == "\"\xF0\x9F\x98\x80\xC3\xA9\"");
  CHECK(tree_of("\"caf\xC3\xA9 {x}\"") == "\"caf\xC3\xA9 {x}\"");  // braces are text outside templates
  CHECK(tree_of("@1970-01-02") == "@1");
  CHECK(tree_of("@2024-02-29") == "@19782");
  CHECK(tree_of("9223372036854775807") == "9223372036854775807");
  CHECK(tree_of("-9223372036854775808") == "-9223372036854775808");
}

TEST_CASE("a minus on a number is folded into the literal") {
  parsed p = expr("- 5");
  REQUIRE(p.ok);
  const auto& e = p.file.at(p.out.expression);
  CHECK(e.kind == ast::expr_kind::int_lit);
  CHECK(e.integer == -5);
  CHECK(p.text_of(p.out.expression) == "- 5");
  CHECK(tree_of("-2.5") == "-2.5");
  CHECK(tree_of("-(5)") == "-5");
  CHECK(tree_of("-x") == "(neg x)");
  CHECK(tree_of("--x") == "(neg (neg x))");
  CHECK(tree_of("a - -1") == "(- a -1)");
}

TEST_CASE("names, fields, indexes and calls") {
  CHECK(tree_of("leaver") == "leaver");
  CHECK(tree_of("a.b.c") == "(. (. a b) c)");
  CHECK(tree_of("x.source") == "(. x source)");
  CHECK(tree_of("x.in.not.rule") == "(. (. (. x in) not) rule)");
  CHECK(tree_of("x[0][\"k\"]") == "([] ([] x 0) \"k\")");
  CHECK(tree_of("xs[0].name") == "(. ([] xs 0) name)");
  CHECK(tree_of("f()") == "(f())");
  CHECK(tree_of("has(a.b)") == "(has() (. a b))");
  CHECK(tree_of("round(x, 2)") == "(round() x 2)");
  CHECK(tree_of("lower(x.name).size") == "(. (lower() (. x name)) size)");
  CHECK(tree_of("order") == "order");  // not `or`
  CHECK(tree_of("android") == "android");
  CHECK(tree_of("notable") == "notable");
  CHECK(tree_of("source") == "source");
  CHECK(tree_of("count") == "count");
}

TEST_CASE("spans of fields and calls") {
  parsed p = expr("leaver.replacement.scope");
  REQUIRE(p.ok);
  const auto& e = p.file.at(p.out.expression);
  CHECK(p.text_of(e.where) == "leaver.replacement.scope");
  CHECK(p.text_of(e.name_span) == "scope");
  CHECK(p.text_of(e.args[0]) == "leaver.replacement");
  CHECK(p.text_of(p.file.at(e.args[0]).name_span) == "replacement");

  parsed c = expr("days_between( a , b )[0]");
  REQUIRE(c.ok);
  const auto& idx = c.file.at(c.out.expression);
  CHECK(c.text_of(idx.where) == "days_between( a , b )[0]");
  const auto& call = c.file.at(idx.args[0]);
  CHECK(call.kind == ast::expr_kind::call);
  CHECK(c.text_of(call.where) == "days_between( a , b )");
  CHECK(c.text_of(call.name_span) == "days_between");
  CHECK(c.text_of(call.args[1]) == "b");
}

TEST_CASE("precedence, loosest first") {
  CHECK(tree_of("a ?? b or c") == "(?? a (or b c))");
  CHECK(tree_of("a or b and c") == "(or a (and b c))");
  CHECK(tree_of("a and b or c") == "(or (and a b) c)");
  CHECK(tree_of("not a and b") == "(and (not a) b)");
  CHECK(tree_of("not a == b") == "(not (== a b))");
  CHECK(tree_of("not not a") == "(not (not a))");
  CHECK(tree_of("a == b + c") == "(== a (+ b c))");
  CHECK(tree_of("a + b * c") == "(+ a (* b c))");
  CHECK(tree_of("a * b + c") == "(+ (* a b) c)");
  CHECK(tree_of("-a * b") == "(* (neg a) b)");
  CHECK(tree_of("-a.b") == "(neg (. a b))");
  CHECK(tree_of("(a + b) * c") == "(* (+ a b) c)");
  CHECK(tree_of("a % b / c") == "(/ (% a b) c)");
}

TEST_CASE("binary operators associate to the left") {
  CHECK(tree_of("a - b - c") == "(- (- a b) c)");
  CHECK(tree_of("a / b / c") == "(/ (/ a b) c)");
  CHECK(tree_of("a or b or c") == "(or (or a b) c)");
  CHECK(tree_of("a and b and c") == "(and (and a b) c)");
  CHECK(tree_of("a ?? b ?? c") == "(?? (?? a b) c)");
}

TEST_CASE("comparisons") {
  CHECK(tree_of("a == b") == "(== a b)");
  CHECK(tree_of("a != b") == "(!= a b)");
  CHECK(tree_of("a < b") == "(< a b)");
  CHECK(tree_of("a <= b") == "(<= a b)");
  CHECK(tree_of("a > b") == "(> a b)");
  CHECK(tree_of("a >= b") == "(>= a b)");
  CHECK(tree_of("a in b") == "(in a b)");
  CHECK(tree_of("a not in [1, 2]") == "(not-in a [ 1 2])");
  CHECK(tree_of("a matches \"^x\"") == "(matches a \"^x\")");
  CHECK(tree_of("count(xs) between 10 and 20") == "(between (count() xs) 10 20)");
  CHECK(tree_of("x between 1 and 2 and y") == "(and (between x 1 2) y)");
  CHECK(tree_of("x between a + 1 and b * 2") == "(between x (+ a 1) (* b 2))");
  CHECK(tree_of("(a < b) == c") == "(== (< a b) c)");
  CHECK(tree_of("a < b and b < c") == "(and (< a b) (< b c))");
}

TEST_CASE("spans cover the whole source text of each node") {
  parsed p = expr("not  (a.b + 1) in xs");
  REQUIRE(p.ok);
  const auto& n = p.file.at(p.out.expression);
  CHECK(p.text_of(n.where) == "not  (a.b + 1) in xs");
  const auto& in = p.file.at(n.args[0]);
  CHECK(p.text_of(in.where) == "(a.b + 1) in xs");
  CHECK(p.text_of(in.args[0]) == "(a.b + 1)");
  CHECK(p.text_of(p.file.at(in.args[0]).args[0]) == "a.b");

  parsed q = expr("x between 1 and 9");
  REQUIRE(q.ok);
  CHECK(q.text_of(q.out.expression) == "x between 1 and 9");
  CHECK(q.text_of(q.file.at(q.out.expression).args[2]) == "9");
}

TEST_CASE("lists and comprehensions") {
  CHECK(tree_of("[]") == "[]");
  CHECK(tree_of("[1, \"a\", x.y]") == "[ 1 \"a\" (. x y)]");
  CHECK(tree_of("[1, 2,]") == "[ 1 2]");
  CHECK(tree_of("[[1], []]") == "[ [ 1] []]");
  CHECK(tree_of("[x.name for x in xs]") == "[(. x name) for x in xs]");
  CHECK(tree_of("[x for x in xs where x > 1]") == "[x for x in xs where (> x 1)]");
  CHECK(tree_of("[k for k, v in m]") == "[k for k,v in m]");
  parsed p = expr("[a, b ]");
  REQUIRE(p.ok);
  CHECK(p.text_of(p.out.expression) == "[a, b ]");
}

TEST_CASE("quantifiers") {
  CHECK(tree_of("all x in xs: x > 1") == "(all x in xs: (> x 1))");
  CHECK(tree_of("any org in p.orgs: org.sector == \"housing\"") ==
        "(any org in (. p orgs): (== (. org sector) \"housing\"))");
  CHECK(tree_of("none x in xs where x.a: x.b") == "(none x in xs where (. x a): (. x b))");
  CHECK(tree_of("all i, x in xs: i < 3") == "(all i,x in xs: (< i 3))");
  // The body reaches as far right as it can.
  CHECK(tree_of("all x in xs: a or b") == "(all x in xs: (or a b))");
  CHECK(tree_of("(all x in xs: a) or b") == "(or (all x in xs: a) b)");
  CHECK(tree_of("all x in xs: any y in x.ys: y") == "(all x in xs: (any y in (. x ys): y))");

  parsed p = expr("all i, x in xs where x: i");
  REQUIRE(p.ok);
  const auto& q = p.file.at(p.out.expression);
  CHECK(q.kind == ast::expr_kind::quantifier);
  CHECK(q.bind.key_name == "i");
  CHECK(q.bind.name == "x");
  CHECK(p.text_of(q.bind.key_span) == "i");
  CHECK(p.text_of(q.bind.name_span) == "x");
  CHECK(p.text_of(q.where) == "all i, x in xs where x: i");
}

TEST_CASE("aggregates and plain calls of aggregate names") {
  CHECK(tree_of("count(xs)") == "(count() xs)");
  CHECK(tree_of("count()") == "(count())");
  CHECK(tree_of("max(a, b)") == "(max() a b)");
  CHECK(tree_of("count(x in xs)") == "(count _ for x in xs)");
  CHECK(tree_of("count(x in xs where x.ok)") == "(count _ for x in xs where (. x ok))");
  CHECK(tree_of("sum(x.a for x in xs)") == "(sum (. x a) for x in xs)");
  CHECK(tree_of("avg(x.a * 2 for x in xs where x.b)") == "(avg (* (. x a) 2) for x in xs where (. x b))");
  CHECK(tree_of("min(v for k, v in m)") == "(min v for k,v in m)");
  CHECK(tree_of("count(count(x in xs) for xs in xss)") == "(count (count _ for x in xs) for xs in xss)");

  parsed p = expr("count(x in xs)");
  REQUIRE(p.ok);
  const auto& a = p.file.at(p.out.expression);
  CHECK(a.kind == ast::expr_kind::aggregate);
  CHECK(a.op == ast::op::count);
  REQUIRE(a.args.size() == 1);
  CHECK(a.args[0] == no_index);
  CHECK(p.text_of(a.where) == "count(x in xs)");
  CHECK(p.text_of(a.name_span) == "count");
}

TEST_CASE("first(x in xs where f): an aggregate whose element is the bound name") {
  CHECK(tree_of("first(o in orgs where o.id == x)") == "(first _ for o in orgs where (== (. o id) x))");
  CHECK(tree_of("first(o in orgs)") == "(first _ for o in orgs)");
  CHECK(tree_of("first(o in orgs where o.id == x).name ?? x") ==
        "(?? (. (first _ for o in orgs where (== (. o id) x)) name) x)");
  CHECK(tree_of("first.name") == "(. first name)");  // still a name where no '(' follows

  parsed p = expr("first(o in orgs)");
  REQUIRE(p.ok);
  const auto& a = p.file.at(p.out.expression);
  CHECK(a.kind == ast::expr_kind::aggregate);
  CHECK(a.op == ast::op::first);
  REQUIRE(a.args.size() == 1);
  CHECK(a.args[0] == no_index);
  CHECK(p.text_of(a.name_span) == "first");
}

TEST_CASE("if c then a else b: the loosest form, else with the nearest if") {
  CHECK(tree_of("if a then b else c") == "(if a b c)");
  CHECK(tree_of("if a and b then c + 1 else d ?? 0") == "(if (and a b) (+ c 1) (?? d 0))");
  CHECK(tree_of("if a then b else if c then d else e") == "(if a b (if c d e))");
  CHECK(tree_of("if a then if b then c else d else e") == "(if a (if b c d) e)");
  CHECK(tree_of("(if a then 1 else 2) + 3") == "(+ (if a 1 2) 3)");
  CHECK(tree_of("[if a then 1 else 2, 3]") == "[ (if a 1 2) 3]");
  CHECK(!expr("x ?? if a then 1 else 2").ok);  // an `if` inside an operand needs parentheses
  CHECK(tree_of("x ?? (if a then 1 else 2)") == "(?? x (if a 1 2))");

  parsed p = expr("if a then b else c");
  REQUIRE(p.ok);
  const auto& e = p.file.at(p.out.expression);
  CHECK(e.kind == ast::expr_kind::conditional);
  REQUIRE(e.args.size() == 3);
  CHECK(p.text_of(e.where) == "if a then b else c");

  auto no_else = only_error(expr("if a then b"));
  CHECK(no_else.code == "syntax");
  CHECK(no_else.column == 12);
  CHECK(no_else.message.find("'else'") != std::string::npos);
  auto no_then = only_error(expr("if a b else c"));
  CHECK(no_then.column == 6);
  CHECK(no_then.message.find("'then'") != std::string::npos);
}

TEST_CASE("whitespace, newlines and comments are insignificant in expressions") {
  parsed p = expr("a # first\n  and # second\n b");
  REQUIRE(p.ok);
  CHECK(p.tree() == "(and a b)");
  REQUIRE(p.file.comments.size() == 2);
  CHECK(p.text_of(p.file.comments[0]) == "# first");
}

// ------------------------------------------------------------------------------------------------
// Templates
// ------------------------------------------------------------------------------------------------

TEST_CASE("templates: text, holes, escapes and doubled braces") {
  parsed p("team {team.id} has {count(team.members)} members {{ok}} \\u{41}\\n", parse_mode::text_template);
  INFO(p.errors());
  REQUIRE(p.ok);
  REQUIRE(p.out.text);
  const auto& t = *p.out.text;
  REQUIRE(t.parts.size() == 5);
  CHECK(t.parts[0].text == "team ");
  CHECK(p.text_of(t.parts[0].where) == "team ");
  CHECK(t.parts[1].is_expr);
  CHECK(show(p.file, t.parts[1].value) == "(. team id)");
  CHECK(p.text_of(t.parts[1].value) == "team.id");
  CHECK(p.text_of(t.parts[1].where) == "{team.id}");
  CHECK(t.parts[2].text == " has ");
  CHECK(show(p.file, t.parts[3].value) == "(count() (. team members))");
  CHECK(t.parts[4].text == " members {ok} A\n");
  CHECK(t.where.begin == 0);
  CHECK(t.where.end == p.src.text().size());
}

TEST_CASE("templates in rule files: string literals inside holes, adjacent literals joined") {
  parsed p = file(
      "rule r {\n"
      "  require x\n"
      "  message \"{x ?? \"none\"} and \" # a comment between\n"
      "          \"more {y}\"\n"
      "}\n");
  INFO(p.errors());
  REQUIRE(p.ok);
  REQUIRE(p.file.rules.size() == 1);
  const auto& m = *p.file.rules[0].message;
  REQUIRE(m.parts.size() == 3);
  CHECK(show(p.file, m.parts[0].value) == "(?? x \"none\")");
  CHECK(p.text_of(m.parts[0].value) == "x ?? \"none\"");
  CHECK(m.parts[1].text == " and more ");
  CHECK(show(p.file, m.parts[2].value) == "y");
  CHECK(p.text_of(m.where) == "\"{x ?? \"none\"} and \" # a comment between\n          \"more {y}\"");
  CHECK(p.file.comments.size() == 1);
}

// ------------------------------------------------------------------------------------------------
// Rule files
// ------------------------------------------------------------------------------------------------

const char* const example =
    "package integration.workforce\n"
    "uses partnership\n"
    "\n"
    "rule senior-leaver-replacement \"Never replace a senior leaver \"\n"
    "                               \"with a single-organisation role\" {\n"
    "  severity  error                       # error | warning | info\n"
    "  tags      [leadership, workforce, \"cross cutting\",]\n"
    "  source    \"Public Service Transformation Academy\"\n"
    "  rationale \"A senior post pulls the system {{back}} into silos.\"\n"
    "  remedy    \"Recruit to a system-wide or joint post.\"\n"
    "\n"
    "  for each leaver in partnership.leavers\n"
    "    where leaver.seniority == \"senior\"\n"
    "  require leaver.replacement.scope != \"single-organisation\"\n"
    "  message \"{leaver.name} left a senior post ({leaver.replacement.title})\"\n"
    "}\n";

TEST_CASE("the example rule file") {
  parsed p = file(example);
  INFO(p.errors());
  REQUIRE(p.ok);
  const auto& f = p.file;
  CHECK(f.origin == "t.jup");
  CHECK(f.package == "integration.workforce");
  CHECK(p.text_of(f.package_span) == "integration.workforce");
  REQUIRE(f.uses.size() == 1);
  CHECK(f.uses[0].first == "partnership");
  CHECK(p.text_of(f.uses[0].second) == "partnership");
  REQUIRE(f.rules.size() == 1);
  const auto& r = f.rules[0];
  CHECK(r.id == "senior-leaver-replacement");
  CHECK(p.text_of(r.id_span) == "senior-leaver-replacement");
  CHECK(r.title == "Never replace a senior leaver with a single-organisation role");
  CHECK(p.text_of(r.where).substr(0, 10) == "rule senio");
  CHECK(p.text_of(r.where).back() == '}');
  CHECK(r.severity == "error");
  CHECK(p.text_of(r.severity_span) == "error");
  REQUIRE(r.tags.size() == 3);
  CHECK(r.tags[0].first == "leadership");
  CHECK(r.tags[2].first == "cross cutting");
  CHECK(p.text_of(r.tags[2].second) == "\"cross cutting\"");
  CHECK(r.source == "Public Service Transformation Academy");
  REQUIRE(r.rationale);
  REQUIRE(r.rationale->parts.size() == 1);
  CHECK(r.rationale->parts[0].text == "A senior post pulls the system {back} into silos.");
  REQUIRE(r.remedy);
  CHECK(r.when == no_index);
  REQUIRE(r.steps.size() == 1);
  const auto& s = r.steps[0];
  CHECK(s.what == ast::step::kind::for_each);
  CHECK(s.for_each.name == "leaver");
  CHECK(s.for_each.key_name.empty());
  CHECK(show(f, s.for_each.collection) == "(. partnership leavers)");
  CHECK(show(f, s.for_each.filter) == "(== (. leaver seniority) \"senior\")");
  CHECK(p.text_of(s.where) == "for each leaver in partnership.leavers\n    where leaver.seniority == \"senior\"");
  REQUIRE(r.requires_.size() == 1);
  CHECK(show(f, r.requires_[0].condition) == "(!= (. (. leaver replacement) scope) \"single-organisation\")");
  CHECK(p.text_of(r.requires_[0].where) == "require leaver.replacement.scope != \"single-organisation\"");
  CHECK(!r.requires_[0].message);
  REQUIRE(r.message);  // after the last require: the rule's message
  REQUIRE(r.message->parts.size() == 4);
  CHECK(show(f, r.message->parts[0].value) == "(. leaver name)");
  CHECK(r.message->parts[1].text == " left a senior post (");
  CHECK(r.message->parts[3].text == ")");
  REQUIRE(f.comments.size() == 1);
  CHECK(p.text_of(f.comments[0]) == "# error | warning | info");
}

TEST_CASE("a message after a require belongs to it, except after the last require") {
  parsed p = file(
      "rule r {\n"
      "  when a\n"
      "  let n = count(xs)\n"
      "  for each i, x in xs\n"
      "  let y = x.y\n"
      "  require n > 0 message \"first\"\n"
      "  require y\n"
      "  require z message \"third\"\n"
      "}\n");
  INFO(p.errors());
  REQUIRE(p.ok);
  const auto& r = p.file.rules[0];
  CHECK(show(p.file, r.when) == "a");
  REQUIRE(r.steps.size() == 3);
  CHECK(r.steps[0].what == ast::step::kind::let);
  CHECK(r.steps[0].let.name == "n");
  CHECK(p.text_of(r.steps[0].let.name_span) == "n");
  CHECK(show(p.file, r.steps[0].let.value) == "(count() xs)");
  CHECK(p.text_of(r.steps[0].where) == "let n = count(xs)");
  CHECK(r.steps[1].for_each.key_name == "i");
  CHECK(r.steps[1].for_each.name == "x");
  CHECK(r.steps[2].let.name == "y");
  REQUIRE(r.requires_.size() == 3);
  REQUIRE(r.requires_[0].message);
  CHECK(r.requires_[0].message->parts[0].text == "first");
  CHECK(!r.requires_[1].message);
  CHECK(!r.requires_[2].message);
  REQUIRE(r.message);
  CHECK(r.message->parts[0].text == "third");
  CHECK(!r.title);
  CHECK(!r.severity);
}

TEST_CASE("several rules, uses lists, metadata words as names") {
  parsed p = file(
      "uses vacancy, leaver\n"
      "uses partnership\n"
      "rule a { require vacancy.open }\n"
      "rule b_2 \"Two\" { severity info let source = leaver.source require source != null }\n");
  INFO(p.errors());
  REQUIRE(p.ok);
  CHECK(!p.file.package);
  REQUIRE(p.file.uses.size() == 3);
  CHECK(p.file.uses[2].first == "partnership");
  REQUIRE(p.file.rules.size() == 2);
  CHECK(p.file.rules[1].id == "b_2");
  CHECK(p.file.rules[1].severity == "info");
  CHECK(p.file.rules[1].steps[0].let.name == "source");
}

TEST_CASE("an empty file, and one with only comments") {
  parsed p = file("");
  CHECK(p.ok);
  parsed q = file("# nothing here\n# at all\n");
  CHECK(q.ok);
  CHECK(q.file.comments.size() == 2);
}

// ------------------------------------------------------------------------------------------------
// Errors
// ------------------------------------------------------------------------------------------------

TEST_CASE("'=' where an expression continues") {
  parsed p = file("rule a {\n  require x = 1\n}\n");
  auto d = only_error(p);
  CHECK(d.code == "syntax");
  CHECK(d.message == "'=' is not a comparison");
  CHECK(d.help == "did you mean '=='?");
  CHECK(d.line == 2);
  CHECK(d.column == 13);
  CHECK(d.length == 1);

  auto e = only_error(expr("a.b = 3"));
  CHECK(e.message == "'=' is not a comparison");
  CHECK(e.column == 5);
  auto w = only_error(file("rule a { for each x in xs where x.a = 1 require x }"));
  CHECK(w.message == "'=' is not a comparison");
  // `let x = ...` is fine.
  CHECK(file("rule a { let x = 1 require x == 1 }").ok);
}

TEST_CASE("unterminated strings are reported at the opening quote") {
  parsed p = file("rule a {\n  require x == \"abc\n}\n");
  auto d = only_error(p);
  CHECK(d.code == "unterminated-string");
  CHECK(d.message == "unterminated string");
  CHECK(d.help == "strings end on the line they start; close it with '\"'");
  CHECK(d.line == 2);
  CHECK(d.column == 16);
  CHECK(d.length == 4);

  auto t = only_error(file("rule a {\n  require x\n  message \"{x} left\n}\n"));
  CHECK(t.code == "unterminated-string");
  CHECK(t.column == 11);
  auto h = only_error(file("rule a {\n  require x\n  message \"{x left\"\n}\n"));
  CHECK(h.code == "unbalanced");
  CHECK(h.message == "unclosed '{' in a template");
  CHECK(h.column == 12);
  auto e = only_error(expr("\"abc"));
  CHECK(e.code == "unterminated-string");
}

TEST_CASE("unbalanced brackets") {
  auto open = only_error(file("rule a {\n  require x\n"));
  CHECK(open.code == "unbalanced");
  CHECK(open.message == "unclosed '{'");
  CHECK(open.help == "add a matching '}'");
  CHECK(open.line == 1);
  CHECK(open.column == 8);

  auto stray = only_error(file("rule a {\n  require x\n}\n}\n"));
  CHECK(stray.code == "unbalanced");
  CHECK(stray.message == "unexpected '}'");
  CHECK(stray.line == 4);
  CHECK(stray.column == 1);

  auto wrong = only_error(file("rule a {\n  require f(x]\n}\n"));
  CHECK(wrong.code == "unbalanced");
  CHECK(wrong.message == "'(' closed by ']'");
  CHECK(wrong.line == 2);
  CHECK(wrong.column == 14);
  CHECK(wrong.help == "the '(' on line 2 needs a matching ')'");

  auto paren = only_error(expr("(a + b"));
  CHECK(paren.message == "unclosed '('");
  CHECK(paren.column == 1);
}

TEST_CASE("expectation failures say what was expected and what was found") {
  auto e1 = only_error(file("rule a {\n  require\n}\n"));
  CHECK(e1.code == "syntax");
  CHECK(e1.message == "expected an expression but found '}'");
  CHECK(e1.line == 3);
  CHECK(e1.column == 1);

  auto e2 = only_error(file("rule a { for each x of xs require x }"));
  CHECK(e2.message == "expected 'in' but found 'of'");
  CHECK(e2.column == 21);
  CHECK(e2.length == 2);

  auto e3 = only_error(file("rule a\n  require x\n"));
  CHECK(e3.message == "expected '{' after the rule id");

  auto e4 = only_error(file("rule 9a { require x }"));
  CHECK(e4.message == "expected a rule id but found '9a'");

  auto e5 = only_error(expr("all x in xs x > 1"));
  CHECK(e5.message == "expected ':' but found 'x'");
  CHECK(e5.column == 13);

  auto e6 = only_error(expr("a + ("));
  CHECK(e6.message == "unclosed '('");
  auto e16 = only_error(expr("f(a, )"));
  CHECK(e16.message == "expected an expression but found ')'");

  auto e7 = only_error(expr("x between 1 or 2"));
  CHECK(e7.message == "expected 'and' (as in 'x between 1 and 9') but found 'or'");

  auto e8 = only_error(expr("f(a b)"));
  CHECK(e8.message == "expected ')' but found 'b'");

  auto e9 = only_error(expr("a.3"));
  CHECK(e9.message == "expected a field name after '.' but found '3'");

  auto e10 = only_error(expr("a b"));
  CHECK(e10.message == "expected the end of the expression but found 'b'");

  auto e12 = only_error(file("uses a, 3\nrule a { require x }"));
  CHECK(e12.message == "expected a name but found '3'");
  auto e13 = only_error(file("uses\nrule a { require x }"));
  CHECK(e13.message == "expected a name but found 'rule'");
  auto e14 = only_error(file("rule a { for each x in xs where require x }"));
  CHECK(e14.message == "expected an expression but found 'require'");
  auto e15 = only_error(file("rule a { tags [a b] require x }"));
  CHECK(e15.message == "expected ',' or ']' but found 'b'");

  auto e11 = only_error(file("rule a { let require = 1 require x }"));
  CHECK(e11.message == "expected a name but found 'require'");
}

TEST_CASE("unknown words in a rule body") {
  auto d = only_error(file("rule a {\n  requre x\n}\n"));
  CHECK(d.code == "syntax");
  CHECK(d.message == "unexpected 'requre'");
  CHECK(d.help == "did you mean 'require'?");
  CHECK(d.line == 2);
  CHECK(d.column == 3);
  CHECK(d.length == 6);

  auto junk = only_error(file("rule a { require x y }"));
  CHECK(junk.message == "unexpected 'y'");
  CHECK(junk.help.starts_with("a rule body holds"));

  auto header = only_error(file("packge a.b\nrule a { require x }"));
  CHECK(header.message == "unexpected 'packge'");
  CHECK(header.help.starts_with("did you mean 'package'?"));

  auto after = only_error(file("rule a { require x } extra"));
  CHECK(after.message == "unexpected 'extra' after the rule");
  auto uses = only_error(file("rule a { require x }\nuses y\n"));
  CHECK(uses.message == "unexpected 'uses' after the rule");
  CHECK(uses.help == "'uses' must come before the first rule");
}

TEST_CASE("metadata errors") {
  auto sev = only_error(file("rule a {\n  severity fatal\n  require x\n}\n"));
  CHECK(sev.code == "invalid-severity");
  CHECK(sev.message == "unknown severity 'fatal'");
  CHECK(sev.help == "expected error, warning or info");
  CHECK(sev.line == 2);
  CHECK(sev.column == 12);

  auto dup = only_error(file("rule a {\n  severity error\n  tags [a]\n  severity info\n  require x\n}\n"));
  CHECK(dup.code == "duplicate-metadata");
  CHECK(dup.message == "'severity' given twice");
  CHECK(dup.help == "it was first given on line 2; keep one");
  CHECK(dup.line == 4);
  CHECK(dup.column == 3);

  auto late = only_error(file("rule a {\n  require x\n  source \"s\"\n}\n"));
  CHECK(late.code == "misplaced-clause");
  CHECK(late.message == "'source' must come before the rule body");
}

TEST_CASE("clauses out of order") {
  auto let = only_error(file("rule a {\n  require x\n  let y = 1\n}\n"));
  CHECK(let.code == "misplaced-clause");
  CHECK(let.message == "'let' cannot come after 'require'");
  CHECK(let.help ==
        "a rule body goes: when, then let and for each, then require (each may have a message), then the rule's "
        "message");
  CHECK(let.line == 3);

  auto each = only_error(file("rule a {\n  require x\n  for each y in ys\n  require y\n}\n"));
  CHECK(each.message == "'for each' cannot come after 'require'");

  auto when = only_error(file("rule a {\n  let y = 1\n  when y\n  require x\n}\n"));
  CHECK(when.code == "misplaced-clause");
  CHECK(when.message == "'when' must come first in the rule body");
  CHECK(when.line == 3);
  CHECK(when.column == 3);

  auto msg = only_error(file("rule a {\n  message \"m\"\n  require x\n}\n"));
  CHECK(msg.code == "misplaced-clause");
  CHECK(msg.message == "'message' must follow a 'require'");

  auto twice = only_error(file("rule a {\n  require x message \"a\" message \"b\"\n}\n"));
  CHECK(twice.code == "misplaced-clause");

  auto none = only_error(file("rule a {\n  severity error\n}\n"));
  CHECK(none.code == "syntax");
  CHECK(none.message == "rule 'a' has no 'require'");
  CHECK(none.column == 6);
}

TEST_CASE("chained comparisons") {
  auto d = only_error(expr("a < b < c"));
  CHECK(d.code == "chained-comparison");
  CHECK(d.help == "combine comparisons with 'and', as in 'a < b and b < c'");
  CHECK(d.column == 7);
  CHECK(only_error(expr("a == b != c")).column == 8);
  CHECK(only_error(expr("a in b between 1 and 2")).code == "chained-comparison");
  CHECK(expr("(a < b) < c").ok);
}

TEST_CASE("literal errors") {
  auto esc = only_error(expr("\"a\\qb\""));
  CHECK(esc.code == "invalid-escape");
  CHECK(esc.message == "invalid escape '\\q'");
  CHECK(esc.column == 3);
  CHECK(esc.length == 2);
  CHECK(only_error(expr("\"\\u{110000}\"")).code == "invalid-escape");
  CHECK(only_error(expr("\"\\u{D800}\"")).code == "invalid-escape");
  CHECK(only_error(expr("\"\\u{}\"")).code == "invalid-escape");
  CHECK(only_error(expr("\"\\u41\"")).code == "invalid-escape");
  auto tmpl = only_error(parsed("a \\x b", parse_mode::text_template));
  CHECK(tmpl.code == "invalid-escape");
  CHECK(tmpl.column == 3);

  auto date = only_error(expr("x > @2026-02-30"));
  CHECK(date.code == "invalid-date");
  CHECK(date.message == "'@2026-02-30' is not a date");
  CHECK(date.column == 5);
  CHECK(date.length == 11);
  CHECK(only_error(expr("@2026-1-1")).code == "invalid-date");

  auto big = only_error(expr("9223372036854775808"));
  CHECK(big.code == "invalid-number");
  CHECK(big.message == "'9223372036854775808' is too large for an integer");
  CHECK(only_error(expr("1__0")).code == "invalid-number");
  CHECK(only_error(expr("1_")).code == "invalid-number");
  CHECK(only_error(expr("12abc")).code == "invalid-number");
  CHECK(only_error(expr("1e999")).code == "invalid-number");

  auto brace = only_error(parsed("a } b", parse_mode::text_template));
  CHECK(brace.code == "syntax");
  CHECK(brace.message == "unmatched '}' in a template");
  CHECK(brace.help == "write '}}' for a literal '}'");
  auto hole = only_error(parsed("a {} b", parse_mode::text_template));
  CHECK(hole.message == "expected an expression but found '}'");
  auto unclosed = only_error(parsed("a {x b", parse_mode::text_template));
  CHECK(unclosed.code == "unbalanced");
}

TEST_CASE("every broken rule is reported, and the good ones still parse") {
  parsed p = file(
      "package p\n"
      "rule one {\n"
      "  requre x\n"
      "}\n"
      "rule two {\n"
      "  require a == \"b\n"
      "}\n"
      "rule good { require ok }\n"
      "rule three {\n"
      "  severity fatal\n"
      "  require a < b < c\n"
      "}\n"
      "rule four {\n"
      "  require (x\n"
      "rule five { require y }\n");
  INFO(p.errors());
  CHECK(!p.ok);
  REQUIRE(p.diags.size() == 5);
  CHECK(p.diags[0].line == 3);
  CHECK(p.diags[0].message == "unexpected 'requre'");
  CHECK(p.diags[1].line == 6);
  CHECK(p.diags[1].code == "unterminated-string");
  CHECK(p.diags[2].line == 10);
  CHECK(p.diags[2].code == "invalid-severity");
  CHECK(p.diags[3].line == 11);
  CHECK(p.diags[3].code == "chained-comparison");
  CHECK(p.diags[4].line == 14);
  CHECK(p.diags[4].message == "unclosed '('");
  std::vector<std::string> ids;
  for (const auto& r : p.file.rules) ids.push_back(r.id);
  CHECK(ids == std::vector<std::string>{"good", "three", "five"});
  CHECK(p.file.package == "p");
}

TEST_CASE("deep nesting is refused before it can exhaust the stack") {
  for (const char* open : {"(", "[", "not ", "-", "all x in xs: "}) {
    std::string text;
    for (int i = 0; i < 100000; ++i) text += open;
    text += "x";
    auto d = only_error(expr(text));
    CHECK(d.code == "too-deep");
    CHECK(d.message == "too deeply nested");
  }
  std::string rule = "rule a { require ";
  for (int i = 0; i < 100000; ++i) rule += "[";
  rule += " }\nrule b { require x }\n";
  parsed p = file(rule);
  auto d = only_error(p);
  CHECK(d.code == "too-deep");
  CHECK(p.file.rules.size() == 1);  // rule b still parses
}

TEST_CASE("nesting up to the limit parses") {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "(";
  text += "x";
  for (int i = 0; i < 200; ++i) text += ")";
  CHECK(expr(text).ok);

  std::string list;
  for (int i = 0; i < 199; ++i) list += "[";
  for (int i = 0; i < 199; ++i) list += "]";
  CHECK(expr(list).ok);

  std::string mixed;
  for (int i = 0; i < 40; ++i) mixed += "not (- [all x in xs: ";  // 5 levels each
  mixed += "x";
  for (int i = 0; i < 40; ++i) mixed += "])";
  CHECK(expr(mixed).ok);
  CHECK(only_error(expr("not " + mixed)).code == "too-deep");

  std::string deeper = "(" + text + ")";
  CHECK(only_error(expr(deeper)).code == "too-deep");

  syntax::parse_limits small;
  small.max_nesting = 3;
  CHECK(parsed("((x))", parse_mode::expression, small).ok);
  CHECK(!parsed("((((x))))", parse_mode::expression, small).ok);
}

TEST_CASE("long operator chains are refused as too deep a tree, not a crash") {
  std::string text = "a";
  for (int i = 0; i < 100000; ++i) text += " + a";
  auto d = only_error(expr(text));
  CHECK(d.code == "too-deep");
  CHECK(d.message == "expression too deeply nested");

  std::string ok = "a";
  for (int i = 0; i < 300; ++i) ok += " + a";
  CHECK(expr(ok).ok);
}

TEST_CASE("random token soup never crashes, and errors come with positions") {
  static const char* const pieces[] = {
      "rule",       " r",    "{",    "}",        "(",           ")",        "[",      "]",    "require", "message",
      "\"t {x} \"", "\"s\"", "\"",   "{",        "}}",          "let",      "=",      "==",   "x",       ".",
      "a",          "for",   "each", "in",       "where",       "all",      "count(", "sum",  ":",       ",",
      "not",        "-",     "+",    "*",        "@2026-01-01", "@x",       "1_0",    "1e",   "??",      "between",
      "and",        "or",    "#c\n", "\n",       " ",           "severity", "error",  "tags", "source",  "package",
      "uses",       "\\",    "\\u{", "\xC3\xA9", "<",           "<",        "when"};
  std::uint32_t seed = 12345;
  auto next = [&] {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 16) & 0x7FFF;
  };
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const auto n = next() % 40;
    for (std::uint32_t i = 0; i < n; ++i) text += pieces[next() % (sizeof pieces / sizeof *pieces)];
    for (auto mode : {parse_mode::rule_file, parse_mode::expression, parse_mode::text_template}) {
      parsed p(text, mode);
      INFO(text);
      CHECK(p.ok == p.diags.empty());
      for (const auto& d : p.diags) {
        CHECK(d.line >= 1);
        CHECK(d.column >= 1);
        CHECK(!d.message.empty());
        CHECK(!d.code.empty());
      }
      for (const auto& e : p.file.exprs) CHECK(e.where.end <= text.size());
    }
  }
}

TEST_CASE("matches is both an operator and a function", "[parse]") {
  CHECK(tree_of("matches(s, \"^a\")") == "(matches() s \"^a\")");
  CHECK(tree_of("s matches \"^a\"") == "(matches s \"^a\")");
  CHECK(tree_of("not matches (s, \"x\")") == "(not (matches() s \"x\"))");
}

// ------------------------------------------------------------------------------------------------
// Diagnostics that name the most likely real mistake
// ------------------------------------------------------------------------------------------------

TEST_CASE("a missing '{' after the rule header is reported there, not at the stray '}'") {
  auto d = only_error(file("rule a \"Every team has a lead\"\n  require x\n}\n"));
  CHECK(d.code == "syntax");
  CHECK(d.message == "expected '{' after the rule title");
  CHECK(d.help == "add '{' to open the rule body");
  CHECK(d.line == 1);
  CHECK(d.column == 31);

  auto id = only_error(file("rule a\n  require x\n}\n"));
  CHECK(id.message == "expected '{' after the rule id");
  CHECK(id.column == 7);

  auto same_line = only_error(file("rule a \"t\" require x }"));
  CHECK(same_line.message == "expected '{' after the rule title but found 'require'");
  CHECK(same_line.help == "add '{' before it to open the rule body");
  auto untitled = only_error(file("rule r require true"));
  CHECK(untitled.message == "expected '{' after the rule id but found 'require'");
  CHECK(untitled.help == "add '{' before it to open the rule body");

  // The next rule still parses; a stray '}' after a complete rule is still reported as such.
  parsed p = file("rule a \"t\"\n  require x\n}\nrule b { require y }\n");
  CHECK(only_error(p).line == 1);
  CHECK(p.file.rules.size() == 1);
  CHECK(only_error(file("rule a { require x }\n}\n")).message == "unexpected '}'");
}

TEST_CASE("a title missing its opening quote is reported at its first word") {
  auto d = only_error(file("rule a Every team has a lead\" {\n  require x\n}\n"));
  CHECK(d.code == "syntax");
  CHECK(d.message == "expected a title string or '{' but found 'Every'");
  CHECK(d.help == "put the title in double quotes");
  CHECK(d.line == 1);
  CHECK(d.column == 8);
  CHECK(d.length == 5);
  // A title missing its closing quote is still an unterminated string.
  CHECK(only_error(file("rule a \"Every team {\n  require x\n}\n")).code == "unterminated-string");
}

TEST_CASE("misspelt clause words suggest the clause") {
  for (const char* w : {"foreach", "forEach", "for_each", "each"})
    CHECK(only_error(file(std::string("rule a {\n  ") + w + " x in xs\n  require x\n}\n")).help ==
          "did you mean 'for each'?");
  CHECK(only_error(file("rule a {\n  requires x\n}\n")).help == "did you mean 'require'?");
  CHECK(only_error(file("rule a {\n  require x\n  msg \"m\"\n}\n")).help == "did you mean 'message'?");
  CHECK(only_error(file("rule a {\n  require x\n  mesage \"m\"\n}\n")).help == "did you mean 'message'?");
  CHECK(only_error(file("rule a {\n  for each x in xs\n    wehre x.a\n  require x\n}\n")).help ==
        "did you mean 'where'?");
  auto d = only_error(file("rule a {\n  foreach x in xs\n  require x\n}\n"));
  CHECK(d.message == "unexpected 'foreach'");
  CHECK(d.line == 2);
  CHECK(d.length == 7);
}

TEST_CASE("C-style operators name the joinup operator") {
  auto d = only_error(file("rule a {\n  require x && y\n}\n"));
  CHECK(d.code == "syntax");
  CHECK(d.message == "'&&' is not an operator");
  CHECK(d.help == "did you mean 'and'?");
  CHECK(d.line == 2);
  CHECK(d.column == 13);
  CHECK(d.length == 2);
  CHECK(only_error(expr("a || b")).help == "did you mean 'or'?");
  auto bang = only_error(expr("!a"));
  CHECK(bang.message == "'!' is not an operator");
  CHECK(bang.help == "did you mean 'not'?");
  auto triple = only_error(expr("a === b"));
  CHECK(triple.message == "'===' is not an operator");
  CHECK(triple.help == "did you mean '=='?");
  CHECK(triple.column == 3);
  CHECK(triple.length == 3);
  CHECK(only_error(expr("a !== b")).help == "did you mean '!='?");
  CHECK(only_error(expr("a <> b")).help == "did you mean '!='?");
  CHECK(only_error(file("rule a { require (x && y) }")).message == "'&&' is not an operator");
}

TEST_CASE("single-quoted strings") {
  auto d = only_error(file("rule a {\n  require x == 'senior'\n}\n"));
  CHECK(d.code == "syntax");
  CHECK(d.message == "strings use double quotes");
  CHECK(d.help == "write \"senior\"");
  CHECK(d.column == 16);
  CHECK(d.length == 8);
  auto open = only_error(expr("x == 'senior"));
  CHECK(open.help == "write strings in double quotes");
  CHECK(open.length == 1);
}

TEST_CASE("a 'when' given twice names the first") {
  auto d = only_error(file("rule a {\n  when x\n  when y\n  require z\n}\n"));
  CHECK(d.code == "misplaced-clause");
  CHECK(d.message == "'when' given twice");
  CHECK(d.help == "it was first given on line 2; combine the conditions with 'and'");
  CHECK(d.line == 3);
  CHECK(d.column == 3);
}

TEST_CASE("a rule id starting with a digit is underlined whole") {
  auto d = only_error(file("rule 10-to-20 \"t\" { require x }"));
  CHECK(d.message == "expected a rule id but found '10-to-20'");
  CHECK(d.help == "rule ids start with a letter");
  CHECK(d.column == 6);
  CHECK(d.length == 8);
  auto untitled = only_error(file("rule \"Title\" { require x }"));
  CHECK(untitled.help == "a rule's id comes before its title: rule ID \"TITLE\" {");
}

TEST_CASE("a string in a template hole that takes the hole's '}'") {
  auto d = only_error(file("rule a {\n  require x\n  message \"{x ?? \"none}\"\n}\n"));
  CHECK(d.code == "unbalanced");
  CHECK(d.message == "unclosed '{' in a template: its '}' is inside a string");
  CHECK(d.help == "inside {...} a '\"' starts a string; end it before the '}', as in \"none\"}");
  CHECK(d.line == 3);
  CHECK(d.column == 18);
  CHECK(d.length == 7);
  // The first such string is the one that took it.
  auto two = only_error(file("rule a {\n  require x\n  message \"{a ?? \"b}\" and \"{c}\"\n}\n"));
  CHECK(two.column == 18);
  CHECK(two.help.ends_with("as in \"b\"}"));
  // A hole that is simply not closed keeps the plain wording.
  CHECK(only_error(file("rule a {\n  require x\n  message \"{x left\"\n}\n")).message == "unclosed '{' in a template");
}

TEST_CASE("invalid unicode escapes say why") {
  CHECK(only_error(expr("\"\\u{110000}\"")).help == "the largest code point is \\u{10FFFF}");
  CHECK(only_error(expr("\"\\u{DC00}\"")).help == "\\u{D800} to \\u{DFFF} are surrogate code points, not characters");
  CHECK(only_error(expr("\"\\u{1234567}\"")).help ==
        "write \\u{...} with 1 to 6 hex digits naming a Unicode character");
  CHECK(only_error(expr("\"\\u{110000\"")).help == "write \\u{...} with 1 to 6 hex digits naming a Unicode character");
  CHECK(expr("\"\\u{10FFFF}\"").ok);
}

TEST_CASE("a second message on one require names the first") {
  auto d = only_error(file("rule a {\n  require x\n    message \"a\"\n    message \"b\"\n}\n"));
  CHECK(d.code == "misplaced-clause");
  CHECK(d.message == "'message' given twice");
  CHECK(d.help == "it was first given on line 3; a 'require' takes one message");
  CHECK(d.line == 4);
}

TEST_CASE("a trailing operator is reported at the operator") {
  auto d = only_error(file("rule a {\n  require x and\n}\n"));
  CHECK(d.code == "syntax");
  CHECK(d.message == "'and' needs an expression on its right");
  CHECK(d.line == 2);
  CHECK(d.column == 13);
  CHECK(d.length == 3);
  CHECK(only_error(expr("a +")).message == "'+' needs an expression on its right");
  CHECK(only_error(expr("f(a >=)")).message == "'>=' needs an expression on its right");
  CHECK(only_error(file("rule a {\n  require not\n}\n")).message == "'not' needs an expression on its right");
  // Something else where the right side should be is still named.
  CHECK(only_error(file("rule a { require x and require y }")).message == "expected an expression but found 'require'");
}

TEST_CASE("help lines for common slips") {
  auto let = only_error(file("rule a {\n  let x == 1\n  require x\n}\n"));
  CHECK(let.message == "expected '=' but found '=='");
  CHECK(let.help == "a let takes a single '='");
  auto colon = only_error(expr("any x in xs x > 1"));
  CHECK(colon.help == "a quantifier reads 'any x in xs: condition'; add ':' before the condition");
  auto of = only_error(file("rule a { for each x of xs require x }"));
  CHECK(of.help == "did you mean 'in'?");
  auto tags = only_error(file("rule a {\n  tags [teams leadership]\n  require x\n}\n"));
  CHECK(tags.message == "expected ',' or ']' but found 'leadership'");
  CHECK(tags.help == "separate tags with ','");
  CHECK(tags.column == 15);
  CHECK(only_error(file("rule a { tags teams require x }")).help == "tags are a list: tags [a, b]");
}

TEST_CASE("nesting in a rule file: the rule's own braces do not count") {
  std::string ok = "rule a { require ";
  for (int i = 0; i < 200; ++i) ok += "(";
  ok += "x";
  for (int i = 0; i < 200; ++i) ok += ")";
  ok += " }";
  CHECK(file(ok).ok);

  std::string deep = "rule a { require ";
  for (int i = 0; i < 201; ++i) deep += "(";
  deep += "x";
  for (int i = 0; i < 201; ++i) deep += ")";
  deep += " }";
  auto d = only_error(file(deep));
  CHECK(d.code == "too-deep");
  CHECK(d.column == 18 + 200);  // the 201st '('
  CHECK(d.help == "brackets, 'not', '-' and quantifiers may nest at most 200 levels deep");
}

TEST_CASE("an unclosed rule body names the line of the next rule") {
  auto d = only_error(file("rule a {\n  require x\n\nrule b { require y }\n"));
  CHECK(d.message == "unclosed '{'");
  CHECK(d.help == "add the rule's closing '}' before the next rule, which starts on line 4");
  CHECK(d.line == 1);
  CHECK(only_error(file("rule a {\n  require x\n")).help == "add a matching '}'");
}
