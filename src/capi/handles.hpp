// The C interface's handles and the boundary every entry point goes through: the magic tag
// checked on entry, exceptions turned into status codes and error objects, and UTF-8 checks.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "diag/utf8.hpp"
#include "joinup.h"
#include "joinup/joinup.hpp"

namespace joinup::capi {

// A tag at the start of every handle: a wrong kind of handle, or one already freed, is refused
// with JOINUP_MISUSE instead of being used.
enum class tag : std::uint32_t {
  dead = 0,
  policy = 0x4A55504Cu,    // "JUPL"
  document = 0x4A554443u,  // "JUDC"
  builder = 0x4A554255u,   // "JUBU"
  result = 0x4A555253u,    // "JURS"
  error = 0x4A554552u,     // "JUER"
  waivers = 0x4A555756u,   // "JUWV"
};

struct handle {
  explicit handle(tag t) : magic(t) {}
  tag magic;
};

// Whether `p` is a live handle of kind `t`. Reads only the tag.
template <class T>
bool is(const T* p, tag t) {
  return p != nullptr && reinterpret_cast<const handle*>(p)->magic == t;
}

// Clears the tag (a store the compiler may not drop) and deletes.
template <class T>
void destroy(T* p) {
  *static_cast<volatile tag*>(&p->magic) = tag::dead;
  delete p;
}

// The status a joinup::error stands for, from its first diagnostic's code.
joinup_status status_of(const std::vector<diagnostic>& ds, joinup_status otherwise);

// "" when s is valid UTF-8; otherwise why not, after ": " ("byte 0xFF at byte offset 3 does not
// start a valid character"), for the messages that refuse it.
inline std::string utf8_problem(std::string_view s) {
  const auto at = joinup::diag::find_invalid_utf8(s);
  return at == std::string_view::npos ? std::string() : ": " + joinup::diag::invalid_utf8_detail(s, at);
}

// The C views of diagnostics, pointing into them and into `rendered` (filled here with each one
// rendered): they live as long as both vectors are neither changed nor freed. A text that is not
// UTF-8 (a file name or an argument echoed in a message) is first written as \xNN.
std::vector<joinup_diagnostic> view_diagnostics(std::vector<diagnostic>& ds, std::vector<std::string>& rendered);

// Stores a new error object in *out (when out is not NULL) and returns `status`. Never throws: if
// the error object cannot be made, *out is NULL and the status is JOINUP_NO_MEMORY.
// Every text of an error is UTF-8: bytes that are not (from a path or an argument echoed in a
// message) are written as \xNN (diag::escape_invalid_utf8).
joinup_status fail(joinup_error** out, joinup_status status, std::vector<diagnostic> ds) noexcept;
joinup_status fail(joinup_error** out, joinup_status status, std::string message, std::string origin = {}) noexcept;

// What ran out while doing what (JOINUP_NO_MEMORY): "out of memory while evaluating the rules
// against 'plan.yaml': the process could not allocate more memory"; just "out of memory" when even
// that message cannot be made (and no error object at all when that cannot be).
template <class S>
joinup_status out_of_memory(joinup_error** out, S& stage) noexcept {
  std::string message;
  try {
    message = "out of memory while " + std::string(stage()) + ": the process could not allocate more memory";
  } catch (...) {
    return fail(out, JOINUP_NO_MEMORY, "out of memory");
  }
  return fail(out, JOINUP_NO_MEMORY, std::move(message));
}

// Runs `body` at the boundary: every exception becomes a status (and an error object when asked
// for); `otherwise` is the status of a joinup::error whose code names no more precise one.
// `stage` says what the call does ("reading data 'plan.yaml'"), for the message when memory runs
// out (std::bad_alloc, std::length_error: JOINUP_NO_MEMORY); it is called only then.
template <class S, class F>
joinup_status guarded(joinup_error** out, joinup_status otherwise, S&& stage, F&& body) noexcept {
  try {
    return body();
  } catch (const joinup::error& e) {
    try {
      return fail(out, status_of(e.diagnostics(), otherwise), e.diagnostics());
    } catch (...) {
      return JOINUP_NO_MEMORY;
    }
  } catch (const std::bad_alloc&) {
    return out_of_memory(out, stage);
  } catch (const std::length_error&) {
    return out_of_memory(out, stage);
  } catch (const std::exception& e) {
    return fail(out, JOINUP_ERROR, std::string("internal error: ") + e.what());
  } catch (...) {
    return fail(out, JOINUP_ERROR, "internal error");
  }
}

// The number a C caller passed as an enum. C lets any int through where C++ may assume the
// enumerators' range, so the value is read as the int it is before it is compared.
template <class E>
int raw_enum(const E& e) noexcept {
  static_assert(sizeof(E) == sizeof(int));
  int v;
  std::memcpy(&v, &e, sizeof v);
  return v;
}

// The text of a (pointer, length) pair where length may be JOINUP_NUL_TERMINATED.
inline std::string_view text_of(const char* p, std::size_t length) {
  return length == JOINUP_NUL_TERMINATED ? std::string_view(p) : std::string_view(p, length);
}

// Whether an options struct given by the caller holds `field` (it may come from an older header).
#define JOINUP_HAS_FIELD(s, T, field) ((s)->struct_size >= offsetof(T, field) + sizeof((s)->field))

// An options struct's _init: the defaults' first `size` bytes (at most the whole struct), so that
// a caller whose header had fewer fields gets no write past its struct; struct_size says how many
// fields the caller has. A size too small to hold struct_size writes nothing.
template <class T>
void init_options(T* options, std::size_t size, const T& defaults) {
  if (!options || size < sizeof(std::size_t)) return;
  if (size > sizeof(T)) size = sizeof(T);
  T d = defaults;
  d.struct_size = size;
  std::memcpy(static_cast<void*>(options), &d, size);
}

}  // namespace joinup::capi

