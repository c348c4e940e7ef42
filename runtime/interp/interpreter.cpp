// The interpreter engine: frames of registers, strands with calls in flight, structured
// control flow, fork-join parallelism and cancellation. See interpreter.h for the model.
#include "runtime/interp/interpreter.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <functional>
#include <mutex>
#include <thread>

#include "compiler/ir/numbering.h"
#include "runtime/interp/value_ops.h"
#include "runtime/value/json.h"

namespace orch::interp {

using compiler::DiagKind;
using compiler::Span;
using ir::Instr;
using ir::kNoReg;
using ir::Op;
using ir::Reg;

struct Interpreter::Frame {
  const ir::Function* fn = nullptr;
  std::vector<Value> regs;
  /// Per parameter: a value was passed (otherwise its `default` block runs).
  std::vector<uint8_t> supplied;
  int depth = 0;
  /// Where this function's instructions start in the engine's per-instruction tables.
  size_t slot_base = 0;
};

namespace {

/// A tool call running ahead of the strand that started it.
struct AsyncCall {
  Reg dst = kNoReg;
  std::thread thread;
  ErrorOr<Value> result{Value()};
  Span span;
  std::string what;
};

// The same numbers as NativeFlow: compiled blocks return them.
enum class Flow : uint8_t { kNext = 0, kReturn = 1, kError = 2 };
static_assert(static_cast<int>(Flow::kError) == static_cast<int>(NativeFlow::kError));

}  // namespace

struct Interpreter::Strand {
  Frame* frame = nullptr;
  mcp::CancelToken cancel;
  std::vector<std::unique_ptr<AsyncCall>> pending;
  std::optional<RuntimeError> error;
  Value returned;
};

namespace {

RuntimeError MakeRuntimeError(std::string kind, DiagKind diag, std::vector<std::string> args, Span span,
                              std::string message) {
  RuntimeError e;
  e.kind = std::move(kind);
  e.diag = diag;
  e.diag_args = std::move(args);
  e.span = span;
  e.message = std::move(message);
  return e;
}

/// Links a child cancellation token to its parent for the lifetime of the object.
class LinkedToken {
 public:
  explicit LinkedToken(mcp::CancelToken parent) : parent_(std::move(parent)) {
    mcp::CancelToken child = token_;
    id_ = parent_.OnCancel([child]() mutable { child.Cancel(); });
  }
  ~LinkedToken() { parent_.RemoveCallback(id_); }
  LinkedToken(const LinkedToken&) = delete;
  LinkedToken& operator=(const LinkedToken&) = delete;
  mcp::CancelToken& token() { return token_; }

 private:
  mcp::CancelToken parent_;
  mcp::CancelToken token_;
  int id_ = 0;
};

}  // namespace

class Interpreter::Engine {
 public:
  Engine(const ir::Module& module, const BuiltinTable& builtins, ToolInvoker& tools, Observer* observer,
         InterpreterOptions options)
      : module_(module), builtin_table_(builtins), tools_(tools), observer_(observer), options_(options) {}

  ErrorOr<void> Load() {
    builtins_.clear();
    for (const std::string& name : module_.builtins) {
      const BuiltinInfo* info = builtin_table_.Find(name);
      if (!info) return MakeError("load", fmt::format("the program calls an unknown built-in `{}`", name));
      builtins_.push_back(info);
    }
    for (const ir::Function& fn : module_.functions) {
      std::optional<Error> bad;
      ir::ForEachInstr(fn.body, [&](const Instr& instr) {
        if (bad || instr.op != Op::kCallBuiltin) return;
        const BuiltinInfo* info = builtins_[instr.imm];
        int n = static_cast<int>(instr.args.size());
        bool lambda_ok = (info->lambda_arity < 0) == (instr.lambda == nullptr) &&
                         (!instr.lambda || static_cast<int>(instr.lambda->params.size()) == info->lambda_arity);
        if (n < info->min_args || n > info->max_args || !lambda_ok) {
          bad = MakeError("load", fmt::format("`{}` is called with the wrong arguments: {}", info->name,
                                              info->signature));
        }
      });
      if (bad) return *bad;
    }
    // One slot per instruction caches the resolved tool of each call site. It relies on
    // Instr::id numbering each function's instructions 0..n-1; without that, no cache.
    slot_offsets_.clear();
    size_t total = 0;
    bool numbered = true;
    for (const ir::Function& fn : module_.functions) {
      slot_offsets_.push_back(total);
      ir::InstructionCount instructions = ir::CountInstructions(fn);
      numbered = numbered && instructions.numbered;
      total += instructions.count;
    }
    handle_slots_.reset();
    clear_after_.clear();
    instr_table_.clear();
    if (numbered) {
      instr_table_.resize(total);
      for (size_t fi = 0; fi < module_.functions.size(); ++fi) {
        ir::ForEachInstr(module_.functions[fi].body,
                         [&](const Instr& instr) { instr_table_[slot_offsets_[fi] + instr.id] = &instr; });
      }
      handle_slots_ = std::make_unique<std::atomic<const ToolInvoker::Handle*>[]>(total);
      for (size_t i = 0; i < total; ++i) handle_slots_[i].store(nullptr);
      clear_after_.resize(total);
      for (size_t fi = 0; fi < module_.functions.size(); ++fi) PlanClears(module_.functions[fi], slot_offsets_[fi]);
    }
    return {};
  }

  /// Finds registers that hold a value no later instruction needs: written once and read
  /// only in the block that wrote them. Each is cleared right after its last read, so a
  /// large intermediate value (a parsed file, a filtered list) is freed as soon as the
  /// next step has consumed it instead of when the workflow returns.
  void PlanClears(const ir::Function& fn, size_t base) {
    struct Use {
      int defs = 0;
      const ir::Block* def_block = nullptr;
      const ir::Block* read_block = nullptr;
      bool scattered = false;
      bool pinned = false;
      size_t last_slot = 0;
    };
    std::vector<Use> uses(fn.regs.size());
    auto read = [&](Reg r, const ir::Block* block, const Instr& instr) {
      if (r == kNoReg || r >= uses.size()) return;
      Use& u = uses[r];
      if (u.read_block && u.read_block != block) u.scattered = true;
      u.read_block = block;
      u.last_slot = base + instr.id;
    };
    std::function<void(const ir::Block&)> walk = [&](const ir::Block& block) {
      for (const Instr& instr : block.instrs) {
        for (Reg r : instr.args) read(r, &block, instr);
        if (instr.call) {
          const ir::CallPolicy& p = instr.call->policy;
          for (Reg r : {p.timeout, p.retry, p.backoff, p.cache}) read(r, &block, instr);
        }
        if (instr.dst != kNoReg && instr.dst < uses.size()) {
          uses[instr.dst].defs++;
          uses[instr.dst].def_block = &block;
          if (instr.op == Op::kForEach || instr.op == Op::kTry || instr.op == Op::kDefault) uses[instr.dst].pinned = true;
        }
        for (const ir::Block& nested : instr.blocks) walk(nested);
        if (instr.lambda) {
          for (Reg r : instr.lambda->params) {
            if (r < uses.size()) uses[r].pinned = true;
          }
          if (instr.lambda->result < uses.size()) uses[instr.lambda->result].pinned = true;
          walk(instr.lambda->body);
        }
      }
    };
    walk(fn.body);
    for (Reg r = static_cast<Reg>(fn.params.size()); r < uses.size(); ++r) {
      const Use& u = uses[r];
      if (u.pinned || u.scattered || u.defs != 1 || !u.read_block || u.read_block != u.def_block) continue;
      clear_after_[u.last_slot].push_back(r);
    }
  }

