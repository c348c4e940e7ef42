// Small catalogs and temp directories shared by the route unit tests.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "runtime/route/catalog.h"
#include "runtime/route/index.h"
#include "runtime/value/json.h"

namespace orch::route::testing {

/// A catalog of a few tools from different servers, with schemas.
inline Catalog SmallCatalog() {
  auto json = ParseJson(R"([
    {"server": "fs", "name": "read_text_file", "description": "Read the complete contents of a text file from disk.",
     "inputSchema": {"type": "object", "properties": {"path": {"type": "string", "description": "Path of the file"}}}},
    {"server": "fs", "name": "list_directory", "description": "Get a listing of all files and folders in a directory.",
     "inputSchema": {"type": "object", "properties": {"path": {"type": "string"}}}},
    {"server": "fs", "name": "write_file", "description": "Create a new file or overwrite an existing file with new content.",
     "inputSchema": {"type": "object", "properties": {"path": {"type": "string"}, "content": {"type": "string"}}}},
    {"server": "weather", "name": "getForecast", "description": "Weather forecast for a city for the next days.",
     "inputSchema": {"type": "object", "properties": {"city": {"type": "string", "description": "City name"}}}},
    {"server": "kv", "name": "keyvault_secret_list", "description": "List all secrets in a vault.", "inputSchema": {}},
    {"server": "kv", "name": "keyvault_secret_get", "description": "Get one secret from a vault.", "inputSchema": {}},
    {"server": "mail", "name": "send-email", "description": "Send an email message to a recipient.", "inputSchema": {}}
  ])");
  auto catalog = CatalogFromJson(*json, "test");
  return std::move(*catalog);
}

/// A fresh, empty directory removed at scope exit.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    path = std::filesystem::temp_directory_path() /
           ("orch-route-test-" + std::to_string(::getpid()) + "-" + std::to_string(reinterpret_cast<uintptr_t>(this)));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

}  // namespace orch::route::testing
