// Type printing; see print.h.
#include "compiler/types/print.h"

#include "runtime/value/json.h"

namespace orch::types {

bool IsIdentifier(const std::string& s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

namespace {

class Printer {
 public:
  explicit Printer(const PrintOptions& options) : options_(options) {}

  void Emit(const TypeRef& type, int depth, bool top) {
    if (!type) {
      out_ += "any";
      return;
    }
    const bool elide = options_.max_depth > 0 && depth >= options_.max_depth;
    switch (type->kind()) {
      case TypeKind::kNever: out_ += "never"; return;
      case TypeKind::kAny: out_ += "any"; return;
      case TypeKind::kNull: out_ += "null"; return;
      case TypeKind::kBool: out_ += "bool"; return;
      case TypeKind::kInt: out_ += "int"; return;
      case TypeKind::kNumber: out_ += "number"; return;
      case TypeKind::kString: out_ += "string"; return;
      case TypeKind::kLiteral: AppendJsonString(out_, type->literal()); return;
      case TypeKind::kList:
        if (elide) {
          out_ += "[..]";
          return;
        }
        out_ += '[';
        Emit(type->element(), depth + 1, false);
        out_ += ']';
        return;
      case TypeKind::kMap:
        out_ += "{[string]: ";
        if (elide) {
          out_ += "..";
        } else {
          Emit(type->element(), depth + 1, false);
        }
        out_ += '}';
        return;
      case TypeKind::kRecord: EmitRecord(type, depth, elide); return;
      case TypeKind::kUnion: EmitUnion(type, depth); return;
      case TypeKind::kNamed:
        if (top && options_.expand_top_alias) {
          Emit(Resolve(type), depth, false);
        } else {
          out_ += type->name();
        }
        return;
      case TypeKind::kFunction: {
        out_ += '(';
        for (size_t i = 0; i < type->params().size(); ++i) {
          if (i) out_ += ", ";
          Emit(type->params()[i], depth + 1, false);
          if (type->variadic() && i + 1 == type->params().size()) out_ += "...";
        }
        out_ += ") -> ";
        Emit(type->element(), depth + 1, false);
        return;
      }
    }
  }

  std::string Take() { return std::move(out_); }

 private:
  void EmitFieldName(const std::string& name) {
    if (IsIdentifier(name)) {
      out_ += name;
    } else {
      out_ += '`';
      out_ += name;
      out_ += '`';
    }
  }

  void EmitRecord(const TypeRef& type, int depth, bool elide) {
    if (type->fields().empty() && !type->rest()) {
      out_ += "{}";
      return;
    }
    if (elide) {
      out_ += "{..}";
      return;
    }
    out_ += '{';
    bool first = true;
    for (const Field& f : type->fields()) {
      if (!first) out_ += ", ";
      first = false;
      EmitFieldName(f.name);
      out_ += f.optional ? "?: " : ": ";
      Emit(f.type, depth + 1, false);
    }
    if (type->rest()) {
      if (!first) out_ += ", ";
      out_ += "[string]: ";
      Emit(type->rest(), depth + 1, false);
    }
    out_ += '}';
  }

  // Unions and functions need parentheses before a `?` suffix.
  void EmitOperand(const TypeRef& t, int depth) {
    bool paren = t->kind() == TypeKind::kUnion || t->kind() == TypeKind::kFunction;
    if (paren) out_ += '(';
    Emit(t, depth, false);
    if (paren) out_ += ')';
  }

  void EmitUnion(const TypeRef& type, int depth) {
    const auto& members = type->members();
    bool has_null = !members.empty() && members.back()->kind() == TypeKind::kNull;
    if (has_null && members.size() == 2) {
      EmitOperand(members.front(), depth);
      out_ += '?';
      return;
    }
    for (size_t i = 0; i < members.size(); ++i) {
      if (i) out_ += " | ";
      if (members[i]->kind() == TypeKind::kFunction) {
        EmitOperand(members[i], depth);
      } else {
        Emit(members[i], depth, false);
      }
    }
  }

  const PrintOptions& options_;
  std::string out_;
};

}  // namespace

std::string Print(const TypeRef& type, const PrintOptions& options) {
  Printer p(options);
  p.Emit(type, 0, true);
  return p.Take();
}

std::string PrintFieldList(const TypeRef& record) {
  const TypeRef& r = Resolve(record);
  if (r->kind() != TypeKind::kRecord) return "";
  std::string out;
  for (const Field& f : r->fields()) {
    if (!out.empty()) out += ", ";
    out += '`';
    out += f.name;
    out += ": ";
    out += PrintShort(f.type);
    out += '`';
    if (!f.optional) out += " (required)";
  }
  if (out.empty()) out = "no parameters";
  return out;
}

}  // namespace orch::types
