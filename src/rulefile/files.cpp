#include "rulefile/files.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "diag/codes.hpp"
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


}  // namespace

std::vector<rule_source> read_rule_files(const std::vector<std::string>& paths, std::vector<diagnostic>& diags) {
  namespace fs = std::filesystem;
  std::vector<rule_source> sources;
  auto read = [&](const fs::path& p, const std::string& shown) {
    std::ifstream in(p, std::ios::binary);
    if (!in) {
      diags.push_back(diag::file_diagnostic(diag::code::file_not_found, shown, "cannot read '" + shown + "'"));
      return;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    sources.push_back({shown, ss.str()});
  };
  for (const auto& path : paths) {
    std::error_code ec;
    const fs::path p(path);
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> found;
      for (auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file(ec) && is_rule_file(it->path())) found.push_back(it->path());
      std::sort(found.begin(), found.end());
      if (found.empty())
        diags.push_back(diag::file_diagnostic(diag::code::no_rules, path,
                                              "no rule files (.jup, .yaml) in directory '" + path + "'"));
      for (const auto& f : found) read(f, f.string());
    } else if (fs::exists(p, ec)) {
      read(p, path);
    } else {
      diags.push_back(diag::file_diagnostic(diag::code::file_not_found, path, "cannot read '" + path + "': no such file or directory"));
    }
  }
  return sources;
}

}  // namespace joinup::rulefile
