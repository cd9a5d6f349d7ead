/*
 * joinup.h — the C interface of joinup: rules about public-service partnerships, evaluated against
 * YAML/JSON descriptions, with every finding explained.
 *
 * This header is the whole contract and its manual. It compiles as C99 and as C++, includes only
 * standard C headers, and no C++ type, exception or allocation crosses it.
 *
 * How to read it
 * --------------
 * Functions are named joinup_<object>_<verb>. Five kinds of objects are handles the caller owns
 * and frees with the one matching function (every free function accepts NULL):
 *
 *     joinup_policy    compiled rules            joinup_policy_free
 *     joinup_document  data to check             joinup_document_free
 *     joinup_builder   builds a document         joinup_builder_free
 *     joinup_result    the outcome of a check    joinup_result_free
 *     joinup_waivers   accepted exceptions       joinup_waivers_free
 *     joinup_error     what went wrong           joinup_error_free
 *
 * Everything else the library hands out (strings, and the joinup_violation, joinup_rule,
 * joinup_rule_outcome, joinup_summary, joinup_waiver_outcome and joinup_diagnostic records) is borrowed: it belongs to
 * the handle it came from, lives exactly as long as that handle, and must never be freed or
 * written to. The caller never releases library memory with free().
 *
 * Errors
 * ------
 * Every function that can fail returns a joinup_status: JOINUP_OK (0) on success, a fixed
 * numbered code otherwise (joinup_status_text() gives its text). Functions that read rules or
 * data take a `joinup_error **error` as their last argument: pass NULL when you only want the
 * code, or the address of a joinup_error* to receive an error object on failure (set to NULL on
 * success) holding every diagnostic, each with its message, origin (file name), line and column.
 * When memory runs out (an allocation fails) the call returns JOINUP_NO_MEMORY, changes nothing,
 * and its error object, when one can still be made, has one diagnostic (code "error") saying
 * what ran out while doing what: "out of memory while evaluating the rules against 'plan.yaml':
 * the process could not allocate more memory"; when not even that can be made, *error is NULL.
 * No function aborts, throws, prints or exits. NULL where a handle or out-pointer is required,
 * and a handle of the wrong kind, give JOINUP_MISUSE. Using a handle after freeing it is
 * undefined behaviour, although freed handles are marked so that it is often caught as
 * JOINUP_MISUSE.
 *
 * Text
 * ----
 * All text in and out is UTF-8; text that is not valid UTF-8 is refused with
 * JOINUP_INVALID_UTF8. Strings the library returns are NUL-terminated and never NULL (an absent
 * value is ""). Lines and columns are 1-based, columns count characters; 0 means "not known".
 *
 * Threads
 * -------
 * The library has no global state. A policy, a document, waivers, a result and an error are immutable
 * once made and may be used from any number of threads at once; in particular one policy may
 * evaluate many documents concurrently. A builder must be used by one thread at a time.
 */
#ifndef JOINUP_H
#define JOINUP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(JOINUP_BUILDING_LIBRARY) && defined(__GNUC__)
#define JOINUP_API __attribute__((visibility("default")))
#else
#define JOINUP_API
#endif

/* ============================================================================================ */
/* Version                                                                                      */
/* ============================================================================================ */

/* The version of this header: "MAJOR.MINOR.PATCH" and MAJOR*10000 + MINOR*100 + PATCH. */
#define JOINUP_VERSION "0.1.0"
#define JOINUP_VERSION_NUMBER 100

/* The ABI version: changes only when a program built against an older header could misbehave
 * with a newer library. The shared library's SONAME is libjoinup.so.<JOINUP_ABI_VERSION>. */
#define JOINUP_ABI_VERSION 0

/* The library's version, as JOINUP_VERSION (a static string: never freed). Compare it, or
 * joinup_version_number() with JOINUP_VERSION_NUMBER, to check that the library a program loaded
 * is the one it was compiled against. */
JOINUP_API const char *joinup_version(void);
/* The library's version as a number, as JOINUP_VERSION_NUMBER. */
JOINUP_API int joinup_version_number(void);
/* The library's ABI version, as JOINUP_ABI_VERSION. */
JOINUP_API int joinup_abi_version(void);

/* ============================================================================================ */
/* Status codes and errors                                                                      */
/* ============================================================================================ */

