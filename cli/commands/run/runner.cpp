// The workflow runner behind `run` and `profile`; see runner.h.
#include "cli/commands/run/runner.h"

#include <fmt/format.h>
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <iostream>
#include <iterator>

#include "cli/compile_setup.h"
#include "cli/jit_setup.h"
#include "cli/server_setup.h"
#include "cli/write_file.h"
#include "cli/commands/run/interrupt.h"
#include "cli/commands/run/lock_drift.h"
#include "cli/commands/run/progress.h"
#include "compiler/diagnostics/render.h"
#include "compiler/driver/driver.h"
#include "compiler/ir/build.h"
#include "compiler/ir/dump.h"
#include "runtime/config/config.h"
#include "runtime/interp/arguments.h"
#include "runtime/value/json.h"
#include "stdlib/runner/workflow_run.h"
#include "cli/commands/run/profile_report.h"
#include "runtime/mock/fixture.h"
#include "runtime/mock/recording.h"
#include "runtime/trace/call_recorder.h"
#include "runtime/trace/profile.h"
#include "runtime/watch/file_watcher.h"

namespace orch::cli {
namespace {

using compiler::DiagKind;

class Runner {
 public:
  Runner(const RunArgs& args, const CommandContext& context, const CLI::App& root)
      : args_(args), global_(context.global), context_(context), root_(root) {
    server_options_.answers_file = args.answers_file;
  }

