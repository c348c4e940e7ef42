// Running one workflow of a file, shared by `run` and `profile`: compile, choose the entry,
// bind the arguments, check the lock, start the servers and run, with progress on stderr;
// optionally several times with every call recorded (`profile`, `--trace-out`). Prints
// diagnostics, the result (or the profile) and chooses the exit code.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "cli/command.h"

namespace orch::cli {

/// The options of `run` (and `profile`).
struct RunArgs {
  std::string file;
  std::string workflow;
  std::vector<std::string> args;
  std::string args_json;
  std::vector<std::string> allow_env;
  std::string progress = "auto";
  std::string answers_file;
  bool json = false;
  bool dry_run = false;
  bool sequential = false;
  bool no_cache = false;
  bool locked = false;
  /// Write the calls of the run(s) as Chrome trace JSON here.
  std::string trace_out;
  /// `profile`: print the timing report instead of the result.
  bool profile = false;
  /// `profile --runs N`.
  int runs = 1;
  /// `--mock FIXTURE.yaml` (repeatable): the fixture's `stands_for` server is replaced by
  /// `orchestrator mock serve FIXTURE.yaml`.
  std::vector<std::string> mocks;
  /// `mock record`: the server whose calls are recorded, and the fixture written after a
  /// successful run.
  std::string record_server;
  std::string record_out;
  /// `run --watch`: run again whenever the file or an import changes, until Ctrl-C.
  bool watch = false;
  /// `--jit`: compile the workflows with LLVM before running; `--jit-stats` reports it.
  bool jit = false;
  bool jit_stats = false;
};

/// Adds FILE, WORKFLOW and the options `run` and `profile` share to `cmd`.
void AddRunOptions(CLI::App& cmd, RunArgs& args);

/// Runs the workflow `args` names; returns the exit code. `root` is the top-level app.
int RunWorkflow(const RunArgs& args, const CommandContext& context, const CLI::App& root);

}  // namespace orch::cli
