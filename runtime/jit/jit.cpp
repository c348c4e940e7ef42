// The LLVM side of the JIT (see jit.h): the ORC LLJIT session, the optimisation pipeline,
// machine code generation, the object cache, and the binding of the runtime entry points
// of abi.def. This file, the object cache and compiler/codegen make up the loadable module
// `orchestrator-jit.so` (see module_api.h); its one export is at the bottom. The steps of
// Compile:
//   1. Key the program: a hash of its IR dump, the compiler's version and commit, the LLVM
//      version and the host CPU.
//   2. Load the cached object for the key, or lower (compiler/codegen), optimise (O2) and
//      emit an object file, then cache it.
//   3. Link the object into a fresh LLJIT whose `orch_rt` dylib defines exactly the entry
//      points of abi.def (and the few C library functions generated code may call).
//   4. Look up every block's function and hand the addresses to the interpreter.
#include <fmt/format.h>
#include <llvm/Config/llvm-config.h>
#include <llvm/ExecutionEngine/Orc/CompileUtils.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>

#include <algorithm>
#include <time.h>

#include <chrono>
#include <cstring>
#include <new>
#include <mutex>

#include "compiler/codegen/lower_to_llvm.h"
#include "orch_version.h"
#include "runtime/jit/module_api.h"
#include "runtime/jit/object_cache.h"

namespace orch::jit {
namespace {

/// The binary's services, set when it loads the module.
const HostServices* host = nullptr;

/// Bumped whenever lowering changes in a way the IR dump would not show.
constexpr const char* kCodegenVersion = "codegen-3";

using Clock = std::chrono::steady_clock;
double MsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

/// CPU time used by the calling thread, in milliseconds.
double ThreadCpuMs() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

Error JitError(const std::string& message) { return MakeError("jit", message); }
Error JitError(const std::string& what, llvm::Error error) {
  return JitError(fmt::format("{}: {}", what, llvm::toString(std::move(error))));
}

/// Initialises LLVM's native target once, and checks that orch::Value has the layout the
/// generated code assumes (kind byte at 0, payload at 8).
ErrorOr<void> InitializeOnce() {
  static std::once_flag once;
  static std::optional<Error> failure;
  std::call_once(once, [] {
    if (llvm::InitializeNativeTarget() || llvm::InitializeNativeTargetAsmPrinter()) {
      failure = JitError("LLVM has no code generator for this machine");
      return;
    }
    // An int Value owns nothing, so the probe is never destroyed: ~Value's out-of-line
    // path is in the binary, which the module does not link.
    alignas(Value) unsigned char storage[sizeof(Value)];
    const Value* probe = new (storage) Value(int64_t{0x1122334455667788});
    unsigned char bytes[sizeof(Value)];
    std::memcpy(bytes, static_cast<const void*>(probe), sizeof bytes);
    int64_t payload = 0;
    std::memcpy(&payload, bytes + 8, sizeof payload);
    if (bytes[0] != static_cast<unsigned char>(Value::Kind::kInt) || payload != 0x1122334455667788) {
      failure = JitError("orch::Value does not have the layout compiled code assumes");
    }
  });
  if (failure) return *failure;
  return {};
}

/// When more IR instructions than this are compiled, they are compiled without
/// optimisation (no IR passes, LLVM's fast instruction selector): LLVM's O2 costs more than
/// linear time in the amount of code (a 1,000-step workflow's 64 loop and lambda bodies
/// took 300 ms of CPU at O2 and 80 ms without), while the loops that profit from it are small.
constexpr size_t kOptimizeBudget = 150;

ErrorOr<llvm::orc::JITTargetMachineBuilder> DescribeHost() {
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder) return JitError("cannot describe this machine to LLVM", builder.takeError());
  return std::move(*builder);
}

ErrorOr<std::unique_ptr<llvm::TargetMachine>> HostTargetMachine(llvm::orc::JITTargetMachineBuilder& host_machine,
                                                                 bool optimize) {
  host_machine.setCodeGenOptLevel(optimize ? llvm::CodeGenOpt::Default : llvm::CodeGenOpt::None);
  auto machine = host_machine.createTargetMachine();
  if (!machine) return JitError("cannot create LLVM's code generator", machine.takeError());
  return std::move(*machine);
}

/// Targets `module` at `machine` and, when `optimize`, runs LLVM's O2 pipeline over it.
void Optimize(llvm::Module& module, llvm::TargetMachine& machine, bool optimize) {
  module.setDataLayout(machine.createDataLayout());
  module.setTargetTriple(machine.getTargetTriple().str());
  if (!optimize) return;
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager cgscc;
  llvm::ModuleAnalysisManager modules;
  llvm::PassBuilder builder(&machine);
  builder.registerModuleAnalyses(modules);
  builder.registerCGSCCAnalyses(cgscc);
  builder.registerFunctionAnalyses(functions);
  builder.registerLoopAnalyses(loops);
  builder.crossRegisterProxies(loops, functions, cgscc, modules);
  builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2).run(module, modules);
}

