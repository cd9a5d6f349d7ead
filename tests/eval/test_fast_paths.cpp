// The evaluator's fast paths give exactly the plain walk's answers: outcomes, subjects, messages,
// positions and explanations. The fast paths (field caches, path-vs-constant comparisons, filter
// kernels, fused counts, join and list indexes, grouped filters; docs/architecture.md) are off
// under a step budget, so each case here is evaluated both ways or checked by hand.
#include <catch2/catch.hpp>

#include "run_rules.hpp"

using namespace joinup;
using namespace joinup_test;

// Joins and repeated membership tests are answered from hash indexes (eval/index.hpp); these
// pin down that the answers, errors and explanations are those of the plain walk.
TEST_CASE("a join over document lists answers as the walk does") {
  const char* data =
      "d:\n  orgs: [{id: a}, {id: b}, {id: 3}, {id: c}]\n"
      "  teams:\n    - orgs: [a, 3.0]\n    - orgs: [b, a]\n";
  auto r = run("uses d\nrule r {\n  for each o in d.orgs\n  require any t in d.teams: o.id in t.orgs\n}\n", data);
  REQUIRE(r.rules[0].violations.size() == 1);  // 3 == 3.0: only c is in no team
  CHECK(r.rules[0].violations[0].subject == "d.orgs[3]");
  CHECK(r.rules[0].violations[0].message ==
        "expected any t in d.teams: o.id in t.orgs, but no element of d.teams does");
  auto none = run("uses d\nrule r {\n  for each o in d.orgs\n  require none t in d.teams: o.id in t.orgs\n}\n", data);
  REQUIRE(none.rules[0].violations.size() == 3);
  CHECK(none.rules[0].violations[0].message == "expected none t in d.teams: o.id in t.orgs, but d.teams[0] does");
  // The same answers when every step is counted (the index is not used then).
  evaluate_options counted = fixed_date();
  counted.max_steps = 1000000;
  auto c =
      run("uses d\nrule r {\n  for each o in d.orgs\n  require any t in d.teams: o.id in t.orgs\n}\n", data, counted);
  CHECK(c.rules[0].violations.size() == 1);
}

TEST_CASE("a join whose lists are not all lists of scalars falls back to the walk") {
  const char* data = "d:\n  orgs: [{id: a}, {id: z}]\n  teams:\n    - orgs: [a]\n    - name: no orgs\n";
  auto r = run("uses d\nrule r {\n  for each o in d.orgs\n  require any t in d.teams: o.id in t.orgs\n}\n", data);
  REQUIRE(r.rules[0].violations.size() == 1);  // a is found; for z the missing list makes it undetermined
  CHECK(r.rules[0].violations[0].kind == outcome::undetermined);
  CHECK(r.rules[0].violations[0].message == "d.teams[1].orgs is missing");
  CHECK(expr_outcome("any t in d.ts: [1] in t.xs", "d: {ts: [{xs: [[1], 2]}]}") == outcome::pass);
  CHECK(expr_outcome("any t in d.ts: d.nope in t.xs", "d: {ts: [{xs: [1]}]}") == outcome::undetermined);
}

TEST_CASE("a long list searched again and again gives the walk's answers") {
  std::string big = "[";
  for (int i = 0; i < 40; ++i) big += std::to_string(i) + ", ";
  big += "x, 2026-01-02, true, null, .nan]";
  const std::string data =
      "d:\n  big: " + big + "\n  xs: [3, 3.0, 39, 40, x, y, 2026-01-02, true, false, null, .nan, -0.0]\n";
  auto r = run("uses d\nrule r {\n  for each x in d.xs\n  require x in d.big\n}\n", data);
  std::vector<std::string> failed;
  for (const auto& v : r.rules[0].violations) failed.push_back(v.subject);
  // 40, y, false and NaN (equal to nothing) are not in the list; -0.0 equals 0.
  CHECK(failed == std::vector<std::string>{"d.xs[3]", "d.xs[5]", "d.xs[8]", "d.xs[10]"});
}

// The evaluator's fast paths (a key-position cache per field node; `x.f.g op constant` read and
// compared without the general walk) are off while steps are counted, so a step budget gives the
// plain walk's answers: both must be the same, field by field.
namespace {

std::string describe(const evaluation_result& r) {
  std::string out;
  for (const auto& rr : r.rules) {
    out += rr.rule_id + " " + std::string(to_string(rr.result)) + " " + std::to_string(rr.subjects) + "\n";
    for (const auto& v : rr.violations) {
      out += "  " + std::string(to_string(v.kind)) + " " + v.subject + " @" + std::to_string(v.data_position.line) +
             ":" + std::to_string(v.data_position.column) + " " + v.clause + ": " + v.message + "\n";
      for (const auto& e : v.explanation) out += "    " + e.expression + " = " + e.value + "\n";
    }
  }
  return out;
}

evaluation_result fast_and_walked(const std::string& rules, const std::string& yaml) {
  auto fast = run(rules, yaml);
  evaluate_options counted = fixed_date();
  counted.max_steps = 100000000;
  auto walked = run(rules, yaml, counted);
  CHECK(describe(fast) == describe(walked));
  return fast;
}

// "ID OUTCOME" of each rule, in order.
std::vector<std::string> outcomes_of(const evaluation_result& r) {
  std::vector<std::string> out;
  for (const auto& rr : r.rules) out.push_back(rr.rule_id + " " + std::string(to_string(rr.result)));
  return out;
}

std::vector<std::string> subjects(const rule_result& r) {
  std::vector<std::string> out;
  for (const auto& v : r.violations) out.push_back(std::string(to_string(v.kind)) + " " + v.subject);
  return out;
}

}  // namespace

TEST_CASE("field reads with a key-position cache: keys in other orders, missing, or not a map") {
  // Element 1 has its keys in another order (the cache misses), 2 lacks the key, 3 is not a map,
  // 4 is null, 5 has the key null, 6 is back to the first shape.
  const char* data = R"(d:
  xs:
    - {a: 1, s: senior, b: 2}
    - {b: 2, s: senior, a: 1}
    - {a: 1, b: 2}
    - senior
    - null
    - {a: 1, s: null, b: 2}
    - {a: 1, s: junior, b: 2}
)";
  auto r = fast_and_walked("uses d\nrule r {\n  for each x in d.xs\n  require x.s == \"senior\"\n}\n", data);
  CHECK(subjects(r.rules[0]) == std::vector<std::string>{"undetermined d.xs[2]", "undetermined d.xs[3]",
                                                         "undetermined d.xs[4]", "fail d.xs[5]", "fail d.xs[6]"});
  CHECK(r.rules[0].violations[0].message == "d.xs[2].s is missing");
  CHECK(r.rules[0].violations[1].message == "d.xs[3] is a string, so it has no 's'");
  auto w =
      fast_and_walked("uses d\nrule r {\n  for each x in d.xs where x.s == \"senior\"\n  require x.a == 2\n}\n", data);
  CHECK(subjects(w.rules[0]) == std::vector<std::string>{"fail d.xs[0]", "fail d.xs[1]", "undetermined d.xs[2]",
                                                         "undetermined d.xs[3]", "undetermined d.xs[4]"});
  // count with a filter: an element whose filter cannot be judged makes the count an error.
  auto c = fast_and_walked("uses d\nrule r {\n  require count(x in d.xs where x.s == \"senior\") == 2\n}\n", data);
  CHECK(c.rules[0].result == outcome::undetermined);
}

