#include "types/types.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "diag/codes.hpp"
#include "diag/text.hpp"

namespace joinup::types {

namespace {
using node_id = document::node_id;
constexpr node_id none = document::npos;
constexpr std::uint8_t k_ordered = k_number | k_string | k_date;
constexpr std::uint8_t k_collection = k_list | k_map;

// A string a data file would load as a date (language.md §8): exactly YYYY-MM-DD.
bool date_like(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}
}  // namespace

type any() { return {}; }

type of_kinds(std::uint8_t kinds) {
  type t;
  t.kinds = kinds;
  return t;
}

type unite(const type& a, const type& b) {
  type t;
  t.kinds = a.kinds | b.kinds;
  const bool a_str = a.kinds & k_string, b_str = b.kinds & k_string;
  if (a_str && b_str) {
    t.enumerated = a.enumerated && b.enumerated;
  } else {
    t.enumerated = a_str ? a.enumerated : b.enumerated;
  }
  if (t.enumerated) {
    t.strings = a.strings;
    for (const auto& s : b.strings)
      if (std::find(t.strings.begin(), t.strings.end(), s) == t.strings.end()) t.strings.push_back(s);
  }
  t.nodes = a.nodes;
  for (auto n : b.nodes)
    if (std::find(t.nodes.begin(), t.nodes.end(), n) == t.nodes.end()) t.nodes.push_back(n);
  if (a.element && b.element) t.element = std::make_shared<const type>(unite(*a.element, *b.element));
  return t;
}

std::string describe(std::uint8_t kinds) {
  static constexpr std::pair<std::uint8_t, const char*> words[] = {
      {k_null, "null"},   {k_boolean, "a boolean"}, {k_number, "a number"}, {k_string, "a string"},
      {k_date, "a date"}, {k_list, "a list"},       {k_map, "a map"},
  };
  std::vector<const char*> parts;
  for (const auto& [bit, word] : words)
    if (kinds & bit) parts.push_back(word);
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i)
    out += (i == 0 ? "" : i + 1 == parts.size() ? " or " : ", ") + std::string(parts[i]);
  return out.empty() ? "nothing" : out;
}

// ---- the schema -----------------------------------------------------------------------------

node_id schema_types::get(node_id n, std::string_view key) const {
  if (n == none || s_.kind(n) != value_kind::map) return none;
  return s_.find(n, key);
}

node_id schema_types::resolve(node_id n) const {
  for (int guard = 0; guard < 64 && n != none; ++guard) {
    const auto ref = get(n, "$ref");
    if (ref == none || s_.kind(ref) != value_kind::string) return n;
    const std::string_view r = s_.as_string(ref);
    if (!r.starts_with("#")) return none;  // another document: not followed
    node_id at = s_.root();
    std::size_t i = 1;
    while (i < r.size() && at != none) {
      if (r[i] != '/') return none;
      const auto next = r.find('/', i + 1);
      std::string token(r.substr(i + 1, next == std::string_view::npos ? std::string_view::npos : next - i - 1));
      for (std::size_t p = 0; (p = token.find('~', p)) != std::string::npos; ++p)
        token.replace(p, 2, token.compare(p, 2, "~1") == 0 ? "/" : "~");
      if (s_.kind(at) == value_kind::map) {
        at = s_.find(at, token);
      } else if (s_.kind(at) == value_kind::list) {
        const auto idx = static_cast<std::uint32_t>(std::strtoul(token.c_str(), nullptr, 10));
        at = idx < s_.size(at) ? s_.at(at, idx) : none;
      } else {
        at = none;
      }
      i = next == std::string_view::npos ? r.size() : next;
    }
    n = at;
  }
  return n;  // a chain of 64 $refs, or a $ref to itself: left as it is
}

std::vector<node_id> schema_types::branches(node_id n) const {
  std::vector<node_id> out;
  std::vector<node_id> todo{n};
  while (!todo.empty() && out.size() < 1024) {
    const auto b = resolve(todo.back());
    todo.pop_back();
    if (b == none || std::find(out.begin(), out.end(), b) != out.end()) continue;
    out.push_back(b);
    for (const char* k : {"allOf", "anyOf", "oneOf"}) {
      const auto list = get(b, k);
      if (list == none || s_.kind(list) != value_kind::list) continue;
      for (std::uint32_t i = s_.size(list); i-- > 0;) todo.push_back(s_.at(list, i));
    }
  }
  return out;
}