uint64_t ProgramKey(const ir::Module& module, const llvm::orc::JITTargetMachineBuilder& machine) {
  std::string identity = fmt::format("{}\n{} {} {}\nLLVM {}\n{} {} {}\n", kCodegenVersion, ORCH_VERSION,
                                     ORCH_GIT_COMMIT, sizeof(void*), LLVM_VERSION_STRING,
                                     machine.getTargetTriple().str(), machine.getCPU(),
                                     machine.getFeatures().getString());
  return Fnv1a(host->dump_module(module), Fnv1a(identity));
}

class LlvmProgram final : public CompiledProgram {
 public:
  const interp::NativeCode& native() const override { return native_; }
  const std::vector<std::string>& interpreted_because() const override { return interpreted_because_; }
  const JitStats& stats() const override { return stats_; }

  /// Links `object` into a fresh LLJIT and finds every compiled block. On failure the
  /// program is unusable (the caller may compile afresh).
  ErrorOr<void> Link(const ir::Module& module, const std::string& object) {
    auto jit = llvm::orc::LLJITBuilder().create();
    if (!jit) return JitError("cannot start LLVM's JIT", jit.takeError());
    jit_ = std::move(*jit);
    jit_->getExecutionSession().setErrorReporter([this](llvm::Error error) {
      session_errors_ += llvm::toString(std::move(error));
      session_errors_ += "; ";
    });
    if (auto error = DefineRuntime()) return JitError("cannot bind the runtime entry points", std::move(error));
    auto buffer = llvm::MemoryBuffer::getMemBufferCopy(object, "orchestrator-jit");
    if (auto error = jit_->addObjectFile(std::move(buffer))) return JitError("cannot load compiled code", std::move(error));
    native_.blocks.clear();
    for (uint32_t fi = 0; fi < module.functions.size(); ++fi) {
      if (!interpreted_because_[fi].empty()) continue;
      std::optional<Error> missing;
      const std::string& compiled = compiled_blocks_[fi];
      codegen::ForEachBlock(module.functions[fi], [&](const ir::Block& block, uint32_t ordinal) {
        if (missing || ordinal >= compiled.size() || compiled[ordinal] != '1') return;
        auto symbol = jit_->lookup(codegen::BlockSymbol(fi, ordinal));
        if (!symbol) {
          missing = JitError(fmt::format("compiled code lacks `{}`", codegen::BlockSymbol(fi, ordinal)),
                             symbol.takeError());
          return;
        }
        native_.blocks[&block] = llvm::jitTargetAddressToFunction<interp::NativeBlockFn>(symbol->getAddress());
      });
      if (missing) return *missing;
    }
    return {};
  }

  std::vector<std::string> interpreted_because_;
  std::vector<std::string> compiled_blocks_;
  JitStats stats_;

 private:
  llvm::Error DefineRuntime() {
    auto runtime = jit_->createJITDylib("orch_rt");
    if (!runtime) return runtime.takeError();
    llvm::orc::MangleAndInterner mangle(jit_->getExecutionSession(), jit_->getDataLayout());
    auto flags = llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable;
    llvm::orc::SymbolMap symbols;
    auto bind = [&](const char* name, auto* address) {
      symbols[mangle(name)] = llvm::JITEvaluatedSymbol(llvm::pointerToJITTargetAddress(address), flags);
    };
#define ORCH_JIT_ENTRY(Name, Ret, Params) bind(#Name, host->Name);
#include "runtime/jit/abi.def"
    // Code generation may turn copies and fills into calls of these.
    bind("memcpy", &::memcpy);
    bind("memmove", &::memmove);
    bind("memset", &::memset);
    if (auto error = runtime->define(llvm::orc::absoluteSymbols(std::move(symbols)))) return error;
    jit_->getMainJITDylib().addToLinkOrder(*runtime);
    return llvm::Error::success();
  }

  std::unique_ptr<llvm::orc::LLJIT> jit_;
  interp::NativeCode native_;
  std::string session_errors_;
};

std::string DescribeBackend() { return fmt::format("LLVM {}", LLVM_VERSION_STRING); }

/// IR lowered to LLVM IR and optimised, with the machine that generates its code.
struct OptimizedModule {
  codegen::LoweredModule lowered;
  std::unique_ptr<llvm::TargetMachine> machine;
  double lower_ms = 0;
};

/// Lowers `module` into `context` and optimises it for the host (what `--jit` compiles and
/// `check --emit llvm` prints): optimised at O2 up to kOptimizeBudget compiled instructions.
ErrorOr<OptimizedModule> LowerAndOptimize(const ir::Module& module, llvm::orc::JITTargetMachineBuilder& host_machine,
                                         llvm::LLVMContext& context) {
  OptimizedModule out;
  auto started = Clock::now();
  out.lowered = codegen::LowerModule(module, context);
  out.lower_ms = MsSince(started);
  bool optimize = out.lowered.compiled_instructions <= kOptimizeBudget;
  auto machine = HostTargetMachine(host_machine, optimize);
  if (!machine) return machine.error();
  out.machine = std::move(*machine);
  Optimize(*out.lowered.module, *out.machine, optimize);
  return out;
}

