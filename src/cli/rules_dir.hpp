// Where the standard rule pack is, for `joinup check` and friends when no --rules is given.
#pragma once

#include <optional>
#include <string>

namespace joinup::cli {

// The standard rule pack's directory, looked up at run time in this order:
//   1. the environment variable JOINUP_RULES, when set and not empty (used as given, even if it
//      does not exist, so that a wrong setting is reported rather than silently bypassed);
//   2. the installed pack, JOINUP_INSTALLED_RULES_DIR (<prefix>/share/joinup/rules), if the build
//      defines it and the directory exists;
//   3. the source tree's pack, JOINUP_SOURCE_RULES_DIR (<source>/rules), if the build defines it
//      and the directory exists (running from a build tree).
// nullopt when none applies.
std::optional<std::string> standard_rules_dir();

}  // namespace joinup::cli
