// The JIT (runtime/jit, compiler/codegen): compiled programs give the interpreter's
// results and errors, large workflows stay interpreted with a reason, the object cache
// hits, and damaged or foreign entries are detected and rebuilt; cancellation reaches a
// compiled loop. Without LLVM in the build, Compile says so.
#include <doctest/doctest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "compiler/codegen/lower_to_llvm.h"
#include "compiler/diagnostics/render.h"
#include "compiler/driver/driver.h"
#include "compiler/ir/build.h"
#include "runtime/jit/jit.h"
#include "runtime/jit/object_cache.h"
#include "runtime/interp/interpreter.h"
#include "runtime/value/json.h"
#include "stdlib/builtins/builtins.h"

using namespace orch;
namespace fs = std::filesystem;

namespace {

/// A fresh folder under the system's temporary directory, removed afterwards.
struct ScratchDir {
  fs::path path;
  ScratchDir() {
    static std::atomic<int> counter{0};
    path = fs::temp_directory_path() / ("orch-jit-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(path);
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

/// Compiles `source` (a whole .orch file) to IR.
ir::Module CompileSource(const ScratchDir& dir, const std::string& source) {
  fs::path file = dir.path / "program.orch";
  std::ofstream(file) << source;
  compiler::Compilation c = compiler::Compile({file.string()});
  std::string problems;
  for (const auto& d : c.diagnostics.diagnostics()) problems += compiler::RenderShort(d, c.sources);
  REQUIRE_MESSAGE(c.ok(), problems);
  std::optional<ir::Module> module = ir::BuildModule(compiler::ProgramFiles(c), c.diagnostics);
  REQUIRE(module);
  return std::move(*module);
}

/// Where a test finds the interpreter of a run in progress, to cancel it.
struct RunningSlot {
  std::mutex mutex;
  interp::Interpreter* interpreter = nullptr;
};

/// Lines of `x = x + 1` (three instructions each) that exceed the JIT's size limit.
size_t codegen_limit_lines() { return codegen::kMaxNativeInstructions / 3 + 10; }

/// Runs `main` of `module`, interpreted or with `native`.
interp::RunResult RunMain(const ir::Module& module, const interp::NativeCode* native, RunningSlot* slot = nullptr) {
  auto no_servers = [](const std::string& name) -> ErrorOr<std::shared_ptr<mcp::ToolServer>> {
    return MakeError("config", "no server " + name);
  };
  interp::ToolInvoker tools(no_servers, nullptr, nullptr, std::chrono::milliseconds(0));
  interp::InterpreterOptions options;
  options.native = native;
  interp::Interpreter interpreter(module, stdlib::Builtins(), tools, nullptr, options);
  REQUIRE(interpreter.Load().ok());
  uint32_t main = module.FindFunction("main");
  REQUIRE(main != ir::kNone);
  std::vector<std::optional<Value>> args(module.functions[main].params.size());
  if (slot) {
    std::lock_guard lock(slot->mutex);
    slot->interpreter = &interpreter;
  }
  interp::RunResult result = interpreter.Run(main, std::move(args));
  if (slot) {
    std::lock_guard lock(slot->mutex);
    slot->interpreter = nullptr;
  }
  return result;
}

std::string Describe(const interp::RunResult& r) {
  if (const auto* e = std::get_if<interp::RuntimeError>(&r)) {
    return "error " + e->kind + " @" + std::to_string(e->span.begin) + ": " + e->message;
  }
  return ToJson(std::get<Value>(r));
}

std::unique_ptr<jit::CompiledProgram> MustCompile(const ir::Module& module, std::optional<fs::path> cache = {}) {
  jit::JitOptions options;
  options.cache_dir = std::move(cache);
  auto compiled = jit::Compile(module, options);
  REQUIRE_MESSAGE(compiled.ok(), (compiled.ok() ? "" : compiled.error().message));
  return std::move(*compiled);
}

bool HaveJit() { return jit::BuiltWithJit(); }

}  // namespace

TEST_CASE("a cache entry round-trips and a damaged, truncated or foreign one is refused") {
  ScratchDir dir;
  jit::CacheEntry entry;
  entry.interpreted_because = {"", "too large"};
  entry.object = std::string("\x7f" "ELF object bytes", 17);
  CHECK(std::get<jit::CacheMiss>(jit::LoadCacheEntry(dir.path, 1)) == jit::CacheMiss::kAbsent);
  REQUIRE(jit::StoreCacheEntry(dir.path, 1, entry).ok());
  auto loaded = jit::LoadCacheEntry(dir.path, 1);
  REQUIRE(std::holds_alternative<jit::CacheEntry>(loaded));
  CHECK(std::get<jit::CacheEntry>(loaded).interpreted_because == entry.interpreted_because);
  CHECK(std::get<jit::CacheEntry>(loaded).object == entry.object);

  // Another key's file under this key's name: foreign.
  fs::copy_file(jit::CacheEntryPath(dir.path, 1), jit::CacheEntryPath(dir.path, 2));
  CHECK(std::get<jit::CacheMiss>(jit::LoadCacheEntry(dir.path, 2)) == jit::CacheMiss::kDamaged);

  // One byte of the object flipped: the checksum catches it.
  std::string bytes;
  {
    std::ifstream in(jit::CacheEntryPath(dir.path, 1), std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::string flipped = bytes;
  flipped.back() ^= 0x40;
  std::ofstream(jit::CacheEntryPath(dir.path, 1), std::ios::binary | std::ios::trunc) << flipped;
  CHECK(std::get<jit::CacheMiss>(jit::LoadCacheEntry(dir.path, 1)) == jit::CacheMiss::kDamaged);

  std::ofstream(jit::CacheEntryPath(dir.path, 1), std::ios::binary | std::ios::trunc) << bytes.substr(0, bytes.size() - 3);
  CHECK(std::get<jit::CacheMiss>(jit::LoadCacheEntry(dir.path, 1)) == jit::CacheMiss::kDamaged);
  std::ofstream(jit::CacheEntryPath(dir.path, 1), std::ios::binary | std::ios::trunc) << "garbage";
  CHECK(std::get<jit::CacheMiss>(jit::LoadCacheEntry(dir.path, 1)) == jit::CacheMiss::kDamaged);
}

TEST_CASE("the cache keeps the most recently written entries") {
  ScratchDir dir;
  jit::CacheEntry entry;
  entry.interpreted_because = {""};
  entry.compiled_blocks = {"1"};
  entry.object = "object";
  for (uint64_t key = 1; key <= 5; ++key) {
    REQUIRE(jit::StoreCacheEntry(dir.path, key, entry, 3).ok());
    // Distinct modification times, oldest first, whatever the file system's resolution.
    fs::last_write_time(jit::CacheEntryPath(dir.path, key),
                        fs::file_time_type::clock::now() - std::chrono::hours(10 - key));
  }
  size_t files = 0;
  for (const auto& item : fs::directory_iterator(dir.path)) files += item.path().extension() == ".orchjit";
  CHECK(files == 3);
  CHECK(std::holds_alternative<jit::CacheEntry>(jit::LoadCacheEntry(dir.path, 5)));
  CHECK(std::holds_alternative<jit::CacheEntry>(jit::LoadCacheEntry(dir.path, 4)));
  CHECK(std::get<jit::CacheMiss>(jit::LoadCacheEntry(dir.path, 1)) == jit::CacheMiss::kAbsent);
}

TEST_CASE("a build with the JIT finds and loads its module, which names its LLVM") {
  if (!HaveJit()) return;
  auto backend = jit::BackendDescription();
  REQUIRE_MESSAGE(backend.ok(), (backend.ok() ? "" : backend.error().message));
  CHECK(backend->rfind("LLVM 14.", 0) == 0);
}

TEST_CASE("without LLVM in the build, compiling says the build has no JIT") {
  if (HaveJit()) return;
  ir::Module module;
  auto compiled = jit::Compile(module, {});
  REQUIRE_FALSE(compiled.ok());
  CHECK(compiled.error().message.find("no JIT") != std::string::npos);
}

TEST_CASE("compiled code gives the interpreter's values and errors, at the same locations") {
  if (!HaveJit()) return;
  ScratchDir dir;
  const char* programs[] = {
      // native scalar paths, fused range loops, early return from a loop
      "workflow main() {\n var s = 0\n for i in range(0, 1000) { if i % 3 == 0 { s = s + i } else { s = s - 1 } }\n"
      " return [s, 7 / 2, -7 % 3, 1 < 1.5, 2.0 == 2, not (s > 0)]\n}\n",
      // overflow inside a compiled loop: the interpreter's error and span
      "workflow main() {\n var x = 1\n for _i in range(0, 100) { x = x * 3 }\n return x\n}\n",
      // a condition that is not a bool at run time
      "workflow main() {\n let n = from_json(\"1\")\n if n { return 1 }\n return 0\n}\n",
      // strings, lists and records go through the runtime entry points
      "workflow main() {\n let xs = [3, 1, 2] | sort_by(x => x)\n var out = []\n for x in xs { out = out + [\"${x}!\"] }\n"
      " return { out: out, n: len(out), r: { a: 1 }.a }\n}\n",
      // division by zero and a range that is too long
      "workflow main() {\n let z = len([])\n return 1 / z\n}\n",
      "workflow main() {\n var c = 0\n for _i in range(0, 20000000) { c = c + 1 }\n return c\n}\n",
  };
  for (std::string source : programs) {
    CAPTURE(source);
    ir::Module module = CompileSource(dir, source);
    auto compiled = MustCompile(module);
    CHECK(compiled->stats().native_functions == module.functions.size());
    CHECK((compiled->native().Find(module.functions[module.FindFunction("main")].body) != nullptr));
    CHECK(Describe(RunMain(module, &compiled->native())) == Describe(RunMain(module, nullptr)));
  }
}

TEST_CASE("a workflow too large to compile stays interpreted, with its reason, and still runs") {
  if (!HaveJit()) return;
  ScratchDir dir;
  std::string source = "workflow big() -> int {\n var x = 0\n";
  for (size_t i = 0; i < codegen_limit_lines(); ++i) source += " x = x + 1\n";
  source += " return x\n}\nworkflow main() {\n return big()\n}\n";
  ir::Module module = CompileSource(dir, source);
  auto compiled = MustCompile(module);
  uint32_t big = module.FindFunction("big");
  uint32_t main = module.FindFunction("main");
  CHECK(compiled->interpreted_because()[big].find("instructions") != std::string::npos);
  CHECK(compiled->interpreted_because()[main].empty());
  CHECK(compiled->stats().native_functions == 1);
  CHECK((compiled->native().Find(module.functions[big].body) == nullptr));
  CHECK(Describe(RunMain(module, &compiled->native())) == std::to_string(codegen_limit_lines()));
}

TEST_CASE("in a long workflow only loop and lambda bodies are compiled, and it gives the same result") {
  if (!HaveJit()) return;
  ScratchDir dir;
  std::string source = "workflow main() {\n var x = 0\n";
  for (size_t i = 0; i < codegen::kTieredInstructions / 3 + 10; ++i) source += " x = x + 1\n";
  source += " for i in range(0, 100) { if i % 2 == 0 { x = x + i } }\n";
  source += " return [x, [1, 2, 3] | map(v => v * x)]\n}\n";
  ir::Module module = CompileSource(dir, source);
  auto compiled = MustCompile(module);
  const ir::Function& main = module.functions[module.FindFunction("main")];
  CHECK(compiled->interpreted_because()[0].empty());
  CHECK((compiled->native().Find(main.body) == nullptr));
  const ir::Instr* loop = nullptr;
  const ir::Instr* mapped = nullptr;
  for (const ir::Instr& instr : main.body.instrs) {
    if (instr.op == ir::Op::kForEach) loop = &instr;
    if (instr.lambda) mapped = &instr;
  }
  REQUIRE(loop);
  REQUIRE(mapped);
  CHECK((compiled->native().Find(loop->blocks[0]) != nullptr));
  CHECK((compiled->native().Find(mapped->lambda->body) != nullptr));
  CHECK(compiled->stats().native_blocks >= 3);
  CHECK(compiled->stats().native_blocks < compiled->stats().total_blocks);
  CHECK(Describe(RunMain(module, &compiled->native())) == Describe(RunMain(module, nullptr)));
}

TEST_CASE("the second compile of a program loads it from the cache; a damaged entry is rebuilt") {
  if (!HaveJit()) return;
  ScratchDir dir;
  ir::Module module = CompileSource(dir, "workflow main() {\n var s = 0\n for i in range(0, 10) { s = s + i }\n return s\n}\n");
  fs::path cache = dir.path / "jit";
  auto first = MustCompile(module, cache);
  CHECK(first->stats().cache == "miss");
  CHECK_FALSE(first->stats().cache_note);
  auto second = MustCompile(module, cache);
  CHECK(second->stats().cache == "hit");
  CHECK(second->stats().lower_ms == 0);
  CHECK(Describe(RunMain(module, &second->native())) == "45");

  for (const auto& entry : fs::directory_iterator(cache)) {
    std::ofstream(entry.path(), std::ios::binary | std::ios::trunc) << "ORCHJIT1 but not really";
  }
  auto third = MustCompile(module, cache);
  CHECK(third->stats().cache == "miss");
  REQUIRE(third->stats().cache_note);
  CHECK(third->stats().cache_note->find("damaged") != std::string::npos);
  CHECK(Describe(RunMain(module, &third->native())) == "45");
  CHECK(MustCompile(module, cache)->stats().cache == "hit");  // rewritten
}

TEST_CASE("cancelling a run stops a compiled loop") {
  if (!HaveJit()) return;
  ScratchDir dir;
  ir::Module module = CompileSource(
      dir, "workflow main() {\n var s = 0\n for i in range(0, 10000000) { for j in range(0, 10000000) { s = (s + j) % 7 } }\n"
           " return s\n}\n");
  auto compiled = MustCompile(module);
  RunningSlot slot;
  std::atomic<bool> done{false};
  std::thread canceller([&] {
    // Cancel once the run has started (and again, should it have started late).
    while (!done) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      std::lock_guard lock(slot.mutex);
      if (slot.interpreter) slot.interpreter->Cancel();
    }
  });
  interp::RunResult result = RunMain(module, &compiled->native(), &slot);
  done = true;
  canceller.join();
  REQUIRE(std::holds_alternative<interp::RuntimeError>(result));
  CHECK(std::get<interp::RuntimeError>(result).kind == "cancelled");
}
