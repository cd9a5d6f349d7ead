// What a document builder keeps for the next one on its thread (its arrays, with their room, and
// the builder itself), and a document's storage (one block for a small document, arrays handed
// over for a large one): no document may see another's values, whatever order they are built,
// freed, fail or grow in, and on whatever thread.
#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "joinup/diagnostic.hpp"
#include "joinup/document.hpp"

using joinup::data_format;
using joinup::document;
using joinup::value_kind;

namespace {

document json(std::string_view text, std::string origin = "data.json") {
  return joinup::load_document(text, std::move(origin), data_format::json);
}

// {"k0": "v0-<tag>", "k1": "v1-<tag>", ...}: n keys and n strings, each string naming its document.
std::string keyed(int n, const std::string& tag) {
  std::string out = "{";
  for (int i = 0; i < n; ++i)
    out += (i ? ",\n \"k" : "\"k") + std::to_string(i) + "\": \"v" + std::to_string(i) + "-" + tag + "\"";
  return out + "}";
}

// Every key of a keyed() document, found by its text and read back with its position.
void check_keyed(const document& d, int n, const std::string& tag) {
  REQUIRE(d.kind(d.root()) == value_kind::map);
  REQUIRE(d.size(d.root()) == static_cast<std::uint32_t>(n));
  for (int i = 0; i < n; ++i) {
    const auto k = "k" + std::to_string(i);
    const auto v = d.find(d.root(), k);
    REQUIRE(v != document::npos);
    CHECK(d.as_string(v) == "v" + std::to_string(i) + "-" + tag);
    CHECK(d.key_text(d.key_at(d.root(), static_cast<std::uint32_t>(i))) == k);
    CHECK(d.position(v).line == static_cast<std::uint32_t>(i + 1));
    CHECK(d.path(v) == k);
  }
  CHECK(d.find(d.root(), "k" + std::to_string(n)) == document::npos);
}

}  // namespace

TEST_CASE("a document keeps its values when the next builder on its thread reuses the room") {
  const auto first = json(keyed(5, "first"), "first.json");
  const auto second = json(keyed(5, "second"), "second.json");
  check_keyed(first, 5, "first");
  check_keyed(second, 5, "second");
  CHECK(first.origin() == "first.json");
  CHECK(second.origin() == "second.json");
  CHECK(first.uid() != second.uid());
  // The public builder too: its document outlives it, and the next builder.
  document built;
  {
    joinup::document_builder b("built");
    b.begin_map();
    b.key("a");
    b.string("alpha");
    b.key("b");
    b.integer(2);
    b.end();
    built = b.finish();
  }
  const auto after = json("{\"b\": \"beta\", \"a\": 1}");
  CHECK(built.as_string(built.find(built.root(), "a")) == "alpha");
  CHECK(built.as_int(built.find(built.root(), "b")) == 2);
  CHECK(built.origin() == "built");
  CHECK(after.as_string(after.find(after.root(), "b")) == "beta");
}

