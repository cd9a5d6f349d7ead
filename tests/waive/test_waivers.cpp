// Waivers bound to what they waive: each way a waiver could apply where it should not — another
// plan, another element after an insertion, a run of several plans with a waiver that names none
// — and the stable identities and fingerprints that bind them.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "joinup/diagnostic.hpp"
#include "joinup/document.hpp"
#include "joinup/policy.hpp"
#include "joinup/report.hpp"
#include "joinup/waivers.hpp"

namespace {

const joinup::date as_of = joinup::date::from_ymd(2026, 11, 21);

joinup::policy leaver_rule() {
  return joinup::policy::compile({{"w.jup", R"(package t
uses partnership

rule replace "Replace senior leavers jointly" {
  for each leaver in partnership.leavers
    where leaver.seniority == "senior"
  require leaver.replacement == "joint"
})"}});
}

const char* plan = R"(partnership:
  leavers:
    - {name: Ann Lee, seniority: senior, replacement: single}
    - {name: Bo Chen, seniority: senior, replacement: single}
)";

// The same plan with a leaver inserted above the others.
const char* plan_inserted = R"(partnership:
  leavers:
    - {name: Cal Roe, seniority: senior, replacement: single}
    - {name: Ann Lee, seniority: senior, replacement: single}
    - {name: Bo Chen, seniority: senior, replacement: single}
)";

struct run {
  std::vector<joinup::evaluation_result> results;
  std::vector<joinup::waiver_status> status;
};

// Evaluates each (origin, text) plan, identifies its subjects and applies the waivers.
run check(const std::vector<std::pair<std::string, std::string>>& plans, const std::string& waivers_text,
          const std::string& waivers_origin = "waivers.yaml") {
  const auto pol = leaver_rule();
  run r;
  for (const auto& [origin, text] : plans) {
    const auto doc = joinup::load_document(text, origin);
    joinup::evaluate_options o;
    o.as_of = as_of;
    r.results.push_back(pol.evaluate(doc, o));
    joinup::identify_subjects(r.results.back(), doc);
  }
  r.status = joinup::apply_waivers(r.results, joinup::load_waivers(waivers_text, waivers_origin), pol.rules());
  return r;
}

// The names of the waived leavers of result i, in document order.
std::vector<std::string> waived(const run& r, std::size_t i = 0) {
  std::vector<std::string> out;
  for (const auto& rr : r.results.at(i).rules)
    for (const auto& v : rr.violations)
      if (v.waived()) out.push_back(v.subject_key);
  return out;
}

}  // namespace

TEST_CASE("a subject's stable identity is its id, else its name, else its position", "[waive][identity]") {
  const auto doc = joinup::load_document(R"(p:
  orgs:
    - {id: north, name: North Council, sites: [{name: Depot}, {code: 7}]}
    - {name: South Trust}
    - {code: x}
    - {name: "A ]B"}
    - {id: 42}
    - {id: twin}
    - {id: twin}
    - {name: ""}
)",
                                         "d.yaml");
  using joinup::subject_identity;
  CHECK(subject_identity(doc, "p.orgs[0]") == "p.orgs[id=north]");
  CHECK(subject_identity(doc, "p.orgs[0].sites[0]") == "p.orgs[id=north].sites[name=Depot]");
  CHECK(subject_identity(doc, "p.orgs[0].sites[1]") == "p.orgs[id=north].sites[1]");
  CHECK(subject_identity(doc, "p.orgs[1]") == "p.orgs[name=South Trust]");
  CHECK(subject_identity(doc, "p.orgs[2]") == "p.orgs[2]");
  CHECK(subject_identity(doc, "p.orgs[3]") == R"(p.orgs[name="A ]B"])");
  CHECK(subject_identity(doc, "p.orgs[4]") == "p.orgs[id=42]");
  // Two elements that share an id keep their positions: the id would not say which is meant.
  CHECK(subject_identity(doc, "p.orgs[5]") == "p.orgs[5]");
  CHECK(subject_identity(doc, "p.orgs[6]") == "p.orgs[6]");
  CHECK(subject_identity(doc, "p.orgs[7]") == "p.orgs[7]");
  // Paths that do not resolve are kept as they are.
  CHECK(subject_identity(doc, "p.orgs[99]") == "p.orgs[99]");
  CHECK(subject_identity(doc, "p.nothing[0]") == "p.nothing[0]");
  CHECK(subject_identity(doc, "") == "");
}

