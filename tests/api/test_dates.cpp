// joinup::date, the calendar date of the public API: parse() takes exactly YYYY-MM-DD naming a
// real day, and gives back what to_string() and to_ymd() print.
#include <catch2/catch.hpp>

#include <string>

#include "joinup/date.hpp"

using joinup::date;

TEST_CASE("a date parses only as YYYY-MM-DD of a real calendar day") {
  const auto day = [](std::string_view s) { return date::parse(s); };
  CHECK(day("2026-11-21").has_value());
  CHECK(day("2024-02-29").has_value());  // a leap year
  CHECK(day("2000-02-29").has_value());  // divisible by 400
  CHECK_FALSE(day("1900-02-29"));        // divisible by 100 only
  CHECK_FALSE(day("2026-02-29"));
  CHECK_FALSE(day("2026-04-31"));
  CHECK(day("2026-12-31").has_value());
  CHECK(day("0000-01-01").has_value());
  CHECK(day("9999-12-31").has_value());
  for (const char* bad : {"2026-00-10", "2026-13-01", "2026-01-00", "2026-01-32", "2026-1-01", "2026-01-1", "26-01-01",
                          "2026/01/01", "2026-01-01 ", " 2026-01-01", "2026-01-01T00", ""})
    CHECK_FALSE(day(bad));
  // A byte that is not a digit, in each digit's place: the bytes just below and above '0'..'9',
  // a letter, a space and a byte of 0x80 or more.
  const std::string good = "2026-11-21";
  for (const std::size_t at : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    for (const char c : {'/', ':', 'a', ' ', '\x80', '\xff', '\0'}) {
      std::string s = good;
      s[at] = c;
      INFO("'" << s << "'");
      CHECK_FALSE(day(s));
    }
  CHECK_FALSE(day("2026x11-21"));
  CHECK_FALSE(day("2026-11x21"));
}

TEST_CASE("every day of four centuries reads back as it prints") {
  const auto first = *date::parse("1900-01-01"), last = *date::parse("2300-12-31");
  int days = 0;
  for (date d = first; d <= last; d.days += 1, ++days) {
    const auto text = d.to_string();
    const auto back = date::parse(text);
    REQUIRE(back.has_value());
    REQUIRE(back->days == d.days);
    const auto [y, m, dd] = d.to_ymd();
    REQUIRE(text == (std::to_string(y) + "-" + (m < 10 ? "0" : "") + std::to_string(m) + "-" + (dd < 10 ? "0" : "") +
                     std::to_string(dd)));
  }
  CHECK(days == 146462);  // 401 years, 97 of them leap (1900, 2100, 2200 and 2300 are not)
}
