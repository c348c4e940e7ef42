// FindLockDrift: lock entry vs SnapshotServer for each server the program uses.
#include "cli/commands/run/lock_drift.h"

#include <fmt/format.h>

#include <set>

#include "compiler/check/lock_catalog.h"
#include "compiler/lock/lock_file.h"
#include "runtime/mcp/server_snapshot.h"

namespace orch::cli {

ErrorOr<LockDrift> FindLockDrift(const std::string& source_path, const ir::Module& module, mcp::ServerPool& pool,
                                 const std::set<std::string, std::less<>>& skip) {
  LockDrift drift;
  std::optional<std::string> path = compiler::check::FindLockFile(source_path);
  if (!path) return drift;
  drift.lock_path = *path;
  auto lock = lock::ReadLockFile(*path);
  if (!lock) return lock.error();
  std::set<std::string> seen;
  for (const ir::Server& server : module.servers) {
    const std::string& name = server.ConfiguredName();
    if (skip.count(name) || !seen.insert(name).second) continue;
    const lock::LockedServer* locked = lock->FindServer(name);
    if (locked == nullptr) {
      drift.lines.push_back(fmt::format("server `{}` is not in the lock", name));
      continue;
    }
    auto live = pool.Get(name);
    if (!live) return live.error();
    auto snapshot = mcp::SnapshotServer(**live);
    if (!snapshot) return snapshot.error();
    for (auto& line : lock::ServerDrift(name, *locked, *snapshot)) drift.lines.push_back(std::move(line));
  }
  return drift;
}

}  // namespace orch::cli
