// Shared plumbing of the `route` subcommands.
#include "cli/commands/route/route_common.h"

#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "compiler/lock/lock_file.h"
#include "runtime/store/project_store.h"

namespace orch::cli::route {
namespace fs = std::filesystem;

void AddRouteOptions(CLI::App* cmd, RouteOptions& options) {
  cmd->add_option("--tools", options.tools_file,
                  "Tool catalog: a JSON list of {server, name, description, inputSchema} (default: orchestrator.lock, else the servers)");
  cmd->add_option("--patterns", options.pattern_files, "Extra YAML pattern file(s)");
  cmd->add_option("--strategy", options.strategy, "Ranking strategy: full, lexical, bm25f or bm25")
      ->capture_default_str();
  cmd->add_flag("--no-feedback", options.no_feedback, "Ignore corrections stored by `route feedback`");
  cmd->add_option("--weights", options.weights_file,
                  "JSON record of ranking weights to use instead of the tuned or default ones");
  cmd->add_flag("--live", options.live, "Read the tools from the running servers, not from orchestrator.lock");
  AddServerOptions(*cmd, options.servers);
  cmd->add_flag("--no-state", options.no_state, "Use no .orchestrator/ state: no index cache, no feedback, no tuned weights");
}

int RouteExitCode(const Error& error) {
  if (error.kind == "usage" || error.kind == "catalog" || error.kind == "eval" || error.kind == "patterns" ||
      error.kind == "io" || error.kind == "lock" || error.kind == "config") {
    return kExitUsage;
  }
  if (error.kind == "server" || error.kind == "transport" || error.kind == "protocol" || error.kind == "timeout") {
    return kExitServer;
  }
  return kExitWorkflowFailed;
}

int ReportError(const Error& error, const GlobalOptions& global, std::string_view help) {
  std::cerr << "error: " << error.message << "\n";
  if (!help.empty()) std::cerr << "  = help: " << help << "\n";
  return RouteExitCode(error);
}

namespace {

ErrorOr<orch::route::Catalog> CatalogFromLock(const fs::path& path) {
  auto lock = lock::ReadLockFile(path.string());
  if (!lock) return lock.error();
  std::vector<orch::route::ToolEntry> tools;
  for (const auto& [server, entry] : lock->servers) {
    for (const auto& tool : entry.tools) {
      tools.push_back({server, tool.name, tool.description.empty() ? tool.title : tool.description, tool.input_schema});
    }
  }
  return orch::route::CatalogFromTools(std::move(tools), path.string());
}

ErrorOr<orch::route::Catalog> CatalogFromServers(const RouteOptions& options, const CommandContext& context,
                                                 const CLI::App& root) {
  auto pool = MakeServerPool(context, root, options.servers);
  if (!pool) return pool.error();
  std::vector<std::string> names = (*pool)->Names();
  std::string adhoc = AdHocServerName(options.servers);
  if (!adhoc.empty()) names = {adhoc};
  std::vector<orch::route::ToolEntry> tools;
  std::optional<Error> failure;
  for (const auto& name : names) {
    auto server = (*pool)->Get(name);
    auto listed = server ? (*server)->ListTools() : ErrorOr<std::vector<mcp::ToolInfo>>(server.error());
    if (!listed) {
      std::cerr << fmt::format("warning: server `{}` left out: {}\n", name, listed.error().message);
      failure = listed.error();
      continue;
    }
    for (const auto& tool : *listed) {
      tools.push_back({name, tool.name, tool.description.empty() ? tool.title : tool.description, tool.input_schema});
    }
  }
  (*pool)->CloseAll();
  if (tools.empty() && failure) return *failure;
  return orch::route::CatalogFromTools(std::move(tools), "the configured servers");
}

}  // namespace

ErrorOr<orch::route::Catalog> LoadRouteCatalog(const RouteOptions& options, const CommandContext& context,
                                               const CLI::App& root) {
  if (!options.tools_file.empty()) return orch::route::LoadCatalogFile(options.tools_file);
  bool adhoc = !AdHocServerName(options.servers).empty();
  if (!options.live && !adhoc) {
    std::error_code ec;
    fs::path lock_path = store::FindProjectRoot(fs::current_path(ec)) / lock::kLockFileName;
    if (fs::exists(lock_path, ec)) return CatalogFromLock(lock_path);
  }
  return CatalogFromServers(options, context, root);
}

ErrorOr<std::unique_ptr<orch::route::Router>> OpenRouter(const RouteOptions& options, const GlobalOptions& global,
                                                         const orch::route::Catalog& catalog) {
  orch::route::RouterOptions router_options;
  router_options.strategy = options.strategy;
  router_options.pattern_files = options.pattern_files;
  router_options.use_feedback = !options.no_feedback;
  router_options.weights_file = options.weights_file;
  if (!options.no_state) {
    std::error_code ec;
    auto dir = store::StoreDirectory(fs::current_path(ec));
    if (!dir) return dir.error();
    router_options.state_dir = *dir;
  }
  std::vector<std::string> notes;
  auto router = orch::route::Router::Open(catalog, router_options, notes);
  for (const auto& note : notes) std::cerr << "warning: " << note << "\n";
  return router;
}

}  // namespace orch::cli::route