TEST_CASE("a subject of several elements has each identified", "[waive][identity]") {
  const auto doc = joinup::load_document("teams:\n  - {id: a}\n  - {x: 1}\n  - {id: c}\n", "d.yaml");
  CHECK(joinup::subject_identity(doc, "teams[0], teams[2]") == "teams[id=a], teams[id=c]");
  CHECK(joinup::subject_identity(doc, "teams[1], teams[2]") == "teams[1], teams[id=c]");
}

TEST_CASE("a quoted key in a path resolves", "[waive][identity]") {
  const auto doc = joinup::load_document("\"odd key\":\n  - {id: a}\n", "d.yaml");
  CHECK(joinup::subject_identity(doc, R"(["odd key"][0])") == R"(["odd key"][id=a])");
}

TEST_CASE("a waiver keeps its leaver when another is inserted above it", "[waive]") {
  const std::string w = R"(waivers:
  - rule: t.replace
    subject: "partnership.leavers[name=Bo Chen]"
    reason: interim
)";
  const auto before = check({{"plan.yaml", plan}}, w);
  CHECK(waived(before) == std::vector<std::string>{"partnership.leavers[name=Bo Chen]"});
  const auto after = check({{"plan.yaml", plan_inserted}}, w);
  CHECK(waived(after) == std::vector<std::string>{"partnership.leavers[name=Bo Chen]"});
  CHECK(after.status[0].state == joinup::waiver_state::used);
  CHECK(after.status[0].stable_subject.empty());
}

TEST_CASE("a waiver whose element is gone is unused", "[waive]") {
  const std::string w = R"(waivers:
  - rule: t.replace
    subject: "partnership.leavers[name=Dee Fox]"
    reason: she left the plan
)";
  const auto r = check({{"plan.yaml", plan}}, w);
  CHECK(waived(r).empty());
  CHECK(r.status[0].state == joinup::waiver_state::unused);
  CHECK_THAT(r.status[0].note, Catch::Contains("matches no finding"));
}

TEST_CASE("a name two elements share waives neither", "[waive]") {
  const char* twins = R"(partnership:
  leavers:
    - {name: Ann Lee, seniority: senior, replacement: single}
    - {name: Ann Lee, seniority: senior, replacement: single}
)";
  const std::string w = R"(waivers:
  - rule: t.replace
    subject: "partnership.leavers[name=Ann Lee]"
    reason: which one?
)";
  const auto r = check({{"plan.yaml", twins}}, w);
  CHECK(waived(r).empty());
  CHECK(r.status[0].state == joinup::waiver_state::unused);
}

TEST_CASE("an element is named by its id, not by its name, when it has both", "[waive]") {
  const char* plan_ids = R"(partnership:
  leavers:
    - {id: al, name: Ann Lee, seniority: senior, replacement: single}
)";
  const std::string by_name = R"(waivers:
  - rule: t.replace
    subject: "partnership.leavers[name=Ann Lee]"
    reason: the name, not the id
)";
  const auto r = check({{"plan.yaml", plan_ids}}, by_name);
  CHECK(waived(r).empty());
  CHECK(r.status[0].state == joinup::waiver_state::unused);
  CHECK_THAT(r.status[0].note, Catch::EndsWith("(it found 'partnership.leavers[id=al]')"));
}

TEST_CASE("a positional subject still matches, with the stable spelling to use", "[waive]") {
  const std::string w = R"(waivers:
  - rule: t.replace
    subject: "partnership.leavers[1]"
    reason: interim
)";
  const auto r = check({{"plan.yaml", plan}}, w);
  CHECK(waived(r) == std::vector<std::string>{"partnership.leavers[name=Bo Chen]"});
  CHECK(r.status[0].stable_subject == "partnership.leavers[name=Bo Chen]");
}

