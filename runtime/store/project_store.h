// Where a project keeps its state: the `.orchestrator/` directory at the project root,
// found by walking up from the working directory, and the SQLite databases inside it.
// Each subsystem (route feedback, result cache, run history) owns its own database file,
// so a corrupt file loses only that subsystem's data; OpenStoreDatabase moves a corrupt
// file aside, rebuilds it, and tells the caller so it can say what happened.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "runtime/store/sqlite.h"
#include "runtime/value/error_or.h"

namespace orch::store {

/// Name of the per-project state directory.
inline constexpr const char* kStoreDirName = ".orchestrator";
/// Environment variable that overrides the state directory (tests, CI caches).
inline constexpr const char* kStoreDirEnv = "ORCH_STORE_DIR";

/// The project root for `start`: the nearest ancestor (or `start` itself) holding
/// `.orchestrator/`, else the nearest holding `orchestrator.yaml`, `orchestrator.lock`,
/// `.mcp.json` or `.git`, else `start`.
std::filesystem::path FindProjectRoot(const std::filesystem::path& start);

/// The state directory for the project containing `start` ($ORCH_STORE_DIR when set),
/// created when missing.
ErrorOr<std::filesystem::path> StoreDirectory(const std::filesystem::path& start);

/// Creates or upgrades a database's tables; run on every open (must be idempotent).
using Migration = std::function<ErrorOr<void>(Database&)>;

/// A database opened by OpenStoreDatabase.
struct OpenedDatabase {
  Database db;
  /// Set when the file was unreadable and has been moved aside and rebuilt: says where
  /// the old file went, for a warning.
  std::optional<std::string> recovery_note;
};

/// Opens `directory/file_name`, checks it and runs `migrate`. A file that is not a
/// database, fails the integrity check or cannot be migrated is renamed to
/// `<file_name>.corrupt-<unix time>` and a fresh one is created in its place.
ErrorOr<OpenedDatabase> OpenStoreDatabase(const std::filesystem::path& directory, const std::string& file_name,
                                          const Migration& migrate);

}  // namespace orch::store
