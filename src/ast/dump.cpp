#include "ast/dump.hpp"

#include <cstdio>

namespace joinup::ast {

namespace {

void quoted(std::string& out, const std::string& s) {
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  out += '"';
}

void expr_to(std::string& out, const file& f, expr_id id);

void binder_to(std::string& out, const file& f, const binder& b) {
  if (!b.key_name.empty()) out += b.key_name + ", ";
  out += b.name + " in ";
  expr_to(out, f, b.collection);
  if (b.filter != no_index) {
    out += " where ";
    expr_to(out, f, b.filter);
  }
}

void expr_to(std::string& out, const file& f, expr_id id) {
  if (id == no_index) {
    out += "<none>";
    return;
  }
  const expr& e = f.at(id);
  const std::string op = "op" + std::to_string(static_cast<int>(e.op));
  auto args = [&](const char* sep) {
    for (std::size_t i = 0; i < e.args.size(); ++i) {
      if (i) out += sep;
      expr_to(out, f, e.args[i]);
    }
  };
  switch (e.kind) {
    case expr_kind::null_lit: out += "null"; break;
    case expr_kind::bool_lit: out += e.boolean ? "true" : "false"; break;
    case expr_kind::int_lit: out += std::to_string(e.integer); break;
    case expr_kind::double_lit: {
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.17g", e.number);
      out += "d:";
      out += buf;
      break;
    }
    case expr_kind::string_lit: quoted(out, e.text); break;
    case expr_kind::date_lit: out += "@" + std::to_string(e.days); break;
    case expr_kind::list:
      out += "[";
      args(", ");
      out += "]";
      break;
    case expr_kind::name: out += e.text; break;
    case expr_kind::field:
      out += "(";
      args("");
      out += ")." + e.text;
      break;
    case expr_kind::index:
      out += "index(";
      args(", ");
      out += ")";
      break;
    case expr_kind::call:
      out += e.text + "(";
      args(", ");
      out += ")";
      break;
    case expr_kind::unary:
      out += op + "(";
      args("");
      out += ")";
      break;
    case expr_kind::binary:
      out += op + "(";
      args(", ");
      out += ")";
      break;
    case expr_kind::between:
      out += "between(";
      args(", ");
      out += ")";
      break;
    case expr_kind::quantifier:
    case expr_kind::aggregate:
    case expr_kind::comprehension:
      out += (e.kind == expr_kind::quantifier  ? "quantifier "
              : e.kind == expr_kind::aggregate ? "aggregate "
                                               : "list ");
      out += op + " " + e.text + "(";
      binder_to(out, f, e.bind);
      out += ": ";
      args(", ");
      out += ")";
      break;
    case expr_kind::conditional:
      out += "if(";
      args(", ");
      out += ")";
      break;
  }
}

}  // namespace

std::string dump(const file& f, expr_id e) {
  std::string out;
  expr_to(out, f, e);
  return out;
}

std::string dump(const file& f, const text_template& t) {
  std::string out = "template(";
  for (const auto& p : t.parts) {
    if (p.is_expr) {
      out += "{" + dump(f, p.value) + "}";
    } else {
      quoted(out, p.text);
    }
  }
  return out + ")";
}

std::string dump_body(const file& f, const rule& r) {
  std::string out;
  if (r.when != no_index) out += "when " + dump(f, r.when) + "\n";
  for (const auto& s : r.steps) {
    if (s.what == step::kind::let) {
      out += "let " + s.let.name + " = " + dump(f, s.let.value) + "\n";
    } else {
      out += "for each ";
      binder_to(out, f, s.for_each);
      out += "\n";
    }
  }
  for (const auto& q : r.requires_) {
    out += "require " + dump(f, q.condition) + "\n";
    if (q.message) out += "  message " + dump(f, *q.message) + "\n";
  }
  if (r.message) out += "message " + dump(f, *r.message) + "\n";
  return out;
}

std::string dump(const file& f, const rule& r) {
  std::string out = "rule " + r.id + "\n";
  if (r.title) {
    out += "title ";
    quoted(out, *r.title);
    out += "\n";
  }
  if (r.severity) out += "severity " + *r.severity + "\n";
  if (!r.tags.empty()) {
    out += "tags";
    for (const auto& [t, _] : r.tags) {
      out += " ";
      quoted(out, t);
    }
    out += "\n";
  }
  if (r.source) {
    out += "source ";
    quoted(out, *r.source);
    out += "\n";
  }
  if (r.rationale) out += "rationale " + dump(f, *r.rationale) + "\n";
  if (r.remedy) out += "remedy " + dump(f, *r.remedy) + "\n";
  if (r.undetermined) out += "undetermined " + dump(f, *r.undetermined) + "\n";
  return out + dump_body(f, r);
}

std::string dump(const file& f) {
  std::string out;
  if (f.package) out += "package " + *f.package + "\n";
  if (f.schema) out += "schema " + *f.schema + "\n";
  for (const auto& [u, _] : f.uses) out += "uses " + u + "\n";
  // Definitions and imports mean the same wherever they stand in the file.
  for (const auto& [p, _] : f.imports) out += "import " + p + "\n";
  for (const auto& d : f.definitions) {
    out += d.what == definition::kind::let ? "let " + d.name : "def " + d.name + "(";
    if (d.what == definition::kind::def) {
      for (std::size_t i = 0; i < d.params.size(); ++i) out += (i ? ", " : "") + d.params[i].first;
      out += ")";
    }
    out += " = " + dump(f, d.value) + "\n";
  }
  for (const auto& r : f.rules) out += dump(f, r);
  return out;
}

}  // namespace joinup::ast
