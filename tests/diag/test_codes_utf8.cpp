// The one list of diagnostic codes, the one UTF-8 check and the diagnostics built from them.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "diag/codes.hpp"
#include "diag/source.hpp"
#include "diag/utf8.hpp"

namespace diag = joinup::diag;

TEST_CASE("every diagnostic code has one kebab-case text that names it back") {
  std::set<std::string> seen;
  for (const auto& [id, text] : diag::code_texts) {
    CHECK(seen.insert(std::string(text)).second);
    CHECK(diag::code_of(text) == id);
    CHECK(std::string(diag::to_string(id)) == text);
    for (const char c : text) CHECK(((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'));
  }
  CHECK(std::string(diag::to_string(diag::code::invalid_utf8)) == "invalid-utf8");
  CHECK(std::string(diag::to_string(diag::code::file_not_found)) == "file-not-found");
  CHECK_FALSE(diag::code_of("not-a-code").has_value());
  CHECK_FALSE(diag::code_of("").has_value());
}

TEST_CASE("the length of a UTF-8 sequence, and 0 where there is none") {
  using diag::utf8_sequence_length;
  CHECK(utf8_sequence_length("a", 0) == 1);
  CHECK(utf8_sequence_length("\xc3\xa9", 0) == 2);
  CHECK(utf8_sequence_length("\xe2\x82\xac", 0) == 3);
  CHECK(utf8_sequence_length("\xf0\x9f\x99\x82", 0) == 4);
  CHECK(utf8_sequence_length("x\xc3\xa9", 1) == 2);
  CHECK(utf8_sequence_length("\xc3", 0) == 0);              // cut off
  CHECK(utf8_sequence_length("\xe2\x82", 0) == 0);          // cut off
  CHECK(utf8_sequence_length("\xc0\xaf", 0) == 0);          // overlong
  CHECK(utf8_sequence_length("\xe0\x80\xaf", 0) == 0);      // overlong
  CHECK(utf8_sequence_length("\xed\xa0\x80", 0) == 0);      // surrogate
  CHECK(utf8_sequence_length("\xf4\x90\x80\x80", 0) == 0);  // above U+10FFFF
  CHECK(utf8_sequence_length("\x80", 0) == 0);              // a continuation byte
  CHECK(utf8_sequence_length("\xff", 0) == 0);
}

TEST_CASE("an invalid UTF-8 byte is reported at its line and column, with or without the line") {
  const std::string text = "a: 1\nname: \"Nort\xc3\xa9 \xff!\"\n";
  const auto at = diag::find_invalid_utf8(text);
  REQUIRE(at == 19);
  const auto d = diag::invalid_utf8_error(text, at, "d.yaml", "data files must be UTF-8 encoded", true);
  CHECK(d.code == "invalid-utf8");
  CHECK(d.origin == "d.yaml");
  CHECK(d.line == 2);
  CHECK(d.column == 14);  // characters, not bytes: é is one
  CHECK(d.message == "invalid UTF-8: byte 0xFF does not start a valid character");
  CHECK(d.help == "data files must be UTF-8 encoded");
  CHECK(d.source_line == "name: \"Nort\xc3\xa9 ?!\"");

  const auto rule = diag::invalid_utf8_error(text, at, "r.jup", "rule files must be UTF-8 encoded", false);
  CHECK(rule.line == 2);
  CHECK(rule.column == 14);
  CHECK(rule.source_line.empty());

  const std::string first = "\xc3";
  const auto start = diag::invalid_utf8_error(first, 0, "x", "", true);
  CHECK(start.line == 1);
  CHECK(start.column == 1);
  CHECK(start.message == "invalid UTF-8: byte 0xC3 does not start a valid character");
  CHECK(start.source_line == "?");
}

TEST_CASE("a diagnostic about a whole file has its code, origin, message and help, and no position") {
  const auto d = diag::file_diagnostic(diag::code::too_large, "big.jup", "rule file is too large", "split it");
  CHECK(d.code == "too-large");
  CHECK(d.origin == "big.jup");
  CHECK(d.message == "rule file is too large");
  CHECK(d.help == "split it");
  CHECK(d.line == 0);
  CHECK(d.column == 0);
  CHECK(d.level == joinup::diagnostic_level::error);
}

TEST_CASE("source_file::make takes a code from the list") {
  const diag::source_file src("r.jup", "rule a {}\n");
  const auto d = src.make(5, 6, diag::code::syntax, "m");
  CHECK(d.code == "syntax");
  CHECK(d.line == 1);
  CHECK(d.column == 6);
}

TEST_CASE("text that is not UTF-8, described and escaped for what the C interface gives out") {
  CHECK(diag::invalid_utf8_detail("data/caf\xe9.yaml", 8) ==
        "byte 0xE9 at byte offset 8 does not start a valid character");
  CHECK(diag::escape_invalid_utf8("caf\xc3\xa9") == "caf\xc3\xa9");  // valid: as it is
  CHECK(diag::escape_invalid_utf8("caf\xe9.yaml") == "caf\\xE9.yaml");
  CHECK(diag::escape_invalid_utf8("\xff\xfe") == "\\xFF\\xFE");
  CHECK(diag::escape_invalid_utf8("a\xc3") == "a\\xC3");  // cut off
  CHECK(diag::find_invalid_utf8(diag::escape_invalid_utf8("\x80x\xed\xa0\x80")) == std::string_view::npos);
}
