// The JIT's on-disk object cache (see object_cache.h). Layout of an entry, little-endian:
//   magic "ORCHJIT1" | key u64 | body length u64 | body checksum u64 | body
// where body = function count u32, then per function a u32 length and its reason text,
// then per function a u32 length and its block map, then the object file.
#include "runtime/jit/object_cache.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

namespace orch::jit {
namespace {

constexpr char kMagic[8] = {'O', 'R', 'C', 'H', 'J', 'I', 'T', '1'};
constexpr size_t kHeaderSize = 32;

void PutU64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void PutU32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
uint64_t GetU(std::string_view bytes, size_t at, int width) {
  uint64_t v = 0;
  for (int i = 0; i < width; ++i) v |= static_cast<uint64_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  return v;
}

/// Removes the least recently written entries beyond `max_entries` (each program version
/// leaves one, so an edited file would otherwise grow the folder forever).
void TrimCache(const std::filesystem::path& directory, size_t max_entries) {
  std::error_code ec;
  std::vector<std::pair<std::filesystem::file_time_type, std::filesystem::path>> entries;
  for (const auto& item : std::filesystem::directory_iterator(directory, ec)) {
    if (item.path().extension() != ".orchjit") continue;
    entries.emplace_back(item.last_write_time(ec), item.path());
  }
  if (entries.size() <= max_entries) return;
  std::sort(entries.begin(), entries.end());
  for (size_t i = 0; i + max_entries < entries.size(); ++i) std::filesystem::remove(entries[i].second, ec);
}

}  // namespace

uint64_t Fnv1a(std::string_view bytes, uint64_t seed) {
  uint64_t h = seed;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::filesystem::path CacheEntryPath(const std::filesystem::path& directory, uint64_t key) {
  return directory / fmt::format("{:016x}.orchjit", key);
}

std::variant<CacheEntry, CacheMiss> LoadCacheEntry(const std::filesystem::path& directory, uint64_t key) {
  std::ifstream in(CacheEntryPath(directory, key), std::ios::binary);
  if (!in) return CacheMiss::kAbsent;
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string bytes = buffer.str();
  if (bytes.size() < kHeaderSize || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) return CacheMiss::kDamaged;
  std::string_view view(bytes);
  uint64_t stored_key = GetU(view, 8, 8);
  uint64_t length = GetU(view, 16, 8);
  uint64_t checksum = GetU(view, 24, 8);
  std::string_view body = view.substr(kHeaderSize);
  if (stored_key != key || length != body.size() || Fnv1a(body) != checksum) return CacheMiss::kDamaged;
  CacheEntry entry;
  size_t at = 0;
  if (body.size() < 4) return CacheMiss::kDamaged;
  uint64_t functions = GetU(body, at, 4);
  at += 4;
  for (std::vector<std::string>* strings : {&entry.interpreted_because, &entry.compiled_blocks}) {
    for (uint64_t i = 0; i < functions; ++i) {
      if (body.size() - at < 4) return CacheMiss::kDamaged;
      uint64_t n = GetU(body, at, 4);
      at += 4;
      if (body.size() - at < n) return CacheMiss::kDamaged;
      strings->emplace_back(body.substr(at, n));
      at += n;
    }
  }
  entry.object = std::string(body.substr(at));
  if (entry.object.empty()) return CacheMiss::kDamaged;
  return entry;
}

ErrorOr<void> StoreCacheEntry(const std::filesystem::path& directory, uint64_t key, const CacheEntry& entry,
                              size_t max_entries) {
  std::string body;
  PutU32(body, static_cast<uint32_t>(entry.interpreted_because.size()));
  for (const std::vector<std::string>* strings : {&entry.interpreted_because, &entry.compiled_blocks}) {
    for (size_t i = 0; i < entry.interpreted_because.size(); ++i) {
      const std::string text = i < strings->size() ? (*strings)[i] : std::string();
      PutU32(body, static_cast<uint32_t>(text.size()));
      body += text;
    }
  }
  body += entry.object;
  std::string file(kMagic, sizeof kMagic);
  PutU64(file, key);
  PutU64(file, body.size());
  PutU64(file, Fnv1a(body));
  file += body;

  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec) return MakeError("io", fmt::format("cannot create `{}`: {}", directory.string(), ec.message()));
  std::filesystem::path path = CacheEntryPath(directory, key);
  std::filesystem::path temp = path;
  temp += fmt::format(".tmp{}", getpid());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out.write(file.data(), static_cast<std::streamsize>(file.size()));
    out.close();
    if (!out) {
      std::filesystem::remove(temp, ec);
      return MakeError("io", fmt::format("cannot write `{}`", temp.string()));
    }
  }
  std::filesystem::rename(temp, path, ec);
  if (ec) {
    std::filesystem::remove(temp, ec);
    return MakeError("io", fmt::format("cannot write `{}`: {}", path.string(), ec.message()));
  }
  TrimCache(directory, max_entries);
  return {};
}

}  // namespace orch::jit
