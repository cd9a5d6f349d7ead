// The built-in functions (check/builtins.cpp lists them: names, arity, signatures).
#include "check/builtins.hpp"
#include "eval/evaluator.hpp"

namespace joinup::eval {

// ---------------------------------------------------------------- built-in functions

value evaluator::distinct(const value& list) {
  charge(list.len);
  value* out = arena_.values(list.len);
  std::uint32_t kept = 0;
  if (list.len <= 16) {
    for (std::uint32_t i = 0; i < list.len; ++i) {
      const value v = list.node != no_index ? from_node(doc_, doc_.at(list.node, i)) : list.u.items[i];
      // Strings (the usual elements) are compared here, anything else by equal().
      const bool seen =
          v.kind == vkind::string
              ? std::any_of(out, out + kept,
                            [&](const value& w) {
                              return w.kind == vkind::string && w.len == v.len && same_bytes(w.u.s, v.u.s, v.len);
                            })
              : std::any_of(out, out + kept, [&](const value& w) { return equal(v, w); });
      if (!seen) out[kept++] = v;
    }
    return value::list(out, kept);
  }
  std::unordered_map<std::string_view, bool> strings;
  for (std::uint32_t i = 0; i < list.len; ++i) {
    const value v = element(list, i, nullptr);
    if (v.kind == vkind::string) {
      if (!strings.emplace(v.str(), true).second) continue;
    } else if (std::any_of(out, out + kept, [&](const value& w) { return w.kind != vkind::string && equal(v, w); })) {
      continue;
    }
    out[kept++] = v;
  }
  return value::list(out, kept);
}

value evaluator::eval_call(const plan::node& n) {
  using check::builtin;
  auto arg_node = [&](std::uint32_t i) { return p_.args[n.first + i]; };
  // has() is answered by eval_node, which alone calls this.
  if (n.fn == builtin::today) return value::date(today_);
  value a[8];
  std::vector<value> extra;
  for (std::uint32_t i = 0; i < n.count; ++i) {
    const value v = eval(arg_node(i));
    if (bad(v)) return as_error(v, arg_node(i));
    if (i < 8)
      a[i] = v;
    else
      extra.push_back(v);
  }
  auto type_error = [&](std::uint32_t i, const char* want) {
    return err(std::string(check::info(n.fn).name) + "() needs " + want + ", but " +
               std::string(p_.nodes[arg_node(i)].text) + " is " + render(a[i], render_style::explanation) +
               (std::string_view(want).find("date") != std::string_view::npos ? date_hint(a[i]) : std::string()));
  };
  switch (n.fn) {
    case builtin::count:
      if (!iterable(a[0])) return type_error(0, "a list or map");
      return value::integer(a[0].len);
    case builtin::sum:
    case builtin::avg:
      if (a[0].kind != vkind::list) return type_error(0, "a list");
      return reduce(n.fn == builtin::sum ? ast::op::sum : ast::op::avg, a[0], n);
    case builtin::min:
    case builtin::max: {
      const ast::op op = n.fn == builtin::min ? ast::op::min : ast::op::max;
      if (n.count == 1) {
        if (a[0].kind != vkind::list) return type_error(0, "a list (or several values)");
        return reduce(op, a[0], n);
      }
      value* items = arena_.values(n.count);
      for (std::uint32_t i = 0; i < n.count; ++i) items[i] = i < 8 ? a[i] : extra[i - 8];
      return reduce(op, value::list(items, n.count), n);
    }
    case builtin::distinct:
      if (a[0].kind != vkind::list) return type_error(0, "a list");
      return distinct(a[0]);
    case builtin::flatten: {
      if (a[0].kind != vkind::list) return type_error(0, "a list");
      std::vector<value> out;
      for (std::uint32_t i = 0; i < a[0].len; ++i) {
        const value v = element(a[0], i, nullptr);
        if (v.kind == vkind::list) {
          charge(v.len);
          check_memory((out.size() + v.len) * sizeof(value));
          if (out.size() + v.len > std::numeric_limits<std::uint32_t>::max())
            return err("flatten() would make a list of more than 4294967295 elements");
          for (std::uint32_t j = 0; j < v.len; ++j) out.push_back(element(v, j, nullptr));
        } else {
          check_growth(out);
          out.push_back(v);
        }
      }
      return list_of(out);
    }
    case builtin::keys:
    case builtin::values: {
      if (a[0].kind != vkind::map) return type_error(0, "a map");
      std::vector<value> out;
      for (std::uint32_t i = 0; i < a[0].len; ++i) {
        value key;
        const value v = element(a[0], i, &key);
        out.push_back(n.fn == builtin::keys ? key : v);
      }
      return list_of(out);
    }
    case builtin::lower:
    case builtin::upper:
    case builtin::trim: {
      if (a[0].kind != vkind::string) return type_error(0, "a string");
      charge(byte_steps(a[0].len));
      std::string s(a[0].str());
      if (n.fn == builtin::trim) {
        const auto first = s.find_first_not_of(" \t\r\n");
        const auto last = s.find_last_not_of(" \t\r\n");
        s = first == std::string::npos ? std::string() : s.substr(first, last - first + 1);
      } else {
        for (auto& c : s)
          c = static_cast<char>(n.fn == builtin::lower ? std::tolower(static_cast<unsigned char>(c))
                                                       : std::toupper(static_cast<unsigned char>(c)));
      }
      return value::string(arena_.copy(s));
    }
    case builtin::contains:
      if (a[0].kind == vkind::list) {
        charge(a[0].len);
        for (std::uint32_t i = 0; i < a[0].len; ++i)
          if (equal(a[1], element(a[0], i, nullptr))) return value::boolean(true);
        return value::boolean(false);
      }
      if (a[0].kind != vkind::string) return type_error(0, "a string or a list");
      if (a[1].kind != vkind::string) return type_error(1, "a string");
      charge(byte_steps(a[0].len));
      return value::boolean(a[0].str().find(a[1].str()) != std::string_view::npos);
    case builtin::starts_with:
    case builtin::ends_with: {
      if (a[0].kind != vkind::string) return type_error(0, "a string");
      if (a[1].kind != vkind::string) return type_error(1, "a string");
      const auto s = a[0].str(), part = a[1].str();
      if (part.size() > s.size()) return value::boolean(false);
      return value::boolean(n.fn == builtin::starts_with ? s.substr(0, part.size()) == part
                                                         : s.substr(s.size() - part.size()) == part);
    }
    case builtin::matches: return regex_match(a[0], a[1], n);
    case builtin::date: {
      if (a[0].kind == vkind::date) return a[0];
      if (a[0].kind != vkind::string) return type_error(0, "a string such as \"2026-03-31\"");
      const auto d = date::parse(a[0].str());
      if (!d) return err("not a date: " + render(a[0], render_style::explanation) + " (write dates as YYYY-MM-DD)");
      return value::date(*d);
    }
    case builtin::days_between:
    case builtin::months_between:
    case builtin::years_between: {
      if (a[0].kind != vkind::date) return type_error(0, "a date");
      if (a[1].kind != vkind::date) return type_error(1, "a date");
      if (n.fn == builtin::days_between) return value::integer(std::int64_t{a[1].u.days} - a[0].u.days);
      const std::int64_t m = months(date{a[0].u.days}, date{a[1].u.days});
      return value::integer(n.fn == builtin::months_between ? m : m / 12);
    }
    case builtin::round: {
      if (!a[0].is_number()) return type_error(0, "a number");
      std::int64_t digits = 0;
      if (n.count == 2) {
        if (a[1].kind != vkind::integer) return type_error(1, "a whole number of digits");
        digits = std::clamp<std::int64_t>(a[1].u.i, -15, 15);
      }
      if (a[0].kind == vkind::integer && digits >= 0) return a[0];
      const double f = std::pow(10.0, static_cast<double>(digits));
      const double r = std::round(a[0].as_double() * f) / f;
      if (digits <= 0 && std::abs(r) < 9e15) return value::integer(static_cast<std::int64_t>(r));
      return value::number(r);
    }
    case builtin::percent: {
      if (!a[0].is_number()) return type_error(0, "a number");
      const double r = std::round(a[0].as_double() * 1000.0) / 10.0;
      return value::string(arena_.copy(format_number(r == 0 ? 0.0 : r) + "%"));
    }
    case builtin::length:
      if (a[0].kind == vkind::string) return value::integer(diag::count_chars(a[0].str()));
      if (iterable(a[0])) return value::integer(a[0].len);
      return type_error(0, "a string or a list");
    case builtin::abs:
      if (a[0].kind == vkind::integer) {
        if (a[0].u.i == std::numeric_limits<std::int64_t>::min())
          return err("integer overflow: " + std::string(n.text));
        return value::integer(a[0].u.i < 0 ? -a[0].u.i : a[0].u.i);
      }
      if (a[0].kind == vkind::number) return value::number(std::abs(a[0].u.d));
      return type_error(0, "a number");
    case builtin::join: {
      if (a[0].kind != vkind::list) return type_error(0, "a list");
      if (a[1].kind != vkind::string) return type_error(1, "a string");
      std::string out;
      for (std::uint32_t i = 0; i < a[0].len; ++i) {
        const std::size_t before = out.size();
        if (i) out += a[1].str();
        out += render(element(a[0], i, nullptr), render_style::whole);
        if (out.size() > opts_.max_string_bytes)
          return err("join() would make a string longer than the limit of " + std::to_string(opts_.max_string_bytes) +
                     " bytes (evaluate_options::max_string_bytes)");
        charge(byte_steps(out.size() - before));
        check_memory(out.size());
      }
      check_memory(out.size() + 1);  // its copy into the arena
      return value::string(arena_.copy(out));
    }
    case builtin::plural: {
      // "1 member", "22 members": singular for 1 and -1, plural for any other whole number.
      std::int64_t count = 0;
      if (a[0].kind == vkind::integer) {
        count = a[0].u.i;
      } else if (a[0].kind == vkind::number && std::isfinite(a[0].u.d) && std::trunc(a[0].u.d) == a[0].u.d &&
                 std::fabs(a[0].u.d) < 9.0e15) {
        count = static_cast<std::int64_t>(a[0].u.d);
      } else {
        return type_error(0, "a whole number");
      }
      if (a[1].kind != vkind::string) return type_error(1, "a string");
      if (n.count == 3 && a[2].kind != vkind::string) return type_error(2, "a string");
      std::string out = std::to_string(count);
      out += ' ';
      if (count == 1 || count == -1)
        out += a[1].str();
      else if (n.count == 3)
        out += a[2].str();
      else
        (out += a[1].str()) += 's';
      check_memory(out.size() + 1);
      return value::string(arena_.copy(out));
    }
    case builtin::has:
    case builtin::today: break;
  }
  return err("internal error: unknown function");
}

std::int64_t evaluator::months(date from, date to) {
  if (to < from) return -months(to, from);
  const auto a = from.to_ymd(), b = to.to_ymd();
  std::int64_t m = (std::int64_t{b.year} - a.year) * 12 + (std::int64_t{b.month} - a.month);
  if (b.day < a.day) --m;
  return m;
}

}  // namespace joinup::eval
