// Confines a user-given path to a root folder: the result is the absolute path with
// every existing symbolic link resolved, and it must lie inside the (resolved) root.
#pragma once

#include <filesystem>
#include <string_view>

#include "runtime/value/error_or.h"

namespace orch::stdlib {

/// Resolves `path` (relative to `root`, or absolute) and checks it stays inside `root`.
/// Errors (kind "permission") say which path escaped and why.
ErrorOr<std::filesystem::path> ResolveInside(const std::filesystem::path& root, std::string_view path);

}  // namespace orch::stdlib
