// Pieces shared by the report formats: locations as text, a violation's details in words, and
// escaping for XML and HTML.
#pragma once

#include <string>
#include <string_view>

#include "joinup/result.hpp"

namespace joinup::report {

// "file:line:col", "file:line" or "file": a 0 line or column means unknown and is left out.
std::string location_text(std::string_view file, source_position p);

// What failed and the values it saw, one line each: "require size between 10 and 20", then
// "    size = 22" per sub-expression (a multi-line require on one line).
std::string explanation_text(const violation& v);

// The waiver of a violation in words: "waived by W:L:C; approved by X; expires D" or "the waiver
// at W:L:C expired on D, so this finding counts again"; "" without a waiver.
std::string waiver_text(const violation& v);

// Text for XML and HTML content and attribute values (JUnit, HTML): first escaped as every text
// output escapes it (diag::append_escaped, line feeds kept): control characters other than tab and
// line feed, DEL, the C1 controls and the bidirectional controls U+202A-U+202E and U+2066-U+2069
// are written \u{1b}, \u{9b}, \u{202e}, a byte that is not valid UTF-8 \x{ff}, and a line's
// leading "::" \u{3a}:; then & < > " ' as entities, U+FFFE and U+FFFF as U+FFFD, and line feeds
// and tabs in attributes as &#10; and &#9; so that they survive attribute reading.
void append_xml_escaped(std::string& out, std::string_view s, bool attribute = false);
std::string xml_escaped(std::string_view s, bool attribute = false);

// A require written over several lines, on one.
std::string one_line(std::string_view s);

}  // namespace joinup::report
