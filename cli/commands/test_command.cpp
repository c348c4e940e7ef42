// `orchestrator test [PATH…] [--filter RE] [--tap] [--junit FILE] [--json] [--timeout D]
// [-j N]`: find the `test` blocks of the .orch files under PATHs, compile each file, run
// its tests in parallel with mocks and no servers, print one line per test and a
// `N passed, N failed` line. Exit 0 when every test passed, 4 when any test failed or a
// file with tests does not compile, 2 for a usage error or when no test was found.
// Discovery, compiling and scheduling are here; running one test is stdlib::RunTest and
// the report formats are cli/commands/test/test_results.*.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <set>
#include <thread>

#include "cli/command.h"
#include "cli/source_paths.h"
#include "cli/commands/test/test_results.h"
#include "cli/jit_setup.h"
#include "cli/number_option.h"
#include "cli/write_file.h"
#include "compiler/check/lock_catalog.h"
#include "compiler/diagnostics/render.h"
#include "compiler/driver/driver.h"
#include "compiler/ir/build.h"
#include "compiler/lock/lock_file.h"
#include "runtime/config/config.h"
#include "stdlib/runner/test_run.h"

namespace orch::cli {
namespace {

namespace fs = std::filesystem;
using testing::TestRecord;
using testing::TestStatus;

struct TestArgs {
  std::vector<std::string> paths;
  std::string filter;
  bool tap = false;
  std::string junit;
  bool json = false;
  std::string timeout = "30s";
  int jobs = 0;
  bool jit = false;
};

/// One compiled file with tests.
struct TestFile {
  std::string path;
  std::unique_ptr<compiler::Compilation> compilation;
  std::shared_ptr<const ir::Module> module;
  /// `--jit`: the module's compiled blocks (the module outlives them: declared first).
  std::shared_ptr<const interp::NativeCode> native;
};

/// A test to run (or skip).
struct TestJob {
  const TestFile* file = nullptr;
  uint32_t function = 0;
  size_t record = 0;
};

std::string Where(const compiler::SourceMap& sources, compiler::Span span) {
  if (!span.valid() || span.file >= sources.size()) return "";
  const compiler::SourceFile& f = sources.file(span.file);
  compiler::LineCol at = f.Locate(span.begin);
  return fmt::format("{}:{}:{}", f.path(), at.line, at.column);
}

/// The source line where `span` begins, without its indentation ("" when unknown).
std::string SourceLineOf(const compiler::SourceMap& sources, compiler::Span span) {
  if (!span.valid() || span.file >= sources.size()) return "";
  const compiler::SourceFile& f = sources.file(span.file);
  std::string_view line = f.Line(f.Locate(span.begin).line);
  size_t first = line.find_first_not_of(" \t");
  if (first == std::string_view::npos) return "";
  size_t last = line.find_last_not_of(" \r");
  return std::string(line.substr(first, last - first + 1));
}

unsigned LineOf(const compiler::SourceMap& sources, compiler::Span span) {
  if (!span.valid() || span.file >= sources.size()) return 0;
  return sources.file(span.file).Locate(span.begin).line;
}

class TestCommand {
 public:
  TestCommand(const TestArgs& args, const GlobalOptions& global) : args_(args), global_(global) {}