  RunResult Run(uint32_t index, std::vector<std::optional<Value>> args) {
    const ir::Function& fn = module_.functions[index];
    Frame frame;
    frame.fn = &fn;
    frame.slot_base = SlotBase(index);
    frame.regs.resize(fn.num_regs());
    frame.supplied.assign(fn.params.size(), 0);
    for (size_t i = 0; i < fn.params.size() && i < args.size(); ++i) {
      if (args[i]) {
        frame.regs[fn.params[i].reg] = std::move(*args[i]);
        frame.supplied[i] = 1;
      }
    }
    for (size_t i = 0; i < fn.params.size(); ++i) {
      const ir::Param& p = fn.params[i];
      if (!frame.supplied[i] && !p.has_default) {
        return MakeRuntimeError("argument", DiagKind::kMissingArgument, {fn.name, p.name, p.type_text}, p.span,
                                fmt::format("workflow `{}` needs the argument `{}`", fn.name, p.name));
      }
    }
    Strand strand;
    strand.frame = &frame;
    strand.cancel = root_cancel_;
    Flow flow = ExecBlock(fn.body, strand);
    if (flow != Flow::kError && !AwaitAll(strand)) flow = Flow::kError;
    if (flow == Flow::kError) {
      DrainAll(strand);
      return std::move(*strand.error);
    }
    return flow == Flow::kReturn ? std::move(strand.returned) : Value();
  }

  void Cancel() { root_cancel_.Cancel(); }

  // --- entry points for compiled code (runtime/jit/abi.def) ------------------------------

  /// The instruction `id` of function `fn`; null when the module's instructions are not
  /// numbered (compiled code is then never installed: see runtime/jit).
  const Instr* InstrAt(uint32_t fn, uint32_t id) const {
    if (fn >= slot_offsets_.size()) return nullptr;
    size_t slot = slot_offsets_[fn] + id;
    return slot < instr_table_.size() ? instr_table_[slot] : nullptr;
  }

  uint8_t NativeExec(Strand& s, uint32_t fn, uint32_t id) {
    const Instr* instr = InstrAt(fn, id);
    if (!instr) return static_cast<uint8_t>(Raise(s, BadEntry(fn, id)));
    return static_cast<uint8_t>(Exec(*instr, s));
  }

  uint8_t NativeAwaitArgs(Strand& s, uint32_t fn, uint32_t id) {
    if (s.pending.empty()) return 0;
    const Instr* instr = InstrAt(fn, id);
    if (!instr) return static_cast<uint8_t>(Raise(s, BadEntry(fn, id)));
    return AwaitArgs(s, *instr) ? 0 : static_cast<uint8_t>(Flow::kError);
  }

  uint8_t NativeAwaitAll(Strand& s) { return AwaitAll(s) ? 0 : static_cast<uint8_t>(Flow::kError); }

  uint8_t NativeCheckCancel(Strand& s, uint32_t fn, uint32_t id) {
    if (!s.cancel.cancelled()) return 0;
    const Instr* instr = InstrAt(fn, id);
    return static_cast<uint8_t>(Cancelled(s, instr ? instr->span : Span{}));
  }

  /// An error of the JIT's machinery rather than of the program.
  static RuntimeError InternalError(const std::string& message) {
    return MakeRuntimeError("internal", DiagKind::kRuntimeTypeError, {message}, Span{}, message);
  }

  /// The error for an entry point called with an instruction that does not exist: compiled
  /// code that does not belong to this module.
  static RuntimeError BadEntry(uint32_t fn, uint32_t id) {
    return InternalError(fmt::format("compiled code refers to instruction {} of function {}, which this program does "
                                     "not have (a stale JIT cache entry)",
                                     id, fn));
  }

  /// Turns an exception escaping an entry point into the strand's error: nothing may
  /// unwind through compiled frames.
  uint8_t InternalFailure(Strand& s, const char* what) {
    return static_cast<uint8_t>(Raise(s, InternalError(fmt::format("internal error in compiled code: {}", what))));
  }

  void UseMocks(MockTable* mocks) { mocks_ = mocks; }

 private:
  // --- errors ----------------------------------------------------------------------------

  Flow Raise(Strand& s, RuntimeError error) {
    if (!s.error) s.error = std::move(error);
    return Flow::kError;
  }
  Flow Raise(Strand& s, const Error& error, Span span, const std::string& what = "") {
    return Raise(s, FromError(error, span, what));
  }
  Flow Cancelled(Strand& s, Span span) {
    return Raise(s, MakeRuntimeError("cancelled", DiagKind::kInterrupted, {"the run was cancelled"}, span,
                                     "the run was cancelled"));
  }

  // --- calls in flight ---------------------------------------------------------------------

  /// Waits for the call writing `reg`, if any. False (error set) when it failed.
  bool Await(Strand& s, Reg reg) {
    for (size_t i = 0; i < s.pending.size(); ++i) {
      if (s.pending[i]->dst != reg) continue;
      std::unique_ptr<AsyncCall> call = std::move(s.pending[i]);
      s.pending.erase(s.pending.begin() + static_cast<ptrdiff_t>(i));
      return Finish(s, *call);
    }
    return true;
  }

  bool Finish(Strand& s, AsyncCall& call) {
    call.thread.join();
    if (!call.result) {
      Raise(s, call.result.error(), call.span, call.what);
      return false;
    }
    s.frame->regs[call.dst] = std::move(*call.result);
    return true;
  }

  /// Waits for every call in flight; the first failure wins.
  bool AwaitAll(Strand& s) {
    bool ok = true;
    while (!s.pending.empty()) {
      std::unique_ptr<AsyncCall> call = std::move(s.pending.front());
      s.pending.erase(s.pending.begin());
      if (!ok) {
        call->thread.join();
        continue;
      }
      ok = Finish(s, *call);
      if (!ok) s.cancel.Cancel();
    }
    return ok;
  }

