// Explanations, messages and the printing of values: what a violation shows of the values that
// decided it, rendered only for violations.
#include "eval/evaluator.hpp"

#include <cctype>

namespace joinup::eval {

namespace {

bool month_name(std::string_view w) {
  static constexpr std::string_view names[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                               "jul", "aug", "sep", "oct", "nov", "dec"};
  if (w.size() < 3) return false;
  std::string lower;
  for (char c : w) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (auto n : names)
    if (lower.compare(0, 3, n) == 0) return true;
  return false;
}

// Runs of digits and of letters, separators dropped: "1 April 2016" -> 1, April, 2016.
bool looks_like_date(std::string_view s) {
  if (s.size() < 6 || s.size() > 40) return false;
  std::vector<std::string_view> parts;
  std::string seps;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t j = i;
    if (std::isdigit(c)) {
      while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
    } else if (std::isalpha(c)) {
      while (j < s.size() && std::isalpha(static_cast<unsigned char>(s[j]))) ++j;
    } else if (c == ' ' || c == '/' || c == '-' || c == '.' || c == ',') {
      seps += static_cast<char>(c);
      ++i;
      continue;
    } else {
      return false;
    }
    parts.push_back(s.substr(i, j - i));
    i = j;
  }
  if (parts.size() != 3) return false;
  int digits = 0, years = 0, months = 0;
  for (auto p : parts) {
    if (std::isdigit(static_cast<unsigned char>(p[0]))) {
      if (p.size() > 4 || p.size() == 3) return false;
      ++digits;
      years += p.size() == 4;
    } else {
      if (!month_name(p)) return false;
      ++months;
    }
  }
  // Day, month and year as numbers, or a day and a year around a month's name.
  return (digits == 3 && years <= 1 && seps.find_first_not_of(" ") != std::string::npos) ||
         (digits == 2 && months == 1);
}

}  // namespace

std::string date_hint(const value& v) {
  if (v.kind != vkind::string || !looks_like_date(v.str())) return {};
  return " (write dates as YYYY-MM-DD)";
}

std::string format_number(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  // Whole numbers print without a fraction; others with up to 10 significant digits and no
  // trailing zeros (0.1948051948, not 0.19480519480519481).
  char buf[64];
  if (std::abs(d) < 1e15 && std::floor(d) == d) {
    auto r = std::to_chars(buf, buf + sizeof buf, static_cast<std::int64_t>(d));
    return std::string(buf, r.ptr);
  }
  if (std::abs(d) >= 1e15 || std::abs(d) < 1e-6) {
    auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::general, 10);
    return std::string(buf, r.ptr);
  }
  const int magnitude = static_cast<int>(std::floor(std::log10(std::abs(d)))) + 1;
  const int decimals = std::clamp(10 - magnitude, 0, 16);
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed, decimals);
  std::string out(buf, r.ptr);
  if (out.find('.') != std::string::npos) {
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
  }
  return out;
}

// ---------------------------------------------------------------- explanations

std::vector<std::pair<std::uint32_t, value>> evaluator::trace(std::uint32_t node) {
  std::vector<std::pair<std::uint32_t, value>> out;
  if (node == no_index) return out;
  out.reserve(16);
  if (defs_) defs_->trace_calls.clear();
  trace_call_ = no_index;
  set_tracing(true);
  trace_depth_ = 0;
  trace_out_ = &out;
  witness_node_ = no_index;
  eval(node);
  set_tracing(false);
  trace_out_ = nullptr;
  return out;
}

