// `orchestrator compose`: new workflows made of existing tools.
//   compose SERVER/TOOL… --name NAME   the tools in order, arguments inferred from schemas
//   compose --from-json FILE           the wish list's JSON shape → .orch
//   compose --to-json FILE [WORKFLOW]  .orch → the JSON shape
//   compose --from-text "…"            a description → a skeleton (router-picked tools,
//                                      typed holes; an `llm:` endpoint may fill them)
// Parsing, schema loading and output only; the logic is in runtime/compose/.
#include <fmt/format.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <algorithm>
#include <memory>
#include <sstream>

#include "cli/command.h"
#include "cli/commands/compose/schemas.h"
#include "cli/server_setup.h"
#include "cli/write_file.h"
#include "runtime/compose/check_source.h"
#include "runtime/compose/emit.h"
#include "runtime/compose/from_tools.h"
#include "runtime/compose/json_workflow.h"
#include "runtime/compose/llm.h"
#include "runtime/compose/text_workflow.h"
#include "runtime/config/config.h"
#include "runtime/route/router.h"
#include "runtime/value/json.h"

namespace orch::cli {
namespace {

namespace fs = std::filesystem;
namespace lib = ::orch::compose;  // the logic; `compose::` here is cli/commands/compose/

struct ComposeOptions {
  std::vector<std::string> tools;
  std::string name;
  std::string output;
  bool force = false;
  std::string from_json;
  std::vector<std::string> to_json;
  std::string from_text;
  bool no_llm = false;
  compose::SchemaOptions schemas;
};

int ExitFor(const Error& error) {
  if (error.kind == "no_tool") return kExitWorkflowFailed;
  if (error.kind == "usage" || error.kind == "config" || error.kind == "lock" || error.kind == "io" ||
      error.kind == "internal") {
    return kExitUsage;
  }
  return ExitCodeFor(error);
}

int Report(const Error& error) {
  PrintError(error.message);
  return ExitFor(error);
}

ErrorOr<void> WriteOutput(const ComposeOptions& options, const std::string& text) {
  if (options.output.empty() || options.output == "-") {
    std::cout << text;
    std::cout.flush();
    return {};
  }
  std::error_code ec;
  if (!options.force && fs::exists(options.output, ec)) {
    return MakeError("usage", fmt::format("`{}` exists\n  = help: pass `--force` to replace it, or choose another `-o`",
                                          options.output));
  }
  return WriteFileAtomically(options.output, text);
}

// Typed holes in code lines (comments mention `hole(…)` too).
size_t CountHoles(const std::string& text) {
  size_t n = 0;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    const size_t code_end = std::min(line.find('#'), line.size());
    for (size_t pos = 0; (pos = line.find("hole(", pos)) != std::string::npos && pos < code_end; ++pos) {
      if (pos == 0 || !(std::isalnum(static_cast<unsigned char>(line[pos - 1])) || line[pos - 1] == '_')) ++n;
    }
  }
  return n;
}

// Writes the plan's text, then says what was written and what is left to do.
int Finish(const ComposeOptions& options, const lib::Plan& plan, const std::string& text) {
  if (auto ok = WriteOutput(options, text); !ok) return Report(ok.error());
  for (const auto& remark : plan.remarks) std::cerr << "note: " << remark << "\n";
  const size_t holes = CountHoles(text);
  const std::string target = options.output.empty() || options.output == "-" ? "the workflow" : "`" + options.output + "`";
  std::cerr << fmt::format("composed {}: workflow `{}`, {} step{}, {} parameter{}, {} typed hole{}\n", target, plan.name,
                           plan.steps.size(), plan.steps.size() == 1 ? "" : "s", plan.params.size(),
                           plan.params.size() == 1 ? "" : "s", holes, holes == 1 ? "" : "s");
  if (holes > 0 && !options.output.empty() && options.output != "-") {
    std::cerr << fmt::format("  = help: `orchestrator check {}` lists each hole's candidates\n", options.output);
  }
  return kExitOk;
}

std::vector<std::string> ServersOf(const std::vector<std::string>& specs) {
  std::vector<std::string> out;
  for (const auto& s : specs) out.push_back(s.substr(0, s.find('/')));
  return out;
}

int RunFromTools(const ComposeOptions& options, const CommandContext& context, const CLI::App& root) {
  // A description typed where the tools go (`compose "find a concert"`) is meant for
  // --from-text: a tool is one word, SERVER/TOOL.
  for (const std::string& tool : options.tools) {
    if (tool.find_first_of(" \t") == std::string::npos) continue;
    PrintError(fmt::format("`{}` is not a tool (tools are written SERVER/TOOL)\n"
                           "  = help: to build a workflow from a description: orchestrator compose --from-text \"{}\" --name NAME",
                           tool, tool));
    return kExitUsage;
  }
  if (options.name.empty()) {
    PrintError("`compose SERVER/TOOL…` needs `--name NAME` for the new workflow");
    return kExitUsage;
  }
  auto schemas = compose::LoadSchemas(options.schemas, context, root, ServersOf(options.tools));
  if (!schemas) return Report(schemas.error());
  auto plan = lib::ComposeFromTools(*schemas, options.tools, options.name);
  if (!plan) return Report(plan.error());
  auto text = lib::EmitPlan(*plan);
  if (!text) return Report(text.error());
  return Finish(options, *plan, *text);
}

int RunFromJson(const ComposeOptions& options, const CommandContext& context, const CLI::App& root) {
  std::string text;
  if (options.from_json == "-") {
    std::ostringstream buffer;
    buffer << std::cin.rdbuf();
    text = buffer.str();
  } else {
    std::ifstream in(options.from_json, std::ios::binary);
    if (!in) return Report(MakeError("io", fmt::format("cannot read `{}`", options.from_json)));
    std::ostringstream buffer;
    buffer << in.rdbuf();
    text = buffer.str();
  }
  auto json = ParseJson(text);
  if (!json) return Report(MakeError("usage", fmt::format("{}: not JSON: {}", options.from_json, json.error().message)));
  std::vector<std::string> specs;
  if (const Value* steps = json->Find("steps"); steps && steps->is_list()) {
    for (const Value& s : steps->as_list()) {
      const Value* tool = s.Find("tool");
      if (tool && tool->is_string()) specs.push_back(tool->as_string());
    }
  }
  auto schemas = compose::LoadSchemas(options.schemas, context, root, ServersOf(specs));
  if (!schemas) return Report(schemas.error());
  if (!options.name.empty() && json->is_record()) {
    Record r = json->as_record();
    r.Set("name", Value(options.name));
    *json = Value(std::move(r));
  }
  auto plan = lib::PlanFromJson(*json, *schemas, options.from_json);
  if (!plan) return Report(plan.error());
  auto source = lib::EmitPlan(*plan);
  if (!source) return Report(source.error());
  return Finish(options, *plan, *source);
}

int RunToJson(const ComposeOptions& options) {
  const std::string& file = options.to_json[0];
  const std::string workflow = options.to_json.size() > 1 ? options.to_json[1] : "";
  auto json = lib::WorkflowToJson(file, workflow);
  if (!json) return Report(json.error());
  if (auto ok = WriteOutput(options, ToJson(*json, {2, false}) + "\n"); !ok) return Report(ok.error());
  return kExitOk;
}

int RunFromText(const ComposeOptions& options, const CommandContext& context, const CLI::App& root) {
  auto config = config::LoadConfig(context.global.config_file);
  if (!config) return Report(config.error());
  auto schemas = compose::LoadSchemas(options.schemas, context, root, {});
  if (!schemas) return Report(schemas.error());
  std::vector<route::ToolEntry> entries;
  for (const auto& [server, locked] : schemas->servers) {
    for (const auto& tool : locked.tools) {
      entries.push_back({server, tool.name, tool.description.empty() ? tool.title : tool.description, tool.input_schema});
    }
  }
  auto catalog = route::CatalogFromTools(std::move(entries), "the tool schemas");
  if (!catalog) return Report(catalog.error());
  // No project state: the same description composes the same skeleton everywhere.
  route::RouterOptions router_options;
  router_options.state_dir = std::nullopt;
  router_options.use_feedback = false;
  router_options.use_saved_weights = false;
  std::vector<std::string> notes;
  auto router = route::Router::Open(*catalog, router_options, notes);
  if (!router) return Report(router.error());
  for (const auto& note : notes) std::cerr << "warning: " << note << "\n";
  auto plan = lib::PlanFromText(options.from_text, *schemas, **router, options.name.empty() ? "composed" : options.name);
  if (!plan) return Report(plan.error());
  auto skeleton = lib::EmitPlan(*plan);
  if (!skeleton) return Report(skeleton.error());
  std::string text = *skeleton;

  if (config->llm && !options.no_llm && CountHoles(text) > 0) {
    lib::LlmEndpoint endpoint;
    endpoint.url = config->llm->url;
    endpoint.model = config->llm->model;
    endpoint.timeout = config->llm->timeout.value_or(config->default_timeout);
    if (!config->llm->api_key_env.empty()) {
      const char* key = std::getenv(config->llm->api_key_env.c_str());
      if (key && *key) {
        endpoint.api_key = key;
      } else {
        std::cerr << fmt::format("warning: `{}` is not set; asking `{}` without an API key\n", config->llm->api_key_env,
                                 endpoint.url);
      }
    }
    const std::string display = options.output.empty() ? plan->name + ".orch" : fs::path(options.output).filename().string();
    auto checked = lib::CheckSourceText(text, *schemas, display);
    if (!checked) return Report(checked.error());
    lib::SourceChecker check = [&](const std::string& candidate) -> ErrorOr<std::vector<std::string>> {
      auto result = lib::CheckSourceText(candidate, *schemas, display);
      if (!result) return result.error();
      return result->errors;
    };
    lib::FillResult filled = lib::FillHoles(endpoint, options.from_text, text, checked->holes, check);
    for (const auto& line : filled.report) std::cerr << "note: " << line << "\n";
    text = filled.text;
  }
  return Finish(options, *plan, text);
}

int RunCompose(const ComposeOptions& options, CommandContext& context, const CLI::App& root) {
  const int modes = (!options.tools.empty()) + (!options.from_json.empty()) + (!options.to_json.empty()) +
                    (!options.from_text.empty());
  if (modes == 0) {
    PrintError("nothing to compose\n  = help: name tools (`compose SERVER/TOOL… --name NAME`), or use `--from-json`, "
               "`--to-json` or `--from-text`");
    return kExitUsage;
  }
  if (modes > 1) {
    PrintError("choose one of: tools, `--from-json`, `--to-json`, `--from-text`");
    return kExitUsage;
  }
  if (!options.tools.empty()) return RunFromTools(options, context, root);
  if (!options.from_json.empty()) return RunFromJson(options, context, root);
  if (!options.to_json.empty()) return RunToJson(options);
  return RunFromText(options, context, root);
}

}  // namespace