  /// Joins calls in flight after an error, ignoring their results.
  void DrainAll(Strand& s) {
    for (auto& call : s.pending) call->thread.join();
    s.pending.clear();
  }

  bool AwaitArgs(Strand& s, const Instr& instr) {
    if (s.pending.empty()) return true;
    if (!instr.blocks.empty() || instr.lambda || instr.op == Op::kCallWorkflow || instr.op == Op::kReturn) {
      return AwaitAll(s);
    }
    for (Reg r : instr.args) {
      if (!Await(s, r)) return false;
    }
    if (instr.dst != kNoReg && !Await(s, instr.dst)) return false;
    if (instr.call) {
      const ir::CallPolicy& p = instr.call->policy;
      for (Reg r : {p.timeout, p.retry, p.backoff, p.cache}) {
        if (r != kNoReg && !Await(s, r)) return false;
      }
    }
    return true;
  }

  // --- blocks and instructions -------------------------------------------------------------

  Flow ExecBlock(const ir::Block& block, Strand& s) {
    if (options_.native) {
      if (NativeBlockFn native = options_.native->Find(block)) {
        return static_cast<Flow>(native(this, &s, s.frame->regs.data()));
      }
    }
    for (const Instr& instr : block.instrs) {
      Flow f = Exec(instr, s);
      if (f != Flow::kNext) return f;
    }
    return Flow::kNext;
  }

  Value& R(Strand& s, Reg r) { return s.frame->regs[r]; }

  template <typename Op2>
  Flow Binary(const Instr& instr, Strand& s, Op2 op) {
    ErrorOr<Value> v = op(R(s, instr.args[0]), R(s, instr.args[1]));
    if (!v) return Raise(s, v.error(), instr.span);
    R(s, instr.dst) = std::move(*v);
    return Flow::kNext;
  }

  Flow Compare(const Instr& instr, Strand& s, bool (*accept)(int)) {
    ErrorOr<int> c = CompareOrdered(R(s, instr.args[0]), R(s, instr.args[1]));
    if (!c) return Raise(s, c.error(), instr.span);
    R(s, instr.dst) = Value(accept(*c));
    return Flow::kNext;
  }

  Flow NeedBool(const Instr& instr, Strand& s, const Value& v, const char* what) {
    return Raise(s, MakeRuntimeError("runtime", DiagKind::kRuntimeTypeError, {}, instr.span,
                                     fmt::format("{} must be a bool, got {}", what, TypeName(v))));
  }

  Flow Exec(const Instr& instr, Strand& s) {
    Flow f = ExecOne(instr, s);
    if (f == Flow::kNext && !clear_after_.empty()) {
      for (Reg r : clear_after_[s.frame->slot_base + instr.id]) {
        if (r != instr.dst) s.frame->regs[r] = Value();
      }
    }
    return f;
  }

  Flow ExecOne(const Instr& instr, Strand& s) {
    if (!s.pending.empty() && !AwaitArgs(s, instr)) return Flow::kError;
    switch (instr.op) {
      case Op::kConst: R(s, instr.dst) = module_.constants[instr.imm]; return Flow::kNext;
      case Op::kMove: R(s, instr.dst) = R(s, instr.args[0]); return Flow::kNext;
      case Op::kMakeList: {
        List list;
        list.reserve(instr.args.size());
        for (Reg r : instr.args) list.push_back(R(s, r));
        R(s, instr.dst) = Value(std::move(list));
        return Flow::kNext;
      }
      case Op::kMakeRecord: {
        Record record;
        record.reserve(instr.args.size());
        for (size_t i = 0; i < instr.args.size(); ++i) record.Set(instr.names[i], R(s, instr.args[i]));
        R(s, instr.dst) = Value(std::move(record));
        return Flow::kNext;
      }
      case Op::kInterpolate: {
        std::string text;
        for (Reg r : instr.args) AppendDisplay(text, R(s, r));
        R(s, instr.dst) = Value(std::move(text));
        return Flow::kNext;
      }
      case Op::kAdd: return Binary(instr, s, Add);
      case Op::kSub: return Binary(instr, s, Subtract);
      case Op::kMul: return Binary(instr, s, Multiply);
      case Op::kDiv: return Binary(instr, s, Divide);
      case Op::kRem: return Binary(instr, s, Remainder);
      case Op::kNeg: {
        ErrorOr<Value> v = Negate(R(s, instr.args[0]));
        if (!v) return Raise(s, v.error(), instr.span);
        R(s, instr.dst) = std::move(*v);
        return Flow::kNext;
      }
      case Op::kNot: {
        const Value& v = R(s, instr.args[0]);
        if (!v.is_bool()) return NeedBool(instr, s, v, "the operand of `not`");
        R(s, instr.dst) = Value(!v.as_bool());
        return Flow::kNext;
      }
      case Op::kEq: R(s, instr.dst) = Value(R(s, instr.args[0]) == R(s, instr.args[1])); return Flow::kNext;
      case Op::kNe: R(s, instr.dst) = Value(!(R(s, instr.args[0]) == R(s, instr.args[1]))); return Flow::kNext;
      case Op::kLt: return Compare(instr, s, [](int c) { return c < 0; });
      case Op::kLe: return Compare(instr, s, [](int c) { return c <= 0; });
      case Op::kGt: return Compare(instr, s, [](int c) { return c > 0; });
      case Op::kGe: return Compare(instr, s, [](int c) { return c >= 0; });
      case Op::kIn: {
        ErrorOr<Value> v = Contains(R(s, instr.args[1]), R(s, instr.args[0]));
        if (!v) return Raise(s, v.error(), instr.span);
        R(s, instr.dst) = std::move(*v);
        return Flow::kNext;
      }
      case Op::kIsNull: R(s, instr.dst) = Value(R(s, instr.args[0]).is_null()); return Flow::kNext;
      case Op::kTruthy: {
        const Value& v = R(s, instr.args[0]);
        if (!v.is_bool()) return NeedBool(instr, s, v, "the condition");
        if (instr.dst != instr.args[0]) R(s, instr.dst) = v;
        return Flow::kNext;
      }
      case Op::kField:
      case Op::kOptField: return ExecField(instr, s);
      case Op::kIndex:
      case Op::kOptIndex: return ExecIndex(instr, s);
      case Op::kSetField: {
        const Value& obj = R(s, instr.args[0]);
        if (!obj.is_record()) {
          std::string message = fmt::format("cannot set field `{}` of {}", instr.names[0], ATypeName(obj));
          return Raise(s, MakeRuntimeError("runtime", obj.is_null() ? DiagKind::kNullAccess : DiagKind::kRuntimeTypeError,
                                           {obj.is_null() ? fmt::format("field `{}`", instr.names[0]) : message},
                                           instr.span, message));
        }
        Record updated = obj.as_record();
        updated.Set(instr.names[0], R(s, instr.args[1]));
        R(s, instr.dst) = Value(std::move(updated));
        return Flow::kNext;
      }
      case Op::kSetIndex: return ExecSetIndex(instr, s);
      case Op::kCallBuiltin: return ExecBuiltin(instr, s);
      case Op::kCallTool: return ExecTool(instr, s);
      case Op::kCallWorkflow: return ExecWorkflow(instr, s);
      case Op::kIf: {
        const Value& c = R(s, instr.args[0]);
        if (!c.is_bool()) return NeedBool(instr, s, c, "the condition of `if`");
        size_t branch = c.as_bool() ? 0 : 1;
        return branch < instr.blocks.size() ? ExecBlock(instr.blocks[branch], s) : Flow::kNext;
      }
      case Op::kForEach: return ExecFor(instr, s);
      case Op::kParallel: return ExecParallel(instr, s);
      case Op::kTry: return ExecTry(instr, s);
      case Op::kDefault: {
        if (instr.dst < s.frame->supplied.size() && s.frame->supplied[instr.dst]) return Flow::kNext;
        return ExecBlock(instr.blocks[0], s);
      }
      case Op::kReturn:
        if (!AwaitAll(s)) return Flow::kError;
        s.returned = instr.args.empty() ? Value() : R(s, instr.args[0]);
        return Flow::kReturn;
      case Op::kFail: {
        std::string message = DisplayString(R(s, instr.args[0]));
        return Raise(s, MakeRuntimeError("fail", DiagKind::kWorkflowFailed, {message}, instr.span, message));
      }
      case Op::kLog:
        if (observer_) observer_->OnLog(DisplayString(R(s, instr.args[0])), instr.span);
        return Flow::kNext;
      case Op::kAssert: {
        const Value& c = R(s, instr.args[0]);
        if (!c.is_bool()) return NeedBool(instr, s, c, "the condition of `assert`");
        if (c.as_bool()) return Flow::kNext;
        std::string message;
        if (!instr.names.empty() && instr.names[0] == "compare" && instr.args.size() >= 3) {
          // `assert a == b`: both sides, as JSON so strings show their quotes.
          std::string sides = fmt::format("`left {} right` is false; left: {}, right: {}", instr.names[1],
                                          ToJson(R(s, instr.args[1])), ToJson(R(s, instr.args[2])));
          message = instr.args.size() > 3 ? fmt::format("{} ({})", DisplayString(R(s, instr.args[3])), sides) : sides;
        } else {
          message = instr.args.size() > 1 ? DisplayString(R(s, instr.args[1])) : "the condition is false";
        }
        return Raise(s, MakeRuntimeError("assert", DiagKind::kAssertionFailed, {message}, instr.span, message));
      }
      case Op::kMock: return ExecMock(instr, s);
      case Op::kCallLog: {
        if (!mocks_) return NotInTest(instr, s);
        List calls = mocks_->Calls(MockTargetName(instr));
        if (!instr.names.empty() && instr.names[0] == "count") {
          R(s, instr.dst) = Value(static_cast<int64_t>(calls.size()));
        } else {
          R(s, instr.dst) = Value(std::move(calls));
        }
        return Flow::kNext;
      }
    }
    return Flow::kNext;
  }

