// YAML syntax errors in an author's words: the likely cause (a tab, an unquoted ': ', a line
// indented unlike the lines above it, an unclosed bracket or quote) at the character that causes
// it, with a help line saying what to do, and a sentence for every message of the YAML parser.
#include <yaml-cpp/exceptions.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

#include "data/load_detail.hpp"
#include "joinup/diagnostic.hpp"
#include "joinup/document.hpp"
#include "yaml_error.hpp"

using joinup::data_format;
using joinup_test::yaml_error;

namespace {

bool contains(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("a tab in the indentation is named at the tab, whatever the parser stopped at") {
  for (const std::string_view text : {
           "partnership:\n\tname: A\n",  // "illegal map value" at the ':'
           "a:\n  b: 1\n\tc: 2\n",       // "illegal tab when looking for indentation"
           "a:\n\t- x\n",                // "illegal block entry"
           "a:\n  b:\n  \t- x\n",        // a tab after spaces
           "rules: [x]\n\ttests: []\n",  // "end of map not found"
       }) {
    INFO(std::string(text));
    const auto d = yaml_error(text);
    CHECK(d.code == "data-parse");
    CHECK(d.message == "invalid YAML: this line is indented with a tab, and YAML allows only spaces for indentation");
    CHECK(d.help == "indent with spaces (most editors can turn tabs into spaces)");
    const auto tab = text.find('\t');
    CHECK(d.line == 1 + static_cast<std::uint32_t>(std::count(text.begin(), text.begin() + tab, '\n')));
    CHECK(d.column == tab - text.rfind('\n', tab));  // the tab's own column
  }
}

TEST_CASE("an unquoted ': ' inside a value: quote the value, and the help shows the line quoted") {
  auto d = yaml_error("rule:\n  message: Note: every team has a lead\n");
  CHECK(d.message == "invalid YAML: this value holds ': ', which YAML reads as the end of another key");
  CHECK(d.help == "put the whole value in quotes: message: \"Note: every team has a lead\"");
  CHECK(d.line == 2);
  CHECK(d.column == 16);  // the second ':'

  // An expression with strings in it is quoted with single quotes; a comment stays out.
  d = yaml_error("- id: r\n  require: count(x) > 0 and a.b: \"c\"  # the lead\n");
  CHECK(d.help == "put the whole value in quotes: require: 'count(x) > 0 and a.b: \"c\"'");
  CHECK(d.column == 32);

  // Both kinds of quote: double quotes, with \" inside.
  d = yaml_error("a: it's \"x\": y\n");
  CHECK(d.help == "put the whole value in quotes: a: \"it's \\\"x\\\": y\"");

  // Text after a quoted value is another mistake.
  d = yaml_error("key: \"x\": y\n");
  CHECK(d.message == "invalid YAML: this value goes on after its closing quote");
}

TEST_CASE("indentation: a line that lines up with nothing above it names the lines it could belong with") {
  auto d = yaml_error("a:\n    b: 1\n  c: 2\n");
  CHECK(d.message == "invalid YAML: this line is indented 2 spaces, which lines up with no line above it");
  CHECK(d.help == "indent it as 'b' on line 2 (4 spaces) or 'a' on line 1 (no indentation), whichever it belongs with");
  CHECK(d.line == 3);
  CHECK(d.column == 3);

  // A key of a rule written at the column of the list's '-'.
  d = yaml_error("rules:\n  - id: r\n  require: x\n");
  CHECK(d.message ==
        "invalid YAML: this 'key: value' line stands among the items of the list on line 2, which start with '- '");
  CHECK(d.help ==
        "indent it as 'id' on line 2 (4 spaces) to make it a key of that item, or start it with '- ' to "
        "make it an item of its own");

  // The lines of a block text are not lines to line up with.
  d = yaml_error("rules:\n  - id: r\n    message: |\n      Note: x\n   remedy: y\n");
  CHECK(d.help ==
        "indent it as 'message' on line 3 (4 spaces), '- id' on line 2 (2 spaces) or 'rules' on line 1 "
        "(no indentation), whichever it belongs with");

  // A line indented more than a `key: value` line continues its value.
  d = yaml_error("a:\n  b: 1\n    c: 2\n");
  CHECK(d.message ==
        "invalid YAML: this line is indented more than line 2, so YAML reads it as more of that line's "
        "value");
  CHECK(d.help ==
        "indent it as 'b' on line 2 (2 spaces) if it stands beside it, or put that value in quotes if the "
        "two lines are one text");
  CHECK(d.line == 3);
  CHECK(d.column == 5);

  // A list item where a map expects a key.
  d = yaml_error("a:\n  b: 1\n  - c\n");
  CHECK(d.message == "invalid YAML: a list item ('- ') stands where the map of line 2 expects a 'key: value' line");

  // A line without ': ' among keys.
  d = yaml_error("a:\n  b: 1\n  c\n  d: 2\n");
  CHECK(d.message == "invalid YAML: line 3 has no ': ', so YAML reads it and the next line as one key");
  CHECK(d.line == 3);

  // A list item on its key's line.
  d = yaml_error("a: - b\n");
  CHECK(d.message == "invalid YAML: a list item ('- ') cannot start in the middle of a line");
}

TEST_CASE("an unclosed bracket or quote is named where it opens, with where the parser gave up") {
  auto d = yaml_error("a: [1, 2\nb: 3\n");
  CHECK(d.message == "invalid YAML: this '[' starts a list that is not closed with ']'");
  CHECK(contains(d.help, "close it with ']' after its last item (YAML stopped reading at line 2, column 2"));
  CHECK(d.line == 1);
  CHECK(d.column == 4);

  d = yaml_error("a: {x: 1, y: [2]\n");
  CHECK(d.message == "invalid YAML: this '{' starts a map that is not closed with '}'");
  CHECK(d.column == 4);

  // A '[' inside a quoted string or a comment is not a bracket.
  d = yaml_error("# [\na: \"[\"\nb: {c: 1\n");
  CHECK(d.line == 3);
  CHECK(d.column == 4);

  // Closed, but something inside cannot be read.
  d = yaml_error("a: [x: 1: 2]\n");
  CHECK(d.message == "invalid YAML: YAML cannot read the list in '[…]' that opens at line 1, column 4 past this point");

  d = yaml_error("a:\n  - \"abc\n  - x");
  CHECK(d.message == "invalid YAML: this quoted string is not closed before the end of the file");
  CHECK(d.help == "close it with \"");
  CHECK(d.line == 2);
  CHECK(d.column == 5);

  d = yaml_error("a: }\n");
  CHECK(d.message == "invalid YAML: this '}' closes no list or map");
}

TEST_CASE("escapes in double-quoted strings are underlined from their backslash") {
  auto d = yaml_error("p: \"C:\\Users\"\n");  // \U wants eight hexadecimal digits
  CHECK(d.message ==
        "invalid YAML: an escape '\\x', '\\u' or '\\U' in a double-quoted string must be followed by "
        "hexadecimal digits (0-9, a-f)");
  CHECK(contains(d.help, "double it (\\\\)"));
  CHECK(d.line == 1);
  CHECK(d.column == 7);

  d = yaml_error("a: \"a\\qb\"\n");
  CHECK(d.message == "invalid YAML: '\\q' is not an escape YAML knows in a double-quoted string");
  CHECK(d.column == 6);
  CHECK(d.length == 2);

  d = yaml_error("a: \"\\uD800\"\n");
  CHECK(d.message == "invalid YAML: this escape names no character that text can hold (U+D800)");
}

TEST_CASE("other parser messages get a sentence and keep their position") {
  auto d = yaml_error("a: *nowhere\n");
  CHECK(d.message == "invalid YAML: no anchor '&nowhere' is defined before this alias");
  CHECK(d.length == 8);
  d = yaml_error("a: &x &y 1\n");
  CHECK(d.message == "invalid YAML: this value has two anchors ('&name'), and a value takes at most one");
  CHECK(d.column == 7);
  d = yaml_error("@a: 1\n");
  CHECK(d.message == "invalid YAML: a value cannot start with '@' in YAML");
  d = yaml_error("a: |0\n  x\n");
  CHECK(d.message == "invalid YAML: a block text ('|' or '>') cannot be given an indentation of 0");
}

TEST_CASE("every message of the YAML parser has its own words") {
  using namespace YAML::ErrorMsg;
  for (const char* m : {YAML_DIRECTIVE_ARGS,
                        YAML_MAJOR_VERSION,
                        REPEATED_YAML_DIRECTIVE,
                        TAG_DIRECTIVE_ARGS,
                        REPEATED_TAG_DIRECTIVE,
                        CHAR_IN_TAG_HANDLE,
                        TAG_WITH_NO_SUFFIX,
                        END_OF_VERBATIM_TAG,
                        END_OF_MAP,
                        END_OF_MAP_FLOW,
                        END_OF_SEQ,
                        END_OF_SEQ_FLOW,
                        MULTIPLE_TAGS,
                        MULTIPLE_ANCHORS,
                        MULTIPLE_ALIASES,
                        ALIAS_CONTENT,
                        INVALID_HEX,
                        UNKNOWN_TOKEN,
                        DOC_IN_SCALAR,
                        EOF_IN_SCALAR,
                        CHAR_IN_SCALAR,
                        TAB_IN_INDENTATION,
                        FLOW_END,
                        BLOCK_ENTRY,
                        MAP_KEY,
                        MAP_VALUE,
                        ALIAS_NOT_FOUND,
                        ANCHOR_NOT_FOUND,
                        CHAR_IN_ALIAS,
                        CHAR_IN_ANCHOR,
                        ZERO_INDENT_IN_BLOCK,
                        CHAR_IN_BLOCK,
                        AMBIGUOUS_ANCHOR,
                        UNKNOWN_ANCHOR}) {
    INFO(m);
    std::string detail;
    CHECK(joinup::data::classify_yaml_problem(m, detail) != joinup::data::yaml_problem::other);
  }
  for (const std::string& m :
       {std::string(YAML_VERSION) + "3.0", std::string(INVALID_UNICODE) + "55296", std::string(INVALID_ESCAPE) + "q"}) {
    INFO(m);
    std::string detail;
    CHECK(joinup::data::classify_yaml_problem(m, detail) != joinup::data::yaml_problem::other);
    CHECK(!detail.empty());
  }
  // A message it does not know is kept as it is, at the parser's position.
  std::string detail;
  CHECK(joinup::data::classify_yaml_problem("something new", detail) == joinup::data::yaml_problem::other);
  CHECK(detail == "something new");
  try {
    joinup::data::fail_yaml_syntax("a: b\n", 3, joinup::data::yaml_problem::other, detail);
  } catch (const joinup::data::load_failure& f) {
    CHECK(f.message == "invalid YAML: something new");
    CHECK(f.begin == 3);
  }
}

TEST_CASE("no change of one character to a rule file gives the parser's own words") {
  // Every insertion of a character YAML gives a meaning to, and every deletion: the file loads, or
  // fails with a sentence (never yaml-cpp's "illegal …", "… not found", "unknown token"), at a line
  // and column of the file.
  const std::string base =
      "package: brackley\n"
      "uses: [partnership, teams]\n"
      "rules:\n"
      "  - id: pooled-share\n"
      "    title: \"Pooled budgets: shared\"\n"
      "    require: count(partnership.budgets) > 0  # one at least\n"
      "    tags: [budget, {kind: pooled}]\n"
      "    message: |\n"
      "      Note: {partnership.name}\n"
      "    remedy: 'a ''b'' c'\n";
  const std::string inserted = "\t: [{\"'-\n#\\*&!|%@?]},>";
  std::size_t errors = 0;
  const auto try_load = [&](const std::string& text) {
    try {
      joinup::load_document(text, "r.yaml", data_format::yaml);
    } catch (const joinup::error& e) {
      ++errors;
      const auto& d = e.diagnostics().front();
      INFO(text);
      INFO(d.message);
      CHECK(d.line >= 1);
      CHECK(d.column >= 1);
      CHECK(!d.message.empty());
      for (std::string_view raw : {"illegal", "not found", "unknown token", "scanning", "end of map", "end of seq"})
        CHECK(!contains(d.message, raw));
    }
  };
  for (std::size_t at = 0; at <= base.size(); ++at) {
    for (const char c : inserted) try_load(base.substr(0, at) + c + base.substr(at));
    if (at < base.size()) try_load(base.substr(0, at) + base.substr(at + 1));
  }
  CHECK(errors > 500);  // the mutations do reach the parser's errors
}
