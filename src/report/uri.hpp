// File names as URI references, for the SARIF and HTML reports.
#pragma once

#include <string>
#include <string_view>

namespace joinup::report {

// A relative path stays relative ("plans/north vale.yaml" -> "plans/north%20vale.yaml"); an
// absolute one becomes a file: URI. Every byte outside the unreserved characters, '/' and the
// sub-delimiters is percent-encoded (':' too, so a relative path never reads as a scheme).
std::string file_uri(std::string_view path);

}  // namespace joinup::report
