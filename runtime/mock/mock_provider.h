// MockProvider: a ToolProvider answering from a Fixture. Picks the most specific matching
// response rule (ties: the earliest in the file), steps through its sequence, waits the
// injected latency (cut short by cancellation), and answers with the canned result or error.
#pragma once

#include "runtime/mcp/server/tool_provider.h"
#include "runtime/mock/fixture.h"

namespace orch::mock {

class MockProvider : public mcp::server::ToolProvider {
 public:
  explicit MockProvider(Fixture fixture) : fixture_(std::move(fixture)) {}

  std::vector<mcp::server::ToolDescriptor> ListTools() override;
  mcp::server::ToolOutcome CallTool(const std::string& name, const Value& arguments,
                                    mcp::server::ToolCallContext& context) override;

  const Fixture& fixture() const { return fixture_; }

 private:
  Fixture fixture_;
};

}  // namespace orch::mock
