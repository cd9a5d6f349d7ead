// The YAML loader: yaml-cpp's event parser straight into a document_builder (no YAML::Node).
//
// - Plain scalars are typed by the YAML 1.2 core schema (`yes`, `on` stay strings); quoted and
//   block scalars are strings; `!!str` keeps a string, `!!int`/`!!float`/`!!bool`/`!!null` must
//   match their form. Any string that is exactly YYYY-MM-DD naming a real day becomes a date,
//   unless tagged `!!str`.
// - yaml-cpp's Mark::pos is a byte offset into the input (checked with non-ASCII text; a BOM is
//   removed before the text gets here), so offsets come straight from the marks.
// - Aliases copy the anchored value. Events are recorded on a tape while any anchor is open, and an
//   alias replays its anchor's stretch of the tape. The replayed value itself is placed at the alias;
//   values inside it keep the offsets where they were written.
// - Alias budget: a document may hold at most 1,000,000 + 4 × (text bytes) values and copy at most
//   16 MiB + 4 × (text bytes) of string text through aliases. Text without aliases never comes near
//   (a value takes at least two bytes), so only alias expansion can reach it, and a "billion
//   laughs" bomb stops with `too-large` after about a million copies, in milliseconds.
// - Depth: checked when a list or map starts, before yaml-cpp recurses further, so 100,000 `[`
//   stop cleanly at load_options::max_depth (yaml-cpp's own guard stops it at 2000 otherwise).
// - Merge keys (`<<`) are not expanded: `<<` is an ordinary key.
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <istream>
#include <limits>
#include <optional>
#include <streambuf>
#include <vector>

#include "data/builder.hpp"
#include "data/load_detail.hpp"
#include "diag/codes.hpp"

