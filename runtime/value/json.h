// JSON text <-> Value. Parsing uses simdjson; writing is ours (compact, pretty, and a
// canonical form with sorted keys used for cache keys and lock files).
#pragma once

#include <string>
#include <string_view>

#include "runtime/value/error_or.h"
#include "runtime/value/value.h"

namespace orch {

/// Parses one JSON document. Errors have kind "json" and say where parsing stopped.
ErrorOr<Value> ParseJson(std::string_view text);
/// Same, but parses `text` in place (no copy of a big document) when its capacity leaves
/// the padding the parser reads past the end (kJsonPadding bytes).
ErrorOr<Value> ParseJsonString(const std::string& text);
/// Spare capacity after a string's end that lets ParseJsonString avoid a copy.
inline constexpr size_t kJsonPadding = 64;

struct JsonWriteOptions {
  /// Indent by this many spaces per level; 0 writes everything on one line.
  int indent = 0;
  /// Sort record keys (canonical form).
  bool sort_keys = false;
};

/// Writes `value` as JSON. Non-finite numbers are written as null.
std::string ToJson(const Value& value, const JsonWriteOptions& options = {});
/// Appends the JSON form of `value` to `out`.
void AppendJson(std::string& out, const Value& value, const JsonWriteOptions& options = {});
/// Appends `s` as a quoted, escaped JSON string.
void AppendJsonString(std::string& out, std::string_view s);
/// Compact JSON with sorted keys: equal values give equal text.
inline std::string CanonicalJson(const Value& value) { return ToJson(value, {0, true}); }

}  // namespace orch
