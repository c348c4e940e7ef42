// The tools the router chooses among: a catalog of {server, name, description,
// inputSchema} entries, read from a JSON file (`--tools FILE`), or built by the caller
// from `orchestrator.lock` or live servers. Checking happens here, once: every entry
// needs a non-empty server and name, and a `server/name` id may appear only once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/value/error_or.h"
#include "runtime/value/value.h"

namespace orch::route {

/// One tool as the router sees it.
struct ToolEntry {
  std::string server;
  std::string name;
  std::string description;
  /// The tool's JSON Schema for its arguments (a record, or null when unknown).
  Value input_schema;

  /// `server/name`, the id used on the command line and in labelled data.
  std::string Id() const { return server + "/" + name; }
};

/// An ordered list of tools plus a fingerprint that changes whenever any tool does.
struct Catalog {
  std::vector<ToolEntry> tools;
  /// Hex digest of the tools' canonical JSON: the on-disk index is rebuilt when it changes.
  std::string fingerprint;
};

/// Builds a catalog from parsed JSON: a list of tool records, or a record with a `tools`
/// list (the shape of a `tools/list` result, then `default_server` names the server).
/// `origin` names the source in error messages.
ErrorOr<Catalog> CatalogFromJson(const Value& json, std::string_view origin, std::string_view default_server = {},
                                 std::optional<std::string> fingerprint = std::nullopt);

/// Builds a catalog from tool entries gathered elsewhere (lock file, live servers),
/// applying the same checks. The fingerprint is of the tools' canonical JSON unless
/// `fingerprint` is given (a file's bytes say as much, and hashing them is cheaper).
ErrorOr<Catalog> CatalogFromTools(std::vector<ToolEntry> tools, std::string_view origin,
                                  std::optional<std::string> fingerprint = std::nullopt);

/// Reads and checks a catalog file; its fingerprint is that of the file's bytes.
ErrorOr<Catalog> LoadCatalogFile(const std::string& path);

/// 64-bit FNV-1a of `data`, as 16 hex digits.
std::string Fingerprint(std::string_view data);

}  // namespace orch::route
