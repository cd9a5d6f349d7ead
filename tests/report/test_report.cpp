// The text and JSON reports and the summary line, over evaluation results built by hand.
#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <variant>

#include "joinup/report.hpp"
#include "report/json_writer.hpp"

using namespace joinup;

namespace {

rule_info make_rule(std::string full_id, severity sev, std::string origin, std::uint32_t line) {
  rule_info r;
  r.full_id = std::move(full_id);
  r.package = r.full_id.substr(0, r.full_id.rfind('.'));
  r.id = r.full_id.substr(r.full_id.rfind('.') + 1);
  r.severity = sev;
  r.origin = std::move(origin);
  r.position = {line, 1};
  return r;
}

violation make_violation(std::string rule_id, severity sev, outcome kind, std::string message, std::string subject,
                         source_position data_pos, source_position rule_pos, std::string require,
                         std::vector<explanation_entry> expl = {}) {
  violation v;
  v.rule_id = std::move(rule_id);
  v.severity = sev;
  v.kind = kind;
  v.message = std::move(message);
  v.subject = std::move(subject);
  v.data_origin = "plan.yaml";
  v.data_position = data_pos;
  v.rule_origin = "rules/integration/workforce.jup";
  v.rule_position = rule_pos;
  v.require_text = std::move(require);
  v.explanation = std::move(expl);
  return v;
}

rule_result make_result(std::uint32_t index, std::string id, severity sev, outcome o, std::uint32_t subjects,
                        std::vector<violation> vs = {}) {
  rule_result r;
  r.rule_index = index;
  r.rule_id = std::move(id);
  r.severity = sev;
  r.result = o;
  r.subjects = subjects;
  r.violations = std::move(vs);
  return r;
}

// The section 6 example: one failing rule, plus a passing and a not-applicable one.
struct fixture {
  std::vector<rule_info> rules;
  evaluation_result result;

