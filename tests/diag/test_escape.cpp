// The one escaping of text for terminals and CI logs (diag::append_escaped), and the diagnostic
// renderer's use of it.
#include <catch2/catch.hpp>

#include "diag/source.hpp"
#include "diag/text.hpp"

using joinup::diag::escaped;
using joinup::diag::line_breaks;

TEST_CASE("control characters are written as the rule language's escapes") {
  CHECK(escaped("\x1b]0;pwned\x07\x1b[2J") == "\\u{1b}]0;pwned\\u{7}\\u{1b}[2J");
  CHECK(escaped("a\rb\nc\x7f") == "a\\rb\\nc\\u{7f}");
  CHECK(escaped(std::string("nul\0here", 8)) == "nul\\u{0}here");
  CHECK(escaped("tab\tstays") == "tab\tstays");
  CHECK(escaped("back\\slash \"quotes\" and caf\xc3\xa9") == "back\\slash \"quotes\" and caf\xc3\xa9");
}

TEST_CASE("C1 controls and bidirectional controls are escaped, other characters are not") {
  CHECK(escaped("a\xc2\x85"
                "b\xc2\x9b"
                "c") == "a\\u{85}b\\u{9b}c");
  CHECK(escaped("\xe2\x80\xaa\xe2\x80\xae\xe2\x81\xa6\xe2\x81\xa9") == "\\u{202a}\\u{202e}\\u{2066}\\u{2069}");
  // Neighbours of the escaped ranges stay as they are: U+00A0, U+2029, U+202F, U+2065, U+206A.
  const std::string kept = "\xc2\xa0\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa";
  CHECK(escaped(kept) == kept);
}

TEST_CASE("a byte that is not UTF-8 is written as a hexadecimal escape") {
  CHECK(escaped("a\xff"
                "b\x9b"
                "c") == "a\\x{ff}b\\x{9b}c");
}

TEST_CASE("line feeds are kept where the output breaks lines, and no line starts with '::'") {
  CHECK(escaped("x\n::warning::forged") == "x\\n::warning::forged");
  CHECK(escaped("x\n::warning::forged", line_breaks::keep) == "x\n\\u{3a}:warning::forged");
  CHECK(escaped("x\n  \t::error::y", line_breaks::keep) == "x\n  \t\\u{3a}:error::y");
  CHECK(escaped("::start") == "\\u{3a}:start");
  CHECK(escaped("a::b\n:single", line_breaks::keep) == "a::b\n:single");
}

TEST_CASE("append_quoted is unchanged: rule-language literals and subject identities") {
  std::string out;
  joinup::diag::append_quoted(out, "say \"hi\"\\\x1b\n\xe2\x80\xae::");
  CHECK(out == "\"say \\\"hi\\\"\\\\\\u{1b}\\n\xe2\x80\xae::\"");
}

TEST_CASE("a diagnostic escapes its origin, message and source line, and the caret follows the escapes") {
  joinup::diag::source_file src("bad\x1b[2J.json", std::string("{\"a\": \"x\0y\", !}\n", 16));
  auto d = src.make(13, 14, "data-parse", "unexpected '!' after \x1b[31m", "");
  CHECK(joinup::render(d) ==
        "bad\\u{1b}[2J.json:1:14: error: unexpected '!' after \\u{1b}[31m\n"
        "  {\"a\": \"x\\u{0}y\", !}\n"
        "                   ^\n");
}
