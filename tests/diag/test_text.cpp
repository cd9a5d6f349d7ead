// The shared text helpers: suggestions, UTF-8 encoding, quoting.
#include <catch2/catch.hpp>

#include "diag/text.hpp"

using namespace joinup::diag;

TEST_CASE("edit distance counts insertions, deletions, substitutions and swaps") {
  CHECK(edit_distance("count", "count") == 0);
  CHECK(edit_distance("cuont", "count") == 1);  // a swap of neighbours is one step
  CHECK(edit_distance("coun", "count") == 1);
  CHECK(edit_distance("cout", "count") == 1);
  CHECK(edit_distance("kount", "count") == 1);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("abc", "") == 3);
  CHECK(edit_distance("senority", "seniority") == 1);
  CHECK(edit_distance("lenght", "length") == 1);
  CHECK(edit_distance("abcdef", "badcfe") == 3);
}

TEST_CASE("UTF-8 encoding of each length") {
  std::string s;
  append_utf8(s, 0x41);
  append_utf8(s, 0xE9);
  append_utf8(s, 0x20AC);
  append_utf8(s, 0x1F600);
  CHECK(s == "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
}

TEST_CASE("quoting escapes as the rule language writes strings") {
  std::string s;
  append_quoted(s, "say \"hi\"\\\n\x01");
  CHECK(s == "\"say \\\"hi\\\"\\\\\\n\\u{1}\"");
}
