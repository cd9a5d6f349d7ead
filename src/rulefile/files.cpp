#include "rulefile/files.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "diag/codes.hpp"
#include "diag/read.hpp"
#include "diag/source.hpp"
#include "diag/text.hpp"
#include "joinup/document.hpp"
#include "rulefile/yaml_rules.hpp"

namespace joinup::rulefile {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Files a directory contributes: rule files, but not rule tests (*.test.yaml).
bool is_rule_file(const std::filesystem::path& p) {
  const auto name = p.filename().string();
  if (ends_with(name, ".test.yaml") || ends_with(name, ".test.yml")) return false;
  return ends_with(name, ".jup") || is_yaml_name(name);
}

// The rule files under `dir`, searched recursively (directory links are not followed). A
// directory that cannot be read is a diagnostic: skipping it would drop its rules unseen.
void find_rule_files(const std::filesystem::path& dir, std::vector<std::filesystem::path>& found,
                     std::vector<diagnostic>& diags) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::error_code type_ec;
    const bool link = it->is_symlink(type_ec);
    if (it->is_directory(type_ec)) {
      if (!link) find_rule_files(it->path(), found, diags);
    } else if (is_rule_file(it->path())) {
      found.push_back(it->path());  // read_file refuses what is not a regular file
    }
  }
  if (ec)
    diags.push_back(diag::file_diagnostic(diag::code::file_not_found, dir.string(),
                                          "cannot read the rule directory: " + ec.message(),
                                          "every directory of a rule set must be readable"));
}

// Why a YAML file found in a rule directory is not a rule file, or "" when it is one: its top level
// is a list or a scalar, or a map with none of a rule file's keys (a data file, a waivers file).
// A file that is not YAML, an empty one, and one with any rule file key, or a key that is a
// misspelling of one (`rule:`, `Rules:`, `pakage:`), are rule files: their errors are reported,
// since they may be broken rule files (skipped, a misspelt `rules` would pass unseen).
std::string not_a_rule_file(const rule_source& file) {
  document doc;
  try {
    doc = load_document(file.text, file.origin, data_format::yaml);
  } catch (const joinup::error&) {
    return {};
  }
  if (doc.empty()) return {};
  const auto root = doc.root();
  switch (doc.kind(root)) {
    case value_kind::null: return {};
    case value_kind::list: return "it is a list, not a map with 'rules'";
    case value_kind::map: break;
    default: return "it is a single value, not a map with 'rules'";
  }
  for (const char* key : file_keys)
    if (doc.find(root, key) != document::npos) return {};
  for (std::size_t i = 0; i < doc.size(root); ++i) {
    std::string key(doc.key_text(doc.key_at(root, i)));
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
    for (const char* rule_key : file_keys)
      if (key == rule_key || diag::closest(key, {std::string_view(rule_key)}) == rule_key) return {};
  }
  return "it has no 'rules' key, nor any other key of a rule file";
}

}  // namespace

std::vector<rule_source> read_rule_files(const std::vector<std::string>& paths, std::uint64_t max_file_bytes,
                                         std::vector<diagnostic>& diags, std::vector<diagnostic>* notes) {
  namespace fs = std::filesystem;
  std::vector<rule_source> sources;
  const diag::read_request request{"rule file", max_file_bytes,
                                   "raise compile_options::max_file_bytes (--max-rule-bytes) to read it"};
  auto read = [&](const std::string& shown) {
    try {
      sources.push_back({shown, diag::read_file(shown, request)});
    } catch (const joinup::error& e) {
      diags.insert(diags.end(), e.diagnostics().begin(), e.diagnostics().end());
    }
  };
  std::vector<diagnostic> skipped;
  for (const auto& path : paths) {
    std::error_code ec;
    const fs::path p(path);
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> found;
      find_rule_files(p, found, diags);
      std::sort(found.begin(), found.end());
      if (found.empty())
        diags.push_back(diag::file_diagnostic(diag::code::no_rules, path,
                                              "no rule files (.jup, .yaml) in directory '" + path + "'"));
      const std::size_t before = sources.size(), errors = diags.size(), skips = skipped.size();
      for (const auto& f : found) {
        read(f.string());
        if (sources.empty() || sources.back().origin != f.string() || !is_yaml_name(f.filename().string())) continue;
        if (auto why = not_a_rule_file(sources.back()); !why.empty()) {
          sources.pop_back();
          skipped.push_back(diag::file_diagnostic(diag::code::not_a_rule_file, f.string(),
                                                  "not a rule file (" + why + "): skipped",
                                                  "name the file with --rules to read it as a rule file"));
          skipped.back().level = diagnostic_level::note;
        }
      }
      if (!found.empty() && sources.size() == before && diags.size() == errors) {
        const auto n = skipped.size() - skips;
        diags.push_back(diag::file_diagnostic(
            diag::code::no_rules, path,
            "no rule files (.jup, .yaml) in directory '" + path + "': " + std::to_string(n) +
                (n == 1 ? " YAML file was skipped as not a rule file" : " YAML files were skipped as not rule files")));
      }
    } else if (fs::exists(p, ec)) {
      read(path);
    } else {
      diags.push_back(diag::file_diagnostic(diag::code::file_not_found, path,
                                            "cannot read '" + path + "': no such file or directory"));
    }
  }
  if (notes) notes->insert(notes->end(), skipped.begin(), skipped.end());
  return sources;
}

}  // namespace joinup::rulefile
