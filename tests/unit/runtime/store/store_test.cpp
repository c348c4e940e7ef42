// The SQLite wrapper and the project state directory.
#include <doctest/doctest.h>

#include <filesystem>
#include <unistd.h>

#include <cstdint>
#include <fstream>

#include "runtime/store/project_store.h"
#include "runtime/store/sqlite.h"

namespace fs = std::filesystem;
using orch::store::Database;
using orch::store::Transaction;

namespace {

// A fresh, empty directory under the system temp dir, removed at scope exit.
struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("orch-store-test-" + std::to_string(::getpid()) + "-" +
                                        std::to_string(reinterpret_cast<uintptr_t>(this)));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

orch::ErrorOr<void> CreateNotes(Database& db) { return db.Exec("CREATE TABLE IF NOT EXISTS notes(text TEXT)"); }

}  // namespace

TEST_CASE("a statement binds parameters and reads rows back") {
  auto db = Database::Open(":memory:");
  REQUIRE(db.ok());
  REQUIRE(db->Exec("CREATE TABLE t(name TEXT, n INTEGER, x REAL)").ok());
  auto insert = db->Prepare("INSERT INTO t VALUES(?, ?, ?)");
  REQUIRE(insert.ok());
  insert->Bind(1, "a'b").Bind(2, int64_t{7}).Bind(3, 2.5);
  REQUIRE(insert->Run().ok());
  CHECK(db->LastInsertId() == 1);
  auto select = db->Prepare("SELECT name, n, x FROM t");
  REQUIRE(select.ok());
  auto row = select->Step();
  REQUIRE(row.ok());
  REQUIRE(*row);
  CHECK(select->ColumnText(0) == "a'b");
  CHECK(select->ColumnInt(1) == 7);
  CHECK(select->ColumnDouble(2) == 2.5);
  auto end = select->Step();
  REQUIRE(end.ok());
  CHECK_FALSE(*end);
}

TEST_CASE("sql errors come back as store errors with sqlite's message") {
  auto db = Database::Open(":memory:");
  REQUIRE(db.ok());
  auto bad = db->Prepare("SELEC 1");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind == "store");
  CHECK(bad.error().message.find("syntax error") != std::string::npos);
}

TEST_CASE("a transaction destroyed without commit rolls back") {
  auto db = Database::Open(":memory:");
  REQUIRE(db.ok());
  REQUIRE(db->Exec("CREATE TABLE t(n INTEGER)").ok());
  {
    auto tx = Transaction::Begin(*db);
    REQUIRE(tx.ok());
    REQUIRE(db->Exec("INSERT INTO t VALUES(1)").ok());
  }
  {
    auto tx = Transaction::Begin(*db);
    REQUIRE(tx.ok());
    REQUIRE(db->Exec("INSERT INTO t VALUES(2)").ok());
    REQUIRE(tx->Commit().ok());
  }
  auto sum = db->Prepare("SELECT coalesce(sum(n), 0) FROM t");
  REQUIRE(sum.ok());
  REQUIRE(*sum->Step());
  CHECK(sum->ColumnInt(0) == 2);
}

TEST_CASE("user_version starts at zero and can be set") {
  auto db = Database::Open(":memory:");
  REQUIRE(db.ok());
  CHECK(*db->UserVersion() == 0);
  REQUIRE(db->SetUserVersion(3).ok());
  CHECK(*db->UserVersion() == 3);
}

TEST_CASE("the project root is the nearest ancestor with a project marker") {
  TempDir tmp;
  fs::create_directories(tmp.path / "proj" / "src" / "deep");
  std::ofstream(tmp.path / "proj" / "orchestrator.yaml") << "servers: {}\n";
  CHECK(orch::store::FindProjectRoot(tmp.path / "proj" / "src" / "deep") == tmp.path / "proj");
  // An existing .orchestrator/ wins over a marker higher up.
  fs::create_directories(tmp.path / "proj" / "src" / ".orchestrator");
  CHECK(orch::store::FindProjectRoot(tmp.path / "proj" / "src" / "deep") == tmp.path / "proj" / "src");
}

TEST_CASE("a corrupt database file is moved aside and rebuilt") {
  TempDir tmp;
  std::ofstream(tmp.path / "route.db") << std::string(4096, 'x');
  std::ofstream(tmp.path / "cache.db") << "";  // another subsystem's file stays untouched
  auto opened = orch::store::OpenStoreDatabase(tmp.path, "route.db", CreateNotes);
  REQUIRE(opened.ok());
  REQUIRE(opened->recovery_note.has_value());
  CHECK(opened->recovery_note->find("moved it to") != std::string::npos);
  CHECK(opened->db.Exec("INSERT INTO notes VALUES('kept')").ok());
  int corrupt_files = 0;
  for (const auto& entry : fs::directory_iterator(tmp.path)) {
    if (entry.path().filename().string().starts_with("route.db.corrupt-")) ++corrupt_files;
  }
  CHECK(corrupt_files == 1);
  CHECK(fs::exists(tmp.path / "cache.db"));

  // Reopening the rebuilt file needs no recovery and keeps the data.
  opened->db = Database();
  auto again = orch::store::OpenStoreDatabase(tmp.path, "route.db", CreateNotes);
  REQUIRE(again.ok());
  CHECK_FALSE(again->recovery_note.has_value());
  auto count = again->db.Prepare("SELECT count(*) FROM notes");
  REQUIRE(count.ok());
  REQUIRE(*count->Step());
  CHECK(count->ColumnInt(0) == 1);
}
