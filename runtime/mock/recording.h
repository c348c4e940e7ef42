// Recording real tool calls into a mock fixture (`orchestrator mock record`): a ToolServer
// decorator that passes every call through to the real server and remembers the arguments
// and the answer, and the writer that turns what it saw into a fixture `mock serve` and
// `run --mock` replay. Secrets are redacted: every occurrence of the value of a secret-looking
// environment variable (names with TOKEN, SECRET, PASSWORD, KEY, AUTH, CREDENTIAL) or of a
// value the server's configuration passes in `env` or `headers` becomes `[redacted:NAME]`.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "runtime/mcp/tool_server.h"

namespace orch::mock {

/// One call as the real server answered it.
struct RecordedCall {
  std::string tool;
  Value arguments;
  /// The CallToolResult record, or null when the call failed (then `error` says why).
  Value result;
  std::string error;
};

class RecordingToolServer final : public mcp::ToolServer {
 public:
  explicit RecordingToolServer(std::shared_ptr<mcp::ToolServer> real) : real_(std::move(real)) {}

  const std::string& name() const override { return real_->name(); }
  ErrorOr<mcp::ServerIdentity> Identity() override { return real_->Identity(); }
  ErrorOr<std::vector<mcp::ToolInfo>> ListTools() override { return real_->ListTools(); }
  ErrorOr<Value> CallTool(const std::string& tool, const Value& arguments, const mcp::CallOptions& options) override;
  void Close() override { real_->Close(); }

  /// The calls so far, in the order they finished.
  std::vector<RecordedCall> Calls() const;

 private:
  std::shared_ptr<mcp::ToolServer> real_;
  mutable std::mutex mutex_;
  std::vector<RecordedCall> calls_;
};

/// Secret values to redact: (name, value) pairs.
using Secrets = std::vector<std::pair<std::string, std::string>>;

/// The secret-looking variables of this process's environment plus `configured` (the
/// server's own `env` and `headers`), values shorter than 4 characters left out.
Secrets CollectSecrets(const std::vector<std::pair<std::string, std::string>>& configured);

/// The fixture text for `server` (its identity and tools as listed now) answering `calls`:
/// one response rule per distinct argument record, a `sequence` when equal calls got
/// different answers. `stands_for` is the configured server name `run --mock` replaces.
std::string WriteFixture(const std::string& stands_for, const mcp::ServerIdentity& identity,
                         const std::vector<mcp::ToolInfo>& tools, const std::vector<RecordedCall>& calls,
                         const Secrets& secrets);

}  // namespace orch::mock
