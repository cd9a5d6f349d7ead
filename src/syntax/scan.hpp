// The lexical pre-scan that runs before the grammar: it records comments, finds unterminated
// strings and unbalanced brackets, bounds nesting (so the recursive-descent grammar never recurses
// deeper than parse_limits::max_nesting), and cuts a rule file into its header and one chunk per
// `rule`, so that each chunk is parsed on its own and one broken rule does not hide the next.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "ast/ast.hpp"
#include "diag/source.hpp"
#include "joinup/diagnostic.hpp"

namespace joinup::syntax::detail {

enum class scan_mode : std::uint8_t { rule_file, expression, text_template };

struct chunk {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  bool is_rule = false;        // from a `rule` keyword; otherwise the file's header (package, uses)
  bool bad = false;            // the scan already reported an error here: do not parse it
  bool is_definition = false;  // from a file-level `let`, `def` or `import` keyword
};

struct scan_result {
  std::vector<chunk> chunks;
  std::vector<ast::span> comments;
};

scan_result scan(const diag::source_file& src, scan_mode mode, std::uint32_t max_nesting,
                 std::vector<diagnostic>& diags);

// The offset of the '}' that closes the template hole opening at `open`, skipping string literals
// inside it; `stop` when there is none before `stop`.
std::uint32_t hole_end(std::string_view text, std::uint32_t open, std::uint32_t stop);

}  // namespace joinup::syntax::detail
