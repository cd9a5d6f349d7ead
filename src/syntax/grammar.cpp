// The one translation unit that instantiates the X3 grammar (grammar_def.hpp). Everything else in
// src/syntax/ reaches it through the plain functions declared in tree.hpp.
#include <cctype>

#include "syntax/grammar_def.hpp"

namespace joinup::syntax::detail {

namespace {

template <typename Parser>
bool run(builder& b, const char* first, const char* last, Parser const& p, failure& fail) {
  namespace x3 = boost::spirit::x3;
  const char* it = first;
  try {
    if (x3::phrase_parse(it, last, x3::with<grammar::builder_tag>(b)[p], grammar::skipper)) return true;
    fail.at = it;
    fail.which.clear();  // the first thing did not match at all
    return false;
  } catch (x3::expectation_failure<const char*> const& e) {
    fail.at = e.where();
    fail.which = e.which();
    return false;
  }
}

}  // namespace

bool parse_header(builder& b, const char* first, const char* last, failure& fail) {
  return run(b, first, last, grammar::header, fail);
}

bool parse_rule(builder& b, const char* first, const char* last, failure& fail) {
  b.rule = {};
  return run(b, first, last, grammar::rule_, fail);
}

bool parse_definition(builder& b, const char* first, const char* last, failure& fail) {
  return run(b, first, last, grammar::definition, fail);
}

bool parse_expression(builder& b, const char* first, const char* last, expression_end end, std::uint32_t& root,
                      failure& fail) {
  namespace x3 = boost::spirit::x3;
  root = no_index;
  const char* it = first;
  try {
    bool ok =
        end == expression_end::hole
            ? x3::phrase_parse(it, last, x3::with<grammar::builder_tag>(b)[grammar::hole_entry], grammar::skipper, root)
            : x3::phrase_parse(it, last, x3::with<grammar::builder_tag>(b)[grammar::expression_entry], grammar::skipper,
                               root);
    if (ok) return true;
    fail.at = it;
    fail.which = "an expression";
    return false;
  } catch (x3::expectation_failure<const char*> const& e) {
    fail.at = e.where();
    fail.which = e.which();
    return false;
  }
}

}  // namespace joinup::syntax::detail
