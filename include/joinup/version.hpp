// The library's version, written in exactly one place.
#pragma once

#define JOINUP_VERSION_MAJOR 0
#define JOINUP_VERSION_MINOR 1
#define JOINUP_VERSION_PATCH 0
#define JOINUP_VERSION_STRING "0.1.0"

namespace joinup {
inline constexpr const char* version_string = JOINUP_VERSION_STRING;
}  // namespace joinup