type schema_types::root() const { return s_.empty() ? any() : of(s_.root()); }

type schema_types::of(node_id n) const {
  std::vector<node_id> stack;
  return of(n, stack);
}

namespace {
std::uint8_t kind_of_value(const document& d, node_id v) {
  switch (d.kind(v)) {
    case value_kind::null: return k_null;
    case value_kind::boolean: return k_boolean;
    case value_kind::integer:
    case value_kind::number: return k_number;
    case value_kind::string: return date_like(d.as_string(v)) ? k_date : k_string;
    case value_kind::date: return k_date;
    case value_kind::list: return k_list;
    case value_kind::map: return k_map;
  }
  return k_any;
}

std::uint8_t kind_of_name(std::string_view t) {
  if (t == "string") return k_string | k_date;  // a YYYY-MM-DD string loads as a date (§8)
  if (t == "integer" || t == "number") return k_number;
  if (t == "boolean") return k_boolean;
  if (t == "null") return k_null;
  if (t == "array") return k_list;
  if (t == "object") return k_map;
  return k_any;
}
}  // namespace

type schema_types::of(node_id n, std::vector<node_id>& stack) const {
  n = resolve(n);
  if (n == none || s_.kind(n) != value_kind::map) return any();  // `true`, or a schema not read
  if (std::find(stack.begin(), stack.end(), n) != stack.end() || stack.size() > 64) return any();
  stack.push_back(n);
  type t;
  t.nodes.push_back(n);
  if (const auto ty = get(n, "type"); ty != none) {
    if (s_.kind(ty) == value_kind::string) {
      t.kinds = kind_of_name(s_.as_string(ty));
    } else if (s_.kind(ty) == value_kind::list) {
      std::uint8_t k = 0;
      for (std::uint32_t i = 0; i < s_.size(ty); ++i)
        k |= s_.kind(s_.at(ty, i)) == value_kind::string ? kind_of_name(s_.as_string(s_.at(ty, i)))
                                                         : static_cast<std::uint8_t>(k_any);
      t.kinds = k ? k : static_cast<std::uint8_t>(k_any);
    }
  }
  if (const auto f = get(n, "format");
      f != none && s_.kind(f) == value_kind::string && s_.as_string(f) == "date" && (t.kinds & k_string))
    t.kinds = static_cast<std::uint8_t>((t.kinds & ~k_string) | k_date);
  const auto values = [&](std::vector<node_id> vs) {
    std::uint8_t k = 0;
    std::vector<std::string> strings;
    for (auto v : vs) {
      k |= kind_of_value(s_, v);
      if (s_.kind(v) == value_kind::string) strings.emplace_back(s_.as_string(v));
    }
    t.kinds &= k;
    if (t.kinds & k_string) {
      t.enumerated = true;
      t.strings = std::move(strings);
    }
  };
  if (const auto c = get(n, "const"); c != none) values({c});
  if (const auto e = get(n, "enum"); e != none && s_.kind(e) == value_kind::list) {
    std::vector<node_id> vs;
    for (std::uint32_t i = 0; i < s_.size(e); ++i) vs.push_back(s_.at(e, i));
    values(vs);
  }
  for (const char* k : {"anyOf", "oneOf"}) {
    const auto list = get(n, k);
    if (list == none || s_.kind(list) != value_kind::list || s_.size(list) == 0) continue;
    type u = of(s_.at(list, 0), stack);
    for (std::uint32_t i = 1; i < s_.size(list); ++i) u = unite(u, of(s_.at(list, i), stack));
    const auto kinds = static_cast<std::uint8_t>(t.kinds & u.kinds);
    if (!t.enumerated && (kinds & k_string) && u.enumerated) {
      t.enumerated = true;
      t.strings = u.strings;
    }
    t.kinds = kinds;
    for (auto b : u.nodes) t.nodes.push_back(b);
  }
  if (const auto list = get(n, "allOf"); list != none && s_.kind(list) == value_kind::list) {
    for (std::uint32_t i = 0; i < s_.size(list); ++i) {
      const type b = of(s_.at(list, i), stack);
      t.kinds &= b.kinds;
      if (!t.enumerated && b.enumerated) {
        t.enumerated = true;
        t.strings = b.strings;
      }
      for (auto x : b.nodes) t.nodes.push_back(x);
    }
  }
  if (t.kinds == 0) t.kinds = k_any;  // contradictory: nothing can be said
  stack.pop_back();
  return t;
}

