// Lowering of the IR to LLVM IR: one LLVM function per ir::Block (see lower_to_llvm.h).
// LLVM's own naming (IRBuilder, BasicBlock, ...) stays inside this folder and runtime/jit.
#include "compiler/codegen/lower_to_llvm.h"

#include <fmt/format.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>
#include <cstddef>
#include <unordered_map>
#include <unordered_set>

#include "compiler/ir/numbering.h"
#include "runtime/value/value.h"

namespace orch::codegen {
namespace {

using ir::Instr;
using ir::kNoReg;
using ir::Op;
using ir::Reg;

// The Value layout compiled code relies on: a kind byte at offset 0, the payload word at
// offset 8 (runtime/jit checks it at start-up before installing any code).
constexpr uint64_t kSlotSize = 16;
constexpr uint64_t kPayloadOffset = 8;
constexpr uint8_t kNullKind = static_cast<uint8_t>(Value::Kind::kNull);
constexpr uint8_t kBoolKind = static_cast<uint8_t>(Value::Kind::kBool);
constexpr uint8_t kIntKind = static_cast<uint8_t>(Value::Kind::kInt);
constexpr uint8_t kNumberKind = static_cast<uint8_t>(Value::Kind::kNumber);
/// Kinds below this own no heap payload: a slot holding one may be overwritten in place.
constexpr uint8_t kFirstHeapKind = static_cast<uint8_t>(Value::Kind::kString);
static_assert(kNumberKind + 1 == kFirstHeapKind, "scalar kinds come first");
/// `range` refuses to build longer lists; the fused loop must refuse the same ranges.
constexpr int64_t kMaxRangeLength = 10'000'000;

// --- entry point declarations from their C++ signatures -----------------------------------

template <typename T>
llvm::Type* LlvmTypeOf(llvm::LLVMContext& c) {
  if constexpr (std::is_void_v<T>) {
    return llvm::Type::getVoidTy(c);
  } else if constexpr (std::is_pointer_v<T>) {
    return llvm::Type::getInt8PtrTy(c);
  } else {
    static_assert(std::is_integral_v<T>, "entry points take pointers and integers");
    return llvm::IntegerType::get(c, sizeof(T) * 8);
  }
}

template <typename R, typename... A>
llvm::FunctionType* SignatureOf(R (*)(A...) noexcept, llvm::LLVMContext& c) {
  return llvm::FunctionType::get(LlvmTypeOf<R>(c), {LlvmTypeOf<A>(c)...}, false);
}

struct EntryPoints {
#define ORCH_JIT_ENTRY(Name, Ret, Params) llvm::FunctionCallee Name;
#include "runtime/jit/abi.def"

