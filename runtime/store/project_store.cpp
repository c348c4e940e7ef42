// Finding the project's `.orchestrator/` directory and opening its databases with
// corruption recovery.
#include "runtime/store/project_store.h"

#include <chrono>
#include <cstdlib>
#include <system_error>

namespace orch::store {
namespace fs = std::filesystem;
namespace {

bool Exists(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p, ec);
}

fs::path Absolute(const fs::path& start) {
  std::error_code ec;
  fs::path abs = fs::absolute(start, ec);
  return ec ? start : abs.lexically_normal();
}

// Opens and validates; any failure means the file must be rebuilt.
ErrorOr<Database> OpenChecked(const std::string& path, const Migration& migrate) {
  auto db = Database::Open(path);
  if (!db) return db.error();
  if (auto ok = db->CheckIntegrity(); !ok) return ok.error();
  if (migrate) {
    if (auto ok = migrate(*db); !ok) return ok.error();
  }
  return std::move(*db);
}

}  // namespace

fs::path FindProjectRoot(const fs::path& start) {
  fs::path begin = Absolute(start);
  for (fs::path dir = begin;; dir = dir.parent_path()) {
    std::error_code ec;
    if (fs::is_directory(dir / kStoreDirName, ec)) return dir;
    if (dir == dir.parent_path()) break;
  }
  for (fs::path dir = begin;; dir = dir.parent_path()) {
    for (const char* marker : {"orchestrator.yaml", "orchestrator.lock", ".mcp.json", ".git"}) {
      if (Exists(dir / marker)) return dir;
    }
    if (dir == dir.parent_path()) break;
  }
  return begin;
}

ErrorOr<fs::path> StoreDirectory(const fs::path& start) {
  fs::path dir;
  if (const char* env = std::getenv(kStoreDirEnv); env && *env) {
    dir = env;
  } else {
    dir = FindProjectRoot(start) / kStoreDirName;
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir, ec)) {
    return MakeError("io", "cannot create the state directory `" + dir.string() + "`: " + ec.message());
  }
  return dir;
}

ErrorOr<OpenedDatabase> OpenStoreDatabase(const fs::path& directory, const std::string& file_name,
                                          const Migration& migrate) {
  fs::path path = directory / file_name;
  auto first = OpenChecked(path.string(), migrate);
  if (first) return OpenedDatabase{std::move(*first), std::nullopt};

  // Unusable: keep the old file for inspection, drop its WAL side files, start fresh.
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
  fs::path aside = directory / (file_name + ".corrupt-" + std::to_string(seconds));
  std::error_code ec;
  fs::rename(path, aside, ec);
  if (ec) {
    return MakeError("store", "`" + path.string() + "` is unusable (" + first.error().message +
                                  ") and cannot be moved aside: " + ec.message());
  }
  fs::remove(fs::path(path.string() + "-wal"), ec);
  fs::remove(fs::path(path.string() + "-shm"), ec);
  auto second = OpenChecked(path.string(), migrate);
  if (!second) return second.error();
  return OpenedDatabase{std::move(*second), "`" + path.string() + "` was unusable (" + first.error().message +
                                                "); moved it to `" + aside.string() + "` and started a new one"};
}

}  // namespace orch::store
