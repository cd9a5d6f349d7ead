// Limit flags: parsing counts and sizes, and filling the library's options.
#include "cli/limits.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <utility>

namespace joinup::cli {

namespace {

// Nesting is read by recursion in places: the command allows up to 1000 levels, which the
// default stack of every supported platform holds with room to spare.
constexpr std::uint64_t max_nesting = 1000;

// A size as the limit flags take it: "16M", "64K", or bytes.
std::string size_text(std::uint64_t n) {
  for (const auto& [shift, unit] : {std::pair{30, "G"}, std::pair{20, "M"}, std::pair{10, "K"}})
    if (n != 0 && n % (std::uint64_t{1} << shift) == 0) return std::to_string(n >> shift) + unit;
  return std::to_string(n);
}

}  // namespace

std::string limits_usage(limits_reader reader) {
  const compile_options compile;
  const load_options load;
  const evaluate_options evaluate;
  const bool data = reader != limits_reader::rules;
  const std::string nesting = "1 to " + std::to_string(max_nesting);
  struct line {
    const char* flag;
    std::string what, fallback;
  };
  std::vector<line> lines = {
      {"--max-rule-bytes SIZE", "size of one rule file", size_text(compile.max_file_bytes)},
      {"--max-expression-depth N", "nesting of an expression, " + nesting,
       std::to_string(compile.max_expression_depth)},
      {"--max-regex-bytes SIZE",
       std::string("length of a regular expression in a rule") + (data ? " or read from data" : ""),
       size_text(compile.max_regex_bytes)}};
  if (data) {
    const bool test = reader == limits_reader::test;
    lines.push_back({"--max-data-bytes SIZE", test ? "size of one test or input file" : "size of one data file",
                     size_text(load.max_bytes)});
    lines.push_back(
        {"--max-data-depth N", "nesting of lists and maps in data, " + nesting, std::to_string(load.max_depth)});
    lines.push_back(
        {"--max-string-bytes SIZE", "length of a string in data or built by join()", size_text(load.max_string_bytes)});
    lines.push_back({"--max-steps N",
                     std::string("evaluation steps per ") + (test ? "test" : "data file") + "; 0: unlimited",
                     std::to_string(evaluate.max_steps)});
    lines.push_back({"--max-eval-bytes SIZE",
                     std::string("memory for the strings and lists one evaluation builds, per ") +
                         (test ? "test" : "data file") + "; 0: unlimited",
                     size_text(evaluate.max_memory_bytes)});
  }
  std::string out = "limits (SIZE: bytes, or with K, M or G: 64K, 16M, 1G):\n";
  for (const auto& l : lines) {
    std::string flag = l.flag;
    flag.resize(std::max<std::size_t>(flag.size() + 1, 29), ' ');
    out += "  " + flag + l.what + " (default " + l.fallback + ")\n";
  }
  return out;
}

std::vector<option_spec> with_limits(std::span<const option_spec> base, bool data) {
  std::vector<option_spec> out(base.begin(), base.end());
  out.insert(out.end(), std::begin(rule_limit_options), std::end(rule_limit_options));
  if (data) out.insert(out.end(), std::begin(data_limit_options), std::end(data_limit_options));
  return out;
}

std::optional<std::uint64_t> parse_size(std::string_view text) {
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end == text.data()) return std::nullopt;
  std::string unit(end, text.data() + text.size());
  for (auto& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  unsigned shift = 0;
  if (unit.empty() || unit == "b")
    shift = 0;
  else if (unit == "k" || unit == "kib")
    shift = 10;
  else if (unit == "m" || unit == "mib")
    shift = 20;
  else if (unit == "g" || unit == "gib")
    shift = 30;
  else
    return std::nullopt;
  if (n > (std::numeric_limits<std::uint64_t>::max() >> shift)) return std::nullopt;
  return n << shift;
}

namespace {

// The last value of a size option, at least 1.
std::optional<std::uint64_t> size_option(const parsed_args& a, std::string_view option) {
  const auto v = a.last(option);
  if (!v) return std::nullopt;
  const auto n = parse_size(*v);
  if (!n || *n == 0)
    throw usage_error("invalid value '" + *v + "' for " + std::string(option) +
                      ": expected a size in bytes of at least 1, such as 65536, 512K, 64M or 1G");
  return n;
}

// The last value of a count option, between `least` and `most`.
std::optional<std::uint64_t> count_option(const parsed_args& a, std::string_view option, std::uint64_t least,
                                          std::uint64_t most) {
  const auto v = a.last(option);
  if (!v) return std::nullopt;
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc{} || end != v->data() + v->size() || v->empty() || n < least || n > most)
    throw usage_error("invalid value '" + *v + "' for " + std::string(option) + ": expected a whole number from " +
                      std::to_string(least) + " to " + std::to_string(most));
  return n;
}

}  // namespace

limits read_limits(const parsed_args& a) {
  limits l;
  if (auto n = size_option(a, "--max-rule-bytes")) l.compile.max_file_bytes = *n;
  if (auto n = count_option(a, "--max-expression-depth", 1, max_nesting))
    l.compile.max_expression_depth = static_cast<std::uint32_t>(*n);
  if (auto n = size_option(a, "--max-regex-bytes")) l.compile.max_regex_bytes = l.max_regex_bytes = *n;
  if (auto n = size_option(a, "--max-data-bytes")) l.load.max_bytes = *n;
  if (auto n = count_option(a, "--max-data-depth", 1, max_nesting)) l.load.max_depth = static_cast<std::uint32_t>(*n);
  if (auto n = size_option(a, "--max-string-bytes")) l.load.max_string_bytes = l.max_string_bytes = *n;
  if (auto n = count_option(a, "--max-steps", 0, std::numeric_limits<std::uint64_t>::max())) l.max_steps = *n;
  if (const auto v = a.last("--max-eval-bytes")) {
    const auto n = parse_size(*v);
    if (!n)
      throw usage_error("invalid value '" + *v +
                        "' for --max-eval-bytes: expected a size in bytes such as 64M or 1G, or 0 for no limit");
    l.max_memory_bytes = *n;
  }
  return l;
}

}  // namespace joinup::cli
