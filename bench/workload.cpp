// The workload generator. Everything is drawn from one splitmix64 stream seeded by N, and a
// document model is built first and then written out twice, so the JSON and YAML files describe
// the same partnership value for value.
//
// Shapes chosen so that every check has something to report at N >= 1000:
// - leavers: 40 % senior, 30 % of replacements single-organisation (R1);
// - teams: 60 % cross-cutting, 5..40 members (R3); 1..4 organisations drawn with repetition (R4);
// - teams never name organisations whose number ends in 7 (R8 reports those);
// - budgets: 40 % pooled (R6 fails); email in shared_systems unless N is a multiple of 1000 (R5);
// - commissioning pooled unless N is a multiple of 10,000 (R2); tenure 1..120 months (R7 passes).
#include "workload.hpp"

#include <vector>

namespace joinup::bench {

namespace {

struct rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(next() % n); }
  bool chance(std::uint32_t percent) { return below(100) < percent; }
};

const char* const kinds[] = {"nhs-trust", "local-authority", "voluntary", "police", "housing"};
const char* const areas[] = {"north", "south", "east", "west"};
const char* const titles[] = {"Director", "Head of Service", "Programme Lead", "Chief Officer"};

struct organisation {
  std::string id, kind, area;
};
struct person {
  std::string id, name, seniority, scope;
  std::vector<std::string> organisations;
  std::uint32_t tenure;
};
struct leaver {
  std::string person, seniority, title, scope;
};
struct team {
  std::string id;
  bool cross_cutting;
  std::vector<std::string> members, organisations;
};
struct budget {
  std::string org;
  std::uint32_t amount;
  bool pooled;
};
struct model {
  std::uint32_t n;
  std::vector<organisation> orgs;
  std::vector<person> people;
  std::vector<leaver> leavers;
  std::vector<team> teams;
  bool pooled;
  std::vector<budget> budgets;
  std::vector<std::string> systems;
};

model make(std::uint32_t n) {
  rng r{0x6A6F696E7570ull ^ n};
  model m;
  m.n = n;
  const std::uint32_t n_orgs = std::max<std::uint32_t>(5, n / 50);
  for (std::uint32_t i = 1; i <= n_orgs; ++i)
    m.orgs.push_back({"o" + std::to_string(i), kinds[r.below(5)], areas[r.below(4)]});
  auto org_id = [&] { return "o" + std::to_string(1 + r.below(n_orgs)); };
  for (std::uint32_t i = 1; i <= n; ++i) {
    person p;
    p.id = "p" + std::to_string(i);
    p.name = "Person " + std::to_string(i);
    const auto s = r.below(100);
    p.seniority = s < 15 ? "senior" : s < 50 ? "middle" : "frontline";
    p.scope = r.chance(30) ? "system" : "single-organisation";
    const auto k = 1 + r.below(3);
    for (std::uint32_t j = 0; j < k; ++j) p.organisations.push_back(org_id());
    p.tenure = 1 + r.below(120);
    m.people.push_back(std::move(p));
  }
  for (std::uint32_t i = 0; i < n / 10; ++i) {
    leaver l;
    l.person = "p" + std::to_string(1 + r.below(n));
    l.seniority = r.chance(40) ? "senior" : "middle";
    l.title = titles[r.below(4)];
    l.scope = r.chance(30) ? "single-organisation" : "system";
    m.leavers.push_back(std::move(l));
  }
  for (std::uint32_t i = 1; i <= n / 15; ++i) {
    team t;
    t.id = "t" + std::to_string(i);
    t.cross_cutting = r.chance(60);
    const auto size = 5 + r.below(36);
    for (std::uint32_t j = 0; j < size; ++j) t.members.push_back("p" + std::to_string(1 + r.below(n)));
    const auto k = 1 + r.below(4);
    while (t.organisations.size() < k) {
      const auto o = 1 + r.below(n_orgs);
      if (o % 10 != 7) t.organisations.push_back("o" + std::to_string(o));
    }
    m.teams.push_back(std::move(t));
  }
  m.pooled = n % 10000 != 0;
  for (const auto& o : m.orgs) m.budgets.push_back({o.id, 10000 + 1000 * r.below(490), r.chance(40)});
  if (n % 1000 != 0) m.systems.push_back("email");
  m.systems.push_back("case-management");
  return m;
}

