// ResultCache: memory map in front of an optional SQLite table (key, stored_ms, result).
#include "runtime/interp/result_cache.h"

#include "runtime/store/project_store.h"
#include "runtime/store/sqlite.h"
#include "runtime/value/json.h"

namespace orch::interp {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

ErrorOr<void> Migrate(store::Database& db) {
  return db.Exec(
      "CREATE TABLE IF NOT EXISTS tool_results ("
      " key TEXT PRIMARY KEY, stored_ms INTEGER NOT NULL, result TEXT NOT NULL)");
}

}  // namespace

ResultCache::ResultCache() = default;
ResultCache::~ResultCache() = default;

ErrorOr<std::unique_ptr<ResultCache>> ResultCache::OpenOnDisk(const std::filesystem::path& directory,
                                                              std::optional<std::string>* note) {
  auto opened = store::OpenStoreDatabase(directory, "cache.db", Migrate);
  if (!opened) return opened.error();
  if (note) *note = opened->recovery_note;
  auto cache = std::make_unique<ResultCache>();
  cache->disk_ = std::make_unique<store::Database>(std::move(opened->db));
  return cache;
}

std::string ResultCache::Key(const std::string& server_identity, const std::string& tool, const Value& arguments) {
  std::string key = server_identity;
  key += '\x1f';
  key += tool;
  key += '\x1f';
  key += CanonicalJson(arguments);
  return key;
}

std::optional<Value> ResultCache::Get(const std::string& key, std::chrono::milliseconds ttl) {
  std::lock_guard lock(mutex_);
  return GetLocked(key, ttl);
}

ResultCache::Lookup ResultCache::GetOrClaim(const std::string& key, std::chrono::milliseconds ttl,
                                            const std::function<bool()>& stop) {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (auto hit = GetLocked(key, ttl)) return Lookup{std::move(hit), false};
    if (in_flight_.insert(key).second) return Lookup{std::nullopt, true};
    if (stop && stop()) return Lookup{};
    released_.wait_for(lock, std::chrono::milliseconds(50));
  }
}

void ResultCache::Release(const std::string& key) {
  {
    std::lock_guard lock(mutex_);
    in_flight_.erase(key);
  }
  released_.notify_all();
}

std::optional<Value> ResultCache::GetLocked(const std::string& key, std::chrono::milliseconds ttl) {
  int64_t oldest = NowMs() - ttl.count();
  auto it = memory_.find(key);
  if (it != memory_.end() && it->second.stored_ms >= oldest) return it->second.raw;
  if (!disk_) return std::nullopt;
  auto stmt = disk_->Prepare("SELECT stored_ms, result FROM tool_results WHERE key = ?1");
  if (!stmt) return std::nullopt;
  stmt->Bind(1, key);
  auto row = stmt->Step();
  if (!row || !*row) return std::nullopt;
  int64_t stored = stmt->ColumnInt(0);
  if (stored < oldest) return std::nullopt;
  auto raw = ParseJson(stmt->ColumnText(1));
  if (!raw) return std::nullopt;
  memory_[key] = Entry{*raw, stored};
  return *raw;
}

void ResultCache::Put(const std::string& key, const Value& raw) {
  std::lock_guard lock(mutex_);
  int64_t now = NowMs();
  memory_[key] = Entry{raw, now};
  if (!disk_) return;
  auto stmt = disk_->Prepare("INSERT OR REPLACE INTO tool_results (key, stored_ms, result) VALUES (?1, ?2, ?3)");
  if (!stmt) return;
  stmt->Bind(1, key).Bind(2, now).Bind(3, ToJson(raw));
  // A cache that cannot be written only costs a later miss.
  (void)stmt->Run();
}

}  // namespace orch::interp