// ---- the rules --------------------------------------------------------------------------------

namespace {

class checker {
 public:
  checker(const diag::source_file& src, const ast::file& f, const check::checked_file& c, const document& schema,
          std::vector<diagnostic>& out, const rule_set_view* set = nullptr, bool quiet = false,
          std::shared_ptr<std::size_t> budget = nullptr)
      : src_(src), f_(f), c_(c), s_(schema), out_(out), set_(set), quiet_(quiet),
        budget_(budget ? std::move(budget) : std::make_shared<std::size_t>(definition_budget)) {}

  void run() {
    if (s_.doc().empty()) return;
    uses();
    for (std::size_t ri = 0; ri < f_.rules.size(); ++ri) rule(ri);
    // Each definition's body once, its parameters unknown: its own mistakes, said at it.
    for (std::size_t di = 0; di < f_.definitions.size() && di < c_.definitions.size(); ++di) {
      const auto& note = c_.definitions[di];
      env_.slots.assign(note.slot_count + 1, any());
      infer(f_.definitions[di].value);
    }
  }

  // The type of definition `d` of the set: a let's value, or a def's body with its parameters
  // bound to `args` (missing arguments unknown). Inferred in the definition's own file, quietly.
  type definition(std::uint32_t d, const std::vector<type>& args) {
    if (!set_ || !set_->definitions || d >= set_->definitions->entries.size()) return any();
    if (*budget_ == 0) return any();  // a bound on the work: past it, unknown (never a wrong error)
    --*budget_;
    const auto& entry = set_->definitions->entries[d];
    if (entry.file >= set_->trees.size()) return any();
    const auto& tree = *set_->trees[entry.file];
    const auto& checked = *set_->checked[entry.file];
    if (entry.index >= tree.definitions.size() || entry.index >= checked.definitions.size()) return any();
    std::vector<diagnostic> ignored;
    checker inner(*set_->sources[entry.file], tree, checked, s_.doc(), ignored, set_, true, budget_);
    inner.uses();
    const auto& note = checked.definitions[entry.index];
    inner.env_.slots.assign(note.slot_count + 1, any());
    for (std::size_t i = 0; i < note.param_slots.size() && i < args.size(); ++i)
      inner.bind(note.param_slots[i], args[i]);
    return inner.infer(tree.definitions[entry.index].value);
  }

 private:
  // Definitions inferred per check of a file, at most: a chain of calls is inferred at each call
  // site, and this bounds the work whatever the chain (unknown past it).
  static constexpr std::size_t definition_budget = 10'000;

  void uses() {
    const type root = s_.root();
    env_.docs.clear();
    for (const auto& [name, where] : f_.uses) env_.docs.emplace_back(name, property(root, name, where, name));
  }

  void report(ast::span s, diag::code code, std::string message, std::string help = {},
              diagnostic_level level = diagnostic_level::error) {
    if (quiet_) return;
    out_.push_back(src_.make(s.begin, s.end, code, std::move(message), std::move(help), level));
  }
  std::string text(ast::expr_id id) const {
    const auto& e = f_.at(id);
    return std::string(src_.slice(e.where.begin, e.where.end));
  }

  // ---- properties and elements ----

