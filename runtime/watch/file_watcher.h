// FileWatcher: notices when any of a set of files changes, for `run --watch` and
// `serve --watch`. It polls each file's modification time, size and inode (so editors
// that save by writing a new file and renaming it over the old one are seen too, and a
// deleted file counts as a change), which needs no dependency and works on every file
// system, network mounts included. A change is reported once the files have stopped
// changing for one polling interval, so a save in progress is not read half-written.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace orch::watch {

class FileWatcher {
 public:
  /// Watches `paths` from their current state.
  explicit FileWatcher(std::vector<std::string> paths,
                       std::chrono::milliseconds interval = std::chrono::milliseconds(100));

  /// Replaces the watched files (after a reload found a new set of imports). Files watched
  /// before keep their baseline, so a change made while the reload was compiling is still
  /// seen; new files start from their current state.
  void Update(std::vector<std::string> paths);

  /// True when any file differs from the baseline; the current state becomes the baseline.
  bool Poll();

  /// Blocks until a file changed and then stayed unchanged for one interval (true), or
  /// until `stop()` returns true (false), checking both every interval.
  bool WaitForChange(const std::function<bool()>& stop);

  const std::vector<std::string>& paths() const { return paths_; }

 private:
  struct Stamp {
    bool exists = false;
    long long mtime_ns = 0;
    long long size = 0;
    unsigned long long inode = 0;
    bool operator==(const Stamp&) const = default;
  };
  std::vector<Stamp> Snapshot() const;

  std::vector<std::string> paths_;
  std::chrono::milliseconds interval_;
  std::vector<Stamp> baseline_;
};

}  // namespace orch::watch
