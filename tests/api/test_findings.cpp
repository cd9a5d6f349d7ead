// policy::find and findings: the outcomes are those of policy::evaluate, and every violation
// rendered on demand (details(i), result()) is exactly what evaluate reports, on every golden case
// and on the example partnerships with the standard rule pack.
#include <catch2/catch.hpp>

#include <filesystem>
#include <optional>
#include <thread>

#include "fixed_date.hpp"
#include "joinup/joinup.hpp"

namespace fs = std::filesystem;

namespace {

struct workload {
  std::string name;
  joinup::policy policy;
  joinup::document doc;
};

std::vector<workload> workloads() {
  std::vector<workload> out;
  for (const auto& entry : fs::directory_iterator(fs::path(JOINUP_TEST_DIR) / "golden")) {
    if (!entry.is_directory()) continue;
    std::vector<std::string> rules;
    std::string data;
    for (const auto& f : fs::directory_iterator(entry.path())) {
      if (f.path().extension() == ".jup") rules.push_back(f.path().string());
      if (f.path().stem() == "data") data = f.path().string();
    }
    std::sort(rules.begin(), rules.end());
    out.push_back({entry.path().filename().string(), joinup::policy::load(rules), joinup::load_document_file(data)});
  }
  const auto pack = joinup::policy::load({std::string(JOINUP_SOURCE_DIR) + "/rules/integration"});
  for (const char* p : {"harrowfield-good", "eastmoor-struggling", "northvale-midway"})
    out.push_back(
        {p, pack,
         joinup::load_document_file(std::string(JOINUP_SOURCE_DIR) + "/examples/partnerships/" + p + ".yaml")});
  std::sort(out.begin(), out.end(), [](const workload& a, const workload& b) { return a.name < b.name; });
  return out;
}

std::string json(const joinup::evaluation_result& r, const joinup::policy& p) {
  return joinup::to_json({r}, p.rules());
}

}  // namespace

TEST_CASE("findings render exactly what evaluate reports", "[findings]") {
  const auto all = workloads();
  REQUIRE(all.size() >= 15);
  std::size_t violations = 0, deferred_subjects = 0;
  for (const auto& w : all) {
    INFO(w.name);
    const auto options = fixed_date();
    const auto expected = w.policy.evaluate(w.doc, options);
    const auto found = w.policy.find(w.doc, options);

    // Outcomes and counts, before anything is rendered.
    REQUIRE(found.rules().size() == expected.rules.size());
    std::size_t fails = 0;
    for (std::size_t r = 0; r < expected.rules.size(); ++r) {
      const auto& o = found.rules()[r];
      const auto& e = expected.rules[r];
      CHECK(o.rule_index == e.rule_index);
      CHECK(o.severity == e.severity);
      CHECK(o.result == e.result);
      CHECK(o.subjects == e.subjects);
      CHECK(o.count == e.violations.size());
      for (const auto& v : e.violations) fails += v.kind == joinup::outcome::fail;
    }
    CHECK(found.failures() == fails);
    const auto want = expected.summary(), got = found.summary();
    CHECK(got.rules == want.rules);
    CHECK(got.passed == want.passed);
    CHECK(got.failed == want.failed);
    CHECK(got.undetermined == want.undetermined);
    CHECK(got.not_applicable == want.not_applicable);
    CHECK(got.failing_subjects == want.failing_subjects);
    CHECK(got.undetermined_subjects == want.undetermined_subjects);
    for (int k = 0; k < 3; ++k) CHECK(got.failed_by_severity[k] == want.failed_by_severity[k]);
    for (auto t : {joinup::severity::error, joinup::severity::warning, joinup::severity::info})
      CHECK(found.fails_at(t) == expected.fails_at(t));

    // Each violation on its own, and all of them at once.
    std::size_t i = 0;
    for (std::size_t r = 0; r < expected.rules.size(); ++r) {
      for (const auto& e : expected.rules[r].violations) {
        REQUIRE(i < found.size());
        const auto& ref = found.violations()[i];
        CHECK(ref.rule == r);
        CHECK(ref.kind == e.kind);
        auto one = expected;
        for (auto& rr : one.rules) rr.violations.clear();
        one.rules[r].violations.push_back(found.details(i));
        auto want = expected;
        for (auto& rr : want.rules) rr.violations.clear();
        want.rules[r].violations.push_back(e);
        CHECK(json(one, w.policy) == json(want, w.policy));
        // The subject node is the element the violation is about.
        if (ref.subject != joinup::document::npos && ref.subject != w.doc.root()) {
          const auto path = w.doc.path(ref.subject);
          CHECK(e.subject.size() >= path.size());
          CHECK(e.subject.compare(e.subject.size() - path.size(), path.size(), path) == 0);
          CHECK(e.data_position.line == w.doc.position(ref.subject).line);
          ++deferred_subjects;
        }
        ++i;
      }
    }
    CHECK(i == found.size());
    violations += i;
    CHECK(json(found.result(), w.policy) == json(expected, w.policy));
    CHECK(to_text(found.result(), w.policy.rules()) == to_text(expected, w.policy.rules()));
  }
  // The comparison above is not vacuous.
  CHECK(violations > 100);
  CHECK(deferred_subjects > 50);
}

