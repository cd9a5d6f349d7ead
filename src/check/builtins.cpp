#include "check/builtins.hpp"

#include <array>

namespace joinup::check {

namespace {
constexpr std::uint8_t any = 255;
constexpr std::array table{
    builtin_info{"count", builtin::count, 1, 1, "count(list or map)",
                 "The number of elements of a list or entries of a map, or count(x in LIST where COND)."},
    builtin_info{"sum", builtin::sum, 1, 1, "sum(list of numbers)",
                 "The sum of a list of numbers, or sum(EXPR for x in LIST where COND) over its elements."},
    builtin_info{"min", builtin::min, 1, any, "min(list) or min(a, b, ...)",
                 "The smallest element of a list, or of two or more values (numbers, strings or dates)."},
    builtin_info{"max", builtin::max, 1, any, "max(list) or max(a, b, ...)",
                 "The largest element of a list, or of two or more values (numbers, strings or dates)."},
    builtin_info{"avg", builtin::avg, 1, 1, "avg(list of numbers)",
                 "The mean of a list of numbers (always a decimal)."},
    builtin_info{"distinct", builtin::distinct, 1, 1, "distinct(list)",
                 "The list without repeats, first occurrences kept."},
    builtin_info{"flatten", builtin::flatten, 1, 1, "flatten(list of lists)",
                 "The lists inside the list spliced in, one level."},
    builtin_info{"keys", builtin::keys, 1, 1, "keys(map)", "The keys of a map, in the document's order."},
    builtin_info{"values", builtin::values, 1, 1, "values(map)", "The values of a map, in the document's order."},
    builtin_info{"lower", builtin::lower, 1, 1, "lower(string)", "The string in lower case (ASCII letters only)."},
    builtin_info{"upper", builtin::upper, 1, 1, "upper(string)", "The string in upper case (ASCII letters only)."},
    builtin_info{"trim", builtin::trim, 1, 1, "trim(string)",
                 "The string without leading and trailing spaces, tabs and line breaks."},
    builtin_info{"contains", builtin::contains, 2, 2, "contains(string, part) or contains(list, value)",
                 "Whether the part occurs in the string, or the value is an element of the list."},
    builtin_info{"starts_with", builtin::starts_with, 2, 2, "starts_with(string, prefix)",
                 "Whether the string starts with the prefix."},
    builtin_info{"ends_with", builtin::ends_with, 2, 2, "ends_with(string, suffix)",
                 "Whether the string ends with the suffix."},
    builtin_info{"matches", builtin::matches, 2, 2, "matches(string, regex)",
                 "Whether the string matches the regular expression, as the `matches` operator."},
    builtin_info{"date", builtin::date, 1, 1, "date(\"2026-03-31\")", "The date written YYYY-MM-DD in the string."},
    builtin_info{"today", builtin::today, 0, 0, "today()", "The evaluation's as-of date."},
    builtin_info{"days_between", builtin::days_between, 2, 2, "days_between(from, to)",
                 "Whole days from the first date to the second."},
    builtin_info{"months_between", builtin::months_between, 2, 2, "months_between(from, to)",
                 "Whole calendar months from the first date to the second."},
    builtin_info{"years_between", builtin::years_between, 2, 2, "years_between(from, to)",
                 "Whole years from the first date to the second."},
    builtin_info{"round", builtin::round, 1, 2, "round(number, digits)",
                 "The number rounded half away from zero, to a whole number or to the given digits."},
    builtin_info{"percent", builtin::percent, 1, 1, "percent(number)",
                 "The fraction as a percentage string, to one decimal place: percent(0.25) is \"25%\"."},
    builtin_info{"has", builtin::has, 1, 1, "has(path)",
                 "Whether the path exists in the document (null counts as existing); never undetermined."},
    builtin_info{"length", builtin::length, 1, 1, "length(string or list)",
                 "The characters of a string (not bytes), elements of a list, or entries of a map."},
    builtin_info{"abs", builtin::abs, 1, 1, "abs(number)", "The absolute value of a number."},
    builtin_info{"join", builtin::join, 2, 2, "join(list, separator)",
                 "The elements of the list as text, separated by the separator."},
    builtin_info{"plural", builtin::plural, 2, 3, "plural(n, \"member\") or plural(n, \"person\", \"people\")",
                 "The whole number n with the word, singular for 1 (and -1), plural otherwise: plural(2, \"member\") "
                 "is \"2 members\"."},
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
