// The rule-language parser: AST shapes and spans, precedence, templates, metadata, and errors.
#include <catch2/catch.hpp>

#include "syntax/parse.hpp"

using namespace joinup;
