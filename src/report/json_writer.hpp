// A small JSON writer for the report formats: fixed key order (the caller's), two-space
// indentation in the layout `jq .` prints, and string escaping that always yields valid JSON.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace joinup::report {

// Appends s as a JSON string literal: quotes, backslash and control characters escaped, valid
// UTF-8 passed through unchanged, and each byte that is not part of valid UTF-8 replaced by
// U+FFFD (so the document stays valid JSON whatever the input holds).
void append_json_string(std::string& out, std::string_view s);

// Writes one JSON value. Calls must be balanced: every begin_ has its end, and inside an object
// every value is preceded by key(). Empty containers print as {} and [].
class json_writer {
 public:
  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  void key(std::string_view k);

  void string(std::string_view s);
  void number(std::uint64_t n);
  void boolean(bool b);
  void null();
  // A value already written as JSON (one whole value, e.g. a request id passed back as it came).
  void raw(std::string_view json);

  // The text written so far, with a final newline once the top-level value is complete.
  std::string take();

 private:
  struct level {
    bool empty = true;
  };
  void before_value();
  void open(char c);
  void close(char c);
  void newline_and_indent(std::size_t depth);

  std::string out_;
  std::vector<level> stack_;
  bool after_key_ = false;
};

}  // namespace joinup::report
