/* A C host with tight limits, fed files it did not write: every file of the given directories is
 * parsed as data (and, when it loads, evaluated) and compiled as rules (and, when it compiles,
 * evaluated). Each call must end in OK or in a known refusal with a message; never JOINUP_ERROR
 * (an internal error), JOINUP_MISUSE, a status without text, a result after a failure, or a
 * crash. Run by the suite under valgrind, so a read out of bounds, a use of uninitialised memory or
 * a leak fails it too. Usage: hostile_host RULES_FILE DATA_FILE DIR... */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "joinup.h"

static joinup_policy *base_policy; /* compiled from RULES_FILE, for the data files */
static joinup_document *base_data; /* parsed from DATA_FILE, for the rule files */
static int files_seen, refusals, accepted;

/* A refusal must be a known status with a message; anything else is a broken promise. */
static void judge(const char *what, const char *path, joinup_status s, joinup_error *e) {
  if (s == JOINUP_OK) {
    ++accepted;
    CHECK(e == NULL);
    return;
  }
  ++refusals;
  ++check_count;
  if (s == JOINUP_ERROR || s == JOINUP_MISUSE || strcmp(joinup_status_text(s), "unknown status") == 0 || e == NULL ||
      joinup_error_message(e) == NULL || joinup_error_message(e)[0] == '\0') {
    ++check_failures;
    fprintf(stderr, "%s: %s: status %d (%s), message: %s\n", path, what, (int)s, joinup_status_text(s),
            e && joinup_error_message(e) ? joinup_error_message(e) : "(none)");
  }
}

/* Every report format of a result, each made once and well formed enough to start right. */
static void reports(const joinup_result *r) {
  size_t i;
  const char *name = NULL;
  for (i = 0; joinup_report_format(i, &name) == JOINUP_OK; ++i) {
    const char *report = NULL, *again = NULL;
    CHECK_STATUS(joinup_result_report(r, name, &report), JOINUP_OK);
    CHECK(report != NULL);
    CHECK_STATUS(joinup_result_report(r, name, &again), JOINUP_OK);
    CHECK(again == report);
  }
  CHECK(i >= 6);
}

static void evaluate_with(const char *path, const joinup_policy *p, const joinup_document *d, const joinup_waivers *w) {
  joinup_evaluate_options o;
  joinup_result *r = (joinup_result *)&o; /* not NULL: a failure must clear it */
  joinup_error *e = NULL;
  joinup_status s;
  joinup_evaluate_options_init(&o);
  o.as_of = "2026-01-01";
  o.max_steps = 200000;
  o.waivers = w;
  s = joinup_policy_evaluate(p, d, &o, &r, &e);
  judge("evaluate", path, s, e);
  if (s == JOINUP_OK) {
    const char *json = NULL;
    CHECK(r != NULL);
    CHECK_STATUS(joinup_result_json(r, &json), JOINUP_OK);
    CHECK(json != NULL && json[0] == '{');
    reports(r);
    joinup_result_free(r);
  } else {
    CHECK(r == NULL);
  }
  joinup_error_free(e);
}

static void evaluate(const char *path, const joinup_policy *p, const joinup_document *d) {
  evaluate_with(path, p, d, NULL);
}

static void feed(const char *path) {
  joinup_load_options lo;
  joinup_compile_options co;
  joinup_document *d = (joinup_document *)&lo;
  joinup_policy *p = (joinup_policy *)&co;
  joinup_error *e = NULL;
  joinup_status s;
  size_t size = 0;
  char *text = read_file(path, &size);
  const char *slash = strrchr(path, '/');
  const char *name = slash ? slash + 1 : path;
  const size_t len = strlen(name);
  const int json = len > 5 && strcmp(name + len - 5, ".json") == 0;
  const int yaml_rules =
      (len > 5 && strcmp(name + len - 5, ".yaml") == 0) || (len > 4 && strcmp(name + len - 4, ".yml") == 0);
  if (!text) {
    fprintf(stderr, "hostile_host: cannot read %s\n", path);
    ++check_failures;
    return;
  }
  ++files_seen;

  joinup_load_options_init(&lo);
  lo.max_depth = 64;
  lo.max_bytes = 1u << 20;
  s = joinup_document_parse(text, size, name, json ? JOINUP_FORMAT_JSON : JOINUP_FORMAT_YAML, &lo, &d, &e);
  judge("parse as data", path, s, e);
  joinup_error_free(e);
  e = NULL;
  if (s == JOINUP_OK) {
    evaluate(path, base_policy, d);
    joinup_document_free(d);
  } else {
    CHECK(d == NULL);
  }

  /* As waivers: refused with a message, or applied to the base check. A waivers file is the host's
   * own configuration, read without a size limit: the large generated files are left out here. */
  if (size <= (64u << 10)) {
    joinup_waivers *w = (joinup_waivers *)&lo;
    s = joinup_waivers_parse(text, size, name, &w, &e);
    judge("parse as waivers", path, s, e);
    joinup_error_free(e);
    e = NULL;
    if (s == JOINUP_OK) {
      evaluate_with(path, base_policy, base_data, w);
      joinup_waivers_free(w);
    } else {
      CHECK(w == NULL);
    }
  }

  joinup_compile_options_init(&co);
  co.max_file_bytes = 1u << 20;
  co.max_expression_depth = 50;
  s = joinup_policy_compile(yaml_rules ? name : "hostile.jup", text, size, &co, &p, &e);
  judge("compile as rules", path, s, e);
  joinup_error_free(e);
  if (s == JOINUP_OK) {
    evaluate(path, p, base_data);
    joinup_policy_free(p);
  } else {
    CHECK(p == NULL);
  }
  free(text);
}

