// ToolInvoker: how the interpreter calls one tool. It finds the server, learns the tool's
// annotations (readOnlyHint, idempotentHint) and whether it has an outputSchema from
// `tools/list` (once per server per run), applies the call policies of
// `with { timeout, retry, backoff, cache }`, reports start/progress/end to the Observer,
// and turns the raw MCP CallToolResult into the language's value:
//   - a result with `isError: true` becomes an error of kind "tool";
//   - a tool with an outputSchema yields its `structuredContent`, validated against that
//     schema (a violation is an error of kind "schema" naming the field);
//   - any other tool yields `ToolResult {content, text, structured, is_error}`.
// Thread-safe: parallel branches call it concurrently.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "compiler/source/source.h"
#include "runtime/interp/observer.h"
#include "runtime/interp/output_schema.h"
#include "runtime/interp/result_cache.h"
#include "runtime/mcp/tool_server.h"

namespace orch::interp {

/// Finds a server by its configured name (ServerPool::Get in `run`, a fake in tests).
using ServerLookup = std::function<ErrorOr<std::shared_ptr<mcp::ToolServer>>(const std::string& name)>;

/// What the interpreter needs to know about a tool before calling it.
struct ToolFacts {
  /// The server listed the tool.
  bool known = false;
  bool read_only = false;
  bool idempotent = false;
  bool has_output_schema = false;
};

/// Evaluated call policies; durations in milliseconds.
struct CallPolicyValues {
  std::optional<std::chrono::milliseconds> timeout;
  int retries = 0;
  std::chrono::milliseconds backoff{0};
  std::optional<std::chrono::milliseconds> cache_ttl;
};

class ToolInvoker {
 private:
  struct ServerState;

 public:
  /// A tool resolved once (server found, tools listed); stable for the invoker's lifetime.
  struct Handle {
    ServerState* server = nullptr;
    std::string server_name;
    std::string tool;
    /// "server.tool", for messages.
    std::string what;
    ToolFacts facts;
    /// Checks results against the tool's outputSchema; null when it has none (or valijson
    /// cannot use it, which the observer is told once).
    std::shared_ptr<const OutputSchemaValidator> output_validator;
  };

  /// `cache` may be null (no caching); `default_timeout` zero means each server's own.
  ToolInvoker(ServerLookup servers, Observer* observer, ResultCache* cache, std::chrono::milliseconds default_timeout);

  /// Resolves `server`'s `tool` (listing the server's tools on first use). `alias` is the
  /// server's name in the program, for messages.
  ErrorOr<const Handle*> Resolve(const std::string& server, const std::string& tool, const std::string& alias);

  /// Facts about `server`'s `tool`; lists the server's tools on first use.
  ErrorOr<ToolFacts> Facts(const std::string& server, const std::string& tool);

  /// Calls a resolved tool with `arguments` (a record) under `policy`.
  ErrorOr<Value> Call(const Handle& tool, const Value& arguments, const CallPolicyValues& policy, compiler::Span span,
                      const mcp::CancelToken& cancel);

  /// Resolves and calls in one step (tests, one-off calls).
  ErrorOr<Value> Call(const std::string& server, const std::string& tool, const Value& arguments,
                      const CallPolicyValues& policy, compiler::Span span, const mcp::CancelToken& cancel);

  /// Turns a raw CallToolResult into the language value (see the file comment).
  static ErrorOr<Value> ToLanguageValue(const Value& raw, bool has_output_schema, const std::string& what);

 private:
  struct ServerState {
    std::shared_ptr<mcp::ToolServer> server;
    std::map<std::string, ToolFacts, std::less<>> tools;
    std::map<std::string, Value, std::less<>> output_schemas;
    std::string identity;  // "name@version" for cache keys
  };
  ErrorOr<ServerState*> State(const std::string& server);

  ServerLookup lookup_;
  Observer* observer_;
  ResultCache* cache_;
  std::chrono::milliseconds default_timeout_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<ServerState>, std::less<>> servers_;
  std::map<std::string, std::unique_ptr<Handle>, std::less<>> handles_;
  std::atomic<uint64_t> next_call_id_{1};
};

}  // namespace orch::interp
