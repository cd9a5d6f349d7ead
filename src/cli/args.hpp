// Command-line argument parsing for `joinup`: long options (`--name VALUE`, `--name=VALUE`),
// `-h`, `--` and `-` (standard input), and did-you-mean suggestions for mistyped names.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace joinup::cli {

// A mistake in how the command was called: printed as "joinup: <message>", exit code 2.
class usage_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct option_spec {
  std::string_view name;  // with its dashes: "--format"
  bool takes_value = false;
};

struct parsed_args {
  std::vector<std::pair<std::string, std::string>> options;  // in the order given; flags have ""
  std::vector<std::string> operands;                         // everything that is not an option
  bool help = false;                                         // -h or --help was given

  bool has(std::string_view name) const;
  // The last value given for an option (a later one overrides an earlier one).
  std::optional<std::string> last(std::string_view name) const;
  // Every value given for a repeatable option, in order.
  std::vector<std::string> all(std::string_view name) const;
};

// Parses args[first..]. Options and operands may be interleaved; after `--` everything is an
// operand; `-` alone is an operand. Throws usage_error for an unknown option (with a suggestion),
// a missing value, or a value given to a flag.
parsed_args parse_args(std::span<const std::string> args, std::span<const option_spec> specs);

// Optimal string alignment distance: insertions, deletions, substitutions and transpositions of
// neighbours each cost 1 ("formt" -> "format" is 1, "chekc" -> "check" is 1).

// The candidate closest to `input`, if it is close enough to be what was meant.
std::optional<std::string> closest(std::string_view input, std::span<const std::string> candidates);

// " (did you mean 'x'?)" when a candidate is close to input, "" otherwise.
std::string did_you_mean(std::string_view input, std::span<const std::string> candidates);

}  // namespace joinup::cli
