// Assignability ("can a value of type A be used where B is expected?") with a precise
// explanation of the first place it fails: which field, which element, what was expected
// and what was found. The relation is structural and gradual:
//   - `any` goes both ways; `never` goes anywhere;
//   - `int` widens to `number`; a string literal is a `string`;
//   - lists are covariant (values are immutable);
//   - a record may have more fields than asked for (width subtyping), except when the target
//     is closed (schema `additionalProperties: false`); a required field must be present and
//     not optional; a record fits a map when all its fields fit the map's value type;
//   - a union fits when every member fits; a value fits a union when it fits one member;
//   - functions: parameters contravariant, result covariant.
// Recursive aliases are compared coinductively (a pair under comparison is assumed to fit).
#pragma once

#include <optional>
#include <string>

#include "compiler/types/type.h"

namespace orch::types {

/// Why a type does not fit another.
struct Mismatch {
  /// Where inside the value: "" (the value itself), "results[].title", "`a-b`".
  std::string path;
  /// The expected and found types at `path`, printed short.
  std::string expected;
  std::string found;
  /// Set for structural reasons: "missing required field `name`",
  /// "field `extra` is not in the closed record". Empty for plain kind mismatches.
  std::string reason;

  /// One readable sentence fragment: "at `results[].title`: expected `string`, found `int`".
  std::string Describe() const;
};

/// Nothing when `from` fits `to`; otherwise the first reason it does not.
std::optional<Mismatch> CheckAssignable(const TypeRef& from, const TypeRef& to);
inline bool IsAssignable(const TypeRef& from, const TypeRef& to) {
  return !CheckAssignable(from, to).has_value();
}

/// The least type both fit (for list literals and conditional branches): one of them when
/// the other fits it, otherwise their union.
TypeRef Join(const TypeRef& a, const TypeRef& b);

}  // namespace orch::types
