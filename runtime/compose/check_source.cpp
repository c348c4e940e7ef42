// In-memory checking of composed source (see check_source.h).
#include "runtime/compose/check_source.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "compiler/check/tool_catalog.h"
#include "compiler/diagnostics/render.h"
#include "compiler/driver/driver.h"

namespace orch::compose {

namespace {

void ReplaceAll(std::string& text, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (size_t pos = 0; (pos = text.find(from, pos)) != std::string::npos; pos += to.size()) text.replace(pos, from.size(), to);
}

}  // namespace

ErrorOr<SourceCheck> CheckSourceText(const std::string& text, const lock::LockFile& schemas,
                                     const std::string& display_name) {
  std::error_code ec;
  std::string dir = std::filesystem::temp_directory_path(ec).string();
  if (ec) dir = "/tmp";
  std::string pattern = dir + "/orch-compose-XXXXXX.orch";
  int fd = mkstemps(pattern.data(), 5);
  if (fd < 0) return MakeError("io", fmt::format("cannot create a temporary file in `{}`", dir));
  close(fd);
  {
    std::ofstream out(pattern, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) {
      std::filesystem::remove(pattern, ec);
      return MakeError("io", fmt::format("cannot write `{}`", pattern));
    }
  }
  auto catalog = std::make_shared<compiler::check::ToolCatalog>(compiler::check::ToolCatalog::WithStd());
  compiler::CompileOptions options;
  for (const auto& [name, server] : schemas.servers) {
    List tools;
    for (const auto& t : server.tools) tools.push_back(lock::ToolInfoToJson(t));
    catalog->AddServer(name, Value(std::move(tools)));
    options.configured_servers.push_back(name);
  }
  options.catalog = catalog;
  compiler::Compilation c = compiler::Compile({pattern}, options);
  std::filesystem::remove(pattern, ec);
  SourceCheck out;
  for (const auto& d : c.diagnostics.diagnostics()) {
    if (d.severity != compiler::Severity::kError) continue;
    std::string line = compiler::RenderShort(d, c.sources);
    ReplaceAll(line, pattern, display_name);
    out.errors.push_back(line);
    if (d.kind == compiler::DiagKind::kTypedHole) {
      std::string hole = line;
      for (const auto& note : d.notes) hole += "\n    note: " + note;
      out.holes.push_back(hole);
    }
  }
  return out;
}

}  // namespace orch::compose
