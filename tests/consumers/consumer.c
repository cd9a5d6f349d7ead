/* An outside C program: checks a small partnership against the standard pack of the installed
 * tree and prints where the pack was found. Built with -std=c99 -Wall -Werror -pedantic. */
#include <stdio.h>
#include <string.h>

#include <joinup.h>

int main(void) {
  joinup_policy *policy = NULL;
  joinup_document *doc = NULL;
  joinup_result *result = NULL;
  joinup_error *error = NULL;
  const joinup_rule *rule = NULL;
  const joinup_summary *summary = NULL;
  const char *yaml = "partnership:\n  name: Outside\n";
  joinup_status s;

  if (strcmp(joinup_version(), JOINUP_VERSION) != 0) {
    fprintf(stderr, "header %s, library %s\n", JOINUP_VERSION, joinup_version());
    return 1;
  }
  s = joinup_policy_load_standard(NULL, &policy, &error);
  if (s == JOINUP_OK)
    s = joinup_document_parse(yaml, strlen(yaml), "outside.yaml", JOINUP_FORMAT_AUTO, NULL, &doc, &error);
  if (s == JOINUP_OK) s = joinup_policy_evaluate(policy, doc, NULL, &result, &error);
  if (s != JOINUP_OK) {
    fprintf(stderr, "%s: %s", joinup_status_text(s), joinup_error_text(error));
    joinup_error_free(error);
    return 1;
  }
  joinup_policy_rule(policy, 0, &rule);
  joinup_result_summary(result, &summary);
  printf("c consumer: joinup %s, %u rules, first from %s\n", joinup_version(), summary->rules, rule->file);
  joinup_result_free(result);
  joinup_document_free(doc);
  joinup_policy_free(policy);
  return 0;
}