  // The type of property `name` of a value of type t; warns when the schema does not allow it,
  // or allows it only in some branches of a oneOf. `path` is the expression's text.
  type property(const type& t, const std::string& name, ast::span where, std::string_view path) {
    bool declared = false, closed = true, open_values = false;
    std::vector<std::string> names;
    std::optional<type> found, values;
    const auto& d = s_.doc();
    for (auto top : t.nodes) {
      for (auto b : s_.branches(top)) {
        const auto props = s_.get(b, "properties");
        if (props != none && d.kind(props) == value_kind::map) {
          declared = true;
          if (const auto p = d.find(props, name); p != none) {
            const type pt = s_.of(p);
            found = found ? unite(*found, pt) : pt;
            continue;
          }
          for (std::uint32_t i = 0; i < d.size(props); ++i) names.emplace_back(d.key_text(d.key_at(props, i)));
          const auto extra = s_.get(b, "additionalProperties");
          if (extra == none || d.kind(extra) != value_kind::boolean || d.as_bool(extra)) closed = false;
        }
        if (s_.get(b, "patternProperties") != none) open_values = true;
        if (const auto extra = s_.get(b, "additionalProperties"); extra != none && d.kind(extra) == value_kind::map) {
          const type vt = s_.of(extra);
          values = values ? unite(*values, vt) : vt;
          open_values = true;
        }
      }
      if (found) one_branch(top, name, where, path);
    }
    if (found) return values ? unite(*found, *values) : *found;
    if (values) return *values;
    if (!declared || open_values) return any();
    const auto guess = diag::closest(name, names);
    if (!closed && guess.empty()) return any();
    std::string help;
    if (!guess.empty()) {
      help = "did you mean '" + guess + "'?";
    } else if (!names.empty()) {
      std::sort(names.begin(), names.end());
      names.erase(std::unique(names.begin(), names.end()), names.end());
      help = "the schema has: ";
      for (std::size_t i = 0; i < names.size() && i < 12; ++i) help += (i ? ", " : "") + names[i];
      if (names.size() > 12) help += ", ...";
    }
    const std::string where_text = path == name ? std::string() : " (in '" + std::string(path) + "')";
    report(where, diag::code::schema_path,
           (closed ? "the schema does not allow '" : "the schema does not list '") + name + "'" + where_text, help,
           diagnostic_level::warning);
    return any();
  }

  // A property declared in some branches of a oneOf of `top` whose other branches do not allow it.
  void one_branch(node_id top, const std::string& name, ast::span where, std::string_view path) {
    const auto& d = s_.doc();
    const auto list = s_.get(s_.resolve(top), "oneOf");
    if (list == none || d.kind(list) != value_kind::list) return;
    std::vector<std::size_t> with, closed_without;
    for (std::uint32_t i = 0; i < d.size(list); ++i) {
      bool has = false, closed = false;
      for (auto b : s_.branches(d.at(list, i))) {
        const auto props = s_.get(b, "properties");
        if (props != none && d.kind(props) == value_kind::map && d.find(props, name) != none) has = true;
        const auto extra = s_.get(b, "additionalProperties");
        if (extra != none && d.kind(extra) == value_kind::boolean && !d.as_bool(extra)) closed = true;
      }
      if (has) {
        with.push_back(i + 1);
      } else if (closed) {
        closed_without.push_back(i + 1);
      }
    }
    if (with.empty() || closed_without.empty() || guarded_) return;
    std::string branches;
    for (std::size_t i = 0; i < with.size(); ++i) branches += (i ? ", " : "") + std::to_string(with[i]);
    report(where, diag::code::schema_branch,
           "the schema allows '" + name + "' (in '" + std::string(path) + "') only in " +
               (with.size() == 1 ? "branch " : "branches ") + branches + " of a oneOf",
           "where the value takes another branch it has no '" + name + "': test has(" + std::string(path) +
               ") first, or give a default with ??",
           diagnostic_level::warning);
  }

  // The type of an element of a list, or of a value of a map.
  type element(const type& t) {
    if (t.element) return *t.element;
    std::optional<type> out;
    const auto& d = s_.doc();
    for (auto top : t.nodes) {
      for (auto b : s_.branches(top)) {
        std::optional<type> e;
        if (const auto items = s_.get(b, "items"); items != none && d.kind(items) == value_kind::map) {
          e = s_.of(items);
        } else if (const auto extra = s_.get(b, "additionalProperties");
                   extra != none && d.kind(extra) == value_kind::map) {
          e = s_.of(extra);
        } else if (s_.get(b, "properties") != none || s_.get(b, "patternProperties") != none) {
          return any();  // the values of an object: of any of its properties
        }
        if (e) out = out ? unite(*out, *e) : *e;
      }
    }
    return out ? *out : any();
  }

  static type list_of(type e) {
    type t = of_kinds(k_list);
    t.element = std::make_shared<const type>(std::move(e));
    return t;
  }