std::vector<explanation_entry> evaluator::explain(std::uint32_t root,
                                                  const std::vector<std::pair<std::uint32_t, value>>& traced) {
  // Paths show once, whole: the object of a field or index access is not shown on its own.
  // (A handful of nodes: a short list, not a flag per node of the whole program.) The scratch
  // vectors are the evaluator's, reused from one violation to the next.
  auto& hidden_nodes = scratch_hidden_;
  hidden_nodes.clear();
  for (const auto& [n, _] : traced) {
    const auto& pn = p_.nodes[n];
    if ((pn.code == opcode::field || pn.code == opcode::index) && pn.a != no_index) hidden_nodes.push_back(pn.a);
  }
  auto hidden = [&](std::uint32_t n) {
    return std::find(hidden_nodes.begin(), hidden_nodes.end(), n) != hidden_nodes.end();
  };
  auto& items = scratch_items_;
  items.clear();
  auto& seen = scratch_seen_;
  seen.clear();
  const bool scoped = defs_ && !defs_->trace_calls.empty();
  bool any_call = false;
  for (std::size_t t = 0; t < traced.size(); ++t) {
    const auto& [n, val] = traced[t];
    if (n == root || n >= p_.nodes.size() || hidden(n)) continue;
    const auto& pn = p_.nodes[n];
    if (pn.code == opcode::constant) continue;
    if (val.kind == vkind::map && pn.code == opcode::slot) continue;  // a bound record: its fields say more
    if (std::find(seen.begin(), seen.end(), pn.text) != seen.end()) continue;
    seen.push_back(pn.text);
    items.push_back({pn.where.begin, pn.where.end, n, &val, nullptr});
    if (scoped) {
      items.back().call = traced_call(t);
      any_call = any_call || items.back().call != no_index;
    }
  }
  for (const auto& c : counterexamples_) items.push_back({c.begin, c.begin, no_index, nullptr, &c});
  // A bare path or name has no parts worth showing: show its own value.
  if (items.empty())
    for (const auto& [n, val] : traced)
      if (n == root && p_.nodes[n].code != opcode::constant)
        items.push_back({p_.nodes[n].where.begin, p_.nodes[n].where.end, n, &val, nullptr});
  // In source order, outer expressions before their parts; a stable insertion sort (a handful
  // of items, no buffer to allocate).
  if (any_call) {
    for (std::size_t i = 1; i < items.size(); ++i) {
      const explained it = items[i];
      std::size_t j = i;
      for (; j > 0 && explained_before(it, items[j - 1], traced); --j) items[j] = items[j - 1];
      items[j] = it;
    }
  }
  for (std::size_t i = 1; i < items.size() && !any_call; ++i) {
    const explained it = items[i];
    std::size_t j = i;
    for (; j > 0 && (items[j - 1].begin != it.begin ? it.begin < items[j - 1].begin : it.end > items[j - 1].end); --j)
      items[j] = items[j - 1];
    items[j] = it;
  }
  std::vector<explanation_entry> out(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& it = items[i];
    if (it.example) {
      out[i].expression = it.example->name;
      out[i].value = it.example->text;
    } else {
      out[i].expression = p_.nodes[it.node].text;
      if (it.val->kind == vkind::list || it.val->kind == vkind::map) out[i].value.reserve(64);
      render_into(out[i].value, *it.val, render_style::explanation, 6);
    }
  }
  counterexamples_.clear();
  return out;
}

bool evaluator::explained_before(const explained& a, const explained& b,
                                 const std::vector<std::pair<std::uint32_t, value>>& traced) const {
  // Each item's place: the def calls around it, outermost first, then itself.
  const auto call_of = [&](std::uint32_t call) {
    for (std::size_t t = 0; t < traced.size(); ++t)
      if (traced[t].first == call) return traced_call(t);
    return no_index;
  };
  const auto place = [&](const explained& it) {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> out{{it.begin, it.end}};
    for (std::uint32_t c = it.call; c != no_index; c = call_of(c))
      out.push_back({p_.nodes[c].where.begin, p_.nodes[c].where.end});
    std::reverse(out.begin(), out.end());
    return out;
  };
  const auto pa = place(a), pb = place(b);
  for (std::size_t k = 0; k < pa.size() && k < pb.size(); ++k)
    if (pa[k] != pb[k]) return pa[k].first != pb[k].first ? pa[k].first < pb[k].first : pa[k].second > pb[k].second;
  return pa.size() < pb.size();
}

std::string evaluator::automatic_message(const plan::require& rq,
                                         const std::vector<std::pair<std::uint32_t, value>>& traced) {
  const auto& n = p_.nodes[rq.condition];
  auto value_of = [&](std::uint32_t id) -> const value* {
    for (const auto& [t, v] : traced)
      if (t == id) return &v;
    return nullptr;
  };
  std::string out;
  out.reserve(rq.text.size() + 64);
  out += "expected ";
  out += rq.text;
  out += ", but ";
  if (n.code == opcode::quantifier) {
    if (n.op != ast::op::any && witness_node_ == rq.condition)
      return out + witness_text_ + (n.op == ast::op::all ? " does not" : " does");
    const value* coll = value_of(n.a);
    if (coll && iterable(*coll) && coll->len == 0) return out + std::string(p_.nodes[n.a].text) + " is empty";
    return out + "no element of " + std::string(p_.nodes[n.a].text) + " does";
  }
  std::uint32_t operands[3] = {no_index, no_index, no_index};
  if (n.code == opcode::binary && n.op != ast::op::and_ && n.op != ast::op::or_ && n.op != ast::op::coalesce)
    operands[0] = n.a, operands[1] = n.b;
  else if (n.code == opcode::between)
    operands[0] = n.a, operands[1] = n.b, operands[2] = n.c;
  else if (n.code == opcode::unary)
    operands[0] = n.a;
  bool any = false;
  for (auto o : operands) {
    if (o == no_index || p_.nodes[o].code == opcode::constant) continue;
    if (const value* v = value_of(o)) {
      if (any) out += " and ";
      any = true;
      out += p_.nodes[o].text;
      out += " is ";
      render_into(out, *v, render_style::explanation, 6);
    }
  }
  if (!any) out += "it is false";
  return out;
}

std::string evaluator::render_template(const plan::text_template& t) {
  std::string out;
  for (const auto& part : t) {
    if (!part.is_expr) {
      out += part.text;
      continue;
    }
    const bool was = tracing_;
    set_tracing(false);
    const value v = eval(part.node);
    set_tracing(was);
    out += v.kind == vkind::missing ? "(missing)" : render(v, render_style::message);
  }
  return out;
}