  Flow ExecField(const Instr& instr, Strand& s) {
    const Value& obj = R(s, instr.args[0]);
    const std::string& name = instr.names[0];
    bool optional = instr.op == Op::kOptField;
    if (const Value* field = obj.Find(name)) {
      R(s, instr.dst) = *field;
      return Flow::kNext;
    }
    if (optional) {
      R(s, instr.dst) = Value();
      return Flow::kNext;
    }
    if (obj.is_null()) {
      return Raise(s, MakeRuntimeError("runtime", DiagKind::kNullAccess, {fmt::format("field `{}`", name)},
                                       instr.span, fmt::format("cannot read field `{}` of null", name)));
    }
    if (!obj.is_record()) {
      std::string message = fmt::format("cannot read field `{}` of {}", name, ATypeName(obj));
      return Raise(s, MakeRuntimeError("runtime", DiagKind::kRuntimeTypeError, {message}, instr.span, message));
    }
    return Raise(s, MissingFieldError(obj.as_record(), name, instr.span));
  }

  Flow ExecIndex(const Instr& instr, Strand& s) {
    const Value& obj = R(s, instr.args[0]);
    const Value& index = R(s, instr.args[1]);
    bool optional = instr.op == Op::kOptIndex;
    if (obj.is_null()) {
      if (optional) {
        R(s, instr.dst) = Value();
        return Flow::kNext;
      }
      return Raise(s, MakeRuntimeError("runtime", DiagKind::kNullAccess, {fmt::format("index {}", DisplayString(index))},
                                       instr.span, "cannot index null"));
    }
    if (obj.is_list() && index.is_int()) {
      const List& list = obj.as_list();
      int64_t i = index.as_int();
      int64_t n = static_cast<int64_t>(list.size());
      int64_t at = i < 0 ? i + n : i;
      if (at < 0 || at >= n) {
        if (optional) {
          R(s, instr.dst) = Value();
          return Flow::kNext;
        }
        return Raise(s, MakeRuntimeError("runtime", DiagKind::kIndexOutOfRange, {std::to_string(i), fmt::format("a list of {} elements", n)},
                                         instr.span, fmt::format("index {} is out of range for a list of {} elements", i, n)));
      }
      R(s, instr.dst) = list[static_cast<size_t>(at)];
      return Flow::kNext;
    }
    if (obj.is_string() && index.is_int()) {
      // Strings index by character (UTF-8 code point), like `len` counts them.
      const std::string& text = obj.as_string();
      std::vector<size_t> starts;
      for (size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) starts.push_back(i);
      }
      int64_t n = static_cast<int64_t>(starts.size());
      int64_t at = index.as_int() < 0 ? index.as_int() + n : index.as_int();
      if (at < 0 || at >= n) {
        if (optional) {
          R(s, instr.dst) = Value();
          return Flow::kNext;
        }
        return Raise(s, MakeRuntimeError("runtime", DiagKind::kIndexOutOfRange,
                                         {std::to_string(index.as_int()), fmt::format("a string of {} characters", n)}, instr.span,
                                         fmt::format("index {} is out of range for a string of {} characters",
                                                     index.as_int(), n)));
      }
      size_t begin = starts[static_cast<size_t>(at)];
      size_t end = static_cast<size_t>(at) + 1 < starts.size() ? starts[static_cast<size_t>(at) + 1] : text.size();
      R(s, instr.dst) = Value(text.substr(begin, end - begin));
      return Flow::kNext;
    }
    if (obj.is_record() && index.is_string()) {
      if (const Value* field = obj.Find(index.as_string())) {
        R(s, instr.dst) = *field;
        return Flow::kNext;
      }
      if (optional) {
        R(s, instr.dst) = Value();
        return Flow::kNext;
      }
      return Raise(s, MissingFieldError(obj.as_record(), index.as_string(), instr.span));
    }
    std::string message = fmt::format("cannot index {} with {}", ATypeName(obj), ATypeName(index));
    return Raise(s, MakeRuntimeError("runtime", DiagKind::kRuntimeTypeError, {message}, instr.span, message));
  }

