// The SQLite wrapper's implementation: translate result codes into ErrorOr once, here.
#include "runtime/store/sqlite.h"

#include <sqlite3.h>

#include <utility>

namespace orch::store {
namespace {

Error StoreError(sqlite3* db, std::string_view what) {
  std::string message(what);
  if (db) {
    message += ": ";
    message += sqlite3_errmsg(db);
  }
  return MakeError("store", std::move(message));
}

}  // namespace

// --- Statement -------------------------------------------------------------------------

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)),
      db_(std::exchange(other.db_, nullptr)),
      bind_error_(std::move(other.bind_error_)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    if (stmt_) sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    db_ = std::exchange(other.db_, nullptr);
    bind_error_ = std::move(other.bind_error_);
  }
  return *this;
}

Statement::~Statement() {
  if (stmt_) sqlite3_finalize(stmt_);
}

Statement& Statement::Bind(int index, std::string_view text) {
  if (sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT) != SQLITE_OK &&
      !bind_error_) {
    bind_error_ = sqlite3_errmsg(db_);
  }
  return *this;
}

Statement& Statement::Bind(int index, int64_t number) {
  if (sqlite3_bind_int64(stmt_, index, number) != SQLITE_OK && !bind_error_) bind_error_ = sqlite3_errmsg(db_);
  return *this;
}

Statement& Statement::Bind(int index, double number) {
  if (sqlite3_bind_double(stmt_, index, number) != SQLITE_OK && !bind_error_) bind_error_ = sqlite3_errmsg(db_);
  return *this;
}

Statement& Statement::BindNull(int index) {
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK && !bind_error_) bind_error_ = sqlite3_errmsg(db_);
  return *this;
}

ErrorOr<bool> Statement::Step() {
  if (!stmt_) return MakeError("store", "statement was not prepared");
  if (bind_error_) return MakeError("store", "cannot bind a parameter: " + *bind_error_);
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return StoreError(db_, "cannot run a statement");
}

ErrorOr<void> Statement::Run() {
  while (true) {
    auto row = Step();
    if (!row) return row.error();
    if (!*row) return {};
  }
}

void Statement::Reset() {
  if (!stmt_) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_.reset();
}

std::string Statement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (!text) return {};
  return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

int64_t Statement::ColumnInt(int column) const { return sqlite3_column_int64(stmt_, column); }
double Statement::ColumnDouble(int column) const { return sqlite3_column_double(stmt_, column); }
bool Statement::ColumnIsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

// --- Database --------------------------------------------------------------------------

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    if (db_) sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

Database::~Database() {
  if (db_) sqlite3_close_v2(db_);
}

ErrorOr<Database> Database::Open(const std::string& path) {
  Database result;
  result.path_ = path;
  int rc = sqlite3_open_v2(path.c_str(), &result.db_,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Error error = StoreError(result.db_, "cannot open database `" + path + "`");
    return error;  // result's destructor closes the half-open handle
  }
  sqlite3_busy_timeout(result.db_, 5000);
  // Touching the schema makes SQLite read the header: a file that is not a database fails here.
  if (auto probe = result.Exec("SELECT count(*) FROM sqlite_master"); !probe) {
    return MakeError("store", "`" + path + "` is not a usable database: " + probe.error().message);
  }
  if (path != ":memory:" && !path.empty()) {
    // WAL lets readers and one writer work at once; failure to switch is harmless.
    (void)result.Exec("PRAGMA journal_mode=WAL");
  }
  return result;
}

ErrorOr<void> Database::Exec(std::string_view sql) {
  if (!db_) return MakeError("store", "database is not open");
  std::string text(sql);
  char* message = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string detail = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    return MakeError("store", detail);
  }
  return {};
}

ErrorOr<Statement> Database::Prepare(std::string_view sql) {
  if (!db_) return MakeError("store", "database is not open");
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    if (stmt) sqlite3_finalize(stmt);
    return StoreError(db_, "cannot prepare a statement");
  }
  return Statement(stmt, db_);
}

ErrorOr<void> Database::CheckIntegrity() {
  auto stmt = Prepare("PRAGMA quick_check");
  if (!stmt) return stmt.error();
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return MakeError("store", "integrity check returned nothing");
  std::string verdict = stmt->ColumnText(0);
  if (verdict != "ok") return MakeError("store", "integrity check failed: " + verdict);
  return {};
}

ErrorOr<int64_t> Database::UserVersion() {
  auto stmt = Prepare("PRAGMA user_version");
  if (!stmt) return stmt.error();
  auto row = stmt->Step();
  if (!row) return row.error();
  return *row ? stmt->ColumnInt(0) : int64_t{0};
}

ErrorOr<void> Database::SetUserVersion(int64_t version) {
  return Exec("PRAGMA user_version = " + std::to_string(version));
}

int64_t Database::LastInsertId() const { return db_ ? sqlite3_last_insert_rowid(db_) : 0; }

// --- Transaction -----------------------------------------------------------------------

ErrorOr<Transaction> Transaction::Begin(Database& db) {
  if (auto begun = db.Exec("BEGIN IMMEDIATE"); !begun) return begun.error();
  return Transaction(&db);
}

Transaction::~Transaction() {
  if (db_) (void)db_->Exec("ROLLBACK");
}

ErrorOr<void> Transaction::Commit() {
  if (!db_) return MakeError("store", "transaction already finished");
  auto done = db_->Exec("COMMIT");
  if (!done) (void)db_->Exec("ROLLBACK");
  db_ = nullptr;
  return done;
}

}  // namespace orch::store
