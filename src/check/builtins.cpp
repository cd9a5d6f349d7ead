#include "check/builtins.hpp"

#include <array>

namespace joinup::check {

namespace {
constexpr std::uint8_t any = 255;
constexpr std::array table{
    builtin_info{"count", builtin::count, 1, 1, "count(list or map)"},
    builtin_info{"sum", builtin::sum, 1, 1, "sum(list of numbers)"},
    builtin_info{"min", builtin::min, 1, any, "min(list) or min(a, b, ...)"},
    builtin_info{"max", builtin::max, 1, any, "max(list) or max(a, b, ...)"},
    builtin_info{"avg", builtin::avg, 1, 1, "avg(list of numbers)"},
    builtin_info{"distinct", builtin::distinct, 1, 1, "distinct(list)"},
    builtin_info{"flatten", builtin::flatten, 1, 1, "flatten(list of lists)"},
    builtin_info{"keys", builtin::keys, 1, 1, "keys(map)"},
    builtin_info{"values", builtin::values, 1, 1, "values(map)"},
    builtin_info{"lower", builtin::lower, 1, 1, "lower(string)"},
    builtin_info{"upper", builtin::upper, 1, 1, "upper(string)"},
    builtin_info{"trim", builtin::trim, 1, 1, "trim(string)"},
    builtin_info{"contains", builtin::contains, 2, 2, "contains(string, part) or contains(list, value)"},
    builtin_info{"starts_with", builtin::starts_with, 2, 2, "starts_with(string, prefix)"},
    builtin_info{"ends_with", builtin::ends_with, 2, 2, "ends_with(string, suffix)"},
    builtin_info{"matches", builtin::matches, 2, 2, "matches(string, regex)"},
    builtin_info{"date", builtin::date, 1, 1, "date(\"2026-03-31\")"},
    builtin_info{"today", builtin::today, 0, 0, "today()"},
    builtin_info{"days_between", builtin::days_between, 2, 2, "days_between(from, to)"},
    builtin_info{"months_between", builtin::months_between, 2, 2, "months_between(from, to)"},
    builtin_info{"years_between", builtin::years_between, 2, 2, "years_between(from, to)"},
    builtin_info{"round", builtin::round, 1, 2, "round(number, digits)"},
    builtin_info{"percent", builtin::percent, 1, 1, "percent(number)"},
    builtin_info{"has", builtin::has, 1, 1, "has(path)"},
    builtin_info{"length", builtin::length, 1, 1, "length(string or list)"},
    builtin_info{"abs", builtin::abs, 1, 1, "abs(number)"},
    builtin_info{"join", builtin::join, 2, 2, "join(list, separator)"},
    builtin_info{"plural", builtin::plural, 2, 3, "plural(n, \"member\") or plural(n, \"person\", \"people\")"},
};

// info(fn) indexes the table by the enumeration: one entry per built-in, in its order.
constexpr bool in_enum_order() {
  for (std::size_t i = 0; i < table.size(); ++i)
    if (static_cast<std::size_t>(table[i].id) != i) return false;
  return true;
}
static_assert(table.size() == static_cast<std::size_t>(builtin::plural) + 1, "a built-in is missing from the table");
static_assert(in_enum_order(), "the table of built-ins is not in the order of enum builtin");
}  // namespace

std::span<const builtin_info> builtins() { return table; }

const builtin_info* find_builtin(std::string_view name) {
  for (const auto& b : table)
    if (b.name == name) return &b;
  return nullptr;
}

}  // namespace joinup::check