TEST_CASE("paths compared with constants: numbers, NaN, types, nested paths, large maps") {
  const char* data = R"(d:
  xs:
    - {v: 1, t: 17, in: {k: a}}
    - {v: 1.0, t: 18.0, in: {k: b}}
    - {v: .nan, t: 12, in: null}
    - {v: "1", t: x, in: {j: a}}
    - {v: 2, t: 2026-01-01, in: {k: {deep: 1}}}
)";
  auto eq = fast_and_walked("uses d\nrule r {\n  for each x in d.xs\n  require x.v == 1\n}\n", data);
  // 1 == 1.0; NaN equals nothing; "1" is not 1.
  CHECK(subjects(eq.rules[0]) == std::vector<std::string>{"fail d.xs[2]", "fail d.xs[3]", "fail d.xs[4]"});
  auto ne = fast_and_walked("uses d\nrule r {\n  for each x in d.xs\n  require x.v != 1\n}\n", data);
  CHECK(subjects(ne.rules[0]) == std::vector<std::string>{"fail d.xs[0]", "fail d.xs[1]"});
  auto lt = fast_and_walked("uses d\nrule r {\n  for each x in d.xs\n  require x.t < 18\n}\n", data);
  REQUIRE(lt.rules[0].violations.size() == 3);
  CHECK(lt.rules[0].violations[0].subject == "d.xs[1]");  // 18.0 < 18 is false
  CHECK(lt.rules[0].violations[1].message == "cannot compare a string with a number: x.t < 18 (\"x\" and 18)");
  CHECK(lt.rules[0].violations[2].message == "cannot compare a date with a number: x.t < 18 (2026-01-01 and 18)");
  auto nan = fast_and_walked("uses d\nrule r {\n  for each x in d.xs\n  require x.v >= 1\n}\n", data);
  CHECK(nan.rules[0].violations[0].message == "cannot order nan: x.v >= 1");
  auto nested = fast_and_walked("uses d\nrule r {\n  for each x in d.xs\n  require x.in.k == \"a\"\n}\n", data);
  CHECK(subjects(nested.rules[0]) ==
        std::vector<std::string>{"fail d.xs[1]", "undetermined d.xs[2]", "undetermined d.xs[3]", "fail d.xs[4]"});
  CHECK(nested.rules[0].violations[1].message == "d.xs[2].in is null, so it has no 'k'");
  CHECK(nested.rules[0].violations[2].message == "d.xs[3].in.k is missing");
  fast_and_walked("uses d\nrule r {\n  for each x in d.xs\n  require x.in.k.deep <= 1\n}\n", data);
  fast_and_walked("uses d\nrule r {\n  for each x in d.xs\n  require x.t > 2025-12-31\n}\n", data);
  fast_and_walked("uses d\nrule r {\n  for each x in d.xs\n  require x.nope == null\n}\n", data);

  // Maps with more keys than document::large_map_threshold are found through the document's hash.
  std::string big = "d:\n  xs:\n";
  for (int e = 0; e < 3; ++e) {
    big += "    - {";
    for (int k = 0; k < 20; ++k)
      big += (k ? ", " : "") + std::string("k") + std::to_string((k + e * 7) % 20) + ": " + std::to_string(k);
    big += "}\n";
  }
  auto large = fast_and_walked("uses d\nrule r {\n  for each x in d.xs\n  require x.k3 == 3\n}\n", big);
  CHECK(subjects(large.rules[0]) == std::vector<std::string>{"fail d.xs[1]", "fail d.xs[2]"});
}

TEST_CASE("fast paths under and/or, quantifiers and lets keep absorption and explanations") {
  const char* data = R"(d:
  people:
    - {s: senior, m: 10}
    - {s: senior, m: 30}
    - {s: junior}
    - {m: 5}
)";
  // `and` absorbs the error of a missing m when s decides; `or` when its other side is true.
  auto a = fast_and_walked(
      "uses d\nrule r {\n  for each p in d.people\n  require not (p.s == \"junior\" and p.m < 18)\n}\n", data);
  CHECK(subjects(a.rules[0]) == std::vector<std::string>{"undetermined d.people[2]", "undetermined d.people[3]"});
  auto o =
      fast_and_walked("uses d\nrule r {\n  for each p in d.people\n  require p.s == \"senior\" or p.m < 18\n}\n", data);
  CHECK(subjects(o.rules[0]) == std::vector<std::string>{"undetermined d.people[2]"});
  auto q =
      fast_and_walked("uses d\nrule r {\n  require all p in d.people where p.s == \"senior\": p.m < 18\n}\n", data);
  CHECK(q.rules[0].result == outcome::fail);  // d.people[1] decides; the filter's error for d.people[3] waits
  auto u =
      fast_and_walked("uses d\nrule r {\n  require any p in d.people where p.s == \"senior\": p.m > 99\n}\n", data);
  CHECK(u.rules[0].result == outcome::undetermined);  // nothing decides: the filter's error is the answer
  auto k = fast_and_walked(
      "uses d\nrule r {\n  let n = count(p in d.people where has(p.s) and p.s == \"senior\" and p.m < 18)\n"
      "  require n == 2\n}\n",
      data);
  REQUIRE(k.rules[0].violations.size() == 1);
  CHECK(k.rules[0].violations[0].message == "expected n == 2, but n is 1");
}

TEST_CASE("filters and conditions answered without building values: booleans, not, and, or") {
  const char* data = R"(d:
  xs:
    - {ok: true, n: 1}
    - {ok: false, n: 2}
    - {ok: "yes", n: 3}
    - {n: 4}
    - {ok: null, n: 5}
)";
  auto f = fast_and_walked("uses d\nrule r {\n  for each x in d.xs where x.ok\n  require x.n > 1\n}\n", data);
  CHECK(subjects(f.rules[0]) == std::vector<std::string>{"fail d.xs[0]", "undetermined d.xs[2]", "undetermined d.xs[3]",
                                                         "undetermined d.xs[4]"});
  CHECK(f.rules[0].violations[1].message == "'where' needs true or false, but x.ok is \"yes\"");
  auto n = fast_and_walked("uses d\nrule r {\n  for each x in d.xs where not x.ok or x.n == 1\n  require x.n > 1\n}\n",
                           data);
  CHECK(subjects(n.rules[0]) == std::vector<std::string>{"fail d.xs[0]", "undetermined d.xs[2]", "undetermined d.xs[3]",
                                                         "undetermined d.xs[4]"});
  auto t = fast_and_walked("uses d\nrule r {\n  require count(x in d.xs where x.n > 3 or x.ok) == 3\n}\n", data);
  CHECK(t.rules[0].result == outcome::undetermined);  // x.ok is "yes" for d.xs[2], which n > 3 does not decide
  auto a = fast_and_walked("uses d\nrule r {\n  require any x in d.xs: x.n > 4 and x.ok == null\n}\n", data);
  CHECK(a.rules[0].result == outcome::pass);
  auto c = fast_and_walked("uses d\nrule r {\n  require count(x in d.xs where true and x.n != 2) == 4\n}\n", data);
  CHECK(c.rules[0].result == outcome::pass);
  auto al = fast_and_walked("uses d\nrule r {\n  require all x in d.xs: x.ok\n}\n", data);
  REQUIRE(al.rules[0].violations.size() == 1);
  CHECK(al.rules[0].violations[0].message == "expected all x in d.xs: x.ok, but d.xs[1] does not");
}

