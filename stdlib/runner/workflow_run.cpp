// WorkflowRun: configuration → server pool → cache → interpreter, torn down in reverse.
#include "stdlib/runner/workflow_run.h"

#include <fmt/format.h>

#include <filesystem>
#include <mutex>

#include "runtime/config/config.h"
#include "runtime/interp/result_cache.h"
#include "runtime/interp/tool_invoker.h"
#include "runtime/mcp/server_pool.h"
#include "runtime/store/project_store.h"
#include "stdlib/builtins/builtins.h"
#include "stdlib/std_server/std_server.h"

namespace orch::stdlib {

struct WorkflowRun::State {
  const ir::Module* module = nullptr;
  bool sequential = false;
  const interp::NativeCode* native = nullptr;
  std::unique_ptr<mcp::ServerPool> pool;
  std::unique_ptr<interp::ResultCache> cache;
  std::unique_ptr<interp::ToolInvoker> tools;
  std::unique_ptr<interp::Interpreter> interpreter;
};

namespace {

bool UsesCache(const ir::Module& module) {
  bool uses = false;
  for (const ir::Function& fn : module.functions) {
    ir::ForEachInstr(fn.body, [&](const ir::Instr& instr) {
      uses = uses || (instr.call && instr.call->policy.cache != ir::kNoReg);
    });
  }
  return uses;
}

std::string StringArg(const std::vector<Value>& args, size_t i) {
  return i < args.size() && args[i].is_string() ? args[i].as_string() : "";
}

/// A `server x = stdio("cmd", ["args"], {ENV: "v"})` or `http("url", {Header: "v"})`
/// declaration as a configuration entry.
ErrorOr<config::ServerConfig> DeclaredServer(const ir::Server& server) {
  config::ServerConfig c;
  c.name = server.config_name;
  c.origin = "a `server` declaration";
  const auto& args = server.transport_args;
  auto pairs = [](const Value& record) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [k, v] : record.as_record()) out.emplace_back(k, v.is_string() ? v.as_string() : "");
    return out;
  };
  if (server.transport == "stdio") {
    c.transport = config::TransportKind::kStdio;
    c.command = StringArg(args, 0);
    if (c.command.empty()) return MakeError("config", fmt::format("server `{}`: `stdio(…)` needs a command", c.name));
    if (args.size() > 1) {
      for (const Value& a : args[1].as_list()) c.args.push_back(a.is_string() ? a.as_string() : "");
    }
    if (args.size() > 2) c.env = pairs(args[2]);
  } else if (server.transport == "http") {
    c.transport = config::TransportKind::kHttp;
    c.url = StringArg(args, 0);
    if (c.url.empty()) return MakeError("config", fmt::format("server `{}`: `http(…)` needs a URL", c.name));
    if (args.size() > 1) c.headers = pairs(args[1]);
  } else {
    return MakeError("config", fmt::format("server `{}`: unknown transport `{}`", c.name, server.transport));
  }
  return c;
}

}  // namespace

ErrorOr<std::unique_ptr<WorkflowRun>> WorkflowRun::Prepare(const ir::Module& module,
                                                           std::unique_ptr<mcp::ServerPool> pool, RunOptions options,
                                                           interp::Observer* observer) {
  auto state = std::make_unique<State>();
  state->module = &module;
  state->sequential = options.sequential;
  state->native = options.native;
  state->pool = std::move(pool);
  StdServerOptions std_options;
  std_options.allowed_env = options.allowed_env;
  state->pool->RegisterBuiltin("std", MakeStdServer(std_options));
  for (const ir::Server& server : module.servers) {
    if (server.transport.empty()) continue;
    auto declared = DeclaredServer(server);
    if (!declared) return declared.error();
    state->pool->AddServer(std::move(*declared));
  }

  if (UsesCache(module)) {
    std::optional<std::string> note;
    if (options.disk_cache) {
      auto dir = store::StoreDirectory(std::filesystem::current_path());
      auto disk = dir ? interp::ResultCache::OpenOnDisk(*dir, &note) : ErrorOr<std::unique_ptr<interp::ResultCache>>(dir.error());
      if (disk) {
        state->cache = std::move(*disk);
      } else if (observer) {
        observer->OnWarning(fmt::format("results are cached in memory only: {}", disk.error().message), {});
      }
    }
    if (note && observer) observer->OnWarning(*note, {});
    if (!state->cache) state->cache = std::make_unique<interp::ResultCache>();
  }

  mcp::ServerPool* servers = state->pool.get();
  auto lookup = [servers](const std::string& name) { return servers->Get(name); };
  state->tools = std::make_unique<interp::ToolInvoker>(lookup, observer, state->cache.get(), std::chrono::milliseconds(0));
  interp::InterpreterOptions interp_options;
  interp_options.sequential = options.sequential;
  interp_options.native = options.native;
  state->interpreter =
      std::make_unique<interp::Interpreter>(module, Builtins(), *state->tools, observer, interp_options);
  auto loaded = state->interpreter->Load();
  if (!loaded) return loaded.error();
  return std::unique_ptr<WorkflowRun>(new WorkflowRun(std::move(state)));
}

WorkflowRun::WorkflowRun(std::unique_ptr<State> state) : state_(std::move(state)) {}

WorkflowRun::~WorkflowRun() {
  if (state_ && state_->pool) state_->pool->CloseAll();
}

interp::RunResult WorkflowRun::Run(uint32_t entry, std::vector<std::optional<Value>> args) {
  return state_->interpreter->Run(entry, std::move(args));
}

void WorkflowRun::Cancel() { state_->interpreter->Cancel(); }

interp::RunResult WorkflowRun::RunIsolated(uint32_t entry, std::vector<std::optional<Value>> args,
                                           interp::Observer* observer, const mcp::CancelToken& cancel) {
  mcp::ServerPool* servers = state_->pool.get();
  auto lookup = [servers](const std::string& name) { return servers->Get(name); };
  interp::ToolInvoker tools(lookup, observer, state_->cache.get(), std::chrono::milliseconds(0));
  interp::InterpreterOptions options;
  options.sequential = state_->sequential;
  options.native = state_->native;
  interp::Interpreter interpreter(*state_->module, Builtins(), tools, observer, options);
  if (auto loaded = interpreter.Load(); !loaded) return interp::FromError(loaded.error(), {});
  // The token's callback may still be running on another thread when Run returns, so it
  // reaches the interpreter through a slot that is emptied (under its lock) first.
  struct Slot {
    std::mutex mutex;
    interp::Interpreter* interpreter = nullptr;
  };
  auto slot = std::make_shared<Slot>();
  slot->interpreter = &interpreter;
  mcp::CancelToken token = cancel;
  int hook = token.OnCancel([slot] {
    std::lock_guard lock(slot->mutex);
    if (slot->interpreter) slot->interpreter->Cancel();
  });
  interp::RunResult result = interpreter.Run(entry, std::move(args));
  token.RemoveCallback(hook);
  std::lock_guard lock(slot->mutex);
  slot->interpreter = nullptr;
  return result;
}

}  // namespace orch::stdlib
