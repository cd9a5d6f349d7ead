// A finding's fingerprint, for SARIF partialFingerprints and for baselines: what the finding is
// about, never where in the file it is.
#include <filesystem>

#include "joinup/report.hpp"

namespace joinup {

std::string fingerprint(const violation& v) {
  // Rule, subject and file (lexically normal: ./plans/a.yaml is plans/a.yaml), each with its length
  // so that no two triples run together, hashed twice (FNV-1a, two offsets) into 32 hex digits.
  const std::string& subject = v.subject_key.empty() ? v.subject : v.subject_key;
  const std::string file = std::filesystem::path(v.data_origin).lexically_normal().generic_string();
  std::string text;
  for (const std::string* part : {&v.rule_id, &subject, &file}) {
    text += std::to_string(part->size());
    text += ':';
    text += *part;
    text += ';';
  }
  std::string out;
  for (const std::uint64_t offset : {0xcbf29ce484222325ull, 0x84222325cbf29ce4ull}) {
    std::uint64_t h = offset;
    for (const char c : text) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
    static constexpr char hex[] = "0123456789abcdef";
    for (int shift = 60; shift >= 0; shift -= 4) out += hex[(h >> shift) & 15];
  }
  return out;
}

}  // namespace joinup