// Filter kernels (plan::filter_kernel: `and`s of an element's own fields compared with constants,
// answered from its map) and fused counts (counts of one rule over the same document path,
// counted in one pass sharing their tests): wherever a kernel cannot answer, the walk does.
TEST_CASE("filter kernels and fused counts give the walk's answers") {
  const char* data = R"(d:
  people:
    - {s: senior, m: 10, on: true, since: 2020-01-01}
    - {s: senior, m: 30, on: false, since: 2025-06-01}
    - {m: 12, s: senior, on: true, since: 2024-01-01}
    - {s: junior, m: 5, on: true, since: 2019-01-01}
    - {s: senior, m: 17, on: true, since: 2021-01-01}
  odd:
    - {s: senior, m: 10, on: true}
    - {s: senior, m: "ten", on: true}
    - {s: senior, on: true}
    - senior
    - {s: 3, m: 1, on: yes}
    - {s: senior, m: .nan, on: true}
    - {s: senior, m: 17.0, on: true}
)";
  for (const char* list : {"d.people", "d.odd"}) {
    INFO(list);
    const std::string L = list;
    fast_and_walked(
        "uses d\nrule r {\n  for each p in " + L + " where p.s == \"senior\" and p.m < 18\n  require p.on\n}\n", data);
    fast_and_walked(
        "uses d\nrule r {\n  for each p in " + L + " where p.on and p.s != \"junior\"\n  require p.m >= 10\n}\n", data);
    fast_and_walked("uses d\nrule r {\n  for each p in " + L +
                        " where p.on == true and p.since >= 2021-01-01\n  require false\n}\n",
                    data);
    fast_and_walked(
        "uses d\nrule r {\n  for each p in " + L + " where p.s > \"k\" and p.s <= \"t\"\n  require false\n}\n", data);
    fast_and_walked("uses d\nrule r {\n  require any p in " + L + " where p.s == \"senior\": p.m > 20\n}\n", data);
    fast_and_walked("uses d\nrule r {\n  require all p in " + L + " where p.on: p.m > 1\n}\n", data);
    fast_and_walked("uses d\nrule r {\n  require sum(p.m for p in " + L + " where p.s == \"senior\") > 20\n}\n", data);
    // Two and three counts over the same list, sharing their first test: fused.
    fast_and_walked("uses d\nrule r {\n  let seniors = count(p in " + L +
                        " where p.s == \"senior\")\n"
                        "  let fresh = count(p in " +
                        L +
                        " where p.s == \"senior\" and p.m < 18)\n"
                        "  let on = count(p in " +
                        L +
                        " where p.on and p.s == \"senior\")\n"
                        "  require fresh / seniors <= 0.3 and on > 1\n}\n",
                    data);
  }
  // What the fused counts come to, checked by hand: 4 seniors, 3 of them with m < 18 (10, 12, 17).
  auto r = fast_and_walked(
      "uses d\nrule r {\n  let seniors = count(p in d.people where p.s == \"senior\")\n"
      "  let fresh = count(p in d.people where p.s == \"senior\" and p.m < 18)\n"
      "  require fresh / seniors <= 0.3\n}\n",
      data);
  REQUIRE(r.rules[0].violations.size() == 1);
  CHECK(r.rules[0].violations[0].message == "expected fresh / seniors <= 0.3, but fresh / seniors is 0.75");
  // A list where a kernel cannot answer ("ten", a missing m, a string element, 17.0 against the
  // whole number 18): the walk answers.
  auto odd = fast_and_walked(
      "uses d\nrule r {\n  let seniors = count(p in d.odd where p.s == \"senior\")\n"
      "  let fresh = count(p in d.odd where p.s == \"senior\" and p.m < 18)\n"
      "  require fresh / seniors <= 0.3\n}\n",
      data);
  REQUIRE(odd.rules[0].violations.size() == 1);
  CHECK(odd.rules[0].violations[0].kind == outcome::undetermined);
}

TEST_CASE("joins and repeated membership tests over strings of every length") {
  // Strings of 0 to 40 bytes, through every branch of the index's string hash, sharing prefixes
  // and suffixes; every other one is left out of the teams. The index must give the walk's answers.
  std::string orgs = "d:\n  orgs:\n", teams = "  teams:\n", big = "  big: [";
  for (int len = 0; len <= 40; ++len) {
    const std::string id = std::string(static_cast<std::size_t>(len / 2), 'a') +
                           std::string(static_cast<std::size_t>(len - len / 2), len % 3 ? 'b' : 'a');
    orgs += "    - {id: \"" + id + "\"}\n";
    if (len % 2 == 0) teams += "    - orgs: [\"" + id + "\", \"x" + id + "\"]\n";
    if (len % 2 == 0) big += std::string(len ? ", " : "") + "\"" + id + "\"";
  }
  big += "]\n";
  const std::string data = orgs + teams + big;
  auto j = fast_and_walked("uses d\nrule r {\n  for each o in d.orgs\n  require any t in d.teams: o.id in t.orgs\n}\n",
                           data);
  REQUIRE(j.rules[0].violations.size() == 20);  // the odd lengths
  CHECK(j.rules[0].violations[0].subject == "d.orgs[1]");
  auto m = fast_and_walked("uses d\nrule r {\n  for each o in d.orgs\n  require o.id in d.big\n}\n", data);
  CHECK(m.rules[0].violations.size() == 20);
}

TEST_CASE("joins by equality give the walk's answers") {
  const char* data = R"(d:
  people: [{id: p1}, {id: p2}, {id: 3}, {id: .nan}, {id: 2026-01-02}]
  leavers:
    - {person: p1}
    - {person: p9}
    - {person: 3.0}
    - {person: .nan}
    - {person: 2026-01-02}
    - {person: [p1]}
    - {name: no person}
  odd: [{id: p1}, {id: [p2]}, {name: no id}]
)";
  for (const char* body : {"p.id == l.person", "l.person == p.id"}) {
    INFO(body);
    const std::string b = body;
    auto any = fast_and_walked(
        "uses d\nrule r {\n  for each l in d.leavers\n  require any p in d.people: " + b + "\n}\n", data);
    // p9 and NaN match nobody; a list matches no scalar; a missing person is undetermined.
    CHECK(subjects(any.rules[0]) == std::vector<std::string>{"fail d.leavers[1]", "fail d.leavers[3]",
                                                             "fail d.leavers[5]", "undetermined d.leavers[6]"});
    auto none = fast_and_walked(
        "uses d\nrule r {\n  for each l in d.leavers\n  require none p in d.people: " + b + "\n}\n", data);
    CHECK(none.rules[0].violations.size() == 4);
    // A list where some element's id is a list or missing: the walk answers for every subject.
    fast_and_walked("uses d\nrule r {\n  for each l in d.leavers\n  require any p in d.odd: " + b + "\n}\n", data);
  }
  // The searched side may be a constant: `any p in C: p.id == "p2"`, asked once per subject.
  auto c = fast_and_walked(
      "uses d\nrule r {\n  for each l in d.leavers\n  require any p in d.people: p.id == \"p2\"\n}\n", data);
  CHECK(c.rules[0].violations.empty());
}

