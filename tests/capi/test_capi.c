/* The C API, through every function and its error paths. Built as C99 with -Wall -Werror
 * -pedantic; run under ASan in the sanitizer build. Usage: test_capi SOURCE_DIR */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "joinup.h"

static const char *source_dir;
static char path_buffer[4096];

static const char *source_path(const char *relative) {
  snprintf(path_buffer, sizeof path_buffer, "%s/%s", source_dir, relative);
  return path_buffer;
}

static const char rules_text[] =
    "package t\n"
    "uses partnership\n"
    "\n"
    "rule senior-leaver \"Senior leavers are replaced by joint roles\" {\n"
    "  severity error\n"
    "  tags [workforce]\n"
    "  remedy \"Make {leaver.name}'s post joint.\"\n"
    "  for each leaver in partnership.leavers\n"
    "    where leaver.seniority == \"senior\"\n"
    "  require leaver.replacement.scope != \"single-organisation\"\n"
    "  message \"{leaver.name} was replaced by a single-organisation role\"\n"
    "}\n"
    "\n"
    "rule named \"The partnership has a name\" {\n"
    "  severity warning\n"
    "  tags [basics]\n"
    "  require has(partnership.name)\n"
    "}\n";

static void test_version(void) {
  CHECK_STR(joinup_version(), JOINUP_VERSION);
  CHECK(joinup_version_number() == JOINUP_VERSION_NUMBER);
  CHECK(joinup_abi_version() == JOINUP_ABI_VERSION);
}

static void test_status_text(void) {
  int code;
  CHECK_STR(joinup_status_text(JOINUP_OK), "ok");
  CHECK_STR(joinup_status_text(JOINUP_RULE_ERROR), "rules do not compile");
  CHECK_STR(joinup_status_text(JOINUP_MEMORY_LIMIT), "memory budget used up");
  for (code = 0; code <= JOINUP_MEMORY_LIMIT; ++code)
    CHECK(strcmp(joinup_status_text((joinup_status)code), "unknown status") != 0);
  CHECK_STR(joinup_status_text((joinup_status)999), "unknown status");
  CHECK_STR(joinup_status_text((joinup_status)-1), "unknown status");
}

static void test_policy(void) {
  joinup_policy *p = NULL;
  joinup_error *e = (joinup_error *)1;
  const joinup_rule *r = NULL;
  size_t n = 0;
  CHECK_STATUS(joinup_policy_compile("t.jup", rules_text, JOINUP_NUL_TERMINATED, NULL, &p, &e), JOINUP_OK);
  CHECK(p != NULL);
  CHECK(e == NULL);
  CHECK_STATUS(joinup_policy_rule_count(p, &n), JOINUP_OK);
  CHECK(n == 2);
  CHECK_STATUS(joinup_policy_rule(p, 0, &r), JOINUP_OK);
  if (r) {
    CHECK_STR(r->id, "t.senior-leaver");
    CHECK_STR(r->package, "t");
    CHECK_STR(r->short_id, "senior-leaver");
    CHECK_STR(r->title, "Senior leavers are replaced by joint roles");
    CHECK(r->severity == JOINUP_SEVERITY_ERROR);
    CHECK(r->tag_count == 1);
    CHECK_STR(r->tags[0], "workforce");
    CHECK_STR(r->file, "t.jup");
    CHECK(r->line == 4 && r->column == 1);
    CHECK_CONTAINS(r->text, "rule senior-leaver");
    CHECK_STR(r->source, "");
  }
  CHECK_STATUS(joinup_policy_rule(p, 2, &r), JOINUP_INVALID_ARGUMENT);
  CHECK(r == NULL);
  CHECK_STATUS(joinup_policy_find_rule(p, "t.named", &r), JOINUP_OK);
  CHECK(r && r->severity == JOINUP_SEVERITY_WARNING);
  CHECK_STATUS(joinup_policy_find_rule(p, "t.nothing", &r), JOINUP_UNKNOWN_RULE);
  CHECK(r == NULL);
  joinup_policy_free(p);

  /* Several texts in one policy; ids must be unique across them. */
  {
    joinup_rule_text texts[2];
    texts[0].origin = "a.jup";
    texts[0].text = "package a\nrule one \"One\" { require 1 == 1 }\n";
    texts[0].length = JOINUP_NUL_TERMINATED;
    texts[1].origin = "b.jup";
    texts[1].text = "package b\nrule two \"Two\" { require 1 == 1 }\nTRAILING";
    texts[1].length = strlen("package b\nrule two \"Two\" { require 1 == 1 }\n");
    CHECK_STATUS(joinup_policy_compile_texts(texts, 2, NULL, &p, NULL), JOINUP_OK);
    CHECK_STATUS(joinup_policy_rule_count(p, &n), JOINUP_OK);
    CHECK(n == 2);
    joinup_policy_free(p);
    CHECK_STATUS(joinup_policy_compile_texts(texts, 0, NULL, &p, NULL), JOINUP_OK);
    CHECK_STATUS(joinup_policy_rule_count(p, &n), JOINUP_OK);
    CHECK(n == 0);
    joinup_policy_free(p);
  }
}

static void test_rule_errors(void) {
  joinup_policy *p = (joinup_policy *)1;
  joinup_error *e = NULL;
  size_t n = 0, i;
  const joinup_diagnostic *d = NULL;
  const char *bad =
      "package bad\nuses partnership\nrule r \"R\" {\n  for each leaver in partnership.leavers\n"
      "  require cuont(leavr) > 0\n}\n";
  CHECK_STATUS(joinup_policy_compile("bad.jup", bad, strlen(bad), NULL, &p, &e), JOINUP_RULE_ERROR);
  CHECK(p == NULL);
  CHECK(e != NULL);
  CHECK_STATUS(joinup_error_status(e), JOINUP_RULE_ERROR);
  CHECK_STATUS(joinup_error_diagnostic_count(e, &n), JOINUP_OK);
  CHECK(n == 2); /* every diagnostic, not just the first */
  CHECK_STR(joinup_error_message(e), "unknown function 'cuont'");
  CHECK_STR(joinup_error_origin(e), "bad.jup");
  CHECK(joinup_error_line(e) == 5 && joinup_error_column(e) == 11);
  CHECK_CONTAINS(joinup_error_text(e), "bad.jup:5:11: error: unknown function 'cuont'");
  CHECK_CONTAINS(joinup_error_text(e), "bad.jup:5:17: error: unknown name 'leavr'");
  for (i = 0; i < n; ++i) {
    CHECK_STATUS(joinup_error_diagnostic(e, i, &d), JOINUP_OK);
    CHECK(d && d->level == JOINUP_LEVEL_ERROR && d->line == 5);
  }
  CHECK_STATUS(joinup_error_diagnostic(e, 1, &d), JOINUP_OK);
  if (d) {
    CHECK_STR(d->message, "unknown name 'leavr'");
    CHECK_STR(d->help, "did you mean 'leaver'?");
    CHECK_STR(d->source_line, "  require cuont(leavr) > 0");
    CHECK(d->column == 17 && d->length == 5);
    CHECK_STR(d->origin, "bad.jup");
    CHECK(d->code[0] != '\0');
    CHECK_CONTAINS(d->rendered, "^^^^^");
  }
  CHECK_STATUS(joinup_error_diagnostic(e, 2, &d), JOINUP_INVALID_ARGUMENT);
  CHECK(d == NULL);
  joinup_error_free(e);

  /* Without an error object: the code alone. */
  CHECK_STATUS(joinup_policy_compile("bad.jup", bad, JOINUP_NUL_TERMINATED, NULL, &p, NULL), JOINUP_RULE_ERROR);

  /* YAML rule files compile like the rule language; their errors carry the YAML file's position. */
  CHECK_STATUS(joinup_policy_compile("rules.yaml", "package: y\nuses: [d]\nrules:\n  - id: r\n    require: d.x == 1\n",
                                     JOINUP_NUL_TERMINATED, NULL, &p, &e),
               JOINUP_OK);
  CHECK(p != NULL);
  joinup_policy_free(p);
  p = NULL;
  CHECK_STATUS(joinup_policy_compile("rules.yaml", "uses: [d]\nrules:\n  - id: r\n    requre: d.x == 1\n",
                                     JOINUP_NUL_TERMINATED, NULL, &p, &e),
               JOINUP_RULE_ERROR);
  CHECK(joinup_error_line(e) == 4);
  joinup_error_free(e);

  /* Invalid UTF-8, an over-limit text, too deep an expression. */
  CHECK_STATUS(joinup_policy_compile("u.jup", "package u\n# \xC3\x28\n", JOINUP_NUL_TERMINATED, NULL, &p, &e),
               JOINUP_INVALID_UTF8);
  CHECK_STR(joinup_error_origin(e), "u.jup");
  CHECK(joinup_error_line(e) == 2 && joinup_error_column(e) == 3);
  joinup_error_free(e);
  {
    joinup_compile_options o;
    char deep[2000];
    size_t k = 0, j;
    joinup_compile_options_init(&o);
    CHECK(o.struct_size == sizeof o && o.max_file_bytes == 16u * 1024 * 1024 && o.max_expression_depth == 200);
    o.max_file_bytes = 10;
    CHECK_STATUS(joinup_policy_compile("t.jup", rules_text, JOINUP_NUL_TERMINATED, &o, &p, &e), JOINUP_TOO_LARGE);
    joinup_error_free(e);
    joinup_compile_options_init(&o);
    o.max_expression_depth = 20;
    k += (size_t)sprintf(deep, "package d\nrule r \"R\" { require ");
    for (j = 0; j < 100; ++j) deep[k++] = '(';
    deep[k++] = '1';
    for (j = 0; j < 100; ++j) deep[k++] = ')';
    k += (size_t)sprintf(deep + k, " == 1 }\n");
    CHECK_STATUS(joinup_policy_compile("d.jup", deep, k, &o, &p, &e), JOINUP_TOO_DEEP);
    CHECK(joinup_error_line(e) == 2);
    joinup_error_free(e);
    o.struct_size = 0; /* not initialised */
    CHECK_STATUS(joinup_policy_compile("t.jup", rules_text, JOINUP_NUL_TERMINATED, &o, &p, &e), JOINUP_MISUSE);
    joinup_error_free(e);
  }
}

static void test_load(void) {
  joinup_policy *p = NULL;
  joinup_error *e = NULL;
  size_t n = 0;
  const char *paths[2];
  char quickstart[4096];
  snprintf(quickstart, sizeof quickstart, "%s", source_path("examples/quickstart/rules.jup"));
  paths[0] = quickstart;
  CHECK_STATUS(joinup_policy_load(paths, 1, NULL, &p, &e), JOINUP_OK);
  CHECK_STATUS(joinup_policy_rule_count(p, &n), JOINUP_OK);
  CHECK(n == 5);
  joinup_policy_free(p);

  paths[1] = "/nonexistent/rules.jup";
  CHECK_STATUS(joinup_policy_load(paths, 2, NULL, &p, &e), JOINUP_NOT_FOUND);
  CHECK(p == NULL);
  CHECK_STR(joinup_error_origin(e), "/nonexistent/rules.jup");
  joinup_error_free(e);
  CHECK_STATUS(joinup_policy_load(paths, 0, NULL, &p, &e), JOINUP_INVALID_ARGUMENT);
  joinup_error_free(e);

  /* A directory, and the standard pack. */
  paths[0] = source_path("rules");
  CHECK_STATUS(joinup_policy_load(paths, 1, NULL, &p, NULL), JOINUP_OK);
  CHECK_STATUS(joinup_policy_rule_count(p, &n), JOINUP_OK);
  CHECK(n == 54);
  joinup_policy_free(p);
  CHECK_STATUS(joinup_policy_load_standard(NULL, &p, &e), JOINUP_OK);
  CHECK_STATUS(joinup_policy_rule_count(p, &n), JOINUP_OK);
  CHECK(n == 54);
  CHECK_STATUS(joinup_policy_note_count(p, &n), JOINUP_OK);
  CHECK(n == 0);
  joinup_policy_free(p);
}

