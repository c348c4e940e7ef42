// FileWatcher: edits, replacement by rename, deletion and no change at all, on real files
// in a temporary folder.
#include <doctest/doctest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "runtime/watch/file_watcher.h"

namespace fs = std::filesystem;
using orch::watch::FileWatcher;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "orch-watch-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(path); }
};

void Write(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::trunc) << text;
}

}  // namespace

TEST_CASE("an untouched file is not a change") {
  TempDir dir;
  Write(dir.path / "a.orch", "one");
  FileWatcher watcher({(dir.path / "a.orch").string()});
  CHECK_FALSE(watcher.Poll());
  CHECK_FALSE(watcher.Poll());
}

TEST_CASE("rewriting a file with different content is a change, reported once") {
  TempDir dir;
  Write(dir.path / "a.orch", "one");
  FileWatcher watcher({(dir.path / "a.orch").string()});
  Write(dir.path / "a.orch", "two two");
  CHECK(watcher.Poll());
  CHECK_FALSE(watcher.Poll());
}

TEST_CASE("replacing a file by renaming another over it is a change") {
  TempDir dir;
  Write(dir.path / "a.orch", "one");
  FileWatcher watcher({(dir.path / "a.orch").string()});
  Write(dir.path / "a.orch.tmp", "one");
  fs::rename(dir.path / "a.orch.tmp", dir.path / "a.orch");
  CHECK(watcher.Poll());
}

TEST_CASE("deleting and creating a watched file are changes") {
  TempDir dir;
  Write(dir.path / "a.orch", "one");
  FileWatcher watcher({(dir.path / "a.orch").string(), (dir.path / "b.orch").string()});
  fs::remove(dir.path / "a.orch");
  CHECK(watcher.Poll());
  Write(dir.path / "b.orch", "new");
  CHECK(watcher.Poll());
}

TEST_CASE("WaitForChange returns true after an edit and false when told to stop") {
  TempDir dir;
  Write(dir.path / "a.orch", "one");
  FileWatcher watcher({(dir.path / "a.orch").string()}, std::chrono::milliseconds(10));
  std::thread editor([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    Write(dir.path / "a.orch", "changed");
  });
  CHECK(watcher.WaitForChange(nullptr));
  editor.join();
  std::atomic<int> polls{0};
  CHECK_FALSE(watcher.WaitForChange([&] { return ++polls > 3; }));
}

TEST_CASE("Update keeps the baseline of files watched before and starts new ones from now") {
  TempDir dir;
  Write(dir.path / "a.orch", "one");
  Write(dir.path / "lib.orch", "lib");
  FileWatcher watcher({(dir.path / "a.orch").string()});
  Write(dir.path / "a.orch", "edited while compiling");
  watcher.Update({(dir.path / "a.orch").string(), (dir.path / "lib.orch").string()});
  CHECK(watcher.Poll());
  CHECK_FALSE(watcher.Poll());
  Write(dir.path / "lib.orch", "lib changed");
  CHECK(watcher.Poll());
}
