// A small RAII wrapper over SQLite: a Database owns one connection, a Statement owns one
// prepared statement. Every failure comes back as an ErrorOr with kind "store" and
// SQLite's own message, so callers never see raw result codes. Used by route feedback,
// the result cache and run history; it is deliberately general (no schema knowledge).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/value/error_or.h"

struct sqlite3;
struct sqlite3_stmt;

namespace orch::store {

class Database;

/// One prepared statement. Bind parameters are 1-based, columns 0-based (SQLite's order).
/// Move-only; finalised on destruction.
class Statement {
 public:
  Statement() = default;
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  /// Binds a parameter; chainable. Errors surface at the next Step().
  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, int64_t number);
  Statement& Bind(int index, double number);
  Statement& BindNull(int index);

  /// Runs one step: true when a row is available, false when the statement is done.
  ErrorOr<bool> Step();
  /// Steps until done (for statements that return no rows).
  ErrorOr<void> Run();
  /// Resets the statement so it can run again with new bindings.
  void Reset();

  std::string ColumnText(int column) const;
  int64_t ColumnInt(int column) const;
  double ColumnDouble(int column) const;
  bool ColumnIsNull(int column) const;

 private:
  friend class Database;
  Statement(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
  sqlite3_stmt* stmt_ = nullptr;
  sqlite3* db_ = nullptr;
  std::optional<std::string> bind_error_;
};

/// One connection to a database file. Move-only; closed on destruction.
class Database {
 public:
  Database() = default;
  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  /// Opens (creating when absent) the database at `path`; ":memory:" for an in-memory one.
  /// Sets a busy timeout so concurrent processes wait instead of failing, and WAL mode
  /// for files. A file that is not a database is reported here, not at first use.
  static ErrorOr<Database> Open(const std::string& path);

  /// Runs one or more `;`-separated statements that return no rows.
  ErrorOr<void> Exec(std::string_view sql);
  /// Prepares one statement.
  ErrorOr<Statement> Prepare(std::string_view sql);
  /// `PRAGMA quick_check`: ok when SQLite finds the file consistent.
  ErrorOr<void> CheckIntegrity();
  /// The schema version stored in `PRAGMA user_version` (0 for a new database).
  ErrorOr<int64_t> UserVersion();
  ErrorOr<void> SetUserVersion(int64_t version);
  /// Row id of the last successful INSERT on this connection.
  int64_t LastInsertId() const;

  bool is_open() const { return db_ != nullptr; }
  const std::string& path() const { return path_; }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

/// A transaction committed by Commit() and rolled back if destroyed without it.
class Transaction {
 public:
  /// Begins an IMMEDIATE transaction (takes the write lock up front, so no deadlock later).
  static ErrorOr<Transaction> Begin(Database& db);
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();
  ErrorOr<void> Commit();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_ = nullptr;
};

}  // namespace orch::store
