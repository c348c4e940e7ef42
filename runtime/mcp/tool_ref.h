// Tool references as written on the command line: `server/tool`, or `server.tool` when
// exactly one split of the dots names a known server, or a bare `tool` when only one
// server is in play.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runtime/value/error_or.h"

namespace orch::mcp {

struct ToolRef {
  std::string server;
  std::string tool;
};

/// Splits `text` into server and tool. `servers` are the known server names; with a
/// single one, a bare tool name refers to it. Errors (kind "usage") say what was seen and
/// how to write it.
ErrorOr<ToolRef> ParseToolRef(std::string_view text, const std::vector<std::string>& servers);

}  // namespace orch::mcp