struct joinup_error : joinup::capi::handle {
  joinup_error() : handle(joinup::capi::tag::error) {}
  joinup_status status = JOINUP_ERROR;
  std::vector<joinup::diagnostic> diagnostics;  // at least one
  std::vector<std::string> rendered;
  std::vector<joinup_diagnostic> views;
  std::string text;
};

struct joinup_policy : joinup::capi::handle {
  joinup_policy() : handle(joinup::capi::tag::policy) {}
  joinup::policy policy;
  // The paths it was loaded from (SARIF locates rule files by them), shared with its results.
  std::shared_ptr<const std::vector<std::string>> rule_dirs = std::make_shared<const std::vector<std::string>>();
  std::vector<std::vector<const char*>> tags;  // per rule
  std::vector<joinup_rule> rules;
  // The notes of the files a load skipped (joinup_policy_note), with their C views.
  std::vector<joinup::diagnostic> notes;
  std::vector<std::string> rendered_notes;
  std::vector<joinup_diagnostic> note_views;
};

struct joinup_document : joinup::capi::handle {
  joinup_document() : handle(joinup::capi::tag::document) {}
  joinup::document document;
};

struct joinup_waivers : joinup::capi::handle {
  joinup_waivers() : handle(joinup::capi::tag::waivers) {}
  std::vector<joinup::waiver> waivers;
};

namespace joinup::capi {
// The report formats of `joinup check --format`, in the order joinup_report_format lists them.
inline constexpr std::size_t report_format_count = 8;
}  // namespace joinup::capi

struct joinup_result : joinup::capi::handle {
  joinup_result() : handle(joinup::capi::tag::result) {}
  joinup::policy policy;                                      // shares the compiled rules, for the reports
  std::shared_ptr<const std::vector<std::string>> rule_dirs;  // the policy's, for the SARIF report
  joinup::findings found;     // outcomes and failing subjects; each finding is rendered when first asked for
  std::once_flag as_of_once;  // as_of is written on first request
  std::string as_of;
  std::once_flag summary_once;  // summary is made on first request (summary_of)
  joinup_summary summary{};
  // The rules' outcomes as the C views show them: made on first request (a host that asks only
  // whether the result fails never pays for them).
  std::once_flag rules_once;
  std::vector<joinup_rule_outcome> rules;
  // A finding rendered, with the C view of it (pointing into `violation`).
  struct rendered {
    joinup::violation violation;
    std::vector<joinup_explanation_entry> explanation;
    joinup_violation view{};
  };
  // Findings and reports are made on first request; a result may be read from several threads
  // at once.
  std::mutex rendered_mutex;
  std::vector<std::unique_ptr<rendered>> findings;  // per finding, null until asked for; empty until the first
  // The run every report is made from: this one file, every finding rendered, and the waivers'
  // outcomes. Made at evaluation when there are waivers (matching needs the subjects' paths),
  // otherwise on the first report.
  std::once_flag run_once;
  joinup::check_results run;
  bool waived = false;                         // waivers were given: `run` is made, and findings are read from it
  std::vector<const joinup::violation*> flat;  // with waivers: run's violations in finding order
  struct waiver_view {
    std::string expires;
    joinup_waiver_outcome view{};
  };
  std::vector<waiver_view> waivers;
  std::array<std::once_flag, joinup::capi::report_format_count> report_once;
  std::array<std::string, joinup::capi::report_format_count> reports;
};
