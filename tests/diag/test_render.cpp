// The diagnostic renderer: positions, carets under multi-byte characters and tabs, help lines.
#include <catch2/catch.hpp>

#include "diag/source.hpp"
#include "diag/text.hpp"

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

TEST_CASE("the caret on a tab, and after tabs in a long line's window, lines up at any tab width") {
  // Each tab before the caret is copied into its line, so a terminal or editor moves both lines
  // to the same tab stops; the caret on a tab stands where the tab starts.
  source_file src("r.yaml", "a:\n  \t\tb: 1\n");
  auto d = src.make(6, 7, "data-parse", "here");
  CHECK(d.column == 4);
  CHECK(joinup::render(d) == "r.yaml:2:4: error: here\n    \t\tb: 1\n    \t^\n");

  const std::string line = std::string(200, 'x') + "\t\ty";
  source_file long_src("f", line + "\n");
  d = long_src.make(202, 203, "c", "here");
  CHECK(d.column == 203);
  CHECK(joinup::render(d) ==
        "f:1:203: error: here\n  ..." + std::string(157, 'x') + "\t\ty\n     " + std::string(157, ' ') + "\t\t^\n");
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

TEST_CASE("line index agrees with counting, for line breaks and multi-byte characters anywhere") {
  // The index is built 32 bytes at a time: breaks and wide characters at every place in a block,
  // and across block ends. A line ends at LF, CR LF or a lone CR (a CR and the LF after it may
  // fall in two blocks).
  const std::string pieces[] = {"a", "\n", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", " ", "\n\n", "\r", "\r\n"};
  std::uint64_t seed = 12345;
  for (int round = 0; round < 200; ++round) {
    std::string text;
    const int count = static_cast<int>(seed % 90);
    for (int k = 0; k < count; ++k) {
      seed = seed * 6364136223846793005ull + 1442695040888963407ull;
      text += pieces[(seed >> 33) % 9];
    }
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    const joinup::line_index li(text);
    std::uint32_t line = 1, column = 1;
    for (std::uint32_t o = 0; o <= text.size(); ++o) {
      const auto c = o < text.size() ? static_cast<unsigned char>(text[o]) : 0u;
      if (o == text.size() || (c & 0xC0) != 0x80) {  // a character starts here
        const auto p = li.position(o);
        CHECK(p.line == line);
        CHECK(p.column == column);
      }
      if (o == text.size()) break;
      if (c == '\n' || (c == '\r' && (o + 1 == text.size() || text[o + 1] != '\n'))) {
        ++line;
        column = 1;
      } else if ((c & 0xC0) != 0x80) {
        ++column;
      }
    }
    CHECK(li.line_count() == line);
  }
}

TEST_CASE("a long source line is shown as a window around the column") {
  // From tests/bad-input/: a 300,000-character line used to be printed whole, twice over.
  joinup::diagnostic d;
  d.origin = "big.json";
  d.line = 1;
  d.column = 1000;
  d.length = 500;
  d.message = "here";
  d.source_line = std::string(999, 'a') + "X" + std::string(5000, 'b');
  const auto out = joinup::render(d);
  CHECK(out.size() < 500);
  CHECK(out == "big.json:1:1000: error: here\n  ..." + std::string(80, 'a') + "X" + std::string(79, 'b') + "...\n  " +
                   std::string(3 + 80, ' ') + std::string(80, '^') + "\n");
  // Near the start: no leading ellipsis; short lines are shown whole.
  d.column = 2;
  d.length = 1;
  CHECK(joinup::render(d).starts_with("big.json:1:2: error: here\n  aa"));
  d.source_line = "short";
  CHECK(joinup::render(d) == "big.json:1:2: error: here\n  short\n   ^\n");
}

TEST_CASE("invalid UTF-8 is found at its first byte") {
  using joinup::diag::find_invalid_utf8;
  CHECK(find_invalid_utf8("plain \xc3\xa9 \xf0\x9f\x99\x82") == std::string_view::npos);
  CHECK(find_invalid_utf8("ab\xff") == 2);
  CHECK(find_invalid_utf8("\xc0\xaf") == 0);          // overlong
  CHECK(find_invalid_utf8("x\xed\xa0\x80") == 1);     // surrogate
  CHECK(find_invalid_utf8("caf\xc3") == 3);           // cut off
  CHECK(find_invalid_utf8("\xf4\x90\x80\x80") == 0);  // above U+10FFFF
}
