/* The HR vacancy check: before a post is advertised, an HR system checks the leaver and the
 * proposed replacement post against the standard pack's workforce and leadership rules.
 *
 * The HR system holds its data in memory, so the example builds the document with the builder
 * API (values set by path) rather than writing YAML. It checks two proposals for the same
 * vacancy: the first is refused with the rule's explanation and remedy, the second is cleared.
 *
 * Build: cc -std=c99 vacancy.c $(pkg-config --cflags --libs joinup)
 * Run:   ./a.out          (exit code 0: the last proposal was cleared) */
#include <stdio.h>

#include "joinup.h"

/* The data an HR system would have about the vacancy and the senior people in post. */
struct person {
  const char *name, *title, *organisation;
  int drives_change;
};

static const struct person people_in_post[] = {
    {"Sam Adeyemi", "Chief Executive", "brackenford-council", 1},
    {"Dr Meera Shah", "Chief Executive", "brackenford-hospital", 0},
    {"Tony Walsh", "Chief Executive", "riverside-homes", 0},
};

struct proposal {
  const char *title, *scope;
};

static const char *const checked_rules[] = {
    "integration.workforce.senior-leaver-replacement",
    "integration.leadership.senior-turnover-within-expected-range",
    "integration.leadership.succession-for-change-leaders",
};

static const char *severity_name(joinup_severity s) {
  return s == JOINUP_SEVERITY_ERROR ? "error" : s == JOINUP_SEVERITY_WARNING ? "warning" : "info";
}

/* Fails the example with the library's message. */
static int report_error(const char *what, joinup_status status, joinup_error *error) {
  fprintf(stderr, "vacancy: %s: %s\n%s", what, joinup_status_text(status), joinup_error_text(error));
  joinup_error_free(error);
  return 0;
}

/* The path of a field of the i-th person in post: partnership.people[i].field */
static const char *at(char path[96], size_t i, const char *field) {
  snprintf(path, 96, "partnership.people[%u].%s", (unsigned)i, field);
  return path;
}

/* The partnership as the HR system sees it, with the leaver's post proposed as `p`. */
static joinup_document *describe(const struct proposal *p) {
  joinup_builder *b = NULL;
  joinup_document *doc = NULL;
  joinup_error *error = NULL;
  joinup_status s;
  char path[96];
  size_t i;

  if (joinup_builder_new("hr:vacancy/DIR-0042", NULL, &b) != JOINUP_OK) return NULL;
  s = joinup_builder_set_string(b, "partnership.name", "Brackenford Together", JOINUP_NUL_TERMINATED);
  for (i = 0; s == JOINUP_OK && i < sizeof people_in_post / sizeof people_in_post[0]; ++i) {
    const struct person *who = &people_in_post[i];
    s = joinup_builder_set_string(b, at(path, i, "name"), who->name, JOINUP_NUL_TERMINATED);
    if (s == JOINUP_OK) s = joinup_builder_set_string(b, at(path, i, "title"), who->title, JOINUP_NUL_TERMINATED);
    if (s == JOINUP_OK)
      s = joinup_builder_set_string(b, at(path, i, "organisation"), who->organisation, JOINUP_NUL_TERMINATED);
    if (s == JOINUP_OK) s = joinup_builder_set_string(b, at(path, i, "seniority"), "senior", JOINUP_NUL_TERMINATED);
    if (s == JOINUP_OK) s = joinup_builder_set_bool(b, at(path, i, "drives_change"), who->drives_change);
    if (s == JOINUP_OK && who->drives_change)
      s = joinup_builder_set_string(b, at(path, i, "succession_plan.status"), "agreed", JOINUP_NUL_TERMINATED);
  }
  /* The leaver, and the post as it would be advertised. */
  if (s == JOINUP_OK)
    s = joinup_builder_set_string(b, "partnership.leavers[0].name", "Dr Ruth Oduya", JOINUP_NUL_TERMINATED);
  if (s == JOINUP_OK)
    s = joinup_builder_set_string(b, "partnership.leavers[0].title", "Director of Integrated Care",
                                  JOINUP_NUL_TERMINATED);
  if (s == JOINUP_OK)
    s = joinup_builder_set_string(b, "partnership.leavers[0].seniority", "senior", JOINUP_NUL_TERMINATED);
  if (s == JOINUP_OK) s = joinup_builder_set_date(b, "partnership.leavers[0].left", "2026-06-30");
  if (s == JOINUP_OK)
    s = joinup_builder_set_string(b, "partnership.leavers[0].replacement.title", p->title, JOINUP_NUL_TERMINATED);
  if (s == JOINUP_OK)
    s = joinup_builder_set_string(b, "partnership.leavers[0].replacement.scope", p->scope, JOINUP_NUL_TERMINATED);
  if (s == JOINUP_OK)
    s = joinup_builder_set_string(b, "partnership.leavers[0].replacement.status", "recruiting", JOINUP_NUL_TERMINATED);
  if (s != JOINUP_OK) {
    fprintf(stderr, "vacancy: %s: %s\n", joinup_status_text(s), joinup_builder_message(b));
  } else if ((s = joinup_builder_finish(b, &doc, &error)) != JOINUP_OK) {
    report_error("building the document", s, error);
  }
  joinup_builder_free(b);
  return doc;
}

