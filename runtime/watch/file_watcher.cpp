// FileWatcher: stat(2) polling with a settle interval; see file_watcher.h.
#include "runtime/watch/file_watcher.h"

#include <sys/stat.h>

#include <algorithm>
#include <thread>

namespace orch::watch {

FileWatcher::FileWatcher(std::vector<std::string> paths, std::chrono::milliseconds interval)
    : paths_(std::move(paths)), interval_(interval) {
  baseline_ = Snapshot();
}

void FileWatcher::Update(std::vector<std::string> paths) {
  std::vector<std::string> old_paths = std::move(paths_);
  std::vector<Stamp> old_baseline = std::move(baseline_);
  paths_ = std::move(paths);
  baseline_ = Snapshot();
  for (size_t i = 0; i < paths_.size(); ++i) {
    auto known = std::find(old_paths.begin(), old_paths.end(), paths_[i]);
    if (known != old_paths.end()) baseline_[i] = old_baseline[known - old_paths.begin()];
  }
}

std::vector<FileWatcher::Stamp> FileWatcher::Snapshot() const {
  std::vector<Stamp> stamps;
  stamps.reserve(paths_.size());
  for (const std::string& path : paths_) {
    Stamp stamp;
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0) {
      stamp.exists = true;
      stamp.mtime_ns =
          static_cast<long long>(info.st_mtim.tv_sec) * 1000000000LL + info.st_mtim.tv_nsec;
      stamp.size = static_cast<long long>(info.st_size);
      stamp.inode = static_cast<unsigned long long>(info.st_ino);
    }
    stamps.push_back(stamp);
  }
  return stamps;
}

bool FileWatcher::Poll() {
  std::vector<Stamp> now = Snapshot();
  if (now == baseline_) return false;
  baseline_ = std::move(now);
  return true;
}

bool FileWatcher::WaitForChange(const std::function<bool()>& stop) {
  while (true) {
    if (stop && stop()) return false;
    if (Poll()) break;
    std::this_thread::sleep_for(interval_);
  }
  // Settle: wait until a whole interval passes without a further change.
  while (true) {
    std::this_thread::sleep_for(interval_);
    if (stop && stop()) return false;
    if (!Poll()) return true;
  }
}

}  // namespace orch::watch
