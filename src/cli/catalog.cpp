// `joinup rules` (the rules of a set as aligned columns) and `joinup explain` (one rule in full).
#include <algorithm>
#include <ostream>

#include "cli/args.hpp"
#include "cli/cli.hpp"
#include "cli/limits.hpp"

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

// Each line of text, indented, without a trailing blank line.
std::string indented(std::string_view text, std::string_view indent) {
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
  for (const auto& r : rules)
    if (r.full_id == id) return r;
  for (const auto& r : rules)
    if (r.id == id) throw usage_error("unknown rule '" + id + "' (did you mean '" + r.full_id + "'?)");
  std::vector<std::string> ids;
  for (const auto& r : rules) ids.push_back(r.full_id);
  throw usage_error("unknown rule '" + id + "'" + did_you_mean(id, ids));
}

std::string explain(const rule_info& r) {
  std::string out = r.full_id + '\n';
  if (!r.title.empty()) out += "  " + r.title + '\n';
  out += '\n';
  auto field = [&](std::string_view name, const std::string& value) {
    if (value.empty()) return;
    out += "  " + std::string(name) + std::string(10 - name.size(), ' ') + value + '\n';
  };
  field("severity", std::string(to_string(r.severity)));
  std::string tags;
  for (const auto& t : r.tags) tags += (tags.empty() ? "" : ", ") + t;
  field("tags", tags);
  field("source", r.source);
  field("defined", location(r));
  if (!r.rationale.empty()) out += "\nrationale\n" + indented(r.rationale, "  ");
  if (!r.remedy.empty()) out += "\nremedy\n" + indented(r.remedy, "  ");
  if (!r.text.empty()) out += "\n" + location(r) + ":\n" + indented(r.text, "  ");
  return out;
}

}  // namespace

int run_rules(const std::vector<std::string>& args, io& io) {
  const parsed_args a = parse_args(args, with_limits(rules_options, false));
  if (a.help) {
    io.out << usage("rules");
    return 0;
  }
  if (!a.operands.empty()) throw usage_error("unexpected argument '" + a.operands.front() + "' (rules are given with --rules PATH)");
  const policy pol = load_rules(a.all("--rules"), read_limits(a).compile);
  std::size_t id_width = 0;
  for (const auto& r : pol.rules()) id_width = std::max(id_width, r.full_id.size());
  std::string out;
  for (const auto& r : pol.rules()) {
    std::string line = r.full_id + std::string(id_width - r.full_id.size() + 2, ' ');
    const std::string_view sev = to_string(r.severity);
    line += sev;
    if (!r.title.empty()) line += std::string(7 - sev.size() + 2, ' ') + r.title;  // "warning" is the widest
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
  const policy pol = load_rules(a.all("--rules"), read_limits(a).compile);
  std::string out;
  for (const auto& id : a.operands) {
    if (!out.empty()) out += '\n';
    out += explain(find_or_suggest(id, pol.rules()));
  }
  io.out << out;
  return 0;
}

}  // namespace joinup::cli