// An evaluation keeps the key ids it resolved for a program and a document, for the next
// evaluation of the same pair on the same thread; documents with the same keys in other orders
// (so other ids), documents freed and loaded again, and other policies must not see them.
TEST_CASE("evaluations in turn resolve names in their own document", "[semantics][fast]") {
  const auto p = policy::compile({{"t.jup",
                                   "uses d\nrule r {\n  for each x in d.xs\n    where x.kind == \"a\"\n"
                                   "  require x.n < 10\n}\n"}});
  const auto q = policy::compile({{"u.jup", "uses d\nrule s {\n  require count(x in d.xs where x.n >= 10) == 0\n}\n"}});
  // Key ids follow first appearance: `kind` and `n` swap ids between the two documents.
  const auto a = load_document("d:\n  xs:\n    - {kind: a, n: 12}\n    - {kind: b, n: 20}\n", "a.yaml");
  const auto b = load_document(
      "d:\n  xs:\n    - {n: 1, kind: a}\n    - {n: 30, kind: a}\n    - {n: 40, kind: a}\n    - {n: 50, kind: b}\n",
      "b.yaml");
  CHECK(a.uid() != 0);
  CHECK(b.uid() != a.uid());
  CHECK(document(a).uid() == a.uid());
  CHECK(document().uid() == 0);
  auto fails = [](const policy& pol, const document& d) {
    const auto r = pol.evaluate(d, fixed_date());
    return r.rules.at(0).violations.size();
  };
  for (int round = 0; round < 3; ++round) {
    CHECK(fails(p, a) == 1);  // the first x
    CHECK(fails(p, b) == 2);  // the second and third x
    CHECK(p.find(a, fixed_date()).size() == 1);
    CHECK(q.evaluate(a, fixed_date()).rules.at(0).result == outcome::fail);
    CHECK(q.evaluate(b, fixed_date()).rules.at(0).result == outcome::fail);
  }
  // A document loaded after another was freed may reuse its memory, but not its uid.
  std::uint64_t last = 0;
  for (int i = 0; i < 4; ++i) {
    const auto d =
        load_document(i % 2 ? "d:\n  xs:\n    - {n: 11, kind: a}\n" : "d:\n  xs:\n    - {kind: a, n: 1}\n", "c.yaml");
    CHECK(d.uid() != last);
    last = d.uid();
    CHECK(fails(p, d) == static_cast<std::size_t>(i % 2));
  }
}

// An evaluation clears only the names the last document of the same program had (and sets only
// the keys of its kernels' terms): a key that the next document lacks must read as missing there,
// whichever way the names were resolved (a document with fewer keys than the program has names,
// or one with more), and another program in between must not disturb it.
TEST_CASE("a key of the last document is missing from the next one that lacks it", "[semantics][fast]") {
  const auto p =
      policy::compile({{"t.jup",
                        "uses d\nrule g {\n  when has(d.extra)\n  require d.extra == 1\n}\n"
                        "rule k {\n  for each x in d.xs\n    where x.kind == \"a\"\n  require x.n < 10\n}\n"}});
  const auto q = policy::compile({{"u.jup", "uses d\nrule s {\n  require has(d.other)\n}\n"}});
  const auto a = load_document("d: {extra: 2, xs: [{kind: a, n: 12}]}\n", "a.yaml", data_format::yaml);
  // b's fourth key, `zz`, has the id that `kind` has in a.
  const auto b = load_document("{\"d\": {\"xs\": [{\"n\": 12, \"zz\": \"a\"}]}}", "b.json", data_format::json);
  std::string many = "{\"d\": {\"xs\": [{\"kind\": \"a\", \"n\": 1}]";
  for (int i = 0; i < 40; ++i) many += ", \"k" + std::to_string(i) + "\": " + std::to_string(i);
  const auto c = load_document(many + ", \"other\": 1}}", "c.json", data_format::json);
  auto outcomes = [&](const document& d) {
    const auto r = p.evaluate(d, fixed_date());
    return std::pair{r.rules.at(0).result, r.rules.at(1).result};
  };
  const std::pair a_is{outcome::fail, outcome::fail};
  // b lacks `extra` and `kind`: g is not applicable, and x.kind is missing (undetermined, where a
  // kernel term still holding a's key id for `kind` would read b's `zz` and find "a").
  const std::pair b_is{outcome::not_applicable, outcome::undetermined};
  const std::pair c_is{outcome::not_applicable, outcome::pass};
  for (int round = 0; round < 2; ++round) {
    CHECK(outcomes(a) == a_is);
    CHECK(outcomes(b) == b_is);
    CHECK(outcomes(c) == c_is);
    CHECK(q.evaluate(c, fixed_date()).rules.at(0).result == outcome::pass);
    CHECK(outcomes(b) == b_is);
    CHECK(q.evaluate(a, fixed_date()).rules.at(0).result == outcome::fail);
    CHECK(outcomes(a) == a_is);
    CHECK(outcomes(c) == c_is);
    CHECK(outcomes(a) == a_is);
  }
}

// distinct() over document lists (strings compared in place, anything else by the language's
// equality) and comparisons of whole numbers (answered without ordering values) against the
// general answers.
TEST_CASE("distinct over mixed document lists, whole-number comparisons and between", "[semantics][fast]") {
  const std::string doc =
      "d:\n  xs: [a, b, a, 1, 1.0, \"1\", true, true, null, null, {k: 1}, {k: 1.0}, [1], [1.0], ab, \"a\"]\n"
      "  long: [a, b, a, 1, 1.0, \"1\", true, true, null, null, {k: 1}, {k: 1.0}, [1], [1.0], ab, \"a\", b, ab, 1, "
      "x]\n";
  // a, b, 1, "1", true, null, {k: 1}, [1], ab
  CHECK(expr_outcome("count(distinct(d.xs)) == 9", doc) == outcome::pass);
  CHECK(expr_outcome("count(distinct(d.long)) == 10", doc) == outcome::pass);  // and x
  CHECK(expr_outcome("distinct(d.xs)[0] == \"a\" and distinct(d.xs)[2] == 1 and distinct(d.xs)[3] == \"1\" and "
                     "distinct(d.xs)[5] == null and distinct(d.xs)[6] == d.xs[11] and distinct(d.xs)[7] == [1] and "
                     "distinct(d.xs)[8] == \"ab\"",
                     doc) == outcome::pass);
  CHECK(expr_outcome("count(d.xs) >= 16 and count(d.xs) <= 16 and count(d.xs) > 15 and count(d.xs) < 17", doc) ==
        outcome::pass);
  CHECK(expr_outcome("count(d.xs) > 16", doc) == outcome::fail);
  CHECK(expr_outcome("count(d.xs) < 16.5 and count(d.xs) > 15.5", doc) == outcome::pass);
  CHECK(expr_outcome("count(d.xs) between 10 and 20 and count(d.xs) between 16 and 16", doc) == outcome::pass);
  CHECK(expr_outcome("count(d.xs) between 17 and 20", doc) == outcome::fail);
  CHECK(expr_outcome("count(d.xs) between 15.5 and 16.5", doc) == outcome::pass);
  CHECK(expr_outcome("count(d.xs) between \"a\" and 20", doc) == outcome::undetermined);
  CHECK(expr_outcome("count(d.xs) >= \"a\"", doc) == outcome::undetermined);
}

