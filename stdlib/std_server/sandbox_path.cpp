// Path confinement for the `std` file tools.
#include "stdlib/std_server/sandbox_path.h"

#include <fmt/format.h>

namespace orch::stdlib {

ErrorOr<std::filesystem::path> ResolveInside(const std::filesystem::path& root, std::string_view path) {
  namespace fs = std::filesystem;
  if (path.find('\0') != std::string_view::npos) return MakeError("permission", "the path contains a NUL character");
  std::error_code ec;
  fs::path base = fs::weakly_canonical(root, ec);
  if (ec) return MakeError("io", fmt::format("cannot resolve the working directory: {}", ec.message()));
  fs::path requested(path);
  fs::path resolved = fs::weakly_canonical(requested.is_absolute() ? requested : base / requested, ec);
  if (ec) return MakeError("io", fmt::format("cannot resolve `{}`: {}", path, ec.message()));
  // Compare whole components: /work/a must not accept /work/ab.
  auto b = base.begin(), r = resolved.begin();
  for (; b != base.end(); ++b, ++r) {
    if (r == resolved.end() || *b != *r) {
      return MakeError("permission", fmt::format("`{}` is outside the working directory (it resolves to {})", path,
                                                 resolved.string()));
    }
  }
  return resolved;
}

}  // namespace orch::stdlib
