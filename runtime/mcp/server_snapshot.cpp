// SnapshotServer: Identity + ListTools into a lock::LockedServer.
#include "runtime/mcp/server_snapshot.h"

namespace orch::mcp {

ErrorOr<lock::LockedServer> SnapshotServer(ToolServer& server) {
  auto identity = server.Identity();
  if (!identity) return identity.error();
  auto tools = server.ListTools();
  if (!tools) return tools.error();
  lock::LockedServer entry;
  entry.identity = {identity->name, identity->version, identity->title};
  entry.protocol_version = identity->protocol_version;
  entry.tools = std::move(*tools);
  return entry;
}

}  // namespace orch::mcp
