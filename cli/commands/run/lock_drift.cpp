// FindLockDrift: lock entry vs SnapshotServer for each server the program uses;
// LockedReadOnly: the lock's readOnlyHint annotations for `run --dry-run`.
#include "cli/commands/run/lock_drift.h"

#include <fmt/format.h>

#include <set>

#include "compiler/check/lock_catalog.h"
#include "compiler/lock/lock_file.h"
#include "runtime/mcp/server_snapshot.h"
#include "stdlib/std_server/std_server.h"

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

ir::ReadOnlyLookup LockedReadOnly(const std::string& source_path) {
  // The built-in `std` is never locked: its tools are asked directly (in process).
  lock::LockedServer std_tools;
  if (auto listed = stdlib::MakeStdServer({})->ListTools()) std_tools.tools = std::move(*listed);
  lock::LockFile lock;
  if (std::optional<std::string> path = compiler::check::FindLockFile(source_path)) {
    if (auto read = lock::ReadLockFile(*path)) lock = std::move(*read);
  }
  return [lock = std::move(lock), std_tools = std::move(std_tools)](const std::string& server,
                                                                    const std::string& tool) -> std::optional<bool> {
    const lock::LockedServer* locked = server == "std" ? &std_tools : lock.FindServer(server);
    const lock::ToolInfo* info = locked ? locked->FindTool(tool) : nullptr;
    if (info == nullptr) return std::nullopt;
    const Value hint = info->annotations.Get("readOnlyHint");
    return hint.is_bool() && hint.as_bool();
  };
}

}  // namespace orch::cli
