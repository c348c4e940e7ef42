// Reading a CallToolResult: its text (every content block rendered as text, the way
// `tools call` prints it and the language's `ToolResult.text` exposes it) and its error flag.
#pragma once

#include <string>

#include "runtime/value/value.h"

namespace orch::mcp {

/// The result's content as text: text blocks verbatim; other blocks as one-line
/// placeholders (`[image image/png, 1234 bytes]`, `[resource_link file:///x (name)]`,
/// an embedded text resource's text). Blocks are separated by a newline. When there is no
/// content but `structuredContent` exists, its JSON (2-space indent).
std::string ToolResultText(const Value& result);

/// True when the result has `isError: true`.
bool ToolResultIsError(const Value& result);

}  // namespace orch::mcp
