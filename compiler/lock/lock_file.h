// The lock file (`orchestrator.lock`): a snapshot of every server's identity, protocol
// version and tool schemas, written by `orchestrator tools lock` and read by `check` and
// `test` so they work offline and reproducibly. It lives in the compiler because the
// checker needs it without the runtime; it depends only on orch_value.
//
// The file is JSON with 2-space indentation; servers and tools are written sorted by
// name and schema keys sorted, so regenerating it after a small change gives a small diff.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "runtime/value/error_or.h"
#include "runtime/value/value.h"

namespace orch::lock {

/// Format version written into the file; readers reject newer versions.
inline constexpr int kLockFormatVersion = 1;

/// Who a server says it is (its `serverInfo` from `initialize`).
struct ServerIdentity {
  std::string name;
  std::string version;
  std::string title;  ///< Optional display name; empty when the server gave none.
};

/// One tool as `tools/list` describes it. Schemas are kept as JSON values; an absent
/// output schema or annotations record is null.
struct ToolInfo {
  std::string name;
  std::string title;
  std::string description;
  Value input_schema;
  Value output_schema;
  Value annotations;
  /// Every other field of the MCP Tool object (`execution`, `icons`, `_meta`, …), kept as
  /// sent so the lock file loses nothing.
  Record extra;
};

/// One server's locked facts.
struct LockedServer {
  ServerIdentity identity;
  std::string protocol_version;
  /// How the server was reached, e.g. "stdio: npx -y @modelcontextprotocol/server-memory"
  /// or "http://127.0.0.1:3001/mcp". Informational; not compared for drift.
  std::string transport;
  /// Sorted by name (WriteLockFile sorts; ReadLockFile keeps the file's order, which is sorted
  /// when the file was written by us).
  std::vector<ToolInfo> tools;

  /// The tool called `name`, or nullptr.
  const ToolInfo* FindTool(std::string_view name) const;
};

/// The whole lock file: servers by name.
struct LockFile {
  std::map<std::string, LockedServer, std::less<>> servers;

  /// The server called `name`, or nullptr.
  const LockedServer* FindServer(std::string_view name) const;
};

/// Name of the lock file next to the configuration / in the project directory.
inline constexpr const char* kLockFileName = "orchestrator.lock";

/// What differs between a server's locked entry and `live` (its entry as the server
/// describes itself now), one readable line each: "tool `memory/x` changed", "… is new",
/// "… is gone", protocol and version changes. `name` is the server's configured name.
/// The transport is informational and not compared. Empty when nothing drifted.
std::vector<std::string> ServerDrift(std::string_view name, const LockedServer& locked, const LockedServer& live);

/// Parses lock-file text. `file_name` is used in error messages only.
/// Errors have kind "lock" and name the file and the offending key.
ErrorOr<LockFile> ParseLockFile(std::string_view text, std::string_view file_name);

/// Reads and parses the lock file at `path`. A missing file is an error of kind "io".
ErrorOr<LockFile> ReadLockFile(const std::string& path);

/// The lock file as JSON text: 2-space indent, sorted keys and tools, trailing newline.
std::string WriteLockFile(const LockFile& lock);

/// Converts between ToolInfo and the MCP `Tool` JSON object (camelCase keys:
/// `inputSchema`, `outputSchema`, `annotations`, `title`, `description`).
ToolInfo ToolInfoFromJson(const Value& tool);
Value ToolInfoToJson(const ToolInfo& tool);

}  // namespace orch::lock