/* A directory's YAML files that are not rule files are skipped, each with a note the host can read. */
static void test_load_notes(void) {
  joinup_policy *p = NULL;
  joinup_error *e = NULL;
  const joinup_diagnostic *d = NULL;
  size_t n = 0, i;
  char dir[4096], data[4096];
  const char *paths[1];
  snprintf(dir, sizeof dir, "%s", source_path("examples/quickstart"));
  snprintf(data, sizeof data, "%s", source_path("examples/quickstart/partnership.yaml"));
  paths[0] = dir;
  CHECK_STATUS(joinup_policy_load(paths, 1, NULL, &p, &e), JOINUP_OK);
  CHECK_STATUS(joinup_policy_rule_count(p, &n), JOINUP_OK);
  CHECK(n == 5);
  CHECK_STATUS(joinup_policy_note_count(p, &n), JOINUP_OK);
  CHECK(n == 1);
  CHECK_STATUS(joinup_policy_note(p, 0, &d), JOINUP_OK);
  if (d) {
    CHECK(d->level == JOINUP_LEVEL_NOTE);
    CHECK_STR(d->code, "not-a-rule-file");
    CHECK_STR(d->origin, data);
    CHECK_STR(d->message, "not a rule file (it has no 'rules' key, nor any other key of a rule file): skipped");
    CHECK_STR(d->help, "name the file with --rules to read it as a rule file");
    CHECK(d->line == 0);
    CHECK_CONTAINS(d->rendered, "partnership.yaml: note: not a rule file");
  }
  CHECK_STATUS(joinup_policy_note(p, 1, &d), JOINUP_INVALID_ARGUMENT);
  CHECK(d == NULL);
  CHECK_STATUS(joinup_policy_note(p, 0, NULL), JOINUP_MISUSE);
  CHECK_STATUS(joinup_policy_note(NULL, 0, &d), JOINUP_MISUSE);
  CHECK_STATUS(joinup_policy_note_count(NULL, &n), JOINUP_MISUSE);
  CHECK(n == 0);
  CHECK_STATUS(joinup_policy_note_count(p, NULL), JOINUP_MISUSE);
  joinup_policy_free(p);

  /* The file named is read as rules: no note. */
  paths[0] = source_path("examples/quickstart/rules.jup");
  CHECK_STATUS(joinup_policy_load(paths, 1, NULL, &p, NULL), JOINUP_OK);
  CHECK_STATUS(joinup_policy_note_count(p, &n), JOINUP_OK);
  CHECK(n == 0);
  joinup_policy_free(p);

  /* A directory of data files alone holds no rules: the error's notes say which files were skipped. */
  paths[0] = source_path("examples/partnerships");
  CHECK_STATUS(joinup_policy_load(paths, 1, NULL, &p, &e), JOINUP_NOT_FOUND);
  CHECK(p == NULL);
  CHECK_CONTAINS(joinup_error_message(e), "4 YAML files were skipped as not rule files");
  CHECK_STATUS(joinup_error_diagnostic_count(e, &n), JOINUP_OK);
  CHECK(n == 5);
  for (i = 1; i < n; ++i) {
    CHECK_STATUS(joinup_error_diagnostic(e, i, &d), JOINUP_OK);
    CHECK(d && d->level == JOINUP_LEVEL_NOTE && strcmp(d->code, "not-a-rule-file") == 0);
  }
  CHECK_CONTAINS(joinup_error_text(e), "northvale-waivers.yaml: note: not a rule file");
  joinup_error_free(e);
}

static void test_documents(void) {
  joinup_document *d = NULL;
  joinup_error *e = NULL;
  joinup_load_options o;
  const char *json = "{\"partnership\": {\"name\": \"X\"}}";
  CHECK_STATUS(joinup_document_parse(json, strlen(json), "event.json", JOINUP_FORMAT_AUTO, NULL, &d, &e), JOINUP_OK);
  CHECK(d != NULL && e == NULL);
  joinup_document_free(d);
  CHECK_STATUS(joinup_document_parse("a: 1\n", JOINUP_NUL_TERMINATED, NULL, JOINUP_FORMAT_YAML, NULL, &d, NULL),
               JOINUP_OK);
  joinup_document_free(d);

  /* Parse errors carry the origin, line and column. */
  CHECK_STATUS(joinup_document_parse("{\n  \"a\": 1,\n  \"b\": }\n", JOINUP_NUL_TERMINATED, "bad.json",
                                     JOINUP_FORMAT_JSON, NULL, &d, &e),
               JOINUP_DATA_ERROR);
  CHECK(d == NULL);
  CHECK_STR(joinup_error_origin(e), "bad.json");
  CHECK(joinup_error_line(e) == 3 && joinup_error_column(e) == 8);
  joinup_error_free(e);
  CHECK_STATUS(
      joinup_document_parse("a: 1\na: 2\n", JOINUP_NUL_TERMINATED, "dup.yaml", JOINUP_FORMAT_AUTO, NULL, &d, &e),
      JOINUP_DATA_ERROR);
  CHECK(joinup_error_line(e) == 2);
  CHECK_CONTAINS(joinup_error_message(e), "duplicate key");
  joinup_error_free(e);
  CHECK_STATUS(
      joinup_document_parse("a: \"\xFF\"\n", JOINUP_NUL_TERMINATED, "latin1.yaml", JOINUP_FORMAT_AUTO, NULL, &d, &e),
      JOINUP_INVALID_UTF8);
  CHECK(joinup_error_line(e) == 1 && joinup_error_column(e) == 5);
  joinup_error_free(e);

  /* Limits. */
  joinup_load_options_init(&o);
  CHECK(o.max_depth == 256 && o.max_bytes == 256u * 1024 * 1024);
  o.max_bytes = 8;
  CHECK_STATUS(joinup_document_parse(json, strlen(json), "event.json", JOINUP_FORMAT_AUTO, &o, &d, &e),
               JOINUP_TOO_LARGE);
  joinup_error_free(e);
  joinup_load_options_init(&o);
  o.max_depth = 2;
  CHECK_STATUS(joinup_document_parse("[[[1]]]", JOINUP_NUL_TERMINATED, "deep.json", JOINUP_FORMAT_AUTO, &o, &d, &e),
               JOINUP_TOO_DEEP);
  CHECK(joinup_error_line(e) == 1 && joinup_error_column(e) == 3);
  joinup_error_free(e);
  CHECK_STATUS(
      joinup_document_parse("a:\n  b:\n    c: 1\n", JOINUP_NUL_TERMINATED, "deep.yaml", JOINUP_FORMAT_AUTO, &o, &d, &e),
      JOINUP_TOO_DEEP);
  joinup_error_free(e);
  CHECK_STATUS(joinup_document_parse("1", 1, NULL, (joinup_format)7, NULL, &d, &e), JOINUP_INVALID_ARGUMENT);
  joinup_error_free(e);

  /* Files. */
  CHECK_STATUS(
      joinup_document_load_file(source_path("examples/quickstart/partnership.yaml"), JOINUP_FORMAT_AUTO, NULL, &d, &e),
      JOINUP_OK);
  joinup_document_free(d);
  CHECK_STATUS(joinup_document_load_file("/nonexistent/plan.yaml", JOINUP_FORMAT_AUTO, NULL, &d, &e), JOINUP_NOT_FOUND);
  CHECK_STR(joinup_error_origin(e), "/nonexistent/plan.yaml");
  joinup_error_free(e);
}

