// `orchestrator tools call SERVER/TOOL --arg k=v… | --args-json JSON|- [--json]`: calls one
// tool and prints its text (or the whole result). The arguments are checked against the
// tool's inputSchema first (call_arguments.h). Exit 0, 1 when the tool reported an error
// (`isError`), 2 for arguments or a tool name that do not fit, 3 when the server or
// transport failed, 130 on Ctrl-C.
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <fmt/format.h>

#include <atomic>
#include <iostream>
#include <iterator>
#include <thread>

#include "cli/commands/tools/call_arguments.h"
#include "cli/commands/tools/tool_target.h"
#include "cli/commands/tools/tools.h"
#include "cli/server_setup.h"
#include "runtime/mcp/tool_ref.h"
#include "runtime/mcp/tool_result.h"
#include "runtime/value/json.h"

namespace orch::cli::tools {
namespace {

struct CallOptions {
  ServerOptions servers;
  std::string tool;
  std::vector<std::string> args;
  std::string args_json;
  bool json = false;
  bool no_validate = false;
};

std::atomic<bool> interrupted{false};
extern "C" void OnInterrupt(int) { interrupted = true; }

/// The --args-json object (from the option or stdin), or null when not given.
ErrorOr<Value> ReadArgsJson(const CallOptions& options) {
  if (options.args_json.empty()) return Value();
  std::string text = options.args_json;
  if (text == "-") text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  auto parsed = ParseJson(text);
  if (!parsed) return MakeError("usage", "--args-json: " + parsed.error().message);
  if (!parsed->is_record()) {
    return MakeError("usage", fmt::format("--args-json: expected a JSON object of argument name to value, found {}",
                                          parsed->kind_name()));
  }
  return parsed;
}

int RunCall(const CommandContext& context, const CLI::App& root, const CallOptions& options) {
  auto base = ReadArgsJson(options);
  if (!base) {
    PrintError(base.error().message);
    return kExitUsage;
  }
  std::vector<RawArgument> raw;
  for (const std::string& written : options.args) {
    auto arg = SplitArgument(written);
    if (!arg) {
      PrintError(arg.error().message);
      return kExitUsage;
    }
    raw.push_back(std::move(*arg));
  }
  int exit_code = kExitOk;
  auto target = OpenToolTarget(context, root, options.servers, options.tool, &exit_code);
  if (!target) return exit_code;
  const mcp::ToolRef& ref = target->ref;
  auto tool = LookUpTool(*target, &exit_code);
  if (!tool) return exit_code;
  Value arguments = BuildArguments(*base, raw, tool->input_schema);
  if (!options.no_validate) {
    std::string call = fmt::format("orchestrator tools call {}/{}", ref.server, ref.tool);
    if (auto problem = CheckArguments(arguments, tool->input_schema, call)) {
      PrintError(fmt::format("{}/{}: {}\n  = help: `orchestrator tools show {}/{}` describes the parameters; "
                             "--no-validate sends the arguments as they are",
                             ref.server, ref.tool, *problem, ref.server, ref.tool));
      return kExitUsage;
    }
  }

  mcp::CallOptions call;
  if (isatty(STDERR_FILENO)) {
    call.on_progress = [](const mcp::Progress& p) {
      std::string total = p.total ? fmt::format("/{}", *p.total) : "";
      std::cerr << fmt::format("progress: {}{}{}{}\n", p.progress, total, p.message.empty() ? "" : "  ", p.message);
    };
  }
  // Ctrl-C cancels the call (the server is told with notifications/cancelled).
  interrupted = false;
  struct sigaction action {};
  action.sa_handler = OnInterrupt;
  struct sigaction previous {};
  sigaction(SIGINT, &action, &previous);
  std::atomic<bool> done{false};
  mcp::CancelToken cancel = call.cancel;
  std::thread watcher([&] {
    while (!done) {
      if (interrupted) {
        cancel.Cancel();
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  auto result = target->server->CallTool(ref.tool, arguments, call);
  done = true;
  watcher.join();
  sigaction(SIGINT, &previous, nullptr);

  if (!result) {
    if (interrupted) {
      std::cerr << "interrupted\n";
      return kExitInterrupted;
    }
    PrintError(result.error().message);
    return kExitServer;
  }
  bool is_error = mcp::ToolResultIsError(*result);
  if (options.json) {
    std::cout << ToJson(*result, JsonWriteOptions{.indent = 2}) << "\n";
  } else if (is_error) {
    PrintError(fmt::format("tool `{}/{}` reported an error: {}", ref.server, ref.tool, mcp::ToolResultText(*result)));
  } else {
    std::string text = mcp::ToolResultText(*result);
    std::cout << text;
    if (!text.empty() && text.back() != '\n') std::cout << "\n";
  }
  return is_error ? kExitWorkflowFailed : kExitOk;
}

}  // namespace

void RegisterCall(CLI::App& tools, const CLI::App& root, CommandContext& context) {
  auto options = std::make_shared<CallOptions>();
  auto* cmd = tools.add_subcommand("call", "Call one tool and print its result (exit 1 when the tool reports an error)");
  cmd->add_option("TOOL", options->tool, "The tool, as SERVER/TOOL (or SERVER.TOOL when unambiguous)")->required();
  cmd->add_option("--arg", options->args, "An argument NAME=VALUE; VALUE is as written for a string parameter, else JSON when it parses (repeatable)");
  cmd->add_option("--args-json", options->args_json, "All arguments as one JSON object, or - to read it from standard input");
  cmd->add_flag("--json", options->json, "Print the whole CallToolResult as JSON");
  cmd->add_flag("--no-validate", options->no_validate,
                "Send the arguments even when they do not match the tool's inputSchema (to test a server's own checks)");
  AddServerOptions(*cmd, options->servers);
  cmd->callback([&context, &root, options] { context.exit_code = RunCall(context, root, *options); });
}

}  // namespace orch::cli::tools
