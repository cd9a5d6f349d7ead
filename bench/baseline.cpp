// The baseline checks. Written the way a competent programmer would write them by hand against
// a JSON DOM: one loop per check, no allocation beyond the result, a hash set for the join (R8).
#include "baseline.hpp"

#include <unordered_map>
#include <unordered_set>

namespace joinup::bench {

namespace {

using simdjson::dom::array;
using simdjson::dom::element;

void r1(element p, findings& f) {
  std::uint32_t i = 0;
  for (element l : array(p["leavers"])) {
    if (std::string_view(l["seniority"]) == "senior" &&
        std::string_view(l["replacement"]["scope"]) == "single-organisation")
      f.r1.push_back(i);
    ++i;
  }
}

void r2(element p, findings& f) { f.r2 = !bool(p["commissioning"]["pooled"]); }

void r3(element p, findings& f) {
  std::uint32_t i = 0;
  for (element t : array(p["teams"])) {
    if (bool(t["cross_cutting"])) {
      const auto size = array(t["members"]).size();
      if (size < 10 || size > 20) f.r3.push_back(i);
    }
    ++i;
  }
}

void r4(element p, findings& f) {
  std::uint32_t i = 0;
  for (element t : array(p["teams"])) {
    if (bool(t["cross_cutting"])) {
      // Two distinct organisations: some element differs from the first.
      bool two = false;
      std::string_view first;
      bool have_first = false;
      for (element o : array(t["organisations"])) {
        const std::string_view s(o);
        if (!have_first) {
          first = s;
          have_first = true;
        } else if (s != first) {
          two = true;
          break;
        }
      }
      if (!two) f.r4.push_back(i);
    }
    ++i;
  }
}

void r5(element p, findings& f) {
  bool found = false;
  for (element s : array(p["shared_systems"]))
    if (s.is_string() && std::string_view(s) == "email") found = true;
  f.r5 = !found;
}

void r6(element p, findings& f) {
  double pooled = 0, all = 0;
  for (element b : array(p["commissioning"]["budgets"])) {
    const double amount = double(b["amount"]);
    all += amount;
    if (bool(b["pooled"])) pooled += amount;
  }
  f.r6 = !(pooled / all >= 0.5);
}

void r7(element p, findings& f) {
  std::uint64_t seniors = 0, fresh = 0;
  for (element person : array(p["people"])) {
    if (std::string_view(person["seniority"]) != "senior") continue;
    ++seniors;
    if (std::int64_t(person["tenure_months"]) < 18) ++fresh;
  }
  f.r7 = !(static_cast<double>(fresh) / static_cast<double>(seniors) <= 0.3);
}

void r8(element p, findings& f) {
  std::unordered_set<std::string_view> in_teams;
  for (element t : array(p["teams"]))
    for (element o : array(t["organisations"])) in_teams.insert(std::string_view(o));
  std::uint32_t i = 0;
  for (element o : array(p["organisations"])) {
    if (!in_teams.count(std::string_view(o["id"]))) f.r8.push_back(i);
    ++i;
  }
}

// "partnership.teams[12]" -> 12
std::uint32_t index_of(const std::string& subject) {
  const auto open = subject.rfind('[');
  return static_cast<std::uint32_t>(std::stoul(subject.substr(open + 1)));
}

}  // namespace

findings baseline_check(element root, int which) {
  findings f;
  const element p = root["partnership"];
  void (*const checks[])(element, findings&) = {r1, r2, r3, r4, r5, r6, r7, r8};
  for (int k = 1; k <= 8; ++k)
    if (which == 0 || which == k) checks[k - 1](p, f);
  return f;
}

namespace {

// Where one rule's part of the findings goes: the indexes of its violating elements (R1, R3, R4,
// R8), or whether it failed (the others), by the rule's full id (workload.r3).
std::vector<std::uint32_t>* elements_of(findings& f, const std::string& full_id) {
  const auto id = full_id.substr(full_id.rfind('.') + 1);
  return id == "r1" ? &f.r1 : id == "r3" ? &f.r3 : id == "r4" ? &f.r4 : id == "r8" ? &f.r8 : nullptr;
}
bool* failed_of(findings& f, const std::string& full_id) {
  const auto id = full_id.substr(full_id.rfind('.') + 1);
  return id == "r2" ? &f.r2 : id == "r5" ? &f.r5 : id == "r6" ? &f.r6 : id == "r7" ? &f.r7 : nullptr;
}

}  // namespace

findings engine_findings(const evaluation_result& result) {
  findings f;
  for (const auto& r : result.rules) {
    if (auto* elements = elements_of(f, r.rule_id))
      for (const auto& v : r.violations) elements->push_back(index_of(v.subject));
    else if (bool* failed = failed_of(f, r.rule_id))
      *failed = r.result != outcome::pass;
  }
  return f;
}

findings engine_findings(const joinup::findings& found, const policy& policy, const document& doc) {
  findings f;
  for (const auto& r : found.rules()) {
    const auto& id = policy.rules()[r.rule_index].full_id;
    if (auto* elements = elements_of(f, id))
      for (std::uint32_t i = r.first; i < r.first + r.count; ++i)
        elements->push_back(index_of(doc.path(found.violations()[i].subject)));
    else if (bool* failed = failed_of(f, id))
      *failed = r.result != outcome::pass;
  }
  return f;
}

std::string describe(const findings& f) {
  std::string out;
  auto list = [&](const char* name, const std::vector<std::uint32_t>& xs) {
    out += std::string(name) + ": " + std::to_string(xs.size()) + " [";
    for (std::size_t i = 0; i < xs.size() && i < 8; ++i) out += (i ? ", " : "") + std::to_string(xs[i]);
    out += xs.size() > 8 ? ", ...]\n" : "]\n";
  };
  list("r1", f.r1);
  out += std::string("r2: ") + (f.r2 ? "fails\n" : "passes\n");
  list("r3", f.r3);
  list("r4", f.r4);
  out += std::string("r5: ") + (f.r5 ? "fails\n" : "passes\n");
  out += std::string("r6: ") + (f.r6 ? "fails\n" : "passes\n");
  out += std::string("r7: ") + (f.r7 ? "fails\n" : "passes\n");
  list("r8", f.r8);
  return out;
}

// ---------------------------------------------------------------- the general shapes

namespace {

// S1: the senior people counted per first organisation in one pass, then each organisation
// looked up.
void s1(element p, shape_findings& f) {
  std::unordered_map<std::string_view, std::uint32_t> seniors;
  for (element person : array(p["people"]))
    if (std::string_view(person["seniority"]) == "senior")
      ++seniors[std::string_view(array(person["organisations"]).at(0))];
  std::uint32_t i = 0;
  for (element o : array(p["organisations"])) {
    const auto it = seniors.find(std::string_view(o["id"]));
    if (it == seniors.end() || it->second < 5) f.s[0].push_back(i);
    ++i;
  }
}

// S2 and S3: a hash set of the known ids, then each reference looked up.
void known(array known_list, array refs, const char* ref_key, std::vector<std::uint32_t>& out) {
  std::unordered_set<std::string_view> ids;
  for (element k : known_list) ids.insert(std::string_view(k["id"]));
  std::uint32_t i = 0;
  for (element r : refs) {
    if (!ids.count(std::string_view(r[ref_key]))) out.push_back(i);
    ++i;
  }
}
void s2(element p, shape_findings& f) { known(p["organisations"], p["commissioning"]["budgets"], "org", f.s[1]); }
void s3(element p, shape_findings& f) { known(p["people"], p["leavers"], "person", f.s[2]); }

// S4: the budgets summed per organisation in one pass (in document order, as the rule adds them).
void s4(element p, shape_findings& f) {
  std::unordered_map<std::string_view, double> totals;
  for (element b : array(p["commissioning"]["budgets"])) totals[std::string_view(b["org"])] += double(b["amount"]);
  std::uint32_t i = 0;
  for (element o : array(p["organisations"])) {
    const auto it = totals.find(std::string_view(o["id"]));
    if (!((it == totals.end() ? 0.0 : it->second) <= 400000)) f.s[3].push_back(i);
    ++i;
  }
}

// S5: the people's positions by id (ids are meant to be unique; a later person with the same id
// is chained to the first), then each senior leaver's person looked up.
void s5(element p, shape_findings& f) {
  std::unordered_map<std::string_view, std::uint32_t> first;
  std::vector<element> people;
  std::vector<std::uint32_t> next;  // the next person with the same id, or npos
  constexpr std::uint32_t npos = 0xFFFFFFFFu;
  const array list = p["people"];
  people.reserve(list.size());
  next.reserve(list.size());
  for (element person : list) {
    const auto k = static_cast<std::uint32_t>(people.size());
    people.push_back(person);
    next.push_back(npos);
    const auto [it, fresh] = first.try_emplace(std::string_view(person["id"]), k);
    if (!fresh) {
      std::uint32_t at = it->second;
      while (next[at] != npos) at = next[at];
      next[at] = k;
    }
  }
  for (element l : array(p["leavers"])) {
    if (std::string_view(l["seniority"]) != "senior") continue;
    const auto it = first.find(std::string_view(l["person"]));
    if (it == first.end()) continue;
    for (std::uint32_t k = it->second; k != npos; k = next[k])
      if (std::string_view(people[k]["seniority"]) != "senior") f.s[4].push_back(k);
  }
}

// S6: the organisations' positions by id (the first of an id wins, as `first` takes it), then
// each person's first organisation looked up.
void s6(element p, shape_findings& f) {
  std::unordered_map<std::string_view, std::string_view> kind;
  for (element o : array(p["organisations"])) kind.try_emplace(std::string_view(o["id"]), std::string_view(o["kind"]));
  std::uint32_t i = 0;
  for (element person : array(p["people"])) {
    const auto it = kind.find(std::string_view(array(person["organisations"]).at(0)));
    if ((it == kind.end() ? std::string_view("unknown") : it->second) == "police") f.s[5].push_back(i);
    ++i;
  }
}

int shape_of(const std::string& full_id) {
  const auto id = full_id.substr(full_id.rfind('.') + 1);
  return id.size() == 2 && id[0] == 's' && id[1] >= '1' && id[1] <= '6' ? id[1] - '1' : -1;
}

}  // namespace

shape_findings baseline_shapes(element root, int which) {
  shape_findings f;
  const element p = root["partnership"];
  void (*const shapes[])(element, shape_findings&) = {s1, s2, s3, s4, s5, s6};
  for (int k = 1; k <= 6; ++k)
    if (which == 0 || which == k) shapes[k - 1](p, f);
  return f;
}

shape_findings engine_shape_findings(const evaluation_result& result) {
  shape_findings f;
  for (const auto& r : result.rules)
    if (const int k = shape_of(r.rule_id); k >= 0)
      for (const auto& v : r.violations) f.s[k].push_back(index_of(v.subject));
  return f;
}

shape_findings engine_shape_findings(const joinup::findings& found, const policy& policy, const document& doc) {
  shape_findings f;
  for (const auto& r : found.rules())
    if (const int k = shape_of(policy.rules()[r.rule_index].full_id); k >= 0)
      for (std::uint32_t i = r.first; i < r.first + r.count; ++i)
        f.s[k].push_back(index_of(doc.path(found.violations()[i].subject)));
  return f;
}

std::string describe(const shape_findings& f) {
  std::string out;
  for (int k = 0; k < 6; ++k) {
    out += "s" + std::to_string(k + 1) + ": " + std::to_string(f.s[k].size()) + " [";
    for (std::size_t i = 0; i < f.s[k].size() && i < 8; ++i) out += (i ? ", " : "") + std::to_string(f.s[k][i]);
    out += f.s[k].size() > 8 ? ", ...]\n" : "]\n";
  }
  return out;
}

}  // namespace joinup::bench