static void test_evaluate_quickstart(void) {
  joinup_policy *p = NULL;
  joinup_document *d = NULL;
  joinup_result *r = NULL;
  joinup_error *e = NULL;
  joinup_evaluate_options o;
  const joinup_summary *s = NULL;
  const joinup_violation *v = NULL;
  const joinup_rule_outcome *ro = NULL;
  const char *text = NULL, *as_of = NULL;
  size_t n = 0;
  int fails = -1;
  char *data = read_file(source_path("examples/quickstart/partnership.yaml"), NULL);
  const char *paths[1];
  char rules[4096];
  CHECK(data != NULL);
  if (!data) return;
  snprintf(rules, sizeof rules, "%s", source_path("examples/quickstart/rules.jup"));
  paths[0] = rules;
  CHECK_STATUS(joinup_policy_load(paths, 1, NULL, &p, NULL), JOINUP_OK);
  CHECK_STATUS(joinup_document_parse(data, strlen(data), "partnership.yaml", JOINUP_FORMAT_AUTO, NULL, &d, NULL),
               JOINUP_OK);
  free(data); /* the document does not keep the text */

  joinup_evaluate_options_init(&o);
  CHECK(o.struct_size == sizeof o && o.undetermined_fails == 1 && o.as_of == NULL && o.max_steps == 0);
  o.as_of = "2026-11-21";
  CHECK_STATUS(joinup_policy_evaluate(p, d, &o, &r, &e), JOINUP_OK);
  CHECK(e == NULL);
  CHECK_STATUS(joinup_result_summary(r, &s), JOINUP_OK);
  if (s) {
    CHECK(s->rules == 5 && s->passed == 2 && s->failed == 3 && s->undetermined == 0 && s->not_applicable == 0);
    CHECK(s->violations == 3 && s->undetermined_subjects == 0);
    CHECK(s->failed_by_severity[JOINUP_SEVERITY_ERROR] == 1 && s->failed_by_severity[JOINUP_SEVERITY_WARNING] == 2 &&
          s->failed_by_severity[JOINUP_SEVERITY_INFO] == 0);
    CHECK(s->findings == 3 && s->findings_by_severity[JOINUP_SEVERITY_ERROR] == 1 &&
          s->findings_by_severity[JOINUP_SEVERITY_WARNING] == 2);
  }
  CHECK_STATUS(joinup_result_violation_count(r, &n), JOINUP_OK);
  CHECK(n == 3);
  CHECK_STATUS(joinup_result_violation(r, 0, &v), JOINUP_OK);
  if (v) {
    CHECK_STR(v->rule_id, "quickstart.senior-leaver-replacement");
    CHECK(v->severity == JOINUP_SEVERITY_ERROR && v->outcome == JOINUP_OUTCOME_FAIL);
    CHECK_STR(v->message,
              "Dr Ruth Oduya left a senior post and was replaced by a single-organisation role "
              "(Hospital Director of Operations)");
    CHECK_STR(v->subject, "partnership.leavers[0]");
    CHECK_STR(v->data_file, "partnership.yaml");
    CHECK(v->data_line == 28 && v->data_column == 7);
    CHECK_STR(v->rule_file, rules);
    CHECK(v->rule_line == 19 && v->rule_column == 11);
    CHECK_STR(v->clause, "require");
    CHECK_STR(v->require_text, "leaver.replacement.scope != \"single-organisation\"");
    CHECK(v->explanation_count == 1);
    if (v->explanation_count == 1) {
      CHECK_STR(v->explanation[0].expression, "leaver.replacement.scope");
      CHECK_STR(v->explanation[0].value, "\"single-organisation\"");
    }
    CHECK_STR(v->remedy, "Make the replacement post joint or system-wide.");
  }
  CHECK_STATUS(joinup_result_violation(r, 2, &v), JOINUP_OK);
  CHECK(v && v->explanation_count == 3);
  CHECK_STATUS(joinup_result_violation(r, 3, &v), JOINUP_INVALID_ARGUMENT);
  CHECK(v == NULL);
  CHECK_STATUS(joinup_result_rule_count(r, &n), JOINUP_OK);
  CHECK(n == 5);
  CHECK_STATUS(joinup_result_rule(r, 0, &ro), JOINUP_OK);
  if (ro) {
    CHECK_STR(ro->rule_id, "quickstart.senior-leaver-replacement");
    CHECK(ro->outcome == JOINUP_OUTCOME_FAIL && ro->severity == JOINUP_SEVERITY_ERROR);
    CHECK(ro->subjects == 2 && ro->first_violation == 0 && ro->violation_count == 1);
  }
  CHECK_STATUS(joinup_result_rule(r, 1, &ro), JOINUP_OK);
  CHECK(ro && ro->outcome == JOINUP_OUTCOME_PASS && ro->violation_count == 0);
  CHECK_STATUS(joinup_result_rule(r, 5, &ro), JOINUP_INVALID_ARGUMENT);
  CHECK_STATUS(joinup_result_fails(r, JOINUP_SEVERITY_ERROR, &fails), JOINUP_OK);
  CHECK(fails == 1);
  CHECK_STATUS(joinup_result_fails(r, (joinup_severity)5, &fails), JOINUP_INVALID_ARGUMENT);
  CHECK_STATUS(joinup_result_as_of(r, &as_of), JOINUP_OK);
  CHECK_STR(as_of, "2026-11-21");
  CHECK_STATUS(joinup_result_json(r, &text), JOINUP_OK);
  CHECK_CONTAINS(text, "{\n  \"tool\": {\n    \"name\": \"joinup\",\n    \"version\": \"" JOINUP_VERSION "\"");
  CHECK_CONTAINS(text, "\"as_of\": \"2026-11-21\"");
  CHECK_CONTAINS(text, "\"file\": \"partnership.yaml\"");
  {
    const char *again = NULL;
    CHECK_STATUS(joinup_result_json(r, &again), JOINUP_OK);
    CHECK(again == text); /* made once, lives with the result */
  }
  CHECK_STATUS(joinup_result_text(r, &text), JOINUP_OK);
  CHECK_CONTAINS(text, "partnership.yaml:28:7: error: quickstart.senior-leaver-replacement\n");
  CHECK_CONTAINS(text, "3 rules failed (1 error, 2 warnings), 2 passed\n");
  joinup_result_free(r);

  /* Options: selected rules, tags, undetermined as pass, step budget, wrong values. */
  {
    const char *only[] = {"quickstart.team-size"};
    const char *tags[] = {"workforce", "money"};
    const char *unknown[] = {"quickstart.no-such-rule"};
    const char *bad_utf8[] = {"\xC0\xAF"};
    joinup_evaluate_options_init(&o);
    o.as_of = "2026-11-21";
    o.only = only;
    o.only_count = 1;
    CHECK_STATUS(joinup_policy_evaluate(p, d, &o, &r, NULL), JOINUP_OK);
    CHECK_STATUS(joinup_result_rule_count(r, &n), JOINUP_OK);
    CHECK(n == 1);
    CHECK_STATUS(joinup_result_fails(r, JOINUP_SEVERITY_ERROR, &fails), JOINUP_OK);
    CHECK(fails == 0);
    CHECK_STATUS(joinup_result_fails(r, JOINUP_SEVERITY_WARNING, &fails), JOINUP_OK);
    CHECK(fails == 1);
    joinup_result_free(r);

    o.only_count = 0;
    o.tags = tags;
    o.tag_count = 2;
    CHECK_STATUS(joinup_policy_evaluate(p, d, &o, &r, NULL), JOINUP_OK);
    CHECK_STATUS(joinup_result_summary(r, &s), JOINUP_OK);
    CHECK(s && s->rules == 2 && s->failed == 2);
    joinup_result_free(r);

    o.tag_count = 0;
    o.only = unknown;
    o.only_count = 1;
    CHECK_STATUS(joinup_policy_evaluate(p, d, &o, &r, &e), JOINUP_UNKNOWN_RULE);
    CHECK(r == NULL);
    CHECK_CONTAINS(joinup_error_message(e), "quickstart.no-such-rule");
    joinup_error_free(e);
    o.only = bad_utf8;
    CHECK_STATUS(joinup_policy_evaluate(p, d, &o, &r, &e), JOINUP_INVALID_UTF8);
    joinup_error_free(e);
    o.only = NULL;
    CHECK_STATUS(joinup_policy_evaluate(p, d, &o, &r, &e), JOINUP_MISUSE);
    joinup_error_free(e);
    o.only_count = 0;

    o.max_steps = 5;
    CHECK_STATUS(joinup_policy_evaluate(p, d, &o, &r, &e), JOINUP_STEP_LIMIT);
    CHECK_CONTAINS(joinup_error_message(e), "step budget");
    joinup_error_free(e);
    o.max_steps = 0;

    o.as_of = "2026-02-30";
    CHECK_STATUS(joinup_policy_evaluate(p, d, &o, &r, &e), JOINUP_INVALID_ARGUMENT);
    CHECK_CONTAINS(joinup_error_message(e), "2026-02-30");
    joinup_error_free(e);
    o.as_of = NULL; /* the real date */
    CHECK_STATUS(joinup_policy_evaluate(p, d, &o, &r, NULL), JOINUP_OK);
    CHECK_STATUS(joinup_result_as_of(r, &as_of), JOINUP_OK);
    CHECK(as_of && strlen(as_of) == 10);
    joinup_result_free(r);

    o.struct_size = 0;
    CHECK_STATUS(joinup_policy_evaluate(p, d, &o, &r, NULL), JOINUP_MISUSE);
    /* Defaults. */
    CHECK_STATUS(joinup_policy_evaluate(p, d, NULL, &r, NULL), JOINUP_OK);
    joinup_result_free(r);
  }
  /* The result outlives the policy and the document. */
  CHECK_STATUS(joinup_policy_evaluate(p, d, NULL, &r, NULL), JOINUP_OK);
  joinup_policy_free(p);
  joinup_document_free(d);
  CHECK_STATUS(joinup_result_json(r, &text), JOINUP_OK);
  CHECK_CONTAINS(text, "quickstart.pooled-budget");
  joinup_result_free(r);
}

static void test_undetermined(void) {
  joinup_policy *p = NULL;
  joinup_document *d = NULL;
  joinup_result *r = NULL;
  joinup_evaluate_options o;
  const joinup_violation *v = NULL;
  int fails = -1;
  const char *data =
      "{\"partnership\": {\"name\": \"X\", \"leavers\": [{\"name\": \"Ann\", \"seniority\": \"senior\"}]}}";
  CHECK_STATUS(joinup_policy_compile("t.jup", rules_text, JOINUP_NUL_TERMINATED, NULL, &p, NULL), JOINUP_OK);
  CHECK_STATUS(joinup_document_parse(data, strlen(data), "event.json", JOINUP_FORMAT_AUTO, NULL, &d, NULL), JOINUP_OK);
  joinup_evaluate_options_init(&o);
  o.as_of = "2026-01-01";
  CHECK_STATUS(joinup_policy_evaluate(p, d, &o, &r, NULL), JOINUP_OK);
  CHECK_STATUS(joinup_result_violation(r, 0, &v), JOINUP_OK);
  if (v) {
    CHECK(v->outcome == JOINUP_OUTCOME_UNDETERMINED);
    CHECK_CONTAINS(v->message, "partnership.leavers[0].replacement");
    CHECK(v->data_line == 1 && v->data_column == 43);
  }
  CHECK_STATUS(joinup_result_fails(r, JOINUP_SEVERITY_ERROR, &fails), JOINUP_OK);
  CHECK(fails == 1);
  joinup_result_free(r);
  o.undetermined_fails = 0;
  CHECK_STATUS(joinup_policy_evaluate(p, d, &o, &r, NULL), JOINUP_OK);
  CHECK_STATUS(joinup_result_fails(r, JOINUP_SEVERITY_ERROR, &fails), JOINUP_OK);
  CHECK(fails == 0);
  joinup_result_free(r);
  joinup_document_free(d);
  joinup_policy_free(p);
}

/* File-level definitions (a `def` and a `let`) need nothing of the C API: they are rule text. */
static void test_definitions(void) {
  joinup_policy *p = NULL;
  joinup_document *d = NULL;
  joinup_result *r = NULL;
  const joinup_violation *v = NULL;
  int fails = -1;
  const char *rules =
      "package t\n"
      "uses partnership\n"
      "let team_size_min = partnership.settings.team_size_min ?? 10\n"
      "def senior(p) = p.seniority in [\"senior\", \"executive\"]\n"
      "rule big {\n"
      "  for each team in partnership.teams\n"
      "  require count(team.members) >= team_size_min and any m in team.members: senior(m)\n"
      "  message \"{team.name} is too small or has no senior member\"\n"
      "}\n";
  const char *data =
      "{\"partnership\": {\"settings\": {\"team_size_min\": 2}, \"teams\": ["
      "{\"name\": \"A\", \"members\": [{\"seniority\": \"senior\"}, {\"seniority\": \"junior\"}]},"
      "{\"name\": \"B\", \"members\": [{\"seniority\": \"junior\"}, {\"seniority\": \"junior\"}]}]}}";
  CHECK_STATUS(joinup_policy_compile("t.jup", rules, JOINUP_NUL_TERMINATED, NULL, &p, NULL), JOINUP_OK);
  CHECK_STATUS(joinup_document_parse(data, strlen(data), "d.json", JOINUP_FORMAT_AUTO, NULL, &d, NULL), JOINUP_OK);
  CHECK_STATUS(joinup_policy_evaluate(p, d, NULL, &r, NULL), JOINUP_OK);
  CHECK_STATUS(joinup_result_fails(r, JOINUP_SEVERITY_ERROR, &fails), JOINUP_OK);
  CHECK(fails == 1);
  CHECK_STATUS(joinup_result_violation(r, 0, &v), JOINUP_OK);
  if (v) CHECK_STR(v->message, "B is too small or has no senior member");
  joinup_result_free(r);
  joinup_document_free(d);
  joinup_policy_free(p);
}

