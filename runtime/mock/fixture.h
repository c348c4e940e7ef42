// Mock fixtures: the tools, schemas and canned answers of a pretend MCP server, read from
// YAML. The format (documented in orchestrator-mock(1)):
//
//   stands_for: filesystem                                       # optional: the configured
//                                                                #   server `run --mock` replaces
//   server: {name: files, version: 1.0.0, instructions: "..."}   # all optional
//   pageSize: 0                                                  # tools per tools/list page
//   tools:
//     read_file:
//       description: Read a file
//       inputSchema: {type: object, properties: {path: {type: string}}}
//       outputSchema: {...}            # optional
//       annotations: {readOnlyHint: true}
//       responses:
//         - match: {path: /etc/hosts}  # subset of the arguments; most specific match wins
//           text: "127.0.0.1 localhost"
//         - sequence:                  # successive calls; the last one repeats
//             - {text: first}
//             - {isError: true, text: gone}
//         - latency: 200ms             # any reply: delay before answering
//           error: {code: -32000, message: boom}   # a JSON-RPC error instead of a result
//
// A reply is `text` (a string or list of strings), `structured` (structuredContent; its
// JSON is also sent as text unless `text` is given), `content` (raw MCP content blocks),
// `isError`, `latency` and `error`. Every error names the file, line and key.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/mcp/server/session.h"
#include "runtime/mcp/server/tool_provider.h"
#include "runtime/value/error_or.h"

namespace orch::mock {

/// One canned answer.
struct MockReply {
  std::chrono::milliseconds latency{0};
  Value result;                                 ///< a CallToolResult record (when no error)
  std::optional<mcp::server::RpcError> error;   ///< a JSON-RPC error instead
};

/// A response rule: when the arguments contain `match`, answer with the next reply.
struct MockResponse {
  Value match;  ///< a record (subset of the arguments) or null (matches every call)
  std::vector<MockReply> sequence;
  int line = 0;  ///< where the rule starts in the fixture, for messages
  /// Calls answered so far (shared so a Fixture stays copyable).
  std::shared_ptr<std::atomic<size_t>> calls = std::make_shared<std::atomic<size_t>>(0);
};

struct MockTool {
  mcp::server::ToolDescriptor descriptor;
  std::vector<MockResponse> responses;
};

struct Fixture {
  std::string file;  ///< where it was read from, for messages
  /// The configured server this fixture stands in for (`run --mock`); empty when not said.
  std::string stands_for;
  mcp::server::ServerInfo server;
  std::vector<MockTool> tools;
};

/// Parses fixture text; `file_name` is used in messages. Errors have kind "config".
ErrorOr<Fixture> ParseFixture(std::string_view text, std::string_view file_name);
/// Reads and parses a fixture file.
ErrorOr<Fixture> LoadFixture(const std::string& path);

/// How many leaf constraints `match` has (its specificity); null has 0.
size_t MatchSpecificity(const Value& match);
/// True when every field of `match` is present in `arguments` with an equal value
/// (records compare field by field, recursively; anything else by equality).
bool MatchesArguments(const Value& match, const Value& arguments);

}  // namespace orch::mock
