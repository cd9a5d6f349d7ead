// Every public member function of the public types, called on a default-constructed object: a
// documented empty answer or a clear exception, never a crash.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <utility>

#include "fixed_date.hpp"
#include "joinup/joinup.hpp"

using joinup::document;

TEST_CASE("an empty document answers questions about itself and refuses node ids") {
  const document d;
  CHECK(d.empty());
  CHECK(d.uid() == 0);
  CHECK(d.origin().empty());
  CHECK(d.node_count() == 0);
  CHECK(d.root() == 0);
  CHECK(d.path(0).empty());
  CHECK(d.path(document::npos).empty());
  CHECK_FALSE(d.find_key("anything").has_value());
  d.prefetch(0);  // a hint: nothing to fetch
  d.prefetch_entries(0);

  CHECK_THROWS_AS(d.kind(d.root()), std::out_of_range);
  CHECK_THROWS_WITH(d.kind(0), "joinup::document::kind: node 0 is not in this document (it is empty)");
  CHECK_THROWS_AS(d.as_bool(0), std::out_of_range);
  CHECK_THROWS_AS(d.as_int(0), std::out_of_range);
  CHECK_THROWS_AS(d.as_double(0), std::out_of_range);
  CHECK_THROWS_AS(d.as_date(0), std::out_of_range);
  CHECK_THROWS_AS(d.as_string(0), std::out_of_range);
  CHECK_THROWS_AS(d.size(0), std::out_of_range);
  CHECK_THROWS_AS(d.at(0, 0), std::out_of_range);
  CHECK_THROWS_AS(d.key_at(0, 0), std::out_of_range);
  CHECK_THROWS_AS(d.value_at(0, 0), std::out_of_range);
  CHECK_THROWS_AS(d.key_text(0), std::out_of_range);
  CHECK_THROWS_AS(d.find(0, 0u), std::out_of_range);
  CHECK_THROWS_AS(d.find(0, "key"), std::out_of_range);
  CHECK_THROWS_AS(d.offset(0), std::out_of_range);
  CHECK_THROWS_AS(d.position(0), std::out_of_range);

  const document copy = d;  // copies of an empty document are empty
  CHECK(copy.empty());
  CHECK(copy.uid() == 0);
}

TEST_CASE("a loaded document refuses node ids it does not have and readers of the wrong kind") {
  const auto d = joinup::load_document(R"({"a": [1, "x"], "b": true})", "small.json");
  REQUIRE(d.node_count() == 5);
  const auto a = d.find(d.root(), "a");
  REQUIRE(a != document::npos);
  CHECK(d.kind(a) == joinup::value_kind::list);
  CHECK(d.as_int(d.at(a, 0)) == 1);
  CHECK(d.as_string(d.at(a, 1)) == "x");
  CHECK(d.find(a, "a") == document::npos);  // not a map: no key under it

  CHECK_THROWS_WITH(d.kind(5), "joinup::document::kind: node 5 is not in this document");
  CHECK_THROWS_AS(d.kind(document::npos), std::out_of_range);
  CHECK_THROWS_WITH(d.at(a, 2), "joinup::document::at: list node 1 has 2 elements, not 3");
  CHECK_THROWS_WITH(d.as_string(d.at(a, 0)), "joinup::document::as_string: node 2 is a integer, not a string");
  CHECK_THROWS_AS(d.as_int(d.root()), std::invalid_argument);
  CHECK_THROWS_AS(d.at(d.root(), 0), std::invalid_argument);
  CHECK_THROWS_AS(d.key_at(a, 0), std::invalid_argument);
  CHECK_THROWS_AS(d.value_at(d.root(), 2), std::out_of_range);
  CHECK_THROWS_AS(d.key_text(2), std::out_of_range);
  CHECK(d.key_text(d.key_at(d.root(), 1)) == "b");
  CHECK(d.path(99).empty());
}

