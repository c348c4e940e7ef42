// Tool schemas for `compose` (see schemas.h).
#include "cli/commands/compose/schemas.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "cli/server_setup.h"
#include "compiler/check/std_tools.h"
#include "runtime/mcp/server_snapshot.h"
#include "runtime/store/project_store.h"

namespace orch::cli::compose {

namespace fs = std::filesystem;

ErrorOr<lock::LockFile> LoadSchemas(const SchemaOptions& options, const CommandContext& context, const CLI::App& root,
                                    const std::vector<std::string>& servers) {
  lock::LockFile schemas;
  if (!options.live) {
    std::error_code ec;
    // The lock in the working directory (where `check` looks too), else the project root's.
    fs::path path = options.lock_file.empty() ? fs::path(lock::kLockFileName) : fs::path(options.lock_file);
    if (options.lock_file.empty() && !fs::exists(path, ec)) {
      path = store::FindProjectRoot(fs::current_path(ec)) / lock::kLockFileName;
    }
    if (!options.lock_file.empty() || fs::exists(path, ec)) {
      auto read = lock::ReadLockFile(path.string());
      if (!read) return read.error();
      schemas = std::move(*read);
    }
  }
  // `std` is built in: its schemas come from the binary, never from a lock.
  if (!schemas.FindServer(compiler::check::kStdServerName)) {
    lock::LockedServer std_server;
    std_server.identity.name = compiler::check::kStdServerName;
    for (const Value& tool : compiler::check::StdTools().as_list()) std_server.tools.push_back(lock::ToolInfoFromJson(tool));
    schemas.servers[compiler::check::kStdServerName] = std::move(std_server);
  }
  // Ask the servers that the lock does not describe (all of them with --live).
  std::vector<std::string> missing;
  std::unique_ptr<mcp::ServerPool> pool;
  auto open_pool = [&]() -> ErrorOr<void> {
    if (pool) return {};
    auto made = MakeServerPool(context, root, ServerOptions{});
    if (!made) return made.error();
    pool = std::move(*made);
    return {};
  };
  if (servers.empty()) {
    if (options.live || schemas.servers.size() == 1) {
      if (auto ok = open_pool(); !ok) return ok.error();
      for (const auto& name : pool->Names()) {
        if (!schemas.FindServer(name) || options.live) missing.push_back(name);
      }
    }
  } else {
    for (const auto& name : servers) {
      if ((!schemas.FindServer(name) || options.live) && name != compiler::check::kStdServerName &&
          std::find(missing.begin(), missing.end(), name) == missing.end()) {
        missing.push_back(name);
      }
    }
  }
  if (missing.empty()) return schemas;
  if (auto ok = open_pool(); !ok) return ok.error();
  for (const auto& name : missing) {
    if (name == compiler::check::kStdServerName) continue;
    if (!pool->config().FindServer(name)) continue;  // unknown: FindTool names it with a suggestion
    auto server = pool->Get(name);
    if (!server) {
      pool->CloseAll();
      return server.error();
    }
    auto snapshot = mcp::SnapshotServer(**server);
    if (!snapshot) {
      pool->CloseAll();
      return snapshot.error();
    }
    schemas.servers[name] = std::move(*snapshot);
  }
  pool->CloseAll();
  return schemas;
}

}  // namespace orch::cli::compose
