// Folder expansion for the commands that take .orch files; see source_paths.h.
#include "cli/source_paths.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <set>

#include <fmt/format.h>

namespace orch::cli {
namespace {

namespace fs = std::filesystem;

bool IsHiddenOrVendored(const fs::path& p) {
  std::string name = p.filename().string();
  return (name.size() > 1 && name[0] == '.' && name != "..") || name == "node_modules";
}

}  // namespace

std::vector<std::string> ExpandSourcePaths(const std::vector<std::string>& paths,
                                           std::vector<std::string>* empty_folders) {
  std::vector<std::string> files;
  std::set<std::string> seen;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (path == "-" || !fs::is_directory(path, ec)) {
      if (path == "-" || seen.insert(path).second) files.push_back(path);
      continue;
    }
    std::vector<std::string> found;
    fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      if (it->is_directory() && IsHiddenOrVendored(it->path())) {
        it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file() && it->path().extension() == ".orch") found.push_back(it->path().lexically_normal().string());
    }
    std::sort(found.begin(), found.end());
    if (found.empty() && empty_folders) empty_folders->push_back(path);
    for (std::string& f : found) {
      if (seen.insert(f).second) files.push_back(std::move(f));
    }
  }
  return files;
}

std::optional<std::vector<std::string>> SourceFilesOrReport(const std::vector<std::string>& paths) {
  std::vector<std::string> empty;
  std::vector<std::string> files = ExpandSourcePaths(paths, &empty);
  for (const std::string& folder : empty) std::cerr << fmt::format("error: no .orch files in `{}`\n", folder);
  if (!empty.empty()) return std::nullopt;
  return files;
}

}  // namespace orch::cli
