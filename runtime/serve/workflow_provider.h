// WorkflowProvider: the ToolProvider behind `orchestrator serve`. Each tool is one
// workflow of the served file (workflow_tools.h says which, and how they are described);
// a call checks the arguments against the tool's inputSchema (a violation is JSON-RPC
// invalid params, -32602, naming the field), runs the workflow on an interpreter of its
// own (so calls run concurrently and are cancelled one by one), and answers with the
// result as text and as structuredContent; a workflow that fails answers `isError: true`
// with the error's kind, message and source location.
//
// While a workflow runs, the client is told what happens: each finished tool call is a
// `notifications/progress` (when the client sent a progressToken; progress counts the
// finished calls), each `log` statement a `notifications/message` at level info, and each
// call's start and end a message at level debug. A client's cancellation cancels the
// run's calls in flight.
//
// The provider serves one ServedProgram at a time; Replace swaps in a newer one
// (`--watch`): calls already running finish on the version they started with, and
// subscribers hear `tools/list_changed` when the tool list differs.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "compiler/source/source.h"
#include "runtime/interp/interpreter.h"
#include "runtime/interp/observer.h"
#include "runtime/mcp/server/tool_provider.h"
#include "runtime/mcp/tool_server.h"
#include "runtime/serve/workflow_tools.h"

namespace orch::serve {

/// Runs function `entry` of the program with one argument per parameter (nullopt: not
/// given), reporting to `observer`, until done or `cancel` is cancelled.
using RunFunction =
    std::function<interp::RunResult(uint32_t entry, std::vector<std::optional<Value>> args,
                                    interp::Observer* observer, const mcp::CancelToken& cancel)>;

/// One compiled version of the served file. Immutable once built.
struct ServedProgram {
  std::vector<ServedWorkflow> tools;
  RunFunction run;
  /// "file:line:col" of a span, for error messages; may be empty.
  std::function<std::string(compiler::Span)> locate;
  /// Owns what `run`, `locate` and `tools` refer to (compilation, IR, servers); released
  /// when the last call running on this version ends.
  std::shared_ptr<void> owner;
};

class WorkflowProvider : public mcp::server::ToolProvider {
 public:
  explicit WorkflowProvider(std::shared_ptr<const ServedProgram> program);
  ~WorkflowProvider() override;

  /// Serves `program` from now on; returns true when its tool list differs from the
  /// previous one (subscribers were then notified).
  bool Replace(std::shared_ptr<const ServedProgram> program);

  std::vector<mcp::server::ToolDescriptor> ListTools() override;
  mcp::server::ToolOutcome CallTool(const std::string& name, const Value& arguments,
                                    mcp::server::ToolCallContext& context) override;
  int SubscribeToolsChanged(std::function<void()> callback) override;
  void Unsubscribe(int id) override;

 private:
  struct Version;
  std::shared_ptr<const Version> Current() const;

  mutable std::mutex mutex_;
  std::shared_ptr<const Version> current_;
  std::mutex subscribers_mutex_;
  int next_subscriber_ = 0;
  std::map<int, std::function<void()>> subscribers_;
};

/// The text rendering of a workflow's result: a string as is, anything else as JSON.
std::string RenderResult(const Value& value);

}  // namespace orch::serve
