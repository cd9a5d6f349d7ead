// The C interface: version, status codes, error objects, and the boundary helpers.
#include <algorithm>
#include <cstring>
#include <utility>

#include "capi/handles.hpp"
#include "diag/codes.hpp"

static_assert(JOINUP_VERSION_NUMBER == JOINUP_VERSION_MAJOR * 10000 + JOINUP_VERSION_MINOR * 100 + JOINUP_VERSION_PATCH,
              "bindings/c/joinup.h and include/joinup/version.hpp disagree on the version");
static_assert(std::string_view(JOINUP_VERSION) == std::string_view(JOINUP_VERSION_STRING),
              "bindings/c/joinup.h and include/joinup/version.hpp disagree on the version");

namespace joinup::capi {

namespace {

// The status of an error diagnostic, by its code; codes not listed take the caller's `otherwise`.
constexpr std::pair<diag::code, joinup_status> status_by_code[] = {
    {diag::code::too_large, JOINUP_TOO_LARGE},       {diag::code::too_deep, JOINUP_TOO_DEEP},
    {diag::code::invalid_utf8, JOINUP_INVALID_UTF8}, {diag::code::file_not_found, JOINUP_NOT_FOUND},
    {diag::code::not_a_file, JOINUP_NOT_FOUND},      {diag::code::no_rules, JOINUP_NOT_FOUND},
    {diag::code::unsupported, JOINUP_UNSUPPORTED},   {diag::code::step_limit, JOINUP_STEP_LIMIT},
    {diag::code::memory_limit, JOINUP_MEMORY_LIMIT}, {diag::code::unknown_rule, JOINUP_UNKNOWN_RULE},
    {diag::code::builder_misuse, JOINUP_MISUSE},     {diag::code::data_parse, JOINUP_DATA_ERROR},
    {diag::code::duplicate_key, JOINUP_DATA_ERROR},
};

}  // namespace

joinup_status status_of(const std::vector<diagnostic>& ds, joinup_status otherwise) {
  // The first error decides.
  const auto first =
      std::find_if(ds.begin(), ds.end(), [](const diagnostic& d) { return d.level == diagnostic_level::error; });
  if (first == ds.end()) return otherwise;
  const auto code = diag::code_of(first->code);
  if (!code) return otherwise;
  for (const auto& [c, status] : status_by_code)
    if (c == *code) return status;
  return otherwise;
}

std::vector<joinup_diagnostic> view_diagnostics(std::vector<diagnostic>& ds, std::vector<std::string>& rendered) {
  for (auto& d : ds)
    for (std::string* s : {&d.code, &d.message, &d.origin, &d.source_line, &d.help})
      if (diag::find_invalid_utf8(*s) != std::string_view::npos) *s = diag::escape_invalid_utf8(*s);
  rendered.clear();
  for (const auto& d : ds) rendered.push_back(render(d));
  std::vector<joinup_diagnostic> views;
  for (std::size_t i = 0; i < ds.size(); ++i) {
    const auto& d = ds[i];
    joinup_diagnostic v{};
    v.level = static_cast<joinup_level>(d.level);
    v.code = d.code.c_str();
    v.message = d.message.c_str();
    v.origin = d.origin.c_str();
    v.line = d.line;
    v.column = d.column;
    v.length = d.length;
    v.source_line = d.source_line.c_str();
    v.help = d.help.c_str();
    v.rendered = rendered[i].c_str();
    views.push_back(v);
  }
  return views;
}

joinup_status fail(joinup_error** out, joinup_status status, std::vector<diagnostic> ds) noexcept {
  if (!out) return status;
  *out = nullptr;
  try {
    auto e = std::make_unique<joinup_error>();
    e->status = status;
    if (ds.empty()) {
      diagnostic d;
      d.code = diag::to_string(diag::code::error);
      d.message = joinup_status_text(status);
      ds.push_back(std::move(d));
    }
    e->diagnostics = std::move(ds);
    e->views = view_diagnostics(e->diagnostics, e->rendered);
    e->text = render(e->diagnostics);
    *out = e.release();
    return status;
  } catch (...) {
    return JOINUP_NO_MEMORY;
  }
}

joinup_status fail(joinup_error** out, joinup_status status, std::string message, std::string origin) noexcept {
  if (!out) return status;
  *out = nullptr;
  try {
    diagnostic d;
    d.code = diag::to_string(status == JOINUP_MISUSE         ? diag::code::misuse
                             : status == JOINUP_INVALID_UTF8 ? diag::code::invalid_utf8
                                                             : diag::code::error);
    d.message = std::move(message);
    d.origin = std::move(origin);
    return fail(out, status, std::vector<diagnostic>{std::move(d)});
  } catch (...) {
    return JOINUP_NO_MEMORY;
  }
}

}  // namespace joinup::capi