  Flow ExecSetIndex(const Instr& instr, Strand& s) {
    const Value& obj = R(s, instr.args[0]);
    const Value& index = R(s, instr.args[1]);
    if (obj.is_list() && index.is_int()) {
      int64_t n = static_cast<int64_t>(obj.as_list().size());
      int64_t at = index.as_int() < 0 ? index.as_int() + n : index.as_int();
      if (at < 0 || at >= n) {
        return Raise(s, MakeRuntimeError("runtime", DiagKind::kIndexOutOfRange,
                                         {std::to_string(index.as_int()), fmt::format("a list of {} elements", n)},
                                         instr.span, fmt::format("index {} is out of range for a list of {} elements",
                                                     index.as_int(), n)));
      }
      List updated = obj.as_list();
      updated[static_cast<size_t>(at)] = R(s, instr.args[2]);
      R(s, instr.dst) = Value(std::move(updated));
      return Flow::kNext;
    }
    if (obj.is_record() && index.is_string()) {
      Record updated = obj.as_record();
      updated.Set(index.as_string(), R(s, instr.args[2]));
      R(s, instr.dst) = Value(std::move(updated));
      return Flow::kNext;
    }
    std::string message = fmt::format("cannot assign into {} with {} index", ATypeName(obj), ATypeName(index));
    return Raise(s, MakeRuntimeError("runtime", DiagKind::kRuntimeTypeError, {message}, instr.span, message));
  }

  /// A lambda argument: runs its body in the calling strand's frame.
  class LambdaCallable final : public Callable {
   public:
    LambdaCallable(Engine& engine, Strand& strand, const ir::Lambda& lambda)
        : engine_(engine), strand_(strand), lambda_(lambda) {}
    ErrorOr<Value> Call(std::span<const Value> args) const override {
      auto& regs = strand_.frame->regs;
      for (size_t i = 0; i < lambda_.params.size() && i < args.size(); ++i) regs[lambda_.params[i]] = args[i];
      Flow f = engine_.ExecBlock(lambda_.body, strand_);
      if (f == Flow::kNext && !strand_.pending.empty() && !engine_.AwaitAll(strand_)) f = Flow::kError;
      if (f == Flow::kError) return MakeError(strand_.error->kind, strand_.error->message);
      return regs[lambda_.result];
    }
    int arity() const override { return static_cast<int>(lambda_.params.size()); }

   private:
    Engine& engine_;
    Strand& strand_;
    const ir::Lambda& lambda_;
  };

  Flow ExecBuiltin(const Instr& instr, Strand& s) {
    const BuiltinInfo* info = builtins_[instr.imm];
    Value args_storage[4];
    std::vector<Value> many;
    std::span<const Value> args;
    if (instr.args.size() <= 4) {
      for (size_t i = 0; i < instr.args.size(); ++i) args_storage[i] = R(s, instr.args[i]);
      args = std::span<const Value>(args_storage, instr.args.size());
    } else {
      for (Reg r : instr.args) many.push_back(R(s, r));
      args = many;
    }
    ErrorOr<Value> result{Value()};
    if (instr.lambda) {
      LambdaCallable fn(*this, s, *instr.lambda);
      result = info->fn(args, &fn);
    } else {
      result = info->fn(args, nullptr);
    }
    if (!result) {
      if (s.error) return Flow::kError;  // the lambda failed; keep its own location
      return Raise(s, result.error(), instr.span);
    }
    R(s, instr.dst) = std::move(*result);
    return Flow::kNext;
  }

  ErrorOr<std::optional<std::chrono::milliseconds>> DurationOf(Strand& s, Reg r, const char* key) {
    if (r == kNoReg) return std::optional<std::chrono::milliseconds>();
    const Value& v = R(s, r);
    if (!v.is_int() || v.as_int() < 0) {
      return MakeError("runtime", fmt::format("the `{}` policy must be a duration such as 10s, got {}", key,
                                              DisplayString(v)));
    }
    return std::optional<std::chrono::milliseconds>(std::chrono::milliseconds(v.as_int()));
  }

  bool AgentAllows(const ir::Function& fn, const ir::ToolCall& call) const {
    if (fn.agent == ir::kNone) return true;
    for (const ir::ToolPattern& p : module_.agents[fn.agent].uses) {
      if (p.server == call.server && (p.tool.empty() || p.tool == call.tool)) return true;
    }
    return false;
  }

  size_t SlotBase(uint32_t function) const {
    return function < slot_offsets_.size() ? slot_offsets_[function] : 0;
  }

  /// The handle resolved earlier for this call site, or nullptr.
  const ToolInvoker::Handle* CachedHandle(const Instr& instr, const Strand& s) const {
    if (!handle_slots_) return nullptr;
    return handle_slots_[s.frame->slot_base + instr.id].load(std::memory_order_acquire);
  }
  void StoreHandle(const Instr& instr, const Strand& s, const ToolInvoker::Handle* handle) {
    if (!handle_slots_) return;
    handle_slots_[s.frame->slot_base + instr.id].store(handle, std::memory_order_release);
  }

