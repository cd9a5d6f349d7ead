// A calendar date, as rules, data values, evaluation options, results and waivers use it.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace joinup {

// A calendar date (proleptic Gregorian), as days since 1970-01-01.
struct date {
  std::int32_t days = 0;

  static constexpr date from_ymd(int y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return date{era * 146097 + static_cast<int>(doe) - 719468};
  }

  struct ymd {
    int year;
    unsigned month;
    unsigned day;
  };
  constexpr ymd to_ymd() const {
    const int z = days + 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int y = static_cast<int>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {y + (m <= 2), m, d};
  }

  static constexpr bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
  static constexpr unsigned days_in_month(int y, unsigned m) {
    constexpr unsigned table[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : table[m - 1];
  }

  // Exactly YYYY-MM-DD naming a real calendar day; anything else is not a date.
  static constexpr std::optional<date> parse(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    // Each digit's value, or 10 and more for any other byte (unsigned arithmetic wraps below '0').
    const auto digit = [&](std::size_t i) { return static_cast<unsigned>(static_cast<unsigned char>(s[i])) - '0'; };
    const unsigned d0 = digit(0), d1 = digit(1), d2 = digit(2), d3 = digit(3), d5 = digit(5), d6 = digit(6),
                   d8 = digit(8), d9 = digit(9);
    if ((d0 > 9) | (d1 > 9) | (d2 > 9) | (d3 > 9) | (d5 > 9) | (d6 > 9) | (d8 > 9) | (d9 > 9)) return std::nullopt;
    const int year = static_cast<int>(((d0 * 10 + d1) * 10 + d2) * 10 + d3);
    const unsigned month = d5 * 10 + d6, day = d8 * 10 + d9;
    if (month < 1 || month > 12 || day < 1) return std::nullopt;
    if (day > days_in_month(year, month)) return std::nullopt;
    return from_ymd(year, month, day);
  }

  std::string to_string() const {
    const auto [y, m, d] = to_ymd();
    char buf[16];
    buf[0] = static_cast<char>('0' + (y / 1000) % 10);
    buf[1] = static_cast<char>('0' + (y / 100) % 10);
    buf[2] = static_cast<char>('0' + (y / 10) % 10);
    buf[3] = static_cast<char>('0' + y % 10);
    buf[4] = '-';
    buf[5] = static_cast<char>('0' + m / 10);
    buf[6] = static_cast<char>('0' + m % 10);
    buf[7] = '-';
    buf[8] = static_cast<char>('0' + d / 10);
    buf[9] = static_cast<char>('0' + d % 10);
    return std::string(buf, 10);
  }

  friend constexpr bool operator==(date a, date b) { return a.days == b.days; }
  friend constexpr auto operator<=>(date a, date b) { return a.days <=> b.days; }
};

}  // namespace joinup
