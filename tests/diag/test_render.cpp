// The diagnostic renderer: positions, carets under multi-byte characters and tabs, help lines.
#include <catch2/catch.hpp>

#include "diag/source.hpp"

using joinup::diag::source_file;

TEST_CASE("a diagnostic names file, line and column and puts a caret under the span") {
  source_file src("r.jup", "rule a {\n  require x = 1\n}\n");
  auto d = src.make(21, 22, "syntax", "'=' is not a comparison", "did you mean '=='?");
  CHECK(d.line == 2);
  CHECK(d.column == 13);
  CHECK(joinup::render(d) ==
        "r.jup:2:13: error: '=' is not a comparison\n"
        "    require x = 1\n"
        "              ^\n"
        "  help: did you mean '=='?\n");
}

TEST_CASE("columns count characters, and tabs stay tabs in the caret line") {
  source_file src("r.jup", "\t\"é\" + x\n");
  auto d = src.make(8, 9, "x", "here");  // 'é' is two bytes
  CHECK(d.column == 8);
  CHECK(joinup::render(d) == "r.jup:1:8: error: here\n  \t\"é\" + x\n  \t      ^\n");
}

TEST_CASE("the caret covers the span but stops at the end of its line") {
  source_file src("f", "abc def\nxyz\n");
  CHECK(src.make(4, 7, "c", "m").length == 3);
  CHECK(src.make(4, 10, "c", "m").length == 3);
  CHECK(src.make(8, 8, "c", "m").length == 1);
}

TEST_CASE("line index maps offsets to lines and columns") {
  joinup::line_index li("a\nbb\n\nccc");
  CHECK(li.position(0).line == 1);
  CHECK(li.position(2).line == 2);
  CHECK(li.position(3).column == 2);
  CHECK(li.position(5).line == 3);
  CHECK(li.position(6).line == 4);
  CHECK(li.position(8).column == 3);
  CHECK(li.line_count() == 4);
}
