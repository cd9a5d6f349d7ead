/* A few assertion macros for the C tests: each failed check is printed and counted, and the
 * program exits 1 at the end when any failed. */
#ifndef JOINUP_TEST_CHECK_H
#define JOINUP_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failures = 0;
static int check_count = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    ++check_count;                                                             \
    if (!(cond)) {                                                             \
      ++check_failures;                                                        \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                          \
  } while (0)

#define CHECK_STATUS(expr, expected)                                                                          \
  do {                                                                                                        \
    int check_status_ = (int)(expr);                                                                          \
    ++check_count;                                                                                            \
    if (check_status_ != (int)(expected)) {                                                                   \
      ++check_failures;                                                                                       \
      fprintf(stderr, "%s:%d: %s gave %d (%s), expected %d (%s)\n", __FILE__, __LINE__, #expr, check_status_, \
              joinup_status_text((joinup_status)check_status_), (int)(expected),                              \
              joinup_status_text((joinup_status)(expected)));                                                 \
    }                                                                                                         \
  } while (0)

#define CHECK_STR(actual, expected)                                                          \
  do {                                                                                       \
    const char *check_a_ = (actual);                                                         \
    const char *check_e_ = (expected);                                                       \
    ++check_count;                                                                           \
    if (!check_a_ || strcmp(check_a_, check_e_) != 0) {                                      \
      ++check_failures;                                                                      \
      fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #actual, \
              check_a_ ? check_a_ : "(null)", check_e_);                                     \
    }                                                                                        \
  } while (0)

#define CHECK_CONTAINS(haystack, needle)                                                             \
  do {                                                                                               \
    const char *check_h_ = (haystack);                                                               \
    ++check_count;                                                                                   \
    if (!check_h_ || !strstr(check_h_, (needle))) {                                                  \
      ++check_failures;                                                                              \
      fprintf(stderr, "%s:%d: %s (\"%s\") does not contain \"%s\"\n", __FILE__, __LINE__, #haystack, \
              check_h_ ? check_h_ : "(null)", (needle));                                             \
    }                                                                                                \
  } while (0)

/* The whole of a file, NUL-terminated, in memory to free(); its size in *size when size is not
 * NULL. NULL when it cannot be read. */
static inline char *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  char *text = NULL;
  long n;
  if (!f) return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
    text = (char *)malloc((size_t)n + 1);
    if (text && fread(text, 1, (size_t)n, f) != (size_t)n) {
      free(text);
      text = NULL;
    }
    if (text) {
      text[n] = '\0';
      if (size) *size = (size_t)n;
    }
  }
  fclose(f);
  return text;
}

static int check_report(const char *name) {
  if (check_failures) {
    fprintf(stderr, "%s: %d of %d checks failed\n", name, check_failures, check_count);
    return 1;
  }
  printf("%s: all %d checks passed\n", name, check_count);
  return 0;
}

#endif