  Flow ExecTool(const Instr& instr, Strand& s) {
    const ir::ToolCall& call = *instr.call;
    const ir::Server& server = module_.servers[call.server];
    auto what = [&] { return fmt::format("{}.{}", server.alias, call.tool); };
    if (s.cancel.cancelled()) return Cancelled(s, instr.span);
    if (!AgentAllows(*s.frame->fn, call)) {
      const std::string& agent = module_.agents[s.frame->fn->agent].name;
      return Raise(s, MakeRuntimeError("permission", DiagKind::kToolNotAllowed, {agent, what()}, instr.span,
                                       fmt::format("agent `{}` may not call `{}`", agent, what())));
    }
    Record arguments;
    arguments.reserve(instr.args.size());
    for (size_t i = 0; i < instr.args.size(); ++i) arguments.Set(call.arg_names[i], R(s, instr.args[i]));

    CallPolicyValues policy;
    auto timeout = DurationOf(s, call.policy.timeout, "timeout");
    auto backoff = DurationOf(s, call.policy.backoff, "backoff");
    auto cache = DurationOf(s, call.policy.cache, "cache");
    for (auto* d : {&timeout, &backoff, &cache}) {
      if (!*d) return Raise(s, d->error(), instr.span);
    }
    policy.timeout = *timeout;
    policy.backoff = backoff->value_or(std::chrono::milliseconds(0));
    policy.cache_ttl = *cache;
    if (call.policy.retry != kNoReg) {
      const Value& retry = R(s, call.policy.retry);
      if (!retry.is_int() || retry.as_int() < 0 || retry.as_int() > 100) {
        return Raise(s, MakeError("runtime", fmt::format("the `retry` policy must be a count from 0 to 100, got {}",
                                                         DisplayString(retry))),
                     instr.span);
      }
      policy.retries = static_cast<int>(retry.as_int());
    }

    if (mocks_) return ExecMockedCall(instr, s, what(), Value(std::move(arguments)));

    const ToolInvoker::Handle* tool = CachedHandle(instr, s);
    if (!tool) {
      auto resolved = tools_.Resolve(server.config_name, call.tool, server.alias);
      if (!resolved) return Raise(s, resolved.error(), instr.span, what());
      tool = *resolved;
      StoreHandle(instr, s, tool);
    }
    bool read_only = tool->facts.read_only;
    if (!read_only || !instr.can_overlap || options_.sequential) {
      // Effects stay in program order: a side-effecting call waits for all calls in flight.
      if (!read_only && !AwaitAll(s)) return Flow::kError;
      ErrorOr<Value> result = tools_.Call(*tool, Value(std::move(arguments)), policy, instr.span, s.cancel);
      if (!result) return Raise(s, result.error(), instr.span, tool->what);
      if (instr.dst != kNoReg) R(s, instr.dst) = std::move(*result);
      return Flow::kNext;
    }
    auto async = std::make_unique<AsyncCall>();
    async->dst = instr.dst;
    async->span = instr.span;
    async->what = tool->what;
    AsyncCall* raw = async.get();
    mcp::CancelToken cancel = s.cancel;
    raw->thread = std::thread([this, raw, tool, args = Value(std::move(arguments)), policy, cancel] {
      raw->result = tools_.Call(*tool, args, policy, raw->span, cancel);
    });
    s.pending.push_back(std::move(async));
    return Flow::kNext;
  }

  Flow ExecWorkflow(const Instr& instr, Strand& s) {
    const ir::Function& callee = module_.functions[instr.imm];
    if (s.cancel.cancelled()) return Cancelled(s, instr.span);
    if (s.frame->depth + 1 >= options_.max_call_depth) {
      std::string chain = fmt::format("{} → {} → …", s.frame->fn->name, callee.name);
      return Raise(s, MakeRuntimeError("recursion", DiagKind::kRecursionTooDeep,
                                       {std::to_string(options_.max_call_depth), chain}, instr.span,
                                       fmt::format("workflow calls nested deeper than {}", options_.max_call_depth)));
    }
    if (mocks_) {
      Record arguments;
      for (size_t i = 0; i < callee.params.size() && i < instr.args.size(); ++i) {
        if (instr.args[i] != kNoReg) arguments.Set(callee.params[i].name, R(s, instr.args[i]));
      }
      if (mocks_->Has(callee.name)) return ExecMockedCall(instr, s, callee.name, Value(std::move(arguments)));
      mocks_->RecordCall(callee.name, Value(std::move(arguments)));
    }
    Frame frame;
    frame.fn = &callee;
    frame.slot_base = SlotBase(instr.imm);
    frame.depth = s.frame->depth + 1;
    frame.regs.resize(callee.num_regs());
    frame.supplied.assign(callee.params.size(), 0);
    for (size_t i = 0; i < callee.params.size() && i < instr.args.size(); ++i) {
      if (instr.args[i] == kNoReg) continue;
      frame.regs[callee.params[i].reg] = R(s, instr.args[i]);
      frame.supplied[i] = 1;
    }
    Strand inner;
    inner.frame = &frame;
    inner.cancel = s.cancel;
    Flow f = ExecBlock(callee.body, inner);
    if (f != Flow::kError && !AwaitAll(inner)) f = Flow::kError;
    if (f == Flow::kError) {
      DrainAll(inner);
      RuntimeError error = std::move(*inner.error);
      error.call_sites.push_back(instr.span);
      return Raise(s, std::move(error));
    }
    if (instr.dst != kNoReg) R(s, instr.dst) = f == Flow::kReturn ? std::move(inner.returned) : Value();
    return Flow::kNext;
  }

  // --- tests -------------------------------------------------------------------------------

  /// "server.tool" (the program's name for the server) or the workflow's name.
  std::string MockTargetName(const Instr& instr) const {
    if (instr.call) return fmt::format("{}.{}", module_.servers[instr.call->server].alias, instr.call->tool);
    return instr.imm < module_.functions.size() ? module_.functions[instr.imm].name : "";
  }

  Flow NotInTest(const Instr& instr, Strand& s) {
    std::string message = "`mock` and `calls` work only while `orchestrator test` runs a test";
    return Raise(s, MakeRuntimeError("runtime", DiagKind::kRuntimeTypeError, {message}, instr.span, message));
  }

  Flow ExecMock(const Instr& instr, Strand& s) {
    if (!mocks_) return NotInTest(instr, s);
    Record pattern;
    for (size_t i = 0; i < instr.names.size() && i < instr.args.size(); ++i) pattern.Set(instr.names[i], R(s, instr.args[i]));
    MockReply reply;
    reply.span = instr.span;
    if (instr.lambda) {
      // The function runs in the test's frame (which outlives every call the test makes),
      // one call at a time: parallel branches may reach the same mock.
      Frame* frame = s.frame;
      const ir::Lambda* lambda = instr.lambda.get();
      mcp::CancelToken cancel = s.cancel;
      reply.compute = [this, frame, lambda, cancel](const Value& arguments) -> ErrorOr<Value> {
        std::lock_guard lock(mock_lambda_mutex_);
        if (!lambda->params.empty()) frame->regs[lambda->params[0]] = arguments;
        Strand strand;
        strand.frame = frame;
        strand.cancel = cancel;
        Flow f = ExecBlock(lambda->body, strand);
        if (f == Flow::kNext && !AwaitAll(strand)) f = Flow::kError;
        if (f == Flow::kError) {
          DrainAll(strand);
          return MakeError(strand.error->kind, strand.error->message);
        }
        return frame->regs[lambda->result];
      };
    } else {
      reply.value = R(s, instr.args.back());
    }
    mocks_->Add(MockTargetName(instr), Value(std::move(pattern)), std::move(reply));
    return Flow::kNext;
  }

