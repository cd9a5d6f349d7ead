// Writes the workload's documents: joinup_bench_generate DIR [N...] (default N: 100 1000 10000
// 100000) -> DIR/partnership-N.json and .yaml; `--rules COUNT` writes COUNT generated rules to
// DIR/generated-COUNT.jup instead.
#include <iostream>

#include "common.hpp"

int main(int argc, char** argv) {
  using namespace joinup::bench;
  if (argc < 2) {
    std::cerr << "usage: joinup_bench_generate DIR [N...] | DIR --rules COUNT\n";
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  if (argc == 4 && std::string(argv[2]) == "--rules") {
    std::filesystem::create_directories(dir);
    const auto count = static_cast<std::uint32_t>(std::stoul(argv[3]));
    std::ofstream(dir / ("generated-" + std::to_string(count) + ".jup")) << generated_rules(count);
    return 0;
  }
  std::vector<std::uint32_t> sizes;
  for (int i = 2; i < argc; ++i) sizes.push_back(static_cast<std::uint32_t>(std::stoul(argv[i])));
  if (sizes.empty()) sizes = {100, 1000, 10000, 100000};
  for (auto n : sizes) {
    std::filesystem::remove(dir / ("partnership-" + std::to_string(n) + ".json"));
    std::filesystem::remove(dir / ("partnership-" + std::to_string(n) + ".yaml"));
    const auto f = ensure_workload(dir, n);
    std::cout << f.json.string() << "\n" << f.yaml.string() << "\n";
  }
  return 0;
}