  explicit EntryPoints(llvm::Module& m) {
// Only the C++ signature is used: the module is linked without the functions themselves
// (they are bound by address when the code is linked, see runtime/jit).
#define ORCH_JIT_ENTRY(Name, Ret, Params) \
  Name = m.getOrInsertFunction(#Name, SignatureOf(static_cast<Ret(*) Params noexcept>(nullptr), m.getContext()));
#include "runtime/jit/abi.def"
  }
};

/// Facts about one function that decide how its instructions are lowered.
struct FunctionFacts {
  /// Some tool call may still be running when a later instruction executes (automatic
  /// concurrency): native instructions then first wait for what they read.
  bool has_async_calls = false;
  /// How many instructions read each register.
  std::vector<uint32_t> reads;
  /// Block → its compiled function.
  std::unordered_map<const ir::Block*, llvm::Function*> functions;
};

FunctionFacts AnalyzeFunction(const ir::Function& fn) {
  FunctionFacts facts;
  facts.reads.assign(fn.num_regs(), 0);
  auto read = [&](Reg r) {
    if (r != kNoReg && r < facts.reads.size()) facts.reads[r]++;
  };
  ir::ForEachInstr(fn.body, [&](const Instr& instr) {
    if (instr.op == Op::kCallTool && instr.can_overlap) facts.has_async_calls = true;
    for (Reg r : instr.args) read(r);
    if (instr.call) {
      const ir::CallPolicy& p = instr.call->policy;
      for (Reg r : {p.timeout, p.retry, p.backoff, p.cache}) read(r);
    }
    if (instr.lambda) read(instr.lambda->result);
  });
  return facts;
}

bool ContainsCalls(const ir::Block& block) {
  bool found = false;
  ir::ForEachInstr(block, [&](const Instr& instr) {
    if (instr.op == Op::kCallTool || instr.op == Op::kCallWorkflow || instr.op == Op::kCallBuiltin) found = true;
  });
  return found;
}

/// `range(a, b)` whose list only feeds the sequential `for` right after it: the loop
/// counts instead of building the list.
bool IsFusableRange(const ir::Module& module, const FunctionFacts& facts, const Instr& call, const Instr& loop) {
  if (call.op != Op::kCallBuiltin || call.lambda || call.args.size() != 2 || call.dst == kNoReg) return false;
  if (module.builtins[call.imm] != "range") return false;
  if (loop.op != Op::kForEach || loop.args.empty() || loop.args[0] != call.dst || loop.blocks.empty()) return false;
  if (loop.args.size() > 1 && loop.args[1] != kNoReg) return false;
  return call.dst < facts.reads.size() && facts.reads[call.dst] == 1;
}

/// Long blocks are compiled as a chain of functions of at most this many instructions:
/// LLVM's optimisers and register allocator cost more than linear time in a function's
/// size, so a 1,000-step workflow as one function would take seconds to compile.
constexpr size_t kChunkInstructions = 48;

/// Emits the body of one block's function.
class BlockEmitter {
 public:
  BlockEmitter(const ir::Module& module, uint32_t fn_index, const FunctionFacts& facts, const EntryPoints& entries,
               llvm::Function* function)
      : module_(module),
        fn_index_(fn_index),
        facts_(facts),
        rt_(entries),
        function_(function),
        c_(function->getContext()),
        b_(c_) {
    auto arg = function->arg_begin();
    engine_ = &*arg++;
    strand_ = &*arg++;
    regs_ = &*arg;
    engine_->setName("engine");
    strand_->setName("strand");
    regs_->setName("regs");
    b_.SetInsertPoint(llvm::BasicBlock::Create(c_, "entry", function_));
  }

  /// Emits instructions [begin, end) of `block` and returns 0 (next) after them.
  void Emit(const ir::Block& block, size_t begin, size_t end) {
    const auto& instrs = block.instrs;
    for (size_t i = begin; i < end; ++i) {
      if (i + 1 < end && IsFusableRange(module_, facts_, instrs[i], instrs[i + 1])) {
        EmitRangeLoop(instrs[i], instrs[i + 1]);
        ++i;
        continue;
      }
      EmitInstr(instrs[i]);
    }
    b_.CreateRet(I8(0));
  }

  /// Emits calls of `chunks` in order, returning early when one does not end with 0.
  void EmitChunkCalls(const std::vector<llvm::Function*>& chunks) {
    for (llvm::Function* chunk : chunks) ReturnUnlessNext(b_.CreateCall(chunk, {engine_, strand_, regs_}));
    b_.CreateRet(I8(0));
  }

 private:
  // --- small helpers --------------------------------------------------------------------

  llvm::ConstantInt* I8(uint64_t v) { return b_.getInt8(static_cast<uint8_t>(v)); }
  llvm::ConstantInt* I32(uint64_t v) { return b_.getInt32(static_cast<uint32_t>(v)); }
  llvm::ConstantInt* I64(int64_t v) { return b_.getInt64(static_cast<uint64_t>(v)); }

  llvm::BasicBlock* NewBlock(const char* name) { return llvm::BasicBlock::Create(c_, name, function_); }