  fixture() {
    rules.push_back(make_rule("integration.workforce.senior-leaver-replacement", severity::error,
                              "rules/integration/workforce.jup", 4));
    rules[0].title = "Never replace a senior leaver with a single-organisation role";
    rules[0].tags = {"leadership", "workforce"};
    rules[0].source = "Public Service Transformation Academy: Tips on making place-based working work";
    rules.push_back(make_rule("integration.teams.size", severity::warning, "rules/integration/teams.jup", 2));
    rules.push_back(make_rule("integration.housing.at-the-table", severity::info, "rules/integration/housing.jup", 7));

    result.data_origin = "plan.yaml";
    result.as_of = *date::parse("2026-11-21");
    auto v = make_violation(
        "integration.workforce.senior-leaver-replacement", severity::error, outcome::fail,
        "Dr A. Okafor left a senior post and was replaced by a single-organisation role (Trust Finance Director)",
        "partnership.leavers[3]", {42, 7}, {14, 11}, "leaver.replacement.scope != \"single-organisation\"",
        {{"leaver.replacement.scope", "\"single-organisation\""}});
    v.remedy = "Recruit to a system-wide or joint post.";
    result.rules.push_back(make_result(0, rules[0].full_id, severity::error, outcome::fail, 10, {v}));
    result.rules.push_back(make_result(1, rules[1].full_id, severity::warning, outcome::pass, 3));
    result.rules.push_back(make_result(2, rules[2].full_id, severity::info, outcome::not_applicable, 0));
  }
};

const char* const section6_block =
    "plan.yaml:42:7: error: integration.workforce.senior-leaver-replacement\n"
    "  Dr A. Okafor left a senior post and was replaced by a single-organisation role (Trust Finance Director)\n"
    "  rules/integration/workforce.jup:14:11: require leaver.replacement.scope != \"single-organisation\"\n"
    "      leaver.replacement.scope = \"single-organisation\"\n";

summary make_summary(std::uint32_t passed, std::uint32_t errors, std::uint32_t warnings, std::uint32_t infos,
                     std::uint32_t undetermined, std::uint32_t not_applicable) {
  summary s;
  s.failed_by_severity[0] = errors;
  s.failed_by_severity[1] = warnings;
  s.failed_by_severity[2] = infos;
  s.passed = passed;
  s.failed = errors + warnings + infos;
  s.undetermined = undetermined;
  s.not_applicable = not_applicable;
  s.rules = s.passed + s.failed + s.undetermined + s.not_applicable;
  return s;
}

// A minimal JSON reader, strict enough to reject what a careless writer gets wrong (raw control
// characters, bad escapes, trailing commas), so the report can be read back and compared.
struct json_value;
using json_object = std::vector<std::pair<std::string, json_value>>;
using json_array = std::vector<json_value>;
struct json_value {
  std::variant<std::nullptr_t, bool, double, std::string, std::shared_ptr<json_array>, std::shared_ptr<json_object>> v;
  const json_value& operator[](std::string_view k) const {
    for (const auto& [key, val] : *std::get<std::shared_ptr<json_object>>(v))
      if (key == k) return val;
    throw std::runtime_error("no key " + std::string(k));
  }
  const json_value& operator[](std::size_t i) const { return std::get<std::shared_ptr<json_array>>(v)->at(i); }
  const std::string& str() const { return std::get<std::string>(v); }
  double num() const { return std::get<double>(v); }
  std::size_t size() const { return std::get<std::shared_ptr<json_array>>(v)->size(); }
  std::vector<std::string> keys() const {
    std::vector<std::string> out;
    for (const auto& kv : *std::get<std::shared_ptr<json_object>>(v)) out.push_back(kv.first);
    return out;
  }
};

class json_reader {
 public:
  explicit json_reader(std::string_view s) : s_(s) {}
  json_value parse_document() {
    auto v = value();
    ws();
    if (i_ != s_.size()) fail("trailing text");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error("json: " + what + " at " + std::to_string(i_));
  }
  void ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\t' || s_[i_] == '\r')) ++i_;
  }
  char peek() {
    ws();
    if (i_ >= s_.size()) fail("unexpected end");
    return s_[i_];
  }
  void expect(char c) {
    if (peek() != c) fail(std::string("expected ") + c);
    ++i_;
  }
  json_value value() {
    const char c = peek();
    if (c == '{') {
      ++i_;
      auto obj = std::make_shared<json_object>();
      if (peek() == '}') return ++i_, json_value{obj};
      while (true) {
        if (peek() != '"') fail("expected key");
        std::string k = string();
        expect(':');
        obj->emplace_back(std::move(k), value());
        if (peek() == ',') {
          ++i_;
          continue;
        }
        expect('}');
        return json_value{obj};
      }
    }
    if (c == '[') {
      ++i_;
      auto arr = std::make_shared<json_array>();
      if (peek() == ']') return ++i_, json_value{arr};
      while (true) {
        arr->push_back(value());
        if (peek() == ',') {
          ++i_;
          continue;
        }
        expect(']');
        return json_value{arr};
      }
    }
    if (c == '"') return json_value{string()};
    if (s_.substr(i_, 4) == "null") return i_ += 4, json_value{nullptr};
    if (s_.substr(i_, 4) == "true") return i_ += 4, json_value{true};
    if (s_.substr(i_, 5) == "false") return i_ += 5, json_value{false};
    std::size_t start = i_;
    while (i_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[i_])) || s_[i_] == '-')) ++i_;
    if (start == i_) fail("unexpected character");
    return json_value{std::stod(std::string(s_.substr(start, i_ - start)))};
  }
  static void put_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  std::string string() {
    expect('"');
    std::string out;
    while (true) {
      if (i_ >= s_.size()) fail("unterminated string");
      const auto c = static_cast<unsigned char>(s_[i_++]);
      if (c == '"') return out;
      if (c < 0x20) fail("raw control character in string");
      if (c != '\\') {
        out += static_cast<char>(c);
        continue;
      }
      if (i_ >= s_.size()) fail("bad escape");
      switch (s_[i_++]) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          if (i_ + 4 > s_.size()) fail("bad \\u escape");
          put_utf8(out, static_cast<unsigned>(std::stoul(std::string(s_.substr(i_, 4)), nullptr, 16)));
          i_ += 4;
          break;
        }
        default: fail("bad escape");
      }
    }
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

json_value parse_json(std::string_view s) { return json_reader(s).parse_document(); }

