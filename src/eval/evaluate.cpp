// The evaluator's entry points (eval.hpp, constant.hpp): an evaluator per call.
#include "diag/codes.hpp"
#include "eval/constant.hpp"
#include "eval/evaluator.hpp"

namespace joinup::eval {

std::optional<constant_result> constant_value(const plan::program& program, std::uint32_t node) {
  const document none_doc;
  // Folding is bounded like an evaluation: an expression too costly to fold (a let chain doubling
  // a list, flatten of nested comprehensions) is left to run time, where the caller's budgets apply.
  evaluate_options options;
  options.max_steps = 1000000;
  options.max_memory_bytes = 16 * 1024 * 1024;
  evaluator e(program, none_doc, options);
  value v;
  try {
    v = e.constant(node);
  } catch (const step_limit_reached&) {
    return std::nullopt;
  } catch (const memory_limit_reached&) {
    return std::nullopt;
  }
  switch (v.kind) {
    case vkind::null:
    case vkind::boolean:
    case vkind::integer:
    case vkind::number:
    case vkind::date: return constant_result{v, {}};
    case vkind::string: return constant_result{v, std::string(v.str())};
    default: return std::nullopt;  // errors stay to be reported at run time; lists would need copying
  }
}

namespace {

[[noreturn]] void step_limit_error(const plan::program& program, const document& doc, const evaluate_options& options,
                                   std::uint32_t r) {
  diagnostic d;
  d.code = diag::to_string(diag::code::step_limit);
  d.message = "evaluation stopped" +
              (r < program.infos.size() ? " in rule " + program.infos[r].full_id : std::string()) +
              ": the step budget of " + std::to_string(options.max_steps) + " was used up";
  d.origin = doc.empty() ? std::string() : doc.origin();
  d.help = "raise the budget, or simplify rules that loop over large lists inside other loops";
  throw joinup::error({d});
}

[[noreturn]] void memory_limit_error(const plan::program& program, const document& doc, const evaluate_options& options,
                                     std::uint32_t r) {
  diagnostic d;
  d.code = diag::to_string(diag::code::memory_limit);
  d.message = "evaluation stopped" +
              (r < program.infos.size() ? " in rule " + program.infos[r].full_id : std::string()) +
              ": the memory budget of " + std::to_string(options.max_memory_bytes) +
              " bytes (max_memory_bytes) was used up by the strings and lists it built";
  d.origin = doc.empty() ? std::string() : doc.origin();
  d.help = "raise the budget, or simplify rules that build large lists or strings (flatten, join, comprehensions)";
  throw joinup::error({d});
}

}  // namespace

std::string document_title(const document& doc) {
  if (doc.empty() || doc.kind(doc.root()) != value_kind::map) return {};
  auto name_of = [&](document::node_id map) -> std::string {
    if (doc.kind(map) != value_kind::map) return {};
    const auto n = doc.find(map, "name");
    return n != document::npos && doc.kind(n) == value_kind::string ? std::string(doc.as_string(n)) : std::string();
  };
  if (auto own = name_of(doc.root()); !own.empty()) return own;
  return doc.size(doc.root()) == 1 ? name_of(doc.value_at(doc.root(), 0)) : std::string();
}

evaluation_result evaluate(const plan::program& program, const document& doc, const std::vector<std::uint32_t>& rules,
                           const evaluate_options& options) {
  evaluator e(program, doc, options);
  std::vector<std::vector<clause_count>> counts;
  if (options.count_clauses) e.count_clauses_into(&counts);
  try {
    found f = e.find_all(rules);
    auto out = e.render_all(f, f.rules);
    out.title = document_title(doc);
    return out;
  } catch (const step_limit_reached&) {
    step_limit_error(program, doc, options, e.rule_index());
  } catch (const memory_limit_reached&) {
    memory_limit_error(program, doc, options, e.rule_index());
  }
}

found find(const plan::program& program, const document& doc, const std::vector<std::uint32_t>& rules,
           const evaluate_options& options) {
  evaluator e(program, doc, options);
  try {
    return e.find_all(rules);
  } catch (const step_limit_reached&) {
    step_limit_error(program, doc, options, e.rule_index());
  } catch (const memory_limit_reached&) {
    memory_limit_error(program, doc, options, e.rule_index());
  }
}

violation render(const plan::program& program, const document& doc, const evaluate_options& options, const found& f,
                 std::size_t i) {
  evaluator e(program, doc, options);
  try {
    return e.render_one(f, i);
  } catch (const step_limit_reached&) {
    step_limit_error(program, doc, options, e.rule_index());
  } catch (const memory_limit_reached&) {
    memory_limit_error(program, doc, options, e.rule_index());
  }
}

evaluation_result render_all(const plan::program& program, const document& doc, const evaluate_options& options,
                             const found& f, const std::vector<findings::rule_outcome>& rules) {
  evaluator e(program, doc, options);
  try {
    auto out = e.render_all(f, rules);
    out.title = document_title(doc);
    return out;
  } catch (const step_limit_reached&) {
    step_limit_error(program, doc, options, e.rule_index());
  } catch (const memory_limit_reached&) {
    memory_limit_error(program, doc, options, e.rule_index());
  }
}

}  // namespace joinup::eval
