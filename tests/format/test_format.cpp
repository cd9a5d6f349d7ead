// joinup fmt: the canonical layout never changes meaning, is a fixed point, keeps comments, and
// converts to YAML and back without loss — checked over every .jup file in the repository.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ast/dump.hpp"
#include "format/format.hpp"
#include "joinup/policy.hpp"
#include "rulefile/yaml_rules.hpp"
#include "syntax/parse.hpp"

using namespace joinup;
namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The rules a text means, without positions; nullopt when it does not parse.
std::optional<std::string> meaning(const std::string& origin, const std::string& text) {
  diag::source_file src(origin, text);
  ast::file f;
  std::vector<diagnostic> diags;
  bool ok = false;
  if (rulefile::is_yaml_name(origin)) {
    ok = rulefile::read_yaml(src, f, diags);
  } else {
    syntax::parse_output out;
    ok = syntax::parse(src, syntax::parse_mode::rule_file, f, out, diags);
  }
  if (!ok) {
    UNSCOPED_INFO(render(diags));
    return std::nullopt;
  }
  return ast::dump(f);
}

std::vector<fs::path> repository_jup_files() {
  std::vector<fs::path> out;
  const fs::path root(JOINUP_SOURCE_DIR);
  for (const char* dir : {"rules", "examples", "tests"}) {
    for (auto it = fs::recursive_directory_iterator(root / dir); it != fs::recursive_directory_iterator(); ++it)
      if (it->is_regular_file() && it->path().extension() == ".jup") out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string fmt(const std::string& origin, const std::string& text) { return format::format_dsl({origin, text}); }

}  // namespace

TEST_CASE("fmt over every .jup file in the repository: same rules, a fixed point, lossless via YAML") {
  const auto files = repository_jup_files();
  REQUIRE(files.size() > 60);
  int formatted = 0;
  for (const auto& p : files) {
    const std::string origin = p.filename().string();
    const std::string text = read(p);
    INFO(p.string());
    const auto before = meaning(origin, text);
    if (!before) continue;  // a malformed file of the diagnostics corpus: fmt refuses it
    ++formatted;
    const std::string once = fmt(origin, text);
    CHECK(meaning(origin, once) == before);
    CHECK(fmt(origin, once) == once);
    // Every comment survives, in order.
    auto comments = [](const std::string& t) {
      std::vector<std::string> out;
      diag::source_file src("c.jup", t);
      ast::file f;
      syntax::parse_output o;
      std::vector<diagnostic> d;
      syntax::parse(src, syntax::parse_mode::rule_file, f, o, d);
      for (auto c : f.comments) {
        std::string s(src.slice(c.begin, c.end));
        while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.pop_back();
        out.push_back(s);
      }
      return out;
    };
    CHECK(comments(once) == comments(text));

    // The YAML form of rule sets that load (a name bound twice cannot be a YAML map's key twice).
    try {
      policy::compile({{origin, text}});
    } catch (const error&) {
      continue;
    }
    const std::string yaml_origin = p.stem().string() + ".yaml";
    const std::string yaml = format::to_yaml({origin, text});
    INFO(yaml);
    CHECK(meaning(yaml_origin, yaml) == before);
    CHECK(format::to_dsl({yaml_origin, yaml}) == once);
  }
  CHECK(formatted > 30);
}

TEST_CASE("fmt merges several uses declarations without reordering the comments around them") {
  // Found by the fmt fuzz target: the comments between two `uses` lines used to be printed above
  // the merged line, before the first line's own trailing comment.
  const std::string text =
      "package p\n"
      "uses partnership  # first\n"
      "\n"
      "# between\n"
      "uses other  # second\n"
      "# after\n"
      "rule r \"R\" {\n"
      "  require 1 == 1\n"
      "}\n";
  const std::string once = fmt("p.jup", text);
  CHECK(once ==
        "package p\n"
        "uses partnership, other  # first\n"
        "\n"
        "# between\n"
        "# second\n"
        "# after\n"
        "rule r \"R\" {\n"
        "  require 1 == 1\n"
        "}\n");
  CHECK(fmt("p.jup", once) == once);
  CHECK(meaning("p.jup", once) == meaning("p.jup", text));
  // Without a trailing comment on the first line, the second's stays after the one between.
  const std::string bare = fmt("q.jup", "package q\nuses a\n# between\nuses b  # second\n");
  CHECK(bare.find("# between") < bare.find("# second"));
}

TEST_CASE("fmt lays out a rule canonically and keeps comments where they were") {
  const std::string messy = R"(# top comment
package   demo
uses a,b   # the data

# about the rule
rule r   "Title"{
    severity warning # how bad
  tags [x,"y z"]
  source "s"
  # before when
  when has(a.x)
      for each  i ,  t in a.items   where t.on
  let n = count(t.parts)
  require n > 1
    and n < 9   # range
  message "{t.name} "
          "has {n}"
  # before the brace
}
rule s {
  require b.y
}
# the end
)";
  const std::string expected = R"(# top comment
package demo
uses a, b  # the data

# about the rule
rule r "Title" {
  severity  warning  # how bad
  tags      [x, "y z"]
  source    "s"

  # before when
  when has(a.x)
  for each i, t in a.items
    where t.on
  let n = count(t.parts)
  require n > 1
    and n < 9  # range
  message "{t.name} "
          "has {n}"
  # before the brace
}

rule s {
  require b.y
}
# the end
)";
  const std::string out = fmt("demo.jup", messy);
  CHECK(out == expected);
  CHECK(fmt("demo.jup", out) == out);
  CHECK(meaning("demo.jup", out) == meaning("demo.jup", messy));
}

