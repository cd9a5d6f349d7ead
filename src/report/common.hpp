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

// Text for XML and HTML content and attribute values: & < > " ' escaped; characters XML 1.0 does
// not allow (control characters other than tab and newline, bytes that are not valid UTF-8)
// become U+FFFD; newlines in attributes are written as &#10; so they survive attribute reading.
void append_xml_escaped(std::string& out, std::string_view s, bool attribute = false);
std::string xml_escaped(std::string_view s, bool attribute = false);

// A require written over several lines, on one.
std::string one_line(std::string_view s);

}  // namespace joinup::report
