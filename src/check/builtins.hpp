// The built-in functions: one table that the checker (names, arity) and the evaluator share.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace joinup::check {

enum class builtin : std::uint8_t {
  count,
  sum,
  min,
  max,
  avg,
  distinct,
  flatten,
  keys,
  values,
  lower,
  upper,
  trim,
  contains,
  starts_with,
  ends_with,
  matches,
  date,
  today,
  days_between,
  months_between,
  years_between,
  round,
  percent,
  has,
  length,
  abs,
  join,
  plural,
};

struct builtin_info {
  std::string_view name;
  builtin id;
  std::uint8_t min_args;
  std::uint8_t max_args;       // 255: any number
  std::string_view signature;  // for hints: "count(list or map)"
  std::string_view doc;        // one sentence on what it gives, for an editor's hover
};

// Every built-in, in the order of the enumeration (builtins()[i].id is builtin i: builtins.cpp
// asserts it at compile time).
std::span<const builtin_info> builtins();
// The entry of one built-in.
inline const builtin_info& info(builtin fn) { return builtins()[static_cast<std::size_t>(fn)]; }
const builtin_info* find_builtin(std::string_view name);

}  // namespace joinup::check