/* Fixed numbers: a code keeps its number in every version; new codes may be added. */
typedef enum joinup_status {
  JOINUP_OK = 0,
  JOINUP_ERROR = 1,            /* an internal error (a bug in joinup): please report it */
  JOINUP_MISUSE = 2,           /* NULL argument, wrong or freed handle, builder calls out of order */
  JOINUP_NO_MEMORY = 3,        /* an allocation failed; nothing was changed */
  JOINUP_INVALID_ARGUMENT = 4, /* an argument's value is wrong: a date, a path, an option, an index */
  JOINUP_INVALID_UTF8 = 5,     /* text given to the library is not valid UTF-8 */
  JOINUP_NOT_FOUND = 6,        /* a file or directory is missing, unreadable or has no rule files */
  JOINUP_RULE_ERROR = 7,       /* the rules do not compile: see the error's diagnostics */
  JOINUP_UNSUPPORTED = 8,      /* a feature this version lacks */
  JOINUP_DATA_ERROR = 9,       /* the data does not parse (syntax, duplicate key) */
  JOINUP_TOO_LARGE = 10,       /* the input is larger than the limit (max_bytes, max_file_bytes) */
  JOINUP_TOO_DEEP = 11,        /* nested deeper than max_depth (data) or max_expression_depth (rules) */
  JOINUP_STEP_LIMIT = 12,      /* evaluation used up its step budget (max_steps) */
  JOINUP_UNKNOWN_RULE = 13,    /* a rule id in the evaluation options names no rule */
  JOINUP_MEMORY_LIMIT = 14     /* evaluation used up its memory budget (max_memory_bytes) */
} joinup_status;

/* Fixed English text for a code, e.g. "rules do not compile"; "unknown status" for a number that
 * is not a code. Static: never freed. */
JOINUP_API const char *joinup_status_text(joinup_status status);

typedef struct joinup_error joinup_error;

typedef enum joinup_level { JOINUP_LEVEL_ERROR = 0, JOINUP_LEVEL_WARNING = 1, JOINUP_LEVEL_NOTE = 2 } joinup_level;

/* One diagnostic of an error, or a note of a policy's load. Borrowed from the joinup_error (valid
 * until joinup_error_free) or the joinup_policy (valid until joinup_policy_free). */
typedef struct joinup_diagnostic {
  joinup_level level;
  const char *code;        /* stable kebab-case name: "syntax", "unknown-name", "data-parse", ... */
  const char *message;     /* lowercase, no trailing period, user input quoted */
  const char *origin;      /* the file or origin name the diagnostic is about; "" if none */
  uint32_t line;           /* 1-based; 0 when not known */
  uint32_t column;         /* 1-based, in characters; 0 when not known */
  uint32_t length;         /* characters under the caret */
  const char *source_line; /* the text of that line, "" if not known */
  const char *help;        /* a hint ("did you mean 'count'?"), "" if none */
  const char *rendered;    /* the whole diagnostic as `joinup` prints it: location, source, caret, help */
} joinup_diagnostic;

/* The error's status code (never JOINUP_OK); JOINUP_MISUSE when `error` is NULL or not an error. */
JOINUP_API joinup_status joinup_error_status(const joinup_error *error);
/* The first diagnostic's message, its origin, line and column: the one to show when you show one.
 * Strings live until joinup_error_free; "" / 0 when `error` is NULL or not an error. */
JOINUP_API const char *joinup_error_message(const joinup_error *error);
JOINUP_API const char *joinup_error_origin(const joinup_error *error);
JOINUP_API uint32_t joinup_error_line(const joinup_error *error);
JOINUP_API uint32_t joinup_error_column(const joinup_error *error);
/* Every diagnostic rendered as `joinup` prints them, one after another. Lives until
 * joinup_error_free. */
JOINUP_API const char *joinup_error_text(const joinup_error *error);
/* How many diagnostics the error holds (at least 1): all of them, never just the first. */
JOINUP_API joinup_status joinup_error_diagnostic_count(const joinup_error *error, size_t *count);
/* The diagnostic at `index` (< count), in file and then position order. *diagnostic is borrowed
 * from the error. JOINUP_INVALID_ARGUMENT when index is out of range. */
JOINUP_API joinup_status joinup_error_diagnostic(const joinup_error *error, size_t index,
                                                 const joinup_diagnostic **diagnostic);
/* Frees an error. NULL is accepted and ignored. */
JOINUP_API void joinup_error_free(joinup_error *error);

/* Pass as a length to say "the text is NUL-terminated". */
#define JOINUP_NUL_TERMINATED ((size_t)-1)

