// What an evaluator allocates, kept from one evaluation to the next on the same thread: the
// resolved kernel terms, slots, key caches, the arena, the working lists and list indexes.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "eval/index.hpp"
#include "plan/plan.hpp"
#include "value/value.hpp"

namespace joinup::eval {

using plan::opcode;

// The kernels' terms resolved for this document: key ids, cache slots and constants at hand.
struct live_term {
  enum kind_t : std::uint8_t { flag, string, integer, date, boolean };
  kind_t kind = flag;
  ast::op op = ast::op::eq;
  std::uint32_t key = no_index;  // npos: no map of the document has the key
  std::uint32_t hint = no_index;
  std::int64_t number = 0;  // integer, date, boolean constant
  std::string_view text;    // string constant

  bool same_test(const live_term& o) const {
    return kind == o.kind && op == o.op && key == o.key && number == o.number && text == o.text;
  }
};
// What an evaluator allocates, kept from one evaluation to the next on the same thread (see
// scratch_lease): slots, key caches, the arena and the working lists. Every evaluation resets
// what it reads; the key-position hints may stay, since a hint is checked before it is used.
struct scratch {
  std::vector<value> slots;
  std::vector<std::uint32_t> sym_keys;
  std::vector<std::uint32_t> hints;
  std::vector<live_term> live_terms;
  std::vector<std::uint32_t> kernel_first;
  // Per fusion (plan::program::fusions): its members' terms, each distinct test once (counts often
  // share a first test), as indexes into live_terms; member g's terms are uses[first[g] ..
  // first[g + 1]), indexes into tests.
  struct fused_tests {
    std::vector<std::uint32_t> tests;
    std::vector<std::uint8_t> uses;
    std::vector<std::uint32_t> first;
  };
  std::vector<fused_tests> fusion_tests;
  std::vector<std::pair<std::uint32_t, value>> fused;
  std::vector<bool> fusion_failed;
  std::vector<std::unique_ptr<std::vector<value>>> collect;
  std::vector<std::pair<const plan::step*, value>> subject;
  std::vector<std::uint32_t> group_last;
  arena memory;
  indexed_lists searched, joins;  // the evaluator's indexes of document lists
  // sym_keys, live_terms and kernel_first were derived from this program and document (their
  // uids; 0: from none), and serve the next evaluation of the same pair as they are.
  std::uint64_t program_uid = 0, document_uid = 0;
  // The program's symbols by their hash as a document hashes its keys (data::hash_key with
  // symbol_seed), for resolve_symbols to go from a document's few keys to the symbols rather than
  // the other way: an open-addressing table, a power of two in size, at most half full, of symbol
  // index + 1 (0: empty), with each symbol's hash. Built for the program of uid symbol_program.
  std::vector<std::uint32_t> symbol_slots, symbol_hashes;
  std::uint64_t symbol_program = 0, symbol_seed = 0;
  // sym_keys is sized for the program of uid sym_keys_program (0: none, or not known to be) and
  // holds no_index but at the symbols listed in sym_set, which the next document clears.
  std::vector<std::uint32_t> sym_set;
  std::uint64_t sym_keys_program = 0;
  // live_terms and kernel_first were made for the program of uid terms_program (0: none): the
  // next document of it only sets each term's key, from the symbol in term_syms (one per term).
  std::vector<std::uint32_t> term_syms;
  std::uint64_t terms_program = 0;

  // Ready for the next evaluation, giving back what an unusually large one took.
  void reset() {
    fused.clear();
    fusion_failed.clear();
    searched.clear();
    joins.clear();
    subject.clear();
    group_last.clear();
    memory.trim(1024 * 1024);
    if (collect.size() > 8) collect.resize(8);
    for (auto& c : collect)
      if (c->capacity() > 4096) std::vector<value>().swap(*c);
  }
};

// Borrows a scratch from this thread's pool for one evaluator's lifetime, or makes one; gives it
// back (at most a few are kept per thread).
class scratch_lease {
 public:
  scratch_lease() {
    auto& pool = free_list();
    if (pool.empty()) {
      s_ = std::make_unique<scratch>();
    } else {
      s_ = std::move(pool.back());
      pool.pop_back();
    }
  }
  ~scratch_lease() {
    s_->reset();
    auto& pool = free_list();
    if (pool.size() < 4) pool.push_back(std::move(s_));
  }
  scratch_lease(const scratch_lease&) = delete;
  scratch_lease& operator=(const scratch_lease&) = delete;
  scratch& operator*() const { return *s_; }

 private:
  static std::vector<std::unique_ptr<scratch>>& free_list() {
    thread_local std::vector<std::unique_ptr<scratch>> pool;
    return pool;
  }
  std::unique_ptr<scratch> s_;
};

}  // namespace joinup::eval
