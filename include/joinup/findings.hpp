// What an evaluation found, with the details of each violation rendered only when asked for.
//
// `policy::find` decides every rule's outcome and which subjects fail, and stops there: no
// message, path, position or explanation is built. `details(i)` renders violation i exactly as
// `policy::evaluate` would have (the same message, subject path, positions, explanation and
// remedy); `result()` renders them all and is what `policy::evaluate` returns. A host that only
// needs outcomes and counts, or shows the first few violations, pays for what it shows.
//
// A findings object keeps the compiled policy and the document alive (it shares them; neither is
// copied), so it stays valid after both have gone out of scope. It is immutable: `details` and
// `result` may be called from any number of threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "joinup/document.hpp"
#include "joinup/result.hpp"

namespace joinup {

namespace detail {
struct findings_state;
}

class findings {
 public:
  struct rule_outcome {
    std::uint32_t rule_index = 0;                 // into policy::rules()
    joinup::severity severity = severity::error;  // the rule's, and so its violations'
    outcome result = outcome::pass;
    std::uint32_t subjects = 0;  // how many subjects were judged
    std::uint32_t first = 0;     // its violations are violations()[first, first + count)
    std::uint32_t count = 0;
  };
  struct violation_ref {
    std::uint32_t rule = 0;        // index into rules() (not into policy::rules())
    outcome kind = outcome::fail;  // fail or undetermined
    // The data node of the subject: the innermost `for each` element, or the document's root for
    // a rule without `for each`; document::npos when that element is a computed value.
    document::node_id subject = document::npos;
  };

  findings() = default;
  findings(const findings&) = default;
  findings(findings&&) noexcept = default;
  findings& operator=(const findings&) = default;
  findings& operator=(findings&&) noexcept = default;
  // Gives its lists' room to the next evaluation on this thread (a host checking one event after
  // another allocates them once).
  ~findings();

  // The rules evaluated, in the order of policy::rules().
  const std::vector<rule_outcome>& rules() const { return rules_; }
  // Every violation (failing or undetermined subject), by rule, then in document order.
  const std::vector<violation_ref>& violations() const { return violations_; }
  std::size_t size() const { return violations_.size(); }
  bool empty() const { return violations_.empty(); }
  // The date the evaluation took as today, and whether undetermined subjects count as failing
  // (the options it was given).
  joinup::date as_of() const { return as_of_; }
  bool undetermined_fails() const { return undetermined_fails_; }
  // How many violations fail (as opposed to being undetermined).
  std::size_t failures() const {
    std::size_t n = 0;
    for (const auto& v : violations_) n += v.kind == outcome::fail;
    return n;
  }

  // The counts of evaluation_result::summary() (nothing is waived here).
  joinup::summary summary() const {
    joinup::summary s;
    for (const auto& r : rules_) {
      ++s.rules;
      s.count_rule(r.result, r.severity);
    }
    for (const auto& v : violations_) (v.kind == outcome::fail ? s.failing_subjects : s.undetermined_subjects)++;
    return s;
  }
  // evaluation_result::fails_at: a violation at or above the threshold that counts as failing.
  bool fails_at(joinup::severity threshold) const {
    for (const auto& r : rules_)
      if (at_least(r.severity, threshold))
        for (std::uint32_t i = r.first; i < r.first + r.count; ++i)
          if (violations_[i].kind == outcome::fail || undetermined_fails_) return true;
    return false;
  }

  // Violation i in full, as policy::evaluate reports it. Throws std::out_of_range past the end.
  joinup::violation details(std::size_t i) const;
  // Every violation in full: the same result policy::evaluate returns.
  evaluation_result result() const;
  // The document the findings are about (shared, alive as long as the findings are).
  const joinup::document& data() const;

 private:
  friend class policy;
  std::vector<rule_outcome> rules_;
  std::vector<violation_ref> violations_;
  joinup::date as_of_;
  bool undetermined_fails_ = true;
  std::shared_ptr<const detail::findings_state> state_;
};

}  // namespace joinup