ErrorOr<std::unique_ptr<CompiledProgram>> CompileModule(const ir::Module& module, const JitOptions& options) {
  if (auto ready = InitializeOnce(); !ready) return ready.error();
  auto host_machine = DescribeHost();
  if (!host_machine) return host_machine.error();
  uint64_t key = ProgramKey(module, *host_machine);
  JitStats stats;
  stats.total_functions = module.functions.size();
  double cpu_started = ThreadCpuMs();
  auto finish = [&](std::unique_ptr<LlvmProgram> program) {
    stats.cpu_ms = ThreadCpuMs() - cpu_started;
    program->stats_ = stats;
    // A workflow counts as native when any of its blocks is compiled.
    for (const std::string& blocks : program->compiled_blocks_) {
      size_t compiled = static_cast<size_t>(std::count(blocks.begin(), blocks.end(), '1'));
      program->stats_.total_blocks += blocks.size();
      program->stats_.native_blocks += compiled;
      if (compiled > 0) program->stats_.native_functions++;
    }
    return std::unique_ptr<CompiledProgram>(std::move(program));
  };

  // 2a. The cached object, when there is a sound one for this key.
  if (options.cache_dir) {
    stats.cache = "miss";
    auto started = Clock::now();
    auto cached = LoadCacheEntry(*options.cache_dir, key);
    if (auto* entry = std::get_if<CacheEntry>(&cached)) {
      if (entry->interpreted_because.size() == module.functions.size() &&
          entry->compiled_blocks.size() == module.functions.size()) {
        auto program = std::make_unique<LlvmProgram>();
        program->interpreted_because_ = std::move(entry->interpreted_because);
        program->compiled_blocks_ = std::move(entry->compiled_blocks);
        if (program->Link(module, entry->object)) {
          stats.cache = "hit";
          stats.codegen_ms = MsSince(started);
          return finish(std::move(program));
        }
      }
      stats.cache_note = "the cached code did not fit this program and was compiled again";
    } else if (std::get<CacheMiss>(cached) == CacheMiss::kDamaged) {
      stats.cache_note = "a damaged or foreign cache entry was found and compiled again";
    }
  }

  // 2b. Lower, optimise and generate an object file; cache it.
  auto started = Clock::now();
  llvm::LLVMContext context;
  auto optimized = LowerAndOptimize(module, *host_machine, context);
  if (!optimized) return optimized.error();
  codegen::LoweredModule& lowered = optimized->lowered;
  stats.lower_ms = optimized->lower_ms;
  llvm::orc::SimpleCompiler compiler(*optimized->machine);
  auto object = compiler(*lowered.module);
  if (!object) return JitError("LLVM could not generate machine code", object.takeError());
  CacheEntry entry;
  entry.interpreted_because = std::move(lowered.interpreted_because);
  entry.compiled_blocks = std::move(lowered.compiled_blocks);
  entry.object = (*object)->getBuffer().str();

  // 3-4. Link it and find the blocks.
  auto program = std::make_unique<LlvmProgram>();
  program->interpreted_because_ = entry.interpreted_because;
  program->compiled_blocks_ = entry.compiled_blocks;
  if (auto linked = program->Link(module, entry.object); !linked) return linked.error();
  stats.codegen_ms = MsSince(started) - stats.lower_ms;
  if (options.cache_dir) {
    // A cache that cannot be written costs the next run a compile, nothing more.
    (void)StoreCacheEntry(*options.cache_dir, key, entry);
  }
  return finish(std::move(program));
}

ErrorOr<std::string> LlvmIrText(const ir::Module& module) {
  if (auto ready = InitializeOnce(); !ready) return ready.error();
  auto host_machine = DescribeHost();
  if (!host_machine) return host_machine.error();
  llvm::LLVMContext context;
  auto optimized = LowerAndOptimize(module, *host_machine, context);
  if (!optimized) return optimized.error();
  const codegen::LoweredModule& lowered = optimized->lowered;
  std::string text;
  llvm::raw_string_ostream os(text);
  for (size_t fi = 0; fi < lowered.interpreted_because.size(); ++fi) {
    const std::string& blocks = lowered.compiled_blocks[fi];
    size_t compiled = static_cast<size_t>(std::count(blocks.begin(), blocks.end(), '1'));
    if (!lowered.interpreted_because[fi].empty()) {
      os << fmt::format("; workflow `{}` stays interpreted: {}\n", module.functions[fi].name,
                        lowered.interpreted_because[fi]);
    } else if (compiled < blocks.size()) {
      os << fmt::format("; workflow `{}`: {} of {} blocks compiled (its loop and lambda bodies); the rest runs once "
                        "per call and is interpreted\n",
                        module.functions[fi].name, compiled, blocks.size());
    }
  }
  lowered.module->print(os, nullptr);
  os.flush();
  return text;
}

}  // namespace
}  // namespace orch::jit

extern "C" __attribute__((visibility("default"))) const orch::jit::ModuleApi* orch_jit_module(
    const orch::jit::HostServices* services) {
  using namespace orch::jit;
  static const std::string stamp = BuildStamp();
  static const ModuleApi api{stamp.c_str(), &DescribeBackend, &CompileModule, &LlvmIrText};
  host = services;
  return &api;
}