static void test_builder(void) {
  joinup_builder *b = NULL;
  joinup_document *d = NULL;
  joinup_policy *p = NULL;
  joinup_result *r = NULL;
  joinup_error *e = NULL;
  const joinup_violation *v = NULL;
  const joinup_summary *s = NULL;
  joinup_load_options lo;

  CHECK_STATUS(joinup_policy_compile("t.jup", rules_text, JOINUP_NUL_TERMINATED, NULL, &p, NULL), JOINUP_OK);
  CHECK_STATUS(joinup_builder_new("hr-system", NULL, &b), JOINUP_OK);
  /* Nothing built yet. */
  CHECK_STATUS(joinup_builder_finish(b, &d, &e), JOINUP_MISUSE);
  CHECK(d == NULL);
  CHECK_CONTAINS(joinup_error_message(e), "nothing was built");
  joinup_error_free(e);

  /* By path. */
  CHECK_STATUS(joinup_builder_set_string(b, "partnership.name", "Brackenford Together", JOINUP_NUL_TERMINATED),
               JOINUP_OK);
  CHECK_STR(joinup_builder_message(b), "");
  CHECK_STATUS(joinup_builder_set_string(b, "partnership.leavers[0].name", "Dr Ruth Oduya", JOINUP_NUL_TERMINATED),
               JOINUP_OK);
  CHECK_STATUS(joinup_builder_set_string(b, "partnership.leavers[0].seniority", "senior", 6), JOINUP_OK);
  CHECK_STATUS(joinup_builder_set_date(b, "partnership.leavers[0].left", "2026-06-30"), JOINUP_OK);
  CHECK_STATUS(joinup_builder_set_string(b, "partnership.leavers[0].replacement.scope", "single-organisation",
                                         JOINUP_NUL_TERMINATED),
               JOINUP_OK);
  CHECK_STATUS(joinup_builder_set_int(b, "partnership.leavers[0].grade", 9), JOINUP_OK);
  CHECK_STATUS(joinup_builder_set_number(b, "partnership.leavers[0].fte", 0.8), JOINUP_OK);
  CHECK_STATUS(joinup_builder_set_bool(b, "partnership.leavers[0].interim", 0), JOINUP_OK);
  CHECK_STATUS(joinup_builder_set_null(b, "partnership.leavers[0].notes"), JOINUP_OK);
  CHECK_STATUS(joinup_builder_set_list(b, "partnership.teams"), JOINUP_OK);
  CHECK_STATUS(joinup_builder_set_map(b, "partnership.areas[\"North East\"]"), JOINUP_OK);
  CHECK_STATUS(joinup_builder_set_string(b, "partnership.areas[\"North East\"].lead", "Ann", JOINUP_NUL_TERMINATED),
               JOINUP_OK);

  /* Refused paths change nothing and say why. */
  CHECK_STATUS(joinup_builder_set_int(b, "partnership.name.first", 1), JOINUP_INVALID_ARGUMENT);
  CHECK_CONTAINS(joinup_builder_message(b), "'partnership.name' is a string, not a map");
  CHECK_STATUS(joinup_builder_set_int(b, "partnership.leavers[2]", 1), JOINUP_INVALID_ARGUMENT);
  CHECK_CONTAINS(joinup_builder_message(b), "past the end");
  CHECK_STATUS(joinup_builder_set_int(b, "partnership.new[1]", 1), JOINUP_INVALID_ARGUMENT);
  CHECK_STATUS(joinup_builder_set_int(b, "partnership.leavers.x", 1), JOINUP_INVALID_ARGUMENT);
  CHECK_STATUS(joinup_builder_set_int(b, "partnership..x", 1), JOINUP_INVALID_ARGUMENT);
  CHECK_STATUS(joinup_builder_set_int(b, ".x", 1), JOINUP_INVALID_ARGUMENT);
  CHECK_STATUS(joinup_builder_set_int(b, "x[", 1), JOINUP_INVALID_ARGUMENT);
  CHECK_STATUS(joinup_builder_set_int(b, "x[\"a]", 1), JOINUP_INVALID_ARGUMENT);
  CHECK_STATUS(joinup_builder_set_int(b, "x[99999999999]", 1), JOINUP_INVALID_ARGUMENT);
  CHECK_STATUS(joinup_builder_set_string(b, "partnership.x", "\xED\xA0\x80", JOINUP_NUL_TERMINATED),
               JOINUP_INVALID_UTF8);
  CHECK_STATUS(joinup_builder_set_string(b, "partnership.\xFF", "x", JOINUP_NUL_TERMINATED), JOINUP_INVALID_UTF8);
  CHECK_STATUS(joinup_builder_set_date(b, "partnership.x", "2026-13-01"), JOINUP_INVALID_ARGUMENT);
  CHECK_STATUS(joinup_builder_set_number(b, "partnership.x", NAN), JOINUP_INVALID_ARGUMENT);
  CHECK_STATUS(joinup_builder_set_number(b, "partnership.x", HUGE_VAL), JOINUP_INVALID_ARGUMENT);
  CHECK_STATUS(joinup_builder_set_string(b, "partnership.x", NULL, 0), JOINUP_MISUSE);
  CHECK_STATUS(joinup_builder_set_date(b, "partnership.x", NULL), JOINUP_MISUSE);
  CHECK_STATUS(joinup_builder_end(b), JOINUP_MISUSE);
  CHECK_STATUS(joinup_builder_key(b, "k", JOINUP_NUL_TERMINATED), JOINUP_MISUSE);
  CHECK_STATUS(joinup_builder_begin_map(b), JOINUP_MISUSE); /* the root exists already */
  CHECK_CONTAINS(joinup_builder_message(b), "root");

  CHECK_STATUS(joinup_builder_finish(b, &d, &e), JOINUP_OK);
  CHECK(e == NULL);
  CHECK_STATUS(joinup_policy_evaluate(p, d, NULL, &r, NULL), JOINUP_OK);
  CHECK_STATUS(joinup_result_summary(r, &s), JOINUP_OK);
  CHECK(s && s->failed == 1 && s->passed == 1);
  CHECK_STATUS(joinup_result_violation(r, 0, &v), JOINUP_OK);
  if (v) {
    CHECK_STR(v->subject, "partnership.leavers[0]");
    CHECK_STR(v->data_file, "hr-system");
    CHECK(v->data_line == 0 && v->data_column == 0);
    CHECK_STR(v->message, "Dr Ruth Oduya was replaced by a single-organisation role");
    CHECK_STR(v->remedy, "Make Dr Ruth Oduya's post joint.");
  }
  joinup_result_free(r);
  joinup_document_free(d);

  /* The builder goes on after finish: a variant of the same data. */
  CHECK_STATUS(joinup_builder_set_string(b, "partnership.leavers[0].replacement.scope", "joint", JOINUP_NUL_TERMINATED),
               JOINUP_OK);
  CHECK_STATUS(joinup_builder_finish(b, &d, NULL), JOINUP_OK);
  CHECK_STATUS(joinup_policy_evaluate(p, d, NULL, &r, NULL), JOINUP_OK);
  CHECK_STATUS(joinup_result_summary(r, &s), JOINUP_OK);
  CHECK(s && s->failed == 0 && s->passed == 2);
  joinup_result_free(r);
  joinup_document_free(d);
  joinup_builder_free(b);

  /* In order. */
  CHECK_STATUS(joinup_builder_new(NULL, NULL, &b), JOINUP_OK);
  CHECK_STATUS(joinup_builder_begin_map(b), JOINUP_OK);
  CHECK_STATUS(joinup_builder_int(b, 1), JOINUP_MISUSE); /* no key */
  CHECK_STATUS(joinup_builder_key(b, "partnership", JOINUP_NUL_TERMINATED), JOINUP_OK);
  CHECK_STATUS(joinup_builder_key(b, "other", JOINUP_NUL_TERMINATED), JOINUP_MISUSE); /* key after key */
  CHECK_STATUS(joinup_builder_begin_map(b), JOINUP_OK);
  CHECK_STATUS(joinup_builder_key(b, "name", 4), JOINUP_OK);
  CHECK_STATUS(joinup_builder_string(b, "In order", JOINUP_NUL_TERMINATED), JOINUP_OK);
  CHECK_STATUS(joinup_builder_key(b, "name", JOINUP_NUL_TERMINATED), JOINUP_INVALID_ARGUMENT); /* duplicate */
  CHECK_STATUS(joinup_builder_key(b, "\xC3", 1), JOINUP_INVALID_UTF8);
  CHECK_STATUS(joinup_builder_key(b, "leavers", JOINUP_NUL_TERMINATED), JOINUP_OK);
  CHECK_STATUS(joinup_builder_begin_list(b), JOINUP_OK);
  CHECK_STATUS(joinup_builder_begin_map(b), JOINUP_OK);
  CHECK_STATUS(joinup_builder_key(b, "name", JOINUP_NUL_TERMINATED), JOINUP_OK);
  CHECK_STATUS(joinup_builder_string(b, "Colin Marsh", JOINUP_NUL_TERMINATED), JOINUP_OK);
  CHECK_STATUS(joinup_builder_key(b, "seniority", JOINUP_NUL_TERMINATED), JOINUP_OK);
  CHECK_STATUS(joinup_builder_string(b, "senior", JOINUP_NUL_TERMINATED), JOINUP_OK);
  CHECK_STATUS(joinup_builder_key(b, "left", JOINUP_NUL_TERMINATED), JOINUP_OK);
  CHECK_STATUS(joinup_builder_date(b, "2025-12-31"), JOINUP_OK);
  CHECK_STATUS(joinup_builder_key(b, "fte", JOINUP_NUL_TERMINATED), JOINUP_OK);
  CHECK_STATUS(joinup_builder_number(b, 1.0), JOINUP_OK);
  CHECK_STATUS(joinup_builder_key(b, "interim", JOINUP_NUL_TERMINATED), JOINUP_OK);
  CHECK_STATUS(joinup_builder_bool(b, 1), JOINUP_OK);
  CHECK_STATUS(joinup_builder_key(b, "notes", JOINUP_NUL_TERMINATED), JOINUP_OK);
  CHECK_STATUS(joinup_builder_null(b), JOINUP_OK);
  CHECK_STATUS(joinup_builder_key(b, "replacement", JOINUP_NUL_TERMINATED), JOINUP_OK);
  CHECK_STATUS(joinup_builder_begin_map(b), JOINUP_OK);
  CHECK_STATUS(joinup_builder_end(b), JOINUP_OK);
  CHECK_STATUS(joinup_builder_end(b), JOINUP_OK); /* the leaver */
  /* Unfinished: finish refuses and says so. */
  CHECK_STATUS(joinup_builder_finish(b, &d, &e), JOINUP_MISUSE);
  CHECK_CONTAINS(joinup_error_message(e), "not ended");
  joinup_error_free(e);
  /* By path into a map still being built, but not replacing an open one. */
  CHECK_STATUS(joinup_builder_set_string(b, "partnership.leavers[0].replacement.scope", "single-organisation",
                                         JOINUP_NUL_TERMINATED),
               JOINUP_OK);
  CHECK_STATUS(joinup_builder_set_map(b, "partnership.leavers"), JOINUP_MISUSE);
  CHECK_STATUS(joinup_builder_set_map(b, ""), JOINUP_MISUSE);
  CHECK_STATUS(joinup_builder_end(b), JOINUP_OK); /* leavers */
  CHECK_STATUS(joinup_builder_end(b), JOINUP_OK); /* partnership */
  CHECK_STATUS(joinup_builder_key(b, "version", JOINUP_NUL_TERMINATED), JOINUP_OK);
  CHECK_STATUS(joinup_builder_end(b), JOINUP_MISUSE); /* a key waits for its value */
  CHECK_STATUS(joinup_builder_int(b, 2), JOINUP_OK);
  CHECK_STATUS(joinup_builder_end(b), JOINUP_OK);
  CHECK_STATUS(joinup_builder_int(b, 2), JOINUP_MISUSE); /* a second root */
  CHECK_STATUS(joinup_builder_finish(b, &d, &e), JOINUP_OK);
  CHECK_STATUS(joinup_policy_evaluate(p, d, NULL, &r, NULL), JOINUP_OK);
  CHECK_STATUS(joinup_result_violation(r, 0, &v), JOINUP_OK);
  CHECK(v && strcmp(v->message, "Colin Marsh was replaced by a single-organisation role") == 0);
  CHECK(v && strcmp(v->data_file, "<memory>") == 0);
  joinup_result_free(r);
  joinup_document_free(d);
  joinup_builder_free(b);

  /* Limits: depth and bytes. */
  joinup_load_options_init(&lo);
  lo.max_depth = 2;
  lo.max_bytes = 10;
  CHECK_STATUS(joinup_builder_new("limited", &lo, &b), JOINUP_OK);
  CHECK_STATUS(joinup_builder_set_int(b, "a.b", 1), JOINUP_OK);
  CHECK_STATUS(joinup_builder_set_int(b, "a.b.c", 1), JOINUP_TOO_DEEP);
  CHECK_STATUS(joinup_builder_set_int(b, "a.c.d", 1), JOINUP_TOO_DEEP);
  CHECK_STATUS(joinup_builder_set_map(b, "a.c"), JOINUP_TOO_DEEP);
  CHECK_STATUS(joinup_builder_set_string(b, "a.s", "more than ten bytes", JOINUP_NUL_TERMINATED), JOINUP_TOO_LARGE);
  CHECK_CONTAINS(joinup_builder_message(b), "limit");
  joinup_builder_free(b);
  CHECK_STATUS(joinup_builder_new("limited", &lo, &b), JOINUP_OK);
  CHECK_STATUS(joinup_builder_begin_list(b), JOINUP_OK);
  CHECK_STATUS(joinup_builder_begin_list(b), JOINUP_OK);
  CHECK_STATUS(joinup_builder_begin_list(b), JOINUP_TOO_DEEP);
  CHECK_STATUS(joinup_builder_string(b, "0123456789A", JOINUP_NUL_TERMINATED), JOINUP_TOO_LARGE);
  CHECK_STATUS(joinup_builder_string(b, "0123456789", JOINUP_NUL_TERMINATED), JOINUP_OK);
  joinup_builder_free(b); /* freed unfinished: no leak */
  lo.struct_size = 0;
  CHECK_STATUS(joinup_builder_new("x", &lo, &b), JOINUP_MISUSE);
  CHECK(b == NULL);
  CHECK_STATUS(joinup_builder_new("\xFF", NULL, &b), JOINUP_INVALID_UTF8);
  joinup_policy_free(p);
}

