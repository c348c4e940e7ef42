// The tool index on disk (`.orchestrator/route-index-*.bin`): a compact binary form of the
// analyzed tools keyed by the catalog's fingerprint and the analyzer settings, so the
// stemming and parsing work is done once per catalog change. A missing, stale, truncated
// or foreign file is simply rebuilt.
#pragma once

#include <filesystem>
#include <optional>

#include "runtime/route/index.h"
#include "runtime/value/error_or.h"

namespace orch::route {

/// Writes `index` to `path` (atomically: a temporary file, then rename).
ErrorOr<void> WriteIndexCache(const std::filesystem::path& path, const ToolIndex& index);

/// Reads the index at `path` when it was built from a catalog with `fingerprint` using
/// `analyzer`; nullopt when the file is missing, stale or unreadable.
std::optional<ToolIndex> ReadIndexCache(const std::filesystem::path& path, const std::string& fingerprint,
                                        const AnalyzerOptions& analyzer);

/// Whether LoadIndex built the index or read it from the cache.
enum class IndexSource { kBuilt, kCache };

/// The index for `catalog`: from the cache in `cache_dir` when it matches, else built and
/// (when `cache_dir` is set) written back. Cache write failures are not errors.
ToolIndex LoadIndex(const Catalog& catalog, const AnalyzerOptions& analyzer,
                    const std::optional<std::filesystem::path>& cache_dir, IndexSource* source = nullptr);

}  // namespace orch::route
