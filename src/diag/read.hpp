// The one way joinup reads an input file or stream: bounded by a byte limit, regular files only.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <string_view>

namespace joinup::diag {

// What is being read, for the messages: `what` names it ("rule file", "data file"), `help` is
// shown with a size past the limit ("raise --max-rule-bytes to read it").
struct read_request {
  std::string_view what;
  std::uint64_t limit;
  std::string_view limit_help = {};
};

// The text of the regular file at `path`. A file that is not regular (a directory, a named pipe,
// a device such as /dev/zero) is refused before anything is read, and a named pipe is never
// waited on (it is opened without blocking); a file larger than the limit is refused by its size
// and, should it grow while read, after at most limit + 1 bytes. Every failure throws
// joinup::error with one diagnostic naming the file.
std::string read_file(const std::string& path, const read_request& request);

// The text of a stream (standard input), read until its end or limit + 1 bytes; past the limit
// throws joinup::error naming `origin`.
std::string read_stream(std::istream& in, const std::string& origin, const read_request& request);

// The text without a leading UTF-8 byte order mark, which is not part of it: offsets and columns
// start after it (an editor shows none).
inline std::string_view without_bom(std::string_view text) {
  return text.starts_with("\xEF\xBB\xBF") ? text.substr(3) : text;
}

// A byte count as a limit message shows it: "1 KiB" only for exactly 1024 bytes, so that a size
// just past a limit does not read as equal to it.
std::string size_text(std::uint64_t n);

// The message for a size past a limit: "rule file is 23 bytes, more than the limit of 22 bytes".
std::string too_large_text(std::string_view what, std::uint64_t size, std::uint64_t limit);

}  // namespace joinup::diag