  int Run() {
    // Pin glibc's mmap threshold: with the default dynamic threshold, freeing the large
    // buffers of big lists (after a 50 MB JSON transform, say) sends glibc into repeated
    // free-list consolidation; measured 35% of the run time (bench/interp).
    mallopt(M_MMAP_THRESHOLD, 128 << 10);
    auto compile_options = CompileOptionsFromConfig(global_);
    if (!compile_options) {
      PrintError(compile_options.error().message);
      return kExitUsage;
    }
    // A `--mock` fixture stands for its server even where that server is not configured
    // (CI replaying a recording has no access to the real one).
    auto mock_servers = MockServers();
    if (!mock_servers) return kExitUsage;
    for (const config::ServerConfig& mocked : *mock_servers) {
      auto& configured = compile_options->configured_servers;
      if (std::find(configured.begin(), configured.end(), mocked.name) == configured.end()) {
        configured.push_back(mocked.name);
      }
    }
    compiler::Compilation compilation = compiler::Compile({args_.file}, *compile_options);
    sources_ = &compilation.sources;
    for (const auto& file : compilation.files) {
      watched_files_.push_back(file.path);
      for (const auto& imported : file.imports) watched_files_.push_back(imported.path);
    }
    if (!Report(compilation.diagnostics.diagnostics())) return kExitUsage;

    std::vector<const compiler::ast::File*> files = compiler::ProgramFiles(compilation);
    compiler::DiagnosticSink build_sink;
    std::optional<ir::Module> module = ir::BuildModule(files, build_sink);
    if (!Report(build_sink.diagnostics()) || !module) return kExitUsage;

    std::optional<uint32_t> entry = ChooseEntry(*module, files.empty() ? compiler::Span{} : files[0]->span);
    if (!entry) return kExitUsage;
    const ir::Function& fn = module->functions[*entry];

    auto bound = BindArgs(fn);
    if (!bound) return kExitUsage;

    if (args_.dry_run) {
      std::cout << ir::DumpPlan(*module, sources_, LockedReadOnly(args_.file));
      return kExitOk;
    }
    std::unique_ptr<jit::CompiledProgram> compiled;
    if (args_.jit || args_.jit_stats) {
      compiled = CompileWithJit(*module, args_.jit_stats);
      if (!compiled) return kExitUsage;
    }

    bool tty = isatty(STDERR_FILENO) != 0;
    ProgressMode mode = args_.progress == "live"    ? ProgressMode::kLive
                        : args_.progress == "plain" ? ProgressMode::kPlain
                        : args_.progress == "none"  ? ProgressMode::kNone
                        : tty                       ? ProgressMode::kLive
                                                    : ProgressMode::kLogsOnly;
    auto view = ProgressView::Make(mode, *sources_, UseColor(global_, STDERR_FILENO));

    // `profile --runs N` repeats the whole run (fresh servers each time); `run` runs once.
    // Calls are recorded only when someone reads them (profile, --trace-out).
    bool record = args_.profile || !args_.trace_out.empty();
    int runs = args_.profile ? std::max(1, args_.runs) : 1;
    std::vector<trace::Recording> recordings;
    Value last_value;
    for (int n = 0; n < runs; ++n) {
      auto pool = MakeServerPool(context_, root_, server_options_);
      if (!pool) {
        view->Finish();
        PrintError(pool.error().message);
        return ExitCodeFor(pool.error());
      }
      for (const config::ServerConfig& mocked : *mock_servers) (*pool)->AddServer(mocked);
      std::shared_ptr<mock::RecordingToolServer> recording;
      if (!args_.record_server.empty()) {
        auto real = (*pool)->Get(args_.record_server);
        if (!real) {
          view->Finish();
          PrintError(real.error().message);
          return kExitUsage;
        }
        recording = std::make_shared<mock::RecordingToolServer>(*real);
        if (const config::ServerConfig* server = (*pool)->config().FindServer(args_.record_server)) {
          recorded_config_values_ = server->env;
          recorded_config_values_.insert(recorded_config_values_.end(), server->headers.begin(), server->headers.end());
        }
        (*pool)->RegisterBuiltin(args_.record_server, recording);
      }
      if (n == 0) {
        if (int code = CheckLock(*module, **pool); code != kExitOk) {
          view->Finish();
          return code;
        }
      }
      // Profiled runs start their servers before the clock starts, so every run measures
      // the same thing (the first run's lock check already started them).
      if (args_.profile) StartServers(*module, **pool);
      trace::CallRecorder recorder(view.get());
      interp::Observer* observer = record ? static_cast<interp::Observer*>(&recorder) : view.get();
      stdlib::RunOptions options;
      options.sequential = args_.sequential;
      options.disk_cache = !args_.no_cache;
      if (compiled) options.native = &compiled->native();
      options.allowed_env.insert(args_.allow_env.begin(), args_.allow_env.end());
      auto run = stdlib::WorkflowRun::Prepare(*module, std::move(*pool), options, observer);
      if (!run) {
        view->Finish();
        std::cerr << fmt::format("error: {}\n", run.error().message);
        return run.error().kind == "config" ? kExitUsage : kExitServer;
      }

      interp::RunResult result;
      bool interrupted = false;
      {
        stdlib::WorkflowRun* active = run->get();
        InterruptWatcher watcher([active] { active->Cancel(); });
        recorder.Start();
        result = (*run)->Run(*entry, *bound);
        interrupted = watcher.interrupted();
      }
      if (record) recordings.push_back(recorder.Finish());
      if (recording && std::holds_alternative<Value>(result)) {
        if (int code = WriteRecording(*recording); code != kExitOk) {
          view->Finish();
          return code;
        }
      }
      if (n + 1 == runs || std::holds_alternative<interp::RuntimeError>(result)) view->Finish();
      run->reset();  // stop servers before printing, so their exit does not interleave

      if (const auto* error = std::get_if<interp::RuntimeError>(&result)) {
        WriteTrace(recordings, fn.name);
        compiler::Diagnostic d = error->ToDiagnostic();
        PrintDiagnostic(d);
        if (interrupted || error->kind == "cancelled") return kExitInterrupted;
        if (error->kind == "transport" || error->kind == "timeout") return kExitServer;
        return kExitWorkflowFailed;
      }
      last_value = std::get<Value>(std::move(result));
    }
    if (!WriteTrace(recordings, fn.name)) return kExitUsage;
    if (args_.profile) {
      std::cout << RenderProfile(recordings, fn.name, args_.file, *sources_);
      std::cout.flush();
      return kExitOk;
    }
    PrintValue(last_value);
    return kExitOk;
  }

  /// The file and every file it imports (as far as they were read): what `--watch` watches.
  const std::vector<std::string>& watched_files() const { return watched_files_; }

 private:
  /// Prints diagnostics to stderr; false when any is an error.
  bool Report(const std::vector<compiler::Diagnostic>& diagnostics) {
    bool ok = true;
    for (compiler::Diagnostic d : diagnostics) {
      AddConfigNearFileHint(d, *sources_, global_);
      PrintDiagnostic(d);
      ok = ok && d.severity != compiler::Severity::kError;
    }
    return ok;
  }

