// The first diagnostic of loading YAML text that must not load, for the data tests.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "joinup/diagnostic.hpp"
#include "joinup/document.hpp"

namespace joinup_test {

inline joinup::diagnostic yaml_error(std::string_view text) {
  try {
    joinup::load_document(text, "data.yaml", joinup::data_format::yaml);
  } catch (const joinup::error& e) {
    REQUIRE(!e.diagnostics().empty());
    return e.diagnostics().front();
  }
  FAIL("no error for: " << std::string(text.substr(0, 80)));
  return {};
}

}  // namespace joinup_test
