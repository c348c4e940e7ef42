// The .orch files a command line names: `check`, `fmt` and `test` accept folders as well
// as files, as gofmt and prettier do.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace orch::cli {

/// Expands `paths`: a folder becomes the .orch files under it (recursively, sorted; hidden
/// folders and node_modules skipped); anything else (a file, `-`, a path that does not
/// exist, which the command then reports) is kept as given. Each file appears once.
/// `empty_folders` receives the folders that held no .orch file.
std::vector<std::string> ExpandSourcePaths(const std::vector<std::string>& paths,
                                           std::vector<std::string>* empty_folders = nullptr);

/// ExpandSourcePaths for `check` and `fmt`: prints `error: no .orch files in `X`` for each
/// folder without one and returns nullopt if there was any.
std::optional<std::vector<std::string>> SourceFilesOrReport(const std::vector<std::string>& paths);

}  // namespace orch::cli
