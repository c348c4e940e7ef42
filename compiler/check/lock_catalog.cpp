// Lock-file discovery and loading for the checker; see lock_catalog.h.
#include "compiler/check/lock_catalog.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "runtime/value/json.h"

namespace orch::compiler::check {

namespace {

constexpr const char* kLockName = "orchestrator.lock";

bool IsFile(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::is_regular_file(p, ec);
}

}  // namespace

std::optional<std::string> FindLockFile(const std::string& source_path) {
  if (source_path != "-" && !source_path.empty()) {
    std::filesystem::path dir = std::filesystem::path(source_path).parent_path();
    std::filesystem::path candidate = dir.empty() ? std::filesystem::path(kLockName) : dir / kLockName;
    if (IsFile(candidate)) return candidate.string();
  }
  if (IsFile(kLockName)) return std::string(kLockName);
  return std::nullopt;
}

std::shared_ptr<const ToolCatalog> LoadToolCatalog(const std::string& source_path, Span span,
                                                   DiagnosticSink& sink) {
  auto catalog = std::make_shared<ToolCatalog>(ToolCatalog::WithStd());
  std::optional<std::string> path = FindLockFile(source_path);
  if (!path) return catalog;
  std::ifstream in(*path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in.good() && !in.eof()) {
    sink.Report(DiagKind::kLockUnreadable, span, {*path, "the file cannot be read"});
    return catalog;
  }
  auto lock = ParseJson(text.str());
  if (!lock.ok()) {
    sink.Report(DiagKind::kLockUnreadable, span, {*path, lock.error().message})
        .AddHelp("write it again with `orchestrator tools lock`");
    return catalog;
  }
  const Value* servers = lock->Find("servers");
  if (!servers || !servers->is_record()) {
    sink.Report(DiagKind::kLockUnreadable, span, {*path, "it has no `servers` object"})
        .AddHelp("write it again with `orchestrator tools lock`");
    return catalog;
  }
  catalog->AddLockJson(*lock);
  return catalog;
}

}  // namespace orch::compiler::check