std::string json_string(std::string_view s) {
  std::string out;
  report::append_json_string(out, s);
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Text

TEST_CASE("a failing rule prints the section 6 block, a blank line and the summary") {
  fixture f;
  CHECK(to_text(f.result, f.rules) == std::string(section6_block) +
                                          "\n"
                                          "1 rule failed (1 error), 1 passed, 1 not applicable\n");
}

TEST_CASE("quiet prints the blocks only, and nothing at all when nothing failed") {
  fixture f;
  CHECK(to_text(f.result, f.rules, {.color = false, .quiet = true}) == section6_block);
  f.result.rules[0].result = outcome::pass;
  f.result.rules[0].violations.clear();
  CHECK(to_text(f.result, f.rules, {.color = false, .quiet = true}).empty());
  CHECK(to_text(f.result, f.rules) == "0 rules failed, 2 passed, 1 not applicable\n");
}

TEST_CASE("blocks follow rule order, then the order given within a rule, separated by blank lines") {
  fixture f;
  auto& first = f.result.rules[0];
  auto second = first.violations[0];
  second.message = "B. Jones left a senior post";
  second.data_position = {50, 7};
  second.explanation.clear();
  first.violations.push_back(second);
  auto w = make_violation("integration.teams.size", severity::warning, outcome::fail, "team t1 has 4 members",
                          "partnership.teams[0]", {3, 5}, {6, 11}, "count(team.members) between 10 and 20",
                          {{"count(team.members)", "4"}, {"team.members", "[a, b, c, d]"}});
  w.rule_origin = "rules/integration/teams.jup";
  f.result.rules[1].result = outcome::fail;
  f.result.rules[1].violations = {w};
  CHECK(to_text(f.result, f.rules) ==
        std::string(section6_block) +
            "\n"
            "plan.yaml:50:7: error: integration.workforce.senior-leaver-replacement\n"
            "  B. Jones left a senior post\n"
            "  rules/integration/workforce.jup:14:11: require leaver.replacement.scope != \"single-organisation\"\n"
            "\n"
            "plan.yaml:3:5: warning: integration.teams.size\n"
            "  team t1 has 4 members\n"
            "  rules/integration/teams.jup:6:11: require count(team.members) between 10 and 20\n"
            "      count(team.members) = 4\n"
            "      team.members = [a, b, c, d]\n"
            "\n"
            "2 rules failed (1 error, 1 warning), 1 not applicable\n");
}

TEST_CASE("an undetermined subject says 'undetermined' where the severity goes, and gives the reason") {
  fixture f;
  auto u = make_violation("integration.teams.size", severity::warning, outcome::undetermined,
                          "partnership.teams[2].members is missing", "partnership.teams[2]", {9, 3}, {6, 11},
                          "count(team.members) between 10 and 20");
  u.rule_origin = "rules/integration/teams.jup";
  f.result.rules[0] = make_result(0, f.rules[0].full_id, severity::error, outcome::pass, 10);
  f.result.rules[1].result = outcome::undetermined;
  f.result.rules[1].violations = {u};
  CHECK(to_text(f.result, f.rules) ==
        "plan.yaml:9:3: undetermined: integration.teams.size\n"
        "  partnership.teams[2].members is missing\n"
        "  rules/integration/teams.jup:6:11: require count(team.members) between 10 and 20\n"
        "\n"
        "0 rules failed, 1 undetermined, 1 passed, 1 not applicable\n");
}

TEST_CASE("a subject whose where clause could not be judged names the where clause") {
  fixture f;
  auto u = make_violation("integration.teams.size", severity::warning, outcome::undetermined,
                          "partnership.teams[2].kind is missing", "partnership.teams[2]", {9, 3}, {5, 11},
                          "team.kind == \"cross-cutting\"");
  u.clause = "where";
  u.rule_origin = "rules/integration/teams.jup";
  f.result.rules[0] = make_result(0, f.rules[0].full_id, severity::error, outcome::pass, 10);
  f.result.rules[1].result = outcome::undetermined;
  f.result.rules[1].violations = {u};
  CHECK(to_text(f.result, f.rules, {.color = false, .quiet = true}) ==
        "plan.yaml:9:3: undetermined: integration.teams.size\n"
        "  partnership.teams[2].kind is missing\n"
        "  rules/integration/teams.jup:5:11: where team.kind == \"cross-cutting\"\n");
}

TEST_CASE("unknown positions are left out of locations") {
  fixture f;
  auto& v = f.result.rules[0].violations[0];
  v.data_position = {};
  v.explanation.clear();
  SECTION("data position unknown: just the file") {
    CHECK(to_text(f.result, f.rules, {.color = false, .quiet = true}) ==
          "plan.yaml: error: integration.workforce.senior-leaver-replacement\n"
          "  Dr A. Okafor left a senior post and was replaced by a single-organisation role (Trust Finance "
          "Director)\n"
          "  rules/integration/workforce.jup:14:11: require leaver.replacement.scope != \"single-organisation\"\n");
  }
  SECTION("no require: the rule's own location from the metadata") {
    v.rule_origin.clear();
    v.require_text.clear();
    v.message = "partnership is missing";
    v.kind = outcome::undetermined;
    CHECK(to_text(f.result, f.rules, {.color = false, .quiet = true}) ==
          "plan.yaml: undetermined: integration.workforce.senior-leaver-replacement\n"
          "  partnership is missing\n"
          "  rules/integration/workforce.jup:4:1\n");
  }
  SECTION("a line without a column") {
    v.data_position = {12, 0};
    CHECK(to_text(f.result, f.rules, {.color = false, .quiet = true})
              .starts_with("plan.yaml:12: error: integration.workforce.senior-leaver-replacement\n"));
  }
}

TEST_CASE("multi-line messages and requires keep the block's shape") {
  fixture f;
  auto& v = f.result.rules[0].violations[0];
  v.message = "first line\nsecond line";
  v.require_text = "leaver.replacement.scope\n      != \"single-organisation\"";
  v.explanation.clear();
  CHECK(to_text(f.result, f.rules, {.color = false, .quiet = true}) ==
        "plan.yaml:42:7: error: integration.workforce.senior-leaver-replacement\n"
        "  first line\n"
        "  second line\n"
        "  rules/integration/workforce.jup:14:11: require leaver.replacement.scope != \"single-organisation\"\n");
}

TEST_CASE("colour: bold location, severity colour by level, magenta for undetermined") {
  fixture f;
  auto& v = f.result.rules[0].violations[0];
  v.explanation.clear();
  auto header = [&] {
    auto t = to_text(f.result, f.rules, {.color = true, .quiet = true});
    return t.substr(0, t.find('\n'));
  };
  const std::string loc = "\x1b[1mplan.yaml:42:7:\x1b[0m ";
  const std::string id = " integration.workforce.senior-leaver-replacement";
  CHECK(header() == loc + "\x1b[1;31merror:\x1b[0m" + id);
  v.severity = severity::warning;
  CHECK(header() == loc + "\x1b[1;33mwarning:\x1b[0m" + id);
  v.severity = severity::info;
  CHECK(header() == loc + "\x1b[1;36minfo:\x1b[0m" + id);
  v.kind = outcome::undetermined;
  CHECK(header() == loc + "\x1b[1;35mundetermined:\x1b[0m" + id);
  // Without colour there is no escape character anywhere.
  CHECK(to_text(f.result, f.rules).find('\x1b') == std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// Summary line

TEST_CASE("summary line: counts, plurals and the order of parts") {
  CHECK(summary_line(make_summary(11, 2, 1, 0, 1, 0)) ==
        "3 rules failed (2 errors, 1 warning), 1 undetermined, 11 passed");
  CHECK(summary_line(make_summary(0, 1, 0, 0, 0, 0)) == "1 rule failed (1 error)");
  CHECK(summary_line(make_summary(1, 0, 2, 0, 0, 0)) == "2 rules failed (2 warnings), 1 passed");
  CHECK(summary_line(make_summary(1, 0, 0, 1, 0, 0)) == "1 rule failed (1 info), 1 passed");
  CHECK(summary_line(make_summary(0, 0, 0, 2, 0, 0)) == "2 rules failed (2 info)");
  CHECK(summary_line(make_summary(1, 1, 1, 1, 2, 0)) ==
        "3 rules failed (1 error, 1 warning, 1 info), 2 undetermined, 1 passed");
}

TEST_CASE("summary line: zero parts are left out, but a clean run still says so") {
  CHECK(summary_line(make_summary(14, 0, 0, 0, 0, 0)) == "0 rules failed, 14 passed");
  CHECK(summary_line(make_summary(1, 0, 0, 0, 0, 0)) == "0 rules failed, 1 passed");
  CHECK(summary_line(make_summary(0, 0, 0, 0, 0, 0)) == "0 rules failed, 0 passed");
  CHECK(summary_line(make_summary(0, 0, 0, 0, 1, 0)) == "0 rules failed, 1 undetermined");
  CHECK(summary_line(make_summary(0, 0, 0, 0, 0, 3)) == "0 rules failed, 3 not applicable");
}

TEST_CASE("summary line: not applicable comes last") {
  CHECK(summary_line(make_summary(14, 0, 0, 0, 0, 2)) == "0 rules failed, 14 passed, 2 not applicable");
  CHECK(summary_line(make_summary(11, 2, 1, 0, 1, 1)) ==
        "3 rules failed (2 errors, 1 warning), 1 undetermined, 11 passed, 1 not applicable");
}

TEST_CASE("summaries of several files add up") {
  fixture f;
  auto second = f.result;
  second.data_origin = "other.yaml";
  auto s = f.result.summary();
  s += second.summary();
  CHECK(s.rules == 6);
  CHECK(s.failed == 2);
  CHECK(s.failing_subjects == 2);
  CHECK(s.failed_by_severity[0] == 2);
  CHECK(summary_line(s) == "2 rules failed (2 errors), 2 passed, 2 not applicable");
}

// ---------------------------------------------------------------------------------------------
// JSON

TEST_CASE("JSON strings: quotes, backslashes and control characters are escaped") {
  CHECK(json_string("plain") == "\"plain\"");
  CHECK(json_string("say \"hi\"") == R"("say \"hi\"")");
  CHECK(json_string("a\\b") == R"("a\\b")");
  CHECK(json_string("l1\nl2\r\t\b\f") == R"("l1\nl2\r\t\b\f")");
  CHECK(json_string(std::string("nul\0x", 5)) == R"("nul\u0000x")");
  CHECK(json_string("\x01\x1f\x7f") == R"("\u0001\u001f\u007f")");
  CHECK(json_string("/") == "\"/\"");
}

TEST_CASE("JSON strings: UTF-8 passes through, bytes that are not UTF-8 become U+FFFD") {
  CHECK(json_string("Ch\xC3\xA2teau \xE2\x80\x94 \xF0\x9F\x8F\xA5") ==
        "\"Ch\xC3\xA2teau \xE2\x80\x94 \xF0\x9F\x8F\xA5\"");
  CHECK(json_string("\xE2\x80\xA8") == "\"\xE2\x80\xA8\"");  // U+2028 is valid in JSON
  CHECK(json_string("a\xFFz") == R"("a\ufffdz")");
  CHECK(json_string("\xC3") == R"("\ufffd")");                                // truncated sequence
  CHECK(json_string("\xC0\xAF") == R"("\ufffd\ufffd")");                      // overlong '/'
  CHECK(json_string("\xED\xA0\x80") == R"("\ufffd\ufffd\ufffd")");            // a UTF-16 surrogate
  CHECK(json_string("\xF4\x90\x80\x80") == R"("\ufffd\ufffd\ufffd\ufffd")");  // above U+10FFFF
}

TEST_CASE("the JSON writer lays out nested values with two-space indentation") {
  report::json_writer w;
  w.begin_object();
  w.key("a");
  w.number(1);
  w.key("empty_list");
  w.begin_array();
  w.end_array();
  w.key("empty_map");
  w.begin_object();
  w.end_object();
  w.key("list");
  w.begin_array();
  w.boolean(true);
  w.null();
  w.begin_object();
  w.key("k");
  w.string("v");
  w.end_object();
  w.end_array();
  w.end_object();
  CHECK(w.take() ==
        "{\n"
        "  \"a\": 1,\n"
        "  \"empty_list\": [],\n"
        "  \"empty_map\": {},\n"
        "  \"list\": [\n"
        "    true,\n"
        "    null,\n"
        "    {\n"
        "      \"k\": \"v\"\n"
        "    }\n"
        "  ]\n"
        "}\n");
}

TEST_CASE("JSON report: exact output for one file with one failing rule") {
  fixture f;
  f.result.rules.erase(f.result.rules.begin() + 1, f.result.rules.end());
  const char* const expected = R"json({
  "tool": {
    "name": "joinup",
    "version": "0.1.0"
  },
  "as_of": "2026-11-21",
  "summary": {
    "files": 1,
    "rules": 1,
    "passed": 0,
    "failed": 1,
    "undetermined": 0,
    "not_applicable": 0,
    "violations": 1,
    "undetermined_subjects": 0,
    "failed_by_severity": {
      "error": 1,
      "warning": 0,
      "info": 0
    },
    "waived": 0,
    "waived_violations": 0
  },
  "unjudged_rules": [],
  "results": [
    {
      "file": "plan.yaml",
      "summary": {
        "rules": 1,
        "passed": 0,
        "failed": 1,
        "undetermined": 0,
        "not_applicable": 0,
        "violations": 1,
        "undetermined_subjects": 0,
        "failed_by_severity": {
          "error": 1,
          "warning": 0,
          "info": 0
        },
        "waived": 0,
        "waived_violations": 0
      },
      "rules": [
        {
          "id": "integration.workforce.senior-leaver-replacement",
          "title": "Never replace a senior leaver with a single-organisation role",
          "severity": "error",
          "outcome": "fail",
          "subjects": 10,
          "tags": [
            "leadership",
            "workforce"
          ],
          "source": "Public Service Transformation Academy: Tips on making place-based working work",
          "origin": {
            "file": "rules/integration/workforce.jup",
            "line": 4,
            "column": 1
          },
          "violations": [
            {
              "rule": "integration.workforce.senior-leaver-replacement",
              "severity": "error",
              "outcome": "fail",
              "message": "Dr A. Okafor left a senior post and was replaced by a single-organisation role (Trust Finance Director)",
              "subject": "partnership.leavers[3]",
              "location": {
                "file": "plan.yaml",
                "line": 42,
                "column": 7
              },
              "rule_location": {
                "file": "rules/integration/workforce.jup",
                "line": 14,
                "column": 11
              },
              "clause": "require",
              "require": "leaver.replacement.scope != \"single-organisation\"",
              "explanation": [
                {
                  "expression": "leaver.replacement.scope",
                  "value": "\"single-organisation\""
                }
              ],
              "remedy": "Recruit to a system-wide or joint post.",
              "waived": false,
              "waiver": null,
              "subject_key": "partnership.leavers[3]",
              "fingerprint": "e050cc7873d50596a4d61aa37ded75a5",
              "baseline": null
            }
          ],
          "waived": false
        }
      ]
    }
  ],
  "waivers": [],
  "errors": [],
  "baseline": null
}
)json";
  CHECK(to_json({f.result}, f.rules) == expected);
}

TEST_CASE("JSON report: several files, combined summary, outcomes and empty lists") {
  fixture f;
  auto second = f.result;
  second.data_origin = "other.json";
  second.rules[0].result = outcome::undetermined;
  second.rules[0].violations[0].kind = outcome::undetermined;
  second.rules[0].violations[0].data_origin = "other.json";
  const auto doc = parse_json(to_json({f.result, second}, f.rules));

  CHECK(doc.keys() == std::vector<std::string>{"tool", "as_of", "summary", "unjudged_rules", "results", "waivers",
                                               "errors", "baseline"});
  CHECK(doc["summary"].keys() == std::vector<std::string>{"files", "rules", "passed", "failed", "undetermined",
                                                          "not_applicable", "violations", "undetermined_subjects",
                                                          "failed_by_severity", "waived", "waived_violations"});
  CHECK(doc["summary"]["files"].num() == 2);
  CHECK(doc["summary"]["rules"].num() == 6);
  CHECK(doc["summary"]["failed"].num() == 1);
  CHECK(doc["summary"]["undetermined"].num() == 1);
  CHECK(doc["summary"]["not_applicable"].num() == 2);
  CHECK(doc["summary"]["violations"].num() == 1);
  CHECK(doc["summary"]["undetermined_subjects"].num() == 1);

  const auto& r1 = doc["results"][1];
  CHECK(r1["file"].str() == "other.json");
  CHECK(r1["summary"].keys().front() == "rules");
  CHECK(r1["rules"][0]["outcome"].str() == "undetermined");
  CHECK(r1["rules"][0]["violations"][0]["outcome"].str() == "undetermined");
  CHECK(r1["rules"][0]["violations"][0]["location"]["file"].str() == "other.json");
  CHECK(r1["rules"][1]["outcome"].str() == "pass");
  CHECK(r1["rules"][1]["severity"].str() == "warning");
  CHECK(r1["rules"][2]["outcome"].str() == "not-applicable");
  CHECK(r1["rules"][2]["severity"].str() == "info");
  CHECK(r1["rules"][2]["tags"].size() == 0);
  CHECK(r1["rules"][2]["violations"].size() == 0);
  CHECK(r1["rules"][2]["origin"]["line"].num() == 7);
}

TEST_CASE("JSON report: every string reads back exactly as it went in") {
  fixture f;
  auto& v = f.result.rules[0].violations[0];
  const std::string nasty = "quote \" \\ back\\slash\nnew line\ttab \x01 \xC3\xA9t\xC3\xA9 \xE2\x80\x94 {x}";
  v.message = nasty;
  v.subject = "partnership.areas[\"north-east\"]";
  v.explanation = {{"a[\"k\"]", "\"line\\nbreak\""}};
  f.rules[0].tags = {"t\"1"};
  const auto doc = parse_json(to_json({f.result}, f.rules));
  const auto& jv = doc["results"][0]["rules"][0]["violations"][0];
  CHECK(jv["message"].str() == nasty);
  CHECK(jv["subject"].str() == "partnership.areas[\"north-east\"]");
  CHECK(jv["explanation"][0]["expression"].str() == "a[\"k\"]");
  CHECK(jv["explanation"][0]["value"].str() == "\"line\\nbreak\"");
  CHECK(doc["results"][0]["rules"][0]["tags"][0].str() == "t\"1");
  CHECK(jv.keys() == std::vector<std::string>{"rule", "severity", "outcome", "message", "subject", "location",
                                              "rule_location", "clause", "require", "explanation", "remedy", "waived",
                                              "waiver", "subject_key", "fingerprint", "baseline"});
  CHECK(doc["results"][0]["rules"][0].keys() == std::vector<std::string>{"id", "title", "severity", "outcome",
                                                                         "subjects", "tags", "source", "origin",
                                                                         "violations", "waived"});
}

TEST_CASE("JSON report: no files, and a rule index outside the metadata") {
  CHECK(to_json(std::vector<evaluation_result>{}, {}) ==
        "{\n"
        "  \"tool\": {\n"
        "    \"name\": \"joinup\",\n"
        "    \"version\": \"0.1.0\"\n"
        "  },\n"
        "  \"as_of\": null,\n"
        "  \"summary\": {\n"
        "    \"files\": 0,\n"
        "    \"rules\": 0,\n"
        "    \"passed\": 0,\n"
        "    \"failed\": 0,\n"
        "    \"undetermined\": 0,\n"
        "    \"not_applicable\": 0,\n"
        "    \"violations\": 0,\n"
        "    \"undetermined_subjects\": 0,\n"
        "    \"failed_by_severity\": {\n"
        "      \"error\": 0,\n"
        "      \"warning\": 0,\n"
        "      \"info\": 0\n"
        "    },\n"
        "    \"waived\": 0,\n"
        "    \"waived_violations\": 0\n"
        "  },\n"
        "  \"unjudged_rules\": [],\n"
        "  \"results\": [],\n"
        "  \"waivers\": [],\n"
        "  \"errors\": [],\n"
        "  \"baseline\": null\n"
        "}\n");
  fixture f;
  f.result.rules[0].rule_index = 99;
  const auto doc = parse_json(to_json({f.result}, f.rules));
  const auto& rule = doc["results"][0]["rules"][0];
  CHECK(rule["id"].str() == "integration.workforce.senior-leaver-replacement");
  CHECK(rule["title"].str().empty());
  CHECK(rule["origin"]["line"].num() == 0);
}

// ---------------------------------------------------------------------------------------------
// The reader's view, and the HTML page's title and rule paths

TEST_CASE("board view: the rule's title, the message and what to do, without the evaluator's working") {
  fixture f;
  const auto board = to_text(f.result, f.rules, {.color = false, .quiet = true, .board = true});
  CHECK(board ==
        "plan.yaml:42:7: error: Never replace a senior leaver with a single-organisation role\n"
        "  Dr A. Okafor left a senior post and was replaced by a single-organisation role (Trust Finance Director)\n"
        "  What to do: Recruit to a system-wide or joint post.\n");
  CHECK(board.find("integration.workforce") == std::string::npos);
  CHECK(board.find("require") == std::string::npos);
  // A whole run in the board view, with its summary line.
  check_results run;
  run.files.push_back(f.result);
  const auto all = to_text(run, f.rules, {.color = false, .quiet = false, .board = true});
  CHECK(all.find("What to do: Recruit") != std::string::npos);
  CHECK(all.find("leaver.replacement.scope") == std::string::npos);
  CHECK(all.ends_with("1 rule failed (1 error), 1 passed, 1 not applicable\n"));
}

TEST_CASE("HTML: titled with the partnership's name, rule files relative to the rule folder") {
  fixture f;
  f.result.title = "Eastmoor Health and Care Partnership";
  f.result.rules[0].violations[0].rule_origin = "/opt/machine/packs/integration/workforce.jup";
  check_results run;
  run.files.push_back(f.result);
  const auto html = to_html(run, f.rules, {.board = false, .rule_dirs = {"/opt/machine/packs"}});
  CHECK(html.find("<title>Eastmoor Health and Care Partnership</title>") != std::string::npos);
  CHECK(html.find("<h1>Eastmoor Health and Care Partnership</h1>") != std::string::npos);
  CHECK(html.find("/opt/machine") == std::string::npos);
  CHECK(html.find("(integration/workforce.jup:14:11)") != std::string::npos);
  // A rule file outside every rule folder is shown by its name alone.
  const auto elsewhere = to_html(run, f.rules, {.board = false, .rule_dirs = {"/somewhere/else"}});
  CHECK(elsewhere.find("/opt/machine") == std::string::npos);
  CHECK(elsewhere.find("(workforce.jup:14:11)") != std::string::npos);
  // Without a name, the file's path titles the page.
  run.files[0].title.clear();
  CHECK(to_html(run, f.rules).find("<title>Partnership check: plan.yaml</title>") != std::string::npos);
}

TEST_CASE("HTML: the board's view folds the working away, one click from each finding") {
  fixture f;
  check_results run;
  run.files.push_back(f.result);
  const auto developer = to_html(run, f.rules);
  const auto board = to_html(run, f.rules, {.board = true});
  CHECK(developer.find("<details class=\"working\" open><summary>How this was found</summary>") != std::string::npos);
  CHECK(board.find("<details class=\"working\"><summary>How this was found</summary>") != std::string::npos);
  // The require and the values it saw are still there, inside the fold.
  const auto fold = board.find("<details class=\"working\">");
  const auto shown = board.find("leaver.replacement.scope = &quot;single-organisation&quot;");
  REQUIRE(shown != std::string::npos);
  CHECK(shown > fold);
  CHECK(shown < board.find("</details>", fold));
  // The table of every principle leaves rule ids out of the board's view.
  CHECK(developer.find("<th>Rule</th>") != std::string::npos);
  CHECK(board.find("<th>Rule</th>") == std::string::npos);
  CHECK(board.find("<b>What to do:</b> Recruit to a system-wide or joint post.") != std::string::npos);
}

TEST_CASE("HTML: the board's view gathers one rule's findings into one card, what to do said once") {
  fixture f;
  auto second = f.result.rules[0].violations[0];
  second.message =
      "Sharon Kitson's senior post (Director of Public Health) is being recruited to as a single-organisation role";
  second.subject = "partnership.leavers[4]";
  f.result.rules[0].violations.push_back(second);
  check_results run;
  run.files.push_back(f.result);
  auto count = [](const std::string& s, const std::string& what) {
    std::size_t n = 0;
    for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
    return n;
  };
  const auto board = to_html(run, f.rules, {.board = true});
  CHECK(count(board, "<div class=\"finding error\">") == 1);
  CHECK(count(board, "<ul class=\"items\">") == 1);
  CHECK(count(board, "<b>What to do:</b>") == 1);
  CHECK(count(board, "How this was found") == 3);  // one per finding, and the footer
  CHECK(board.find("Sharon Kitson&#39;s senior post") != std::string::npos);
  const auto developer = to_html(run, f.rules);
  CHECK(count(developer, "<div class=\"finding error\">") == 2);
  CHECK(count(developer, "<b>What to do:</b>") == 2);
}
