// `joinup lsp`: a Language Server Protocol (3.17) server for .jup and YAML rule files, over a pair
// of streams. Everything it says about rules comes from the library's own front end (api/compile),
// checker (check/, its name resolution through check/names.hpp), lint (lint/) and formatter
// (format/); it has no second implementation of the language.
//
// Robustness: a message that cannot be read (a bad header, bad JSON, an unknown method, wrong
// params) is answered with a JSON-RPC error and the session goes on; an exception inside one
// request becomes that request's error response. Documents go through the same limits as
// `joinup check` (compile_options: the rule file size, the expression depth); a message is at
// most max_message_bytes.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "joinup/document.hpp"
#include "joinup/policy.hpp"
#include "lsp/text.hpp"

namespace joinup::lsp {

struct server_options {
  std::uint64_t max_message_bytes = 128ull * 1024 * 1024;  // one message's content (a document escaped as JSON)
  compile_options compile;                                 // what `joinup check` applies to rule files
};

struct open_document;

class server {
 public:
  explicit server(server_options options = {});
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Handles one message's content; returns the messages to send (unframed JSON), in order.
  std::vector<std::string> handle(std::string_view body);
  // The error response for a message whose framing could not be read.
  std::string framing_error(std::string_view problem) const;

  bool exit_requested() const { return exit_; }
  // 0 after shutdown then exit, 1 for an exit without a shutdown (the protocol's rule).
  int exit_code() const { return shutdown_ ? 0 : 1; }
  encoding position_encoding() const { return encoding_; }

 private:
  struct reply;
  void dispatch(std::string_view method, const class json& params, bool is_request, reply& out);
  void initialize(const class json& params, reply& out);
  void configure(const class json& settings, reply& out);
  void load_schema(reply& out);
  void publish(open_document& doc, reply& out);
  void analyse(open_document& doc);
  const document* schema_for(const open_document& doc);
  std::vector<rule_source> package_sources(const open_document& doc) const;
  open_document& document_of(const class json& params);

  void hover(const class json& params, reply& out);
  void completion(const class json& params, reply& out);
  void definition(const class json& params, reply& out);
  void symbols(const class json& params, reply& out);
  void formatting(const class json& params, reply& out);
  void rename(const class json& params, reply& out);
  void code_action(const class json& params, reply& out);

  server_options options_;
  encoding encoding_ = encoding::utf16;
  bool initialized_ = false;
  bool shutdown_ = false;
  bool exit_ = false;
  std::string root_path_;
  std::string schema_setting_;
  std::optional<document> schema_;                                   // the setting's
  std::map<std::string, std::optional<document>> declared_schemas_;  // by path: the rule files' own
  std::map<std::string, std::unique_ptr<open_document>> documents_;
};

// Reads framed messages from `in` until `exit` or the end of the stream, writing replies to
// `out`; returns the process's exit code.
int serve(std::istream& in, std::ostream& out, const server_options& options = {});

// The file path of a file:// URI (percent-decoded), or "" for another scheme.
std::string uri_to_path(std::string_view uri);

// The schema the document's package declares (`schema "PATH"`), resolved by the types stage
// against the folder of the file that declares it, or nothing. The setting `joinup.schema`, when
// given, overrides it.
std::optional<std::string> declared_schema(const open_document& doc);

}  // namespace joinup::lsp
