#include "diag/read.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "diag/codes.hpp"
#include "diag/source.hpp"
#include "joinup/diagnostic.hpp"

namespace joinup::diag {

namespace {

[[noreturn]] void fail(code c, const std::string& path, std::string message, std::string help = {}) {
  throw joinup::error({file_diagnostic(c, path, std::move(message), std::move(help))});
}

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a named pipe";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// Closes the descriptor on every way out.
struct descriptor {
  int fd;
  ~descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::string size_text(std::uint64_t n) {
  if (n >= 1024 * 1024 && n % (1024 * 1024) == 0) return std::to_string(n / (1024 * 1024)) + " MiB";
  if (n >= 1024 && n % 1024 == 0) return std::to_string(n / 1024) + " KiB";
  return std::to_string(n) + (n == 1 ? " byte" : " bytes");
}

std::string too_large_text(std::string_view what, std::uint64_t size, std::uint64_t limit) {
  return std::string(what) + " is " + size_text(size) + ", more than the limit of " + size_text(limit);
}

std::string read_file(const std::string& path, const read_request& r) {
  // O_NONBLOCK: opening a named pipe must not wait for a writer; it is refused just below.
  descriptor d{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)};
  if (d.fd < 0) {
    const int e = errno;
    if (e == ENOENT || e == ENOTDIR) fail(code::file_not_found, path, std::string(r.what) + " not found");
    if (e == EISDIR) fail(code::not_a_file, path, "is a directory, not a " + std::string(r.what));
    fail(code::file_not_found, path, "cannot open the " + std::string(r.what) + ": " + std::strerror(e));
  }
  struct stat st {};
  if (::fstat(d.fd, &st) != 0)
    fail(code::file_not_found, path, "cannot read the " + std::string(r.what) + ": " + std::strerror(errno));
  if (!S_ISREG(st.st_mode))
    fail(code::not_a_file, path, std::string("is ") + kind_of(st.st_mode) + ", not a " + std::string(r.what),
         S_ISDIR(st.st_mode) ? "" : "joinup reads regular files only");
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size > r.limit) fail(code::too_large, path, too_large_text(r.what, size, r.limit), std::string(r.limit_help));
  const int flags = ::fcntl(d.fd, F_GETFL);
  if (flags >= 0) ::fcntl(d.fd, F_SETFL, flags & ~O_NONBLOCK);

  // Read by the size, but stop at limit + 1 bytes: the file may grow while it is read.
  std::string text;
  text.reserve(static_cast<std::size_t>(size));
  char buf[1 << 16];
  while (text.size() <= r.limit) {
    const std::uint64_t want = std::min<std::uint64_t>(sizeof buf, r.limit + 1 - text.size());
    const ssize_t n = ::read(d.fd, buf, static_cast<std::size_t>(want));
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(code::file_not_found, path, "cannot read the " + std::string(r.what) + ": " + std::strerror(errno));
    }
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  if (text.size() > r.limit)
    fail(code::too_large, path, std::string(r.what) + " grew past the limit of " + size_text(r.limit) + " while read",
         std::string(r.limit_help));
  return text;
}

std::string read_stream(std::istream& in, const std::string& origin, const read_request& r) {
  std::string text;
  char buf[1 << 16];
  while (text.size() <= r.limit) {
    const std::uint64_t want = std::min<std::uint64_t>(sizeof buf, r.limit + 1 - text.size());
    in.read(buf, static_cast<std::streamsize>(want));
    const auto n = in.gcount();
    if (n <= 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  if (in.bad()) fail(code::file_not_found, origin, "cannot read " + std::string(r.what));
  if (text.size() > r.limit)
    fail(code::too_large, origin, std::string(r.what) + " is more than the limit of " + size_text(r.limit),
         std::string(r.limit_help));
  return text;
}

}  // namespace joinup::diag