  // An error when `t` can never be a list or a map; `what` names the use ("count()").
  void need_collection(ast::expr_id coll, const type& t, const std::string& what) {
    if (!t.known() || (t.kinds & k_collection)) return;
    report(f_.at(coll).where, diag::code::schema_collection,
           what + " needs a list or a map, but the schema says " + text(coll) + " is " + describe(t.kinds),
           "it can never have elements; check the path against the schema");
  }
  // An error when the elements can never be numbers (sum, avg).
  void need_numbers(ast::span where, const std::string& of_what, const type& e, const std::string& fn) {
    if (!e.known() || (e.kinds & k_number)) return;
    report(where, diag::code::schema_numbers,
           fn + "() adds numbers, but the schema says each " + of_what + " is " + describe(e.kinds),
           "take a number field of each element, as in " + fn + "(x.amount for x in ...)");
  }
  // ---- the checks of operators ----

  // `lit` compared with a value of type t (==, !=, in): an error when an enum leaves it out.
  void enum_member(ast::expr_id lit, const type& t, ast::expr_id field) {
    const auto& l = f_.at(lit);
    if (l.kind != ast::expr_kind::string_lit || !t.enumerated || !(t.kinds & k_string)) return;
    if (std::find(t.strings.begin(), t.strings.end(), l.text) != t.strings.end()) return;
    std::string quoted;
    diag::append_quoted(quoted, l.text);
    quoted = "'" + quoted.substr(1, quoted.size() - 2) + "'";
    const auto guess = diag::closest(l.text, t.strings);
    std::string help;
    if (!guess.empty()) {
      help = "did you mean '" + guess + "'?";
    } else {
      help = "the values are: ";
      for (std::size_t i = 0; i < t.strings.size() && i < 12; ++i) help += (i ? ", " : "") + t.strings[i];
      if (t.strings.size() > 12) help += ", ...";
    }
    report(l.where, diag::code::schema_enum, quoted + " is not one of the values of " + text(field), help);
  }

  // Two values that `==` can never find equal (null aside: comparing with null is a presence test).
  void never_equal(const ast::expr& e, const type& a, const type& b) {
    if (!a.known() || !b.known()) return;
    const auto& l = f_.at(e.args[0]);
    const auto& r = f_.at(e.args[1]);
    if (l.kind == ast::expr_kind::null_lit || r.kind == ast::expr_kind::null_lit) return;
    if (a.kinds & b.kinds) return;
    report(e.where, diag::code::schema_type,
           text(e.args[0]) + " is " + describe(a.kinds) + " and " + text(e.args[1]) + " is " + describe(b.kinds) +
               (e.op == ast::op::ne ? ": they always differ" : ": they are never equal"),
           date_hint(e.args[0], a, e.args[1], b));
  }
  std::string date_hint(ast::expr_id x, const type& a, ast::expr_id y, const type& b) {
    for (auto [lit, other] : {std::pair{x, &b}, std::pair{y, &a}}) {
      const auto& l = f_.at(lit);
      if (l.kind == ast::expr_kind::string_lit && (other->kinds & k_date) && date_like(l.text))
        return "write the date without quotes: @" + l.text;
    }
    return "the schema says what each is; check the path and the literal";
  }
  // Two values that can never be ordered (<, <=, >, >=, between).
  void never_ordered(ast::span where, ast::expr_id x, const type& a, ast::expr_id y, const type& b) {
    if (!a.known() || !b.known()) return;
    if (a.kinds & b.kinds & k_ordered) return;
    report(
        where, diag::code::schema_type,
        "cannot compare " + text(x) + " (" + describe(a.kinds) + ") with " + text(y) + " (" + describe(b.kinds) + ")",
        date_hint(x, a, y, b));
  }
  void need_number(ast::expr_id x, const type& t, std::string_view op) {
    if (!t.known() || (t.kinds & k_number)) return;
    report(f_.at(x).where, diag::code::schema_type,
           "'" + std::string(op) + "' needs numbers, but the schema says " + text(x) + " is " + describe(t.kinds));
  }

  // ---- the walk ----

  void bind(std::uint32_t slot, type t) {
    if (slot == no_index) return;
    if (slot >= env_.slots.size()) env_.slots.resize(slot + 1);
    env_.slots[slot] = std::move(t);
  }