/* NULL everywhere, wrong kinds of handles, and freeing NULL: a status, never a crash. */
static void test_misuse(void) {
  joinup_policy *p = NULL;
  joinup_document *d = NULL;
  joinup_builder *b = NULL;
  joinup_result *r = NULL;
  joinup_error *e = NULL;
  const joinup_rule *rule = NULL;
  const joinup_summary *s = NULL;
  const joinup_violation *v = NULL;
  const joinup_rule_outcome *ro = NULL;
  const joinup_diagnostic *diag = NULL;
  const char *text = NULL;
  size_t n = 7;
  int fails = 0;

  joinup_policy_free(NULL);
  joinup_document_free(NULL);
  joinup_builder_free(NULL);
  joinup_result_free(NULL);
  joinup_error_free(NULL);
  joinup_compile_options_init(NULL);
  joinup_load_options_init(NULL);
  joinup_evaluate_options_init(NULL);

  CHECK_STATUS(joinup_policy_compile("t.jup", NULL, 0, NULL, &p, &e), JOINUP_MISUSE);
  CHECK_STATUS(joinup_error_status(e), JOINUP_MISUSE);
  CHECK_CONTAINS(joinup_error_message(e), "NULL");
  joinup_error_free(e);
  CHECK_STATUS(joinup_policy_compile("t.jup", "package t\n", JOINUP_NUL_TERMINATED, NULL, NULL, &e), JOINUP_MISUSE);
  joinup_error_free(e);
  CHECK_STATUS(joinup_policy_compile_texts(NULL, 1, NULL, &p, NULL), JOINUP_MISUSE);
  {
    joinup_rule_text t;
    t.origin = NULL;
    t.text = NULL;
    t.length = 0;
    CHECK_STATUS(joinup_policy_compile_texts(&t, 1, NULL, &p, NULL), JOINUP_MISUSE);
    t.text = "package x\n";
    t.length = JOINUP_NUL_TERMINATED;
    CHECK_STATUS(joinup_policy_compile_texts(&t, 1, NULL, &p, NULL), JOINUP_OK); /* origin NULL: "<memory>" */
    joinup_policy_free(p);
  }
  CHECK_STATUS(joinup_policy_load(NULL, 1, NULL, &p, NULL), JOINUP_MISUSE);
  {
    const char *paths[] = {NULL};
    CHECK_STATUS(joinup_policy_load(paths, 1, NULL, &p, NULL), JOINUP_MISUSE);
    CHECK(p == NULL);
  }
  CHECK_STATUS(joinup_policy_load_standard(NULL, NULL, NULL), JOINUP_MISUSE);
  CHECK_STATUS(joinup_policy_compile("t.jup", rules_text, JOINUP_NUL_TERMINATED, NULL, &p, NULL), JOINUP_OK);
  CHECK_STATUS(joinup_document_parse(NULL, 0, NULL, JOINUP_FORMAT_AUTO, NULL, &d, NULL), JOINUP_MISUSE);
  CHECK_STATUS(joinup_document_parse("1", 1, NULL, JOINUP_FORMAT_AUTO, NULL, NULL, NULL), JOINUP_MISUSE);
  CHECK_STATUS(joinup_document_load_file(NULL, JOINUP_FORMAT_AUTO, NULL, &d, NULL), JOINUP_MISUSE);
  CHECK_STATUS(joinup_document_parse("{}", 2, NULL, JOINUP_FORMAT_AUTO, NULL, &d, NULL), JOINUP_OK);
  CHECK_STATUS(joinup_builder_new(NULL, NULL, NULL), JOINUP_MISUSE);
  CHECK_STATUS(joinup_builder_new(NULL, NULL, &b), JOINUP_OK);

  /* NULL handles. */
  CHECK_STATUS(joinup_policy_rule_count(NULL, &n), JOINUP_MISUSE);
  CHECK(n == 0);
  CHECK_STATUS(joinup_policy_rule_count(p, NULL), JOINUP_MISUSE);
  CHECK_STATUS(joinup_policy_rule(NULL, 0, &rule), JOINUP_MISUSE);
  CHECK_STATUS(joinup_policy_rule(p, 0, NULL), JOINUP_MISUSE);
  CHECK_STATUS(joinup_policy_find_rule(p, NULL, &rule), JOINUP_MISUSE);
  CHECK_STATUS(joinup_policy_find_rule(NULL, "t.named", &rule), JOINUP_MISUSE);
  CHECK_STATUS(joinup_policy_evaluate(NULL, d, NULL, &r, &e), JOINUP_MISUSE);
  CHECK_CONTAINS(joinup_error_message(e), "policy");
  joinup_error_free(e);
  CHECK_STATUS(joinup_policy_evaluate(p, NULL, NULL, &r, NULL), JOINUP_MISUSE);
  CHECK_STATUS(joinup_policy_evaluate(p, d, NULL, NULL, NULL), JOINUP_MISUSE);
  CHECK_STATUS(joinup_result_summary(NULL, &s), JOINUP_MISUSE);
  CHECK_STATUS(joinup_result_violation_count(NULL, &n), JOINUP_MISUSE);
  CHECK_STATUS(joinup_result_violation(NULL, 0, &v), JOINUP_MISUSE);
  CHECK_STATUS(joinup_result_rule_count(NULL, &n), JOINUP_MISUSE);
  CHECK_STATUS(joinup_result_rule(NULL, 0, &ro), JOINUP_MISUSE);
  CHECK_STATUS(joinup_result_fails(NULL, JOINUP_SEVERITY_ERROR, &fails), JOINUP_MISUSE);
  CHECK_STATUS(joinup_result_as_of(NULL, &text), JOINUP_MISUSE);
  CHECK_STATUS(joinup_result_json(NULL, &text), JOINUP_MISUSE);
  CHECK_STATUS(joinup_result_text(NULL, &text), JOINUP_MISUSE);
  CHECK_STATUS(joinup_error_status(NULL), JOINUP_MISUSE);
  CHECK_STR(joinup_error_message(NULL), "");
  CHECK_STR(joinup_error_origin(NULL), "");
  CHECK_STR(joinup_error_text(NULL), "");
  CHECK(joinup_error_line(NULL) == 0 && joinup_error_column(NULL) == 0);
  CHECK_STATUS(joinup_error_diagnostic_count(NULL, &n), JOINUP_MISUSE);
  CHECK_STATUS(joinup_error_diagnostic(NULL, 0, &diag), JOINUP_MISUSE);
  CHECK_STR(joinup_builder_message(NULL), "");
  CHECK_STATUS(joinup_builder_set_int(NULL, "a", 1), JOINUP_MISUSE);
  CHECK_STATUS(joinup_builder_set_null(NULL, "a"), JOINUP_MISUSE);
  CHECK_STATUS(joinup_builder_begin_map(NULL), JOINUP_MISUSE);
  CHECK_STATUS(joinup_builder_begin_list(NULL), JOINUP_MISUSE);
  CHECK_STATUS(joinup_builder_end(NULL), JOINUP_MISUSE);
  CHECK_STATUS(joinup_builder_key(NULL, "k", 1), JOINUP_MISUSE);
  CHECK_STATUS(joinup_builder_key(b, NULL, 1), JOINUP_MISUSE);
  CHECK_STATUS(joinup_builder_string(NULL, "s", 1), JOINUP_MISUSE);
  CHECK_STATUS(joinup_builder_string(b, NULL, 1), JOINUP_MISUSE);
  CHECK_STATUS(joinup_builder_date(b, NULL), JOINUP_MISUSE);
  {
    joinup_document *none = (joinup_document *)1;
    CHECK_STATUS(joinup_builder_finish(NULL, &none, NULL), JOINUP_MISUSE);
    CHECK(none == NULL);
  }
  CHECK_STATUS(joinup_builder_finish(b, NULL, NULL), JOINUP_MISUSE);

  /* Handles of the wrong kind. */
  CHECK_STATUS(joinup_policy_rule_count((const joinup_policy *)d, &n), JOINUP_MISUSE);
  CHECK_STATUS(joinup_policy_evaluate((const joinup_policy *)d, d, NULL, &r, NULL), JOINUP_MISUSE);
  CHECK_STATUS(joinup_policy_evaluate(p, (const joinup_document *)p, NULL, &r, NULL), JOINUP_MISUSE);
  CHECK_STATUS(joinup_result_summary((const joinup_result *)p, &s), JOINUP_MISUSE);
  CHECK_STATUS(joinup_result_json((const joinup_result *)b, &text), JOINUP_MISUSE);
  CHECK_STATUS(joinup_error_status((const joinup_error *)p), JOINUP_MISUSE);
  CHECK_STR(joinup_error_message((const joinup_error *)d), "");
  CHECK_STATUS(joinup_builder_set_int((joinup_builder *)d, "a", 1), JOINUP_MISUSE);
  {
    joinup_document *none = (joinup_document *)1;
    CHECK_STATUS(joinup_builder_finish((joinup_builder *)p, &none, NULL), JOINUP_MISUSE);
    CHECK(none == NULL);
  }
  /* A free function given the wrong kind leaves the object alone. */
  joinup_document_free((joinup_document *)p);
  joinup_policy_free((joinup_policy *)d);
  joinup_result_free((joinup_result *)b);
  joinup_error_free((joinup_error *)p);
  joinup_builder_free((joinup_builder *)d);
  CHECK_STATUS(joinup_policy_rule_count(p, &n), JOINUP_OK);
  CHECK(n == 2);

  joinup_builder_free(b);
  joinup_document_free(d);
  joinup_policy_free(p);
}

