// The limit flags of the commands that load rules and data (--max-steps, --max-data-bytes, …):
// their option specs, the parsing of counts and sizes (plain bytes or K/M/G suffixes), and the
// library options they set. A bad value is a usage error (exit code 2).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/args.hpp"
#include "joinup/document.hpp"
#include "joinup/policy.hpp"

namespace joinup::cli {

// Limits on rule files: --max-rule-bytes, --max-expression-depth, --max-regex-bytes.
inline constexpr option_spec rule_limit_options[] = {
    {"--max-rule-bytes", true}, {"--max-expression-depth", true}, {"--max-regex-bytes", true}};
// Limits on data and evaluation: --max-data-bytes, --max-data-depth, --max-string-bytes, --max-steps.
inline constexpr option_spec data_limit_options[] = {{"--max-data-bytes", true},
                                                     {"--max-data-depth", true},
                                                     {"--max-string-bytes", true},
                                                     {"--max-steps", true},
                                                     {"--max-eval-bytes", true}};

// Who reads the limits, for their usage text: a command that reads rules alone, `check` (data
// files) or `test` (test files and their inputs).
enum class limits_reader { rules, check, test };

// The "limits" section of a command's usage, each default read from the library's options.
std::string limits_usage(limits_reader reader);

// `base` followed by the rule limit options and, with `data`, the data limit options.
std::vector<option_spec> with_limits(std::span<const option_spec> base, bool data);

struct limits {
  compile_options compile;
  load_options load;
  std::uint64_t max_steps = 0;                                           // 0: unlimited
  std::uint64_t max_regex_bytes = evaluate_options{}.max_regex_bytes;    // patterns read from data
  std::uint64_t max_string_bytes = evaluate_options{}.max_string_bytes;  // strings join() builds
  std::uint64_t max_memory_bytes = evaluate_options{}.max_memory_bytes;  // what one evaluation builds; 0: unlimited

  void apply(evaluate_options& o) const {
    o.max_steps = max_steps;
    o.max_regex_bytes = max_regex_bytes;
    o.max_string_bytes = max_string_bytes;
    o.max_memory_bytes = max_memory_bytes;
  }
};

// The limits the flags given set; the library's defaults for the others. --max-regex-bytes sets
// the limit for patterns in rules and in data, --max-string-bytes for strings in data and built
// by join().
limits read_limits(const parsed_args& a);

// "1048576", "512K", "64M", "1G" (also "KiB", "MiB", "GiB"; case does not matter): a size in bytes.
std::optional<std::uint64_t> parse_size(std::string_view text);

}  // namespace joinup::cli