TEST_CASE("a document builder moved from, or finished, refuses to be used") {
  joinup::document_builder b("moved.yaml");
  CHECK(b.depth() == 0);
  joinup::document_builder other = std::move(b);
  CHECK(b.depth() == 0);  // NOLINT(bugprone-use-after-move): what this test is about
  CHECK_THROWS_AS(b.integer(1), joinup::error);
  CHECK_THROWS_AS(b.begin_map(), joinup::error);
  CHECK_THROWS_AS(b.key("k"), joinup::error);
  CHECK_THROWS_AS(b.end(), joinup::error);
  CHECK_THROWS_AS(b.set_source("x"), joinup::error);
  CHECK_THROWS_AS(b.reserve(1, 1), joinup::error);
  CHECK_THROWS_AS(b.finish(), joinup::error);
  try {
    b.null_value();
    FAIL("a moved-from builder took a value");
  } catch (const joinup::error& e) {
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].code == "builder-misuse");
    CHECK(e.diagnostics()[0].message == "document builder used after it was moved from");
  }

  other.integer(7);
  const document d = other.finish();
  CHECK(d.as_int(d.root()) == 7);
  CHECK(d.origin() == "moved.yaml");
  CHECK(other.depth() == 0);
  CHECK_THROWS_AS(other.integer(1), joinup::error);  // used after finish()
  CHECK_THROWS_AS(other.finish(), joinup::error);
}

TEST_CASE("an empty policy has no rules and finds nothing") {
  const joinup::policy p;
  CHECK(p.empty());
  CHECK(p.rules().empty());
  CHECK(p.find_rule("any.rule") == nullptr);
  auto options = fixed_date();

  const auto r = p.evaluate(document{}, options);
  CHECK(r.rules.empty());
  CHECK(r.data_origin.empty());
  CHECK(r.as_of == *fixed_date().as_of);
  CHECK(r.summary().rules == 0);
  CHECK_FALSE(r.fails_at(joinup::severity::info));

  const auto f = p.find(document{}, options);
  CHECK(f.empty());
  CHECK(f.rules().empty());
  CHECK(f.as_of() == *fixed_date().as_of);
  CHECK(f.result().rules.empty());
  CHECK_THROWS_AS(f.details(0), std::out_of_range);

  options.only = {"no.such-rule"};
  CHECK_THROWS_AS(p.evaluate(document{}, options), joinup::error);
}

TEST_CASE("a policy evaluated over an empty document judges its one subject, the missing root") {
  const auto p = joinup::policy::compile(
      {{"r.jup", "package t\nuses partnership\nrule r1 \"has a name\" {\n  require partnership.name == \"x\"\n}\n"}});
  auto options = fixed_date();
  const auto r = p.evaluate(document{}, options);
  REQUIRE(r.rules.size() == 1);
  CHECK(r.rules[0].result != joinup::outcome::pass);
  REQUIRE(r.rules[0].violations.size() == 1);
  const auto f = p.find(document{}, options);
  REQUIRE(f.size() == 1);
  CHECK(f.details(0).message == r.rules[0].violations[0].message);
}

TEST_CASE("default-constructed findings, results and values answer empty") {
  const joinup::findings f;
  CHECK(f.empty());
  CHECK(f.size() == 0);
  CHECK(f.failures() == 0);
  CHECK(f.rules().empty());
  CHECK(f.violations().empty());
  CHECK(f.as_of() == joinup::date{});
  CHECK(f.undetermined_fails());
  CHECK(f.summary().rules == 0);
  CHECK_FALSE(f.fails_at(joinup::severity::info));
  CHECK_THROWS_AS(f.details(0), std::out_of_range);
  CHECK(f.result().rules.empty());

  const joinup::evaluation_result r;
  CHECK(r.summary().failing_subjects == 0);
  CHECK_FALSE(r.fails_at(joinup::severity::info));
  const joinup::check_results run;
  CHECK(run.summary().rules == 0);
  CHECK_FALSE(run.fails_at(joinup::severity::info));
  const joinup::rule_result rr;
  CHECK_FALSE(rr.waived());
  CHECK(rr.unwaived_result() == joinup::outcome::pass);
  const joinup::violation v;
  CHECK_FALSE(v.waived());
  const joinup::waiver w;
  CHECK_FALSE(w.expired_at(joinup::date{}));
  const joinup::waiver_status ws;
  CHECK_FALSE(ws.is_warning());  // a default status is `used`

  const joinup::date d;
  CHECK(d.to_string() == "1970-01-01");
  CHECK(joinup::date::parse(d.to_string()) == d);

  const joinup::line_index lines;
  CHECK(lines.position(10).line == 0);
  CHECK(lines.line_count() == 0);
  CHECK(lines.line_start(1) == 0);
  CHECK(lines.line_end(1) == 0);

  const joinup::error e({});
  CHECK(e.diagnostics().empty());
  CHECK(std::string(e.what()) == "error");
}
