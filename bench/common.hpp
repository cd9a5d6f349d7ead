// Pieces shared by the benchmark programs: the workload's files, reading them, the rule set.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "workload.hpp"

namespace joinup::bench {

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The workload's JSON and YAML files for N people in `dir`, written when missing (generation is
// deterministic, so existing files are the same).
struct workload_files {
  std::filesystem::path json, yaml;
};
inline workload_files ensure_workload(const std::filesystem::path& dir, std::uint32_t n) {
  std::filesystem::create_directories(dir);
  workload_files f{dir / ("partnership-" + std::to_string(n) + ".json"),
                   dir / ("partnership-" + std::to_string(n) + ".yaml")};
  if (!std::filesystem::exists(f.json)) std::ofstream(f.json, std::ios::binary) << workload_json(n);
  if (!std::filesystem::exists(f.yaml)) std::ofstream(f.yaml, std::ios::binary) << workload_yaml(n);
  return f;
}

inline std::string workload_rules() { return read_file(JOINUP_BENCH_DIR "/workload.jup"); }
// The general shapes over the same document (bench/shapes.jup).
inline std::string shapes_rules() { return read_file(JOINUP_BENCH_DIR "/shapes.jup"); }

// "--sizes=100,1000" among the arguments (removed from them), else the workload's four sizes.
inline std::vector<std::uint32_t> take_sizes(int& argc, char** argv) {
  std::vector<std::uint32_t> sizes;
  int out = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind("--sizes=", 0) == 0) {
      std::stringstream ss(a.substr(8));
      for (std::string part; std::getline(ss, part, ',');)
        sizes.push_back(static_cast<std::uint32_t>(std::stoul(part)));
    } else {
      argv[out++] = argv[i];
    }
  }
  argc = out;
  if (sizes.empty()) sizes = {100, 1000, 10000, 100000};
  return sizes;
}

}  // namespace joinup::bench
