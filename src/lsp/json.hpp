// Reading a message: the JSON is loaded by the library's own loader (joinup::load_document), and
// this view walks it. Asking for a field that a request needs and does not have, or has with the
// wrong type, throws bad_params, which the server answers with InvalidParams.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "joinup/document.hpp"

namespace joinup::lsp {

class bad_params : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class json {
 public:
  json() = default;
  json(const document* d, document::node_id n, std::string path) : d_(d), n_(n), path_(std::move(path)) {}

  bool present() const { return d_ && n_ != document::npos; }
  bool is(value_kind k) const { return present() && d_->kind(n_) == k; }
  bool is_null() const { return !present() || d_->kind(n_) == value_kind::null; }
  const std::string& path() const { return path_; }

  json operator[](std::string_view key) const {
    std::string p = path_.empty() ? std::string(key) : path_ + "." + std::string(key);
    if (!is(value_kind::map)) return {d_, document::npos, std::move(p)};
    return {d_, d_->find(n_, key), std::move(p)};
  }
  std::uint32_t size() const { return is(value_kind::list) || is(value_kind::map) ? d_->size(n_) : 0; }
  json at(std::uint32_t i) const {
    return {d_, is(value_kind::list) ? d_->at(n_, i) : document::npos, path_ + "[" + std::to_string(i) + "]"};
  }

  // The value, or bad_params naming the field.
  std::string_view string() const {
    if (!is(value_kind::string)) throw bad_params(missing("a string"));
    return d_->as_string(n_);
  }
  std::uint32_t unsigned_int() const {
    if (is(value_kind::integer)) {
      const auto v = d_->as_int(n_);
      if (v >= 0 && v <= 0x7FFFFFFF) return static_cast<std::uint32_t>(v);
    }
    throw bad_params(missing("a whole number from 0 to 2147483647"));
  }
  std::string_view string_or(std::string_view fallback) const {
    return is(value_kind::string) ? d_->as_string(n_) : fallback;
  }
  bool bool_or(bool fallback) const { return is(value_kind::boolean) ? d_->as_bool(n_) : fallback; }
  std::int64_t int_or(std::int64_t fallback) const { return is(value_kind::integer) ? d_->as_int(n_) : fallback; }

 private:
  std::string missing(std::string_view what) const {
    return "'" + path_ + "' must be " + std::string(what) + (present() ? "" : ", and it is missing");
  }
  const document* d_ = nullptr;
  document::node_id n_ = document::npos;
  std::string path_;
};

}  // namespace joinup::lsp
