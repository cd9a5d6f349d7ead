// Promises shared by the fuzz targets that check more than "no crash": a broken promise prints what
// was broken and aborts, which libFuzzer reports as a finding and the corpus replay as a failure.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "joinup/diagnostic.hpp"

namespace joinup_fuzz {

[[noreturn]] inline void broken(const char* promise, std::string_view input, std::string_view output) {
  std::fprintf(stderr, "broke a promise: %s\n--- input ---\n%.*s\n--- output ---\n%.*s\n", promise,
               static_cast<int>(input.size()), input.data(), static_cast<int>(output.size()), output.data());
  std::abort();
}

// The lines of a text (without their line feeds).
inline std::vector<std::string_view> lines_of(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    const auto nl = s.find('\n');
    out.push_back(s.substr(0, nl));
    if (nl == std::string_view::npos) break;
    s.remove_prefix(nl + 1);
  }
  return out;
}

// What a terminal or a CI runner would act on, in text meant for either (docs/security.md): a
// control character other than tab and line feed, DEL, a C1 control (U+0080-U+009F), a
// bidirectional control (U+202A-U+202E, U+2066-U+2069), or a line whose first non-blank
// characters are "::" (a workflow command) unless `own_commands` allows the github format's own
// annotations. Returns what it found, "" when the text is clean.
inline std::string unsafe_for_terminal(std::string_view s, bool own_commands = false) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const auto next = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
    const auto third = i + 2 < s.size() ? static_cast<unsigned char>(s[i + 2]) : 0;
    if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F)
      return "a raw control character at byte " + std::to_string(i);
    if (c == 0xC2 && next >= 0x80 && next <= 0x9F) return "a raw C1 control at byte " + std::to_string(i);
    if (c == 0xE2 &&
        ((next == 0x80 && third >= 0xAA && third <= 0xAE) || (next == 0x81 && third >= 0xA6 && third <= 0xA9)))
      return "a raw bidirectional control at byte " + std::to_string(i);
  }
  for (const auto line : lines_of(s)) {
    const auto start = line.find_first_not_of(" \t");
    if (start == std::string_view::npos || line.substr(start, 2) != "::") continue;
    if (own_commands && start == 0 &&
        (line.starts_with("::error ") || line.starts_with("::warning ") || line.starts_with("::notice ")))
      continue;
    return "a line that starts with \"::\": " + std::string(line.substr(0, 80));
  }
  return {};
}

// The lines of a text as a reader counts them: a line feed, a carriage return and both together
// each end one.
inline std::size_t line_count(std::string_view s) {
  std::size_t n = 1;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == s.size() || s[i + 1] != '\n'))) ++n;
  return n;
}

// Every diagnostic of an error has a message and names `origin`, a line within its text and a
// column. Returns what is wrong, "" when nothing is.
inline std::string misplaced(const std::vector<joinup::diagnostic>& ds, std::string_view origin,
                             std::string_view text) {
  if (ds.empty()) return "an error without a diagnostic";
  const std::size_t lines = line_count(text);
  for (const auto& d : ds) {
    if (d.message.empty()) return "a diagnostic without a message";
    if (d.origin != origin) return "a diagnostic naming another file: " + d.origin + ": " + d.message;
    if (d.line == 0 || d.column == 0) return "a diagnostic without a line and column: " + d.message;
    if (d.line > lines) return "a diagnostic past the text's last line: " + d.message;
  }
  return {};
}

}  // namespace joinup_fuzz
