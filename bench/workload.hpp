// The benchmark workload (/work/shared/spec/WORKLOAD.md): deterministic partnership documents of
// N people, as JSON and as YAML with the same content, and rule files for the compile benchmark.
#pragma once

#include <cstdint>
#include <string>

namespace joinup::bench {

// The same document (seeded by n) in two notations. JSON puts one list element per line, YAML is
// block style; both are what a person or an exporter would plausibly write.
std::string workload_json(std::uint32_t n);
std::string workload_yaml(std::uint32_t n);

// `count` rules: varied copies of R1-R8 (other thresholds, strings and packages of one file).
std::string generated_rules(std::uint32_t count);

}  // namespace joinup::bench