// Grouped filters (docs/architecture.md): a filter whose leftmost test is `K == E` (K reading
// only the element, E not reading it) visits only the elements whose K equals E, plus those whose
// K is not a groupable scalar, from an index of the list. Every case is run with the fast paths
// and with a step budget (the plain walk), which must agree byte for byte.
namespace {

const char* grouped_yaml = R"(d:
  orgs:
    - {id: a, n: 6}
    - {id: b, n: 10}
    - {id: 1, n: 3}
    - {id: 1.0, n: 3.0}
    - {id: "1", n: 4}
    - {id: .nan, n: 8}
    - {id: 2026-01-02, n: 18}
    - {id: null, n: 2}
    - {id: true, n: 4}
    - {name: no id}
    - {id: [a], n: 12}
    - {id: c, n: 0}
    - {id: 9007199254740992.0, n: 2}
    - {id: 9007199254740993, n: 2}
    - {id: 0, n: 4}
    - {id: A, n: 6}
  people:
    - {org: a, s: senior, m: 3}
    - {org: b, s: junior, m: 5}
    - {org: 1.0, s: senior, m: 1.5}
    - {org: "1", s: senior, m: 2}
    - {org: .nan, s: senior, m: 4}
    - {org: [a], s: senior, m: 6}
    - {org: a, s: senior, m: 0.1}
    - {org: 2026-01-02, s: junior, m: 9}
    - {org: null, s: senior, m: 1}
    - {org: true, s: senior, m: 2}
    - {org: 1, s: junior, m: 8}
    - {org: {k: a}, s: senior, m: 1}
    - {org: 9007199254740993, s: senior, m: 1}
    - {org: -0.0, s: senior, m: 2}
    - {org: a, s: junior, m: 0.2}
  odd:
    - {org: a, s: senior, m: 1}
    - {s: junior, m: 2}
    - {org: a, s: senior, m: 3}
    - senior
    - {org: b, s: senior, m: x}
    - {org: a, s: senior}
  empty: []
)";

}  // namespace

TEST_CASE("a grouped count gives the walk's answers: kinds, NaN, duplicates, missing ids") {
  for (const char* key : {"p.org == o.id", "o.id == p.org"}) {
    INFO(key);
    auto r = fast_and_walked("uses d\nrule r {\n  for each o in d.orgs\n  require count(p in d.people where " +
                                 std::string(key) + " and p.s == \"senior\") >= 1\n}\n",
                             grouped_yaml);
    // b's only person is junior; NaN equals nothing; the date's person is junior; nobody is in c
    // or A (strings by bytes); the org without an id cannot be judged. 1 == 1.0, -0.0 == 0, the
    // list [a] equals [a], and 2^53 + 1 (an integer) equals the number 2^53 as a double.
    CHECK(subjects(r.rules[0]) == std::vector<std::string>{"fail d.orgs[1]", "fail d.orgs[5]", "fail d.orgs[6]",
                                                           "undetermined d.orgs[9]", "fail d.orgs[11]",
                                                           "fail d.orgs[15]"});
  }
  // A missing org with a junior is absorbed by `and` (false decides); a senior without one, or an
  // element that is not a map, makes the count an error wherever the walk would meet it.
  auto odd = fast_and_walked(
      "uses d\nrule r {\n  for each o in d.orgs\n  require count(p in d.odd where p.org == o.id and "
      "p.s == \"junior\") == 0\n}\n",
      grouped_yaml);
  CHECK(odd.rules[0].violations.size() == 16);
  CHECK(odd.rules[0].violations[0].kind == outcome::undetermined);
}

TEST_CASE("grouped filters in every binder form give the walk's answers") {
  const std::vector<std::string> requires_ = {
      "count(p in L where K and p.s == \"senior\") >= 1",
      "any p in L where K: p.m > 2",
      "all p in L where K: p.m > 0.5",
      "none p in L where K: p.s == \"junior\"",
      "sum(p.m for p in L where K) < 5",
      "avg(p.m for p in L where K) < 2",
      "min(p.m for p in L where K) >= 1",
      "max(p.m for p in L where K and p.m > 0) < 4",
      "[p.m for p in L where K] != [3, 0.1]",
      "count([p.s for p in L where K and p.m < o.n]) < 2",
      // first: the first element of the group in document order, or missing with the same words.
      "first(p in L where K).m > 1",
      "(first(p in L where K and p.m > 1).s ?? \"none\") == \"senior\"",
      "first(p in L where K and p.m < o.n) == first(p in L where K)",
      // The grouped test not first: no index, the same answers.
      "count(p in L where p.s == \"senior\" and K) >= 1",
      // The probe missing or an error: the walk.
      "count(p in L where p.org == o.nope and p.s == \"senior\") == 0",
      "count(p in L where p.org == o.id + 1 and p.s == \"senior\") == 0",
      // A computed key: strings the evaluation made are always visited.
      "count(p in L where lower(p.org) == o.id) >= 1",
      "count(p in L where (p.org ?? \"a\") == o.id) >= 1",
      "count(p in L where p.m * 2 == o.n) >= 1",
      // Nested grouped filters, the inner one's probe read from the outer one's element.
      "all q in d.orgs where q.id == o.id: count(p in L where p.org == q.id) >= 1",
      "count(p in L where K and any r in L where r.org == p.org: r.m > p.m) >= 1",
      // A constant probe, asked again for each organisation: grouped from the second time on.
      "count(p in L where p.s == \"senior\" and p.m < o.n) >= 1",
      "any p in L where true == p.s: p.m < o.n",
  };
  for (const char* list : {"d.people", "d.odd", "d.empty"}) {
    for (const char* key : {"p.org == o.id", "o.id == p.org"}) {
      for (auto rq : requires_) {
        for (auto at = rq.find('L'); at != std::string::npos; at = rq.find('L', at)) rq.replace(at, 1, list);
        for (auto at = rq.find('K'); at != std::string::npos; at = rq.find('K', at)) rq.replace(at, 1, key);
        INFO(rq);
        fast_and_walked("uses d\nrule r {\n  for each o in d.orgs\n  require " + rq + "\n}\n", grouped_yaml);
      }
      // `for each` steps with a grouped filter, and a step under a step.
      const std::string L = list, K = key;
      fast_and_walked("uses d\nrule r {\n  for each o in d.orgs\n  for each p in " + L + " where " + K +
                          "\n  require p.s == \"senior\"\n}\n",
                      grouped_yaml);
      fast_and_walked("uses d\nrule r {\n  for each o in d.orgs\n  for each p in " + L + " where " + K +
                          " and p.m > 1\n  for each q in d.orgs where q.id == p.org\n  require q.n > p.m\n}\n",
                      grouped_yaml);
      fast_and_walked("uses d\nrule r {\n  for each o in d.orgs\n  for each p in " + L +
                          " where p.s == \"senior\" and p.m < 3\n  require p.org != o.id\n}\n",
                      grouped_yaml);
    }
  }
}