  llvm::Value* SlotAddress(Reg r, uint64_t offset = 0) {
    return b_.CreateConstInBoundsGEP1_64(b_.getInt8Ty(), regs_, r * kSlotSize + offset);
  }
  llvm::Value* KindOf(Reg r) { return b_.CreateLoad(b_.getInt8Ty(), SlotAddress(r), "kind"); }
  llvm::Value* PayloadPtr(Reg r, llvm::Type* type) {
    return b_.CreateBitCast(SlotAddress(r, kPayloadOffset), type->getPointerTo());
  }
  llvm::Value* IntOf(Reg r) { return b_.CreateLoad(b_.getInt64Ty(), PayloadPtr(r, b_.getInt64Ty()), "int"); }
  llvm::Value* NumberOf(Reg r) { return b_.CreateLoad(b_.getDoubleTy(), PayloadPtr(r, b_.getDoubleTy()), "num"); }
  llvm::Value* BoolOf(Reg r) {
    return b_.CreateICmpNE(b_.CreateLoad(b_.getInt8Ty(), PayloadPtr(r, b_.getInt8Ty())), I8(0), "bool");
  }
  /// An int or number operand as a double.
  llvm::Value* AsDouble(Reg r, llvm::Value* kind) {
    return b_.CreateSelect(b_.CreateICmpEQ(kind, I8(kIntKind)), b_.CreateSIToFP(IntOf(r), b_.getDoubleTy()),
                           NumberOf(r));
  }
  llvm::Value* IsKind(llvm::Value* kind, uint8_t k) { return b_.CreateICmpEQ(kind, I8(k)); }
  llvm::Value* IsNumeric(llvm::Value* kind) {
    return b_.CreateOr(IsKind(kind, kIntKind), IsKind(kind, kNumberKind));
  }
  /// Waits for what `instr` reads, loads the kinds of its two operands into `ka` and `kb`,
  /// and returns the guard of a numeric fast path: both are ints or numbers and the
  /// destination may be overwritten in place.
  llvm::Value* NumericOperands(const Instr& instr, llvm::Value*& ka, llvm::Value*& kb) {
    EmitAwaitArgs(instr);
    ka = KindOf(instr.args[0]);
    kb = KindOf(instr.args[1]);
    return b_.CreateAnd(b_.CreateAnd(IsNumeric(ka), IsNumeric(kb)), Overwritable(instr.dst));
  }
  /// The destination slot holds no heap payload, so it may be overwritten in place.
  llvm::Value* Overwritable(Reg dst) { return b_.CreateICmpULT(KindOf(dst), I8(kFirstHeapKind)); }

  void StoreScalar(Reg dst, uint8_t kind, llvm::Value* payload64) {
    b_.CreateStore(I8(kind), SlotAddress(dst));
    b_.CreateStore(payload64, PayloadPtr(dst, b_.getInt64Ty()));
  }
  void StoreInt(Reg dst, llvm::Value* v) { StoreScalar(dst, kIntKind, v); }
  void StoreBool(Reg dst, llvm::Value* b1) { StoreScalar(dst, kBoolKind, b_.CreateZExt(b1, b_.getInt64Ty())); }
  void StoreNumber(Reg dst, llvm::Value* d) { StoreScalar(dst, kNumberKind, b_.CreateBitCast(d, b_.getInt64Ty())); }

  /// Returns `flow` from the function unless it is 0 (next).
  void ReturnUnlessNext(llvm::Value* flow) {
    llvm::BasicBlock* stop = NewBlock("stop");
    llvm::BasicBlock* next = NewBlock("next");
    b_.CreateCondBr(b_.CreateICmpNE(flow, I8(0)), stop, next);
    b_.SetInsertPoint(stop);
    b_.CreateRet(flow);
    b_.SetInsertPoint(next);
  }

  /// Runs `instr` in the interpreter (its slow path or its only path).
  void EmitExec(const Instr& instr) {
    ReturnUnlessNext(b_.CreateCall(rt_.orch_rt_exec, {engine_, strand_, I32(fn_index_), I32(instr.id)}));
  }

  void EmitAwaitArgs(const Instr& instr) {
    if (!facts_.has_async_calls) return;
    ReturnUnlessNext(b_.CreateCall(rt_.orch_rt_await_args, {engine_, strand_, I32(fn_index_), I32(instr.id)}));
  }

  /// Emits `if (guard) { fast() } else { exec(instr) }`; `fast` leaves its value stored
  /// and may branch to the slow path itself through the block it is given.
  template <typename Fast>
  void Guarded(const Instr& instr, llvm::Value* guard, Fast fast) {
    llvm::BasicBlock* fast_bb = NewBlock("fast");
    llvm::BasicBlock* slow_bb = NewBlock("slow");
    llvm::BasicBlock* done_bb = NewBlock("done");
    b_.CreateCondBr(guard, fast_bb, slow_bb);
    b_.SetInsertPoint(fast_bb);
    fast(slow_bb);
    b_.CreateBr(done_bb);
    b_.SetInsertPoint(slow_bb);
    EmitExec(instr);
    b_.CreateBr(done_bb);
    b_.SetInsertPoint(done_bb);
  }

  llvm::Value* CallBlock(const ir::Block& block) {
    llvm::Function* callee = facts_.functions.at(&block);
    return b_.CreateCall(callee, {engine_, strand_, regs_});
  }

  // --- instructions -----------------------------------------------------------------------