TEST_CASE("converting a .jup file to YAML and back") {
  const std::string jup = R"(package demo
uses d

rule r "A title" {
  severity  warning
  tags      [t1, t2]
  rationale "first part "
            "second part"

  let limit = 3  # a constant
  for each i, x in d.items
    where x.on
  let n = count(x.parts)
  for each p in x.parts
  require n <= limit
    message "too many: {x.name ?? "unnamed"}"
  require p != "bad: really"
    message "done"
}
)";
  const std::string yaml = format::to_yaml({"demo.jup", jup});
  CHECK(yaml == R"(package: demo
uses: [d]
rules:

  - id: r
    title: A title
    severity: warning
    tags: [t1, t2]
    rationale:
      - 'first part '
      - second part

    let:
      limit: 3  # a constant
    for_each:
      - each: i, x in d.items
        where: x.on
        let:
          n: count(x.parts)
      - p in x.parts
    require:
      - that: n <= limit
        message: 'too many: {x.name ?? "unnamed"}'
      - 'p != "bad: really"'
    message: done
)");
  CHECK(format::to_dsl({"demo.yaml", yaml}) == jup);
  CHECK(meaning("demo.yaml", yaml) == meaning("demo.jup", jup));
}

TEST_CASE("fmt --to yaml writes escaped characters as the characters they mean, and escapes what YAML cannot hold") {
  // \u{e9} is é: YAML holds it as it is. ESC, DEL, a C1 control and a byte order mark cannot stand
  // in a YAML scalar: they are escaped, and the YAML reads back as the same rules.
  const std::string jup =
      "package demo\n\nrule r \"Caf\\u{e9} \\u{1b}[2J \\u{7f} \\u{9b} \\u{feff}\" {\n"
      "  tags [\"a\\u{1b}b\", \"tab\\there\"]\n  require true\n}\n";
  const std::string yaml = format::to_yaml({"demo.jup", jup});
  CHECK(yaml.find("title: \"Caf\xC3\xA9 \\x1b[2J \\x7f \\u009b \\ufeff\"") != std::string::npos);
  CHECK(yaml.find("tags: [\"a\\x1bb\", \"tab\\there\"]") != std::string::npos);
  CHECK(yaml.find("\\u{") == std::string::npos);
  const auto from_jup = meaning("demo.jup", jup);
  const auto from_yaml = meaning("demo.yaml", yaml);
  REQUIRE(from_jup);
  REQUIRE(from_yaml);
  CHECK(*from_yaml == *from_jup);
}