  int Run() {
    auto timeout = config::ParseDuration(args_.timeout);
    if (!timeout || timeout->count() <= 0) {
      std::cerr << fmt::format("error: --timeout: `{}` is not a duration such as 30s or 500ms\n", args_.timeout);
      return kExitUsage;
    }
    timeout_ = *timeout;
    if (!args_.filter.empty()) {
      try {
        filter_.emplace(args_.filter, std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        std::cerr << fmt::format("error: --filter: `{}` is not a regular expression: {}\n", args_.filter, e.what());
        return kExitUsage;
      }
    }
    std::vector<std::string> files;
    if (!Discover(&files)) return kExitUsage;
    if (!ConfiguredServers()) return kExitUsage;

    for (const std::string& path : files) CompileFile(path);
    if (jit_failed_) return kExitUsage;
    if (records_.empty()) {
      std::cerr << fmt::format("error: no `test` blocks found in {}\n",
                               fmt::join(args_.paths.empty() ? std::vector<std::string>{"."} : args_.paths, ", "));
      return kExitUsage;
    }
    if (args_.tap) std::cout << testing::TapHeader(records_.size()) << std::flush;
    RunAll();
    testing::Totals totals = testing::Count(records_);
    if (args_.json) std::cout << testing::JsonReport(records_);
    if (!args_.tap && !args_.json) std::cout << testing::SummaryLine(totals);
    if (args_.tap) std::cout << "# " << testing::SummaryLine(totals);
    std::cout.flush();
    if (!args_.junit.empty() && !WriteJunit()) return kExitUsage;
    if (abandoned_) {
      // A timed-out test is still running on a detached thread: leave without running
      // destructors it could race with.
      std::cerr.flush();
      std::_Exit(totals.failed ? kExitTestFailed : kExitOk);
    }
    return totals.failed ? kExitTestFailed : kExitOk;
  }

 private:
  /// Expands PATHs into .orch files (cli/source_paths.h); a path that does not exist is
  /// an error.
  bool Discover(std::vector<std::string>* files) {
    std::vector<std::string> paths = args_.paths.empty() ? std::vector<std::string>{"."} : args_.paths;
    for (const std::string& path : paths) {
      std::error_code ec;
      if (!fs::exists(path, ec)) {
        std::cerr << fmt::format("error: `{}` does not exist\n", path);
        return false;
      }
    }
    *files = ExpandSourcePaths(paths);
    return true;
  }

  /// Servers from the configuration, if any; a broken configuration given with --config
  /// is an error, one merely found nearby is ignored (tests start no server).
  bool ConfiguredServers() {
    auto config = config::LoadConfig(global_.config_file);
    if (!config) {
      if (global_.config_file.empty()) return true;
      std::cerr << fmt::format("error: {}\n", config.error().message);
      return false;
    }
    for (const auto& [name, server] : config->servers) configured_.push_back(name);
    return true;
  }

  void CompileFile(const std::string& path) {
    compiler::CompileOptions options;
    options.configured_servers = configured_;
    // `use NAME` needs NAME configured; tests need no configuration, so the servers of
    // the file's lock count as configured too.
    if (auto lock_path = compiler::check::FindLockFile(path)) {
      if (auto lock = lock::ReadLockFile(*lock_path)) {
        for (const auto& [name, server] : lock->servers) options.configured_servers.push_back(name);
      }
    }
    auto file = std::make_unique<TestFile>();
    file->path = path;
    file->compilation = std::make_unique<compiler::Compilation>(compiler::Compile({path}, options));
    compiler::Compilation& c = *file->compilation;
    size_t tests = 0;
    for (const auto& f : c.files) {
      if (!f.ast) continue;
      for (const auto& decl : f.ast->declarations) tests += decl->kind() == compiler::ast::DeclKind::kTest;
    }
    if (tests == 0) return;  // not a test file (its problems are `check`'s business)
    // The program includes the imported files, so their workflows can be called; only
    // this file's own tests run (an imported file's tests run when it is tested itself).
    std::vector<const compiler::ast::File*> program = compiler::ProgramFiles(c);
    std::optional<ir::Module> module;
    if (c.ok()) {
      module = ir::BuildModule(program, c.diagnostics);
    } else if (SetAsideBrokenTests(path, c)) {
      // Only test blocks had errors: they failed above; the file's other tests run.
      compiler::DiagnosticSink sink;
      module = ir::BuildModule(program, sink);
    }
    if (!module) {
      TestRecord r;
      r.file = path;
      r.status = TestStatus::kFailed;
      r.compile_error = true;
      r.code = "compile";
      std::string summary = compiler::Summary(c.diagnostics.diagnostics());
      r.message = summary.empty() ? "the file does not compile" : fmt::format("the file does not compile ({})", summary);
      for (const auto& d : c.diagnostics.diagnostics()) {
        if (d.severity != compiler::Severity::kError) continue;
        std::string line = compiler::RenderShort(d, c.sources);
        while (!line.empty() && line.back() == '\n') line.pop_back();
        r.details.push_back(std::move(line));
      }
      records_.push_back(std::move(r));
      files_.push_back(std::move(file));
      return;
    }
    file->module = std::make_shared<const ir::Module>(std::move(*module));
    if (args_.jit) {
      std::shared_ptr<jit::CompiledProgram> compiled = CompileWithJit(*file->module, false);
      if (!compiled) {
        jit_failed_ = true;
        return;
      }
      file->native = std::shared_ptr<const interp::NativeCode>(compiled, &compiled->native());
    }
    for (uint32_t i = 0; i < file->module->functions.size(); ++i) {
      const ir::Function& fn = file->module->functions[i];
      if (!fn.is_test || fn.span.file != c.files.front().file) continue;
      TestRecord r;
      r.file = path;
      r.name = fn.name;
      r.line = LineOf(c.sources, fn.span);
      bool selected = !filter_ || std::regex_search(fn.name, *filter_) ||
                      std::regex_search(fmt::format("{}: {}", path, fn.name), *filter_);
      r.status = selected ? TestStatus::kFailed : TestStatus::kSkipped;  // kFailed until it ran
      if (selected) jobs_.push_back(TestJob{file.get(), i, records_.size()});
      records_.push_back(std::move(r));
    }
    files_.push_back(std::move(file));
  }

  // When every error of `c` (a type-checked file) lies inside `test` blocks of its root file, records each of
  // those tests as failed with its own errors, removes them from the AST and returns true,
  // so the file's other tests can still be built and run. Otherwise changes nothing.
  bool SetAsideBrokenTests(const std::string& path, compiler::Compilation& c) {
    // Only type errors are set aside: after a resolution error the checker did not run, so
    // the file's other tests would go unchecked.
    if (c.files.empty() || !c.files[0].ast || !c.files[0].checked) return false;
    auto& decls = c.files[0].ast->declarations;
    std::map<const compiler::ast::Decl*, std::vector<const compiler::Diagnostic*>> broken;
    for (const auto& d : c.diagnostics.diagnostics()) {
      if (d.severity != compiler::Severity::kError) continue;
      const compiler::ast::Decl* owner = nullptr;
      for (const auto& decl : decls) {
        const compiler::Span& s = decl->span;
        if (decl->kind() == compiler::ast::DeclKind::kTest && d.primary.span.file == s.file &&
            d.primary.span.begin >= s.begin && d.primary.span.end <= s.end) {
          owner = decl.get();
        }
      }
      if (!owner) return false;
      broken[owner].push_back(&d);
    }
    if (broken.empty()) return false;
    for (const auto& [decl, diagnostics] : broken) {
      const auto& test = compiler::ast::Cast<compiler::ast::TestDecl>(*decl);
      TestRecord r;
      r.file = path;
      r.name = test.name;
      r.line = LineOf(c.sources, test.span);
      bool selected = !filter_ || std::regex_search(test.name, *filter_) ||
                      std::regex_search(fmt::format("{}: {}", path, test.name), *filter_);
      r.status = selected ? TestStatus::kFailed : TestStatus::kSkipped;
      r.code = std::string(diagnostics.front()->code());
      r.message = fmt::format("the test does not compile: {}", diagnostics.front()->message);
      r.location = Where(c.sources, diagnostics.front()->primary.span);
      for (const compiler::Diagnostic* d : diagnostics) {
        std::string line = compiler::RenderShort(*d, c.sources);
        while (!line.empty() && line.back() == '\n') line.pop_back();
        r.details.push_back(std::move(line));
      }
      records_.push_back(std::move(r));
    }
    std::erase_if(decls, [&](const compiler::ast::DeclPtr& decl) { return broken.count(decl.get()) > 0; });
    return true;
  }

  void RunAll() {
    // Records with no job (compile failures, skipped tests) are final already.
    std::vector<bool> finished(records_.size(), true);
    for (const TestJob& job : jobs_) finished[job.record] = false;
    size_t next_to_print = 0;
    std::mutex mutex;
    auto flush_in_order = [&] {
      while (next_to_print < records_.size() && finished[next_to_print]) {
        if (args_.tap) {
          std::cout << testing::TapLine(records_[next_to_print], next_to_print + 1);
        } else if (!args_.json) {
          std::cout << testing::PlainLine(records_[next_to_print]);
        }
        ++next_to_print;
      }
      std::cout.flush();
    };
    {
      std::lock_guard lock(mutex);
      flush_in_order();
    }
    std::atomic<size_t> next{0};
    auto work = [&] {
      while (true) {
        size_t j = next.fetch_add(1);
        if (j >= jobs_.size()) return;
        const TestJob& job = jobs_[j];
        stdlib::TestOutcome outcome = stdlib::RunTest(job.file->module, job.function, timeout_, job.file->native);
        std::lock_guard lock(mutex);
        Fill(records_[job.record], *job.file, std::move(outcome));
        finished[job.record] = true;
        flush_in_order();
      }
    };
    size_t workers = args_.jobs > 0 ? static_cast<size_t>(args_.jobs) : std::max(1u, std::thread::hardware_concurrency());
    workers = std::min(workers, std::max<size_t>(1, jobs_.size()));
    std::vector<std::thread> threads;
    for (size_t i = 1; i < workers; ++i) threads.emplace_back(work);
    work();
    for (auto& t : threads) t.join();
  }

  void Fill(TestRecord& r, const TestFile& file, stdlib::TestOutcome outcome) {
    const compiler::SourceMap& sources = file.compilation->sources;
    r.elapsed = outcome.elapsed;
    if (outcome.passed) {
      r.status = TestStatus::kPassed;
      return;
    }
    r.status = TestStatus::kFailed;
    r.timed_out = outcome.timed_out;
    abandoned_ = abandoned_ || outcome.timed_out;
    const interp::RuntimeError& e = *outcome.error;
    compiler::Diagnostic d = e.ToDiagnostic();
    r.code = std::string(compiler::InfoOf(e.diag).code);
    r.message = d.message;
    r.location = Where(sources, e.span);
    // The failing statement's line (a timeout points at the whole test: nothing to quote).
    if (std::string line = outcome.timed_out ? "" : SourceLineOf(sources, e.span); !line.empty()) {
      r.details.push_back("| " + line);
    }
    for (const std::string& note : e.notes) r.details.push_back("note: " + note);
    for (const std::string& help : e.helps) r.details.push_back("help: " + help);
    for (const compiler::Span& site : e.call_sites) r.details.push_back("called from " + Where(sources, site));
    if (e.diag == compiler::DiagKind::kUnmockedCall && !e.diag_args.empty()) {
      r.details.push_back(fmt::format("help: add `mock {} => …` to the test before the call", e.diag_args[0]));
    }
    for (const std::string& log : outcome.logs) r.details.push_back("log: " + log);
  }

  bool WriteJunit() {
    if (auto written = WriteFileAtomically(args_.junit, testing::JunitXml(records_)); !written) {
      std::cerr << fmt::format("error: the JUnit report: {}\n", written.error().message);
      return false;
    }
    return true;
  }

  const TestArgs& args_;
  const GlobalOptions& global_;
  std::chrono::milliseconds timeout_{30000};
  std::optional<std::regex> filter_;
  std::vector<std::string> configured_;
  std::vector<std::unique_ptr<TestFile>> files_;
  std::vector<TestRecord> records_;
  std::vector<TestJob> jobs_;
  bool abandoned_ = false;
  /// `--jit` could not compile (no JIT in this build): the error is printed.
  bool jit_failed_ = false;
};

}  // namespace

void RegisterTestCommand(CLI::App& app, CommandContext& context) {
  auto args = std::make_shared<TestArgs>();
  auto* cmd = app.add_subcommand("test", "Run the `test` blocks of .orch files with mocks (no servers)");
  cmd->add_option("PATH", args->paths, "Files or folders to search for `test` blocks (default: the current folder)");
  cmd->add_option("--filter", args->filter, "Run only the tests whose name (or `file: name`) matches this regular expression")
      ->type_name("RE");
  auto* tap = cmd->add_flag("--tap", args->tap, "Print the results as TAP version 13");
  auto* json = cmd->add_flag("--json", args->json, "Print the results as one JSON report");
  tap->excludes(json);
  cmd->add_option("--junit", args->junit, "Also write the results as JUnit XML to FILE")->type_name("FILE");
  cmd->add_option("--timeout", args->timeout, "Time limit of each test (e.g. 30s, 500ms)")
      ->type_name("DURATION")
      ->capture_default_str();
  cmd->add_option("-j,--jobs", args->jobs, "Run up to N tests at once (default: one per CPU)")
      ->type_name("N")
      ->check(WholeNumberBetween(1, 1024));
  cmd->add_flag("--jit", args->jit, "Compile the workflows and tests to machine code with LLVM before running them");
  cmd->callback([args, &context] { context.exit_code = TestCommand(*args, context.global).Run(); });
}

}  // namespace orch::cli
