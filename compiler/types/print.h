// Printing types the way users write them: `[string]`, `{a: int, b?: string}`, `string?`,
// `"asc" | "desc"`, `{[string]: number}`, `(int) -> bool`. Diagnostics use the depth-limited
// form so a big schema type reads as `{results: [..]}` rather than a page of text.
#pragma once

#include <string>

#include "compiler/types/type.h"

namespace orch::types {

struct PrintOptions {
  /// Nesting levels printed in full; deeper lists print `[..]`, records `{..}`. 0 = no limit.
  int max_depth = 0;
  /// Expand a named alias at the top level instead of printing its name.
  bool expand_top_alias = false;
};

/// True when `s` can be written as a plain field name (no backticks needed).
bool IsIdentifier(const std::string& s);
/// The type as source text.
std::string Print(const TypeRef& type, const PrintOptions& options = {});
/// Short form for messages: two levels of nesting.
inline std::string PrintShort(const TypeRef& type) { return Print(type, {2, false}); }

/// A record's fields as a parameter list for notes:
/// "`path: string` (required), `head: number`".
std::string PrintFieldList(const TypeRef& record);

}  // namespace orch::types
