// `orchestrator tools lock [--output FILE] [--check]`: writes every server's identity,
// protocol version and tool schemas to orchestrator.lock, in a stable order; `--check`
// only compares (exit 1 on drift), for CI.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands/tools/tools.h"
#include "cli/server_setup.h"
#include "cli/write_file.h"
#include "compiler/lock/lock_file.h"
#include "runtime/mcp/server_snapshot.h"
#include "runtime/value/json.h"

namespace orch::cli::tools {
namespace {

struct LockOptions {
  ServerOptions servers;
  std::string output = lock::kLockFileName;
  std::vector<std::string> only;
  bool check = false;
};

/// One line per server whose entry differs between two lock files.
std::vector<std::string> Drift(const lock::LockFile& old_lock, const lock::LockFile& new_lock) {
  std::vector<std::string> lines;
  for (const auto& [name, server] : new_lock.servers) {
    const lock::LockedServer* before = old_lock.FindServer(name);
    if (before == nullptr) {
      lines.push_back(fmt::format("server `{}` is not in the lock file", name));
      continue;
    }
    for (auto& line : lock::ServerDrift(name, *before, server)) lines.push_back(std::move(line));
  }
  for (const auto& [name, server] : old_lock.servers) {
    if (!new_lock.FindServer(name)) lines.push_back(fmt::format("server `{}` is no longer configured", name));
  }
  return lines;
}

int RunLock(const CommandContext& context, const CLI::App& root, const LockOptions& options) {
  auto pool = MakeServerPool(context, root, options.servers);
  if (!pool) {
    PrintError(pool.error().message);
    return ExitCodeFor(pool.error());
  }
  std::vector<std::string> names = options.only.empty() ? (*pool)->Names() : options.only;
  std::string adhoc = AdHocServerName(options.servers);
  if (!adhoc.empty()) names = {adhoc};
  lock::LockFile lock;
  // A partial refresh (--server, or one ad-hoc server) keeps the other servers' entries.
  if ((!options.only.empty() || !adhoc.empty()) && std::filesystem::exists(options.output)) {
    auto existing = lock::ReadLockFile(options.output);
    if (!existing) {
      PrintError(fmt::format("cannot update `{}`: {}\n  = help: fix the file, or run `orchestrator tools lock` "
                             "without --server/--stdio/--url to rewrite it from every configured server",
                             options.output, existing.error().message));
      return kExitUsage;
    }
    lock = std::move(*existing);
  }
  int failures = 0;
  size_t tool_count = 0;
  for (const auto& name : names) {
    auto server = (*pool)->Get(name);
    if (!server) {
      PrintError(server.error().message);
      return ExitCodeFor(server.error());
    }
    auto snapshot = mcp::SnapshotServer(**server);
    if (!snapshot) {
      PrintError(snapshot.error().message);
      ++failures;
      continue;
    }
    lock::LockedServer entry = std::move(*snapshot);
    const config::ServerConfig* configured = (*pool)->config().FindServer(name);
    entry.transport = (*pool)->IsBuiltin(name) || configured == nullptr        ? "built-in"
                      : configured->described_as_written.empty() ? configured->Describe()
                                                                : configured->described_as_written;
    lock.servers[name] = std::move(entry);
  }
  if (failures > 0) {
    PrintError(fmt::format("`{}` was not written: {} server{} failed", options.output, failures, failures == 1 ? "" : "s"));
    return kExitServer;
  }
  for (const auto& [name, server] : lock.servers) tool_count += server.tools.size();
  std::string text = lock::WriteLockFile(lock);
  if (options.check) {
    std::ifstream in(options.output, std::ios::binary);
    std::ostringstream current;
    if (in) current << in.rdbuf();
    if (current.str() == text) {
      std::cout << fmt::format("{} is up to date\n", options.output);
      return kExitOk;
    }
    auto old_lock = lock::ParseLockFile(current.str(), options.output);
    std::cerr << fmt::format("error: `{}` is out of date\n", options.output);
    if (!in) std::cerr << "  = note: the file does not exist\n";
    else if (old_lock) {
      for (const auto& line : Drift(*old_lock, lock)) std::cerr << "  = note: " << line << "\n";
    }
    std::cerr << "  = help: run `orchestrator tools lock` and commit the result\n";
    return kExitWorkflowFailed;
  }
  if (auto written = WriteFileAtomically(options.output, text); !written) {
    PrintError(written.error().message);
    return kExitServer;
  }
  std::cout << fmt::format("wrote {}: {} server{}, {} tool{}\n", options.output, lock.servers.size(),
                           lock.servers.size() == 1 ? "" : "s", tool_count, tool_count == 1 ? "" : "s");
  return kExitOk;
}

}  // namespace

void RegisterLock(CLI::App& tools, const CLI::App& root, CommandContext& context) {
  auto options = std::make_shared<LockOptions>();
  auto* cmd = tools.add_subcommand("lock", "Write orchestrator.lock: every server's identity, protocol version and tool schemas");
  cmd->add_option("--output,-o", options->output, "Lock file to write")->capture_default_str();
  cmd->add_option("--server", options->only, "Only refresh this server's entry (repeatable)");
  cmd->add_flag("--check", options->check, "Do not write; exit 1 when the lock file is out of date");
  AddServerOptions(*cmd, options->servers);
  cmd->callback([&context, &root, options] { context.exit_code = RunLock(context, root, *options); });
}

}  // namespace orch::cli::tools
