/* Prints the JSON report of a check through the C API, for comparison with
 * `joinup check --format json`. Usage: json_report AS_OF RULES DATA */
#include <stdio.h>

#include "joinup.h"

int main(int argc, char **argv) {
  joinup_policy *policy = NULL;
  joinup_document *doc = NULL;
  joinup_result *result = NULL;
  joinup_error *error = NULL;
  joinup_evaluate_options options;
  const char *json = NULL;
  joinup_status s;
  if (argc != 4) {
    fprintf(stderr, "usage: json_report AS_OF RULES DATA\n");
    return 2;
  }
  joinup_evaluate_options_init(&options);
  options.as_of = argv[1];
  s = joinup_policy_load((const char *const *)&argv[2], 1, NULL, &policy, &error);
  if (s == JOINUP_OK) s = joinup_document_load_file(argv[3], JOINUP_FORMAT_AUTO, NULL, &doc, &error);
  if (s == JOINUP_OK) s = joinup_policy_evaluate(policy, doc, &options, &result, &error);
  if (s == JOINUP_OK) s = joinup_result_json(result, &json);
  if (s == JOINUP_OK)
    fputs(json, stdout);
  else
    fprintf(stderr, "%s: %s", joinup_status_text(s), joinup_error_text(error));
  joinup_error_free(error);
  joinup_result_free(result);
  joinup_document_free(doc);
  joinup_policy_free(policy);
  return s == JOINUP_OK ? 0 : 2;
}