TEST_CASE("grouped aggregates and steps, checked by hand") {
  auto sum = fast_and_walked(
      "uses d\nrule r {\n  for each o in d.orgs where has(o.id) and (o.id == \"a\" or o.id == 1)\n"
      "  require sum(p.m for p in d.people where p.org == o.id) < 3\n}\n",
      grouped_yaml);
  // a: 3 + 0.1 + 0.2, in document order; 1 and 1.0: 1.5 + 8.
  REQUIRE(sum.rules[0].violations.size() == 3);
  CHECK(sum.rules[0].violations[0].message ==
        "expected sum(p.m for p in d.people where p.org == o.id) < 3, but sum(p.m for p in d.people where p.org == "
        "o.id) is 3.3");
  CHECK(sum.rules[0].violations[1].subject == "d.orgs[2]");
  auto steps = fast_and_walked(
      "uses d\nrule r {\n  for each o in d.orgs where has(o.id)\n  for each p in d.people where p.org == o.id\n"
      "  require p.s == \"senior\"\n}\n",
      grouped_yaml);
  // The juniors, each under every organisation equal to its org.
  std::vector<std::string> got;
  for (const auto& v : steps.rules[0].violations) got.push_back(v.subject);
  CHECK(got == std::vector<std::string>{"d.orgs[0], d.people[14]", "d.orgs[1], d.people[1]", "d.orgs[2], d.people[10]",
                                        "d.orgs[3], d.people[10]", "d.orgs[6], d.people[7]"});
  auto all = fast_and_walked(
      "uses d\nrule r {\n  for each o in d.orgs where has(o.id)\n  require all p in d.people where p.org == o.id: "
      "p.s == \"senior\"\n}\n",
      grouped_yaml);
  REQUIRE(all.rules[0].violations.size() == 5);
  CHECK(all.rules[0].violations[0].message ==
        "expected all p in d.people where p.org == o.id: p.s == \"senior\", but d.people[14] does not");
}

// A rule whose `when` is has(PATH), or an `and` chain with has(PATH) among its operands, is not
// applicable at once when PATH names a key the document has nowhere (plan::rule::guards): the same outcome as the walk,
// which is what happens whenever any key of the path is present somewhere, or the path is not a plain path.
TEST_CASE("a rule guarded by has() of a key the document lacks is not applicable, as the walk finds") {
  const std::string rules =
      "uses d\n"
      "rule absent {\n  when has(d.pilots)\n  require false\n}\n"
      "rule absent-and {\n  when has(d.pilots) and count(d.pilots) > 0\n  require false\n}\n"
      "rule deep {\n  when has(d.x.pilots.end)\n  require false\n}\n"
      "rule elsewhere {\n  when has(d.y.name)\n  require false\n}\n"  // `name` is a key of d.x only
      "rule present {\n  when has(d.x)\n  require count(d.x) == 2\n}\n"
      "rule not-a-map {\n  when has(d.n.name)\n  require false\n}\n"
      "rule or-chain {\n  when has(d.pilots) or true\n  require true\n}\n"
      "rule negated {\n  when not has(d.pilots)\n  require true\n}\n"
      "rule second {\n  when has(d.x) and (d.n > 1 and has(d.pilots))\n  require false\n}\n"
      "rule second-or {\n  when has(d.x) and (d.n > 1 or has(d.pilots))\n  require true\n}\n";
  const std::string data = "d:\n  x: {name: a, size: 3}\n  n: 4\n";
  const auto r = fast_and_walked(rules, data);
  const auto got = outcomes_of(r);
  CHECK(got == std::vector<std::string>{"t.absent not-applicable", "t.absent-and not-applicable",
                                        "t.deep not-applicable", "t.elsewhere not-applicable", "t.present pass",
                                        "t.not-a-map not-applicable", "t.or-chain pass", "t.negated pass",
                                        "t.second not-applicable", "t.second-or pass"});
  // With the document's root name missing altogether.
  CHECK(outcome_of("uses d\nrule r {\n  when has(d.pilots)\n  require false\n}\n", "e: {pilots: [1]}") ==
        outcome::not_applicable);
  // The lazy path (policy::find) agrees, and counting clauses still counts the `when`.
  const auto p = policy::compile({{"r.jup", rules}});
  evaluate_options o = fixed_date();
  const auto doc = load_document(data, "d.yaml");
  const auto f = p.find(doc, o);
  REQUIRE(f.rules().size() == 10);
  CHECK(f.rules()[0].result == outcome::not_applicable);
  CHECK(f.rules()[4].result == outcome::pass);
  o.count_clauses = true;
  const auto counted = p.evaluate(doc, o);
  REQUIRE(!counted.rules[0].clauses.empty());
  CHECK(counted.rules[0].clauses[0].clause == "when");
  CHECK(counted.rules[0].clauses[0].failed == 1);
  CHECK(counted.rules[0].result == outcome::not_applicable);
}

