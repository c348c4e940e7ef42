// Temporary-file-and-rename writing; see write_file.h.
#include "cli/write_file.h"

#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace orch::cli {

ErrorOr<void> WriteFileAtomically(const std::string& path, const std::string& text) {
  namespace fs = std::filesystem;
  // The process id keeps two writers of the same file from sharing a temporary file.
  std::string temp = fmt::format("{}.{}.tmp", path, getpid());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) return MakeError("io", fmt::format("cannot write `{}`: {}", path, std::strerror(errno)));
    out << text;
    out.flush();
    if (!out) {
      std::error_code ignored;
      fs::remove(temp, ignored);
      return MakeError("io", fmt::format("cannot write `{}`: the disk may be full", path));
    }
  }
  std::error_code ec;
  auto existing = fs::status(path, ec);
  if (!ec && fs::exists(existing)) fs::permissions(temp, existing.permissions(), ec);
  ec.clear();
  fs::rename(temp, path, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    return MakeError("io", fmt::format("cannot write `{}`: {}", path, ec.message()));
  }
  return {};
}

}  // namespace orch::cli
