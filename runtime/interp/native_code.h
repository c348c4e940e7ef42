// Native code for the interpreter: machine code the JIT (runtime/jit) produced for the
// blocks of an ir::Module. The interpreter stays the driver: whenever it is about to run a
// block (a workflow body, a branch of `parallel`, a loop body, a lambda body) it first
// looks the block up here and, when found, calls the compiled function instead. Compiled
// code calls back into the interpreter (runtime/jit/abi.def) for everything it does not do
// natively, so both paths share one implementation of tool calls, errors, cancellation and
// concurrency.
#pragma once

#include <cstdint>
#include <unordered_map>

#include "compiler/ir/ir.h"
#include "runtime/value/value.h"

namespace orch::interp {

/// How a block (compiled or interpreted) ended: run on, `return`, or failed (the strand
/// holds the error). The numbers are part of the JIT's ABI.
enum class NativeFlow : uint8_t { kNext = 0, kReturn = 1, kError = 2 };

/// A compiled block: `engine` and `strand` are opaque to it and handed back to the entry
/// points of abi.def; `regs` is the frame's register array (Value[num_regs]).
using NativeBlockFn = uint8_t (*)(void* engine, void* strand, Value* regs);

/// The compiled blocks of one module, by the block they implement.
struct NativeCode {
  std::unordered_map<const ir::Block*, NativeBlockFn> blocks;

  NativeBlockFn Find(const ir::Block& block) const {
    auto it = blocks.find(&block);
    return it == blocks.end() ? nullptr : it->second;
  }
};

}  // namespace orch::interp
