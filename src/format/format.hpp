// `joinup fmt`: the canonical layout of .jup files, and conversion between the DSL and YAML forms.
//
// Both go through one model of a rule file's layout (format/model.hpp): the text of every
// expression and string as written, every clause in order, and every comment attached to the
// line it belongs to. The DSL printer lays the model out canonically; the YAML printer writes
// the YAML form of it. Meaning is never changed: expressions and strings are copied, never
// rewritten.
#pragma once

#include <string>
#include <string_view>

#include "joinup/policy.hpp"

namespace joinup::format {

bool is_yaml_source(std::string_view origin);

// The .jup text in canonical layout. Throws joinup::error when it does not parse.
std::string format_dsl(const rule_source& jup);

// A .jup file as a YAML rule file, and a YAML rule file as a .jup file (canonical layout).
// Throw joinup::error when the input does not parse.
std::string to_yaml(const rule_source& jup);
std::string to_dsl(const rule_source& yaml);

}  // namespace joinup::format
