// The language's types (DESIGN.md §4): `string int number bool null any`, lists `[T]`,
// records `{a: T, b?: T}`, map records `{[string]: T}`, optional `T?` (a union with null),
// unions `A | B`, string-literal types, named aliases (possibly recursive), function types
// for lambdas and built-ins, and `never` (the element type of `[]`, the type of `fail`).
//
// Types are immutable trees shared through `TypeRef` (a shared_ptr to const). Recursion goes
// through `Named` nodes: a named alias is a `NamedDef` slot whose target is filled in once the
// alias body is known. To keep reference counting acyclic, a reference made from inside the
// definition it names (a back edge, e.g. `type Tree = {kids: [Tree]}`) holds the slot weakly;
// every other reference holds it strongly. A dangling weak reference reads as `any`.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace orch::types {

class Type;
/// A shared, immutable type. Never null in a well-formed tree (use Any() for "unknown").
using TypeRef = std::shared_ptr<const Type>;

enum class TypeKind : uint8_t {
  kNever,    ///< no value: `[]`'s elements, the result of `fail`
  kAny,      ///< unknown; assignable to and from everything
  kNull,
  kBool,
  kInt,      ///< widens to number
  kNumber,
  kString,
  kLiteral,  ///< a string-literal type: `"asc"`
  kList,     ///< `[T]`
  kRecord,   ///< `{a: T, b?: T}` (optionally closed, optionally with a rest type)
  kMap,      ///< `{[string]: T}`
  kUnion,    ///< `A | B`; `T?` is `T | null`
  kNamed,    ///< a named alias (`type Plan = …`, a schema `$defs` entry)
  kFunction, ///< `(T, U) -> R`, for lambdas and built-ins
};

/// One field of a record type.
struct Field {
  std::string name;
  TypeRef type;
  /// `b?: T`: the field may be absent (a parameter with a default is optional too).
  bool optional = false;
  /// Free text from the schema's `description`, shown in notes; empty when none.
  std::string description;
};

/// The slot behind a named alias. `target` is set once the alias body is converted.
struct NamedDef {
  std::string name;
  TypeRef target;
};

class Type {
 public:
  TypeKind kind() const { return kind_; }

  // Literal
  const std::string& literal() const { return text_; }
  // List, Map: element / value type. Function: result type.
  const TypeRef& element() const { return element_; }
  // Record
  const std::vector<Field>& fields() const { return fields_; }
  /// The field named `name`, or nullptr.
  const Field* FindField(std::string_view name) const;
  /// Closed records (schema `additionalProperties: false`) reject fields they do not list.
  bool closed() const { return closed_; }
  /// Type of fields a record does not list (schema `additionalProperties: {…}`); may be null.
  const TypeRef& rest() const { return element_; }
  // Union members; Function parameter types.
  const std::vector<TypeRef>& members() const { return members_; }
  const std::vector<TypeRef>& params() const { return members_; }
  /// Function: the last parameter repeats (`join(xs, sep)` has none; `max(a, b…)` would).
  bool variadic() const { return closed_; }
  // Named
  const std::string& name() const { return text_; }
  /// The alias body, or nullptr when the definition is gone or not yet filled in.
  TypeRef target() const;
  /// The slot itself (for identity comparisons); may be null when the weak slot expired.
  std::shared_ptr<NamedDef> def() const;

  /// Construction goes through the factory functions below (the tag keeps it so).
  struct Private {
    explicit Private() = default;
  };
  Type(Private, TypeKind kind) : kind_(kind) {}

 private:
  friend struct TypeAccess;
  TypeKind kind_;
  std::string text_;
  TypeRef element_;
  std::vector<Field> fields_;
  std::vector<TypeRef> members_;
  bool closed_ = false;
  std::shared_ptr<NamedDef> strong_def_;
  std::weak_ptr<NamedDef> weak_def_;
};

// ---- Factories (the primitives are shared singletons) ----
TypeRef Never();
TypeRef Any();
TypeRef Null();
TypeRef Bool();
TypeRef Int();
TypeRef Number();
TypeRef String();
TypeRef Literal(std::string value);
TypeRef List(TypeRef element);
/// A record; fields keep the given order. `rest` types unlisted fields (schema
/// additionalProperties); `closed` forbids unlisted fields.
TypeRef Record(std::vector<Field> fields, bool closed = false, TypeRef rest = nullptr);
TypeRef Map(TypeRef value);
/// A union of `members`, normalized: nested unions flattened, duplicates removed, `never`
/// dropped, `any` absorbs everything, `int | number` is `number`, a literal next to `string`
/// is `string`. One member left returns that member; none returns never.
TypeRef Union(std::vector<TypeRef> members);
/// `T?`: T | null.
TypeRef Optional(TypeRef type);
/// A strong reference to a named alias.
TypeRef Named(std::shared_ptr<NamedDef> def);
/// A weak (back-edge) reference to a named alias, for references inside its own body.
TypeRef NamedWeak(const std::shared_ptr<NamedDef>& def, std::string name);
TypeRef Function(std::vector<TypeRef> params, TypeRef result, bool variadic = false);

/// `ToolResult {content: [any], text: string, structured: any?, is_error: bool}`: the value
/// of a call to a tool without an outputSchema.
TypeRef ToolResult();

// ---- Queries ----
/// Follows named aliases to the first non-named type (cycles and dangling slots → any).
/// Returns a new reference (not a reference into `type`), so binding it is always safe.
TypeRef Resolve(const TypeRef& type);
/// True when null is a possible value (null itself, a union with null, any).
bool IsNullable(const TypeRef& type);
/// The type without null: `T?` → T, `null` → never. Other types unchanged.
TypeRef StripNull(const TypeRef& type);
/// True for int and number (and unions of them).
bool IsNumeric(const TypeRef& type);
/// Structural equality (named aliases compare by their slot).
bool Equal(const TypeRef& a, const TypeRef& b);

}  // namespace orch::types