  void PrintDiagnostic(const compiler::Diagnostic& d) {
    if (args_.json) {
      std::cerr << compiler::RenderJson(d, *sources_) << "\n";
    } else {
      compiler::RenderOptions render;
      render.color = UseColor(global_, STDERR_FILENO);
      std::cerr << compiler::RenderHuman(d, *sources_, render);
    }
  }

  void Error(DiagKind kind, compiler::Span span, std::vector<std::string> args, std::string help = "") {
    compiler::Diagnostic d = compiler::MakeDiagnostic(kind, span, args);
    if (!help.empty()) d.AddHelp(std::move(help));
    PrintDiagnostic(d);
  }

  std::optional<uint32_t> ChooseEntry(const ir::Module& module, compiler::Span file_span) {
    std::vector<std::string> top_level;
    for (const ir::Function& fn : module.functions) {
      if (fn.agent == ir::kNone && !fn.is_test) top_level.push_back(fn.name);
    }
    if (!args_.workflow.empty()) {
      uint32_t index = module.FindFunction(args_.workflow);
      if (index != ir::kNone) return index;
      std::string message = fmt::format("`{}` has no workflow `{}`", args_.file, args_.workflow);
      auto similar = compiler::SuggestSimilar(args_.workflow, top_level);
      Error(DiagKind::kNoEntryWorkflow, {}, {message},
            similar ? fmt::format("did you mean `{}`?", *similar)
                    : fmt::format("the file has: {}", top_level.empty() ? "no workflows" : fmt::format("{}", fmt::join(top_level, ", "))));
      return std::nullopt;
    }
    uint32_t main = module.FindFunction("main");
    if (main != ir::kNone) return main;
    if (top_level.size() == 1) return module.FindFunction(top_level[0]);
    if (top_level.empty()) {
      Error(DiagKind::kNoEntryWorkflow, {}, {fmt::format("`{}` has no workflow to run", args_.file)},
            "add `workflow main() { … }`");
    } else {
      Error(DiagKind::kNoEntryWorkflow, {}, {fmt::format("`{}` has several workflows and none is called `main`", args_.file)},
            fmt::format("name the one to run: `orchestrator run {} {}` (it has {})", args_.file, top_level[0],
                        fmt::join(top_level, ", ")));
    }
    return std::nullopt;
  }

  std::optional<std::vector<std::optional<Value>>> BindArgs(const ir::Function& fn) {
    Value json;
    if (!args_.args_json.empty()) {
      std::string text = args_.args_json;
      if (text == "-") text.assign(std::istreambuf_iterator<char>(std::cin), {});
      auto parsed = ParseJson(text);
      if (!parsed) {
        Error(DiagKind::kBadArgument, {}, {"--args-json", parsed.error().message},
              "pass one JSON object, e.g. --args-json '{\"city\": \"Berlin\"}'");
        return std::nullopt;
      }
      json = std::move(*parsed);
    }
    auto [values, problems] = interp::BindArguments(fn, args_.args, json);
    for (const auto& p : problems) {
      compiler::Span span = fn.span;
      for (const ir::Param& param : fn.params) {
        if (param.name == p.name) span = param.span;
      }
      Error(DiagKind::kBadArgument, span, {p.name, p.problem});
    }
    bool missing = false;
    for (size_t i = 0; i < fn.params.size(); ++i) {
      const ir::Param& param = fn.params[i];
      if (values[i] || param.has_default) continue;
      bool reported = false;
      for (const auto& p : problems) reported = reported || p.name == param.name;
      if (reported) continue;
      missing = true;
      Error(DiagKind::kMissingArgument, param.span, {fn.name, param.name, param.type_text},
            fmt::format("pass it with `--arg {}=…`", param.name));
    }
    if (!problems.empty() || missing) return std::nullopt;
    return std::move(values);
  }

  void PrintValue(const Value& value) {
    if (args_.json) {
      std::cout << ToJson(value, {2, false}) << "\n";
    } else if (value.is_string()) {
      std::cout << value.as_string() << (value.as_string().ends_with('\n') ? "" : "\n");
    } else if (!value.is_null()) {
      std::cout << ToJson(value, {2, false}) << "\n";
    }
    std::cout.flush();
  }

