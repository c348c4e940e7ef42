// The JIT's object cache: compiled machine code for a program, kept on disk under the
// project's state directory (`.orchestrator/jit/`) so a second `run --jit` of an unchanged
// file skips lowering and code generation.
//
// An entry is one file named by its key (a hash of the IR, the compiler's version and
// commit, the LLVM version and the host CPU). It starts with a header that repeats the
// key and holds the length and a checksum of what follows, so an entry from another
// program, another build, a truncated write or a damaged disk is detected and compiled
// again instead of being loaded. Writes go to a temporary file that is then renamed, so
// a reader never sees half an entry.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>
#include <variant>
#include <string>
#include <vector>

#include "runtime/value/error_or.h"

namespace orch::jit {

/// What an entry holds besides the object code: per function, why it stays interpreted
/// (empty when compiled) and which of its blocks were compiled.
struct CacheEntry {
  std::vector<std::string> interpreted_because;
  /// Per function: which blocks were compiled (codegen::LoweredModule::compiled_blocks).
  std::vector<std::string> compiled_blocks;
  std::string object;
};

/// 64-bit FNV-1a of `bytes`, continuing from `seed`.
uint64_t Fnv1a(std::string_view bytes, uint64_t seed = 0xcbf29ce484222325ULL);

/// The file of the entry for `key` inside `directory`.
std::filesystem::path CacheEntryPath(const std::filesystem::path& directory, uint64_t key);

/// Why a lookup found nothing usable.
enum class CacheMiss { kAbsent, kDamaged };

/// Reads the entry for `key`; kDamaged when a file exists but is not a whole entry for
/// this key (it is then ignored, and overwritten by the next Store).
std::variant<CacheEntry, CacheMiss> LoadCacheEntry(const std::filesystem::path& directory, uint64_t key);

/// Entries kept per cache directory: storing one more removes the least recently written.
inline constexpr size_t kMaxCacheEntries = 64;

/// Writes the entry for `key` (creating `directory`), atomically, then trims the directory
/// to kMaxCacheEntries entries (`max_entries` in tests).
ErrorOr<void> StoreCacheEntry(const std::filesystem::path& directory, uint64_t key, const CacheEntry& entry,
                              size_t max_entries = kMaxCacheEntries);

}  // namespace orch::jit