std::string json_list(const std::vector<std::string>& xs) {
  std::string out = "[";
  for (std::size_t i = 0; i < xs.size(); ++i) out += (i ? ", \"" : "\"") + xs[i] + "\"";
  return out + "]";
}

std::string yaml_list(const std::vector<std::string>& xs) {
  std::string out = "[";
  for (std::size_t i = 0; i < xs.size(); ++i) out += (i ? ", " : "") + xs[i];
  return out + "]";
}

const char* boolean(bool b) { return b ? "true" : "false"; }

}  // namespace

std::string workload_json(std::uint32_t n) {
  const model m = make(n);
  std::string o;
  o.reserve(n * 400);
  o += "{\"partnership\": {\n\"name\": \"Place " + std::to_string(n) + "\",\n\"organisations\": [\n";
  for (std::size_t i = 0; i < m.orgs.size(); ++i) {
    const auto& g = m.orgs[i];
    o += "{\"id\": \"" + g.id + "\", \"kind\": \"" + g.kind + "\", \"area\": \"" + g.area + "\"}";
    o += i + 1 < m.orgs.size() ? ",\n" : "\n";
  }
  o += "],\n\"people\": [\n";
  for (std::size_t i = 0; i < m.people.size(); ++i) {
    const auto& p = m.people[i];
    o += "{\"id\": \"" + p.id + "\", \"name\": \"" + p.name + "\", \"seniority\": \"" + p.seniority +
         "\", \"scope\": \"" + p.scope + "\", \"organisations\": " + json_list(p.organisations) +
         ", \"tenure_months\": " + std::to_string(p.tenure) + "}";
    o += i + 1 < m.people.size() ? ",\n" : "\n";
  }
  o += "],\n\"leavers\": [\n";
  for (std::size_t i = 0; i < m.leavers.size(); ++i) {
    const auto& l = m.leavers[i];
    o += "{\"person\": \"" + l.person + "\", \"seniority\": \"" + l.seniority + "\", \"replacement\": {\"title\": \"" +
         l.title + "\", \"scope\": \"" + l.scope + "\"}}";
    o += i + 1 < m.leavers.size() ? ",\n" : "\n";
  }
  o += "],\n\"teams\": [\n";
  for (std::size_t i = 0; i < m.teams.size(); ++i) {
    const auto& t = m.teams[i];
    o += "{\"id\": \"" + t.id + "\", \"cross_cutting\": " + boolean(t.cross_cutting) +
         ", \"members\": " + json_list(t.members) + ", \"organisations\": " + json_list(t.organisations) + "}";
    o += i + 1 < m.teams.size() ? ",\n" : "\n";
  }
  o += "],\n\"commissioning\": {\"pooled\": " + std::string(boolean(m.pooled)) + ", \"budgets\": [\n";
  for (std::size_t i = 0; i < m.budgets.size(); ++i) {
    const auto& b = m.budgets[i];
    o += "{\"org\": \"" + b.org + "\", \"amount\": " + std::to_string(b.amount) + ", \"pooled\": " + boolean(b.pooled) +
         "}";
    o += i + 1 < m.budgets.size() ? ",\n" : "\n";
  }
  o += "]},\n\"shared_systems\": " + json_list(m.systems) + "\n}}\n";
  return o;
}