  void EmitInstr(const Instr& instr) {
    switch (instr.op) {
      case Op::kConst: return EmitConst(instr);
      case Op::kMove: return EmitMove(instr);
      case Op::kAdd:
      case Op::kSub:
      case Op::kMul: return EmitArithmetic(instr);
      case Op::kDiv: return EmitDivide(instr);
      case Op::kRem: return EmitRemainder(instr);
      case Op::kNeg: return EmitNegate(instr);
      case Op::kNot: return EmitNot(instr);
      case Op::kEq:
      case Op::kNe: return EmitEquality(instr);
      case Op::kLt:
      case Op::kLe:
      case Op::kGt:
      case Op::kGe: return EmitOrdering(instr);
      case Op::kIsNull: return EmitIsNull(instr);
      case Op::kTruthy: return EmitTruthy(instr);
      case Op::kIf: return EmitIf(instr);
      default: return EmitExec(instr);
    }
  }

  void EmitConst(const Instr& instr) {
    const Value& v = module_.constants[instr.imm];
    if (v.kind() >= Value::Kind::kString) return EmitExec(instr);
    EmitAwaitArgs(instr);
    Guarded(instr, Overwritable(instr.dst), [&](llvm::BasicBlock*) {
      switch (v.kind()) {
        case Value::Kind::kNull: StoreScalar(instr.dst, kNullKind, I64(0)); break;
        case Value::Kind::kBool: StoreBool(instr.dst, b_.getInt1(v.as_bool())); break;
        case Value::Kind::kInt: StoreInt(instr.dst, I64(v.as_int())); break;
        default: StoreNumber(instr.dst, llvm::ConstantFP::get(b_.getDoubleTy(), v.as_number())); break;
      }
    });
  }

  void EmitMove(const Instr& instr) {
    if (instr.dst == instr.args[0]) return;
    EmitAwaitArgs(instr);
    llvm::Value* guard = b_.CreateAnd(b_.CreateICmpULT(KindOf(instr.args[0]), I8(kFirstHeapKind)), Overwritable(instr.dst));
    Guarded(instr, guard, [&](llvm::BasicBlock*) {
      llvm::Value* kind = KindOf(instr.args[0]);
      llvm::Value* payload = b_.CreateLoad(b_.getInt64Ty(), PayloadPtr(instr.args[0], b_.getInt64Ty()));
      b_.CreateStore(kind, SlotAddress(instr.dst));
      b_.CreateStore(payload, PayloadPtr(instr.dst, b_.getInt64Ty()));
    });
  }

  /// `+ - *`: int with int (overflow goes to the slow path, which reports it), or numbers.
  void EmitArithmetic(const Instr& instr) {
    Reg a = instr.args[0], b = instr.args[1];
    llvm::Value *ka, *kb;
    Guarded(instr, NumericOperands(instr, ka, kb), [&](llvm::BasicBlock* slow) {
      llvm::BasicBlock* ints = NewBlock("ints");
      llvm::BasicBlock* numbers = NewBlock("numbers");
      llvm::BasicBlock* done = NewBlock("arith.done");
      b_.CreateCondBr(b_.CreateAnd(IsKind(ka, kIntKind), IsKind(kb, kIntKind)), ints, numbers);

      b_.SetInsertPoint(ints);
      llvm::Intrinsic::ID id = instr.op == Op::kAdd   ? llvm::Intrinsic::sadd_with_overflow
                               : instr.op == Op::kSub ? llvm::Intrinsic::ssub_with_overflow
                                                      : llvm::Intrinsic::smul_with_overflow;
      llvm::Value* pair = b_.CreateBinaryIntrinsic(id, IntOf(a), IntOf(b));
      llvm::BasicBlock* store_int = NewBlock("store.int");
      b_.CreateCondBr(b_.CreateExtractValue(pair, 1), slow, store_int);
      b_.SetInsertPoint(store_int);
      StoreInt(instr.dst, b_.CreateExtractValue(pair, 0));
      b_.CreateBr(done);

      b_.SetInsertPoint(numbers);
      llvm::Value* x = AsDouble(a, ka);
      llvm::Value* y = AsDouble(b, kb);
      llvm::Value* r = instr.op == Op::kAdd ? b_.CreateFAdd(x, y) : instr.op == Op::kSub ? b_.CreateFSub(x, y) : b_.CreateFMul(x, y);
      StoreNumber(instr.dst, r);
      b_.CreateBr(done);
      b_.SetInsertPoint(done);
    });
  }