/* Checks one proposal; returns 1 when it may be advertised, 0 when it may not, -1 on error. */
static int check(const joinup_policy *policy, const struct proposal *p) {
  joinup_document *doc = describe(p);
  joinup_result *result = NULL;
  joinup_error *error = NULL;
  joinup_evaluate_options options;
  const joinup_summary *summary = NULL;
  size_t count = 0, i, k;
  int fails = 0;
  joinup_status s;

  if (!doc) return -1;
  joinup_evaluate_options_init(&options);
  options.as_of = "2026-05-01";
  options.only = checked_rules;
  options.only_count = sizeof checked_rules / sizeof checked_rules[0];
  s = joinup_policy_evaluate(policy, doc, &options, &result, &error);
  joinup_document_free(doc);
  if (s != JOINUP_OK) return report_error("evaluating", s, error), -1;

  joinup_result_summary(result, &summary);
  joinup_result_violation_count(result, &count);
  joinup_result_fails(result, JOINUP_SEVERITY_ERROR, &fails);
  printf("Proposal: %s (%s)\n", p->title, p->scope);
  printf("  %u rules checked: %u passed, %u failed, %u undetermined, %u not applicable\n", summary->rules,
         summary->passed, summary->failed, summary->undetermined, summary->not_applicable);
  for (i = 0; i < count; ++i) {
    const joinup_violation *v = NULL;
    joinup_result_violation(result, i, &v);
    printf("  %s: %s (%s)\n", v->outcome == JOINUP_OUTCOME_UNDETERMINED ? "undetermined" : severity_name(v->severity),
           v->rule_id, v->subject);
    printf("    %s\n", v->message);
    printf("    rule: %s\n", v->require_text);
    for (k = 0; k < v->explanation_count; ++k)
      printf("      %s = %s\n", v->explanation[k].expression, v->explanation[k].value);
    if (v->remedy[0]) printf("    remedy: %s\n", v->remedy);
  }
  printf("  => %s\n\n", fails ? "do not advertise: redesign the post first" : "cleared to advertise");
  joinup_result_free(result);
  return !fails;
}

int main(void) {
  static const struct proposal proposals[] = {
      {"Hospital Director of Operations", "single-organisation"},
      {"Joint Director of Integrated Care", "joint"},
  };
  joinup_policy *policy = NULL;
  joinup_error *error = NULL;
  joinup_status s;
  int cleared = -1;
  size_t i;

  /* Compile the standard rule pack once; a real HR system keeps it for its lifetime. */
  s = joinup_policy_load_standard(NULL, &policy, &error);
  if (s != JOINUP_OK) return report_error("loading the standard rule pack", s, error), 2;
  for (i = 0; i < sizeof proposals / sizeof proposals[0]; ++i)
    if ((cleared = check(policy, &proposals[i])) < 0) break;
  joinup_policy_free(policy);
  return cleared == 1 ? 0 : cleared == 0 ? 1 : 2;
}
