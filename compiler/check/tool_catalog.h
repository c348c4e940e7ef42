// The tools the checker knows: for each server (by its configured name), each tool's MCP
// description and its language types (types::ToolTypeFromSchemas over the locked schemas).
// Built from `orchestrator.lock` by the driver, plus the built-in `std` server.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/types/schema.h"
#include "runtime/value/value.h"

namespace orch::compiler::check {

/// One tool: what tools/list said and the types derived from it.
struct CatalogTool {
  std::string name;
  std::string description;
  Value annotations;
  types::ToolType type;
  /// True when annotations say `readOnlyHint: true`.
  bool read_only = false;
};

/// One server's tools, sorted by name.
struct CatalogServer {
  std::string name;
  std::vector<CatalogTool> tools;
  const CatalogTool* Find(std::string_view tool) const;
  std::vector<std::string> ToolNames() const;
};

class ToolCatalog {
 public:
  /// A catalog holding only the built-in `std` server.
  static ToolCatalog WithStd();

  /// Adds (or replaces) `server` with the MCP Tool records in `tools` (a list of
  /// `{name, description, inputSchema, outputSchema?, annotations?}`). Entries without a
  /// string `name` are skipped.
  void AddServer(const std::string& server, const Value& tools);
  /// Adds every server of a lock file's JSON (`{"servers": {name: {"tools": [...]}}}`).
  void AddLockJson(const Value& lock);

  /// The server, or nullptr when it has no schemas.
  const CatalogServer* Find(std::string_view server) const;
  std::vector<std::string> ServerNames() const;

 private:
  std::map<std::string, std::shared_ptr<CatalogServer>, std::less<>> servers_;
};

}  // namespace orch::compiler::check
