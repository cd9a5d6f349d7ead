#include "lsp/framing.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <istream>

namespace joinup::lsp {

namespace {
// A header line longer than this is cut (the rest is read and dropped): no header needs more.
constexpr std::size_t max_header_line = 4096;

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}
}  // namespace

bool frame_reader::read_line(std::string& line) {
  line.clear();
  std::streambuf* buf = in_.rdbuf();
  for (;;) {
    const int c = buf->sbumpc();
    if (c == std::char_traits<char>::eof()) return !line.empty();
    if (c == '\n') break;
    if (line.size() < max_header_line) line.push_back(static_cast<char>(c));
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return true;
}

read_status frame_reader::next(std::string& body, std::string& problem) {
  body.clear();
  problem.clear();
  std::string line;
  bool any_header = false;
  bool have_length = false;
  std::uint64_t length = 0;
  for (;;) {
    if (!read_line(line)) return read_status::end;
    if (line.empty()) {
      if (!any_header) continue;  // stray blank lines between messages
      break;
    }
    any_header = true;
    // The header anywhere in the line: after a body of the wrong length, the next header may
    // follow the rest of that body on the same line.
    const auto lowered = lower(line);
    const auto at = lowered.find("content-length:");
    if (at == std::string::npos) continue;
    const auto value = trim(std::string_view(line).substr(at + 15));
    std::uint64_t n = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || end != value.data() + value.size() || value.empty()) {
      problem = "the Content-Length header '" + std::string(value.substr(0, 40)) + "' is not a number of bytes";
      have_length = false;
      length = 0;
      continue;
    }
    problem.clear();
    have_length = true;
    length = n;
  }
  if (!have_length) {
    if (problem.empty()) problem = "a message without a Content-Length header";
    return read_status::bad_header;
  }
  if (length > max_bytes_) {
    // Skipped without keeping it, so that the session goes on with the next message.
    char chunk[65536];
    std::uint64_t left = length;
    while (left > 0) {
      const auto want = static_cast<std::streamsize>(std::min<std::uint64_t>(left, sizeof chunk));
      const auto got = in_.rdbuf()->sgetn(chunk, want);
      if (got <= 0) return read_status::end;
      left -= static_cast<std::uint64_t>(got);
    }
    problem = "a message of " + std::to_string(length) + " bytes is longer than the limit of " +
              std::to_string(max_bytes_) + " bytes";
    return read_status::bad_header;
  }
  body.resize(length);
  std::uint64_t got = 0;
  while (got < length) {
    const auto n = in_.rdbuf()->sgetn(body.data() + got, static_cast<std::streamsize>(length - got));
    if (n <= 0) return read_status::end;
    got += static_cast<std::uint64_t>(n);
  }
  return read_status::message;
}

std::string frame(std::string_view body) {
  std::string out = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  out += body;
  return out;
}

}  // namespace joinup::lsp