TEST_CASE("fmt keeps the schema line after package, and converts it to YAML's schema: and back") {
  const std::string jup =
      "package p\n# the data's schema\nschema \"../s \\\"x\\\".json\"  # why\nuses d\n\nrule r {\n  require d.a\n}\n";
  CHECK(fmt("s.jup", jup) == jup);
  const std::string yaml = format::to_yaml({"s.jup", jup});
  CHECK(yaml.find("schema: ../s \"x\".json  # why\n") != std::string::npos);
  CHECK(format::to_dsl({"s.yaml", yaml}) == jup);
}

TEST_CASE("definitions and imports: formatted in place, converted to YAML and back") {
  const std::string jup = R"(package staffing
uses partnership
import integration.common

# the smallest team
let team_size_min = partnership.settings.team_size_min ?? 10  # from the settings
def senior(p) = p.seniority in ["senior", "executive"]

rule teams-led {
  for each team in partnership.teams
  require any m in team.members: senior(m)
}
)";
  CHECK(format::format_dsl({"s.jup", jup}) == jup);
  const std::string yaml = format::to_yaml({"s.jup", jup});
  CHECK(yaml == R"(package: staffing
uses: [partnership]
imports: [integration.common]
definitions:

  # the smallest team
  - let: team_size_min  # from the settings
    value: partnership.settings.team_size_min ?? 10
  - def: senior(p)
    value: p.seniority in ["senior", "executive"]
rules:

  - id: teams-led
    for_each: team in partnership.teams
    require: 'any m in team.members: senior(m)'
)");
  CHECK(format::to_dsl({"s.yaml", yaml}) == jup);
  // A definition between rules stays there.
  const std::string between =
      "package p\nuses d\n\nrule a {\n  require d.x > 1\n}\n\nlet one = 1\n\nrule b {\n"
      "  require d.x > one\n}\n";
  CHECK(format::format_dsl({"b.jup", between}) == between);
}

TEST_CASE("a trailing comment on a clause that spans lines survives YAML and back") {
  // The comment ends the block scalar's last line, as it ends the clause's last line in the DSL;
  // comments inside the expression stay where they are, in order.
  const std::string jup = R"(package demo.more
uses partnership

let threshold = 10  # a package let

rule r2 "Quantifiers and lists" {
  when has(partnership.teams) and  # guard
    count(partnership.teams) > 0  # after when
  require all t in partnership.teams: # the quantifier
    count(t.members) >= threshold  # the body
  require none t in partnership.teams: t.name in ["x", "y" # inside
    ]  # after the bracket
  require any t in partnership.teams:
    t.name == "#1"  # a '#' in a string
}
)";
  REQUIRE(fmt("d.jup", jup) == jup);
  const std::string yaml = format::to_yaml({"d.jup", jup});
  CHECK(yaml.find("    when: |-\n"
                  "      has(partnership.teams) and  # guard\n"
                  "        count(partnership.teams) > 0  # after when\n") != std::string::npos);
  CHECK(yaml.find("      - |-\n"
                  "        all t in partnership.teams: # the quantifier\n"
                  "          count(t.members) >= threshold  # the body\n") != std::string::npos);
  CHECK(yaml.find("        none t in partnership.teams: t.name in [\"x\", \"y\" # inside\n"
                  "          ]  # after the bracket\n") != std::string::npos);
  // The last line holds a '#' already: the comment goes after the block header instead.
  CHECK(yaml.find("      - |-  # a '#' in a string\n"
                  "        any t in partnership.teams:\n"
                  "          t.name == \"#1\"\n") != std::string::npos);
  CHECK(format::to_dsl({"d.yaml", yaml}) == jup);
  const auto from_jup = meaning("d.jup", jup);
  REQUIRE(from_jup);
  CHECK(meaning("d.yaml", yaml) == from_jup);
}

TEST_CASE("a comment after a block scalar's header in a YAML rule file is the clause's trailing comment") {
  const std::string yaml =
      "package: p\nuses: [d]\nrules:\n  - id: r\n    when: |-  # the guard\n      d.a and\n"
      "        d.b\n    require: >-  # the test\n      d.c\n";
  CHECK(format::to_dsl({"h.yaml", yaml}) ==
        "package p\nuses d\n\nrule r {\n  when d.a and\n    d.b        # the guard\n  require d.c  # the test\n}\n");
}