/* ============================================================================================ */
/* Policies: compiled rule sets                                                                 */
/* ============================================================================================ */

typedef struct joinup_policy joinup_policy;

/* Limits for compiling rules. Initialise with joinup_compile_options_init, then change fields;
 * pass NULL where a function takes options to use the defaults. */
typedef struct joinup_compile_options {
  size_t struct_size;            /* sizeof(joinup_compile_options), set by the init function */
  uint64_t max_file_bytes;       /* size of one rule text; default 16 MiB */
  uint32_t max_expression_depth; /* nesting of expressions; default 200 */
  uint64_t max_regex_bytes;      /* length of a pattern written in a rule; default 64 KiB */
} joinup_compile_options;
/* Sets struct_size and every field to its default, writing no more than `size` bytes: a library
 * newer than the caller's header fills only the fields the caller's struct has. Call it through
 * the macro joinup_compile_options_init(options), which passes sizeof(joinup_compile_options). */
JOINUP_API void joinup_compile_options_init_sized(joinup_compile_options *options, size_t size);
/* For programs built against 0.1.0 headers: fills the fields up to max_expression_depth only. */
JOINUP_API void joinup_compile_options_init(joinup_compile_options *options);
#define joinup_compile_options_init(options) \
  joinup_compile_options_init_sized((options), sizeof(joinup_compile_options))

/* One rule text held in memory. `origin` names it in diagnostics; its extension selects the form
 * (.jup or no extension: the rule language; .yaml/.yml: YAML rule files, which compile to the
 * same rules and report errors at the YAML file's line and column). */
typedef struct joinup_rule_text {
  const char *origin;
  const char *text;
  size_t length; /* in bytes, or JOINUP_NUL_TERMINATED */
} joinup_rule_text;

/* Compiles one rule text. On success *policy is a new policy the caller frees with
 * joinup_policy_free. The text is not kept: the caller may free it on return. On failure
 * *policy is NULL, and the error (if asked for) holds every diagnostic: JOINUP_RULE_ERROR. */
JOINUP_API joinup_status joinup_policy_compile(const char *origin, const char *text, size_t length,
                                               const joinup_compile_options *options, joinup_policy **policy,
                                               joinup_error **error);
/* Compiles several rule texts into one policy (rule ids must be unique across them). */
JOINUP_API joinup_status joinup_policy_compile_texts(const joinup_rule_text *texts, size_t count,
                                                     const joinup_compile_options *options, joinup_policy **policy,
                                                     joinup_error **error);
/* Reads and compiles rule files and directories (searched recursively for .jup, .yaml and .yml
 * files, in sorted order). JOINUP_NOT_FOUND names every path that is missing or holds no rules.
 * A YAML file found in a directory that is not a rule file by its content (its top level has none
 * of a rule file's keys: a data or waivers file) is skipped with a note (joinup_policy_note); a
 * file named in `paths` is always read. On failure the error's diagnostics are its errors, then
 * those notes. */
JOINUP_API joinup_status joinup_policy_load(const char *const *paths, size_t count,
                                            const joinup_compile_options *options, joinup_policy **policy,
                                            joinup_error **error);
/* Loads the standard rule pack, looked up in this order: the environment variable JOINUP_RULES
 * when set and not empty; <prefix>/share/joinup/rules beside the installed library; the directory
 * the library was built to install it to; the source tree it was built from. JOINUP_NOT_FOUND
 * when none exists. */
JOINUP_API joinup_status joinup_policy_load_standard(const joinup_compile_options *options, joinup_policy **policy,
                                                     joinup_error **error);
/* How many notes loading the policy gave: one for each YAML file of a rule directory that was
 * skipped as not a rule file (level JOINUP_LEVEL_NOTE, code "not-a-rule-file", the file as its
 * origin, line 0), as `joinup` prints them on standard error. 0 for a compiled policy. */
JOINUP_API joinup_status joinup_policy_note_count(const joinup_policy *policy, size_t *count);
/* The note at `index` (< count), in the order the files were found (sorted within a directory).
 * *note is borrowed from the policy. JOINUP_INVALID_ARGUMENT when index is out of range. */
JOINUP_API joinup_status joinup_policy_note(const joinup_policy *policy, size_t index, const joinup_diagnostic **note);
/* Frees a policy. NULL is accepted. Results made from it stay valid (they share what they need). */
JOINUP_API void joinup_policy_free(joinup_policy *policy);

