// Pieces shared by the report formats.
#include "report/common.hpp"

#include <algorithm>

#include "diag/text.hpp"
#include "diag/utf8.hpp"
#include "report/json_writer.hpp"

namespace joinup::report {

std::string location_text(std::string_view file, source_position p) {
  std::string out(file);
  if (p.line) {
    out += ':' + std::to_string(p.line);
    if (p.column) out += ':' + std::to_string(p.column);
  }
  return out;
}

std::string one_line(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' || s[i] == '\r') {
      while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
      while (i + 1 < s.size() && (s[i + 1] == ' ' || s[i + 1] == '\t' || s[i + 1] == '\n' || s[i + 1] == '\r')) ++i;
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string explanation_text(const violation& v) {
  std::string out;
  if (!v.require_text.empty())
    out = (v.clause.empty() ? std::string("require") : v.clause) + " " + one_line(v.require_text);
  for (const auto& e : v.explanation) {
    if (!out.empty()) out += '\n';
    out += "    " + e.expression + " = " + e.value;
  }
  return out;
}

std::string waiver_text(const violation& v) {
  if (!v.waiver) return {};
  const auto& w = *v.waiver;
  const std::string at = location_text(w.origin, w.position);
  if (v.waiver_expired)
    return "the waiver at " + at + " expired on " + w.expires->to_string() + ", so this finding counts again";
  std::string out = "waived by " + at;
  if (!w.approved_by.empty()) out += "; approved by " + w.approved_by;
  if (w.expires) out += "; expires " + w.expires->to_string();
  return out;
}

void append_xml_escaped(std::string& out, std::string_view raw, bool attribute) {
  // First as every text output escapes (diag::append_escaped, keeping line feeds): C0 controls but
  // tab and line feed, DEL, C1 controls and bidirectional controls in the rule language's notation
  // (\u{1b}, \u{9b}, \u{202e}), bytes that are not UTF-8 as \x{ff}, and "::" at a line's start.
  // A JUnit file or an HTML page is read in a terminal, a CI log and a browser as much as the text
  // report is; and XML 1.0 allows no C0 control but tab, line feed and carriage return anyway.
  const std::string s = diag::escaped(raw, diag::line_breaks::keep);
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        case '\n': out += attribute ? "&#10;" : "\n"; break;
        case '\t': out += attribute ? "&#9;" : "\t"; break;
        default: out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    const std::size_t len = std::max<std::size_t>(diag::utf8_sequence_length(s, i), 1);
    const auto seq = s.substr(i, len);
    // U+FFFE and U+FFFF are not characters XML allows.
    out.append(seq == "\xEF\xBF\xBE" || seq == "\xEF\xBF\xBF" ? std::string_view("\xEF\xBF\xBD") : seq);
    i += len;
  }
}

std::string xml_escaped(std::string_view s, bool attribute) {
  std::string out;
  append_xml_escaped(out, s, attribute);
  return out;
}

}  // namespace joinup::report
