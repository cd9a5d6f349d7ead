// File names as URI references.
#include "report/uri.hpp"

namespace joinup::report {

std::string file_uri(std::string_view path) {
  static constexpr char hex[] = "0123456789ABCDEF";
  static constexpr std::string_view keep = "-._~/!$&'()*+,;=@";
  std::string out = path.starts_with('/') ? "file://" : "";
  for (const char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        keep.find(ch) != std::string_view::npos) {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0xF];
    }
  }
  return out;
}

}  // namespace joinup::report
