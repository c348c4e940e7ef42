// ResultCache: remembered tool results for `with { cache: 5m }`. Keys are built from the
// server's identity, the tool name and the canonical JSON of the arguments, so equal
// calls hit regardless of argument order. Two layers: memory (for the run) and, when a
// project store is available, SQLite in `.orchestrator/cache.db` (across runs). Entries
// expire after their TTL. Thread-safe.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "runtime/value/error_or.h"
#include "runtime/value/value.h"

namespace orch::store {
class Database;
}

namespace orch::interp {

class ResultCache {
 public:
  /// A memory-only cache.
  ResultCache();
  ~ResultCache();
  /// A cache backed by `directory/cache.db` (created when missing; a corrupt file is moved
  /// aside). The returned note, when set, says a corrupt file was replaced.
  static ErrorOr<std::unique_ptr<ResultCache>> OpenOnDisk(const std::filesystem::path& directory,
                                                          std::optional<std::string>* note = nullptr);

  /// The cache key for one call.
  static std::string Key(const std::string& server_identity, const std::string& tool, const Value& arguments);

  /// A fresh entry (younger than `ttl`), or nullopt.
  std::optional<Value> Get(const std::string& key, std::chrono::milliseconds ttl);
  /// Stores `raw` (a raw CallToolResult) under `key`, stamped now.
  void Put(const std::string& key, const Value& raw);

 private:
  struct Entry {
    Value raw;
    int64_t stored_ms;
  };
  std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> memory_;
  std::unique_ptr<store::Database> disk_;
};

}  // namespace orch::interp
