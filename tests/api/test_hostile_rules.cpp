// Regressions from tests/bad-input/: rule texts that used to compile silently.
#include <catch2/catch.hpp>

#include "joinup/diagnostic.hpp"
#include "joinup/policy.hpp"

TEST_CASE("rule text that is not UTF-8 is an error") {
  for (const char* origin : {"r.jup", "r.yaml"}) {
    const std::string text =
        std::string(origin).ends_with(".jup")
            ? "package p\nrule r \"t\xff\" {\n  require true\n}\n"
            : "package: p\nrules:\n  - id: r\n    title: \"\xc3\xa9t\xc0\xaf\"\n    require: 'true'\n";
    try {
      joinup::policy::compile({{origin, text}});
      FAIL("no error for " << origin);
    } catch (const joinup::error& e) {
      REQUIRE(e.diagnostics().size() == 1);
      const auto& d = e.diagnostics().front();
      CHECK(d.code == "invalid-utf8");
      CHECK(d.origin == origin);
      CHECK(d.line == (text[0] == 'p' && text[7] == ':' ? 4u : 2u));
    }
  }
}

TEST_CASE("a rule file starting with a UTF-8 byte order mark compiles, and columns start after it") {
  for (const char* origin : {"r.jup", "r.yaml"}) {
    const std::string body = std::string(origin).ends_with(".jup")
                                 ? "package p\nrule r \"t\" {\n  require true\n}\n"
                                 : "package: p\nrules:\n  - id: r\n    require: 'true'\n";
    const auto p = joinup::policy::compile({{origin, "\xEF\xBB\xBF" + body}});
    REQUIRE(p.rules().size() == 1);
    CHECK(p.rules().front().full_id == "p.r");
  }
  try {
    joinup::policy::compile({{"r.jup", "\xEF\xBB\xBFpackage p\nrule r {\n"}});
    FAIL("no error");
  } catch (const joinup::error& e) {
    REQUIRE(e.diagnostics().size() == 1);  // the mark itself is not one of them
    CHECK(e.diagnostics().front().line == 2u);
    CHECK(e.diagnostics().front().column == 8u);  // the "{" of "rule r {"
  }
}