  /// `/` always yields a number; a zero divisor takes the slow path (which reports it).
  void EmitDivide(const Instr& instr) {
    Reg a = instr.args[0], b = instr.args[1];
    llvm::Value *ka, *kb;
    Guarded(instr, NumericOperands(instr, ka, kb), [&](llvm::BasicBlock* slow) {
      llvm::Value* x = AsDouble(a, ka);
      llvm::Value* y = AsDouble(b, kb);
      llvm::BasicBlock* divide = NewBlock("divide");
      b_.CreateCondBr(b_.CreateFCmpOEQ(y, llvm::ConstantFP::get(b_.getDoubleTy(), 0.0)), slow, divide);
      b_.SetInsertPoint(divide);
      StoreNumber(instr.dst, b_.CreateFDiv(x, y));
    });
  }

  /// `%` of two ints; a zero divisor and numbers take the slow path.
  void EmitRemainder(const Instr& instr) {
    EmitAwaitArgs(instr);
    Reg a = instr.args[0], b = instr.args[1];
    llvm::Value* guard = b_.CreateAnd(b_.CreateAnd(IsKind(KindOf(a), kIntKind), IsKind(KindOf(b), kIntKind)),
                                      Overwritable(instr.dst));
    Guarded(instr, guard, [&](llvm::BasicBlock* slow) {
      llvm::Value* x = IntOf(a);
      llvm::Value* y = IntOf(b);
      llvm::BasicBlock* nonzero = NewBlock("rem.nonzero");
      b_.CreateCondBr(b_.CreateICmpEQ(y, I64(0)), slow, nonzero);
      b_.SetInsertPoint(nonzero);
      // x % -1 is 0 (and INT64_MIN % -1 would trap).
      llvm::Value* minus_one = b_.CreateICmpEQ(y, I64(-1));
      llvm::Value* safe_y = b_.CreateSelect(minus_one, I64(1), y);
      StoreInt(instr.dst, b_.CreateSelect(minus_one, I64(0), b_.CreateSRem(x, safe_y)));
    });
  }

  void EmitNegate(const Instr& instr) {
    EmitAwaitArgs(instr);
    Reg a = instr.args[0];
    llvm::Value* ka = KindOf(a);
    Guarded(instr, b_.CreateAnd(IsNumeric(ka), Overwritable(instr.dst)), [&](llvm::BasicBlock* slow) {
      llvm::BasicBlock* ints = NewBlock("neg.int");
      llvm::BasicBlock* numbers = NewBlock("neg.number");
      llvm::BasicBlock* done = NewBlock("neg.done");
      b_.CreateCondBr(IsKind(ka, kIntKind), ints, numbers);
      b_.SetInsertPoint(ints);
      llvm::Value* x = IntOf(a);
      llvm::BasicBlock* store = NewBlock("neg.store");
      b_.CreateCondBr(b_.CreateICmpEQ(x, I64(INT64_MIN)), slow, store);
      b_.SetInsertPoint(store);
      StoreInt(instr.dst, b_.CreateNeg(x));
      b_.CreateBr(done);
      b_.SetInsertPoint(numbers);
      StoreNumber(instr.dst, b_.CreateFNeg(NumberOf(a)));
      b_.CreateBr(done);
      b_.SetInsertPoint(done);
    });
  }

  void EmitNot(const Instr& instr) {
    EmitAwaitArgs(instr);
    Reg a = instr.args[0];
    Guarded(instr, b_.CreateAnd(IsKind(KindOf(a), kBoolKind), Overwritable(instr.dst)),
            [&](llvm::BasicBlock*) { StoreBool(instr.dst, b_.CreateNot(BoolOf(a))); });
  }

  /// `==` / `!=` between two nulls, two bools or two ints; anything else is structural
  /// equality in the interpreter.
  void EmitEquality(const Instr& instr) {
    EmitAwaitArgs(instr);
    Reg a = instr.args[0], b = instr.args[1];
    llvm::Value* ka = KindOf(a);
    llvm::Value* kb = KindOf(b);
    llvm::Value* same_scalar = b_.CreateAnd(b_.CreateICmpEQ(ka, kb), b_.CreateICmpULE(ka, I8(kIntKind)));
    Guarded(instr, b_.CreateAnd(same_scalar, Overwritable(instr.dst)), [&](llvm::BasicBlock*) {
      llvm::Value* ints_equal = b_.CreateICmpEQ(IntOf(a), IntOf(b));
      llvm::Value* bools_equal = b_.CreateICmpEQ(BoolOf(a), BoolOf(b));
      llvm::Value* equal = b_.CreateSelect(IsKind(ka, kNullKind), b_.getTrue(),
                                           b_.CreateSelect(IsKind(ka, kBoolKind), bools_equal, ints_equal));
      StoreBool(instr.dst, instr.op == Op::kEq ? equal : b_.CreateNot(equal));
    });
  }