// Filters answered without building values (quick_test.hpp, test()): a side of an `and` or `or`
// that decides answers even when the other side cannot be answered that way (an `and` is false
// when either side is false, whatever the other gives); and a path with a string default
// compared with a string, `(x.f ?? "d") == "s"`.
TEST_CASE("quick filters: a deciding right side, and defaulted paths compared with strings") {
  const std::string data =
      "d:\n"
      "  ls:\n"
      "    - {org: a, role: chief}\n"
      "    - {org: b}\n"
      "    - {org: a, role: null}\n"
      "    - {org: a, role: 7}\n"
      "    - {org: a, role: 2026-01-02}\n"
      "    - {role: chief}\n"
      "    - 3\n"
      "    - {org: a, role: {x: 1}}\n"
      "  orgs: [{id: a}, {id: b}, {name: no id}]\n";
  const std::string rules =
      "uses d\n"
      "rule chiefs {\n  for each o in d.orgs\n"
      "  require count(l in d.ls where l.org == o.id and (l.role ?? \"other\") == \"chief\") < 1\n}\n"
      "rule others {\n  for each o in d.ls\n"
      "  require (o.role ?? \"other\") != \"other\" or o.org == \"zz\"\n}\n"
      "rule right-decides-or {\n  for each o in d.orgs\n"
      "  require o.id == d.nope or (o.name ?? \"x\") == \"x\"\n}\n"
      "rule left-unknown {\n  for each l in d.ls\n"
      "  where l.org == d.orgs[0].id and (l.role ?? \"other\") != \"other\"\n"
      "  require false\n}\n"
      "rule default-not-a-string {\n  for each l in d.ls\n"
      "  require (l.role ?? 3) == \"chief\" or true\n}\n";
  const auto r = fast_and_walked(rules, data);  // every outcome, message and explanation as the walk's
  REQUIRE(r.rules.size() == 5);
  // By hand: a's first leaver is a chief; b's leaver has no role ("other"), a's second a null one.
  const auto c = fast_and_walked(
      "uses d\nrule chiefs {\n  for each o in d.orgs\n"
      "  require count(l in d.ls where l.org == o.id and (l.role ?? \"other\") == \"chief\") < 1\n}\n"
      "rule not-others {\n  for each l in d.ls\n  where (l.role ?? \"other\") != \"other\"\n  require false\n}\n",
      "d:\n  ls: [{org: a, role: chief}, {org: b}, {org: a, role: null}, {role: clerk}]\n"
      "  orgs: [{id: a}, {id: b}]\n");
  REQUIRE(c.rules[0].violations.size() == 1);
  CHECK(c.rules[0].violations[0].subject == "d.orgs[0]");
  // The fourth leaver has no org: `l.org == o.id` is an error, which the right side, false for a
  // clerk, decides away (without it each count would be undetermined).
  CHECK(c.rules[0].result == outcome::fail);
  std::vector<std::string> subjects_of_not_others;
  for (const auto& v : c.rules[1].violations) subjects_of_not_others.push_back(v.subject);
  CHECK(subjects_of_not_others == std::vector<std::string>{"d.ls[0]", "d.ls[3]"});
}

// Conditions answered without building values (quick_test.hpp, test()), in `when`, lets and
// requires as in filters: has() of a path, a path with a true/false default, counts of a path
// (with a list default or none) against a whole number, and a bound name against a constant.
// Each form meets every kind of value its path can read.
TEST_CASE("quick conditions: has(), true/false defaults, counts and bound names, as the walk finds") {
  const std::string data =
      "d:\n"
      "  xs:\n"
      "    - {flag: true, items: [1, 2], s: b, n: 1}\n"
      "    - {flag: false, items: {k: 1}, s: a, n: 2}\n"
      "    - {flag: null, items: null, s: null, n: 2.5}\n"
      "    - {flag: yes please, items: 7, n: x}\n"
      "    - {other: 1}\n"
      "    - 3\n"
      "    - null\n"
      "  items: [1, 2, 3]\n";
  const std::string rules =
      "uses d\n"
      "rule has-path {\n  for each x in d.xs\n  require has(x.flag)\n}\n"
      "rule has-deep {\n  for each x in d.xs\n  require has(x.items.k) or not has(x.flag)\n}\n"
      "rule has-error {\n  for each x in d.xs\n  let e = x.n + 1\n  require has(e.k)\n}\n"
      "rule has-doc {\n  require has(d.items) and not has(d.nope.x)\n}\n"
      "rule default-false {\n  for each x in d.xs\n  require x.flag ?? false\n}\n"
      "rule default-true {\n  for each x in d.xs\n  require not (x.flag ?? true)\n}\n"
      "rule default-doc {\n  require d.nope.flag ?? true\n}\n"
      "rule count-default {\n  for each x in d.xs\n  require count(x.items ?? []) > 0\n}\n"
      "rule count-bare {\n  for each x in d.xs\n  require count(x.items) == 2\n}\n"
      "rule count-doc {\n  require count(d.nope ?? [1, 2]) == 2 and count(d.none.x ?? []) < 1\n}\n"
      "rule count-present-doc {\n  require count(d.items ?? []) >= 3\n}\n"
      "rule bound-number {\n  for each x in d.xs\n  let n = x.n ?? 0\n  require n < 2\n}\n"
      "rule bound-string {\n  for each x in d.xs\n  let s = x.s ?? \"unstated\"\n  require s != \"a\"\n}\n"
      "rule bound-count {\n  for each x in d.xs\n  let c = count(x.items ?? [])\n  require c <= 1\n}\n"
      "rule bound-error {\n  for each x in d.xs\n  let e = x.n + 1\n  require e >= 2\n}\n"
      "rule when-count {\n  when count(d.items ?? []) > 5\n  require false\n}\n"
      "rule when-has {\n  when has(d.items)\n  require true\n}\n"
      "rule let-condition {\n  for each x in d.xs\n  let b = (x.s ?? \"a\") == \"b\"\n"
      "  require b or (x.flag ?? false)\n}\n";
  const auto r = fast_and_walked(rules, data);  // every outcome, message and explanation as the walk's
  REQUIRE(r.rules.size() == 18);
  const auto got = outcomes_of(r);
  CHECK(got == std::vector<std::string>{"t.has-path fail", "t.has-deep fail", "t.has-error fail", "t.has-doc pass",
                                        "t.default-false fail", "t.default-true fail", "t.default-doc pass",
                                        "t.count-default fail", "t.count-bare fail", "t.count-doc pass",
                                        "t.count-present-doc pass", "t.bound-number fail", "t.bound-string fail",
                                        "t.bound-count fail", "t.bound-error undetermined",
                                        "t.when-count not-applicable", "t.when-has pass", "t.let-condition fail"});
  // By hand, for the forms over every kind of element.
  CHECK(subjects(r.rules[0]) == std::vector<std::string>{"fail d.xs[4]", "fail d.xs[5]", "fail d.xs[6]"});
  // x.flag ?? false: false, null (the default), a string (undetermined), missing (the default).
  CHECK(subjects(r.rules[4]) == std::vector<std::string>{"fail d.xs[1]", "fail d.xs[2]", "undetermined d.xs[3]",
                                                         "fail d.xs[4]", "fail d.xs[5]", "fail d.xs[6]"});
  // count(x.items ?? []) > 0: a list and a map count; null and missing are [], a number cannot be counted.
  CHECK(subjects(r.rules[7]) == std::vector<std::string>{"fail d.xs[2]", "undetermined d.xs[3]", "fail d.xs[4]",
                                                         "fail d.xs[5]", "fail d.xs[6]"});
  // count(x.items) == 2 without a default: missing and null cannot be counted.
  CHECK(subjects(r.rules[8]) == std::vector<std::string>{"fail d.xs[1]", "undetermined d.xs[2]", "undetermined d.xs[3]",
                                                         "undetermined d.xs[4]", "undetermined d.xs[5]",
                                                         "undetermined d.xs[6]"});
  // n < 2 with n bound: 1 holds; 2 fails; 2.5 (not a whole number) fails by the walk; "x" cannot be
  // ordered; the default 0 holds.
  CHECK(subjects(r.rules[11]) == std::vector<std::string>{"fail d.xs[1]", "fail d.xs[2]", "undetermined d.xs[3]"});
  CHECK(subjects(r.rules[12]) == std::vector<std::string>{"fail d.xs[1]"});
  // The lazy path agrees.
  const auto p = policy::compile({{"t.jup", rules}});
  const auto doc = load_document(data, "d.yaml");
  const auto f = p.find(doc, fixed_date());
  REQUIRE(f.rules().size() == 18);
  for (std::size_t i = 0; i < 18; ++i) {
    INFO(r.rules[i].rule_id);
    CHECK(f.rules()[i].result == r.rules[i].result);
    CHECK(f.rules()[i].count == r.rules[i].violations.size());
  }
}

