// Pieces shared by the report formats.
#include "report/common.hpp"

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

void append_xml_escaped(std::string& out, std::string_view s, bool attribute) {
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
        case '\r': out += "&#13;"; break;
        default:
          if (c < 0x20 || c == 0x7F)
            out += "\xEF\xBF\xBD";
          else
            out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    if (const std::size_t len = diag::utf8_sequence_length(s, i)) {
      const auto seq = s.substr(i, len);
      // U+FFFE and U+FFFF are not characters XML allows.
      out.append(seq == "\xEF\xBF\xBE" || seq == "\xEF\xBF\xBF" ? std::string_view("\xEF\xBF\xBD") : seq);
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
}

std::string xml_escaped(std::string_view s, bool attribute) {
  std::string out;
  append_xml_escaped(out, s, attribute);
  return out;
}

}  // namespace joinup::report
