// Argument parsing and did-you-mean suggestions.
#include "cli/args.hpp"

#include "diag/text.hpp"

#include <algorithm>
#include <cctype>

namespace joinup::cli {

bool parsed_args::has(std::string_view name) const {
  return std::any_of(options.begin(), options.end(), [&](const auto& o) { return o.first == name; });
}

std::optional<std::string> parsed_args::last(std::string_view name) const {
  std::optional<std::string> v;
  for (const auto& [n, value] : options)
    if (n == name) v = value;
  return v;
}

std::vector<std::string> parsed_args::all(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [n, value] : options)
    if (n == name) out.push_back(value);
  return out;
}

parsed_args parse_args(std::span<const std::string> args, std::span<const option_spec> specs) {
  parsed_args out;
  std::vector<std::string> names = {"--help"};
  for (const auto& s : specs) names.emplace_back(s.name);

  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      out.operands.insert(out.operands.end(), args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
      break;
    }
    if (a == "-h" || a == "--help") {
      out.help = true;
      continue;
    }
    if (a.size() < 2 || a[0] != '-') {
      out.operands.push_back(a);
      continue;
    }
    const auto eq = a.find('=');
    const std::string name = a.substr(0, eq);
    const auto spec = std::find_if(specs.begin(), specs.end(), [&](const option_spec& s) { return s.name == name; });
    if (spec == specs.end()) {
      // Compare "-format" or "format" as "--format", so a missing dash still gets its suggestion.
      std::string probe = name;
      while (!probe.empty() && probe.front() == '-') probe.erase(0, 1);
      probe = "--" + probe;
      std::string hint = probe != name && std::find(names.begin(), names.end(), probe) != names.end()
                             ? " (did you mean '" + probe + "'?)"
                             : did_you_mean(probe, names);
      throw usage_error("unknown option '" + name + "'" + hint);
    }
    if (!spec->takes_value) {
      if (eq != std::string::npos) throw usage_error("option '" + name + "' takes no value");
      out.options.emplace_back(name, "");
      continue;
    }
    if (eq != std::string::npos) {
      out.options.emplace_back(name, a.substr(eq + 1));
      continue;
    }
    // The next argument is the value, unless there is none or it is another long option: a
    // forgotten value should not silently swallow the next option.
    if (i + 1 >= args.size() || (args[i + 1].size() > 2 && args[i + 1].starts_with("--")))
      throw usage_error("option '" + name + "' needs a value");
    out.options.emplace_back(name, args[++i]);
  }
  return out;
}

std::optional<std::string> closest(std::string_view input, std::span<const std::string> candidates) {
  auto bare = [](std::string_view s) {
    while (!s.empty() && s.front() == '-') s.remove_prefix(1);
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  const std::string in = bare(input);
  if (in.empty()) return std::nullopt;
  // About one mistake in three characters, and never a suggestion that shares nothing with the input.
  const std::size_t limit = std::max<std::size_t>(1, in.size() / 3);
  // An unambiguous abbreviation ("warn" for "warning") is what was meant, however far by edits.
  if (in.size() >= 2) {
    std::optional<std::string> only;
    std::size_t n = 0;
    for (const auto& c : candidates)
      if (bare(c).starts_with(in)) ++n, only = c;
    if (n == 1) return only;
  }
  std::optional<std::string> best;
  std::size_t best_d = limit + 1;
  for (const auto& c : candidates) {
    const std::size_t d = diag::edit_distance(in, bare(c));
    if (d < best_d && d < std::max(in.size(), bare(c).size())) {
      best = c;
      best_d = d;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view input, std::span<const std::string> candidates) {
  auto c = closest(input, candidates);
  return c ? " (did you mean '" + *c + "'?)" : std::string();
}

}  // namespace joinup::cli
