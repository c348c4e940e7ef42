// `orchestrator tools list [--server S] [--json]`: every server and its tools.
#include <fmt/format.h>

#include <iostream>

#include "cli/commands/tools/schema_text.h"
#include "cli/commands/tools/tools.h"
#include "cli/server_setup.h"
#include "runtime/value/json.h"

namespace orch::cli::tools {
namespace {

struct ListOptions {
  ServerOptions servers;
  std::vector<std::string> only;
  bool json = false;
};

int RunList(const CommandContext& context, const CLI::App& root, const ListOptions& options) {
  auto pool = MakeServerPool(context, root, options.servers);
  if (!pool) {
    PrintError(pool.error().message);
    return ExitCodeFor(pool.error());
  }
  std::vector<std::string> names = (*pool)->Names();
  std::string adhoc = AdHocServerName(options.servers);
  if (!adhoc.empty()) names = {adhoc};
  if (!options.only.empty()) {
    for (const auto& name : options.only) {
      if (!(*pool)->Has(name)) {
        auto missing = (*pool)->Get(name);  // builds the "no server named" message
        PrintError(missing ? "unknown server" : missing.error().message);
        return kExitUsage;
      }
    }
    names = options.only;
  }
  int exit_code = kExitOk;
  List json;
  bool first = true;
  for (const auto& name : names) {
    auto server = (*pool)->Get(name);
    ErrorOr<std::vector<mcp::ToolInfo>> tools = server ? (*server)->ListTools() : ErrorOr<std::vector<mcp::ToolInfo>>(server.error());
    if (!tools) {
      PrintError(tools.error().message);
      exit_code = kExitServer;
      continue;
    }
    if (options.json) {
      for (const auto& tool : *tools) {
        Record entry;
        entry.Set("server", name);
        entry.Set("name", tool.name);
        if (!tool.title.empty()) entry.Set("title", tool.title);
        entry.Set("description", tool.description);
        entry.Set("inputSchema", tool.input_schema);
        entry.Set("outputSchema", tool.output_schema);
        entry.Set("annotations", tool.annotations);
        json.push_back(Value(std::move(entry)));
      }
      continue;
    }
    auto identity = (*server)->Identity();
    std::string about = identity ? fmt::format("{}{}{}", identity->name, identity->version.empty() ? "" : " ",
                                               identity->version)
                                 : "";
    if (!first) std::cout << "\n";
    first = false;
    std::cout << fmt::format("{}  ({}{}{} tool{})\n", name, about, about.empty() ? "" : ", ", tools->size(),
                             tools->size() == 1 ? "" : "s");
    size_t width = 0;
    for (const auto& tool : *tools) width = std::max(width, tool.name.size());
    width = std::min<size_t>(width, 32);
    for (const auto& tool : *tools) {
      std::string description = OneLine(tool.description.empty() ? tool.title : tool.description, 90);
      std::cout << fmt::format("  {:<{}}  {}\n", tool.name, width, description);
    }
  }
  if (options.json) std::cout << ToJson(Value(std::move(json)), JsonWriteOptions{.indent = 2}) << "\n";
  return exit_code;
}

}  // namespace

void RegisterList(CLI::App& tools, const CLI::App& root, CommandContext& context) {
  auto options = std::make_shared<ListOptions>();
  auto* cmd = tools.add_subcommand("list", "List every configured server and its tools");
  cmd->add_option("--server", options->only, "Only this server (repeatable)");
  cmd->add_flag("--json", options->json,
                "Print a JSON list of {server, name, description, inputSchema, outputSchema, annotations}");
  AddServerOptions(*cmd, options->servers);
  cmd->callback([&context, &root, options] { context.exit_code = RunList(context, root, *options); });
}

}  // namespace orch::cli::tools
