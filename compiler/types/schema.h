// JSON Schema → language type. Tools describe their parameters (`inputSchema`) and, when
// they have one, their structured result (`outputSchema`) in JSON Schema; this turns those
// into the types the checker works with.
//
// Supported: `type` (one name or a list), `properties`, `required`, `items` (and tuple
// `items`/`prefixItems`, typed as a list of the union), `enum`, `const`, `anyOf`/`oneOf`
// (union), `allOf` (record merge), `$ref` into the same document (`#`, `#/$defs/…`,
// `#/definitions/…`, any JSON pointer; recursion allowed), `additionalProperties` (false:
// closed record; a schema: a map, or the rest type next to `properties`), `patternProperties`,
// nullable forms (`type: [T, "null"]`, `nullable: true`, `null` in `enum`), and `default`
// (a property with a default is optional). Validation-only keywords (`minimum`, `pattern`,
// `format`, …) do not change the type. Anything else that would change the shape (`not`,
// `if`/`then`/`else`, remote `$ref`, `$dynamicRef`, malformed parts) degrades to `any` or to
// the part that is understood, with a note naming the JSON pointer. Conversion never fails.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/types/type.h"
#include "runtime/value/value.h"

namespace orch::types {

/// Something in a schema that could not be typed exactly.
struct SchemaNote {
  /// JSON pointer into the schema ("" is the root): "/properties/query/not".
  std::string pointer;
  /// Lowercase, no trailing period: "`not` is not checked statically; the type is `string`".
  std::string message;
};

/// A converted schema. Keep it alive as long as `type` is used: it owns the named
/// definitions that recursive `$ref`s point back to.
struct SchemaType {
  TypeRef type;
  std::vector<std::shared_ptr<NamedDef>> defs;
  std::vector<SchemaNote> notes;
};

/// Converts one JSON Schema document (a record, or `true`/`false`).
SchemaType FromJsonSchema(const Value& schema);

/// A tool's types from its schemas.
struct ToolType {
  /// The parameter record (from inputSchema): usually a record, `{[string]: any}` when the
  /// schema lists no properties.
  TypeRef params;
  /// The call's value: the outputSchema's type, or ToolResult when there is none.
  TypeRef result;
  /// True when `result` comes from an outputSchema (the value is `structuredContent`).
  bool structured = false;
  std::vector<std::shared_ptr<NamedDef>> defs;
  std::vector<SchemaNote> notes;
};

/// Builds a tool's types. `output_schema` may be null (no outputSchema).
ToolType ToolTypeFromSchemas(const Value& input_schema, const Value& output_schema);

}  // namespace orch::types
