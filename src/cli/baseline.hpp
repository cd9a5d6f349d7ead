// `joinup check --baseline REPORT.json`: a previous JSON report, and each finding of this run
// marked new or unchanged against it by fingerprint, with the baseline's findings that are gone.
#pragma once

#include <string>

#include "joinup/result.hpp"

namespace joinup::cli {

struct baseline {
  std::vector<absent_finding> findings;  // every finding of the report (its violations)
};

// Reads a report written by `joinup check --format json`. Throws joinup::error (with the file,
// line and column) for a file that is missing, not JSON, or not such a report. A report from a
// version without fingerprints gets them computed from its rule, subject and file.
baseline load_baseline(const std::string& path);

// Sets every violation's `baseline` ("new" or "unchanged"), `run.has_baseline`, and
// `run.absent`: the baseline's findings in the files this run checked that it no longer has.
void compare_with_baseline(check_results& run, const baseline& b);

}  // namespace joinup::cli
