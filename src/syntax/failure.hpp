// Grammar failures in words (failure.cpp), for the converter in parse.cpp.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "ast/ast.hpp"
#include "diag/source.hpp"
#include "joinup/diagnostic.hpp"
#include "syntax/tree.hpp"

namespace joinup::syntax::detail {

inline bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The token at offset i of `text`: a word, a number, a string (on its line), a two-character
// operator, or one character.
ast::span token_at(std::string_view text, std::uint32_t i);

// Appends the error for a failed grammar rule: `f.which` names what was expected (or, when empty,
// `fallback_which`), and the token at the failure is what was found.
void report_failure(const diag::source_file& src, const builder& b, const failure& f, std::string_view fallback_which,
                    std::vector<diagnostic>& diags);

}  // namespace joinup::syntax::detail
