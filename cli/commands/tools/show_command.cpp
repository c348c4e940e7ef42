// `orchestrator tools show SERVER/TOOL [--json]`: one tool's description, parameters,
// result type and hints.
#include <fmt/format.h>

#include <iostream>

#include "cli/commands/tools/schema_text.h"
#include "cli/commands/tools/tool_target.h"
#include "cli/commands/tools/tools.h"
#include "cli/server_setup.h"
#include "runtime/mcp/tool_ref.h"
#include "runtime/value/json.h"

namespace orch::cli::tools {
namespace {

struct ShowOptions {
  ServerOptions servers;
  std::string tool;
  bool json = false;
};

void PrintParameters(const Value& schema) {
  const Value* properties = schema.Find("properties");
  if (properties == nullptr || !properties->is_record() || properties->as_record().empty()) {
    std::cout << "\nparameters: none\n";
    return;
  }
  const Value required = schema.Get("required");
  auto is_required = [&](const std::string& name) {
    if (!required.is_list()) return false;
    for (const Value& r : required.as_list()) {
      if (r.is_string() && r.as_string() == name) return true;
    }
    return false;
  };
  struct Row {
    std::string name, type, need, description;
  };
  std::vector<Row> rows;
  size_t name_width = 4, type_width = 4;
  for (const auto& [name, sub] : properties->as_record()) {
    Row row{name, OneLine(SchemaType(sub), 40), is_required(name) ? "required" : "optional", ""};
    std::string description = sub.Get("description").is_string() ? sub.Get("description").as_string() : "";
    row.description = OneLine(description, 70);
    if (const Value* fallback = sub.Find("default")) {
      row.description += fmt::format("{}(default: {})", row.description.empty() ? "" : " ", OneLine(ToJson(*fallback), 30));
    }
    name_width = std::max(name_width, row.name.size());
    type_width = std::max(type_width, row.type.size());
    rows.push_back(std::move(row));
  }
  std::cout << "\nparameters:\n";
  for (const auto& row : rows) {
    std::cout << fmt::format("  {:<{}}  {:<{}}  {:<8}  {}", row.name, name_width, row.type, type_width, row.need,
                             row.description);
    std::cout << "\n";
  }
}

int RunShow(const CommandContext& context, const CLI::App& root, const ShowOptions& options) {
  int exit_code = kExitOk;
  auto target = OpenToolTarget(context, root, options.servers, options.tool, &exit_code);
  if (!target) return exit_code;
  const mcp::ToolRef& ref = target->ref;
  auto found = LookUpTool(*target, &exit_code);
  if (!found) return exit_code;
  const mcp::ToolInfo* tool = &*found;
  if (options.json) {
    Value json = lock::ToolInfoToJson(*tool);
    Record with_server{{"server", ref.server}};
    for (const auto& [k, v] : json.as_record()) with_server.Set(k, v);
    std::cout << ToJson(Value(std::move(with_server)), JsonWriteOptions{.indent = 2}) << "\n";
    return kExitOk;
  }
  std::cout << fmt::format("{}/{}{}\n", ref.server, tool->name, tool->title.empty() ? "" : "  (" + tool->title + ")");
  if (!tool->description.empty()) std::cout << "\n" << tool->description << "\n";
  PrintParameters(tool->input_schema);
  if (tool->output_schema.is_record()) {
    std::cout << "\nreturns: " << SchemaType(tool->output_schema) << "\n";
  } else {
    std::cout << "\nreturns: ToolResult {content, text, structured?, is_error} (no output schema)\n";
  }
  std::vector<std::string> hints;
  for (const auto& [hint, label] : std::vector<std::pair<const char*, const char*>>{
           {"readOnlyHint", "read-only"}, {"destructiveHint", "destructive"},
           {"idempotentHint", "idempotent"}, {"openWorldHint", "open-world"}}) {
    const Value* flag = tool->annotations.Find(hint);
    if (flag && flag->is_bool() && flag->as_bool()) hints.push_back(label);
  }
  if (!hints.empty()) std::cout << "hints: " << fmt::format("{}", fmt::join(hints, ", ")) << "\n";
  std::cout << fmt::format("\ncall: orchestrator tools call {}/{}", ref.server, tool->name);
  const Value* properties = tool->input_schema.Find("properties");
  if (properties && properties->is_record()) {
    for (const auto& [name, sub] : properties->as_record()) {
      const Value required = tool->input_schema.Get("required");
      bool needed = false;
      if (required.is_list()) {
        for (const Value& r : required.as_list()) needed |= r.is_string() && r.as_string() == name;
      }
      if (needed) std::cout << fmt::format(" --arg {}=…", name);
    }
  }
  std::cout << "\n";
  return kExitOk;
}

}  // namespace

void RegisterShow(CLI::App& tools, const CLI::App& root, CommandContext& context) {
  auto options = std::make_shared<ShowOptions>();
  auto* cmd = tools.add_subcommand("show", "Show one tool: description, parameter table, result type, hints");
  cmd->add_option("TOOL", options->tool, "The tool, as SERVER/TOOL (or SERVER.TOOL when unambiguous)")->required();
  cmd->add_flag("--json", options->json, "Print the tool's MCP definition as JSON");
  AddServerOptions(*cmd, options->servers);
  cmd->callback([&context, &root, options] { context.exit_code = RunShow(context, root, *options); });
}

}  // namespace orch::cli::tools
