// WorkflowRun: everything one `orchestrator run` needs around the interpreter: the
// server pool (with the built-in `std` server and the program's own
// `server` declarations), the result cache (memory, plus SQLite under `.orchestrator/`
// when the program uses `cache:`), and the interpreter itself. Shared by `run` and, later,
// `serve` and `profile`; it prints nothing.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/interp/interpreter.h"
#include "runtime/interp/observer.h"
#include "runtime/mcp/server_pool.h"

namespace orch::stdlib {

struct RunOptions {
  /// `--sequential`: no concurrency at all.
  bool sequential = false;
  /// Variables `std.env` may read (`--allow-env`).
  std::set<std::string, std::less<>> allowed_env;
  /// Keep cached results in `.orchestrator/cache.db` across runs.
  bool disk_cache = true;
  /// `--jit`: compiled blocks to run instead of interpreting them (must outlive the run).
  const interp::NativeCode* native = nullptr;
};

class WorkflowRun {
 public:
  /// Takes over `pool` (built from the configuration by the caller), registers the `std`
  /// server and the program's `server` declarations in it, and resolves built-ins. Errors
  /// have kind "config" (a bad `server` declaration) or "load" (an IR the interpreter
  /// cannot run).
  static ErrorOr<std::unique_ptr<WorkflowRun>> Prepare(const ir::Module& module, std::unique_ptr<mcp::ServerPool> pool,
                                                       RunOptions options, interp::Observer* observer);
  ~WorkflowRun();

  /// Runs the function `entry` with `args` (one per parameter; nullopt = not given).
  interp::RunResult Run(uint32_t entry, std::vector<std::optional<Value>> args);

  /// Cancels the run from any thread (Ctrl-C).
  void Cancel();

  /// Runs `entry` on an interpreter of its own that shares this run's servers and cache,
  /// reporting to `observer` and stopping when `cancel` is cancelled. Several may run at
  /// once (`serve` runs one per tools/call); Run and Cancel above are unaffected.
  interp::RunResult RunIsolated(uint32_t entry, std::vector<std::optional<Value>> args, interp::Observer* observer,
                                const mcp::CancelToken& cancel);

  struct State;

 private:
  explicit WorkflowRun(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace orch::stdlib