/* Nothing is lost: a refused rule set leaves the policy compiled before it usable and unchanged,
 * and an evaluation that fails (here: its step budget used up at every possible point) leaves no
 * result at all, never a partial one that looks complete. */
static void test_nothing_lost(void) {
  static const char data[] =
      "partnership:\n"
      "  name: Northvale\n"
      "  leavers:\n"
      "    - {name: Ann, seniority: senior, replacement: {scope: single-organisation}}\n"
      "    - {name: Bea, seniority: senior, replacement: {scope: joint}}\n"
      "    - {name: Cal, seniority: senior, replacement: {scope: single-organisation}}\n";
  static const char *const refused[] = {
      "package t\nrule a \"A\" { require 1 == }\n",                   /* grammar */
      "package t\nrule a \"A\" { require nosuch.name == 1 }\n",       /* names */
      "package t\nrule a \"A\" { require ((((((((1)))))))) == 1 }\n", /* deeper than the options allow */
      "package t\nrule a \"A\" { require \"\xff\" == \"x\" }\n",      /* invalid UTF-8 */
      "package t\nrule a \"A\" { require 1 == 1 }\nrule a \"B\" { require 1 == 1 }\n", /* duplicate id */
  };
  joinup_policy *p = NULL, *other;
  joinup_document *d = NULL;
  joinup_result *r = NULL;
  joinup_error *e = NULL;
  joinup_compile_options co;
  joinup_evaluate_options o;
  const char *json = NULL;
  char *before;
  size_t i;
  uint64_t budget;
  int completed = 0, refused_budgets = 0;

  CHECK_STATUS(joinup_policy_compile("t.jup", rules_text, JOINUP_NUL_TERMINATED, NULL, &p, NULL), JOINUP_OK);
  CHECK_STATUS(joinup_document_parse(data, JOINUP_NUL_TERMINATED, "plan.yaml", JOINUP_FORMAT_YAML, NULL, &d, NULL),
               JOINUP_OK);
  if (!p || !d) return;
  joinup_evaluate_options_init(&o);
  o.as_of = "2026-01-01";
  CHECK_STATUS(joinup_policy_evaluate(p, d, &o, &r, NULL), JOINUP_OK);
  CHECK_STATUS(joinup_result_json(r, &json), JOINUP_OK);
  if (!json) json = "";
  before = (char *)malloc(strlen(json) + 1);
  if (!before) return;
  memcpy(before, json, strlen(json) + 1);
  CHECK_CONTAINS(before, "Ann was replaced");
  CHECK_CONTAINS(before, "Cal was replaced");
  joinup_result_free(r);

  joinup_compile_options_init(&co);
  co.max_expression_depth = 6;
  for (i = 0; i < sizeof refused / sizeof refused[0]; ++i) {
    other = (joinup_policy *)1;
    CHECK(joinup_policy_compile("bad.jup", refused[i], JOINUP_NUL_TERMINATED, &co, &other, &e) != JOINUP_OK);
    CHECK(other == NULL);
    CHECK(e != NULL && joinup_error_message(e)[0] != '\0');
    joinup_error_free(e);
    e = NULL;
    /* The policy compiled before is untouched: the same findings, byte for byte. */
    r = NULL;
    CHECK_STATUS(joinup_policy_evaluate(p, d, &o, &r, NULL), JOINUP_OK);
    CHECK_STATUS(joinup_result_json(r, &json), JOINUP_OK);
    CHECK(json && strcmp(json, before) == 0);
    joinup_result_free(r);
  }

  /* Every step budget either completes the whole evaluation or fails with no result. */
  for (budget = 1; budget <= 10000 && !completed; ++budget) {
    joinup_status s;
    o.max_steps = budget;
    r = (joinup_result *)&o; /* not NULL: a failure must clear it */
    s = joinup_policy_evaluate(p, d, &o, &r, &e);
    if (s == JOINUP_STEP_LIMIT) {
      ++refused_budgets;
      CHECK(r == NULL);
      CHECK_CONTAINS(joinup_error_message(e), "step budget");
      joinup_error_free(e);
      e = NULL;
      continue;
    }
    CHECK_STATUS(s, JOINUP_OK);
    CHECK_STATUS(joinup_result_json(r, &json), JOINUP_OK);
    CHECK(json && strcmp(json, before) == 0);
    joinup_result_free(r);
    completed = 1;
  }
  CHECK(completed);
  CHECK(refused_budgets > 5); /* the budget ran out at many points along the way */

  free(before);
  joinup_document_free(d);
  joinup_policy_free(p);
}

/* Every limit through the C ABI: accepted at the limit, refused one past it. */
static void nested(char *out, int depth) {
  int i;
  for (i = 0; i < depth; ++i) out[i] = '[';
  for (i = 0; i < depth; ++i) out[depth + i] = ']';
  out[2 * depth] = '\0';
}