typedef enum joinup_severity {
  JOINUP_SEVERITY_ERROR = 0,
  JOINUP_SEVERITY_WARNING = 1,
  JOINUP_SEVERITY_INFO = 2
} joinup_severity;

/* A rule of a policy, as written in its file. Borrowed from the policy: valid until
 * joinup_policy_free. */
typedef struct joinup_rule {
  const char *id;       /* full id: integration.workforce.senior-leaver-replacement */
  const char *package;  /* integration.workforce */
  const char *short_id; /* senior-leaver-replacement */
  const char *title;
  joinup_severity severity;
  size_t tag_count;
  const char *const *tags; /* tag_count tags */
  const char *source;      /* where the principle comes from; "" if none */
  const char *rationale;   /* as written */
  const char *remedy;      /* as written */
  const char *file;        /* the rule file (origin) */
  uint32_t line;           /* of the `rule` keyword */
  uint32_t column;
  const char *text; /* the rule's whole source text */
} joinup_rule;

/* How many rules the policy holds. */
JOINUP_API joinup_status joinup_policy_rule_count(const joinup_policy *policy, size_t *count);
/* The rule at `index` (< count), in rule-set order; *rule is borrowed from the policy. */
JOINUP_API joinup_status joinup_policy_rule(const joinup_policy *policy, size_t index, const joinup_rule **rule);
/* The rule with a full id; JOINUP_UNKNOWN_RULE (and *rule NULL) when there is none. */
JOINUP_API joinup_status joinup_policy_find_rule(const joinup_policy *policy, const char *id, const joinup_rule **rule);

/* ============================================================================================ */
/* Documents: the data rules are checked against                                                */
/* ============================================================================================ */

typedef struct joinup_document joinup_document;

typedef enum joinup_format {
  JOINUP_FORMAT_AUTO = 0, /* JSON when the origin ends in .json, YAML otherwise */
  JOINUP_FORMAT_YAML = 1, /* YAML 1.2 core schema (`yes` stays a string); JSON is valid YAML */
  JOINUP_FORMAT_JSON = 2  /* strict JSON */
} joinup_format;

/* Limits for documents, so that hostile or huge data cannot take the host down. Initialise with
 * joinup_load_options_init; pass NULL for the defaults. */
typedef struct joinup_load_options {
  size_t struct_size;        /* sizeof(joinup_load_options), set by the init function */
  uint32_t max_depth;        /* nesting of lists and maps; default 256 (JOINUP_TOO_DEEP beyond) */
  uint64_t max_bytes;        /* size of the text, or of a built document's strings; default 256 MiB
                                (JOINUP_TOO_LARGE beyond) */
  uint64_t max_string_bytes; /* length of one string or key; default 16 MiB (JOINUP_TOO_LARGE beyond) */
} joinup_load_options;
/* As joinup_compile_options_init_sized; use the macro joinup_load_options_init(options). */
JOINUP_API void joinup_load_options_init_sized(joinup_load_options *options, size_t size);
/* For programs built against 0.1.0 headers: fills the fields up to max_bytes only. */
JOINUP_API void joinup_load_options_init(joinup_load_options *options);
#define joinup_load_options_init(options) joinup_load_options_init_sized((options), sizeof(joinup_load_options))

/* Parses JSON or YAML text. `origin` names the data in findings ("plan.yaml"; NULL: "<memory>").
 * The text is not kept. On success *document is a new document the caller frees with
 * joinup_document_free; on failure it is NULL and the error gives the line and column:
 * JOINUP_DATA_ERROR, JOINUP_INVALID_UTF8, JOINUP_TOO_LARGE or JOINUP_TOO_DEEP. */
JOINUP_API joinup_status joinup_document_parse(const char *text, size_t length, const char *origin,
                                               joinup_format format, const joinup_load_options *options,
                                               joinup_document **document, joinup_error **error);
/* Reads and parses a data file; findings name it by `path`. */
JOINUP_API joinup_status joinup_document_load_file(const char *path, joinup_format format,
                                                   const joinup_load_options *options, joinup_document **document,
                                                   joinup_error **error);
/* Frees a document. NULL is accepted. */
JOINUP_API void joinup_document_free(joinup_document *document);

/* ============================================================================================ */
/* Builders: documents from data the host holds in memory                                        */
/* ============================================================================================ */

