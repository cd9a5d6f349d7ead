/* One compiled policy evaluated from 8 threads at once over many documents; every result must
 * equal the one computed alone. Run under ThreadSanitizer by the test suite (see
 * tests/consumers/run.sh). Usage: threads RULES_FILE DATA_FILE */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "joinup.h"

#define THREADS 8
#define DOCUMENTS 12
#define ROUNDS 4

static joinup_policy *policy;
static joinup_document *documents[DOCUMENTS];
static joinup_summary expected[DOCUMENTS];
static size_t expected_json_length[DOCUMENTS];
static joinup_result *shared_result; /* read by every thread at once, its JSON made by whichever comes first */
static const char *shared_json[THREADS];
static const joinup_violation *shared_first[THREADS]; /* findings are rendered on first request, by any thread */
static joinup_result *waived_result; /* evaluated with waivers: its reports made by whichever thread comes first */
static const char *waived_reports[THREADS][16];
/* Counts and the as-of date are made on first request too, by whichever thread comes first. */
static const joinup_summary *shared_summary[THREADS], *waived_summary[THREADS];
static const char *shared_as_of[THREADS];

static int evaluate(size_t i, joinup_summary *summary, size_t *json_length) {
  joinup_evaluate_options o;
  joinup_result *r = NULL;
  const joinup_summary *s = NULL;
  const char *json = NULL;
  joinup_evaluate_options_init(&o);
  o.as_of = "2026-11-21";
  if (joinup_policy_evaluate(policy, documents[i], &o, &r, NULL) != JOINUP_OK) return 0;
  if (joinup_result_summary(r, &s) != JOINUP_OK || joinup_result_json(r, &json) != JOINUP_OK) {
    joinup_result_free(r);
    return 0;
  }
  *summary = *s;
  *json_length = strlen(json);
  joinup_result_free(r);
  return 1;
}

static void *worker(void *arg) {
  const size_t id = (size_t)arg;
  size_t round, i, length;
  joinup_summary s;
  const char *json = NULL;
  for (round = 0; round < ROUNDS; ++round)
    for (i = 0; i < DOCUMENTS; ++i) {
      const size_t k = (i + id) % DOCUMENTS;
      if (!evaluate(k, &s, &length) || memcmp(&s, &expected[k], sizeof s) != 0 || length != expected_json_length[k])
        return (void *)1;
    }
  if (joinup_result_summary(shared_result, &shared_summary[id]) != JOINUP_OK ||
      joinup_result_as_of(shared_result, &shared_as_of[id]) != JOINUP_OK ||
      joinup_result_summary(waived_result, &waived_summary[id]) != JOINUP_OK)
    return (void *)1;
  if (joinup_result_json(shared_result, &json) != JOINUP_OK) return (void *)1;
  shared_json[id] = json;
  {
    size_t n = 0, k;
    const joinup_violation *v = NULL;
    if (joinup_result_violation_count(shared_result, &n) != JOINUP_OK || n == 0) return (void *)1;
    for (k = 0; k < n; ++k) /* each thread starts at another finding */
      if (joinup_result_violation(shared_result, (k + id) % n, &v) != JOINUP_OK || !v->message || !*v->message)
        return (void *)1;
    if (joinup_result_violation(shared_result, 0, &v) != JOINUP_OK) return (void *)1;
    shared_first[id] = v;
  }
  {
    size_t k, n = 0;
    const char *name = NULL;
    const joinup_violation *v = NULL;
    /* Every format, starting at another one in each thread; the waived finding as well. */
    while (joinup_report_format(n, &name) == JOINUP_OK) ++n;
    if (n == 0 || n > 16) return (void *)1;
    for (k = 0; k < n; ++k) {
      const size_t f = (k + id) % n;
      if (joinup_report_format(f, &name) != JOINUP_OK ||
          joinup_result_report(waived_result, name, &waived_reports[id][f]) != JOINUP_OK)
        return (void *)1;
    }
    if (joinup_result_violation(waived_result, 0, &v) != JOINUP_OK || !v->waived) return (void *)1;
  }
  return NULL;
}

