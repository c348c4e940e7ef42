// ToJsonSchema: a walk over the type tree; recursive aliases are found first so that only
// they become `$defs` (everything else is inlined, which MCP hosts handle best).
#include "compiler/types/json_schema.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace orch::types {
namespace {

// orch::types has factories called Record and List; these name the JSON value kinds.
using JsonRecord = orch::Record;
using JsonList = orch::List;

/// Finds the named aliases that refer to themselves, directly or through others.
class RecursionFinder {
 public:
  void Visit(const TypeRef& type) {
    if (!type) return;
    switch (type->kind()) {
      case TypeKind::kList:
      case TypeKind::kMap:
        Visit(type->element());
        return;
      case TypeKind::kRecord:
        for (const Field& field : type->fields()) Visit(field.type);
        Visit(type->rest());
        return;
      case TypeKind::kUnion:
        for (const TypeRef& member : type->members()) Visit(member);
        return;
      case TypeKind::kNamed: {
        std::shared_ptr<NamedDef> def = type->def();
        if (!def) return;
        if (on_stack_.count(def.get()) != 0) {
          recursive_.insert(def.get());
          return;
        }
        if (!done_.insert(def.get()).second) return;
        on_stack_.insert(def.get());
        Visit(def->target);
        on_stack_.erase(def.get());
        return;
      }
      default:
        return;
    }
  }
  const std::set<const NamedDef*>& recursive() const { return recursive_; }

 private:
  std::set<const NamedDef*> on_stack_;
  std::set<const NamedDef*> done_;
  std::set<const NamedDef*> recursive_;
};

const char* PrimitiveName(TypeKind kind) {
  switch (kind) {
    case TypeKind::kNull:
      return "null";
    case TypeKind::kBool:
      return "boolean";
    case TypeKind::kInt:
      return "integer";
    case TypeKind::kNumber:
      return "number";
    case TypeKind::kString:
      return "string";
    default:
      return nullptr;
  }
}

class SchemaWriter {
 public:
  explicit SchemaWriter(const std::set<const NamedDef*>& recursive) : recursive_(recursive) {}

  Value Write(const TypeRef& type) {
    if (!type) return Value(JsonRecord{});
    if (const char* name = PrimitiveName(type->kind())) return Value(JsonRecord{{"type", name}});
    switch (type->kind()) {
      case TypeKind::kNever:
        return Value(JsonRecord{{"not", Value(JsonRecord{})}});
      case TypeKind::kLiteral:
        return Value(JsonRecord{{"type", "string"}, {"const", type->literal()}});
      case TypeKind::kList:
        return Value(JsonRecord{{"type", "array"}, {"items", Write(type->element())}});
      case TypeKind::kMap:
        return Value(
            JsonRecord{{"type", "object"}, {"additionalProperties", Write(type->element())}});
      case TypeKind::kRecord:
        return WriteRecord(*type);
      case TypeKind::kUnion:
        return WriteUnion(*type);
      case TypeKind::kNamed:
        return WriteNamed(*type);
      default:  // any, function
        return Value(JsonRecord{});
    }
  }

  /// `$defs` collected while writing (empty when no alias is recursive).
  JsonRecord TakeDefs() { return std::move(defs_); }

 private:
  Value WriteRecord(const Type& type) {
    JsonRecord properties;
    JsonList required;
    for (const Field& field : type.fields()) {
      Value schema = Write(field.type);
      if (!field.description.empty() && schema.is_record() &&
          !schema.as_record().Contains("$ref")) {
        JsonRecord with_description = schema.as_record();
        with_description.Set("description", field.description);
        schema = Value(std::move(with_description));
      }
      properties.Set(field.name, std::move(schema));
      if (!field.optional) required.push_back(Value(field.name));
    }
    JsonRecord schema{{"type", "object"}, {"properties", Value(std::move(properties))}};
    if (!required.empty()) schema.Set("required", Value(std::move(required)));
    if (type.rest()) {
      schema.Set("additionalProperties", Write(type.rest()));
    } else if (type.closed()) {
      schema.Set("additionalProperties", false);
    }
    return Value(std::move(schema));
  }

  Value WriteUnion(const Type& type) {
    bool primitives = true;
    bool literals = true;
    for (const TypeRef& member : type.members()) {
      TypeKind kind = member->kind();
      primitives = primitives && PrimitiveName(kind) != nullptr;
      literals = literals && (kind == TypeKind::kLiteral || kind == TypeKind::kNull);
    }
    if (primitives) {
      JsonList names;
      for (const TypeRef& member : type.members())
        names.push_back(Value(PrimitiveName(member->kind())));
      return Value(JsonRecord{{"type", Value(std::move(names))}});
    }
    if (literals) {
      JsonList values;
      for (const TypeRef& member : type.members()) {
        values.push_back(member->kind() == TypeKind::kNull ? Value() : Value(member->literal()));
      }
      return Value(JsonRecord{{"enum", Value(std::move(values))}});
    }
    JsonList any_of;
    for (const TypeRef& member : type.members()) any_of.push_back(Write(member));
    return Value(JsonRecord{{"anyOf", Value(std::move(any_of))}});
  }

  Value WriteNamed(const Type& type) {
    std::shared_ptr<NamedDef> def = type.def();
    if (!def || !def->target) return Value(JsonRecord{});
    if (recursive_.count(def.get()) == 0) return Write(def->target);
    auto found = def_names_.find(def.get());
    if (found == def_names_.end()) {
      std::string name = def->name.empty() ? "T" : def->name;
      for (int n = 2; used_names_.count(name) != 0; ++n) name = def->name + "_" + std::to_string(n);
      used_names_.insert(name);
      found = def_names_.emplace(def.get(), name).first;
      defs_.Set(name, Value(JsonRecord{}));  // reserves the position; filled in below
      Value body = Write(def->target);
      defs_.Set(name, std::move(body));
    }
    return Value(JsonRecord{{"$ref", "#/$defs/" + found->second}});
  }

  const std::set<const NamedDef*>& recursive_;
  std::map<const NamedDef*, std::string> def_names_;
  std::set<std::string> used_names_;
  JsonRecord defs_;
};

}  // namespace

using JsonRecord = orch::Record;

Value ToJsonSchema(const TypeRef& type) {
  RecursionFinder finder;
  finder.Visit(type);
  SchemaWriter writer(finder.recursive());
  // A recursive alias at the root is written out once there (MCP wants `type: object` at
  // the root of a tool's schemas, not a bare `$ref`); its inner uses still refer to `$defs`.
  Value schema = writer.Write(type && type->kind() == TypeKind::kNamed ? Resolve(type) : type);
  JsonRecord defs = writer.TakeDefs();
  if (defs.empty()) return schema;
  JsonRecord root = schema.is_record() ? schema.as_record() : JsonRecord{};
  root.Set("$defs", Value(std::move(defs)));
  return Value(std::move(root));
}

bool IsObjectType(const TypeRef& type) {
  TypeRef resolved = Resolve(type);
  return resolved->kind() == TypeKind::kRecord || resolved->kind() == TypeKind::kMap;
}

}  // namespace orch::types
