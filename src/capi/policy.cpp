// The C interface: policies (compiling, loading, the standard pack, rule metadata) and evaluation.
#include <dlfcn.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "capi/handles.hpp"
#include "diag/codes.hpp"

using namespace joinup::capi;

namespace {

joinup::compile_options compile_options_of(const joinup_compile_options* o) {
  joinup::compile_options c;
  if (!o) return c;
  if (JOINUP_HAS_FIELD(o, joinup_compile_options, max_file_bytes)) c.max_file_bytes = o->max_file_bytes;
  if (JOINUP_HAS_FIELD(o, joinup_compile_options, max_expression_depth))
    c.max_expression_depth = o->max_expression_depth;
  if (JOINUP_HAS_FIELD(o, joinup_compile_options, max_regex_bytes)) c.max_regex_bytes = o->max_regex_bytes;
  return c;
}

bool options_ok(const joinup_compile_options* o) { return !o || o->struct_size >= sizeof(std::size_t); }

// A new policy handle around a compiled policy, with the C views of its rules.
std::unique_ptr<joinup_policy> make_policy(joinup::policy p) {
  auto h = std::make_unique<joinup_policy>();
  h->policy = std::move(p);
  const auto& rules = h->policy.rules();
  h->tags.resize(rules.size());
  h->rules.reserve(rules.size());
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const auto& r = rules[i];
    for (const auto& t : r.tags) h->tags[i].push_back(t.c_str());
    joinup_rule v{};
    v.id = r.full_id.c_str();
    v.package = r.package.c_str();
    v.short_id = r.id.c_str();
    v.title = r.title.c_str();
    v.severity = static_cast<joinup_severity>(r.severity);
    v.tag_count = h->tags[i].size();
    v.tags = h->tags[i].data();
    v.source = r.source.c_str();
    v.rationale = r.rationale.c_str();
    v.remedy = r.remedy.c_str();
    v.file = r.origin.c_str();
    v.line = r.position.line;
    v.column = r.position.column;
    v.text = r.text.c_str();
    h->rules.push_back(v);
  }
  return h;
}

// The directory of the shared library (or program) this code is part of.
std::filesystem::path own_location() {
  Dl_info info{};
  if (!dladdr(reinterpret_cast<void*>(&joinup_policy_load_standard), &info) || !info.dli_fname) return {};
  // The name the loader used may be relative or hold "..": the real directory decides.
  std::error_code ec;
  auto file = std::filesystem::canonical(info.dli_fname, ec);
  return ec ? std::filesystem::path() : file.parent_path();
}

std::string standard_rules_dir() {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (const char* env = std::getenv("JOINUP_RULES"); env && *env) return env;
  // <prefix>/lib/libjoinup.so, <prefix>/lib/<multiarch>/libjoinup.so, or a program linked with the
  // static library in <prefix>/bin: the pack is <prefix>/share/joinup/rules (a relocated install works).
  if (const auto here = own_location(); !here.empty()) {
    for (const auto& dir : {here, here.parent_path()}) {
      const auto name = dir.filename();
      if (name != "lib" && name != "lib64" && name != "bin") continue;
      const auto candidate = dir.parent_path() / "share" / "joinup" / "rules";
      if (fs::is_directory(candidate, ec)) return candidate.string();
    }
  }
#ifdef JOINUP_INSTALLED_RULES_DIR
  if (fs::is_directory(JOINUP_INSTALLED_RULES_DIR, ec)) return JOINUP_INSTALLED_RULES_DIR;
#endif
#ifdef JOINUP_SOURCE_RULES_DIR
  if (fs::is_directory(JOINUP_SOURCE_RULES_DIR, ec)) return JOINUP_SOURCE_RULES_DIR;
#endif
  return {};
}

}  // namespace

