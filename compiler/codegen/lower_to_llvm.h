// Lowering of the orchestrator IR to LLVM IR, for the JIT (runtime/jit).
//
// Every ir::Block becomes one LLVM function `i8 (i8* engine, i8* strand, i8* regs)` that
// returns how the block ended (interp::NativeFlow). The frame's registers stay where the
// interpreter keeps them (`regs`, an array of 16-byte orch::Values), so compiled code and
// the interpreter can hand a frame back and forth at any instruction:
// - Scalar work is native. Constants, moves, arithmetic, comparisons, `not`, null tests,
//   conditions, `if`, and `for` over `range(a, b)` (a counted loop; the list is never
//   built) read and write the Values' kind byte and payload directly. Each fast path is
//   guarded by the operands' run-time kinds (the checker's TypeTags are hints, not
//   proofs), and falls back to the interpreter's implementation of that one instruction
//   when a guard fails, so errors, overflow checks and messages stay identical.
// - Everything else (tool and workflow calls, built-ins, strings, lists, records, field
//   access, `parallel`, `try`, `return`, `fail`, ...) calls the runtime entry point
//   `orch_rt_exec` for that instruction (runtime/jit/abi.def). Blocks nested in those
//   instructions are compiled too: the interpreter runs them through their compiled
//   functions.
// Generated code refers to instructions by (function index, Instr::id), never by address,
// so an object file can be cached and loaded by a later process.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"

namespace llvm {
class LLVMContext;
class Module;
}  // namespace llvm

namespace orch::codegen {

/// Workflows with more instructions than this stay interpreted: compiling them would cost
/// more than it saves.
inline constexpr size_t kMaxNativeInstructions = 20000;

/// In workflows with more instructions than this, only the blocks that can run many times
/// per call are compiled: loop bodies and lambda bodies, at any depth. The straight-line
/// rest runs once per call, mostly waiting for tool calls, and stays interpreted (as in a
/// tiered JIT), which keeps compiling a long workflow cheap.
inline constexpr size_t kTieredInstructions = 300;

/// The symbol of the compiled function for block `ordinal` of function `fn`.
std::string BlockSymbol(uint32_t fn, uint32_t ordinal);

/// Calls `visit(block, ordinal)` for every block of `fn` (its body first, then nested
/// blocks and lambda bodies in program order): the numbering BlockSymbol uses.
void ForEachBlock(const ir::Function& fn, const std::function<void(const ir::Block&, uint32_t)>& visit);

struct LoweredModule {
  std::unique_ptr<llvm::Module> module;
  /// Per function of the ir::Module: empty when it was compiled, else why it stays in
  /// the interpreter.
  std::vector<std::string> interpreted_because;
  /// Per function: one character per block (by ForEachBlock's ordinal), '1' when the block
  /// was compiled, '0' when it stays interpreted.
  std::vector<std::string> compiled_blocks;
  /// IR instructions in compiled blocks (what code generation will cost).
  size_t compiled_instructions = 0;
};

/// Lowers every function of `module` that can be compiled. Never fails as a whole: a
/// function that cannot be compiled (too large, instructions not numbered, or LLVM's
/// verifier rejects what was generated) is left out with its reason.
LoweredModule LowerModule(const ir::Module& module, llvm::LLVMContext& context);

}  // namespace orch::codegen