// Counts and lists over short lists (at most 16 elements) whose filters a kernel or the quick
// test answers are made in a plain loop (binders.cpp, quick_counted and quick_picked); anything
// else, or an element that needs the walk, is left to it. Both must give the walk's answers.
TEST_CASE("counts and lists over short lists, as the walk makes them") {
  std::string long_list = "[";
  for (int i = 0; i < 20; ++i)
    long_list += std::string(i ? ", " : "") + "{k: " + (i % 3 ? "a" : "b") + ", n: " + std::to_string(i) + "}";
  long_list += "]";
  const std::string data =
      "d:\n"
      "  xs:\n"
      "    - {k: a, n: 1, tags: [x]}\n"
      "    - {k: b, n: 2}\n"
      "    - {k: a, n: 3, tags: null}\n"
      "    - {n: 4}\n"
      "  mixed:\n"
      "    - {k: a, n: 1}\n"
      "    - {k: 7, n: 2}\n"
      "    - 5\n"
      "  ys: [{k: a, n: 1}, {k: b, n: 2}, {k: a, n: 3}]\n"
      "  zs: [{k: 7, n: 9}, {k: a, n: 1}]\n"
      "  m: {p: {k: a}, q: {k: b}}\n"
      "  long: " +
      long_list + "\n";
  const std::string rules =
      "uses d\n"
      "rule kernel-count {\n  require count(y in d.ys where y.k == \"a\") == 2\n}\n"
      "rule kernel-then-walk {\n  require count(x in d.xs where x.k == \"a\") == 2\n}\n"
      "rule quick-count {\n  require count(x in d.xs where (x.k ?? \"a\") == \"a\") == 3\n}\n"
      "rule walked-count {\n  require count(x in d.xs where x.n > 1 and (x.k ?? \"a\") == \"a\") == 2\n}\n"
      "rule unjudged-count {\n  require count(x in d.mixed where x.k == \"a\") == 1\n}\n"
      "rule bare-count {\n  require count(x in d.xs) == 4\n}\n"
      "rule keyed-count {\n  require count([k for k, v in d.m where v.k == \"a\"]) == 1\n}\n"
      "rule long-count {\n  require count(x in d.long where x.k == \"b\") == 7\n}\n"
      "rule nested-count {\n  require count(x in d.ys where count(y in d.ys where y.k == x.k) == 2) == 2\n}\n"
      "rule computed-count {\n  require count(t in [true, false, true] where t) == 2\n}\n"
      "rule kernel-list {\n  require [y.n for y in d.ys where y.k == \"a\"] == [1, 3]\n}\n"
      // The kernel cannot judge the first element (a number): the quick test does; the second it
      // judges, and the list holds the second's n, not the first's.
      "rule kernel-after-test {\n  require [z.n for z in d.zs where z.k == \"a\"] == [1]\n}\n"
      "rule quick-list {\n  require [x.n * 10 for x in d.xs where has(x.tags)] == [10, 30]\n}\n"
      "rule missing-element {\n  require count([x.k for x in d.xs where x.n > 0]) == 4\n}\n"
      "rule error-element {\n  require [x.n + 1 for x in d.mixed where has(x.k)] == [2, 3]\n}\n"
      "rule unjudged-list {\n  require [x.n for x in d.mixed where x.k == \"a\"] == [1]\n}\n"
      "rule constant-list {\n  require [w for w in [\"a\", \"b\", \"c\"] where not (d.none[w].ok ?? false)] == [\"a\", "
      "\"b\", \"c\"]\n}\n"
      "rule empty-list {\n  require count([x for x in d.xs where (x.k ?? \"z\") == \"q\"]) == 0\n}\n";
  const auto r = fast_and_walked(rules, data);  // every outcome, message and explanation as the walk's
  const auto got = outcomes_of(r);
  // By hand: d.xs[3] has no k, so a filter reading x.k alone cannot be judged there (and the
  // count or list is undetermined); has() is true of a null; d.mixed[2] is no map, so has(x.k)
  // is false there.
  CHECK(got == std::vector<std::string>{"t.kernel-count pass", "t.kernel-then-walk undetermined", "t.quick-count pass",
                                        "t.walked-count pass", "t.unjudged-count undetermined", "t.bare-count pass",
                                        "t.keyed-count pass", "t.long-count pass", "t.nested-count pass",
                                        "t.computed-count pass", "t.kernel-list pass", "t.kernel-after-test pass",
                                        "t.quick-list pass", "t.missing-element undetermined", "t.error-element pass",
                                        "t.unjudged-list undetermined", "t.constant-list pass", "t.empty-list pass"});
}

// has() and counts of paths from a document name (`partnership.x.y`), answered by the quick test
// from the document: present, null, missing, through something that is no map, and with the
// document name itself missing or the document no map at all.
TEST_CASE("quick conditions on paths from a document name, as the walk finds") {
  const std::string rules =
      "uses d\n"
      "rule has-present {\n  require has(d.a.b)\n}\n"
      "rule has-null {\n  require has(d.n)\n}\n"
      "rule has-through-list {\n  require not has(d.l.b)\n}\n"
      "rule count-default {\n  require count(d.a.xs ?? []) == 2\n}\n"
      "rule count-null {\n  require count(d.n ?? [1]) == 1\n}\n"
      "rule count-scalar {\n  require count(d.s ?? []) == 0\n}\n"
      "rule when-present {\n  when has(d.a)\n  require count(d.l) == 2\n}\n"
      "rule default-string {\n  require (d.s ?? \"none\") == \"text\"\n}\n";
  std::vector<std::string> outcomes;
  for (const char* data :
       {"d:\n  a: {b: 1, xs: [1, 2]}\n  n: null\n  l: [1, 2]\n  s: text\n",
        "d:\n  a: {xs: {p: 1, q: 2}}\n  l: [{b: 1}]\n  s: [x]\n", "d: 3\n", "e: {a: 1}\n", "- 1\n- 2\n"}) {
    INFO(data);
    const auto r = fast_and_walked(rules, data);  // every outcome, message and explanation as the walk's
    std::string line;
    for (const auto& rr : r.rules) line += std::string(to_string(rr.result)).substr(0, 4) + " ";
    outcomes.push_back(line);
  }
  // By hand: the first document has every path (d.s is text, which cannot be counted); the
  // second lacks d.a.b and d.n, and d.s is a list; in the last three, d is no map or is missing,
  // or the document is a list, so every path under d reads as missing.
  CHECK(outcomes ==
        std::vector<std::string>{"pass pass pass pass pass unde pass pass ", "fail fail pass pass pass fail fail fail ",
                                 "fail fail pass fail pass pass not- fail ", "fail fail pass fail pass pass not- fail ",
                                 "fail fail pass fail pass pass not- fail "});
}
