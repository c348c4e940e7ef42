// Shared plumbing of the `route` subcommands.
#include "cli/commands/route/route_common.h"

#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "runtime/store/project_store.h"

namespace orch::cli::route {
namespace fs = std::filesystem;

void AddRouteOptions(CLI::App* cmd, RouteOptions& options) {
  cmd->add_option("--tools", options.tools_file,
                  "Tool catalog: a JSON list of {server, name, description, inputSchema} (default: orchestrator.lock)");
  cmd->add_option("--patterns", options.pattern_files, "Extra YAML pattern file(s)");
  cmd->add_option("--strategy", options.strategy, "Ranking strategy: full, lexical, bm25f or bm25")
      ->capture_default_str();
  cmd->add_flag("--no-feedback", options.no_feedback, "Ignore corrections stored by `route feedback`");
  cmd->add_option("--weights", options.weights_file,
                  "JSON record of ranking weights to use instead of the tuned or default ones");
  cmd->add_flag("--no-state", options.no_state, "Use no .orchestrator/ state: no index cache, no feedback, no tuned weights");
}

int ExitCodeFor(const Error& error) {
  if (error.kind == "usage" || error.kind == "catalog" || error.kind == "eval" || error.kind == "patterns" ||
      error.kind == "io" || error.kind == "lock") {
    return kExitUsage;
  }
  return kExitWorkflowFailed;
}

int ReportError(const Error& error, const GlobalOptions& global, std::string_view help) {
  std::cerr << "error: " << error.message << "\n";
  if (!help.empty()) std::cerr << "  = help: " << help << "\n";
  return ExitCodeFor(error);
}

ErrorOr<orch::route::Catalog> LoadRouteCatalog(const RouteOptions& options, const GlobalOptions& global) {
  if (!options.tools_file.empty()) return orch::route::LoadCatalogFile(options.tools_file);
  return MakeError("usage",
                   "no tools to route to: pass `--tools CATALOG.json` (a JSON list of {server, name, description, "
                   "inputSchema})");
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
