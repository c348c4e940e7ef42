// The interpreter: executes an ir::Module (the reference semantics of the language).
//
// Execution model. Each workflow call gets a Frame: a vector of registers, indexed as the
// IR says, so locals are never looked up by name. A Strand is one thread of execution in
// a frame with its own cancellation token and its own calls in flight. Structured
// instructions map onto the scheduler:
//   - `parallel { … }`: every branch runs on its own thread in the same frame (branches
//     write disjoint registers by construction) with a child cancellation token; the first
//     failure cancels the siblings (in-flight calls send `notifications/cancelled`).
//   - `for … parallel(limit: n)`: up to n workers, each with its own copy of the frame.
//   - Automatic concurrency: a call to a tool annotated `readOnlyHint` whose result is not
//     needed before a later call (Instr::can_overlap) starts on a helper thread and the
//     strand moves on; the first instruction that reads its register waits for it.
//     Side-effecting calls wait for every call in flight first and run in program order.
//   - `--sequential` (InterpreterOptions::sequential) turns all of this off, including
//     parallel blocks and loops, which then run their branches/iterations in order.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <variant>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/interp/callable.h"
#include "runtime/interp/mock_table.h"
#include "runtime/interp/native_code.h"
#include "runtime/interp/observer.h"
#include "runtime/interp/runtime_error.h"
#include "runtime/interp/tool_invoker.h"
#include "runtime/mcp/tool_server.h"

namespace orch::interp {

struct InterpreterOptions {
  /// Run everything in program order on one thread.
  bool sequential = false;
  /// Deepest chain of workflow calls before the run fails with E0510.
  int max_call_depth = 200;
  /// Worker threads for a `for … parallel` loop written without `limit`.
  int default_parallel_limit = 16;
  /// JIT-compiled blocks (`run --jit`), run in place of interpreting them; must outlive
  /// the interpreter. Null: interpret everything.
  const NativeCode* native = nullptr;
};

/// A workflow's result: its return value, or why it stopped.
using RunResult = std::variant<Value, RuntimeError>;

class Interpreter {
 public:
  /// `module` and `builtins` must outlive the interpreter. Tool calls go through `tools`.
  Interpreter(const ir::Module& module, const BuiltinTable& builtins, ToolInvoker& tools, Observer* observer,
              InterpreterOptions options);
  ~Interpreter();
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  /// Resolves every built-in the module names. Fails on an unknown one (a compiler bug or
  /// a stale IR file), naming it.
  ErrorOr<void> Load();

  /// Runs function `index`. `args` has one entry per parameter: a value, or nullopt for
  /// a parameter that was not given (its default then applies; without one, the run
  /// fails with E0514 naming it).
  RunResult Run(uint32_t index, std::vector<std::optional<Value>> args);

  /// Cancels the run from any thread (Ctrl-C): in-flight calls are cancelled and the run
  /// returns an error of kind "cancelled".
  void Cancel();

  /// Test mode (`orchestrator test`): `mock` statements install replies in `mocks`, and
  /// every tool call is answered from it, never by a server: a call with no mock fails
  /// with E0519 (kind "test"). Calls of mocked workflows are answered likewise, and every
  /// tool and workflow call is recorded for `calls(…)`. Set before Run; `mocks` must
  /// outlive the runs.
  void UseMocks(MockTable* mocks);

  /// Implementation state, public only so the .cpp's helpers (and the JIT's entry
  /// points, runtime/jit/abi.def) can name it.
  struct Frame;
  struct Strand;
  class Engine;

 private:
  std::unique_ptr<Engine> engine_;
};

}  // namespace orch::interp