/* A builder makes documents without text, in either of two styles, which may be mixed:
 *
 *   - by path: joinup_builder_set_string(b, "partnership.leavers[0].name", "Ann Lee", ...)
 *     creates the maps and lists on the way and replaces a value already there. A path is keys
 *     separated by '.', list indexes in brackets ([0]; the index equal to the list's length
 *     appends), and keys that are not words quoted in brackets: areas["North East"].
 *   - in order: begin_map, key, a value, ..., end; begin_list, values, end. Values go into the
 *     innermost open map or list (after a key, in a map), or become the root. A key that the open
 *     map already has is JOINUP_INVALID_ARGUMENT.
 *
 * A call that fails changes nothing, and joinup_builder_message() says why. Values built in
 * memory have no line or column (findings show 0). */
typedef struct joinup_builder joinup_builder;

/* A new, empty builder; `origin` names the document in findings (NULL: "<memory>"); `options`
 * (NULL: defaults) limits depth and string bytes. Freed with joinup_builder_free. The builder's
 * calls return JOINUP_TOO_DEEP or JOINUP_TOO_LARGE past those limits, JOINUP_INVALID_UTF8 for
 * text that is not UTF-8, JOINUP_INVALID_ARGUMENT for a bad path, date or number (NaN or
 * infinite), JOINUP_MISUSE for calls out of order. */
JOINUP_API joinup_status joinup_builder_new(const char *origin, const joinup_load_options *options,
                                            joinup_builder **builder);
/* Frees a builder. NULL is accepted. Documents it made stay valid. */
JOINUP_API void joinup_builder_free(joinup_builder *builder);
/* Why the builder's last call failed; "" after a call that succeeded. Lives until the next call
 * on the builder or joinup_builder_free. */
JOINUP_API const char *joinup_builder_message(const joinup_builder *builder);

/* Setting values by path. `path` "" (or NULL) is the root. Strings take a length in bytes or
 * JOINUP_NUL_TERMINATED. A date is "YYYY-MM-DD" (JOINUP_INVALID_ARGUMENT otherwise). */
JOINUP_API joinup_status joinup_builder_set_null(joinup_builder *builder, const char *path);
JOINUP_API joinup_status joinup_builder_set_bool(joinup_builder *builder, const char *path, int value);
JOINUP_API joinup_status joinup_builder_set_int(joinup_builder *builder, const char *path, int64_t value);
JOINUP_API joinup_status joinup_builder_set_number(joinup_builder *builder, const char *path, double value);
JOINUP_API joinup_status joinup_builder_set_string(joinup_builder *builder, const char *path, const char *value,
                                                   size_t length);
JOINUP_API joinup_status joinup_builder_set_date(joinup_builder *builder, const char *path, const char *yyyy_mm_dd);
/* An empty map or list at the path (replacing what is there), to fill by path or in order. */
JOINUP_API joinup_status joinup_builder_set_map(joinup_builder *builder, const char *path);
JOINUP_API joinup_status joinup_builder_set_list(joinup_builder *builder, const char *path);

/* Building in order. */
JOINUP_API joinup_status joinup_builder_begin_map(joinup_builder *builder);
JOINUP_API joinup_status joinup_builder_begin_list(joinup_builder *builder);
JOINUP_API joinup_status joinup_builder_key(joinup_builder *builder, const char *key, size_t length);
JOINUP_API joinup_status joinup_builder_end(joinup_builder *builder);
JOINUP_API joinup_status joinup_builder_null(joinup_builder *builder);
JOINUP_API joinup_status joinup_builder_bool(joinup_builder *builder, int value);
JOINUP_API joinup_status joinup_builder_int(joinup_builder *builder, int64_t value);
JOINUP_API joinup_status joinup_builder_number(joinup_builder *builder, double value);
JOINUP_API joinup_status joinup_builder_string(joinup_builder *builder, const char *value, size_t length);
JOINUP_API joinup_status joinup_builder_date(joinup_builder *builder, const char *yyyy_mm_dd);

/* Makes a document of what has been built so far. Every begin_ must have had its end and no key
 * may wait for its value (JOINUP_MISUSE otherwise). The builder is unchanged and may go on: set
 * more values and finish again, e.g. to check variants of the same data. *document is new and
 * freed with joinup_document_free. */
JOINUP_API joinup_status joinup_builder_finish(joinup_builder *builder, joinup_document **document,
                                               joinup_error **error);

/* ============================================================================================ */
/* Waivers: accepted exceptions to rules                                                        */
/* ============================================================================================ */