namespace joinup::data {

namespace {

constexpr std::string_view str_tag = "tag:yaml.org,2002:str";
constexpr std::string_view null_tag = "tag:yaml.org,2002:null";
constexpr std::string_view bool_tag = "tag:yaml.org,2002:bool";
constexpr std::string_view int_tag = "tag:yaml.org,2002:int";
constexpr std::string_view float_tag = "tag:yaml.org,2002:float";

// An input stream over the text, without copying it.
class view_streambuf : public std::streambuf {
 public:
  explicit view_streambuf(std::string_view s) {
    char* p = const_cast<char*>(s.data());  // get area only: never written through
    setg(p, p, p + s.size());
  }
};

// One builder call, as recorded for replaying aliases.
struct tape_event {
  enum op_t : std::uint8_t { null, boolean, integer, number, string, date, begin_list, begin_map, end, key } op = null;
  std::uint32_t offset = 0;
  union {
    bool b;
    std::int64_t i;
    double d;
    std::int32_t days;
    struct {
      std::uint32_t first, count;  // in the tape's string buffer
    } s;
  } u{};
};

bool all_from(std::string_view s, std::size_t from, bool (*pred)(char)) {
  if (from >= s.size()) return false;
  for (std::size_t k = from; k < s.size(); ++k)
    if (!pred(s[k])) return false;
  return true;
}
bool is_dec(char c) { return c >= '0' && c <= '9'; }
bool is_oct(char c) { return c >= '0' && c <= '7'; }
bool is_hex(char c) { return is_dec(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool is_null_word(std::string_view v) { return v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL"; }

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool is_core_float(std::string_view v) {
  std::size_t k = 0;
  if (k < v.size() && (v[k] == '-' || v[k] == '+')) ++k;
  std::size_t int_digits = 0, frac_digits = 0;
  while (k < v.size() && is_dec(v[k])) ++k, ++int_digits;
  if (k < v.size() && v[k] == '.') {
    ++k;
    while (k < v.size() && is_dec(v[k])) ++k, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  if (k < v.size() && (v[k] == 'e' || v[k] == 'E')) {
    ++k;
    if (k < v.size() && (v[k] == '-' || v[k] == '+')) ++k;
    std::size_t exp_digits = 0;
    while (k < v.size() && is_dec(v[k])) ++k, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return k == v.size();
}

std::optional<std::uint32_t> flow_too_deep(std::string_view s, std::uint32_t max_depth);

class yaml_loader final : public YAML::EventHandler {
 public:
  yaml_loader(std::string_view text, builder_state& b, const load_options& options)
      : text_(text), b_(b), max_depth_(options.max_depth),
        node_budget_(1'000'000 + 4 * static_cast<std::uint64_t>(text.size())),
        byte_budget_(16ull * 1024 * 1024 + 4 * static_cast<std::uint64_t>(text.size())) {}

  void run() {
    // YAML text is printable: yaml-cpp would stop at a NUL byte and load what came before it.
    for (std::size_t i = 0; i < text_.size(); ++i) {
      const auto c = static_cast<unsigned char>(text_[i]);
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
        char name[8];
        std::snprintf(name, sizeof name, "U+%04X", static_cast<unsigned>(c));
        const auto at = static_cast<std::uint32_t>(i);
        fail(at, at + 1, diag::code::data_parse, std::string("control character ") + name + " in YAML text",
             "YAML text cannot hold control characters; write them as escapes (\\x01) in a double-quoted string");
      }
    }
    view_streambuf buf(text_);
    std::istream in(&buf);
    try {
      YAML::Parser parser(in);
      if (!parser.HandleNextDocument(*this)) {
        b_.null_value(0);  // an empty file (or only comments) is one document whose value is null
        return;
      }
      parser.HandleNextDocument(*this);  // a second document fails in OnDocumentStart
    } catch (const YAML::DeepRecursion& e) {
      // yaml-cpp's own guard can stop it before max_depth when max_depth is high: the flow
      // brackets then show where max_depth was passed (exactly for flow nesting at the top).
      if (const auto deep = flow_too_deep(text_, max_depth_))
        fail(*deep, *deep + 1, diag::code::too_deep,
             "lists and maps are nested more than " + std::to_string(max_depth_) + " levels deep",
             "raise load_options::max_depth to load it");
      const auto at = mark_offset(e.mark);
      fail(at, at + 1, diag::code::too_deep, "lists and maps are nested too deeply for the YAML parser");
    } catch (const YAML::ParserException& e) {
      std::string detail;
      const auto problem = classify_yaml_problem(e.msg, detail);
      fail_yaml_syntax(text_, mark_offset(e.mark), problem, detail);
    }
  }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1)
      fail(mark_offset(mark), mark_offset(mark) + 3, diag::code::multiple_documents,
           "a data file holds one YAML document, and a second one starts here",
           "split the documents into separate files");
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto at = mark_offset(mark);
    // yaml-cpp reports `null`, `~` and an empty value alike; the source tells them apart.
    std::string_view written = text_.substr(at);
    std::size_t len = 0;
    if (!written.empty() && written[0] == '~') {
      len = 1;
    } else {
      for (std::string_view w : {"null", "Null", "NULL"})
        if (written.substr(0, 4) == w && (written.size() == 4 || !is_plain_char(written[4]))) len = 4;
    }
    written = written.substr(0, len);
    if (in_key_position()) {
      tape_event ev;
      ev.offset = at;
      return key_scalar(at, written, anchor, ev);
    }
    // An empty value is reported at the next token; place it at its key or '-' instead.
    const auto where = len > 0 ? at : empty_value_offset(at);
    tape_event ev;
    ev.op = tape_event::null;
    ev.offset = where;
    value_scalar(ev, anchor, written);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    const auto at = mark_offset(mark);
    check_closed(at);
    if (in_key_position()) return key_scalar(at, value, anchor, anchor ? resolve(at, tag, value) : tape_event{});
    value_scalar(resolve(at, tag, value), anchor, value);
  }

  // yaml-cpp accepts a quoted scalar that the end of the text cuts off ("abc<EOF>).
  void check_closed(std::uint32_t at) const {
    if (at >= text_.size() || (text_[at] != '"' && text_[at] != '\'')) return;
    const char q = text_[at];
    for (std::size_t i = at + 1; i < text_.size(); ++i) {
      if (q == '"' && text_[i] == '\\') {
        ++i;
      } else if (text_[i] == q) {
        if (q == '\'' && i + 1 < text_.size() && text_[i + 1] == '\'') {
          ++i;
        } else {
          return;
        }
      }
    }
    fail(at, at + 1, diag::code::data_parse,
         "invalid YAML: this quoted string is not closed before the end of the file",
         std::string("close it with ") + q);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto at = mark_offset(mark);
    if (anchor >= anchors_.size() || anchors_[anchor].state == anchor_def::none)
      fail(at, at + 1, diag::code::data_parse, "alias to an unknown anchor");
    const anchor_def& def = anchors_[anchor];
    if (def.state == anchor_def::open) {
      std::string alias = "*";  // (not "*" + name: GCC 12 warns falsely about that at -O2)
      alias += anchor_name(anchor);
      fail(at, at + 1, diag::code::data_parse, "alias " + quote(alias) + " refers to a value that contains it",
           "an alias cannot repeat the list or map it is inside of");
    }
    if (in_key_position()) {
      if (!def.is_scalar)
        fail(at, at + 1, diag::code::data_parse, "map keys must be scalars, and this alias is a list or map");
      return add_key(def.text, at);
    }
    before_value();
    if (def.state == anchor_def::key_scalar) {
      tape_event ev = def.scalar;
      ev.offset = at;
      apply(ev);
      return;
    }
    replay(def.begin, def.end, at);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    begin_container(mark, anchor, false);
  }
  void OnSequenceEnd() override { end_container(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    begin_container(mark, anchor, true);
  }
  void OnMapEnd() override { end_container(); }

  void OnAnchor(const YAML::Mark&, const std::string& name) override { anchor_names_.push_back(name); }

 private:
  struct context {
    bool is_map;
    bool expect_key;
    YAML::anchor_t anchor;
    std::uint32_t key_offset;  // of the latest key (maps)
  };
  struct anchor_def {
    enum state_t : std::uint8_t { none, open, range, key_scalar } state = none;
    bool is_scalar = false;
    std::uint32_t begin = 0, end = 0;  // tape range (range)
    tape_event scalar;                 // the value (key_scalar)
    std::string text;                  // the scalar as written, for use as a key (is_scalar)
  };

  static bool is_plain_char(char c) {
    return c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != ',' && c != ']' && c != '}' && c != ':' && c != '#';
  }

  std::uint32_t mark_offset(const YAML::Mark& m) const {
    if (m.pos < 0) return static_cast<std::uint32_t>(text_.size());
    return static_cast<std::uint32_t>(std::min<std::size_t>(static_cast<std::size_t>(m.pos), text_.size()));
  }

  std::string anchor_name(YAML::anchor_t a) const {
    return a >= 1 && a <= anchor_names_.size() ? anchor_names_[a - 1] : std::string("?");
  }

  bool in_key_position() const { return !stack_.empty() && stack_.back().is_map && stack_.back().expect_key; }

  // The offset for an empty value: its key in a map, else the last non-blank byte before the next
  // token (the '-' of a list item).
  std::uint32_t empty_value_offset(std::uint32_t next) const {
    if (!stack_.empty() && stack_.back().is_map) return stack_.back().key_offset;
    std::uint32_t k = std::min<std::uint32_t>(next, static_cast<std::uint32_t>(text_.size()));
    while (k > 0 && (text_[k - 1] == ' ' || text_[k - 1] == '\t' || text_[k - 1] == '\n' || text_[k - 1] == '\r')) --k;
    return k > 0 ? k - 1 : 0;
  }

  // Typing of a scalar by its tag and text.
  tape_event resolve(std::uint32_t at, const std::string& tag, std::string_view v) {
    tape_event ev;
    ev.offset = at;
    if (tag == "!" || tag == str_tag) {  // quoted or block scalar, or !!str
      if (tag == "!") {
        if (const auto d = date::parse(v)) {
          ev.op = tape_event::date;
          ev.u.days = d->days;
          return ev;
        }
      }
      return string_event(at, v);
    }
    resolve_plain(ev, v);
    const auto must_be = [&](bool ok, const char* what) {
      if (!ok)
        fail(at, at + static_cast<std::uint32_t>(v.size()), diag::code::data_parse,
             quote(v) + " is not " + what + ", as its tag says");
    };
    if (tag == null_tag)
      must_be(ev.op == tape_event::null, "a null");
    else if (tag == bool_tag)
      must_be(ev.op == tape_event::boolean, "a boolean");
    else if (tag == int_tag)
      must_be(ev.op == tape_event::integer, "an integer");
    else if (tag == float_tag) {
      must_be(ev.op == tape_event::number || ev.op == tape_event::integer, "a number");
      if (ev.op == tape_event::integer) {
        ev.op = tape_event::number;
        ev.u.d = static_cast<double>(ev.u.i);
      }
    }
    return ev;
  }

  tape_event string_event(std::uint32_t at, std::string_view v) {
    tape_event ev;
    ev.op = tape_event::string;
    ev.offset = at;
    ev.u.s.first = static_cast<std::uint32_t>(strings_.size());
    ev.u.s.count = static_cast<std::uint32_t>(v.size());
    strings_.append(v);  // dropped again in value_scalar unless the tape keeps it
    return ev;
  }

  // YAML 1.2 core schema.
  void resolve_plain(tape_event& ev, std::string_view v) {
    if (is_null_word(v)) {
      ev.op = tape_event::null;
      return;
    }
    if (v == "true" || v == "True" || v == "TRUE" || v == "false" || v == "False" || v == "FALSE") {
      ev.op = tape_event::boolean;
      ev.u.b = v[0] == 't' || v[0] == 'T';
      return;
    }
    const char c0 = v[0];
    if (is_dec(c0) || c0 == '-' || c0 == '+' || c0 == '.') {
      const std::size_t sign = c0 == '-' || c0 == '+' ? 1 : 0;
      int base = 0;
      std::size_t digits_from = 0;
      if (all_from(v, sign, is_dec)) {
        base = 10;
        digits_from = sign;
      } else if (v.size() > 2 && v[0] == '0' && v[1] == 'o' && all_from(v, 2, is_oct)) {
        base = 8;
        digits_from = 2;
      } else if (v.size() > 2 && v[0] == '0' && v[1] == 'x' && all_from(v, 2, is_hex)) {
        base = 16;
        digits_from = 2;
      }
      if (base != 0) {
        std::uint64_t mag = 0;
        bool overflow = false;
        for (std::size_t k = digits_from; k < v.size(); ++k) {
          const char c = v[k];
          const auto d = static_cast<std::uint64_t>(is_dec(c) ? c - '0' : (c | 0x20) - 'a' + 10);
          if (mag > (std::numeric_limits<std::uint64_t>::max() - d) / static_cast<std::uint64_t>(base)) {
            overflow = true;
            break;
          }
          mag = mag * static_cast<std::uint64_t>(base) + d;
        }
        const bool negative = c0 == '-';
        constexpr auto max_pos = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
        if (!overflow && (negative ? mag <= max_pos + 1 : mag <= max_pos)) {
          ev.op = tape_event::integer;
          ev.u.i = negative ? static_cast<std::int64_t>(0 - mag) : static_cast<std::int64_t>(mag);
          return;
        }
        // Too large for a 64-bit integer: a double, as in JSON.
        if (base == 10) return number_from(ev, v);
        long double x = 0;
        for (std::size_t k = digits_from; k < v.size(); ++k) {
          const char c = v[k];
          x = x * base + (is_dec(c) ? c - '0' : (c | 0x20) - 'a' + 10);
        }
        ev.op = tape_event::number;
        ev.u.d = static_cast<double>(x);
        return;
      }
      if (is_core_float(v)) return number_from(ev, v);
      const std::string_view rest = v.substr(sign);
      if (rest == ".inf" || rest == ".Inf" || rest == ".INF") {
        ev.op = tape_event::number;
        ev.u.d = c0 == '-' ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
        return;
      }
      if (v == ".nan" || v == ".NaN" || v == ".NAN") {
        ev.op = tape_event::number;
        ev.u.d = std::numeric_limits<double>::quiet_NaN();
        return;
      }
    }
    if (const auto d = date::parse(v)) {
      ev.op = tape_event::date;
      ev.u.days = d->days;
      return;
    }
    ev = string_event(ev.offset, v);
  }

  void number_from(tape_event& ev, std::string_view v) {
    if (!v.empty() && v[0] == '+') v.remove_prefix(1);
    const auto d = parse_double(v);
    if (!d)
      fail(ev.offset, ev.offset + static_cast<std::uint32_t>(v.size()), diag::code::data_parse, number_range_error(v));
    ev.op = tape_event::number;
    ev.u.d = *d;
  }

  // The parent map, if any, expects a key again after this value.
  void before_value() {
    if (!stack_.empty() && stack_.back().is_map) stack_.back().expect_key = true;
  }

  void add_key(std::string_view k, std::uint32_t at) {
    if (const auto first = b_.key(k, at)) fail_duplicate_key(text_, k, at, *first);
    stack_.back().expect_key = false;
    stack_.back().key_offset = at;
    if (recording()) {
      tape_event ev = string_event(at, k);
      ev.op = tape_event::key;
      tape_.push_back(ev);
    }
  }

  void key_scalar(std::uint32_t at, std::string_view text, YAML::anchor_t anchor, tape_event ev) {
    add_key(text, at);
    if (anchor) {
      auto& def = define(anchor);
      def.state = anchor_def::key_scalar;
      def.is_scalar = true;
      def.text = std::string(text);
      def.scalar = ev;
    }
  }

  void value_scalar(const tape_event& ev, YAML::anchor_t anchor, std::string_view text) {
    before_value();
    if (anchor) {
      auto& def = define(anchor);
      def.is_scalar = true;
      def.text = std::string(text);
      def.begin = static_cast<std::uint32_t>(tape_.size());
      ++open_anchors_;
      apply(ev);
      --open_anchors_;
      def.end = static_cast<std::uint32_t>(tape_.size());
      def.state = anchor_def::range;
      return;
    }
    apply(ev);
    if (!recording() && ev.op == tape_event::string) strings_.resize(ev.u.s.first);
  }

  anchor_def& define(YAML::anchor_t a) {
    if (a >= anchors_.size()) anchors_.resize(a + 1);
    anchors_[a] = anchor_def{};
    return anchors_[a];
  }

  void begin_container(const YAML::Mark& mark, YAML::anchor_t anchor, bool is_map) {
    const auto at = mark_offset(mark);
    if (in_key_position())
      fail(at, at + 1, diag::code::data_parse, "map keys must be scalars, not lists or maps",
           "write the key as a string, number, boolean or date");
    before_value();
    if (stack_.size() >= max_depth_) too_deep(at);
    if (anchor) {
      auto& def = define(anchor);
      def.state = anchor_def::open;
      def.begin = static_cast<std::uint32_t>(tape_.size());
      ++open_anchors_;
    }
    tape_event ev;
    ev.op = is_map ? tape_event::begin_map : tape_event::begin_list;
    ev.offset = at;
    apply(ev);
    stack_.push_back({is_map, is_map, anchor, at});
  }

  void end_container() {
    tape_event ev;
    ev.op = tape_event::end;
    apply(ev);
    const auto anchor = stack_.back().anchor;
    stack_.pop_back();
    if (anchor) {
      auto& def = anchors_[anchor];
      def.end = static_cast<std::uint32_t>(tape_.size());
      def.state = anchor_def::range;
      --open_anchors_;
    }
  }

  [[noreturn]] void too_deep(std::uint32_t at) const {
    fail(at, at + 1, diag::code::too_deep,
         "lists and maps are nested more than " + std::to_string(max_depth_) + " levels deep",
         "raise load_options::max_depth to load it");
  }

  bool recording() const { return open_anchors_ > 0; }

  // One builder call, recorded on the tape while an anchor is open.
  void apply(const tape_event& ev) {
    if (ev.op != tape_event::end && ev.op != tape_event::key && ++nodes_ > node_budget_)
      fail(ev.offset, ev.offset + 1, diag::code::too_large,
           "the document has more than " + std::to_string(node_budget_) + " values once its aliases are expanded",
           "aliases copy the value they refer to; this looks like an alias bomb");
    const std::string_view str =
        std::string_view(strings_).substr(ev.op == tape_event::string || ev.op == tape_event::key ? ev.u.s.first : 0,
                                          ev.op == tape_event::string || ev.op == tape_event::key ? ev.u.s.count : 0);
    switch (ev.op) {
      case tape_event::null: b_.null_value(ev.offset); break;
      case tape_event::boolean: b_.boolean(ev.u.b, ev.offset); break;
      case tape_event::integer: b_.integer(ev.u.i, ev.offset); break;
      case tape_event::number: b_.number(ev.u.d, ev.offset); break;
      case tape_event::string: b_.string(str, ev.offset); break;
      case tape_event::date: b_.date_value(date{ev.u.days}, ev.offset); break;
      case tape_event::begin_list: b_.begin_list(ev.offset); break;
      case tape_event::begin_map: b_.begin_map(ev.offset); break;
      case tape_event::end: b_.end(); break;
      case tape_event::key: b_.key(str, ev.offset); break;  // replayed: its map had no duplicates
    }
    if (recording()) tape_.push_back(ev);  // strings stay where they are in strings_
  }

  // Copies tape_[begin, end) into the builder; the first value is placed at the alias.
  void replay(std::uint32_t begin, std::uint32_t end, std::uint32_t at) {
    for (std::uint32_t k = begin; k < end; ++k) {
      tape_event ev = tape_[k];  // a copy: apply may grow the tape
      if (k == begin) ev.offset = at;
      if (ev.op == tape_event::begin_list || ev.op == tape_event::begin_map) {
        if (b_.depth() >= max_depth_) too_deep(at);
      } else if (ev.op == tape_event::string) {
        copied_bytes_ += ev.u.s.count;
        if (copied_bytes_ > byte_budget_)
          fail(at, at + 1, diag::code::too_large,
               "aliases copy more than " + std::to_string(byte_budget_ >> 20) + " MiB of text",
               "aliases copy the value they refer to; this looks like an alias bomb");
      }
      apply(ev);
    }
  }

  std::string_view text_;
  builder_state& b_;
  std::uint32_t max_depth_;
  std::uint64_t node_budget_;
  std::uint64_t byte_budget_;
  std::uint64_t nodes_ = 0;
  std::uint64_t copied_bytes_ = 0;
  int documents_ = 0;
  std::vector<context> stack_;
  std::vector<anchor_def> anchors_;  // by yaml-cpp anchor id (from 1)
  std::vector<std::string> anchor_names_;
  std::vector<tape_event> tape_;
  std::string strings_;  // text of tape strings and keys, and scratch for the current scalar
  std::uint32_t open_anchors_ = 0;
};

// Where flow collections ([ and {) first nest deeper than max_depth, by a rough scan (quotes and
// comments skipped, brackets in block scalars counted). Used only to explain a parse error: when
// yaml-cpp is given thousands of unclosed '[' it fails in odd ways before any depth check runs.
std::optional<std::uint32_t> flow_too_deep(std::string_view s, std::uint32_t max_depth) {
  std::uint32_t depth = 0;
  char prev = '\n';  // the last non-blank byte on the line, '\n' at the start of a line
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\n') {
      prev = '\n';
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') continue;
    const bool node_start = depth > 0 || prev == '\n' || prev == ':' || prev == '-' || prev == '?';
    if (c == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\n')) {
      while (i + 1 < s.size() && s[i + 1] != '\n') ++i;
      continue;
    }
    if ((c == '"' || c == '\'') && node_start) {
      for (++i; i < s.size() && s[i] != c; ++i)
        if (c == '"' && s[i] == '\\') ++i;
    } else if ((c == '[' || c == '{') && node_start) {
      if (++depth > max_depth) return static_cast<std::uint32_t>(i);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
    prev = c;
  }
  return std::nullopt;
}

}  // namespace

void load_yaml(std::string_view text, builder_state& b, const load_options& options) {
  // A lone CR is a line break (YAML 1.2, 5.4), which yaml-cpp does not know: a comment ending in
  // one would hide what follows on the same physical line. It reads a copy where each is a LF,
  // of the same length, so offsets hold for the original text.
  std::string lf;
  for (auto at = text.find('\r'); at != std::string_view::npos; at = text.find('\r', at + 1)) {
    if (at + 1 < text.size() && text[at + 1] == '\n') continue;
    if (lf.empty()) lf.assign(text);
    lf[at] = '\n';
  }
  if (!lf.empty()) text = lf;
  try {
    yaml_loader(text, b, options).run();
  } catch (const load_failure& f) {
    if (f.code != diag::to_string(diag::code::data_parse)) throw;
    if (const auto at = flow_too_deep(text, options.max_depth))
      fail(*at, *at + 1, diag::code::too_deep,
           "lists and maps are nested more than " + std::to_string(options.max_depth) + " levels deep",
           "raise load_options::max_depth to load it");
    throw;
  }
}

}  // namespace joinup::data