/* Document i: a leaver replaced by a single-organisation role or not, teams of various sizes. */
static joinup_document *build(size_t i) {
  joinup_builder *b = NULL;
  joinup_document *d = NULL;
  char path[128];
  size_t m;
  if (joinup_builder_new("built", NULL, &b) != JOINUP_OK) return NULL;
  joinup_builder_set_string(b, "partnership.name", "Threaded", JOINUP_NUL_TERMINATED);
  joinup_builder_set_string(b, "partnership.leavers[0].name", "A. Leaver", JOINUP_NUL_TERMINATED);
  joinup_builder_set_string(b, "partnership.leavers[0].seniority", i % 3 ? "senior" : "middle", JOINUP_NUL_TERMINATED);
  joinup_builder_set_string(b, "partnership.leavers[0].replacement.scope", i % 2 ? "joint" : "single-organisation",
                            JOINUP_NUL_TERMINATED);
  joinup_builder_set_string(b, "partnership.teams[0].name", "Team", JOINUP_NUL_TERMINATED);
  joinup_builder_set_bool(b, "partnership.teams[0].cross_cutting", 1);
  for (m = 0; m < 5 + 2 * i; ++m) {
    snprintf(path, sizeof path, "partnership.teams[0].members[%u]", (unsigned)m);
    joinup_builder_set_int(b, path, (int64_t)m);
  }
  joinup_builder_finish(b, &d, NULL);
  joinup_builder_free(b);
  return d;
}

int main(int argc, char **argv) {
  pthread_t threads[THREADS];
  const char *paths[1];
  size_t i;
  int failed = 0;
  if (argc != 3) {
    fprintf(stderr, "usage: threads RULES_FILE DATA_FILE\n");
    return 2;
  }
  paths[0] = argv[1];
  if (joinup_policy_load(paths, 1, NULL, &policy, NULL) != JOINUP_OK) return 1;
  for (i = 0; i + 1 < DOCUMENTS; ++i)
    if (!(documents[i] = build(i))) return 1;
  if (joinup_document_load_file(argv[2], JOINUP_FORMAT_AUTO, NULL, &documents[DOCUMENTS - 1], NULL) != JOINUP_OK)
    return 1;
  for (i = 0; i < DOCUMENTS; ++i)
    if (!evaluate(i, &expected[i], &expected_json_length[i])) return 1;
  if (joinup_policy_evaluate(policy, documents[DOCUMENTS - 1], NULL, &shared_result, NULL) != JOINUP_OK) return 1;
  {
    static const char waivers_text[] =
        "waivers:\n  - rule: quickstart.senior-leaver-replacement\n    reason: interim\n";
    joinup_waivers *w = NULL;
    joinup_evaluate_options o;
    joinup_evaluate_options_init(&o);
    if (joinup_waivers_parse(waivers_text, JOINUP_NUL_TERMINATED, "w.yaml", &w, NULL) != JOINUP_OK) return 1;
    o.waivers = w;
    if (joinup_policy_evaluate(policy, documents[DOCUMENTS - 1], &o, &waived_result, NULL) != JOINUP_OK) return 1;
    joinup_waivers_free(w); /* the result keeps what it needs */
  }

  for (i = 0; i < THREADS; ++i)
    if (pthread_create(&threads[i], NULL, worker, (void *)i) != 0) return 1;
  for (i = 0; i < THREADS; ++i) {
    void *ret = NULL;
    pthread_join(threads[i], &ret);
    if (ret) ++failed;
  }
  /* The shared result's counts are the serial ones of the same document; the waived result's
   * count its one waived rule. */
  if (memcmp(shared_summary[0], &expected[DOCUMENTS - 1], sizeof expected[0]) != 0 || waived_summary[0]->waived != 1 ||
      waived_summary[0]->failed + 1 != expected[DOCUMENTS - 1].failed || strlen(shared_as_of[0]) != 10)
    ++failed;
  for (i = 1; i < THREADS; ++i) {
    size_t f;
    if (shared_json[i] != shared_json[0] || shared_first[i] != shared_first[0]) ++failed;
    if (shared_summary[i] != shared_summary[0] || waived_summary[i] != waived_summary[0] ||
        shared_as_of[i] != shared_as_of[0])
      ++failed;
    for (f = 0; f < 16; ++f)
      if (waived_reports[i][f] != waived_reports[0][f]) ++failed;
  }
  joinup_result_free(waived_result);

  joinup_result_free(shared_result);
  for (i = 0; i < DOCUMENTS; ++i) joinup_document_free(documents[i]);
  joinup_policy_free(policy);
  if (failed) {
    fprintf(stderr, "threads: %d threads saw results that differ from the serial ones\n", failed);
    return 1;
  }
  printf("threads: %d threads x %d evaluations agree\n", THREADS, ROUNDS * DOCUMENTS);
  return 0;
}