  /// Answers a tool or workflow call from the mocks: records it, finds the reply, and turns
  /// a ToolResult with `is_error: true` (what `error("…")` makes) into a tool error.
  Flow ExecMockedCall(const Instr& instr, Strand& s, const std::string& target, const Value& arguments) {
    if (s.cancel.cancelled()) return Cancelled(s, instr.span);
    mocks_->RecordCall(target, arguments);
    MockReply reply;
    switch (mocks_->Find(target, arguments, &reply)) {
      case MockLookup::kFound: break;
      case MockLookup::kNotMocked: {
        std::string message = fmt::format("`{}` is called but this test does not mock it", target);
        RuntimeError e = MakeRuntimeError("test", DiagKind::kUnmockedCall, {target}, instr.span, message);
        return Raise(s, std::move(e));
      }
      case MockLookup::kNoMatch: {
        std::string args = fmt::format("{} (the mocks expect {})", ToJson(arguments),
                                       fmt::join(mocks_->Patterns(target), " or "));
        std::string message = fmt::format("no mock of `{}` matches the arguments {}", target, args);
        return Raise(s, MakeRuntimeError("test", DiagKind::kNoMockMatches, {target, args}, instr.span, message));
      }
    }
    Value value = reply.value;
    if (reply.compute) {
      ErrorOr<Value> computed = reply.compute(arguments);
      if (!computed) return Raise(s, computed.error(), instr.span, target);
      value = std::move(*computed);
    }
    if (value.is_record()) {
      const Value* is_error = value.Find("is_error");
      if (is_error && is_error->is_bool() && is_error->as_bool() && value.Find("content")) {
        const Value* text = value.Find("text");
        std::string message = text && text->is_string() ? text->as_string() : "the mock reported an error";
        if (!instr.call) {
          // A mocked workflow failing behaves like `fail "message"` inside it.
          RuntimeError e = MakeRuntimeError("fail", DiagKind::kWorkflowFailed, {message}, instr.span, message);
          return Raise(s, std::move(e));
        }
        return Raise(s, MakeError("tool", message), instr.span, target);
      }
    }
    if (instr.dst != kNoReg) R(s, instr.dst) = std::move(value);
    return Flow::kNext;
  }

  Flow ExecFor(const Instr& instr, Strand& s) {
    const Value iterable = R(s, instr.args[0]);
    if (!iterable.is_list()) {
      std::string message = fmt::format("`for` needs a list, got {}{}", TypeName(iterable),
                                        iterable.is_record() ? " (use `entries(r)` to loop over a record)" : "");
      return Raise(s, MakeRuntimeError("runtime", DiagKind::kRuntimeTypeError, {message}, instr.span, message));
    }
    const List& items = iterable.as_list();
    bool parallel = instr.args.size() > 1 && instr.args[1] != kNoReg && !options_.sequential;
    if (!parallel || items.size() <= 1) {
      for (const Value& item : items) {
        if (s.cancel.cancelled()) return Cancelled(s, instr.span);
        R(s, instr.dst) = item;
        Flow f = ExecBlock(instr.blocks[0], s);
        if (f == Flow::kNext && !AwaitAll(s)) f = Flow::kError;
        if (f != Flow::kNext) return f;
      }
      return Flow::kNext;
    }
    const Value& limit_value = R(s, instr.args[1]);
    int64_t limit = options_.default_parallel_limit;
    if (!limit_value.is_null()) {
      if (!limit_value.is_int() || limit_value.as_int() < 1) {
        std::string message =
            fmt::format("`parallel(limit: …)` needs a positive int, got {}", DisplayString(limit_value));
        return Raise(s, MakeRuntimeError("runtime", DiagKind::kRuntimeTypeError, {message}, instr.span, message));
      }
      limit = limit_value.as_int();
    }
    if (!AwaitAll(s)) return Flow::kError;
    size_t workers = static_cast<size_t>(std::min<int64_t>(limit, static_cast<int64_t>(items.size())));
    LinkedToken group(s.cancel);
    std::atomic<size_t> next{0};
    std::mutex mutex;
    std::optional<RuntimeError> first_error;
    std::optional<Value> returned;
    // Each worker gets its own frame holding only the registers the body touches: the rest
    // of the frame may be written concurrently by sibling `parallel` branches.
    std::vector<Reg> used = UsedRegs(instr.blocks[0]);
    auto work = [&] {
      Frame copy;
      copy.fn = s.frame->fn;
      copy.slot_base = s.frame->slot_base;
      copy.depth = s.frame->depth;
      copy.supplied = s.frame->supplied;
      copy.regs.resize(s.frame->regs.size());
      for (Reg r : used) copy.regs[r] = s.frame->regs[r];
      Strand strand;
      strand.frame = &copy;
      strand.cancel = group.token();
      while (true) {
        size_t i = next.fetch_add(1);
        if (i >= items.size() || group.token().cancelled()) break;
        copy.regs[instr.dst] = items[i];
        Flow f = ExecBlock(instr.blocks[0], strand);
        if (f == Flow::kNext && !AwaitAll(strand)) f = Flow::kError;
        if (f == Flow::kNext) continue;
        DrainAll(strand);
        std::lock_guard lock(mutex);
        if (f == Flow::kError && !first_error && strand.error->kind != "cancelled") first_error = std::move(strand.error);
        if (f == Flow::kReturn && !returned) returned = std::move(strand.returned);
        group.token().Cancel();
        break;
      }
    };
    RunConcurrently(workers, work);
    if (first_error) return Raise(s, std::move(*first_error));
    if (s.cancel.cancelled()) return Cancelled(s, instr.span);
    if (returned) {
      s.returned = std::move(*returned);
      return Flow::kReturn;
    }
    return Flow::kNext;
  }

  /// Every register read or written inside `block` (nested blocks and lambdas included).
  static std::vector<Reg> UsedRegs(const ir::Block& block) {
    std::vector<Reg> regs;
    auto add = [&](Reg r) {
      if (r != kNoReg) regs.push_back(r);
    };
    ir::ForEachInstr(block, [&](const Instr& instr) {
      add(instr.dst);
      for (Reg r : instr.args) add(r);
      if (instr.call) {
        const ir::CallPolicy& p = instr.call->policy;
        for (Reg r : {p.timeout, p.retry, p.backoff, p.cache}) add(r);
      }
      if (instr.lambda) {
        for (Reg r : instr.lambda->params) add(r);
        add(instr.lambda->result);
      }
    });
    std::sort(regs.begin(), regs.end());
    regs.erase(std::unique(regs.begin(), regs.end()), regs.end());
    return regs;
  }