TEST_CASE("a waiver that names no file is refused when several plans are checked", "[waive][files]") {
  const std::string w = R"(waivers:
  - rule: t.replace
    reason: everywhere?
  - rule: t.replace
    file: a.yaml
    reason: scoped
)";
  try {
    check({{"a.yaml", plan}, {"b.yaml", plan}}, w);
    FAIL("no error");
  } catch (const joinup::error& e) {
    REQUIRE(e.diagnostics().size() == 1);  // the scoped waiver is fine
    const auto& d = e.diagnostics()[0];
    CHECK(d.code == "ambiguous-waiver");
    CHECK(d.origin == "waivers.yaml");
    CHECK(d.line == 2);
    CHECK(d.column == 5);
    CHECK_THAT(d.message, Catch::Contains("2 data files are checked"));
  }
  // One plan: the waiver without a file is for that plan.
  CHECK(waived(check({{"a.yaml", plan}}, w)).size() == 2);
  CHECK_THROWS_AS(joinup::check_waiver_files(joinup::load_waivers(w, "w.yaml"), 2), joinup::error);
  CHECK_NOTHROW(joinup::check_waiver_files(joinup::load_waivers(w, "w.yaml"), 1));
}

TEST_CASE("a waiver for one plan waives nothing in another", "[waive][files]") {
  const std::string w = R"(waivers:
  - rule: t.replace
    file: plans/north.yaml
    reason: north only
)";
  const auto r = check({{"plans/north.yaml", plan}, {"plans/east.yaml", plan}}, w);
  CHECK(waived(r, 0).size() == 2);
  CHECK(waived(r, 1).empty());
}

TEST_CASE("a waiver's files are relative to the waivers file, and may be globs", "[waive][files]") {
  const std::string w = R"(waivers:
  - rule: t.replace
    files: ["north-*.yaml", "../other/south.yaml"]
    reason: the north plans and the south one
)";
  const auto r = check({{"plans/north-1.yaml", plan},
                        {"./plans/north-2.yaml", plan},
                        {"plans/east.yaml", plan},
                        {"north-1.yaml", plan},
                        {"other/south.yaml", plan},
                        {"plans/sub/north-3.yaml", plan}},
                       w, "plans/waivers.yaml");
  CHECK(waived(r, 0).size() == 2);
  CHECK(waived(r, 1).size() == 2);
  CHECK(waived(r, 2).empty());
  CHECK(waived(r, 3).empty());  // the same name in another folder
  CHECK(waived(r, 4).size() == 2);
  CHECK(waived(r, 5).empty());  // `*` does not cross a folder
}

TEST_CASE("an absolute data path matches a relative waiver path", "[waive][files]") {
  joinup::waiver w;
  w.files = {"plans/a.yaml"};
  w.base = "";
  const auto abs = (std::filesystem::current_path() / "plans/a.yaml").generic_string();
  CHECK(joinup::waiver_covers(w, abs));
  CHECK(joinup::waiver_covers(w, "plans/./a.yaml"));
  CHECK_FALSE(joinup::waiver_covers(w, "plans/a.yaml.bak"));
  CHECK_FALSE(joinup::waiver_covers(w, "-"));
  w.files.clear();
  CHECK(joinup::waiver_covers(w, "anything.yaml"));
}

TEST_CASE("the waivers file's folder is taken literally, the pattern as a glob", "[waive][files]") {
  joinup::waiver w;
  w.base = "plans [draft]";
  w.files = {"*.yaml"};
  CHECK(joinup::waiver_covers(w, "plans [draft]/north.yaml"));
  CHECK_FALSE(joinup::waiver_covers(w, "plans d/north.yaml"));  // [draft] is no character set here
  w.files = {"north-[12].yaml"};
  CHECK(joinup::waiver_covers(w, "plans [draft]/north-2.yaml"));
  CHECK_FALSE(joinup::waiver_covers(w, "plans [draft]/north-3.yaml"));
}

