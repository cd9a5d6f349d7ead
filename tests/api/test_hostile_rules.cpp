// Regressions from tests/bad-input/: rule texts that used to compile silently.
#include <catch2/catch.hpp>

#include "joinup/diagnostic.hpp"
#include "joinup/policy.hpp"

TEST_CASE("rule text that is not UTF-8 is an error") {
  for (const char* origin : {"r.jup", "r.yaml"}) {
    const std::string text = std::string(origin).ends_with(".jup")
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