  /// Runs `work` on `n` threads (the last on the calling thread) and waits for all.
  template <typename F>
  static void RunConcurrently(size_t n, F& work) {
    std::vector<std::thread> threads;
    threads.reserve(n);
    for (size_t i = 1; i < n; ++i) threads.emplace_back([&work] { work(); });
    work();
    for (auto& t : threads) t.join();
  }

  Flow ExecParallel(const Instr& instr, Strand& s) {
    if (!AwaitAll(s)) return Flow::kError;
    if (options_.sequential || instr.blocks.size() <= 1) {
      for (const ir::Block& branch : instr.blocks) {
        Flow f = ExecBlock(branch, s);
        if (f == Flow::kNext && !AwaitAll(s)) f = Flow::kError;
        if (f != Flow::kNext) return f;
      }
      return Flow::kNext;
    }
    LinkedToken group(s.cancel);
    std::mutex mutex;
    std::optional<RuntimeError> first_error;
    std::optional<Value> returned;
    std::atomic<size_t> next{0};
    auto work = [&] {
      size_t i = next.fetch_add(1);
      Strand strand;
      strand.frame = s.frame;  // branches write disjoint registers
      strand.cancel = group.token();
      Flow f = ExecBlock(instr.blocks[i], strand);
      if (f == Flow::kNext && !AwaitAll(strand)) f = Flow::kError;
      if (f == Flow::kNext) return;
      DrainAll(strand);
      std::lock_guard lock(mutex);
      if (f == Flow::kError && !first_error && strand.error->kind != "cancelled") first_error = std::move(strand.error);
      if (f == Flow::kReturn && !returned) returned = std::move(strand.returned);
      group.token().Cancel();
    };
    RunConcurrently(instr.blocks.size(), work);
    if (s.cancel.cancelled()) return Cancelled(s, instr.span);
    if (first_error) return Raise(s, std::move(*first_error));
    if (returned) {
      s.returned = std::move(*returned);
      return Flow::kReturn;
    }
    return Flow::kNext;
  }

  Flow ExecTry(const Instr& instr, Strand& s) {
    if (!AwaitAll(s)) return Flow::kError;
    Flow f = ExecBlock(instr.blocks[0], s);
    if (f == Flow::kNext && !AwaitAll(s)) f = Flow::kError;
    if (f != Flow::kError) return f;
    DrainAll(s);
    // Cancellation is not an error the program can handle: it must unwind.
    if (s.error->kind == "cancelled" || s.cancel.cancelled()) return Flow::kError;
    RuntimeError error = std::move(*s.error);
    s.error.reset();
    if (instr.dst != kNoReg) {
      R(s, instr.dst) = Value(Record{{"kind", Value(error.kind)},
                                     {"message", Value(error.message)},
                                     {"code", Value(std::string(compiler::InfoOf(error.diag).code))}});
    }
    return instr.blocks.size() > 1 ? ExecBlock(instr.blocks[1], s) : Flow::kNext;
  }

  const ir::Module& module_;
  const BuiltinTable& builtin_table_;
  ToolInvoker& tools_;
  Observer* observer_;
  InterpreterOptions options_;
  std::vector<const BuiltinInfo*> builtins_;
  std::vector<size_t> slot_offsets_;
  /// Per instruction slot: registers to clear after it (see PlanClears).
  std::vector<std::vector<Reg>> clear_after_;
  std::unique_ptr<std::atomic<const ToolInvoker::Handle*>[]> handle_slots_;
  /// Per instruction slot: the instruction (entry points find theirs by function and id).
  std::vector<const Instr*> instr_table_;
  mcp::CancelToken root_cancel_;
  MockTable* mocks_ = nullptr;
  std::recursive_mutex mock_lambda_mutex_;
};

Interpreter::Interpreter(const ir::Module& module, const BuiltinTable& builtins, ToolInvoker& tools,
                         Observer* observer, InterpreterOptions options)
    : engine_(std::make_unique<Engine>(module, builtins, tools, observer, options)) {}
Interpreter::~Interpreter() = default;
ErrorOr<void> Interpreter::Load() { return engine_->Load(); }
RunResult Interpreter::Run(uint32_t index, std::vector<std::optional<Value>> args) {
  return engine_->Run(index, std::move(args));
}
void Interpreter::Cancel() { engine_->Cancel(); }
void Interpreter::UseMocks(MockTable* mocks) { engine_->UseMocks(mocks); }

}  // namespace orch::interp

// --- entry points for compiled code (runtime/jit/abi.def) -----------------------------------

#define ORCH_JIT_ENTRY(Name, Ret, Params) extern "C" Ret Name Params noexcept;
#include "runtime/jit/abi.def"

namespace {
using orch::interp::Interpreter;
Interpreter::Engine& EngineOf(void* engine) { return *static_cast<Interpreter::Engine*>(engine); }
Interpreter::Strand& StrandOf(void* strand) { return *static_cast<Interpreter::Strand*>(strand); }

template <typename F>
uint8_t Guarded(void* engine, void* strand, F&& body) noexcept {
  try {
    return body();
  } catch (const std::exception& e) {
    return EngineOf(engine).InternalFailure(StrandOf(strand), e.what());
  } catch (...) {
    return EngineOf(engine).InternalFailure(StrandOf(strand), "unknown exception");
  }
}
}  // namespace

extern "C" uint8_t orch_rt_exec(void* engine, void* strand, uint32_t fn, uint32_t id) noexcept {
  return Guarded(engine, strand, [&] { return EngineOf(engine).NativeExec(StrandOf(strand), fn, id); });
}

extern "C" uint8_t orch_rt_await_args(void* engine, void* strand, uint32_t fn, uint32_t id) noexcept {
  return Guarded(engine, strand, [&] { return EngineOf(engine).NativeAwaitArgs(StrandOf(strand), fn, id); });
}

extern "C" uint8_t orch_rt_await_all(void* engine, void* strand) noexcept {
  return Guarded(engine, strand, [&] { return EngineOf(engine).NativeAwaitAll(StrandOf(strand)); });
}

extern "C" uint8_t orch_rt_check_cancel(void* engine, void* strand, uint32_t fn, uint32_t id) noexcept {
  return Guarded(engine, strand, [&] { return EngineOf(engine).NativeCheckCancel(StrandOf(strand), fn, id); });
}

extern "C" void orch_rt_store_int(orch::Value* slot, int64_t value) noexcept { *slot = orch::Value(value); }
