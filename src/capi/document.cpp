// The C interface: documents parsed from text or files, and the builder for data held in memory
// (by path, or in order), which keeps a small tree and turns it into a document on finish.
#include <cmath>

#include "capi/handles.hpp"

using namespace joinup::capi;

namespace {

struct node {
  joinup::value_kind kind = joinup::value_kind::null;
  bool boolean = false;
  std::int64_t integer = 0;
  double number = 0;
  joinup::date day{};
  std::string text;
  std::vector<std::pair<std::string, std::unique_ptr<node>>> entries;  // map, in insertion order
  std::vector<std::unique_ptr<node>> items;                            // list

  node* find(std::string_view key) {
    for (auto& [k, v] : entries)
      if (k == key) return v.get();
    return nullptr;
  }
};

// A failure of a builder call: its status and message.
struct refused {
  joinup_status status;
  std::string message;
};
[[noreturn]] void refuse(joinup_status s, std::string message) { throw refused{s, std::move(message)}; }

struct segment {
  bool is_index = false;
  std::string key;
  std::size_t index = 0;
};

// "a.b[2][\"North East\"].c" → segments; "" is the root.
std::vector<segment> parse_path(std::string_view p) {
  std::vector<segment> out;
  std::size_t i = 0;
  auto bad = [&](const std::string& why) -> void {
    refuse(JOINUP_INVALID_ARGUMENT, "invalid path '" + std::string(p) + "': " + why);
  };
  while (i < p.size()) {
    if (p[i] == '[') {
      ++i;
      segment s;
      if (i < p.size() && p[i] == '"') {
        ++i;
        bool closed = false;
        while (i < p.size()) {
          char c = p[i++];
          if (c == '"') {
            closed = true;
            break;
          }
          if (c == '\\') {
            if (i == p.size()) break;
            c = p[i++];
            if (c != '"' && c != '\\') bad("only \\\" and \\\\ escapes are allowed in a quoted key");
          }
          s.key += c;
        }
        if (!closed) bad("unterminated quoted key");
      } else {
        const std::size_t start = i;
        while (i < p.size() && p[i] >= '0' && p[i] <= '9') ++i;
        if (i == start || i - start > 9) bad("expected a list index or a quoted key in brackets");
        s.is_index = true;
        s.index = std::stoul(std::string(p.substr(start, i - start)));
      }
      if (i >= p.size() || p[i] != ']') bad("expected ']'");
      ++i;
      out.push_back(std::move(s));
    } else {
      if (p[i] == '.') {
        if (out.empty()) bad("a path cannot start with '.'");
        ++i;
      } else if (!out.empty()) {
        bad("expected '.' or '[' after a key");
      }
      const std::size_t start = i;
      while (i < p.size() && p[i] != '.' && p[i] != '[' && p[i] != ']' && p[i] != '"') ++i;
      if (i == start) bad("empty key");
      segment s;
      s.key = std::string(p.substr(start, i - start));
      out.push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace

struct joinup_builder : joinup::capi::handle {
  joinup_builder() : handle(joinup::capi::tag::builder) {}
  std::string origin;
  joinup::load_options limits;
  std::unique_ptr<node> root;
  std::vector<node*> open;  // containers begun and not yet ended, outermost first (open[0] is the root)
  std::optional<std::string> pending_key;
  std::uint64_t bytes = 0;  // of every string and key given, a bound on the document's size
  std::string message;

  void count_bytes(std::size_t n) {
    if (bytes + n > limits.max_bytes)
      refuse(JOINUP_TOO_LARGE,
             "the document's strings would exceed the limit of " + std::to_string(limits.max_bytes) + " bytes");
  }
  // One string or key longer than max_string_bytes is refused, as load_document refuses it.
  void check_length(std::size_t n, const char* what) const {
    if (n > limits.max_string_bytes)
      refuse(JOINUP_TOO_LARGE, std::string(what) + " is " + std::to_string(n) + " bytes, more than the limit of " +
                                   std::to_string(limits.max_string_bytes));
  }
  static void check_text(std::string_view s, const char* what) {
    if (const auto p = utf8_problem(s); !p.empty())
      refuse(JOINUP_INVALID_UTF8, std::string(what) + " is not valid UTF-8" + p);
  }

  // Puts `value` at `path`, creating maps and lists on the way. Checks everything before changing
  // anything, so that a refused call leaves the builder as it was.
  void set(const char* path_text, std::unique_ptr<node> value, std::size_t bytes_added) {
    const std::string_view p = path_text ? path_text : "";
    check_text(p, "the path");
    const auto path = parse_path(p);
    const bool container = value->kind == joinup::value_kind::map || value->kind == joinup::value_kind::list;
    if (path.size() + (container ? 1 : 0) > limits.max_depth)
      refuse(JOINUP_TOO_DEEP,
             "path '" + std::string(p) + "' is nested more than " + std::to_string(limits.max_depth) + " levels deep");
    std::size_t key_bytes = 0;
    for (const auto& s : path) {
      check_length(s.key.size(), "a key of the path");
      key_bytes += s.key.size();
    }
    count_bytes(bytes_added + key_bytes);

    // Dry run: where does the path leave existing data, and is every step possible?
    node* at = root.get();
    std::size_t existing = 0;  // segments that lead through existing nodes
    auto kind_name = [](const node* n) {
      const auto k = joinup::to_string(n->kind);
      return std::string(k == "integer" ? "an " : "a ") + std::string(k);
    };
    for (std::size_t k = 0; k < path.size() && at; ++k) {
      const auto& s = path[k];
      const std::string where = k == 0 ? "the root" : "'" + prefix(path, k) + "'";
      if (s.is_index) {
        if (at->kind != joinup::value_kind::list)
          refuse(JOINUP_INVALID_ARGUMENT,
                 "path '" + std::string(p) + "': " + where + " is " + kind_name(at) + ", not a list");
        if (s.index > at->items.size())
          refuse(JOINUP_INVALID_ARGUMENT, "path '" + std::string(p) + "': index " + std::to_string(s.index) +
                                              " is past the end of the list (length " +
                                              std::to_string(at->items.size()) + ")");
        at = s.index < at->items.size() ? at->items[s.index].get() : nullptr;
      } else {
        if (at->kind != joinup::value_kind::map)
          refuse(JOINUP_INVALID_ARGUMENT,
                 "path '" + std::string(p) + "': " + where + " is " + kind_name(at) + ", not a map");
        at = at->find(s.key);
      }
      ++existing;
    }
    if (!at)  // the rest of the path is made anew: its lists are empty, so only [0] can be appended
      for (std::size_t k = existing; k < path.size(); ++k)
        if (path[k].is_index && path[k].index != 0)
          refuse(JOINUP_INVALID_ARGUMENT, "path '" + std::string(p) + "': index " + std::to_string(path[k].index) +
                                              " is past the end of the list (length 0)");
    if (at && existing == path.size())
      for (const node* o : open)
        if (o == at)
          refuse(JOINUP_MISUSE, "path '" + std::string(p) + "' names a map or list still open (begun, not ended)");
    if (path.empty() && at && !open.empty())
      refuse(JOINUP_MISUSE, "the root is a map or list still open (begun, not ended)");

    // Now change: nothing below throws but allocation failures, which leave at most empty containers.
    bytes += bytes_added + key_bytes;
    if (path.empty()) {
      root = std::move(value);
      return;
    }
    if (!root) {
      root = std::make_unique<node>();
      root->kind = path.front().is_index ? joinup::value_kind::list : joinup::value_kind::map;
    }
    node* cur = root.get();
    for (std::size_t k = 0; k < path.size(); ++k) {
      const auto& s = path[k];
      const bool last = k + 1 == path.size();
      std::unique_ptr<node>* slot = nullptr;
      if (s.is_index) {
        if (s.index == cur->items.size()) cur->items.push_back(nullptr);
        slot = &cur->items[s.index];
      } else {
        node* found = cur->find(s.key);
        if (!found) {
          cur->entries.emplace_back(s.key, nullptr);
          slot = &cur->entries.back().second;
        } else {
          for (auto& e : cur->entries)
            if (e.second.get() == found) slot = &e.second;
        }
      }
      if (last) {
        *slot = std::move(value);
        return;
      }
      if (!*slot) {
        *slot = std::make_unique<node>();
        (*slot)->kind = path[k + 1].is_index ? joinup::value_kind::list : joinup::value_kind::map;
      }
      cur = slot->get();
    }
  }

  static std::string prefix(const std::vector<segment>& path, std::size_t n) {
    std::string out;
    for (std::size_t k = 0; k < n; ++k) {
      if (path[k].is_index)
        out += "[" + std::to_string(path[k].index) + "]";
      else
        joinup::document::append_path_key(out, path[k].key);
    }
    return out;
  }

  // Adds a value in order: into the innermost open container, or as the root.
  node* add(std::unique_ptr<node> value, std::size_t bytes_added) {
    const bool container = value->kind == joinup::value_kind::map || value->kind == joinup::value_kind::list;
    if (container && open.size() >= limits.max_depth)
      refuse(JOINUP_TOO_DEEP,
             "lists and maps are nested more than " + std::to_string(limits.max_depth) + " levels deep");
    count_bytes(bytes_added);
    node* raw = value.get();
    if (open.empty()) {
      if (root) refuse(JOINUP_MISUSE, "the document already has a root value");
      root = std::move(value);
    } else if (node* c = open.back(); c->kind == joinup::value_kind::map) {
      if (!pending_key) refuse(JOINUP_MISUSE, "a value was added to a map without a key before it");
      if (c->find(*pending_key)) refuse(JOINUP_INVALID_ARGUMENT, "the map already has the key '" + *pending_key + "'");
      c->entries.emplace_back(std::move(*pending_key), std::move(value));
      pending_key.reset();
    } else {
      c->items.push_back(std::move(value));
    }
    bytes += bytes_added;
    if (container) open.push_back(raw);
    return raw;
  }

  void key(std::string_view k) {
    check_text(k, "the key");
    if (open.empty() || open.back()->kind != joinup::value_kind::map) refuse(JOINUP_MISUSE, "a key outside a map");
    if (pending_key)
      refuse(JOINUP_MISUSE, "key '" + std::string(k) + "' follows key '" + *pending_key + "', which has no value");
    if (open.back()->find(k)) refuse(JOINUP_INVALID_ARGUMENT, "the map already has the key '" + std::string(k) + "'");
    check_length(k.size(), "the key");
    count_bytes(k.size());
    pending_key = std::string(k);
    bytes += k.size();
  }

  void end() {
    if (open.empty()) refuse(JOINUP_MISUSE, "end without an open map or list");
    if (pending_key && open.back()->kind == joinup::value_kind::map)
      refuse(JOINUP_MISUSE, "the map ended after key '" + *pending_key + "' without its value");
    open.pop_back();
  }

  static void emit(const node& n, joinup::document_builder& b) {
    switch (n.kind) {
      case joinup::value_kind::null: b.null_value(); break;
      case joinup::value_kind::boolean: b.boolean(n.boolean); break;
      case joinup::value_kind::integer: b.integer(n.integer); break;
      case joinup::value_kind::number: b.number(n.number); break;
      case joinup::value_kind::string: b.string(n.text); break;
      case joinup::value_kind::date: b.date_value(n.day); break;
      case joinup::value_kind::list:
        b.begin_list();
        for (const auto& i : n.items) emit(*i, b);
        b.end();
        break;
      case joinup::value_kind::map:
        b.begin_map();
        for (const auto& [k, v] : n.entries) {
          b.key(k);
          emit(*v, b);
        }
        b.end();
        break;
    }
  }

  joinup::document finish() const {
    if (!open.empty()) refuse(JOINUP_MISUSE, std::to_string(open.size()) + " map(s) or list(s) begun and not ended");
    if (!root) refuse(JOINUP_MISUSE, "nothing was built: the document has no value");
    joinup::document_builder b(origin);
    emit(*root, b);
    return b.finish();
  }
};

namespace {

std::unique_ptr<node> scalar(joinup::value_kind k) {
  auto n = std::make_unique<node>();
  n->kind = k;
  return n;
}

// Runs a builder call: a refused call sets the builder's message and changes nothing.
template <class F>
joinup_status builder_call(joinup_builder* b, F&& body) noexcept {
  if (!is(b, tag::builder)) return JOINUP_MISUSE;
  try {
    b->message.clear();
    body();
    return JOINUP_OK;
  } catch (const refused& r) {
    try {
      b->message = r.message;
    } catch (...) {
    }
    return r.status;
  } catch (const std::bad_alloc&) {
    b->message.clear();
    return JOINUP_NO_MEMORY;
  } catch (...) {
    b->message.clear();
    return JOINUP_ERROR;
  }
}

std::unique_ptr<node> date_node(const char* text) {
  if (!text) refuse(JOINUP_MISUSE, "the date is NULL");
  const auto d = joinup::date::parse(text);
  if (!d) refuse(JOINUP_INVALID_ARGUMENT, "invalid date '" + std::string(text) + "': expected YYYY-MM-DD");
  auto n = scalar(joinup::value_kind::date);
  n->day = *d;
  return n;
}

std::unique_ptr<node> number_node(double v) {
  if (!std::isfinite(v)) refuse(JOINUP_INVALID_ARGUMENT, "a number must be finite (not NaN or infinite)");
  auto n = scalar(joinup::value_kind::number);
  n->number = v;
  return n;
}

std::unique_ptr<node> string_node(const char* v, std::size_t length) {
  if (!v) refuse(JOINUP_MISUSE, "the string is NULL");
  const auto s = text_of(v, length);
  joinup_builder::check_text(s, "the string");
  auto n = scalar(joinup::value_kind::string);
  n->text = std::string(s);
  return n;
}

bool limits_ok(const joinup_load_options* o) { return !o || o->struct_size >= sizeof(std::size_t); }

joinup::load_options limits_of(const joinup_load_options* o) {
  joinup::load_options l;
  if (!o) return l;
  if (JOINUP_HAS_FIELD(o, joinup_load_options, max_depth)) l.max_depth = o->max_depth;
  if (JOINUP_HAS_FIELD(o, joinup_load_options, max_bytes)) l.max_bytes = o->max_bytes;
  if (JOINUP_HAS_FIELD(o, joinup_load_options, max_string_bytes)) l.max_string_bytes = o->max_string_bytes;
  return l;
}

joinup::data_format format_of(const joinup_format& f) {
  switch (raw_enum(f)) {
    case JOINUP_FORMAT_YAML: return joinup::data_format::yaml;
    case JOINUP_FORMAT_JSON: return joinup::data_format::json;
    default: return joinup::data_format::automatic;
  }
}

bool format_ok(const joinup_format& f) { return raw_enum(f) >= 0 && raw_enum(f) <= 2; }

}  // namespace

extern "C" {

void joinup_load_options_init_sized(joinup_load_options* options, size_t size) {
  const joinup::load_options d;
  joinup_load_options l{};
  l.max_depth = d.max_depth;
  l.max_bytes = d.max_bytes;
  l.max_string_bytes = d.max_string_bytes;
  init_options(options, size, l);
}

// (The name in brackets: joinup.h defines a macro of the same name for callers.)
void(joinup_load_options_init)(joinup_load_options* options) {
  joinup_load_options_init_sized(options, offsetof(joinup_load_options, max_string_bytes));
}

joinup_status joinup_document_parse(const char* text, size_t length, const char* origin, joinup_format format,
                                    const joinup_load_options* options, joinup_document** document,
                                    joinup_error** error) {
  if (error) *error = nullptr;
  if (!document) return fail(error, JOINUP_MISUSE, "the document out-pointer is NULL");
  *document = nullptr;
  if (!text) return fail(error, JOINUP_MISUSE, "the text is NULL");
  if (!limits_ok(options)) return fail(error, JOINUP_MISUSE, "load options not initialised");
  if (!format_ok(format)) return fail(error, JOINUP_INVALID_ARGUMENT, "unknown data format");
  const auto stage = [&] { return "reading data '" + std::string(origin ? origin : "<memory>") + "'"; };
  return guarded(error, JOINUP_DATA_ERROR, stage, [&] {
    std::string name = origin ? origin : "<memory>";
    if (const auto p = utf8_problem(name); !p.empty())
      return fail(error, JOINUP_INVALID_UTF8, "the origin name is not valid UTF-8" + p);
    auto doc = joinup::load_document(text_of(text, length), std::move(name), format_of(format), limits_of(options));
    auto h = std::make_unique<joinup_document>();
    h->document = std::move(doc);
    *document = h.release();
    return JOINUP_OK;
  });
}

joinup_status joinup_document_load_file(const char* path, joinup_format format, const joinup_load_options* options,
                                        joinup_document** document, joinup_error** error) {
  if (error) *error = nullptr;
  if (!document) return fail(error, JOINUP_MISUSE, "the document out-pointer is NULL");
  *document = nullptr;
  if (!path) return fail(error, JOINUP_MISUSE, "the path is NULL");
  if (!limits_ok(options)) return fail(error, JOINUP_MISUSE, "load options not initialised");
  if (!format_ok(format)) return fail(error, JOINUP_INVALID_ARGUMENT, "unknown data format");
  const auto stage = [&] { return "reading data file '" + std::string(path) + "'"; };
  return guarded(error, JOINUP_DATA_ERROR, stage, [&] {
    // The path becomes the document's origin, given out in results and reports: UTF-8 only.
    if (const auto p = utf8_problem(path); !p.empty())
      return fail(error, JOINUP_INVALID_UTF8, "the path is not valid UTF-8" + p);
    auto doc = joinup::load_document_file(path, format_of(format), limits_of(options));
    auto h = std::make_unique<joinup_document>();
    h->document = std::move(doc);
    *document = h.release();
    return JOINUP_OK;
  });
}

void joinup_document_free(joinup_document* document) {
  if (is(document, tag::document)) destroy(document);
}

joinup_status joinup_builder_new(const char* origin, const joinup_load_options* options, joinup_builder** builder) {
  if (!builder) return JOINUP_MISUSE;
  *builder = nullptr;
  if (!limits_ok(options)) return JOINUP_MISUSE;
  const auto stage = [] { return "starting a document"; };
  return guarded(nullptr, JOINUP_ERROR, stage, [&] {
    std::string name = origin ? origin : "<memory>";
    if (joinup::diag::find_invalid_utf8(name) != std::string_view::npos) return JOINUP_INVALID_UTF8;
    auto b = std::make_unique<joinup_builder>();
    b->origin = std::move(name);
    b->limits = limits_of(options);
    *builder = b.release();
    return JOINUP_OK;
  });
}

void joinup_builder_free(joinup_builder* builder) {
  if (is(builder, tag::builder)) destroy(builder);
}

const char* joinup_builder_message(const joinup_builder* builder) {
  return is(builder, tag::builder) ? builder->message.c_str() : "";
}

joinup_status joinup_builder_set_null(joinup_builder* b, const char* path) {
  return builder_call(b, [&] { b->set(path, scalar(joinup::value_kind::null), 0); });
}
joinup_status joinup_builder_set_bool(joinup_builder* b, const char* path, int value) {
  return builder_call(b, [&] {
    auto n = scalar(joinup::value_kind::boolean);
    n->boolean = value != 0;
    b->set(path, std::move(n), 0);
  });
}
joinup_status joinup_builder_set_int(joinup_builder* b, const char* path, int64_t value) {
  return builder_call(b, [&] {
    auto n = scalar(joinup::value_kind::integer);
    n->integer = value;
    b->set(path, std::move(n), 0);
  });
}
joinup_status joinup_builder_set_number(joinup_builder* b, const char* path, double value) {
  return builder_call(b, [&] { b->set(path, number_node(value), 0); });
}
joinup_status joinup_builder_set_string(joinup_builder* b, const char* path, const char* value, size_t length) {
  return builder_call(b, [&] {
    auto n = string_node(value, length);
    const auto size = n->text.size();
    b->check_length(size, "the string");
    b->set(path, std::move(n), size);
  });
}
joinup_status joinup_builder_set_date(joinup_builder* b, const char* path, const char* yyyy_mm_dd) {
  return builder_call(b, [&] { b->set(path, date_node(yyyy_mm_dd), 0); });
}
joinup_status joinup_builder_set_map(joinup_builder* b, const char* path) {
  return builder_call(b, [&] { b->set(path, scalar(joinup::value_kind::map), 0); });
}
joinup_status joinup_builder_set_list(joinup_builder* b, const char* path) {
  return builder_call(b, [&] { b->set(path, scalar(joinup::value_kind::list), 0); });
}

joinup_status joinup_builder_begin_map(joinup_builder* b) {
  return builder_call(b, [&] { b->add(scalar(joinup::value_kind::map), 0); });
}
joinup_status joinup_builder_begin_list(joinup_builder* b) {
  return builder_call(b, [&] { b->add(scalar(joinup::value_kind::list), 0); });
}
joinup_status joinup_builder_key(joinup_builder* b, const char* key, size_t length) {
  return builder_call(b, [&] {
    if (!key) refuse(JOINUP_MISUSE, "the key is NULL");
    b->key(text_of(key, length));
  });
}
joinup_status joinup_builder_end(joinup_builder* b) {
  return builder_call(b, [&] { b->end(); });
}
joinup_status joinup_builder_null(joinup_builder* b) {
  return builder_call(b, [&] { b->add(scalar(joinup::value_kind::null), 0); });
}
joinup_status joinup_builder_bool(joinup_builder* b, int value) {
  return builder_call(b, [&] {
    auto n = scalar(joinup::value_kind::boolean);
    n->boolean = value != 0;
    b->add(std::move(n), 0);
  });
}
joinup_status joinup_builder_int(joinup_builder* b, int64_t value) {
  return builder_call(b, [&] {
    auto n = scalar(joinup::value_kind::integer);
    n->integer = value;
    b->add(std::move(n), 0);
  });
}
joinup_status joinup_builder_number(joinup_builder* b, double value) {
  return builder_call(b, [&] { b->add(number_node(value), 0); });
}
joinup_status joinup_builder_string(joinup_builder* b, const char* value, size_t length) {
  return builder_call(b, [&] {
    auto n = string_node(value, length);
    const auto size = n->text.size();
    b->check_length(size, "the string");
    b->add(std::move(n), size);
  });
}
joinup_status joinup_builder_date(joinup_builder* b, const char* yyyy_mm_dd) {
  return builder_call(b, [&] { b->add(date_node(yyyy_mm_dd), 0); });
}

joinup_status joinup_builder_finish(joinup_builder* b, joinup_document** document, joinup_error** error) {
  if (error) *error = nullptr;
  if (!document) return fail(error, JOINUP_MISUSE, "the document out-pointer is NULL");
  *document = nullptr;
  if (!is(b, tag::builder)) return fail(error, JOINUP_MISUSE, "the builder is NULL or not a builder");
  b->message.clear();
  const auto stage = [] { return "finishing a built document"; };
  return guarded(error, JOINUP_ERROR, stage, [&] {
    try {
      auto doc = b->finish();
      auto h = std::make_unique<joinup_document>();
      h->document = std::move(doc);
      *document = h.release();
      return JOINUP_OK;
    } catch (const refused& r) {
      b->message = r.message;
      return fail(error, r.status, r.message, b->origin);
    }
  });
}

}  // extern "C"
