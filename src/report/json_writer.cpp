// The JSON writer behind to_json.
#include "report/json_writer.hpp"

#include "diag/utf8.hpp"

namespace joinup::report {

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          if (c < 0x20 || c == 0x7F) {
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 0xF];
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    if (const std::size_t len = diag::utf8_sequence_length(s, i)) {
      // C1 controls and bidirectional controls as \u escapes (the same string to a JSON reader),
      // so that a report printed to a terminal cannot move its cursor or reorder what it shows.
      const auto b1 = len > 1 ? static_cast<unsigned char>(s[i + 1]) : 0u;
      const auto b2 = len > 2 ? static_cast<unsigned char>(s[i + 2]) : 0u;
      const bool c1 = len == 2 && c == 0xC2 && b1 <= 0x9F;
      const bool bidi = len == 3 && c == 0xE2 &&
                        ((b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9));
      if (c1) {
        out += "\\u00";
        out += hex[b1 >> 4];
        out += hex[b1 & 0xF];
      } else if (bidi) {
        out += "\\u20";
        out += hex[b1 == 0x80 ? 2 : 6];
        out += hex[b2 & 0xF];
      } else {
        out.append(s.substr(i, len));
      }
      i += len;
    } else {
      out += "\\ufffd";
      ++i;
    }
  }
  out += '"';
}

void json_writer::newline_and_indent(std::size_t depth) {
  out_ += '\n';
  out_.append(depth * 2, ' ');
}

void json_writer::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (stack_.empty()) return;
  if (!stack_.back().empty) out_ += ',';
  stack_.back().empty = false;
  newline_and_indent(stack_.size());
}

void json_writer::open(char c) {
  before_value();
  out_ += c;
  stack_.push_back({});
}

void json_writer::close(char c) {
  const bool empty = stack_.back().empty;
  stack_.pop_back();
  if (!empty) newline_and_indent(stack_.size());
  out_ += c;
}

void json_writer::begin_object() { open('{'); }
void json_writer::end_object() { close('}'); }
void json_writer::begin_array() { open('['); }
void json_writer::end_array() { close(']'); }

void json_writer::key(std::string_view k) {
  before_value();
  append_json_string(out_, k);
  out_ += ": ";
  after_key_ = true;
}

void json_writer::string(std::string_view s) {
  before_value();
  append_json_string(out_, s);
}

void json_writer::number(std::uint64_t n) {
  before_value();
  out_ += std::to_string(n);
}

void json_writer::boolean(bool b) {
  before_value();
  out_ += b ? "true" : "false";
}

void json_writer::null() {
  before_value();
  out_ += "null";
}

void json_writer::raw(std::string_view json) {
  before_value();
  out_ += json;
}

std::string json_writer::take() {
  if (stack_.empty() && !out_.empty() && out_.back() != '\n') out_ += '\n';
  return std::move(out_);
}

}  // namespace joinup::report
