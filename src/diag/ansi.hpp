// The terminal colours of every coloured output (diagnostics, the text report, test results):
// ANSI SGR sequences, written only when colour is on.
#pragma once

namespace joinup::ansi {

inline constexpr const char* bold = "\x1b[1m";
inline constexpr const char* red = "\x1b[1;31m";  // bold, as every colour below but the plain ones
inline constexpr const char* yellow = "\x1b[1;33m";
inline constexpr const char* cyan = "\x1b[1;36m";
inline constexpr const char* magenta = "\x1b[1;35m";
inline constexpr const char* green = "\x1b[1;32m";
inline constexpr const char* plain_green = "\x1b[32m";
inline constexpr const char* plain_yellow = "\x1b[33m";
inline constexpr const char* reset = "\x1b[0m";

}  // namespace joinup::ansi