/* A waivers file (docs/ci.md), as `joinup check --waivers` reads it:
 *
 *     waivers:
 *       - rule: integration.workforce.senior-leaver-replacement   # full rule id (required)
 *         subject: "partnership.leavers[3]"   # optional: without it, every subject of the rule
 *         reason: "Interim cover while the joint post is advertised"   # required
 *         approved_by: "Joint Committee, 2026-10-02"                  # optional
 *         expires: 2027-03-31                                         # optional
 *
 * Passed to joinup_policy_evaluate in joinup_evaluate_options.waivers: a waived finding is still
 * reported (joinup_violation.waived) but does not fail the check; an expired waiver waives
 * nothing, and an unused or expired one is itself reported (joinup_result_waiver). */
typedef struct joinup_waivers joinup_waivers;

/* Parses waivers held in memory: YAML, or JSON when `origin` ends in .json. `origin` names the
 * text in diagnostics (NULL: "<memory>"). The text is not kept. On success *waivers is new, freed
 * with joinup_waivers_free; on failure it is NULL and the error holds every problem found, each
 * with its line and column (an unknown key, a waiver without rule or reason, a bad date):
 * JOINUP_DATA_ERROR; JOINUP_TOO_DEEP past 256 levels of nesting; JOINUP_INVALID_UTF8. */
JOINUP_API joinup_status joinup_waivers_parse(const char *text, size_t length, const char *origin,
                                              joinup_waivers **waivers, joinup_error **error);
/* Reads a waivers file; diagnostics name it by `path`. JOINUP_NOT_FOUND when it cannot be read. */
JOINUP_API joinup_status joinup_waivers_load_file(const char *path, joinup_waivers **waivers, joinup_error **error);
/* How many waivers were read. */
JOINUP_API joinup_status joinup_waivers_count(const joinup_waivers *waivers, size_t *count);
/* Frees waivers. NULL is accepted. Results evaluated with them stay valid (they keep a copy). */
JOINUP_API void joinup_waivers_free(joinup_waivers *waivers);

/* ============================================================================================ */
/* Evaluation                                                                                   */
/* ============================================================================================ */

typedef struct joinup_result joinup_result;

/* How to evaluate. Initialise with joinup_evaluate_options_init; pass NULL for the defaults. The
 * strings are read during the call only. */
typedef struct joinup_evaluate_options {
  size_t struct_size;            /* sizeof(joinup_evaluate_options), set by the init function */
  const char *as_of;             /* "YYYY-MM-DD": the date today() means in rules; NULL: the real date (UTC) */
  int undetermined_fails;        /* nonzero (default): subjects that could not be judged count as failing */
  const char *const *only;       /* full rule ids to evaluate (JOINUP_UNKNOWN_RULE if one names no rule) */
  size_t only_count;             /* 0 (default): every rule */
  const char *const *tags;       /* evaluate the rules with any of these tags */
  size_t tag_count;              /* 0 (default): every rule */
  uint64_t max_steps;            /* step budget (JOINUP_STEP_LIMIT when used up); 0 (default): unlimited */
  uint64_t max_regex_bytes;      /* length of a pattern read from the data; default 64 KiB (longer:
                                    an undetermined finding) */
  uint64_t max_string_bytes;     /* length of a string built by join(); default 16 MiB (longer: an
                                    undetermined finding) */
  const joinup_waivers *waivers; /* waivers to apply (read during the call only); NULL (default): none */
  uint64_t max_memory_bytes;     /* memory the evaluation may use for the strings and lists it builds
                                    (JOINUP_MEMORY_LIMIT when used up); default 256 MiB; 0: unlimited */
} joinup_evaluate_options;
/* As joinup_compile_options_init_sized; use the macro joinup_evaluate_options_init(options). */
JOINUP_API void joinup_evaluate_options_init_sized(joinup_evaluate_options *options, size_t size);
/* For programs built against 0.1.0 headers: fills the fields up to max_steps only. */
JOINUP_API void joinup_evaluate_options_init(joinup_evaluate_options *options);
#define joinup_evaluate_options_init(options) \
  joinup_evaluate_options_init_sized((options), sizeof(joinup_evaluate_options))