void RegisterComposeCommand(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<ComposeOptions>();
  auto* cmd = app.add_subcommand("compose", "Build a new workflow from tools, a JSON workflow or a description");
  cmd->add_option("TOOL", options->tools, "Tools to call in order, as SERVER/TOOL");
  cmd->add_option("--name", options->name, "Name of the new workflow");
  cmd->add_option("-o,--output", options->output, "Write to this file instead of standard output")->type_name("FILE");
  cmd->add_flag("--force", options->force, "Replace the output file if it exists");
  cmd->add_option("--from-json", options->from_json, "Convert a JSON workflow ({name, steps, output}; `-` reads standard input)")
      ->type_name("FILE");
  cmd->add_option("--to-json", options->to_json, "Export a workflow of an .orch file to the JSON shape")
      ->type_name("FILE [WORKFLOW]")
      ->expected(1, 2);
  cmd->add_option("--from-text", options->from_text, "Turn a plain-language description into a workflow skeleton")
      ->type_name("TEXT");
  cmd->add_flag("--no-llm", options->no_llm, "With --from-text, do not ask the configured `llm:` endpoint to fill holes");
  cmd->add_option("--lock", options->schemas.lock_file, "Read tool schemas from this lock file (default: orchestrator.lock)")
      ->type_name("FILE");
  cmd->add_flag("--live", options->schemas.live, "Read tool schemas from the running servers, not from the lock file");
  CLI::App* root = &app;
  cmd->callback([&context, options, root] { context.exit_code = RunCompose(*options, context, *root); });
}

}  // namespace orch::cli
