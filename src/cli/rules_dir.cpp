// The standard rule pack lookup; the build passes the two directories as compile definitions
// (JOINUP_INSTALLED_RULES_DIR, JOINUP_SOURCE_RULES_DIR) when it knows them.
#include "cli/rules_dir.hpp"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace joinup::cli {

namespace {
namespace fs = std::filesystem;

bool is_dir(const fs::path& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

// The pack's path as users should read it in findings: relative to the working directory when
// it lies beneath it, absolute otherwise.
std::string shown(const fs::path& dir) {
  std::error_code ec;
  const auto rel = fs::proximate(dir, ec);
  if (!ec && !rel.empty() && *rel.begin() != "..") return rel.lexically_normal().string();
  return fs::weakly_canonical(dir, ec).string();
}
}  // namespace

std::optional<std::string> standard_rules_dir() {
  if (const char* env = std::getenv("JOINUP_RULES"); env && *env) return std::string(env);
  // An installed command finds the pack beside it (<prefix>/bin/joinup, <prefix>/share/joinup/rules),
  // so a relocated install works; a command in the build tree uses the source tree's pack.
  std::error_code ec;
  const auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto beside = exe.parent_path().parent_path() / "share" / "joinup" / "rules";
    if (is_dir(beside)) return shown(beside);
  }
#ifdef JOINUP_SOURCE_RULES_DIR
  if (is_dir(JOINUP_SOURCE_RULES_DIR)) return shown(JOINUP_SOURCE_RULES_DIR);
#endif
#ifdef JOINUP_INSTALLED_RULES_DIR
  if (is_dir(JOINUP_INSTALLED_RULES_DIR)) return shown(JOINUP_INSTALLED_RULES_DIR);
#endif
  return std::nullopt;
}

}  // namespace joinup::cli