static void test_limits(void) {
  joinup_compile_options co;
  joinup_load_options lo;
  joinup_evaluate_options eo;
  joinup_policy *p = NULL;
  joinup_document *d = NULL;
  joinup_result *r = NULL;
  joinup_error *e = NULL;
  joinup_builder *b = NULL;
  const joinup_violation *v = NULL;
  char text[400];
  char *deep;
  size_t count = 99;
  const char *rule = "uses d\nrule r { require d matches \"^[a-z]+$\" }";
  const char *data_rule = "uses d\nrule r { require d.s matches d.p }";
  const char *join_rule = "uses d\nrule r { require length(join(d.xs, \"-\")) > 0 }";

  /* A program built against a 0.1.0 header calls the functions themselves (not this header's
   * macros) with smaller structs: nothing past their fields is written. */
  memset(&co, 0xAB, sizeof co);
  (joinup_compile_options_init)(&co);
  CHECK(co.struct_size == offsetof(joinup_compile_options, max_regex_bytes));
  CHECK(co.max_expression_depth == 200 && co.max_regex_bytes == 0xABABABABABABABABull);
  memset(&lo, 0xAB, sizeof lo);
  (joinup_load_options_init)(&lo);
  CHECK(lo.struct_size == offsetof(joinup_load_options, max_string_bytes));
  CHECK(lo.max_bytes == 256u * 1024 * 1024 && lo.max_string_bytes == 0xABABABABABABABABull);
  memset(&eo, 0xAB, sizeof eo);
  (joinup_evaluate_options_init)(&eo);
  CHECK(eo.struct_size == offsetof(joinup_evaluate_options, max_regex_bytes));
  CHECK(eo.max_steps == 0 && eo.undetermined_fails == 1 && eo.max_regex_bytes == 0xABABABABABABABABull);
  memset(&eo, 0xAB, sizeof eo);
  joinup_evaluate_options_init_sized(&eo, offsetof(joinup_evaluate_options, max_string_bytes));
  CHECK(eo.struct_size == offsetof(joinup_evaluate_options, max_string_bytes));
  CHECK(eo.max_regex_bytes == 64 * 1024 && eo.max_string_bytes == 0xABABABABABABABABull);

  /* Defaults of the new fields. */
  joinup_compile_options_init(&co);
  joinup_load_options_init(&lo);
  joinup_evaluate_options_init(&eo);
  CHECK(co.max_regex_bytes == 64 * 1024);
  CHECK(lo.max_string_bytes == 16u * 1024 * 1024);
  CHECK(eo.max_regex_bytes == 64 * 1024 && eo.max_string_bytes == 16u * 1024 * 1024);

  /* Rule text size and expression nesting. */
  co.max_file_bytes = strlen(rule);
  CHECK_STATUS(joinup_policy_compile("r.jup", rule, JOINUP_NUL_TERMINATED, &co, &p, NULL), JOINUP_OK);
  joinup_policy_free(p);
  co.max_file_bytes = strlen(rule) - 1;
  CHECK_STATUS(joinup_policy_compile("r.jup", rule, JOINUP_NUL_TERMINATED, &co, &p, &e), JOINUP_TOO_LARGE);
  CHECK_CONTAINS(joinup_error_message(e), "more than the limit of");
  joinup_error_free(e);
  joinup_compile_options_init(&co);
  co.max_expression_depth = 10;
  snprintf(text, sizeof text, "rule r { require ((((((((((true)))))))))) }");
  CHECK_STATUS(joinup_policy_compile("r.jup", text, JOINUP_NUL_TERMINATED, &co, &p, NULL), JOINUP_OK);
  joinup_policy_free(p);
  snprintf(text, sizeof text, "rule r { require (((((((((((true))))))))))) }");
  CHECK_STATUS(joinup_policy_compile("r.jup", text, JOINUP_NUL_TERMINATED, &co, &p, &e), JOINUP_TOO_DEEP);
  joinup_error_free(e);

  /* A pattern written in a rule: "^[a-z]+$" is 8 bytes. */
  joinup_compile_options_init(&co);
  co.max_regex_bytes = 8;
  CHECK_STATUS(joinup_policy_compile("r.jup", rule, JOINUP_NUL_TERMINATED, &co, &p, NULL), JOINUP_OK);
  joinup_policy_free(p);
  co.max_regex_bytes = 7;
  CHECK_STATUS(joinup_policy_compile("r.jup", rule, JOINUP_NUL_TERMINATED, &co, &p, &e), JOINUP_TOO_LARGE);
  CHECK_STR(joinup_error_message(e), "a regular expression of 8 bytes is longer than the limit of 7 bytes");
  CHECK(joinup_error_line(e) == 2 && joinup_error_column(e) == 28);
  joinup_error_free(e);
  /* A caller built against an older header (no max_regex_bytes) gets the default. */
  co.struct_size = offsetof(joinup_compile_options, max_regex_bytes);
  CHECK_STATUS(joinup_policy_compile("r.jup", rule, JOINUP_NUL_TERMINATED, &co, &p, NULL), JOINUP_OK);
  joinup_policy_free(p);

  /* Data: nesting (a 100,000-deep text too), size, and the length of one string. */
  joinup_load_options_init(&lo);
  lo.max_depth = 5;
  nested(text, 5);
  CHECK_STATUS(joinup_document_parse(text, strlen(text), "d.json", JOINUP_FORMAT_AUTO, &lo, &d, NULL), JOINUP_OK);
  joinup_document_free(d);
  nested(text, 6);
  CHECK_STATUS(joinup_document_parse(text, strlen(text), "d.json", JOINUP_FORMAT_AUTO, &lo, &d, &e), JOINUP_TOO_DEEP);
  CHECK(joinup_error_line(e) == 1 && joinup_error_column(e) == 6);
  joinup_error_free(e);
  deep = (char *)malloc(200001);
  if (deep) {
    nested(deep, 100000);
    CHECK_STATUS(joinup_document_parse(deep, strlen(deep), "deep.json", JOINUP_FORMAT_AUTO, NULL, &d, &e),
                 JOINUP_TOO_DEEP);
    joinup_error_free(e);
    CHECK_STATUS(joinup_document_parse(deep, 100000, "deep.yaml", JOINUP_FORMAT_AUTO, NULL, &d, &e), JOINUP_TOO_DEEP);
    joinup_error_free(e);
    free(deep);
  }
  joinup_load_options_init(&lo);
  snprintf(text, sizeof text, "{\"a\": \"0123456789\"}");
  lo.max_bytes = strlen(text);
  lo.max_string_bytes = 10;
  CHECK_STATUS(joinup_document_parse(text, strlen(text), "d.json", JOINUP_FORMAT_AUTO, &lo, &d, NULL), JOINUP_OK);
  joinup_document_free(d);
  lo.max_string_bytes = 9;
  CHECK_STATUS(joinup_document_parse(text, strlen(text), "d.json", JOINUP_FORMAT_AUTO, &lo, &d, &e), JOINUP_TOO_LARGE);
  CHECK_STR(joinup_error_message(e), "a string of 10 bytes is longer than the limit of 9 bytes");
  CHECK(joinup_error_line(e) == 1 && joinup_error_column(e) == 7);
  joinup_error_free(e);
  lo.max_string_bytes = 10;
  lo.max_bytes = strlen(text) - 1;
  CHECK_STATUS(joinup_document_parse(text, strlen(text), "d.json", JOINUP_FORMAT_AUTO, &lo, &d, &e), JOINUP_TOO_LARGE);
  joinup_error_free(e);

  /* Builders: one string or key past max_string_bytes is refused, and the builder stays usable. */
  joinup_load_options_init(&lo);
  lo.max_string_bytes = 4;
  CHECK_STATUS(joinup_builder_new("built", &lo, &b), JOINUP_OK);
  CHECK_STATUS(joinup_builder_set_string(b, "d.name", "abcd", JOINUP_NUL_TERMINATED), JOINUP_OK);
  CHECK_STATUS(joinup_builder_set_string(b, "d.other", "abcde", JOINUP_NUL_TERMINATED), JOINUP_TOO_LARGE);
  CHECK_STATUS(joinup_builder_set_string(b, "d.toolong", "x", JOINUP_NUL_TERMINATED), JOINUP_TOO_LARGE);
  CHECK_STATUS(joinup_builder_finish(b, &d, NULL), JOINUP_OK);
  joinup_document_free(d);
  joinup_builder_free(b);

  /* A pattern read from data (9 bytes), and a string join() builds ("abcd-efgh", 9 bytes): past
   * the limit, an undetermined finding. */
  CHECK_STATUS(joinup_policy_compile("r.jup", data_rule, JOINUP_NUL_TERMINATED, NULL, &p, NULL), JOINUP_OK);
  snprintf(text, sizeof text, "{\"d\": {\"s\": \"abc\", \"p\": \"^[a-z]+$.\"}}");
  CHECK_STATUS(joinup_document_parse(text, strlen(text), "d.json", JOINUP_FORMAT_AUTO, NULL, &d, NULL), JOINUP_OK);
  joinup_evaluate_options_init(&eo);
  eo.as_of = "2026-01-01";
  eo.max_regex_bytes = 9;
  CHECK_STATUS(joinup_policy_evaluate(p, d, &eo, &r, NULL), JOINUP_OK);
  CHECK_STATUS(joinup_result_violation(r, 0, &v), JOINUP_OK);
  if (v) CHECK(v->outcome == JOINUP_OUTCOME_FAIL); /* "abc" does not match "^[a-z]+$." */
  joinup_result_free(r);
  eo.max_regex_bytes = 8;
  CHECK_STATUS(joinup_policy_evaluate(p, d, &eo, &r, NULL), JOINUP_OK);
  CHECK_STATUS(joinup_result_violation(r, 0, &v), JOINUP_OK);
  if (v) {
    CHECK(v->outcome == JOINUP_OUTCOME_UNDETERMINED);
    CHECK_STR(v->message,
              "a regular expression of 9 bytes is longer than the limit of 8 bytes "
              "(evaluate_options::max_regex_bytes): \"^[a-z]+$.\"");
  }
  joinup_result_free(r);
  joinup_document_free(d);
  joinup_policy_free(p);

  CHECK_STATUS(joinup_policy_compile("r.jup", join_rule, JOINUP_NUL_TERMINATED, NULL, &p, NULL), JOINUP_OK);
  snprintf(text, sizeof text, "{\"d\": {\"xs\": [\"abcd\", \"efgh\"]}}");
  CHECK_STATUS(joinup_document_parse(text, strlen(text), "d.json", JOINUP_FORMAT_AUTO, NULL, &d, NULL), JOINUP_OK);
  joinup_evaluate_options_init(&eo);
  eo.as_of = "2026-01-01";
  eo.max_string_bytes = 9;
  CHECK_STATUS(joinup_policy_evaluate(p, d, &eo, &r, NULL), JOINUP_OK);
  CHECK_STATUS(joinup_result_violation_count(r, &count), JOINUP_OK);
  CHECK(count == 0);
  joinup_result_free(r);
  eo.max_string_bytes = 8;
  CHECK_STATUS(joinup_policy_evaluate(p, d, &eo, &r, NULL), JOINUP_OK);
  CHECK_STATUS(joinup_result_violation(r, 0, &v), JOINUP_OK);
  if (v) {
    CHECK(v->outcome == JOINUP_OUTCOME_UNDETERMINED);
    CHECK_CONTAINS(v->message, "limit of 8 bytes");
  }
  joinup_result_free(r);
  /* An older caller's struct without the new fields: the defaults apply. */
  eo.struct_size = offsetof(joinup_evaluate_options, max_regex_bytes);
  CHECK_STATUS(joinup_policy_evaluate(p, d, &eo, &r, NULL), JOINUP_OK);
  count = 99;
  CHECK_STATUS(joinup_result_violation_count(r, &count), JOINUP_OK);
  CHECK(count == 0);
  joinup_result_free(r);
  joinup_document_free(d);
  joinup_policy_free(p);
}