/* Evaluates the selected rules of a policy against a document. Problems in the data are not
 * errors: they are undetermined findings in the result. On success *result is new, freed with
 * joinup_result_free; it does not depend on the policy or document staying alive.
 *
 * The result is lazy: evaluation decides every rule's outcome and which subjects fail, and stops
 * there. A finding's message, path, positions and explanation are rendered when the finding is
 * first asked for (joinup_result_violation), and a report when it is first asked for
 * (joinup_result_report), so a host that needs only pass or fail and the counts pays for
 * nothing else. With waivers the findings of waived rules are rendered at once (a waiver
 * matches a finding by its subject's path). Reentrant:
 * any number of threads may evaluate one policy at once. Failures: JOINUP_INVALID_ARGUMENT (an
 * as_of that is not a date), JOINUP_UNKNOWN_RULE (an id in `only`), JOINUP_STEP_LIMIT,
 * JOINUP_MEMORY_LIMIT, JOINUP_INVALID_UTF8 (an id or tag), JOINUP_MISUSE (NULL, wrong handles, options not
 * initialised). */
JOINUP_API joinup_status joinup_policy_evaluate(const joinup_policy *policy, const joinup_document *document,
                                                const joinup_evaluate_options *options, joinup_result **result,
                                                joinup_error **error);

/* ============================================================================================ */
/* Results                                                                                      */
/* ============================================================================================ */

typedef enum joinup_outcome {
  JOINUP_OUTCOME_PASS = 0,
  JOINUP_OUTCOME_FAIL = 1,
  JOINUP_OUTCOME_UNDETERMINED = 2,  /* the data could not be judged: a value missing, a wrong type */
  JOINUP_OUTCOME_NOT_APPLICABLE = 3 /* the rule's `when` was false */
} joinup_outcome;

/* Counts of a result. Borrowed from the result: valid until joinup_result_free. */
typedef struct joinup_summary {
  uint32_t rules; /* rules evaluated = passed + failed + undetermined + not_applicable */
  uint32_t passed;
  uint32_t failed;
  uint32_t undetermined;
  uint32_t not_applicable;
  uint32_t violations;              /* failing subjects only (C++: summary::failing_subjects) */
  uint32_t undetermined_subjects;   /* subjects that could not be judged */
  uint32_t failed_by_severity[3];   /* failed rules, indexed by joinup_severity */
  uint32_t findings;                /* violations + undetermined_subjects: what joinup_result_violation iterates */
  uint32_t findings_by_severity[3]; /* findings, indexed by their rule's joinup_severity */
  uint32_t waived;                  /* rules whose every finding is waived (not counted as failed or
                                       undetermined: passed + failed + undetermined + not_applicable
                                       + waived == rules) */
  uint32_t waived_findings;         /* findings a waiver covers (counted in violations and
                                       undetermined_subjects too) */
} joinup_summary;

/* One explained sub-expression of a failing require, as in a power assert. */
typedef struct joinup_explanation_entry {
  const char *expression; /* source text: leaver.replacement.scope */
  const char *value;      /* the value as the rule language prints it: "single-organisation" */
} joinup_explanation_entry;

/* A finding: a subject that failed a rule or could not be judged. Borrowed from the result. */
typedef struct joinup_violation {
  const char *rule_id;      /* full id */
  joinup_severity severity; /* the rule's severity */
  joinup_outcome outcome;   /* JOINUP_OUTCOME_FAIL or JOINUP_OUTCOME_UNDETERMINED */
  const char *message;      /* rendered message, or for undetermined the reason */
  const char *subject;      /* path in the data: partnership.leavers[3]; "" for the root */
  const char *data_file;    /* the document's origin */
  uint32_t data_line;       /* of the subject in the data; 0 when not known (built documents) */
  uint32_t data_column;
  const char *rule_file; /* the rule file */
  uint32_t rule_line;    /* of the clause's expression */
  uint32_t rule_column;
  const char *clause;       /* "require", "where", "when" or "for each" */
  const char *require_text; /* source text of that clause's expression */
  size_t explanation_count;
  const joinup_explanation_entry *explanation; /* explanation_count entries */
  const char *remedy;                          /* the rule's remedy for this subject; "" if none */
  int waived;                                  /* 1 when a waiver that has not expired covers it: it does not fail */
  const char *waiver_reason; /* the reason of the waiver that matches it (expired or not); "" if none */
} joinup_violation;

/* The outcome of one evaluated rule. Borrowed from the result. */
typedef struct joinup_rule_outcome {
  const char *rule_id;
  joinup_severity severity;
  joinup_outcome outcome;
  uint32_t subjects;      /* subjects judged */
  size_t first_violation; /* its findings are joinup_result_violation(first_violation + 0 .. count - 1) */
  size_t violation_count;
} joinup_rule_outcome;

