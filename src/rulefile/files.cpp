#include "rulefile/files.hpp"

#include <algorithm>
#include <filesystem>

#include "diag/codes.hpp"
#include "diag/read.hpp"
#include "diag/source.hpp"
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

}  // namespace

std::vector<rule_source> read_rule_files(const std::vector<std::string>& paths, std::uint64_t max_file_bytes,
                                         std::vector<diagnostic>& diags) {
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
      for (const auto& f : found) read(f.string());
    } else if (fs::exists(p, ec)) {
      read(path);
    } else {
      diags.push_back(diag::file_diagnostic(diag::code::file_not_found, path,
                                            "cannot read '" + path + "': no such file or directory"));
    }
  }
  return sources;
}

}  // namespace joinup::rulefile
