// Type → source text for generated code (see type_text.h).
#include "runtime/compose/type_text.h"

#include <fmt/format.h>

#include "runtime/compose/names.h"
#include "runtime/value/json.h"

namespace orch::compose {

namespace {

using types::TypeKind;

// Unions print their members with `|`; a member that is itself a union needs no brackets
// (unions are flat), and `T | null` prints as `T?` when T is a single word.
std::string Print(const types::TypeRef& type, int depth) {
  if (!type || depth > 12) return "any";
  switch (type->kind()) {
    case TypeKind::kNever: return "any";
    case TypeKind::kAny: return "any";
    case TypeKind::kNull: return "null";
    case TypeKind::kBool: return "bool";
    case TypeKind::kInt: return "int";
    case TypeKind::kNumber: return "number";
    case TypeKind::kString: return "string";
    case TypeKind::kLiteral: return ToJson(Value(type->literal()));
    case TypeKind::kList: return "[" + Print(type->element(), depth + 1) + "]";
    case TypeKind::kMap: return "{[string]: " + Print(type->element(), depth + 1) + "}";
    case TypeKind::kRecord: {
      if (type->fields().empty()) return type->rest() ? "{[string]: " + Print(type->rest(), depth + 1) + "}" : "{[string]: any}";
      std::string out = "{";
      for (size_t i = 0; i < type->fields().size(); ++i) {
        const types::Field& f = type->fields()[i];
        if (i) out += ", ";
        out += SourceName(f.name);
        out += f.optional ? "?: " : ": ";
        out += Print(f.type, depth + 1);
      }
      return out + "}";
    }
    case TypeKind::kUnion: {
      std::vector<std::string> parts;
      bool has_null = false;
      for (const types::TypeRef& m : type->members()) {
        if (m->kind() == TypeKind::kNull) {
          has_null = true;
        } else {
          parts.push_back(Print(m, depth + 1));
        }
      }
      std::string joined = fmt::format("{}", fmt::join(parts, " | "));
      if (!has_null) return joined;
      if (parts.size() == 1 && parts[0].find(' ') == std::string::npos) return joined + "?";
      return joined + " | null";
    }
    case TypeKind::kNamed: {
      // ToolResult is known to the language; other names come from schema `$defs`.
      if (type->name() == "ToolResult") return "ToolResult";
      return "any";
    }
    case TypeKind::kFunction: return "any";
  }
  return "any";
}

}  // namespace

std::string TypeSource(const types::TypeRef& type) { return Print(type, 0); }

}  // namespace orch::compose
