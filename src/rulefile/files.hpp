// Finding and reading rule files: the files and directories of a rule set, as policy::load and
// the authoring commands (fmt, lint) read them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "joinup/diagnostic.hpp"
#include "joinup/policy.hpp"

namespace joinup::rulefile {

// Reads every rule file named by `paths`: files as given, directories searched recursively for
// .jup, .yaml and .yml files (not rule tests, *.test.yaml), each directory's files in sorted
// order. Each file is read through diag::read_file, bounded by `max_file_bytes`. A path that
// cannot be read (or is not a regular file, or is past the limit), a directory that cannot be
// read, or a directory without rule files, is a diagnostic. A YAML file found in a directory
// whose content is not a rule file (its top level is not a map, or a map with none of a rule
// file's keys: a data or waivers file) is skipped, with a note appended to `notes` when given; a
// file named in `paths` is always read (docs/cli.md, `--rules`).
std::vector<rule_source> read_rule_files(const std::vector<std::string>& paths, std::uint64_t max_file_bytes,
                                         std::vector<diagnostic>& diags, std::vector<diagnostic>* notes = nullptr);

}  // namespace joinup::rulefile