// ---------------------------------------------------------------- rendering values

std::string evaluator::render(const value& v, render_style style, int budget) const {
  std::string out;
  if (v.kind == vkind::list || v.kind == vkind::map) out.reserve(64);
  render_into(out, v, style, budget);
  return out;
}

void evaluator::render_into(std::string& out, const value& v, render_style style, int budget) const {
  switch (v.kind) {
    case vkind::missing: out += "(missing)"; return;
    case vkind::error:
      out += "(error: ";
      out += error_text(v, no_index);
      out += ')';
      return;
    case vkind::null: out += "null"; return;
    case vkind::boolean: out += v.u.b ? "true" : "false"; return;
    case vkind::integer: append_int(out, v.u.i); return;
    case vkind::number: out += format_number(v.u.d); return;
    case vkind::date: out += date{v.u.days}.to_string(); return;
    case vkind::string:
      // Strings come from the data: a rule's message quotes them whole up to a generous limit
      // (diag::message_quote_limit, cut at a word); explanations show a window of them
      // (diag::quote_window bytes); values that join() builds are never cut.
      if (style == render_style::whole)
        out += v.str();
      else if (style == render_style::message)
        diag::append_message_text(out, v.str());
      else
        diag::append_window(out, v.str(), style == render_style::explanation);
      return;
    case vkind::list: {
      out += '[';
      const std::uint32_t shown = std::min<std::uint32_t>(v.len, static_cast<std::uint32_t>(std::max(budget, 1)));
      for (std::uint32_t i = 0; i < shown; ++i) {
        if (i) out += ", ";
        render_into(out, element(v, i, nullptr), style, std::max(budget / 2, 1));
      }
      if (shown < v.len) {
        out += ", … ";
        append_int(out, v.len);
        out += " items";
      }
      out += ']';
      return;
    }
    case vkind::map: {
      out += '{';
      const std::uint32_t n = doc_.size(v.node);
      const std::uint32_t shown = std::min<std::uint32_t>(n, static_cast<std::uint32_t>(std::max(budget, 1)));
      for (std::uint32_t i = 0; i < shown; ++i) {
        if (i) out += ", ";
        out += doc_.key_text(doc_.key_at(v.node, i));
        out += ": ";
        render_into(out, from_node(doc_, doc_.value_at(v.node, i)), style, 1);
      }
      if (shown < n) {
        out += ", … ";
        append_int(out, n);
        out += " keys";
      }
      out += '}';
      return;
    }
  }
}

std::string evaluator::error_text(const value& v, std::uint32_t node) const {
  if (v.kind == vkind::error) {
    if (!(v.flags & value::missing_later)) return std::string(v.str());
    value m = v;  // the missing value the error was made from (as_error())
    m.kind = vkind::missing;
    m.flags = v.flags & value::missing_index;
    m.node = v.aux;
    m.aux = 0;
    return missing_text(m, node);
  }
  return missing_text(v, node);
}

std::string evaluator::missing_text(const value& m, std::uint32_t node) const {
  if (m.flags & value::missing_none) return std::string(m.str());
  if (m.node == no_index || doc_.empty()) return std::string(p_.nodes[node].text) + " is missing";
  const std::string parent = doc_.path(m.node);
  const value_kind pk = doc_.kind(m.node);
  if (m.flags & value::missing_index) {
    const std::string at = parent + "[" + std::to_string(m.u.i) + "]";
    if (pk == value_kind::list)
      return at + " is missing (the list has " + std::to_string(doc_.size(m.node)) + " elements)";
    return parent + " is " + (pk == value_kind::null ? std::string("null") : "a " + std::string(to_string(pk))) +
           ", so it has no [" + std::to_string(m.u.i) + "]";
  }
  if (pk == value_kind::map) {
    // A misspelt key is the likeliest cause: the nearest key the map does have, as a guess.
    std::string guess;
    if (const std::uint32_t n = doc_.size(m.node); n && n <= 1000) {
      std::vector<std::string> keys;
      keys.reserve(n);
      for (std::uint32_t i = 0; i < n; ++i) keys.emplace_back(doc_.key_text(doc_.key_at(m.node, i)));
      guess = diag::closest(m.str(), keys);
    }
    const std::string hint = guess.empty() ? "" : " (did you mean '" + diag::window(guess) + "'?)";
    if (parent.empty()) return "the document has no '" + diag::window(m.str()) + "'" + hint;
    std::string path = parent;
    document::append_path_key(path, diag::window(m.str()));
    return path + " is missing" + hint;
  }
  return (parent.empty() ? std::string("the document") : parent) + " is " +
         (pk == value_kind::null ? std::string("null") : "a " + std::string(to_string(pk))) + ", so it has no '" +
         diag::window(m.str()) + "'";
}

std::string evaluator::iterate_error(const value& v, std::uint32_t node) {
  if (bad(v)) return error_text(v, node);
  return "cannot iterate over " + std::string(p_.nodes[node].text) + ": it is " + kind_name(v.kind);
}

}  // namespace joinup::eval
