// policy::load of a directory: YAML files that are not rule files by their content (a data file,
// a waivers file, a list) are skipped with a note; a file with a rule file's keys is read.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "joinup/joinup.hpp"

using namespace joinup;

namespace {

struct folder {
  std::filesystem::path path;
  folder() {
    path = std::filesystem::temp_directory_path() /
           ("joinup-rule-dir-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~folder() { std::filesystem::remove_all(path); }
  void write(const std::string& name, const std::string& text) const { std::ofstream(path / name) << text; }
};

}  // namespace

TEST_CASE("policy::load: a folder's data and waivers files are skipped with a note") {
  folder f;
  f.write("r.jup", "uses p\nrule r {\n  require p.x > 0\n}\n");
  f.write("y.yaml", "uses: [p]\nrules:\n  - id: s\n    require: p.x > 1\n");
  f.write("plan.yaml", "p:\n  x: 1\n");
  f.write("waivers.yaml", "waivers: []\n");
  std::vector<diagnostic> notes;
  const auto pol = policy::load({f.path.string()}, {}, notes);
  REQUIRE(pol.rules().size() == 2);
  CHECK(pol.rules()[0].full_id == "r.r");
  CHECK(pol.rules()[1].full_id == "y.s");
  REQUIRE(notes.size() == 2);
  CHECK(notes[0].origin == (f.path / "plan.yaml").string());
  CHECK(notes[1].origin == (f.path / "waivers.yaml").string());
  for (const auto& n : notes) {
    CHECK(n.level == diagnostic_level::note);
    CHECK(n.code == "not-a-rule-file");
    CHECK(n.message == "not a rule file (it has no 'rules' key, nor any other key of a rule file): skipped");
  }
  // Without the notes' vector the files are skipped all the same.
  CHECK(policy::load({f.path.string()}).rules().size() == 2);
}

TEST_CASE("policy::load: a file named, or a broken rule file in a folder, is still an error") {
  folder f;
  f.write("plan.yaml", "p:\n  x: 1\n");
  CHECK_THROWS_AS(policy::load({(f.path / "plan.yaml").string()}), error);
  f.write("r.jup", "uses p\nrule r {\n  require p.x > 0\n}\n");
  f.write("broken.yaml", "package: b\nrules: 3\n");
  std::vector<diagnostic> notes;
  CHECK_THROWS_WITH(policy::load({f.path.string()}, {}, notes), Catch::Contains("'rules' must be a list"));
  REQUIRE(notes.size() == 1);  // given even when the rules do not load
  CHECK(notes[0].origin == (f.path / "plan.yaml").string());
  f.write("broken.yaml", "rules: [unclosed\n");
  CHECK_THROWS_AS(policy::load({f.path.string()}), error);
}

TEST_CASE("policy::load: a YAML file whose key is a misspelt rule file key is read, and refused") {
  folder f;
  f.write("r.jup", "uses p\nrule r {\n  require p.x > 0\n}\n");
  // Skipped, this file's rule would be lost without an error; read, its key is named.
  for (const char* key : {"rule", "Rules", "rulez", "pakage"}) {
    INFO(key);
    f.write("y.yaml", std::string(key) + ":\n  - id: s\n    require: false\n");
    std::vector<diagnostic> notes;
    CHECK_THROWS_WITH(policy::load({f.path.string()}, {}, notes), Catch::Contains(key));
    CHECK(notes.empty());
  }
  // A data file's key far from every rule file key is still skipped.
  f.write("y.yaml", "partnership:\n  name: x\n");
  std::vector<diagnostic> notes;
  CHECK(policy::load({f.path.string()}, {}, notes).rules().size() == 1);
  CHECK(notes.size() == 1);
}