extern "C" {

void joinup_compile_options_init_sized(joinup_compile_options* options, size_t size) {
  const joinup::compile_options d;
  joinup_compile_options c{};
  c.max_file_bytes = d.max_file_bytes;
  c.max_expression_depth = d.max_expression_depth;
  c.max_regex_bytes = d.max_regex_bytes;
  init_options(options, size, c);
}

// (The name in brackets: joinup.h defines a macro of the same name for callers.)
void(joinup_compile_options_init)(joinup_compile_options* options) {
  joinup_compile_options_init_sized(options, offsetof(joinup_compile_options, max_regex_bytes));
}

joinup_status joinup_policy_compile_texts(const joinup_rule_text* texts, size_t count,
                                          const joinup_compile_options* options, joinup_policy** policy,
                                          joinup_error** error) {
  if (error) *error = nullptr;
  if (!policy) return fail(error, JOINUP_MISUSE, "the policy out-pointer is NULL");
  *policy = nullptr;
  if (!texts && count) return fail(error, JOINUP_MISUSE, "the rule texts are NULL");
  if (!options_ok(options)) return fail(error, JOINUP_MISUSE, "compile options not initialised");
  const auto stage = [&] {
    return count == 1 ? "compiling the rules of '" + std::string(texts[0].origin ? texts[0].origin : "<memory>") + "'"
                      : std::string("compiling rule texts");
  };
  return guarded(error, JOINUP_RULE_ERROR, stage, [&] {
    std::vector<joinup::rule_source> sources;
    for (std::size_t i = 0; i < count; ++i) {
      const auto& t = texts[i];
      if (!t.text) return fail(error, JOINUP_MISUSE, "rule text " + std::to_string(i) + " is NULL");
      std::string origin = t.origin ? t.origin : "<memory>";
      if (const auto p = utf8_problem(origin); !p.empty())
        return fail(error, JOINUP_INVALID_UTF8, "the origin name is not valid UTF-8" + p);
      const auto text = text_of(t.text, t.length);
      if (const auto bad = joinup::diag::find_invalid_utf8(text); bad != std::string_view::npos) {
        auto d = joinup::diag::invalid_utf8_error(text, bad, origin, "rule files must be UTF-8 encoded", false);
        return fail(error, JOINUP_INVALID_UTF8, std::vector<joinup::diagnostic>{std::move(d)});
      }
      sources.push_back({std::move(origin), std::string(text)});
    }
    *policy = make_policy(joinup::policy::compile(sources, compile_options_of(options))).release();
    return JOINUP_OK;
  });
}

joinup_status joinup_policy_compile(const char* origin, const char* text, size_t length,
                                    const joinup_compile_options* options, joinup_policy** policy,
                                    joinup_error** error) {
  if (!text) {
    if (error) *error = nullptr;
    if (policy) *policy = nullptr;
    return fail(error, JOINUP_MISUSE, "the rule text is NULL");
  }
  const joinup_rule_text t{origin, text, length};
  return joinup_policy_compile_texts(&t, 1, options, policy, error);
}

joinup_status joinup_policy_load(const char* const* paths, size_t count, const joinup_compile_options* options,
                                 joinup_policy** policy, joinup_error** error) {
  if (error) *error = nullptr;
  if (!policy) return fail(error, JOINUP_MISUSE, "the policy out-pointer is NULL");
  *policy = nullptr;
  if (!paths && count) return fail(error, JOINUP_MISUSE, "the paths are NULL");
  if (!options_ok(options)) return fail(error, JOINUP_MISUSE, "compile options not initialised");
  const auto stage = [&] {
    return count && paths[0] ? "loading the rules of '" + std::string(paths[0]) + "'" + (count > 1 ? " and more" : "")
                             : std::string("loading rule files");
  };
  return guarded(error, JOINUP_RULE_ERROR, stage, [&] {
    std::vector<std::string> list;
    for (std::size_t i = 0; i < count; ++i) {
      if (!paths[i]) return fail(error, JOINUP_MISUSE, "path " + std::to_string(i) + " is NULL");
      if (const auto p = utf8_problem(paths[i]); !p.empty())
        return fail(error, JOINUP_INVALID_UTF8, "path " + std::to_string(i) + " is not valid UTF-8" + p);
      list.emplace_back(paths[i]);
    }
    if (list.empty()) return fail(error, JOINUP_INVALID_ARGUMENT, "no rule paths given");
    std::vector<joinup::diagnostic> notes;
    joinup::policy loaded;
    try {
      loaded = joinup::policy::load(list, compile_options_of(options), notes);
    } catch (const joinup::error& e) {
      // The notes of the files skipped follow the errors: they may be why a directory holds no rules.
      auto ds = e.diagnostics();
      ds.insert(ds.end(), notes.begin(), notes.end());
      const auto status = status_of(ds, JOINUP_RULE_ERROR);
      return fail(error, status, std::move(ds));
    }
    // A directory may hold a file whose name is not UTF-8: the rules' file names are given out.
    for (const auto& r : loaded.rules())
      if (const auto p = utf8_problem(r.origin); !p.empty())
        return fail(
            error, JOINUP_INVALID_UTF8,
            "the name of the rule file " + joinup::diag::escape_invalid_utf8(r.origin) + " is not valid UTF-8" + p);
    auto h = make_policy(std::move(loaded));
    h->rule_dirs = std::make_shared<const std::vector<std::string>>(std::move(list));
    h->notes = std::move(notes);
    h->note_views = view_diagnostics(h->notes, h->rendered_notes);
    *policy = h.release();
    return JOINUP_OK;
  });
}

joinup_status joinup_policy_load_standard(const joinup_compile_options* options, joinup_policy** policy,
                                          joinup_error** error) {
  if (error) *error = nullptr;
  if (!policy) return fail(error, JOINUP_MISUSE, "the policy out-pointer is NULL");
  *policy = nullptr;
  const auto stage = [] { return "loading the standard rule pack"; };
  return guarded(error, JOINUP_RULE_ERROR, stage, [&] {
    const auto dir = standard_rules_dir();
    if (dir.empty())
      return fail(error, JOINUP_NOT_FOUND, "the standard rule pack was not found (set JOINUP_RULES to its directory)");
    const char* paths[] = {dir.c_str()};
    return joinup_policy_load(paths, 1, options, policy, error);
  });
}

void joinup_policy_free(joinup_policy* policy) {
  if (is(policy, tag::policy)) destroy(policy);
}

joinup_status joinup_policy_rule_count(const joinup_policy* policy, size_t* count) {
  if (!count) return JOINUP_MISUSE;
  *count = 0;
  if (!is(policy, tag::policy)) return JOINUP_MISUSE;
  *count = policy->rules.size();
  return JOINUP_OK;
}

joinup_status joinup_policy_rule(const joinup_policy* policy, size_t index, const joinup_rule** rule) {
  if (!rule) return JOINUP_MISUSE;
  *rule = nullptr;
  if (!is(policy, tag::policy)) return JOINUP_MISUSE;
  if (index >= policy->rules.size()) return JOINUP_INVALID_ARGUMENT;
  *rule = &policy->rules[index];
  return JOINUP_OK;
}

joinup_status joinup_policy_find_rule(const joinup_policy* policy, const char* id, const joinup_rule** rule) {
  if (!rule) return JOINUP_MISUSE;
  *rule = nullptr;
  if (!is(policy, tag::policy) || !id) return JOINUP_MISUSE;
  for (const auto& r : policy->rules)
    if (std::strcmp(r.id, id) == 0) {
      *rule = &r;
      return JOINUP_OK;
    }
  return JOINUP_UNKNOWN_RULE;
}

joinup_status joinup_policy_note_count(const joinup_policy* policy, size_t* count) {
  if (!count) return JOINUP_MISUSE;
  *count = 0;
  if (!is(policy, tag::policy)) return JOINUP_MISUSE;
  *count = policy->note_views.size();
  return JOINUP_OK;
}

joinup_status joinup_policy_note(const joinup_policy* policy, size_t index, const joinup_diagnostic** note) {
  if (!note) return JOINUP_MISUSE;
  *note = nullptr;
  if (!is(policy, tag::policy)) return JOINUP_MISUSE;
  if (index >= policy->note_views.size()) return JOINUP_INVALID_ARGUMENT;
  *note = &policy->note_views[index];
  return JOINUP_OK;
}

}  // extern "C"
