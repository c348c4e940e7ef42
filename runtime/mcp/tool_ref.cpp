// ParseToolRef: `server/tool`, unambiguous `server.tool`, or a bare tool of the only server.
#include "runtime/mcp/tool_ref.h"

#include <fmt/format.h>

#include <algorithm>

#include "compiler/diagnostics/diagnostic.h"

namespace orch::mcp {

ErrorOr<ToolRef> ParseToolRef(std::string_view text, const std::vector<std::string>& servers) {
  auto known = [&](std::string_view name) { return std::find(servers.begin(), servers.end(), name) != servers.end(); };
  if (size_t slash = text.find('/'); slash != std::string_view::npos) {
    ToolRef ref{std::string(text.substr(0, slash)), std::string(text.substr(slash + 1))};
    if (ref.server.empty() || ref.tool.empty()) {
      return MakeError("usage", fmt::format("`{}` is not a tool reference\n  = help: write `SERVER/TOOL`", text));
    }
    return ref;
  }
  std::vector<ToolRef> candidates;
  for (size_t dot = text.find('.'); dot != std::string_view::npos; dot = text.find('.', dot + 1)) {
    std::string_view server = text.substr(0, dot);
    if (known(server) && dot + 1 < text.size()) candidates.push_back({std::string(server), std::string(text.substr(dot + 1))});
  }
  if (candidates.size() == 1) return candidates[0];
  if (candidates.size() > 1) {
    std::vector<std::string> spelled;
    for (const auto& c : candidates) spelled.push_back(fmt::format("`{}/{}`", c.server, c.tool));
    return MakeError("usage", fmt::format("`{}` is ambiguous: it could be {}\n  = help: write it with a slash",
                                          text, fmt::join(spelled, " or ")));
  }
  if (servers.size() == 1 && !text.empty()) return ToolRef{servers[0], std::string(text)};
  std::string message = fmt::format("`{}` names no server\n  = help: write `SERVER/TOOL`", text);
  if (size_t dot = text.find('.'); dot != std::string_view::npos) {
    if (auto similar = compiler::SuggestSimilar(text.substr(0, dot), servers)) {
      message += fmt::format("; did you mean `{}/{}`?", *similar, text.substr(dot + 1));
    }
  }
  if (!servers.empty()) message += fmt::format("\n  = note: known servers: {}", fmt::join(servers, ", "));
  return MakeError("usage", message);
}

}  // namespace orch::mcp
