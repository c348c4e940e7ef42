// Language type → JSON Schema: the reverse of schema.h. `serve` describes each workflow to
// MCP clients with it (the parameter record becomes `inputSchema`, the result type
// `outputSchema`), so the schema a client validates against is exactly the type the
// checker enforced.
//
// Mapping: primitives → `type`; `any` → `{}`; `never` → `{"not": {}}`; string-literal types →
// `const` (a union of literals → `enum`); `[T]` → array with `items`; records → object with
// `properties` (in declaration order), `required` (fields not optional) and
// `additionalProperties` (false for closed records, the rest type's schema when present);
// `{[string]: T}` → object whose `additionalProperties` is T; unions → `anyOf`, except that
// unions of plain primitives (`string?`, `int | string`) become a `type` list; named aliases
// are inlined unless they are recursive, in which case they become `$defs` entries referred
// to by `$ref` (collected at the root); function types (never in a schema position the
// checker allows) → `{}`. Field descriptions are kept as `description`.
#pragma once

#include "compiler/types/type.h"
#include "runtime/value/value.h"

namespace orch::types {

/// The JSON Schema (a record) describing exactly the values of `type`.
Value ToJsonSchema(const TypeRef& type);

/// True when every value of `type` is a JSON object (a record or map type, possibly behind
/// aliases), so it can be an MCP `outputSchema` (which must have `type: object`) as is.
bool IsObjectType(const TypeRef& type);

}  // namespace orch::types
