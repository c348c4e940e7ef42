// Helpers for interpreter unit tests: build IR by hand, fake tool servers with counters
// and barriers, and an observer that records events.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>

#include "compiler/ir/ir.h"
#include "runtime/interp/interpreter.h"
#include "runtime/mcp/tool_server.h"

namespace orch::testing {

using ir::Op;
using ir::Reg;

/// Appends instructions to one block of a function.
class IrWriter {
 public:
  IrWriter(ir::Module& module, ir::Function& fn, ir::Block& block) : module_(module), fn_(fn), block_(block) {}

  Reg NewReg() {
    fn_.regs.push_back({});
    return static_cast<Reg>(fn_.regs.size() - 1);
  }
  Reg Const(Value v) {
    module_.constants.push_back(std::move(v));
    Reg r = NewReg();
    Add(Op::kConst, r, {}).imm = static_cast<uint32_t>(module_.constants.size() - 1);
    return r;
  }
  ir::Instr& Add(Op op, Reg dst, std::vector<Reg> args, uint32_t span_begin = 0) {
    ir::Instr instr;
    instr.op = op;
    instr.dst = dst;
    instr.args = std::move(args);
    instr.span = compiler::Span{0, span_begin, span_begin + 1};
    block_.instrs.push_back(std::move(instr));
    return block_.instrs.back();
  }
  Reg Emit(Op op, std::vector<Reg> args) {
    Reg r = NewReg();
    Add(op, r, std::move(args));
    return r;
  }
  Reg Tool(uint32_t server, std::string tool, std::vector<std::pair<std::string, Reg>> args,
           ir::CallPolicy policy = {}) {
    Reg r = NewReg();
    ir::Instr& instr = Add(Op::kCallTool, r, {});
    instr.call = std::make_unique<ir::ToolCall>();
    instr.call->server = server;
    instr.call->tool = std::move(tool);
    instr.call->policy = policy;
    for (auto& [name, reg] : args) {
      instr.call->arg_names.push_back(name);
      instr.args.push_back(reg);
    }
    return r;
  }
  ir::Block& block() { return block_; }

 private:
  ir::Module& module_;
  ir::Function& fn_;
  ir::Block& block_;
};

/// A scripted server: each tool is a C++ function; counts calls; thread-safe.
class FakeServer final : public mcp::ToolServer {
 public:
  using Handler = std::function<ErrorOr<Value>(const Value& args, const mcp::CallOptions& options)>;
  explicit FakeServer(std::string name) : name_(std::move(name)) {}

  void AddTool(std::string tool, Handler handler, bool read_only = true) {
    mcp::ToolInfo info;
    info.name = tool;
    info.input_schema = Value(Record{{"type", Value("object")}});
    info.annotations = Value(Record{{"readOnlyHint", Value(read_only)}});
    tools_.push_back(info);
    handlers_[tool] = std::move(handler);
  }
  /// Declares an outputSchema for a tool added before.
  void SetOutputSchema(const std::string& tool, Value schema) {
    for (auto& info : tools_) {
      if (info.name == tool) info.output_schema = std::move(schema);
    }
  }
  int calls(const std::string& tool) {
    std::lock_guard lock(mutex_);
    return counts_[tool];
  }

  const std::string& name() const override { return name_; }
  ErrorOr<mcp::ServerIdentity> Identity() override {
    mcp::ServerIdentity id;
    id.name = name_;
    id.version = "1";
    return id;
  }
  ErrorOr<std::vector<mcp::ToolInfo>> ListTools() override { return tools_; }
  ErrorOr<Value> CallTool(const std::string& tool, const Value& args, const mcp::CallOptions& options) override {
    {
      std::lock_guard lock(mutex_);
      ++counts_[tool];
    }
    return handlers_.at(tool)(args, options);
  }

 private:
  std::string name_;
  std::vector<mcp::ToolInfo> tools_;
  std::map<std::string, Handler> handlers_;
  std::mutex mutex_;
  std::map<std::string, int> counts_;
};

/// Releases its waiters once `n` have arrived; a waiter gives up after 5 s (so a test of
/// concurrency fails instead of hanging when the calls run one after another).
class Barrier {
 public:
  explicit Barrier(int n) : n_(n) {}
  bool ArriveAndWait() {
    std::unique_lock lock(mutex_);
    if (++arrived_ >= n_) cv_.notify_all();
    return cv_.wait_for(lock, std::chrono::seconds(5), [&] { return arrived_ >= n_; });
  }

 private:
  int n_;
  int arrived_ = 0;
  std::mutex mutex_;
  std::condition_variable cv_;
};

/// A CallToolResult with one text item.
inline Value TextResult(std::string text, bool is_error = false) {
  Record r{{"content", Value(List{Value(Record{{"type", Value("text")}, {"text", Value(std::move(text))}})})}};
  if (is_error) r.Set("isError", Value(true));
  return Value(std::move(r));
}

}  // namespace orch::testing
