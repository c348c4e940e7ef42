// The orchestrator IR: what the compiler hands to the interpreter (and, later, to the LLVM
// backend). One Module per program; one Function per workflow (agent workflows included).
//
// Design:
// - Register machine. A Function owns `num_regs` registers, addressed by index (Reg); the
//   first `params.size()` registers hold the parameters. Locals, temporaries, loop
//   variables and lambda parameters all get their own register when the IR is built, so
//   nothing is looked up by name at run time.
// - Explicit data dependencies. An instruction reads only the registers in `args` (and,
//   for instructions with nested blocks, whatever those blocks read) and writes only
//   `dst`. DependencyGraph() derives, for every tool or workflow call, the earlier calls
//   it needs: that graph drives automatic concurrency and `run --dry-run`.
// - Structured control flow. `if`, `for`, `parallel`, `try` and lambda bodies own nested
//   Blocks instead of jumping to labels; each maps onto a few LLVM basic blocks.
// - Self-contained. Names, constants and types are copied in; no pointer into the AST
//   survives, only Spans (file + byte offsets) for runtime error locations.
// - Typed where known: every register has a TypeTag (a coarse kind the checker or the
//   literal proves; kAny otherwise), enough to pick unboxed fast paths when lowering.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/source/source.h"
#include "runtime/value/value.h"

namespace orch::ir {

/// A register index within one Function's frame.
using Reg = uint32_t;
inline constexpr Reg kNoReg = UINT32_MAX;
inline constexpr uint32_t kNone = UINT32_MAX;

/// Instruction opcodes, one per row of ops.def.
enum class Op : uint8_t {
#define ORCH_IR_OP(Name, Mnemonic, Doc) k##Name,
#include "compiler/ir/ops.def"
};

/// The dump spelling of an opcode ("const", "tool", ...).
std::string_view Mnemonic(Op op);

/// Coarse static type of a register.
enum class TypeTag : uint8_t { kAny, kNull, kBool, kInt, kNumber, kString, kList, kRecord };
std::string_view TypeTagName(TypeTag tag);

struct Instr;

/// A straight-line sequence of instructions.
struct Block {
  std::vector<Instr> instrs;
};

/// Per-call policies from `with { timeout, retry, backoff, cache }`: registers holding the
/// evaluated values (durations are int milliseconds), kNoReg when not given.
struct CallPolicy {
  Reg timeout = kNoReg;
  Reg retry = kNoReg;
  Reg backoff = kNoReg;
  Reg cache = kNoReg;
};

/// The static part of a tool call.
struct ToolCall {
  /// Index into Module::servers.
  uint32_t server = 0;
  /// The tool's name on its server (unquoted).
  std::string tool;
  /// Argument names, parallel to Instr::args.
  std::vector<std::string> arg_names;
  CallPolicy policy;
};

/// A lambda passed to a built-in: its body runs in the enclosing frame with the
/// parameters bound to `params`; its value is `result` after the body ran.
struct Lambda {
  std::vector<Reg> params;
  Block body;
  Reg result = kNoReg;
};

/// One instruction.
struct Instr {
  Op op{};
  Reg dst = kNoReg;
  /// Register operands (see ops.def for each opcode's order).
  std::vector<Reg> args;
  /// The immediate: constant, builtin, or function index (kNone when unused).
  uint32_t imm = kNone;
  /// Field names (field access, record keys).
  std::vector<std::string> names;
  /// Nested blocks of structured instructions.
  std::vector<Block> blocks;
  /// Tool calls only.
  std::unique_ptr<ToolCall> call;
  /// CallBuiltin with a lambda argument only.
  std::unique_ptr<Lambda> lambda;
  /// Where the instruction came from, for runtime errors and progress lines.
  compiler::Span span;
  /// Stable number within its function (dump, dependency graph, progress).
  uint32_t id = 0;
  /// CallTool only: nothing reads or overwrites `dst` before a later call in the same
  /// block, so a read-only tool may run concurrently with what follows. Set by
  /// MarkOverlappableCalls.
  bool can_overlap = false;
};

/// A workflow parameter.
struct Param {
  std::string name;
  Reg reg = kNoReg;
  TypeTag type = TypeTag::kAny;
  /// The type as written, for messages ("string", "[int]?").
  std::string type_text;
  /// Null is accepted (`T?`, `any`, `null`).
  bool nullable = false;
  bool has_default = false;
  compiler::Span span;
};

/// What the interpreter needs to know about a register.
struct RegInfo {
  /// The source name of a binding or parameter; empty for temporaries.
  std::string name;
  TypeTag type = TypeTag::kAny;
};

/// One workflow, or one `test` block (is_test).
struct Function {
  /// The workflow's name; for a test, the test's name as written.
  std::string name;
  /// A `test "name" { … }` block: no parameters; `mock` and `calls` may appear; never
  /// found by FindFunction.
  bool is_test = false;
  /// For an agent's workflow, "agent.workflow" is `name` and this indexes Module::agents.
  uint32_t agent = kNone;
  std::vector<Param> params;
  std::vector<RegInfo> regs;
  Block body;
  /// The `##` doc comment, if any.
  std::string doc;
  std::string return_type_text;
  compiler::Span span;
  uint32_t num_regs() const { return static_cast<uint32_t>(regs.size()); }
};

/// A server the program uses (`use`), by the name the program gives it.
struct Server {
  /// The name in the program (`maps`).
  std::string alias;
  /// The name in the configuration (`google-maps`).
  std::string config_name;
  /// For a `server x = stdio("cmd", ["arg"])` declaration: the transport (`stdio`, `http`)
  /// and its literal arguments; empty for servers from the configuration.
  std::string transport;
  std::vector<Value> transport_args;

  /// The name to look the server up by in the configuration: config_name, else alias.
  const std::string& ConfiguredName() const { return config_name.empty() ? alias : config_name; }
};

/// One entry of an agent's `uses`: tool empty means every tool of the server.
struct ToolPattern {
  uint32_t server = 0;
  std::string tool;
};

/// An agent: its workflows are Functions with `agent` set.
struct Agent {
  std::string name;
  std::vector<ToolPattern> uses;
};

/// A whole program.
struct Module {
  std::vector<Value> constants;
  /// Built-in names referenced by CallBuiltin::imm; resolved to functions when loaded.
  std::vector<std::string> builtins;
  std::vector<Server> servers;
  std::vector<Agent> agents;
  std::vector<Function> functions;

  /// Index of the workflow called `name` (tests excluded), or kNone.
  uint32_t FindFunction(std::string_view name) const;
};

/// For each CallTool/CallWorkflow instruction of `fn` (by id): the ids of the earlier call
/// instructions whose results it reads, directly or through other instructions.
struct CallNode {
  uint32_t id = 0;
  const Instr* instr = nullptr;
  std::vector<uint32_t> depends_on;
};
std::vector<CallNode> DependencyGraph(const Function& fn);

/// Sets Instr::can_overlap on every tool call of `fn` (data-flow analysis per block).
void MarkOverlappableCalls(Function& fn);

/// Numbers every instruction of `fn` in program order (Instr::id), from 0.
void NumberInstructions(Function& fn);

/// Calls `visit(instr)` for every instruction of `block`, nested blocks and lambda bodies
/// included, in order.
template <typename F>
void ForEachInstr(const Block& block, F&& visit) {
  for (const Instr& instr : block.instrs) {
    visit(instr);
    for (const Block& nested : instr.blocks) ForEachInstr(nested, visit);
    if (instr.lambda) ForEachInstr(instr.lambda->body, visit);
  }
}

}  // namespace orch::ir
