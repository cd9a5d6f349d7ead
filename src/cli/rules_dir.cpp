// The standard rule pack lookup; the build passes the two directories as compile definitions
// (JOINUP_INSTALLED_RULES_DIR, JOINUP_SOURCE_RULES_DIR) when it knows them.
#include "cli/rules_dir.hpp"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace joinup::cli {

namespace {
[[maybe_unused]] bool is_dir(const char* path) {
  std::error_code ec;
  return std::filesystem::is_directory(path, ec);
}
}  // namespace

std::optional<std::string> standard_rules_dir() {
  if (const char* env = std::getenv("JOINUP_RULES"); env && *env) return std::string(env);
#ifdef JOINUP_INSTALLED_RULES_DIR
  if (is_dir(JOINUP_INSTALLED_RULES_DIR)) return std::string(JOINUP_INSTALLED_RULES_DIR);
#endif
#ifdef JOINUP_SOURCE_RULES_DIR
  if (is_dir(JOINUP_SOURCE_RULES_DIR)) return std::string(JOINUP_SOURCE_RULES_DIR);
#endif
  return std::nullopt;
}

}  // namespace joinup::cli