  /// `< <= > >=` between numbers (ints compare as ints, mixed as doubles, with the
  /// interpreter's rule for NaN: neither less nor greater, so it counts as equal).
  void EmitOrdering(const Instr& instr) {
    Reg a = instr.args[0], b = instr.args[1];
    llvm::Value *ka, *kb;
    Guarded(instr, NumericOperands(instr, ka, kb), [&](llvm::BasicBlock*) {
      llvm::Value* both_int = b_.CreateAnd(IsKind(ka, kIntKind), IsKind(kb, kIntKind));
      llvm::Value* x = AsDouble(a, ka);
      llvm::Value* y = AsDouble(b, kb);
      llvm::Value* ix = IntOf(a);
      llvm::Value* iy = IntOf(b);
      llvm::Value* less = b_.CreateSelect(both_int, b_.CreateICmpSLT(ix, iy), b_.CreateFCmpOLT(x, y));
      llvm::Value* greater = b_.CreateSelect(both_int, b_.CreateICmpSLT(iy, ix), b_.CreateFCmpOLT(y, x));
      llvm::Value* result = instr.op == Op::kLt   ? less
                            : instr.op == Op::kLe ? b_.CreateNot(greater)
                            : instr.op == Op::kGt ? greater
                                                  : b_.CreateNot(less);
      StoreBool(instr.dst, result);
    });
  }

  void EmitIsNull(const Instr& instr) {
    EmitAwaitArgs(instr);
    Guarded(instr, Overwritable(instr.dst),
            [&](llvm::BasicBlock*) { StoreBool(instr.dst, IsKind(KindOf(instr.args[0]), kNullKind)); });
  }

  void EmitTruthy(const Instr& instr) {
    EmitAwaitArgs(instr);
    Reg a = instr.args[0];
    llvm::Value* is_bool = IsKind(KindOf(a), kBoolKind);
    if (instr.dst == a) {
      Guarded(instr, is_bool, [](llvm::BasicBlock*) {});
      return;
    }
    Guarded(instr, b_.CreateAnd(is_bool, Overwritable(instr.dst)),
            [&](llvm::BasicBlock*) { StoreBool(instr.dst, BoolOf(a)); });
  }

  /// `if`: a bool condition branches natively to the branches' compiled functions; any
  /// other condition goes to the interpreter, which reports it.
  void EmitIf(const Instr& instr) {
    EmitAwaitArgs(instr);
    Reg c = instr.args[0];
    Guarded(instr, IsKind(KindOf(c), kBoolKind), [&](llvm::BasicBlock*) {
      llvm::BasicBlock* then_bb = NewBlock("then");
      llvm::BasicBlock* else_bb = NewBlock("else");
      llvm::BasicBlock* join = NewBlock("endif");
      b_.CreateCondBr(BoolOf(c), then_bb, else_bb);
      for (size_t branch = 0; branch < 2; ++branch) {
        b_.SetInsertPoint(branch == 0 ? then_bb : else_bb);
        if (branch < instr.blocks.size()) ReturnUnlessNext(CallBlock(instr.blocks[branch]));
        b_.CreateBr(join);
      }
      b_.SetInsertPoint(join);
    });
  }

  // --- `for x in range(a, b)` --------------------------------------------------------------

