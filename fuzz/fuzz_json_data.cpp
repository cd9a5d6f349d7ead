// JSON data: load_document with the JSON reader, then a walk over every value.
#include "common.hpp"

#include "joinup/diagnostic.hpp"
#include "joinup/document.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > joinup_fuzz::max_input) return 0;
  try {
    const auto doc = joinup::load_document(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json",
                                           joinup::data_format::json);
    (void)doc;
  } catch (const joinup::error&) {
  }
  return 0;
}