TEST_CASE("findings keep the policy and the document alive", "[findings]") {
  joinup::findings found;
  std::string expected;
  {
    const auto policy = joinup::policy::compile({{"t.jup", R"(uses teams
rule big "Teams are big" {
  for each team in teams
  require count(team.members) >= 3
})"}});
    const auto doc =
        joinup::load_document("teams:\n  - members: [a]\n  - members: [a, b, c]\n  - members: []\n", "d.yaml");
    found = policy.find(doc, fixed_date());
    expected = json(policy.evaluate(doc, fixed_date()), policy);
  }
  REQUIRE(found.size() == 2);
  CHECK(found.details(0).subject == "teams[0]");
  CHECK(found.details(1).subject == "teams[2]");
  CHECK(found.details(1).message == "expected count(team.members) >= 3, but count(team.members) is 0");
  CHECK(found.details(1).data_position.line == 4);
  CHECK_THROWS_AS(found.details(2), std::out_of_range);
  CHECK_THROWS_AS(joinup::findings().details(0), std::out_of_range);
  CHECK(joinup::findings().result().rules.empty());
  CHECK(expected.find("teams[2]") != std::string::npos);
}

TEST_CASE("findings render the same from many threads at once", "[findings]") {
  const auto pack = joinup::policy::load({std::string(JOINUP_SOURCE_DIR) + "/rules/integration"});
  const auto doc =
      joinup::load_document_file(std::string(JOINUP_SOURCE_DIR) + "/examples/partnerships/eastmoor-struggling.yaml");
  const auto found = pack.find(doc, fixed_date());
  const auto expected = json(found.result(), pack);
  REQUIRE(found.size() > 30);
  std::vector<std::string> got(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < got.size(); ++t)
    threads.emplace_back([&, t] {
      for (int k = 0; k < 5; ++k) got[t] = json(found.result(), pack);
    });
  for (auto& t : threads) t.join();
  for (const auto& g : got) CHECK(g == expected);
}

TEST_CASE("under a step budget every violation is rendered at once, with the same result", "[findings]") {
  const auto pack = joinup::policy::load({std::string(JOINUP_SOURCE_DIR) + "/rules/integration"});
  const auto doc =
      joinup::load_document_file(std::string(JOINUP_SOURCE_DIR) + "/examples/partnerships/northvale-midway.yaml");
  auto options = fixed_date();
  options.max_steps = 10'000'000;
  const auto found = pack.find(doc, options);
  CHECK(json(found.result(), pack) == json(pack.evaluate(doc, fixed_date()), pack));
  options.max_steps = 10;
  CHECK_THROWS_AS(pack.find(doc, options), joinup::error);
}

TEST_CASE("find selects rules and refuses unknown ones as evaluate does", "[findings]") {
  const auto pack = joinup::policy::load({std::string(JOINUP_SOURCE_DIR) + "/rules/integration"});
  const auto doc =
      joinup::load_document_file(std::string(JOINUP_SOURCE_DIR) + "/examples/partnerships/eastmoor-struggling.yaml");
  auto options = fixed_date();
  options.tags = {"teams"};
  const auto found = pack.find(doc, options);
  REQUIRE(!found.rules().empty());
  for (const auto& r : found.rules()) {
    const auto& tags = pack.rules()[r.rule_index].tags;
    CHECK(std::find(tags.begin(), tags.end(), "teams") != tags.end());
  }
  CHECK(found.rules().size() == pack.evaluate(doc, options).rules.size());
  // Several tags (one twice, one that no rule has): every rule with any of them, once each, in
  // rule-set order, as a pass over every rule's tags gives them.
  options.tags = {"money", "leadership", "no-such-tag", "money"};
  std::vector<std::uint32_t> expected;
  for (std::uint32_t i = 0; i < pack.rules().size(); ++i)
    for (const auto& t : pack.rules()[i].tags)
      if (t == "money" || t == "leadership") {
        expected.push_back(i);
        break;
      }
  REQUIRE(expected.size() > 3);
  const auto by_tags = pack.find(doc, options);
  std::vector<std::uint32_t> got;
  for (const auto& r : by_tags.rules()) got.push_back(r.rule_index);
  CHECK(got == expected);
  options.tags = {"no-such-tag"};
  CHECK(pack.find(doc, options).rules().empty());
  // With `only`, tags narrow the rules it names.
  const auto has_money = [&](const joinup::rule_info& r) {
    return std::find(r.tags.begin(), r.tags.end(), "money") != r.tags.end();
  };
  const auto* money = &*std::find_if(pack.rules().begin(), pack.rules().end(), has_money);
  const auto* leaver = pack.find_rule("integration.workforce.senior-leaver-replacement");
  REQUIRE(leaver);
  REQUIRE(!has_money(*leaver));
  options.tags = {"money"};
  options.only = {leaver->full_id, money->full_id};
  const auto narrowed = pack.find(doc, options);
  REQUIRE(narrowed.rules().size() == 1);
  CHECK(pack.rules()[narrowed.rules()[0].rule_index].full_id == money->full_id);
  options.only.clear();
  options.tags.clear();
  options.only = {"integration.teams.no-such-rule"};
  CHECK_THROWS_AS(pack.find(doc, options), joinup::error);
  CHECK(joinup::policy().find(doc).rules().empty());
}

TEST_CASE("a subject whose lets hold computed values is rendered later as it would be at once", "[findings]") {
  // Lets holding a default string, a comprehension and a joined text, one of them between two
  // for-each steps: find() keeps these subjects waiting and evaluates the lets again in details(i);
  // under a step budget every violation is rendered at once. Both must give the same bytes.
  const auto policy = joinup::policy::compile({{"t.jup", R"(uses teams
rule named "Teams have a lead" {
  for each team in teams
  let lead = team.lead ?? "no lead recorded"
  let names = [m for m in team.members where m != "x"]
  require has(team.lead)
  message "{team.name} has {lead}; members {names}"
}

rule members "Members are known" {
  for each team in teams
  let label = join([team.name, "team"], " ")
  for each m in team.members
  let shout = upper(m)
  require m != "x"
  message "{label}: {shout} is not known"
})"}});
  const auto doc = joinup::load_document(
      "teams:\n  - name: red\n    members: [a, x]\n  - name: blue\n    lead: Ann\n    members: [x]\n"
      "  - name: green\n    members: []\n",
      "d.yaml");
  auto options = fixed_date();
  const auto found = policy.find(doc, options);
  options.max_steps = 10'000'000;
  const auto at_once = policy.evaluate(doc, options);
  REQUIRE(found.size() == 4);
  CHECK(json(found.result(), policy) == json(at_once, policy));
  CHECK(found.details(0).message == "red has no lead recorded; members [a]");
  CHECK(found.details(3).message == "blue team: X is not known");

  // The standard pack on a leaver event, as a host checks one.
  const auto pack = joinup::policy::load({std::string(JOINUP_SOURCE_DIR) + "/rules/integration"});
  const auto event = joinup::load_document_file(std::string(JOINUP_SOURCE_DIR) + "/bench/event.json");
  const auto lazy = pack.find(event, fixed_date());
  REQUIRE(lazy.size() > 0);
  CHECK(json(lazy.result(), pack) == json(pack.evaluate(event, options), pack));
}

TEST_CASE("a subject a require leaves undetermined is rendered later as it would be at once", "[findings]") {
  // find() keeps such subjects waiting, with the missing value's text written only when read:
  // the messages (a misspelt key's guess, an index past the end, a rule's own undetermined text,
  // a value that is not true or false), explanations and places must be those of a step-budget
  // evaluation, which renders every violation at once.
  const auto policy = joinup::policy::compile({{"t.jup", R"(uses teams
rule leads "Teams have a lead" {
  for each team in teams
  require team.lead.name != "x"
}

rule sizes "Teams are sized" {
  for each team in teams
  require team.members[3] != "x" or team.size > 2
}

rule worded "Teams say who leads" {
  undetermined "Record who leads {team.name}"
  for each team in teams
  require team.lead.name != "x"
}

rule flags "Teams are flagged" {
  for each team in teams
  require team.name
}

rule first "The first team has a lead" {
  require teams[0].lead.name != "x" and count(teams[2].members) > 0
})"}});
  const auto doc = joinup::load_document(
      "teams:\n  - name: red\n    leed: {name: Ann}\n    members: [a, b]\n  - name: blue\n    lead: {nom: Bo}\n",
      "d.yaml");
  auto options = fixed_date();
  const auto found = policy.find(doc, options);
  options.max_steps = 10'000'000;
  const auto at_once = policy.evaluate(doc, options);
  REQUIRE(found.size() == 9);
  for (const auto& v : found.violations()) CHECK(v.kind == joinup::outcome::undetermined);
  CHECK(json(found.result(), policy) == json(at_once, policy));
  for (std::size_t i = 0; i < found.size(); ++i) {
    INFO(i);
    const auto one = found.details(i);
    std::size_t k = i;
    for (const auto& r : at_once.rules) {
      if (k < r.violations.size()) {
        CHECK(one.message == r.violations[k].message);
        CHECK(one.explanation.size() == r.violations[k].explanation.size());
        CHECK(one.data_position.line == r.violations[k].data_position.line);
        break;
      }
      k -= r.violations.size();
    }
  }
  CHECK(found.details(0).message == "teams[0].lead is missing (did you mean 'leed'?)");
  CHECK(found.details(4).message == "Record who leads red");
}

TEST_CASE("rules chosen by id: a full id, any dotted end of one, and the words for none or several", "[findings]") {
  // `a.x` is the full id of one rule and the end of another's (`b.a.x`): a full id names its rule
  // alone. `y` ends two rules' ids: ambiguous.
  const auto policy = joinup::policy::compile({{"a.jup",
                                                "package a\nuses d\nrule x {\n  require true\n}\n"
                                                "rule y {\n  require true\n}\n"},
                                               {"b.jup",
                                                "package b.a\nuses d\nrule x {\n  require true\n}\n"
                                                "rule y {\n  require false\n}\n"
                                                "rule w {\n  require true\n}\n"}});
  const auto doc = joinup::load_document("d: {}", "d.yaml");
  const auto chosen = [&](std::vector<std::string> ids) {
    auto options = fixed_date();
    options.only = std::move(ids);
    std::vector<std::string> out;
    const auto found = policy.find(doc, options);
    for (const auto& r : found.rules()) out.push_back(policy.rules()[r.rule_index].full_id);
    return out;
  };
  CHECK(chosen({"a.x"}) == std::vector<std::string>{"a.x"});
  CHECK(chosen({"b.a.x"}) == std::vector<std::string>{"b.a.x"});
  CHECK(chosen({"a.y", "b.a.y", "a.y"}) == std::vector<std::string>{"a.y", "b.a.y"});
  CHECK(chosen({"a.y"}) == std::vector<std::string>{"a.y"});  // though b.a.y ends with it too
  CHECK(chosen({"w"}) == std::vector<std::string>{"b.a.w"});
  CHECK(chosen({"a.w", "b.a.w"}) == std::vector<std::string>{"b.a.w"});
  try {
    chosen({"y"});
    FAIL("an ambiguous id was accepted");
  } catch (const joinup::error& e) {
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].message == "the rule id 'y' is ambiguous: it names 'a.y' and 'b.a.y'");
  }
  try {
    chosen({"a.q"});
    FAIL("an unknown id was accepted");
  } catch (const joinup::error& e) {
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].message == "no rule 'a.q' in the rule set");
  }
  CHECK_THROWS_AS(chosen({""}), joinup::error);
}

// The lists of a findings object are handed, when it goes, to the next evaluation on the thread
// where it goes (eval::keep_room): findings still held keep theirs whole, copies keep their own,
// and findings that go on another thread, or at a thread's exit before or after that thread's
// kept lists have gone, are freed as usual.
namespace {

struct snapshot {
  std::vector<std::pair<std::uint32_t, joinup::outcome>> rules;
  std::vector<std::pair<std::uint32_t, joinup::document::node_id>> violations;
  bool operator==(const snapshot&) const = default;
};

snapshot snap(const joinup::findings& f) {
  snapshot s;
  for (const auto& r : f.rules()) s.rules.push_back({r.rule_index, r.result});
  for (const auto& v : f.violations()) s.violations.push_back({v.rule, v.subject});
  return s;
}

}  // namespace

TEST_CASE("findings keep their lists while later evaluations reuse the room of those gone") {
  const auto p = joinup::policy::compile(
      {{"t.jup",
        "uses d\nrule r {\n  for each x in d.xs\n  require x < 3\n}\nrule s {\n  require count(d.xs) < 2\n}\n"}});
  const auto small = joinup::load_document("d: {xs: [5, 1, 7]}\n", "a.yaml");
  std::string many = "d: {xs: [";
  std::size_t large_fails = 2;  // the 9 at the end, and the count
  for (int i = 0; i < 3000; ++i) {
    many += std::to_string(i % 7) + ", ";
    large_fails += i % 7 >= 3;
  }
  many += "9]}\n";
  const auto large = joinup::load_document(many, "b.yaml");
  const auto held = p.find(small, fixed_date());
  const auto held_as = snap(held);
  REQUIRE(held_as.violations.size() == 3);  // x = 5 and 7, and the count
  for (int round = 0; round < 4; ++round) {
    // Findings that go at once give their room to the next; a large one is freed; the held one
    // is untouched throughout.
    CHECK(p.find(small, fixed_date()).size() == 3);
    CHECK(p.find(large, fixed_date()).size() == large_fails);
    auto copy = held;
    auto moved = std::move(copy);
    CHECK(snap(moved) == held_as);
  }
  CHECK(snap(held) == held_as);
  CHECK(held.details(0).subject == "d.xs[0]");
  // Made on one thread, gone on another; and held in a thread's own thread_local storage, made
  // before and after that thread's first evaluation, so that they go after and before its room.
  std::optional<joinup::findings> elsewhere = p.find(small, fixed_date());
  std::thread([&] {
    elsewhere.reset();
    thread_local std::optional<joinup::findings> before;
    before = p.find(small, fixed_date());
    thread_local std::optional<joinup::findings> after;
    after = p.find(large, fixed_date());
    CHECK(snap(*before).violations.size() == 3);
  }).join();
  std::thread([&] {
    thread_local std::optional<joinup::findings> first;  // made before the room: goes after it
    first.emplace();
    *first = p.find(small, fixed_date());
    CHECK(p.find(small, fixed_date()).size() == 3);
  }).join();
  CHECK(snap(p.find(small, fixed_date())) == held_as);
}