using namespace joinup::capi;

extern "C" {

const char* joinup_version(void) { return JOINUP_VERSION; }
int joinup_version_number(void) { return JOINUP_VERSION_NUMBER; }
int joinup_abi_version(void) { return JOINUP_ABI_VERSION; }

const char* joinup_status_text(joinup_status status) {
  switch (raw_enum(status)) {
    case JOINUP_OK: return "ok";
    case JOINUP_ERROR: return "internal error";
    case JOINUP_MISUSE: return "library misuse";
    case JOINUP_NO_MEMORY: return "out of memory";
    case JOINUP_INVALID_ARGUMENT: return "invalid argument";
    case JOINUP_INVALID_UTF8: return "invalid UTF-8";
    case JOINUP_NOT_FOUND: return "file not found";
    case JOINUP_RULE_ERROR: return "rules do not compile";
    case JOINUP_UNSUPPORTED: return "not supported";
    case JOINUP_DATA_ERROR: return "data does not parse";
    case JOINUP_TOO_LARGE: return "input too large";
    case JOINUP_TOO_DEEP: return "input nested too deeply";
    case JOINUP_STEP_LIMIT: return "step budget used up";
    case JOINUP_UNKNOWN_RULE: return "unknown rule";
    case JOINUP_MEMORY_LIMIT: return "memory budget used up";
  }
  return "unknown status";
}

joinup_status joinup_error_status(const joinup_error* error) {
  return is(error, tag::error) ? error->status : JOINUP_MISUSE;
}

const char* joinup_error_message(const joinup_error* error) {
  return is(error, tag::error) ? error->views.front().message : "";
}

const char* joinup_error_origin(const joinup_error* error) {
  return is(error, tag::error) ? error->views.front().origin : "";
}

uint32_t joinup_error_line(const joinup_error* error) { return is(error, tag::error) ? error->views.front().line : 0; }

uint32_t joinup_error_column(const joinup_error* error) {
  return is(error, tag::error) ? error->views.front().column : 0;
}

const char* joinup_error_text(const joinup_error* error) { return is(error, tag::error) ? error->text.c_str() : ""; }

joinup_status joinup_error_diagnostic_count(const joinup_error* error, size_t* count) {
  if (!count) return JOINUP_MISUSE;
  *count = 0;
  if (!is(error, tag::error)) return JOINUP_MISUSE;
  *count = error->views.size();
  return JOINUP_OK;
}

joinup_status joinup_error_diagnostic(const joinup_error* error, size_t index, const joinup_diagnostic** diagnostic) {
  if (!diagnostic) return JOINUP_MISUSE;
  *diagnostic = nullptr;
  if (!is(error, tag::error)) return JOINUP_MISUSE;
  if (index >= error->views.size()) return JOINUP_INVALID_ARGUMENT;
  *diagnostic = &error->views[index];
  return JOINUP_OK;
}

void joinup_error_free(joinup_error* error) {
  if (is(error, tag::error)) destroy(error);
}

}  // extern "C"
