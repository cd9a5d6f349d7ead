// The base protocol's framing: each message is a header block (`Content-Length: N`, other headers
// ignored, each line ended by "\r\n", the block by an empty line) followed by N bytes of JSON.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

namespace joinup::lsp {

enum class read_status : std::uint8_t {
  message,     // body holds one message's content
  bad_header,  // problem says what was wrong; the reader has skipped past it and may be asked again
  end,         // the stream ended (between messages or inside one)
};

class frame_reader {
 public:
  frame_reader(std::istream& in, std::uint64_t max_bytes) : in_(in), max_bytes_(max_bytes) {}
  read_status next(std::string& body, std::string& problem);

 private:
  bool read_line(std::string& line);
  std::istream& in_;
  std::uint64_t max_bytes_;
};

// The framed message: its header and the body.
std::string frame(std::string_view body);

}  // namespace joinup::lsp
