// Regressions from tests/bad-input/: inputs that used to load silently.
#include <catch2/catch.hpp>

#include <string>

#include "joinup/diagnostic.hpp"
#include "joinup/document.hpp"
#include "yaml_error.hpp"

using joinup::data_format;
using joinup_test::yaml_error;

TEST_CASE("a NUL byte in YAML is an error, not the end of the text") {
  // yaml-cpp stopped at the NUL and loaded the string "a".
  const auto d = yaml_error(std::string_view("a\0b: 1\n", 7));
  CHECK(d.code == "data-parse");
  CHECK(d.message == "control character U+0000 in YAML text");
  CHECK(d.line == 1);
  CHECK(d.column == 2);
  CHECK(yaml_error("a: 1\nb: \x01\n").message == "control character U+0001 in YAML text");
  CHECK(yaml_error("a: \x7f\n").line == 1);
  // Tabs, line feeds and carriage returns are text.
  CHECK_NOTHROW(joinup::load_document("a: 1\r\nb: \"x\ty\"\r\n", "data.yaml", data_format::yaml));
}

TEST_CASE("a quoted YAML string cut off by the end of the file is an error") {
  const auto d = yaml_error("partnership: \"abc\nb: 2\n");
  CHECK(d.code == "data-parse");
  CHECK(d.line == 1);
  CHECK(d.column == 14);
  CHECK(yaml_error("partnership: 'abc\n").line == 1);
  CHECK(yaml_error("a: \"x\\\"").code == "data-parse");  // the escaped quote does not close it
  CHECK(yaml_error("a: 'it''s").code == "data-parse");
  CHECK_NOTHROW(joinup::load_document("a: \"x\\\"\"\nb: 'it''s'\n", "data.yaml", data_format::yaml));
}
