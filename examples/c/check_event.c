/* The smallest useful host: check one JSON event against a rule file and print each finding as
 * `file:line:col: severity: rule-id: message`. Exit code 0 when nothing at error severity
 * fails, 1 when something does, 2 when the check could not run.
 *
 * Build: cc -std=c99 check_event.c $(pkg-config --cflags --libs joinup)
 * Run:   ./a.out RULES.jup EVENT.json */
#include <stdio.h>

#include "joinup.h"

static const char *severity_name(joinup_severity s) {
  return s == JOINUP_SEVERITY_ERROR ? "error" : s == JOINUP_SEVERITY_WARNING ? "warning" : "info";
}

int main(int argc, char **argv) {
  joinup_policy *policy = NULL;
  joinup_document *event = NULL;
  joinup_result *result = NULL;
  joinup_error *error = NULL;
  joinup_status s;
  size_t count = 0, i;
  int fails = 0;

  if (argc != 3) {
    fprintf(stderr, "usage: check_event RULES.jup EVENT.json\n");
    return 2;
  }
  s = joinup_policy_load((const char *const *)&argv[1], 1, NULL, &policy, &error);
  if (s == JOINUP_OK) s = joinup_document_load_file(argv[2], JOINUP_FORMAT_JSON, NULL, &event, &error);
  if (s == JOINUP_OK) s = joinup_policy_evaluate(policy, event, NULL, &result, &error);
  if (s != JOINUP_OK) {
    /* Every diagnostic, each with its file, line and column. */
    fprintf(stderr, "%s", joinup_error_text(error));
    joinup_error_free(error);
    joinup_document_free(event);
    joinup_policy_free(policy);
    return 2;
  }

  joinup_result_violation_count(result, &count);
  for (i = 0; i < count; ++i) {
    const joinup_violation *v = NULL;
    joinup_result_violation(result, i, &v);
    printf("%s:%u:%u: %s: %s: %s\n", v->data_file, v->data_line, v->data_column,
           v->outcome == JOINUP_OUTCOME_UNDETERMINED ? "undetermined" : severity_name(v->severity), v->rule_id,
           v->message);
  }
  joinup_result_fails(result, JOINUP_SEVERITY_ERROR, &fails);
  printf("%u finding(s)\n", (unsigned)count);

  joinup_result_free(result);
  joinup_document_free(event);
  joinup_policy_free(policy);
  return fails ? 1 : 0;
}