  void rule(std::size_t ri) {
    const auto& r = f_.rules[ri];
    const auto& note = c_.rules[ri];
    env_.slots.assign(note.slot_count + 1, any());
    const auto templ = [&](const std::optional<ast::text_template>& t) {
      if (!t) return;
      for (const auto& p : t->parts)
        if (p.is_expr) infer(p.value);
    };
    templ(r.rationale);
    infer(r.when);
    for (std::size_t si = 0; si < r.steps.size(); ++si) {
      const auto& s = r.steps[si];
      if (s.what == ast::step::kind::let) {
        bind(note.step_slots[si], infer(s.let.value));
      } else {
        const type coll = infer(s.for_each.collection);
        need_collection(s.for_each.collection, coll, "'for each'");
        bind(note.step_slots[si], element(coll));
        bind(note.step_key_slots[si], of_kinds(coll.known() && !(coll.kinds & k_map)    ? k_number
                                               : coll.known() && !(coll.kinds & k_list) ? k_string
                                                                                        : k_any));
        infer(s.for_each.filter);
      }
    }
    for (const auto& q : r.requires_) {
      infer(q.condition);
      templ(q.message);
    }
    templ(r.message);
    templ(r.remedy);
  }

  type binder(const ast::expr& e, const check::expr_note& note, const std::string& what) {
    const type coll = infer(e.bind.collection);
    need_collection(e.bind.collection, coll, what);
    bind(note.slot, element(coll));
    bind(note.key_slot, of_kinds(coll.known() && !(coll.kinds & k_map)    ? k_number
                                 : coll.known() && !(coll.kinds & k_list) ? k_string
                                                                          : k_any));
    infer(e.bind.filter);
    return coll;
  }

  type infer(ast::expr_id id) {
    if (id == no_index) return any();
    const auto& e = f_.at(id);
    const auto& note = c_.exprs[id];
    switch (e.kind) {
      case ast::expr_kind::null_lit: return of_kinds(k_null);
      case ast::expr_kind::bool_lit: return of_kinds(k_boolean);
      case ast::expr_kind::int_lit:
      case ast::expr_kind::double_lit: return of_kinds(k_number);
      case ast::expr_kind::string_lit: {
        type t = of_kinds(k_string);
        t.enumerated = true;
        t.strings = {e.text};
        return t;
      }
      case ast::expr_kind::date_lit: return of_kinds(k_date);
      case ast::expr_kind::list: {
        std::optional<type> el;
        for (auto a : e.args) {
          type t = infer(a);
          el = el ? unite(*el, t) : t;
        }
        return list_of(el ? *el : any());
      }
      case ast::expr_kind::name: {
        if (note.definition != no_index) return definition(note.definition, {});
        if (note.document_name) {
          for (const auto& [n, t] : env_.docs)
            if (n == e.text) return t;
          return any();
        }
        return note.slot < env_.slots.size() ? env_.slots[note.slot] : any();
      }
      case ast::expr_kind::field: {
        if (note.definition != no_index) return definition(note.definition, {});  // an imported let
        const type obj = infer(e.args[0]);
        return property(obj, e.text, e.name_span, text(id));
      }
      case ast::expr_kind::index: {
        const type obj = infer(e.args[0]);
        infer(e.args[1]);
        const auto& key = f_.at(e.args[1]);
        if (key.kind == ast::expr_kind::string_lit) return property(obj, key.text, key.where, text(id));
        return element(obj);
      }
      case ast::expr_kind::call: return call(id, e, note);
      case ast::expr_kind::unary: {
        const type a = infer(e.args[0]);
        if (e.op == ast::op::neg) {
          need_number(e.args[0], a, "-");
          return of_kinds(k_number);
        }
        return of_kinds(k_boolean);
      }
      case ast::expr_kind::binary: return binary(e);
      case ast::expr_kind::between: {
        const type x = infer(e.args[0]), lo = infer(e.args[1]), hi = infer(e.args[2]);
        never_ordered(e.where, e.args[0], x, e.args[1], lo);
        never_ordered(e.where, e.args[0], x, e.args[2], hi);
        return of_kinds(k_boolean);
      }
      case ast::expr_kind::quantifier: {
        binder(e, note, "'" + std::string(e.op == ast::op::all ? "all" : e.op == ast::op::any ? "any" : "none") + "'");
        infer(e.args[0]);
        return of_kinds(k_boolean);
      }
      case ast::expr_kind::aggregate: {
        static const std::map<ast::op, std::string> names = {{ast::op::count, "count"}, {ast::op::sum, "sum"},
                                                             {ast::op::min, "min"},     {ast::op::max, "max"},
                                                             {ast::op::avg, "avg"},     {ast::op::first, "first"}};
        const std::string fn = names.at(e.op);
        const type coll = binder(e, note, fn + "()");
        if (e.op == ast::op::first) return element(coll);  // an element, or missing
        const type v = e.args.empty() || e.args[0] == no_index ? any() : infer(e.args[0]);
        if ((e.op == ast::op::sum || e.op == ast::op::avg) && !e.args.empty() && e.args[0] != no_index)
          need_numbers(f_.at(e.args[0]).where, text(e.args[0]), v, fn);
        if (e.op == ast::op::min || e.op == ast::op::max) return v;
        return of_kinds(k_number);
      }
      case ast::expr_kind::comprehension: {
        binder(e, note, "'[... for ...]'");
        return list_of(infer(e.args[0]));
      }
      case ast::expr_kind::conditional: {
        infer(e.args[0]);
        return unite(infer(e.args[1]), infer(e.args[2]));
      }
    }
    return any();
  }

