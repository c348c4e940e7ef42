// `run` against `orchestrator.lock`: the program was type-checked against the lock's
// schemas, so before calling anything `run` asks each server the program uses for its
// tools now and reports what changed since the lock was written. A warning by default;
// with `--locked`, an error and nothing runs.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "compiler/ir/dump.h"
#include "compiler/ir/ir.h"
#include "runtime/mcp/server_pool.h"

namespace orch::cli {

struct LockDrift {
  /// The lock file compared against; empty when none was found.
  std::string lock_path;
  /// One line per difference ("tool `memory/x` changed", "server `y` is not in the lock").
  std::vector<std::string> lines;
};

/// Compares the servers `module` uses (by configured name; `server x = stdio(…)`
/// declarations included when the lock has them) with the lock found for `source_path`.
/// Servers in `skip` (stand-ins from `--mock`) are not compared. A server that cannot be
/// reached is an error (the run would fail on it anyway).
ErrorOr<LockDrift> FindLockDrift(const std::string& source_path, const ir::Module& module, mcp::ServerPool& pool,
                                 const std::set<std::string, std::less<>>& skip = {});

/// For `run --dry-run`: whether a tool is annotated read-only, per the lock found for
/// `source_path` (unknown without a lock, or for a tool the lock does not have), or per the
/// built-in `std` server itself.
ir::ReadOnlyLookup LockedReadOnly(const std::string& source_path);

}  // namespace orch::cli
