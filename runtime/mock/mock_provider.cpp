// MockProvider: rule selection and replay (see mock_provider.h).
#include "runtime/mock/mock_provider.h"

#include <fmt/format.h>

#include "runtime/value/json.h"

namespace orch::mock {

std::vector<mcp::server::ToolDescriptor> MockProvider::ListTools() {
  std::vector<mcp::server::ToolDescriptor> tools;
  tools.reserve(fixture_.tools.size());
  for (const auto& tool : fixture_.tools) tools.push_back(tool.descriptor);
  return tools;
}

mcp::server::ToolOutcome MockProvider::CallTool(const std::string& name, const Value& arguments,
                                                mcp::server::ToolCallContext& context) {
  const MockTool* tool = nullptr;
  for (const auto& candidate : fixture_.tools) {
    if (candidate.descriptor.name == name) tool = &candidate;
  }
  if (tool == nullptr) return {Value(), mcp::server::RpcError{-32602, fmt::format("unknown tool `{}`", name), Value()}};
  if (tool->responses.empty()) return {Value(Record{{"content", Value(List{})}}), std::nullopt};

  const MockResponse* best = nullptr;
  size_t best_specificity = 0;
  for (const auto& response : tool->responses) {
    if (!MatchesArguments(response.match, arguments)) continue;
    size_t specificity = MatchSpecificity(response.match);
    if (best == nullptr || specificity > best_specificity) {
      best = &response;
      best_specificity = specificity;
    }
  }
  if (best == nullptr) {
    return {Value(), mcp::server::RpcError{
                         -32602,
                         fmt::format("mock: no response for `{}` in {} matches the arguments {}; add a response "
                                     "without `match` as a fallback",
                                     name, fixture_.file, ToJson(arguments)),
                         Value()}};
  }
  size_t index = best->calls->fetch_add(1);
  const MockReply& reply = best->sequence[std::min(index, best->sequence.size() - 1)];
  if (reply.latency.count() > 0 && !context.SleepFor(reply.latency)) {
    return {Value(), mcp::server::RpcError{-32800, "request cancelled", Value()}};
  }
  if (reply.error) return {Value(), reply.error};
  return {reply.result, std::nullopt};
}

}  // namespace orch::mock