  type binary(const ast::expr& e) {
    // `x.p ?? d`, `has(x.p) and x.p ...`: a path so guarded is not a oneOf warning.
    const bool was = guarded_;
    if (e.op == ast::op::coalesce) guarded_ = true;
    const type a = infer(e.args[0]);
    guarded_ = was;
    if (e.op == ast::op::and_ && f_.at(e.args[0]).kind == ast::expr_kind::call && c_.exprs[e.args[0]].fn &&
        c_.exprs[e.args[0]].fn->id == check::builtin::has)
      guarded_ = true;
    const type b = infer(e.args[1]);
    guarded_ = was;
    using ast::op;
    switch (e.op) {
      case op::coalesce: {
        type l = a;
        if (l.known()) l.kinds = static_cast<std::uint8_t>(l.kinds & ~k_null);
        return l.kinds ? unite(l, b) : b;
      }
      case op::eq:
      case op::ne:
        enum_member(e.args[1], a, e.args[0]);
        enum_member(e.args[0], b, e.args[1]);
        never_equal(e, a, b);
        return of_kinds(k_boolean);
      case op::lt:
      case op::le:
      case op::gt:
      case op::ge: never_ordered(e.where, e.args[0], a, e.args[1], b); return of_kinds(k_boolean);
      case op::in:
      case op::not_in: {
        if (b.known() && !(b.kinds & (k_collection | k_string))) {
          report(f_.at(e.args[1]).where, diag::code::schema_type,
                 std::string("'") + (e.op == op::in ? "in" : "not in") +
                     "' needs a list, map or string on the right, " + "but the schema says " + text(e.args[1]) +
                     " is " + describe(b.kinds));
          return of_kinds(k_boolean);
        }
        const auto& r = f_.at(e.args[1]);
        if (r.kind == ast::expr_kind::list) {
          for (auto x : r.args) enum_member(x, a, e.args[0]);
        } else if (b.known() && !(b.kinds & (k_map | k_string))) {
          enum_member(e.args[0], element(b), e.args[1]);
        }
        return of_kinds(k_boolean);
      }
      case op::add:
      case op::sub:
      case op::mul:
      case op::div:
      case op::mod: {
        static const std::map<op, const char*> sym = {
            {op::add, "+"}, {op::sub, "-"}, {op::mul, "*"}, {op::div, "/"}, {op::mod, "%"}};
        need_number(e.args[0], a, sym.at(e.op));
        need_number(e.args[1], b, sym.at(e.op));
        return of_kinds(k_number);
      }
      default: return of_kinds(k_boolean);  // or, and, matches
    }
  }