  // Reports drift between orchestrator.lock and the live servers: a warning, or with
  // `--locked` an error (exit 2) before anything is called.
  int CheckLock(const ir::Module& module, mcp::ServerPool& pool) {
    auto drift = FindLockDrift(args_.file, module, pool, mocked_servers_);
    if (!drift) {
      PrintError(drift.error().message);
      return ExitCodeFor(drift.error());
    }
    if (args_.locked && drift->lock_path.empty()) {
      PrintError("`--locked` needs an orchestrator.lock next to the file or in the current directory\n"
                 "  = help: run `orchestrator tools lock` to write it");
      return kExitUsage;
    }
    if (drift->lines.empty()) return kExitOk;
    std::cerr << fmt::format("{}: the servers differ from `{}`\n", args_.locked ? "error" : "warning",
                             drift->lock_path);
    for (const auto& line : drift->lines) std::cerr << "  = note: " << line << "\n";
    std::cerr << "  = help: run `orchestrator tools lock`, then `orchestrator check` the file again\n";
    return args_.locked ? kExitUsage : kExitOk;
  }

  // Starts (and initializes) every configured server the program uses; failures are left
  // for the run to report at the call that needs the server.
  static void StartServers(const ir::Module& module, mcp::ServerPool& pool) {
    for (const ir::Server& s : module.servers) {
      const std::string& name = s.ConfiguredName();
      if (!pool.Has(name)) continue;
      if (auto server = pool.Get(name)) (void)(*server)->Identity();
    }
  }

  // The server each `--mock` fixture stands for, as `orchestrator mock serve FIXTURE`;
  // nullopt (after printing why) when a fixture cannot be used.
  std::optional<std::vector<config::ServerConfig>> MockServers() {
    std::vector<config::ServerConfig> servers;
    std::error_code ec;
    std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
    for (const std::string& path : args_.mocks) {
      auto fixture = mock::LoadFixture(path);
      if (!fixture) {
        PrintError(fixture.error().message);
        return std::nullopt;
      }
      if (fixture->stands_for.empty()) {
        PrintError(fmt::format("`{}` does not say which server it stands for\n"
                               "  = help: add `stands_for: NAME` (the server's name in the configuration) at the top",
                               path));
        return std::nullopt;
      }
      config::ServerConfig server;
      server.name = fixture->stands_for;
      server.transport = config::TransportKind::kStdio;
      server.command = ec ? std::string("orchestrator") : self.string();
      server.args = {"mock", "serve", std::filesystem::absolute(path).string()};
      server.described_as_written = "mock: " + path;
      server.origin = path;
      mocked_servers_.insert(server.name);
      servers.push_back(std::move(server));
    }
    return servers;
  }

  // Writes the fixture of `mock record` from what `recording` saw.
  int WriteRecording(mock::RecordingToolServer& recording) {
    auto identity = recording.Identity();
    auto tools = identity ? recording.ListTools() : ErrorOr<std::vector<mcp::ToolInfo>>(identity.error());
    if (!tools) {
      PrintError(fmt::format("cannot describe `{}` for the fixture: {}", args_.record_server, tools.error().message));
      return kExitServer;
    }
    auto calls = recording.Calls();
    std::string text = mock::WriteFixture(args_.record_server, *identity, *tools, calls,
                                          mock::CollectSecrets(recorded_config_values_));
    if (auto written = WriteFileAtomically(args_.record_out, text); !written) {
      PrintError(written.error().message);
      return kExitUsage;
    }
    std::cerr << fmt::format("recorded {} call{} of `{}` to {}\n", calls.size(), calls.size() == 1 ? "" : "s",
                             args_.record_server, args_.record_out);
    return kExitOk;
  }

  // Writes --trace-out (if asked); false when the file cannot be written.
  bool WriteTrace(const std::vector<trace::Recording>& recordings, const std::string& workflow) {
    if (args_.trace_out.empty()) return true;
    const compiler::SourceMap& sources = *sources_;
    std::string text = trace::ChromeTraceJson(recordings, workflow, [&](compiler::Span span) {
      return LocationText(sources, span);
    });
    if (auto written = WriteFileAtomically(args_.trace_out, text); !written) {
      PrintError(fmt::format("cannot write the trace: {}", written.error().message));
      return false;
    }
    return true;
  }

