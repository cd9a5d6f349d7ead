// Rule tests (`*.test.yaml`): the input is a test file, run as `joinup test FILE` from a folder
// where the standard pack's rule files (money.jup, ...) are its parent folder's files, as they are
// for rules/integration/tests/, and ../data/plan.yaml is a data file. Promises checked on every
// input (a broken one aborts):
//   - the command never throws and exits 0, 1 or 2; standard output and error carry no raw control
//     or bidirectional character and no line a CI runner would read as a workflow command;
//   - exit 2 (a file refused): standard error names the file first, and every diagnostic of the
//     test file has a line within it and a column; never an internal error;
//   - no silent pass: exit 0 or 1 reports every test of the file ("P passed, F failed", P + F the
//     length of its `tests` list, as the data reader reads it), F = 0 exactly when it exits 0.
// Inputs that name files outside that folder (an absolute path, or one that leads out of it, under
// `rules` or `input_file`) are skipped: the fuzzer is not to read the machine's files.
#include "common.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.hpp"
#include "joinup/diagnostic.hpp"
#include "joinup/document.hpp"
#include "promises.hpp"

namespace {

namespace fs = std::filesystem;
using joinup_fuzz::broken;

// The folder below, removed at exit (never freed: the exit handler reads it).
const std::string* folder = nullptr;
void remove_folder() {
  std::error_code ec;
  if (folder) fs::remove_all(*folder, ec);
}

// The folder the test file is written in, made once: DIR/tests/fuzz.test.yaml, DIR/*.jup (links
// to the standard pack's files), DIR/data/plan.yaml.
const std::string& test_path() {
  static const std::string path = [] {
    std::string dir = (fs::temp_directory_path() / "joinup-fuzz-tests-XXXXXX").string();
    if (!mkdtemp(dir.data())) std::abort();
    fs::create_directories(dir + "/tests");
    fs::create_directories(dir + "/data");
    for (const auto& e : fs::directory_iterator(JOINUP_FUZZ_SOURCE_DIR "/rules/integration"))
      if (e.path().extension() == ".jup") fs::create_symlink(e.path(), fs::path(dir) / e.path().filename());
    fs::copy_file(JOINUP_FUZZ_SOURCE_DIR "/tests/cli/test_runner/data/plan.yaml", dir + "/data/plan.yaml");
    folder = new std::string(dir);
    std::atexit(remove_folder);
    return dir + "/tests/fuzz.test.yaml";
  }();
  return path;
}

// Whether the test file names a file outside the test folder: a path under `rules` or a test's
// `input_file` (the only keys the runner reads paths from) that is absolute or leads out of the
// folder. Read with the runner's own reader; a text it refuses names no file it would read.
bool names_outside(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  joinup::document doc;
  try {
    doc = joinup::load_document(text, "t.yaml", joinup::data_format::yaml);
  } catch (const joinup::error&) {
    return false;
  }
  if (doc.empty() || doc.kind(doc.root()) != joinup::value_kind::map) return false;
  const auto outside = [&](joinup::document::node_id n) {
    if (n == joinup::document::npos || doc.kind(n) != joinup::value_kind::string) return false;
    const fs::path p(std::string(doc.as_string(n)));
    const auto normal = (fs::path("tests") / p).lexically_normal().generic_string();
    return p.is_absolute() || p.has_root_name() || normal == ".." || normal.starts_with("../");
  };
  if (const auto rules = doc.find(doc.root(), "rules"); rules != joinup::document::npos) {
    if (outside(rules)) return true;
    if (doc.kind(rules) == joinup::value_kind::list)
      for (std::uint32_t i = 0; i < doc.size(rules); ++i)
        if (outside(doc.at(rules, i))) return true;
  }
  if (const auto tests = doc.find(doc.root(), "tests");
      tests != joinup::document::npos && doc.kind(tests) == joinup::value_kind::list)
    for (std::uint32_t i = 0; i < doc.size(tests); ++i)
      if (const auto t = doc.at(tests, i); doc.kind(t) == joinup::value_kind::map)
        if (outside(doc.find(t, "input_file"))) return true;
  return false;
}

// "P passed, F failed" on the last line of the report.
bool counts(const std::string& out, std::size_t& passed, std::size_t& failed) {
  const auto lines = joinup_fuzz::lines_of(out);
  if (lines.empty()) return false;
  std::istringstream in{std::string(lines.back())};
  std::string w1, w2;
  return static_cast<bool>(in >> passed >> w1 >> failed >> w2) && w1 == "passed," && w2 == "failed";
}

// The number of tests in the file as the data reader reads it; -1 when it is not a map with a
// `tests` list.
long tests_in(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  try {
    const auto doc = joinup::load_document(text, "t.yaml", joinup::data_format::yaml);
    if (doc.empty() || doc.kind(doc.root()) != joinup::value_kind::map) return -1;
    const auto t = doc.find(doc.root(), "tests");
    if (t == joinup::document::npos || doc.kind(t) != joinup::value_kind::list) return -1;
    return static_cast<long>(doc.size(t));
  } catch (const joinup::error&) {
    return -1;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > joinup_fuzz::max_input) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (names_outside(text)) return 0;
  const std::string& path = test_path();
  {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f << text;
  }
  std::istringstream in;
  std::ostringstream out, err;
  joinup::cli::io io{in, out, err};
  const int code =
      joinup::cli::run({"test", "--max-steps", std::to_string(joinup_fuzz::max_steps), "--verbose", path}, io);
  const std::string o = out.str(), e = err.str();
  const std::string both = "exit " + std::to_string(code) + "\n--- stdout ---\n" + o + "--- stderr ---\n" + e;

  if (code < 0 || code > 2) broken("an exit code other than 0, 1 or 2", text, both);
  if (const auto raw = joinup_fuzz::unsafe_for_terminal(o); !raw.empty())
    broken(("standard output holds " + raw).c_str(), text, both);
  if (const auto raw = joinup_fuzz::unsafe_for_terminal(e); !raw.empty())
    broken(("standard error holds " + raw).c_str(), text, both);

  const std::string folder = fs::path(path).parent_path().parent_path().string();
  if (code == 2) {
    for (const auto line : joinup_fuzz::lines_of(e))
      if (line.starts_with("joinup: internal error")) broken("an internal error", text, both);
    if (!e.starts_with(folder + '/')) broken("a refusal that does not start with the file it is about", text, both);
    const std::size_t lines = joinup_fuzz::line_count(text);
    for (const auto line : joinup_fuzz::lines_of(e)) {
      if (!line.starts_with(path + ':')) continue;
      std::istringstream at{std::string(line.substr(path.size() + 1))};
      std::size_t l = 0, c = 0;
      char colon1 = 0, colon2 = 0;
      if (!(at >> l >> colon1 >> c >> colon2) || colon1 != ':' || colon2 != ':' || l == 0 || c == 0 || l > lines)
        broken("a diagnostic of the test file without a line within it and a column", text, both);
    }
    return 0;
  }
  // Only notes (a rule folder's files skipped as not rule files) may come with a report.
  for (const auto line : joinup_fuzz::lines_of(e))
    if (line.find(": note: ") == std::string_view::npos && !line.starts_with("  help: "))
      broken("a run that reports tests also writes to standard error", text, both);
  std::size_t passed = 0, failed = 0;
  if (!counts(o, passed, failed)) broken("a run without its count of tests", text, both);
  const long n = tests_in(text);
  if (n < 0 || passed + failed != static_cast<std::size_t>(n))
    broken("the count of tests run is not the number of tests in the file", text, both);
  if ((failed == 0) != (code == 0)) broken("the exit code does not follow the failed tests", text, both);
  return 0;
}