/* Waivers (from text and from a file) and every report format, against the quickstart. */
static void test_waivers_and_reports(void) {
  static const char waivers_text[] =
      "waivers:\n"
      "  - rule: quickstart.senior-leaver-replacement\n"
      "    subject: \"partnership.leavers[0]\"\n"
      "    reason: \"Interim cover while the joint post is advertised\"\n"
      "    approved_by: \"Joint Committee, 2026-10-02\"\n"
      "    expires: 2027-03-31\n"
      "  - rule: quickstart.team-size\n"
      "    reason: \"The hub is being split\"\n"
      "    expires: 2026-01-31\n"
      "  - rule: quickstart.no-such-rule\n"
      "    reason: unused\n";
  joinup_policy *p = NULL;
  joinup_document *d = NULL;
  joinup_waivers *w = NULL, *from_file = NULL;
  joinup_result *r = NULL, *plain = NULL, *bad = NULL;
  joinup_error *e = NULL;
  joinup_evaluate_options o;
  const joinup_summary *s = NULL;
  const joinup_violation *v = NULL;
  const joinup_waiver_outcome *wo = NULL;
  const char *name = NULL, *report = NULL, *again = NULL, *json = NULL;
  const char *paths[1];
  char rules[4096];
  size_t n = 0, i;
  int fails = -1;
  snprintf(rules, sizeof rules, "%s", source_path("examples/quickstart/rules.jup"));
  paths[0] = rules;
  CHECK_STATUS(joinup_policy_load(paths, 1, NULL, &p, NULL), JOINUP_OK);
  CHECK_STATUS(joinup_document_load_file(source_path("examples/quickstart/partnership.yaml"), JOINUP_FORMAT_AUTO, NULL,
                                         &d, NULL),
               JOINUP_OK);

  /* The formats, in the order of joinup check --format. */
  {
    static const char *const expected[] = {"text", "json", "sarif", "junit", "github", "html"};
    for (i = 0; i < 6; ++i) {
      CHECK_STATUS(joinup_report_format(i, &name), JOINUP_OK);
      CHECK_STR(name, expected[i]);
    }
    for (n = 6; joinup_report_format(n, &name) == JOINUP_OK; ++n) CHECK(name != NULL && name[0] != '\0');
    CHECK_STATUS(joinup_report_format(n, &name), JOINUP_INVALID_ARGUMENT);
    CHECK(name == NULL);
    CHECK_STATUS(joinup_report_format(0, NULL), JOINUP_MISUSE);
  }

  CHECK_STATUS(joinup_waivers_parse(waivers_text, JOINUP_NUL_TERMINATED, "waivers.yaml", &w, &e), JOINUP_OK);
  CHECK(e == NULL);
  CHECK_STATUS(joinup_waivers_count(w, &n), JOINUP_OK);
  CHECK(n == 3);
  joinup_evaluate_options_init(&o);
  CHECK(o.waivers == NULL);
  o.as_of = "2026-11-21";
  CHECK_STATUS(joinup_policy_evaluate(p, d, &o, &plain, NULL), JOINUP_OK);
  o.waivers = w;
  CHECK_STATUS(joinup_policy_evaluate(p, d, &o, &r, &e), JOINUP_OK);
  joinup_waivers_free(w); /* the result keeps a copy */
  CHECK_STATUS(joinup_result_summary(r, &s), JOINUP_OK);
  if (s) CHECK(s->rules == 5 && s->failed == 2 && s->waived == 1 && s->waived_findings == 1 && s->findings == 3);
  CHECK_STATUS(joinup_result_violation(r, 0, &v), JOINUP_OK);
  if (v) {
    CHECK_STR(v->rule_id, "quickstart.senior-leaver-replacement");
    CHECK(v->waived == 1);
    CHECK_STR(v->waiver_reason, "Interim cover while the joint post is advertised");
  }
  CHECK_STATUS(joinup_result_violation(r, 1, &v), JOINUP_OK);
  if (v) {
    CHECK(v->waived == 0); /* its waiver has expired */
    CHECK_STR(v->waiver_reason, "The hub is being split");
  }
  CHECK_STATUS(joinup_result_violation(plain, 0, &v), JOINUP_OK);
  if (v) CHECK(v->waived == 0 && v->waiver_reason[0] == '\0');
  CHECK_STATUS(joinup_result_fails(r, JOINUP_SEVERITY_ERROR, &fails), JOINUP_OK);
  CHECK(fails == 0); /* the one error is waived */
  CHECK_STATUS(joinup_result_fails(plain, JOINUP_SEVERITY_ERROR, &fails), JOINUP_OK);
  CHECK(fails == 1);
  CHECK_STATUS(joinup_result_fails(r, JOINUP_SEVERITY_WARNING, &fails), JOINUP_OK);
  CHECK(fails == 1);

  CHECK_STATUS(joinup_result_waiver_count(r, &n), JOINUP_OK);
  CHECK(n == 3);
  CHECK_STATUS(joinup_result_waiver_count(plain, &n), JOINUP_OK);
  CHECK(n == 0);
  CHECK_STATUS(joinup_result_waiver(r, 0, &wo), JOINUP_OK);
  if (wo) {
    CHECK(wo->state == JOINUP_WAIVER_USED && wo->matched == 1 && wo->line == 2 && wo->column == 5);
    CHECK_STR(wo->subject, "partnership.leavers[0]");
    CHECK_STR(wo->approved_by, "Joint Committee, 2026-10-02");
    CHECK_STR(wo->expires, "2027-03-31");
    CHECK_STR(wo->origin, "waivers.yaml");
    CHECK_STR(wo->note, "");
  }
  CHECK_STATUS(joinup_result_waiver(r, 1, &wo), JOINUP_OK);
  if (wo) CHECK(wo->state == JOINUP_WAIVER_EXPIRED && wo->matched == 1 && wo->note[0] != '\0');
  CHECK_STATUS(joinup_result_waiver(r, 2, &wo), JOINUP_OK);
  if (wo) {
    CHECK(wo->state == JOINUP_WAIVER_UNUSED && wo->matched == 0);
    CHECK_STR(wo->subject, "");
    CHECK_STR(wo->expires, "");
  }
  CHECK_STATUS(joinup_result_waiver(r, 3, &wo), JOINUP_INVALID_ARGUMENT);
  CHECK(wo == NULL);

  /* Each format: made once; json and text are two of them; the waivers show in them. */
  for (i = 0; joinup_report_format(i, &name) == JOINUP_OK; ++i) {
    CHECK_STATUS(joinup_result_report(r, name, &report), JOINUP_OK);
    CHECK(report != NULL && report[0] != '\0');
    CHECK_STATUS(joinup_result_report(r, name, &again), JOINUP_OK);
    CHECK(again == report);
  }
  CHECK_STATUS(joinup_result_report(r, "json", &report), JOINUP_OK);
  CHECK_STATUS(joinup_result_json(r, &json), JOINUP_OK);
  CHECK(json == report);
  CHECK_CONTAINS(json, "\"waived\": true");
  CHECK_STATUS(joinup_result_report(r, "sarif", &report), JOINUP_OK);
  CHECK_CONTAINS(report, "\"suppressions\"");
  CHECK_STATUS(joinup_result_report(r, "text", &report), JOINUP_OK);
  CHECK_CONTAINS(report, "waived by waivers.yaml:2:5");
  CHECK_STATUS(joinup_result_report(r, "junit", &report), JOINUP_OK);
  CHECK_CONTAINS(report, "<testsuites");
  CHECK_STATUS(joinup_result_report(r, "html", &report), JOINUP_OK);
  CHECK_CONTAINS(report, "<!DOCTYPE html>");
  CHECK_STATUS(joinup_result_report(r, "github", &report), JOINUP_OK);
  CHECK_CONTAINS(report, "::");
  CHECK_STATUS(joinup_result_report(r, "yaml", &report), JOINUP_INVALID_ARGUMENT);
  CHECK(report == NULL);
  CHECK_STATUS(joinup_result_report(r, NULL, &report), JOINUP_MISUSE);
  CHECK_STATUS(joinup_result_report(r, "json", NULL), JOINUP_MISUSE);
  CHECK_STATUS(joinup_result_report(NULL, "json", &report), JOINUP_MISUSE);

  /* From a file; errors with their line and column; misuse. */
  CHECK_STATUS(joinup_waivers_load_file(source_path("examples/partnerships/northvale-waivers.yaml"), &from_file, NULL),
               JOINUP_OK);
  CHECK_STATUS(joinup_waivers_count(from_file, &n), JOINUP_OK);
  CHECK(n >= 1);
  joinup_waivers_free(from_file);
  CHECK_STATUS(joinup_waivers_load_file("/nonexistent/waivers.yaml", &w, &e), JOINUP_NOT_FOUND);
  CHECK(w == NULL && e != NULL);
  joinup_error_free(e);
  e = NULL;
  CHECK_STATUS(
      joinup_waivers_parse("waivers:\n  - rule: a.b\n    reasn: typo\n", JOINUP_NUL_TERMINATED, "w.yaml", &w, &e),
      JOINUP_DATA_ERROR);
  CHECK(w == NULL);
  CHECK(joinup_error_line(e) == 3);
  CHECK_STR(joinup_error_origin(e), "w.yaml");
  joinup_error_free(e);
  e = NULL;
  CHECK_STATUS(joinup_waivers_parse("waivers: [\"\xff\"]", JOINUP_NUL_TERMINATED, "w.yaml", &w, NULL),
               JOINUP_INVALID_UTF8);
  CHECK_STATUS(joinup_waivers_parse(NULL, 0, "w.yaml", &w, NULL), JOINUP_MISUSE);
  CHECK_STATUS(joinup_waivers_parse("waivers: []", JOINUP_NUL_TERMINATED, NULL, NULL, NULL), JOINUP_MISUSE);
  CHECK_STATUS(joinup_waivers_load_file(NULL, &w, NULL), JOINUP_MISUSE);
  CHECK_STATUS(joinup_waivers_count(NULL, &n), JOINUP_MISUSE);
  CHECK_STATUS(joinup_waivers_count((const joinup_waivers *)p, &n), JOINUP_MISUSE);
  o.waivers = (const joinup_waivers *)d; /* a document is not waivers */
  CHECK_STATUS(joinup_policy_evaluate(p, d, &o, &bad, NULL), JOINUP_MISUSE);
  CHECK(bad == NULL);
  CHECK_STATUS(joinup_result_waiver_count(NULL, &n), JOINUP_MISUSE);
  CHECK_STATUS(joinup_result_waiver(plain, 0, NULL), JOINUP_MISUSE);
  joinup_waivers_free(NULL);

  joinup_result_free(r);
  joinup_result_free(plain);
  joinup_document_free(d);
  joinup_policy_free(p);
}

/* The memory budget (max_memory_bytes, appended to the options), and what the library gives out
 * stays UTF-8 when a path or as_of it is given is not. */
static void test_budgets_and_utf8_out(void) {
  joinup_policy *p = NULL;
  joinup_document *d = NULL;
  joinup_result *r = NULL;
  joinup_error *e = NULL;
  joinup_evaluate_options o;
  const char *rules =
      "uses d\nrule flat {\n  let xs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]\n"
      "  let l2 = flatten([xs for a in xs])\n  let l4 = flatten([l2 for a in l2])\n"
      "  require count(l4) == 10000 + d.x - 1\n}\n";
  const char *bad_path[] = {"rules/caf\xE9.jup"};
  CHECK_STATUS(joinup_policy_compile("f.jup", rules, JOINUP_NUL_TERMINATED, NULL, &p, NULL), JOINUP_OK);
  CHECK_STATUS(joinup_document_parse("d: {x: 1}", 9, "d.yaml", JOINUP_FORMAT_AUTO, NULL, &d, NULL), JOINUP_OK);

  joinup_evaluate_options_init(&o);
  CHECK(o.struct_size >= offsetof(joinup_evaluate_options, max_memory_bytes) + sizeof o.max_memory_bytes);
  CHECK(o.max_memory_bytes == 256u * 1024 * 1024);
  o.as_of = "2026-11-21";
  CHECK_STATUS(joinup_policy_evaluate(p, d, &o, &r, NULL), JOINUP_OK);
  joinup_result_free(r);
  r = NULL;
  o.max_memory_bytes = 64 * 1024;
  CHECK_STATUS(joinup_policy_evaluate(p, d, &o, &r, &e), JOINUP_MEMORY_LIMIT);
  CHECK(r == NULL);
  CHECK_CONTAINS(joinup_error_message(e), "the memory budget of 65536 bytes (max_memory_bytes) was used up");
  joinup_error_free(e);
  /* A caller built before the field existed gets the default budget. */
  o.struct_size = offsetof(joinup_evaluate_options, max_memory_bytes);
  CHECK_STATUS(joinup_policy_evaluate(p, d, &o, &r, NULL), JOINUP_OK);
  joinup_result_free(r);
  r = NULL;
  o.struct_size = sizeof o;
  o.max_memory_bytes = 0; /* unlimited */
  CHECK_STATUS(joinup_policy_evaluate(p, d, &o, &r, NULL), JOINUP_OK);
  joinup_result_free(r);
  r = NULL;

  /* Non-UTF-8 as_of: the message escapes the byte. */
  o.as_of = "2026-\xE9";
  CHECK_STATUS(joinup_policy_evaluate(p, d, &o, &r, &e), JOINUP_INVALID_ARGUMENT);
  CHECK_CONTAINS(joinup_error_message(e), "invalid as-of date '2026-\\xE9'");
  joinup_error_free(e);
  joinup_policy_free(p);
  joinup_document_free(d);

  /* Non-UTF-8 paths are refused, saying which byte and where. */
  CHECK_STATUS(joinup_document_load_file("data/caf\xE9.yaml", JOINUP_FORMAT_AUTO, NULL, &d, &e), JOINUP_INVALID_UTF8);
  CHECK(d == NULL);
  CHECK_CONTAINS(joinup_error_message(e), "the path is not valid UTF-8: byte 0xE9 at byte offset 8");
  joinup_error_free(e);
  CHECK_STATUS(joinup_policy_load(bad_path, 1, NULL, &p, &e), JOINUP_INVALID_UTF8);
  CHECK(p == NULL);
  CHECK_CONTAINS(joinup_error_message(e), "path 0 is not valid UTF-8: byte 0xE9 at byte offset 9");
  joinup_error_free(e);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: test_capi SOURCE_DIR\n");
    return 2;
  }
  source_dir = argv[1];
  test_version();
  test_status_text();
  test_policy();
  test_rule_errors();
  test_load();
  test_load_notes();
  test_documents();
  test_evaluate_quickstart();
  test_undetermined();
  test_builder();
  test_misuse();
  test_nothing_lost();
  test_limits();
  test_waivers_and_reports();
  test_budgets_and_utf8_out();
  test_definitions();
  return check_report("test_capi");
}
