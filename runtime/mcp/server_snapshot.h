// A server as it describes itself now, in the lock file's terms: what `tools lock` writes
// and what `run` compares with the lock to report drift.
#pragma once

#include "compiler/lock/lock_file.h"
#include "runtime/mcp/tool_server.h"

namespace orch::mcp {

/// Identity, negotiated protocol and every tool of `server` (starting it if needed). The
/// transport is left empty for the caller to fill in.
ErrorOr<lock::LockedServer> SnapshotServer(ToolServer& server);

}  // namespace orch::mcp
