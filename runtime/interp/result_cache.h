// ResultCache: remembered tool results for `with { cache: 5m }`. Keys are built from the
// server's identity, the tool name and the canonical JSON of the arguments, so equal
// calls hit regardless of argument order. Two layers: memory (for the run) and, when a
// project store is available, SQLite in `.orchestrator/cache.db` (across runs). Entries
// expire after their TTL. Thread-safe; concurrent equal calls are coalesced: while one is
// in flight, the others wait for its result instead of calling the tool again.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
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

  /// A fresh entry, or a claim on `key`: the caller then makes the call, `Put`s a success
  /// and must `Release` the claim. While another caller holds the claim this waits for it
  /// (returning its result when it stored one, or taking the claim over when it failed);
  /// `stop` is polled while waiting and returns nullopt without a claim when it says so.
  struct Lookup {
    std::optional<Value> hit;
    bool claimed = false;
  };
  Lookup GetOrClaim(const std::string& key, std::chrono::milliseconds ttl, const std::function<bool()>& stop);
  void Release(const std::string& key);

 private:
  struct Entry {
    Value raw;
    int64_t stored_ms;
  };
  std::optional<Value> GetLocked(const std::string& key, std::chrono::milliseconds ttl);

  std::mutex mutex_;
  std::condition_variable released_;
  std::set<std::string, std::less<>> in_flight_;
  std::map<std::string, Entry, std::less<>> memory_;
  std::unique_ptr<store::Database> disk_;
};

}  // namespace orch::interp
