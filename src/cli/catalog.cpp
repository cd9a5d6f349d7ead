// `joinup rules` (the rules of a set as aligned columns) and `joinup explain` (one rule in full).
#include <algorithm>
#include <ostream>

#include <range/v3/algorithm/find.hpp>
#include <range/v3/range/conversion.hpp>
#include <range/v3/view/join.hpp>
#include <range/v3/view/transform.hpp>

#include "cli/args.hpp"
#include "cli/cli.hpp"
#include "cli/limits.hpp"
#include "diag/text.hpp"

namespace joinup::cli {

namespace {

constexpr option_spec rules_options[] = {{"--rules", true}};

std::string location(const rule_info& r) {
  std::string out = r.origin;
  if (r.position.line) {
    out += ':' + std::to_string(r.position.line);
    if (r.position.column) out += ':' + std::to_string(r.position.column);
  }
  return out;
}

// Each line of text, indented, without a trailing blank line, escaped for the terminal.
std::string indented(std::string_view raw, std::string_view indent) {
  const std::string escaped = diag::escaped(raw, diag::line_breaks::keep);
  std::string_view text = escaped;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) out += indent;
    out += line;
    out += '\n';
    start = nl + 1;
  }
  return out;
}

const rule_info& find_or_suggest(const std::string& id, const std::vector<rule_info>& rules) {
  if (const auto named = rules_named(rules, id); named.size() == 1)
    return *named.front();
  else if (named.size() > 1)
    throw usage_error(ambiguous_rule_text(id, named));
  const auto ids = rules | ranges::views::transform(&rule_info::full_id) | ranges::to<std::vector<std::string>>();
  throw usage_error("unknown rule '" + id + "'" + did_you_mean(id, ids));
}

// Every string of a rule (a rule file's) is escaped for the terminal (diag::append_escaped).
std::string explain(const rule_info& r) {
  using diag::escaped;
  std::string out = escaped(r.full_id) + '\n';
  if (!r.title.empty()) out += "  " + escaped(r.title) + '\n';
  out += '\n';
  auto field = [&](std::string_view name, const std::string& value) {
    if (value.empty()) return;
    out += "  " + std::string(name) + std::string(10 - name.size(), ' ') + escaped(value) + '\n';
  };
  field("severity", std::string(to_string(r.severity)));
  field("tags", r.tags | ranges::views::join(std::string_view(", ")) | ranges::to<std::string>());
  field("source", r.source);
  field("defined", location(r));
  if (!r.rationale.empty()) out += "\nrationale\n" + indented(r.rationale, "  ");
  if (!r.remedy.empty()) out += "\nremedy\n" + indented(r.remedy, "  ");
  if (!r.text.empty()) out += "\n" + escaped(location(r)) + ":\n" + indented(r.text, "  ");
  return out;
}

}  // namespace

int run_rules(const std::vector<std::string>& args, io& io) {
  const parsed_args a = parse_args(args, with_limits(rules_options, false));
  if (a.help) {
    io.out << usage("rules");
    return 0;
  }
  if (!a.operands.empty())
    throw usage_error("unexpected argument '" + a.operands.front() + "' (rules are given with --rules PATH)");
  io.stage = "reading the rules";
  const policy pol = load_rules(a.all("--rules"), read_limits(a).compile, io);
  // Ids and titles (a rule file's) are escaped for the terminal (diag::append_escaped).
  std::vector<std::string> ids;
  std::size_t id_width = 0;
  for (const auto& r : pol.rules()) {
    ids.push_back(diag::escaped(r.full_id));
    id_width = std::max(id_width, ids.back().size());
  }
  std::string out;
  for (std::size_t i = 0; i < pol.rules().size(); ++i) {
    const auto& r = pol.rules()[i];
    std::string line = ids[i] + std::string(id_width - ids[i].size() + 2, ' ');
    const std::string_view sev = to_string(r.severity);
    line += sev;
    if (!r.title.empty())
      line += std::string(7 - sev.size() + 2, ' ') + diag::escaped(r.title);  // "warning" is the widest
    out += line + '\n';
  }
  io.out << out;
  return 0;
}

int run_explain(const std::vector<std::string>& args, io& io) {
  const parsed_args a = parse_args(args, with_limits(rules_options, false));
  if (a.help) {
    io.out << usage("explain");
    return 0;
  }
  if (a.operands.empty()) throw usage_error("no rule id given (usage: joinup explain RULE-ID... [--rules PATH]...)");
  io.stage = "reading the rules";
  const policy pol = load_rules(a.all("--rules"), read_limits(a).compile, io);
  const auto explained = [&](const std::string& id) { return explain(find_or_suggest(id, pol.rules())); };
  // Every rule is found before anything is printed.
  io.out << (a.operands | ranges::views::transform(explained) | ranges::views::join(std::string_view("\n")) |
             ranges::to<std::string>());
  return 0;
}

}  // namespace joinup::cli