TEST_CASE("a subject waiver does not waive the same subject in another plan", "[waive][files]") {
  const std::string w = R"(waivers:
  - rule: t.replace
    file: north.yaml
    subject: "partnership.leavers[name=Ann Lee]"
    reason: north's Ann Lee only
)";
  // Both plans have an Ann Lee; only north's is waived.
  const auto r = check({{"north.yaml", plan}, {"east.yaml", plan_inserted}}, w);
  CHECK(waived(r, 0) == std::vector<std::string>{"partnership.leavers[name=Ann Lee]"});
  CHECK(waived(r, 1).empty());
}

TEST_CASE("a waiver for a plan not in the run is not reported, one for a missing file is", "[waive][files]") {
  const auto dir = std::filesystem::temp_directory_path() / "joinup-waive-test";
  std::filesystem::create_directories(dir);
  { std::ofstream(dir / "other.yaml") << "x: 1\n"; }
  const std::string w = R"(waivers:
  - rule: t.replace
    file: other.yaml
    reason: a plan checked in another run
  - rule: t.replace
    file: othr.yaml
    reason: a typo
)";
  const auto r = check({{(dir / "plan.yaml").string(), plan}}, w, (dir / "waivers.yaml").string());
  CHECK(waived(r).empty());
  CHECK(r.status[0].state == joinup::waiver_state::not_evaluated);
  CHECK(r.status[1].state == joinup::waiver_state::unused);
  CHECK_THAT(r.status[1].note, Catch::Contains("no file there matches"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("file and files are checked", "[waive][files]") {
  auto problems = [](const std::string& text) {
    try {
      joinup::load_waivers(text, "w.yaml");
    } catch (const joinup::error& e) {
      return e.diagnostics();
    }
    return std::vector<joinup::diagnostic>{};
  };
  CHECK(problems("waivers:\n  - {rule: a.b, reason: r, file: a.yaml, files: [b.yaml]}\n").size() == 1);
  CHECK(problems("waivers:\n  - {rule: a.b, reason: r, file: 3}\n").size() == 1);
  CHECK(problems("waivers:\n  - {rule: a.b, reason: r, file: \"\"}\n").size() == 1);
  CHECK(problems("waivers:\n  - {rule: a.b, reason: r, files: []}\n").size() == 1);
  CHECK(problems("waivers:\n  - {rule: a.b, reason: r, files: {a: b}}\n").size() == 1);
  CHECK(problems("waivers:\n  - {rule: a.b, reason: r, files: [a.yaml, b.yaml]}\n").empty());
  const auto ws = joinup::load_waivers("waivers:\n  - {rule: a.b, reason: r, files: [a.yaml, b.yaml]}\n", "d/w.yaml");
  CHECK(ws.at(0).files == std::vector<std::string>{"a.yaml", "b.yaml"});
  CHECK(ws.at(0).base == "d");
}

TEST_CASE("fingerprints follow the rule, the subject's identity and the file, not positions", "[waive][fingerprint]") {
  const auto pol = leaver_rule();
  joinup::evaluate_options o;
  o.as_of = as_of;
  auto eval = [&](const char* text, const char* origin) {
    const auto doc = joinup::load_document(text, origin);
    auto r = pol.evaluate(doc, o);
    joinup::identify_subjects(r, doc);
    return r;
  };
  const auto a = eval(plan, "plan.yaml");
  const auto b = eval(plan_inserted, "plan.yaml");
  const auto c = eval(plan, "other.yaml");
  const auto& va = a.rules[0].violations;
  const auto& vb = b.rules[0].violations;
  REQUIRE(va.size() == 2);
  REQUIRE(vb.size() == 3);
  // Bo Chen moved from [1] to [2]: the same fingerprint; Ann Lee and Bo Chen differ.
  CHECK(joinup::fingerprint(va[1]) == joinup::fingerprint(vb[2]));
  CHECK(joinup::fingerprint(va[0]) == joinup::fingerprint(vb[1]));
  CHECK(joinup::fingerprint(va[0]) != joinup::fingerprint(va[1]));
  CHECK(joinup::fingerprint(va[0]) != joinup::fingerprint(c.rules[0].violations[0]));
  CHECK(joinup::fingerprint(va[0]).size() == 32);
  auto moved = va[0];
  moved.data_origin = "./plan.yaml";
  CHECK(joinup::fingerprint(moved) == joinup::fingerprint(va[0]));
}