  void EmitRangeLoop(const Instr& call, const Instr& loop) {
    EmitAwaitArgs(loop);
    Reg a = call.args[0], b = call.args[1];
    llvm::Value* ints = b_.CreateAnd(IsKind(KindOf(a), kIntKind), IsKind(KindOf(b), kIntKind));
    llvm::BasicBlock* fast = NewBlock("range");
    llvm::BasicBlock* slow = NewBlock("range.slow");
    llvm::BasicBlock* done = NewBlock("range.done");
    b_.CreateCondBr(ints, fast, slow);

    b_.SetInsertPoint(slow);
    EmitExec(call);
    EmitExec(loop);
    b_.CreateBr(done);

    b_.SetInsertPoint(fast);
    llvm::Value* first = IntOf(a);
    llvm::Value* end = IntOf(b);
    llvm::BasicBlock* sized = NewBlock("range.sized");
    b_.CreateCondBr(b_.CreateICmpSLE(end, first), done, sized);  // empty: no iteration
    b_.SetInsertPoint(sized);
    llvm::Value* count = b_.CreateBinaryIntrinsic(llvm::Intrinsic::ssub_with_overflow, end, first);
    llvm::Value* too_long =
        b_.CreateOr(b_.CreateExtractValue(count, 1), b_.CreateICmpSGT(b_.CreateExtractValue(count, 0), I64(kMaxRangeLength)));
    llvm::BasicBlock* head = NewBlock("loop");
    b_.CreateCondBr(too_long, slow, head);  // the interpreter reports the error

    llvm::BasicBlock* preheader = b_.GetInsertBlock();
    b_.SetInsertPoint(head);
    llvm::PHINode* i = b_.CreatePHI(b_.getInt64Ty(), 2, "i");
    i->addIncoming(first, preheader);
    // Cancellation is checked every 1,024 iterations (and on the first).
    llvm::BasicBlock* check = NewBlock("loop.cancel");
    llvm::BasicBlock* body = NewBlock("loop.body");
    b_.CreateCondBr(b_.CreateICmpEQ(b_.CreateAnd(b_.CreateSub(i, first), I64(1023)), I64(0)), check, body);
    b_.SetInsertPoint(check);
    ReturnUnlessNext(b_.CreateCall(rt_.orch_rt_check_cancel, {engine_, strand_, I32(fn_index_), I32(loop.id)}));
    b_.CreateBr(body);

    b_.SetInsertPoint(body);
    llvm::BasicBlock* store_in_place = NewBlock("loop.store");
    llvm::BasicBlock* store_call = NewBlock("loop.store.rt");
    llvm::BasicBlock* run = NewBlock("loop.run");
    b_.CreateCondBr(Overwritable(loop.dst), store_in_place, store_call);
    b_.SetInsertPoint(store_in_place);
    StoreInt(loop.dst, i);
    b_.CreateBr(run);
    b_.SetInsertPoint(store_call);
    b_.CreateCall(rt_.orch_rt_store_int, {SlotAddress(loop.dst), i});
    b_.CreateBr(run);

    b_.SetInsertPoint(run);
    ReturnUnlessNext(CallBlock(loop.blocks[0]));
    if (ContainsCalls(loop.blocks[0])) ReturnUnlessNext(b_.CreateCall(rt_.orch_rt_await_all, {engine_, strand_}));
    llvm::Value* next = b_.CreateAdd(i, I64(1));
    i->addIncoming(next, b_.GetInsertBlock());
    b_.CreateCondBr(b_.CreateICmpSLT(next, end), head, done);

    b_.SetInsertPoint(done);
  }

