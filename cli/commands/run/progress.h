// How `run` shows a workflow's progress on stderr. Two renderers of interp::Observer:
// a live view for terminals (running calls with a spinner or a progress bar from MCP
// progress notifications, finished calls with their duration) and plain lines for logs
// and CI (log statements, warnings, retries, and with `--progress plain` one line per
// finished call).
#pragma once

#include <memory>
#include <string>

#include "compiler/source/source.h"
#include "runtime/interp/observer.h"

namespace orch::cli {

enum class ProgressMode { kLive, kPlain, kLogsOnly, kNone };

/// An observer writing to stderr. `sources` locates spans for messages.
class ProgressView : public interp::Observer {
 public:
  static std::unique_ptr<ProgressView> Make(ProgressMode mode, const compiler::SourceMap& sources, bool color);
  /// Removes the live block (if any) before the result is printed.
  virtual void Finish() {}
};

}  // namespace orch::cli
