// Short human renderings of JSON Schemas for `tools show` and `tools list`.
#pragma once

#include <string>

#include "runtime/value/value.h"

namespace orch::cli::tools {

/// A compact type for a schema: `string`, `[number]`, `"a" | "b"`, `{x: int, y?: string}`.
std::string SchemaType(const Value& schema, int depth = 0);

/// The first line of `text`, cut to `width` characters with an ellipsis.
std::string OneLine(const std::string& text, size_t width);

}  // namespace orch::cli::tools