static void feed_directory(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *entry;
  char path[4096];
  struct stat st;
  if (!d) {
    fprintf(stderr, "hostile_host: cannot open %s\n", dir);
    ++check_failures;
    return;
  }
  while ((entry = readdir(d)) != NULL) {
    const size_t len = strlen(entry->d_name);
    if (entry->d_name[0] == '.' || (len > 9 && strcmp(entry->d_name + len - 9, ".expected") == 0)) continue;
    snprintf(path, sizeof path, "%s/%s", dir, entry->d_name);
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) feed(path);
  }
  closedir(d);
}

/* Files that are not regular files, given by path: refused with a message naming what they are,
 * at once: /dev/zero is not read to the limit (or without one), a named pipe without a writer is
 * not waited on. */
static void refused_by_path(const char *path, const char *kind) {
  const char *paths[1];
  joinup_compile_options co;
  joinup_load_options lo;
  joinup_policy *p = NULL;
  joinup_document *d = NULL;
  joinup_error *e = NULL;
  joinup_status s;
  paths[0] = path;
  joinup_compile_options_init(&co);
  co.max_file_bytes = 1u << 20;
  s = joinup_policy_load(paths, 1, &co, &p, &e);
  judge("load as rules", path, s, e);
  CHECK(s != JOINUP_OK && p == NULL);
  CHECK(e != NULL && strstr(joinup_error_message(e), kind) != NULL);
  joinup_error_free(e);
  e = NULL;
  joinup_load_options_init(&lo);
  lo.max_bytes = 1u << 20;
  s = joinup_document_load_file(path, JOINUP_FORMAT_AUTO, &lo, &d, &e);
  judge("load as data", path, s, e);
  CHECK(s != JOINUP_OK && d == NULL);
  CHECK(e != NULL && strstr(joinup_error_message(e), kind) != NULL);
  joinup_error_free(e);
}

static void special_files(void) {
  char dir[] = "/tmp/hostile_host.XXXXXX";
  char fifo[64];
  refused_by_path("/dev/zero", "is a character device");
  if (!mkdtemp(dir)) {
    fprintf(stderr, "hostile_host: cannot make a temporary directory\n");
    ++check_failures;
    return;
  }
  snprintf(fifo, sizeof fifo, "%s/pipe.jup", dir);
  CHECK(mkfifo(fifo, 0600) == 0);
  refused_by_path(fifo, "is a named pipe");
  remove(fifo);
  rmdir(dir);
}

int main(int argc, char **argv) {
  size_t size = 0;
  char *rules, *data;
  int i;
  if (argc < 4) {
    fprintf(stderr, "usage: hostile_host RULES_FILE DATA_FILE DIR...\n");
    return 2;
  }
  rules = read_file(argv[1], &size);
  CHECK(rules != NULL);
  if (rules) CHECK_STATUS(joinup_policy_compile(argv[1], rules, size, NULL, &base_policy, NULL), JOINUP_OK);
  data = read_file(argv[2], &size);
  CHECK(data != NULL);
  if (data)
    CHECK_STATUS(joinup_document_parse(data, size, argv[2], JOINUP_FORMAT_AUTO, NULL, &base_data, NULL), JOINUP_OK);
  free(rules);
  free(data);
  if (!base_policy || !base_data) return check_report("hostile_host");
  special_files();
  for (i = 3; i < argc; ++i) feed_directory(argv[i]);
  printf("hostile_host: %d files: %d calls accepted, %d refused with a message\n", files_seen, accepted, refusals);
  CHECK(files_seen >= 60);
  joinup_document_free(base_data);
  joinup_policy_free(base_policy);
  return check_report("hostile_host");
}