  std::vector<std::string> watched_files_;
  /// Servers replaced by `--mock` fixtures (not compared with the lock).
  std::set<std::string, std::less<>> mocked_servers_;
  /// `mock record`: the recorded server's configured `env` and `headers` (redacted).
  std::vector<std::pair<std::string, std::string>> recorded_config_values_;
  const RunArgs& args_;
  const GlobalOptions& global_;
  const CommandContext& context_;
  const CLI::App& root_;
  ServerOptions server_options_;
  const compiler::SourceMap* sources_ = nullptr;
};

}  // namespace

void AddRunOptions(CLI::App& cmd, RunArgs& args) {
  cmd.add_option("FILE", args.file, "The .orch file to run")->required();
  cmd.add_option("WORKFLOW", args.workflow, "The workflow to run (default: `main`, else the file's only workflow)");
  cmd.add_option("--arg", args.args,
                  "A workflow argument NAME=VALUE; VALUE is JSON unless the parameter is a string (repeatable)")
      ->type_name("NAME=VALUE")
      ->allow_extra_args(false);
  cmd.add_option("--args-json", args.args_json, "All arguments as one JSON object, or - to read it from stdin")
      ->type_name("JSON|-");
  cmd.add_flag("--sequential", args.sequential, "Run every step in program order, one at a time");
  cmd.add_flag("--jit", args.jit, "Compile the workflows to machine code with LLVM before running (cached in .orchestrator/jit)");
  cmd.add_flag("--jit-stats", args.jit_stats, "Like --jit, and print what was compiled and what compiling cost (and whether the cache had it) on stderr");
  cmd.add_option("--allow-env", args.allow_env, "Let `std.env` read this environment variable (repeatable)")
      ->type_name("NAME")
      ->allow_extra_args(false);
  cmd.add_option("--progress", args.progress,
                  "Progress on stderr: auto (live on a terminal, log lines otherwise), live, plain (a line per call) or none")
      ->type_name("MODE")
      ->check(CLI::IsMember({"auto", "live", "plain", "none"}))
      ->capture_default_str();
  cmd.add_flag("--locked", args.locked,
                "Refuse to run when the servers' tools differ from orchestrator.lock (default: warn)");
  cmd.add_flag("--no-cache", args.no_cache, "Keep `with { cache: … }` results in memory only, not in .orchestrator/");
  cmd.add_option("--answers", args.answers_file,
                  "Answers for servers' elicitation requests when no terminal can prompt (JSON or YAML file)")
      ->type_name("FILE");
  cmd.add_option("--mock", args.mocks,
                 "Replace the server a fixture stands for (its `stands_for`) with `mock serve FIXTURE` (repeatable)")
      ->type_name("FIXTURE")
      ->allow_extra_args(false);
  cmd.add_option("--trace-out", args.trace_out, "Write every call as Chrome trace JSON (Perfetto, chrome://tracing) to FILE")
      ->type_name("FILE");
}

int RunWorkflow(const RunArgs& args, const CommandContext& context, const CLI::App& root) {
  if (!args.watch) return Runner(args, context, root).Run();
  // `--watch`: run, wait for a change to the file or an import, run again; Ctrl-C during
  // a run cancels it as usual, during the wait it ends the loop (exit 130 either way).
  // The baseline is taken before each run, so an edit made while it runs is not missed.
  watch::FileWatcher watcher({args.file});
  while (true) {
    std::vector<std::string> files;
    int code;
    {
      Runner runner(args, context, root);
      code = runner.Run();
      files = runner.watched_files();
    }
    if (code == kExitInterrupted) return code;
    if (files.empty()) files.push_back(args.file);
    watcher.Update(files);
    std::atomic<bool> stop{false};
    bool changed;
    {
      // Ctrl-C is caught before the message invites it.
      InterruptWatcher interrupt([&stop] { stop = true; });
      std::cerr << fmt::format("[watch] exit {}; waiting for a change to {}{}; Ctrl-C to stop\n", code, args.file,
                               files.size() > 1 ? fmt::format(" or its {} imports", files.size() - 1) : "")
                << std::flush;
      changed = watcher.WaitForChange([&stop] { return stop.load(); });
    }
    if (!changed) return kExitInterrupted;
    std::cerr << fmt::format("[watch] {} changed; running again\n", args.file) << std::flush;
  }
}

}  // namespace orch::cli