  const ir::Module& module_;
  uint32_t fn_index_;
  const FunctionFacts& facts_;
  const EntryPoints& rt_;
  llvm::Function* function_;
  llvm::LLVMContext& c_;
  llvm::IRBuilder<> b_;
  llvm::Value* engine_ = nullptr;
  llvm::Value* strand_ = nullptr;
  llvm::Value* regs_ = nullptr;
};

/// Adds to `hot` every block of `block` that can run many times per call of the workflow:
/// loop bodies and lambda bodies, and everything nested in them.
void FindRepeatedBlocks(const ir::Block& block, bool repeated, std::unordered_set<const ir::Block*>& hot) {
  if (repeated) hot.insert(&block);
  for (const Instr& instr : block.instrs) {
    for (const ir::Block& nested : instr.blocks) FindRepeatedBlocks(nested, repeated || instr.op == Op::kForEach, hot);
    if (instr.lambda) FindRepeatedBlocks(instr.lambda->body, true, hot);
  }
}

void VisitBlocks(const ir::Block& block, uint32_t& next, const std::function<void(const ir::Block&, uint32_t)>& visit) {
  visit(block, next++);
  for (const Instr& instr : block.instrs) {
    for (const ir::Block& nested : instr.blocks) VisitBlocks(nested, next, visit);
    if (instr.lambda) VisitBlocks(instr.lambda->body, next, visit);
  }
}

}  // namespace

std::string BlockSymbol(uint32_t fn, uint32_t ordinal) { return fmt::format("orch_f{}_b{}", fn, ordinal); }

void ForEachBlock(const ir::Function& fn, const std::function<void(const ir::Block&, uint32_t)>& visit) {
  uint32_t next = 0;
  VisitBlocks(fn.body, next, visit);
}

LoweredModule LowerModule(const ir::Module& module, llvm::LLVMContext& context) {
  LoweredModule out;
  out.module = std::make_unique<llvm::Module>("orchestrator", context);
  out.interpreted_because.resize(module.functions.size());
  out.compiled_blocks.resize(module.functions.size());
  EntryPoints entries(*out.module);
  llvm::Type* ptr = llvm::Type::getInt8PtrTy(context);
  llvm::FunctionType* block_type = llvm::FunctionType::get(llvm::Type::getInt8Ty(context), {ptr, ptr, ptr}, false);

  for (uint32_t fi = 0; fi < module.functions.size(); ++fi) {
    const ir::Function& fn = module.functions[fi];
    // Entry points find instructions by Instr::id, so the ids must number them 0..n-1.
    auto [count, numbered] = ir::CountInstructions(fn);
    if (count > kMaxNativeInstructions) {
      out.interpreted_because[fi] = fmt::format(
          "it has {} instructions, more than the JIT compiles ({}); split it into smaller workflows", count,
          kMaxNativeInstructions);
      ForEachBlock(fn, [&](const ir::Block&, uint32_t) { out.compiled_blocks[fi].push_back('0'); });
      continue;
    }
    if (!numbered) {
      out.interpreted_because[fi] = "its instructions are not numbered (an IR from an older compiler)";
      ForEachBlock(fn, [&](const ir::Block&, uint32_t) { out.compiled_blocks[fi].push_back('0'); });
      continue;
    }
    FunctionFacts facts = AnalyzeFunction(fn);
    std::vector<std::pair<const ir::Block*, llvm::Function*>> blocks;
    std::vector<llvm::Function*> parts;
    std::unordered_set<const ir::Block*> repeated;
    bool tiered = count > kTieredInstructions;
    if (tiered) FindRepeatedBlocks(fn.body, false, repeated);
    std::string& compiled = out.compiled_blocks[fi];
    ForEachBlock(fn, [&](const ir::Block& block, uint32_t ordinal) {
      bool compile = !tiered || repeated.count(&block) > 0;
      compiled.push_back(compile ? '1' : '0');
      if (!compile) return;
      out.compiled_instructions += block.instrs.size();
      llvm::Function* f = llvm::Function::Create(block_type, llvm::Function::ExternalLinkage, BlockSymbol(fi, ordinal),
                                                 out.module.get());
      f->addFnAttr(llvm::Attribute::NoUnwind);
      facts.functions[&block] = f;
      blocks.emplace_back(&block, f);
    });
    for (auto& [block, f] : blocks) {
      const auto& instrs = block->instrs;
      if (instrs.size() <= kChunkInstructions) {
        BlockEmitter(module, fi, facts, entries, f).Emit(*block, 0, instrs.size());
        continue;
      }
      std::vector<llvm::Function*> chunks;
      for (size_t begin = 0; begin < instrs.size();) {
        size_t end = std::min(instrs.size(), begin + kChunkInstructions);
        // Never separate a `range` call from the loop it feeds.
        if (end < instrs.size() && IsFusableRange(module, facts, instrs[end - 1], instrs[end])) ++end;
        llvm::Function* chunk =
            llvm::Function::Create(block_type, llvm::Function::InternalLinkage,
                                   fmt::format("{}_part{}", f->getName().str(), chunks.size()), out.module.get());
        chunk->addFnAttr(llvm::Attribute::NoUnwind);
        chunk->addFnAttr(llvm::Attribute::NoInline);
        BlockEmitter(module, fi, facts, entries, chunk).Emit(*block, begin, end);
        chunks.push_back(chunk);
        begin = end;
      }
      BlockEmitter(module, fi, facts, entries, f).EmitChunkCalls(chunks);
      for (llvm::Function* chunk : chunks) parts.push_back(chunk);
    }
    std::string problems;
    llvm::raw_string_ostream os(problems);
    bool broken = false;
    for (auto& [block, f] : blocks) broken = llvm::verifyFunction(*f, &os) || broken;
    for (llvm::Function* part : parts) broken = llvm::verifyFunction(*part, &os) || broken;
    if (broken) {
      for (auto& [block, f] : blocks) f->eraseFromParent();
      for (llvm::Function* part : parts) part->eraseFromParent();
      compiled.assign(compiled.size(), '0');
      os.flush();
      out.interpreted_because[fi] = fmt::format("the generated code did not verify (a JIT bug): {}",
                                                problems.substr(0, problems.find('\n')));
    }
  }
  return out;
}

}  // namespace orch::codegen
