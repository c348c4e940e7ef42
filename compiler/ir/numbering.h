// How many instructions a function has, and whether Instr::id numbers them 0..n-1 (each
// once). Both the interpreter (its per-instruction tables) and the JIT (compiled code
// names instructions by id) rely on that numbering and check it with this one function.
// Header-only: the JIT module (runtime/jit/module_api.h) links nothing of the compiler.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "compiler/ir/ir.h"

namespace orch::ir {

struct InstructionCount {
  size_t count = 0;
  /// Instr::id numbers the instructions 0..count-1, each exactly once.
  bool numbered = true;
};

inline InstructionCount CountInstructions(const Function& fn) {
  InstructionCount result;
  ForEachInstr(fn.body, [&](const Instr&) { ++result.count; });
  std::vector<uint8_t> seen(result.count, 0);
  ForEachInstr(fn.body, [&](const Instr& instr) {
    if (instr.id >= result.count || seen[instr.id]) {
      result.numbered = false;
    } else {
      seen[instr.id] = 1;
    }
  });
  return result;
}

}  // namespace orch::ir
