// One diagnostic type for rule files, YAML rule files and data files, and the error that carries
// a batch of them. Diagnostics are plain data; render() turns them into text.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace joinup {

enum class diagnostic_level : std::uint8_t { error, warning, note };

struct diagnostic {
  diagnostic_level level = diagnostic_level::error;
  std::string code;          // stable, kebab-case: "syntax", "unknown-name", "data-parse", ...
  std::string message;       // lowercase, no trailing period, user input quoted
  std::string origin;        // file name as given by the caller ("-" for stdin)
  std::uint32_t line = 0;    // 1-based; 0 when the diagnostic has no position
  std::uint32_t column = 0;  // 1-based, counted in characters (UTF-8 code points)
  std::uint32_t length = 1;  // characters under the caret
  std::string source_line;   // text of the line, without its newline (may be empty)
  std::string help;          // optional hint: "did you mean 'count'?"
};

// "file:line:col: error: message", the source line, a caret line under the span, and the help.
// Tabs in the source line are kept in the caret line so the caret stays aligned.
std::string render(const diagnostic& d, bool color = false);
std::string render(const std::vector<diagnostic>& ds, bool color = false);

// Thrown by loading and compiling functions; carries every diagnostic found (never just the first).
class error : public std::runtime_error {
 public:
  explicit error(std::vector<diagnostic> ds)
      : std::runtime_error(ds.empty() ? std::string("error") : ds.front().message), diagnostics_(std::move(ds)) {}
  const std::vector<diagnostic>& diagnostics() const noexcept { return diagnostics_; }

 private:
  std::vector<diagnostic> diagnostics_;
};

}  // namespace joinup
