// The C interface: waivers read from a file or from text, for joinup_policy_evaluate.
#include "joinup/waivers.hpp"
#include "capi/handles.hpp"
#include "diag/text.hpp"

using namespace joinup::capi;

namespace {

joinup_status make_waivers(std::vector<joinup::waiver> list, joinup_waivers** waivers) {
  auto h = std::make_unique<joinup_waivers>();
  h->waivers = std::move(list);
  *waivers = h.release();
  return JOINUP_OK;
}

}  // namespace

extern "C" {

joinup_status joinup_waivers_parse(const char* text, size_t length, const char* origin, joinup_waivers** waivers,
                                   joinup_error** error) {
  if (error) *error = nullptr;
  if (!waivers) return fail(error, JOINUP_MISUSE, "the waivers out-pointer is NULL");
  *waivers = nullptr;
  if (!text) return fail(error, JOINUP_MISUSE, "the waivers text is NULL");
  const std::string name = origin ? origin : "<memory>";
  const auto stage = [&] { return "reading waivers '" + name + "'"; };
  return guarded(error, JOINUP_DATA_ERROR, stage, [&] {
    const auto t = text_of(text, length);
    if (const auto p = utf8_problem(name); !p.empty())
      return fail(error, JOINUP_INVALID_UTF8, "the origin is not valid UTF-8" + p);
    if (const auto bad = joinup::diag::find_invalid_utf8(t); bad != std::string_view::npos) {
      auto d = joinup::diag::invalid_utf8_error(t, bad, name, "waivers files must be UTF-8 encoded", false);
      return fail(error, JOINUP_INVALID_UTF8, std::vector<joinup::diagnostic>{std::move(d)});
    }
    return make_waivers(joinup::load_waivers(t, name), waivers);
  });
}

joinup_status joinup_waivers_load_file(const char* path, joinup_waivers** waivers, joinup_error** error) {
  if (error) *error = nullptr;
  if (!waivers) return fail(error, JOINUP_MISUSE, "the waivers out-pointer is NULL");
  *waivers = nullptr;
  if (!path) return fail(error, JOINUP_MISUSE, "the path is NULL");
  const auto stage = [&] { return "reading waivers file '" + std::string(path) + "'"; };
  return guarded(error, JOINUP_DATA_ERROR, stage, [&] {
    if (const auto p = utf8_problem(path); !p.empty())
      return fail(error, JOINUP_INVALID_UTF8, "the path is not valid UTF-8" + p);
    return make_waivers(joinup::load_waivers_file(path), waivers);
  });
}

joinup_status joinup_waivers_count(const joinup_waivers* waivers, size_t* count) {
  if (!count) return JOINUP_MISUSE;
  *count = 0;
  if (!is(waivers, tag::waivers)) return JOINUP_MISUSE;
  *count = waivers->waivers.size();
  return JOINUP_OK;
}

void joinup_waivers_free(joinup_waivers* waivers) {
  if (is(waivers, tag::waivers)) destroy(waivers);
}

}  // extern "C"