TEST_CASE("a load that fails half-way leaves nothing for the next one on its thread") {
  // Fails inside a large map (its hash index half built), after keys with escapes and line
  // breaks; then a good document whose keys are a prefix of the failed one's.
  std::string bad = "{\"m\": {";
  for (int i = 0; i < 40; ++i) bad += "\"q\\u0041" + std::to_string(i) + "\": " + std::to_string(i) + ",\n";
  bad += "\"q\\u00410\": 0}}";
  CHECK_THROWS_AS(json(bad), joinup::error);
  const auto good = json("{\"m\": {\"qA1\": 1, \"qA0\": 2}}");
  const auto m = good.find(good.root(), "m");
  REQUIRE(m != document::npos);
  CHECK(good.size(m) == 2);
  CHECK(good.as_int(good.find(m, "qA0")) == 2);
  CHECK(good.find(m, "qA2") == document::npos);
  CHECK(!good.find_key("qA2"));
  CHECK(good.position(good.find(m, "qA0")).line == 1);
  CHECK(good.path(good.find(m, "qA0")) == "m.qA0");
  // A key read plainly from the text in the failed document (id 0) is a key with an escaped quote
  // in the next: its text must still be read, so that the '"' after `"a"` is an error there.
  CHECK_THROWS_AS(json("{\"k\": 1, \"m\": ["), joinup::error);
  try {
    json("[{\"a\\\"\": 1}, {\"a\"\": 2}]");
    FAIL("no error for a key followed by a quote");
  } catch (const joinup::error& e) {
    CHECK(e.diagnostics().front().message == "unexpected '\"' after a key, expected ':'");
  }
  // A failure in the first key's value, then the same text made valid.
  CHECK_THROWS_AS(json("{\"only\": tru}"), joinup::error);
  const auto only = json("{\"only\": true}");
  CHECK(only.node_count() == 2);
  CHECK(only.as_bool(only.find(only.root(), "only")));
  // A public builder given up half-way, then another.
  {
    joinup::document_builder b("given-up");
    b.begin_map();
    b.key("x");
    b.begin_list();
    b.integer(1);
  }
  joinup::document_builder b("next");
  b.begin_map();
  b.key("y");
  b.integer(2);
  b.end();
  const auto next = b.finish();
  CHECK(next.node_count() == 2);
  CHECK(!next.find_key("x"));
  CHECK(next.as_int(next.find(next.root(), "y")) == 2);
}

TEST_CASE("a large document between small ones: its arrays are handed over, the small ones copied") {
  // Sizes around the point where an array is handed over instead of copied (8 KiB: 512 nodes,
  // 2,048 list items, 1,024 map entries, 8,192 bytes of strings).
  for (const int n : {10, 500, 511, 512, 1023, 1024, 1025, 3000}) {
    INFO("keys: " << n);
    const auto small_before = json(keyed(3, "before"));
    const auto large = json(keyed(n, "large"));
    const auto small_after = json(keyed(3, "after"));
    check_keyed(small_before, 3, "before");
    check_keyed(large, n, "large");
    check_keyed(small_after, 3, "after");
  }
  // A long list and long strings.
  for (const std::size_t n : {2047u, 2048u, 2049u, 5000u}) {
    INFO("items: " << n);
    std::string list = "[";
    for (std::size_t i = 0; i < n; ++i) list += (i ? "," : "") + std::to_string(i);
    list += "]";
    const auto d = json(list);
    REQUIRE(d.size(d.root()) == n);
    CHECK(d.as_int(d.at(d.root(), static_cast<std::uint32_t>(n - 1))) == static_cast<std::int64_t>(n - 1));
    const std::string text(n * 4, 'x');
    const auto s = json("{\"s\": \"" + text + "\", \"t\": \"tail\"}");
    CHECK(s.as_string(s.find(s.root(), "s")) == text);
    CHECK(s.as_string(s.find(s.root(), "t")) == "tail");
  }
}

TEST_CASE("documents built on one thread are read and freed on another") {
  std::vector<document> docs;
  std::thread builder([&] {
    for (int i = 0; i < 20; ++i) docs.push_back(json(keyed(i % 2 ? 3 : 600, "t" + std::to_string(i))));
  });
  builder.join();  // the building thread has ended: what it kept for its next builder is gone
  std::thread reader([&] {
    for (int i = 0; i < 20; ++i) check_keyed(docs[i], i % 2 ? 3 : 600, "t" + std::to_string(i));
    docs.clear();
    // Builders made on this thread, one freed here after another made on the first.
    check_keyed(json(keyed(4, "reader")), 4, "reader");
  });
  reader.join();
  CHECK(docs.empty());
  // A builder made on one thread and freed on another, whose next builder it then serves.
  auto moved = std::make_unique<joinup::document_builder>("moved");
  std::thread([&] {
    moved->begin_list();
    moved->string("from another thread");
    moved->end();
    const auto d = moved->finish();
    moved.reset();
    const auto e = json(keyed(2, "after-move"));
    check_keyed(e, 2, "after-move");
    CHECK(d.as_string(d.at(d.root(), 0)) == "from another thread");
  }).join();
}