std::string workload_yaml(std::uint32_t n) {
  const model m = make(n);
  std::string o;
  o.reserve(n * 400);
  o += "partnership:\n  name: Place " + std::to_string(n) + "\n  organisations:\n";
  for (const auto& g : m.orgs) o += "    - id: " + g.id + "\n      kind: " + g.kind + "\n      area: " + g.area + "\n";
  o += "  people:\n";
  for (const auto& p : m.people)
    o += "    - id: " + p.id + "\n      name: " + p.name + "\n      seniority: " + p.seniority +
         "\n      scope: " + p.scope + "\n      organisations: " + yaml_list(p.organisations) +
         "\n      tenure_months: " + std::to_string(p.tenure) + "\n";
  o += "  leavers:\n";
  for (const auto& l : m.leavers)
    o += "    - person: " + l.person + "\n      seniority: " + l.seniority + "\n      replacement: {title: " + l.title +
         ", scope: " + l.scope + "}\n";
  o += "  teams:\n";
  for (const auto& t : m.teams)
    o += "    - id: " + t.id + "\n      cross_cutting: " + boolean(t.cross_cutting) +
         "\n      members: " + yaml_list(t.members) + "\n      organisations: " + yaml_list(t.organisations) + "\n";
  o += "  commissioning:\n    pooled: " + std::string(boolean(m.pooled)) + "\n    budgets:\n";
  for (const auto& b : m.budgets)
    o += "      - {org: " + b.org + ", amount: " + std::to_string(b.amount) + ", pooled: " + boolean(b.pooled) + "}\n";
  o += "  shared_systems: " + yaml_list(m.systems) + "\n";
  return o;
}

std::string generated_rules(std::uint32_t count) {
  static const char* const scopes[] = {"single-organisation", "local", "team-only", "agency"};
  static const char* const systems[] = {"email", "case-management", "records", "rota"};
  std::string o = "package generated\nuses partnership\n\n";
  for (std::uint32_t i = 0; i < count; ++i) {
    const auto k = std::to_string(i);
    const auto v = i / 8;  // variant: shifts every constant
    switch (i % 8) {
      case 0:
        o += "rule r1-" + k + " \"Senior leavers, variant " + k +
             "\" {\n  severity error\n"
             "  for each leaver in partnership.leavers\n    where leaver.seniority == \"senior\"\n"
             "  require leaver.replacement.scope != \"" +
             scopes[v % 4] +
             "\"\n"
             "  message \"{leaver.person} was replaced by a {leaver.replacement.scope} role\"\n}\n";
        break;
      case 1:
        o += "rule r2-" + k + " {\n  require partnership.commissioning.pooled == " + (v % 2 ? "false" : "true") +
             "\n}\n";
        break;
      case 2:
        o += "rule r3-" + k +
             " {\n  severity warning\n  for each team in partnership.teams\n"
             "    where team.cross_cutting == true\n  let size = count(team.members)\n"
             "  require size between " +
             std::to_string(5 + v % 10) + " and " + std::to_string(20 + v % 10) + "\n}\n";
        break;
      case 3:
        o += "rule r4-" + k +
             " {\n  for each team in partnership.teams where team.cross_cutting\n"
             "  require count(distinct(team.organisations)) >= " +
             std::to_string(2 + v % 3) + "\n}\n";
        break;
      case 4:
        o += "rule r5-" + k + " {\n  require \"" + systems[v % 4] + "\" in partnership.shared_systems\n}\n";
        break;
      case 5:
        o += "rule r6-" + k +
             " {\n  let budgets = partnership.commissioning.budgets\n"
             "  let pooled = sum(b.amount for b in budgets where b.pooled)\n"
             "  require pooled / sum(b.amount for b in budgets) >= 0." +
             std::to_string(1 + v % 9) + "\n}\n";
        break;
      case 6:
        o += "rule r7-" + k +
             " {\n  let seniors = count(p in partnership.people where p.seniority == \"senior\")\n"
             "  let short = count(p in partnership.people where p.seniority == \"senior\" and p.tenure_months < " +
             std::to_string(12 + v % 12) + ")\n  require short / seniors <= 0.3\n}\n";
        break;
      default:
        o += "rule r8-" + k +
             " {\n  for each org in partnership.organisations\n"
             "  require any t in partnership.teams: org.id in t.organisations\n"
             "  message \"{org.id} is in no team (variant " +
             k + ")\"\n}\n";
        break;
    }
    o += '\n';
  }
  return o;
}

}  // namespace joinup::bench