/* The counts; *summary is borrowed from the result. */
JOINUP_API joinup_status joinup_result_summary(const joinup_result *result, const joinup_summary **summary);
/* How many findings the result has: every violation, failing and undetermined alike
 * (summary->findings, not summary->violations, which counts the failing ones alone). */
JOINUP_API joinup_status joinup_result_violation_count(const joinup_result *result, size_t *count);
/* The finding at `index` (< count): in rule order, then document order. Borrowed. */
JOINUP_API joinup_status joinup_result_violation(const joinup_result *result, size_t index,
                                                 const joinup_violation **violation);
/* How many rules were evaluated, and each one's outcome (in rule-set order). Borrowed. */
JOINUP_API joinup_status joinup_result_rule_count(const joinup_result *result, size_t *count);
JOINUP_API joinup_status joinup_result_rule(const joinup_result *result, size_t index,
                                            const joinup_rule_outcome **rule);
/* Whether the check fails at a severity threshold, as `joinup check --fail-on`: *fails is 1 when
 * a finding at or above `threshold` counts as failing (undetermined ones count unless the options
 * said undetermined_fails = 0; waived ones never count), or when the threshold admits warnings and
 * a waiver is unused or expired; 0 otherwise. */
JOINUP_API joinup_status joinup_result_fails(const joinup_result *result, joinup_severity threshold, int *fails);
/* The evaluation date, "YYYY-MM-DD". Borrowed: lives until joinup_result_free. */
JOINUP_API joinup_status joinup_result_as_of(const joinup_result *result, const char **as_of);

/* What became of a waiver given to the evaluation. */
typedef enum joinup_waiver_state {
  JOINUP_WAIVER_USED = 0,         /* it waives at least one finding */
  JOINUP_WAIVER_UNUSED = 1,       /* it matches no finding (reported as a warning) */
  JOINUP_WAIVER_EXPIRED = 2,      /* its expiry date is before the as-of date: it waives nothing (a warning) */
  JOINUP_WAIVER_NOT_EVALUATED = 3 /* its rule was left out by `only` or `tags` */
} joinup_waiver_state;

/* A waiver and what became of it. Borrowed from the result. */
typedef struct joinup_waiver_outcome {
  const char *rule;    /* the full rule id it names */
  const char *subject; /* the subject path it names; "" for every subject of the rule */
  const char *reason;
  const char *approved_by; /* "" if not given */
  const char *expires;     /* "YYYY-MM-DD"; "" if it does not lapse */
  const char *origin;      /* the waivers file (or origin) */
  uint32_t line;           /* of the waiver's entry in it */
  uint32_t column;
  joinup_waiver_state state;
  uint32_t matched; /* findings it matches (for an expired one: those it would have waived) */
  const char *note; /* why it is unused or expired, in words; "" when used */
} joinup_waiver_outcome;

/* How many waivers the evaluation was given (0 without), and each one's outcome, in the order of
 * the waivers file. Borrowed. */
JOINUP_API joinup_status joinup_result_waiver_count(const joinup_result *result, size_t *count);
JOINUP_API joinup_status joinup_result_waiver(const joinup_result *result, size_t index,
                                              const joinup_waiver_outcome **waiver);

/* The report formats of `joinup check --format`, by index: "text", "json", "sarif", "junit",
 * "github", "html", "markdown",
 * "codequality", ... (static strings); JOINUP_INVALID_ARGUMENT and *name NULL past the last.
 * New versions may add formats at the end. */
JOINUP_API joinup_status joinup_report_format(size_t index, const char **name);
/* The whole result as `joinup check --format FORMAT` writes it for this one file (without
 * colour), waivers included: `format` is one of the names joinup_report_format gives.
 * JOINUP_INVALID_ARGUMENT for a name that is no format. Made on the first call for each format;
 * borrowed: lives until joinup_result_free. */
JOINUP_API joinup_status joinup_result_report(const joinup_result *result, const char *format, const char **report);
/* The same as joinup_result_report(result, "json", json): the JSON document of docs/json-output.md. */
JOINUP_API joinup_status joinup_result_json(const joinup_result *result, const char **json);
/* The same as joinup_result_report(result, "text", text). */
JOINUP_API joinup_status joinup_result_text(const joinup_result *result, const char **text);
/* Frees a result. NULL is accepted. */
JOINUP_API void joinup_result_free(joinup_result *result);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* JOINUP_H */
