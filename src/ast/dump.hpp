// A canonical text form of parsed rules that ignores where things were written: two rules dump
// the same exactly when they mean the same. Used to compare the DSL and YAML forms, to check that
// formatting never changes meaning, and by lint to find rules with the same body.
#pragma once

#include <string>

#include "ast/ast.hpp"

namespace joinup::ast {

std::string dump(const file& f, expr_id e);
std::string dump(const file& f, const text_template& t);
// The rule's body: when, lets, for each, requires and messages (not its id or metadata).
std::string dump_body(const file& f, const rule& r);
// The whole rule: id, title, metadata and body.
std::string dump(const file& f, const rule& r);
// Package, uses and every rule.
std::string dump(const file& f);

}  // namespace joinup::ast