  type call(ast::expr_id id, const ast::expr& e, const check::expr_note& note) {
    (void)id;
    std::vector<type> args;
    const bool was = guarded_;
    if (note.fn && note.fn->id == check::builtin::has) guarded_ = true;
    for (auto a : e.args) args.push_back(infer(a));
    guarded_ = was;
    if (!note.fn) return note.definition != no_index ? definition(note.definition, args) : any();
    using check::builtin;
    const auto fn = std::string(note.fn->name) + "()";
    switch (note.fn->id) {
      case builtin::count: need_collection(e.args[0], args[0], fn); return of_kinds(k_number);
      case builtin::sum:
      case builtin::avg:
        need_collection(e.args[0], args[0], fn);
        if (args[0].known() && (args[0].kinds & k_collection))
          need_numbers(f_.at(e.args[0]).where, "element of " + text(e.args[0]), element(args[0]),
                       std::string(note.fn->name));
        return of_kinds(k_number);
      case builtin::min:
      case builtin::max: {
        if (args.size() == 1) return args[0].known() && (args[0].kinds & k_collection) ? element(args[0]) : any();
        type t = args[0];
        for (std::size_t i = 1; i < args.size(); ++i) t = unite(t, args[i]);
        return t;
      }
      case builtin::distinct: return args[0];
      case builtin::flatten: return of_kinds(k_list);
      case builtin::keys: return list_of(of_kinds(k_string));
      case builtin::values: return list_of(element(args[0]));
      case builtin::lower:
      case builtin::upper:
      case builtin::trim:
      case builtin::percent:
      case builtin::join:
      case builtin::plural: return of_kinds(k_string);
      case builtin::contains:
      case builtin::starts_with:
      case builtin::ends_with:
      case builtin::matches:
      case builtin::has: return of_kinds(k_boolean);
      case builtin::date:
      case builtin::today: return of_kinds(k_date);
      case builtin::days_between:
      case builtin::months_between:
      case builtin::years_between:
      case builtin::round:
      case builtin::length:
      case builtin::abs: return of_kinds(k_number);
    }
    return any();
  }

  const diag::source_file& src_;
  const ast::file& f_;
  const check::checked_file& c_;
  schema_types s_;
  std::vector<diagnostic>& out_;
  const rule_set_view* set_ = nullptr;
  bool quiet_ = false;
  std::shared_ptr<std::size_t> budget_;
  environment env_;
  bool guarded_ = false;
};

}  // namespace

void check_file(const diag::source_file& src, const ast::file& tree, const check::checked_file& checked,
                const document& schema, std::vector<diagnostic>& out, const rule_set_view* set) {
  checker(src, tree, checked, schema, out, set).run();
}

std::vector<std::string> declared_schemas(const std::vector<const ast::file*>& trees,
                                          const std::vector<const diag::source_file*>& sources,
                                          const std::vector<const check::checked_file*>& checked,
                                          std::vector<diagnostic>& diags) {
  std::vector<std::string> out(trees.size());
  std::map<std::string, std::size_t> first;  // package -> the first file that declares a schema
  for (std::size_t i = 0; i < trees.size(); ++i) {
    const auto& f = *trees[i];
    if (!f.schema) continue;
    const std::filesystem::path dir = std::filesystem::path(sources[i]->origin()).parent_path();
    out[i] = (dir / *f.schema).lexically_normal().generic_string();
    const auto [it, fresh] = first.emplace(checked[i]->package, i);
    if (fresh || out[it->second] == out[i]) continue;
    const auto& other = *trees[it->second];
    const auto pos = sources[it->second]->position(other.schema_span.begin);
    const std::string package =
        checked[i]->package.empty() ? "the files without a package" : "package '" + checked[i]->package + "'";
    diags.push_back(sources[i]->make(f.schema_span.begin, f.schema_span.end, diag::code::schema_conflict,
                                     "this file declares the schema '" + out[i] + "', but " +
                                         sources[it->second]->origin() + ":" + std::to_string(pos.line) + ":" +
                                         std::to_string(pos.column) + " declares '" + out[it->second] + "' for " +
                                         package,
                                     "the files of one package share one schema: give them the same 'schema' line"));
  }
  for (std::size_t i = 0; i < trees.size(); ++i)
    if (out[i].empty())
      if (auto it = first.find(checked[i]->package); it != first.end()) out[i] = out[it->second];
  return out;
}

}  // namespace joinup::types
