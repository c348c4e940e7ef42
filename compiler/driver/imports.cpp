// Import loading (see imports.h).
#include "compiler/driver/imports.h"

#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <set>

#include "compiler/driver/load.h"
#include "compiler/parse/parse.h"

namespace orch::compiler {
namespace {

namespace fs = std::filesystem;

// A stable identity for a file: its canonical path when it exists, else the normal form.
std::string Identity(const fs::path& path) {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(path, ec);
  return (ec ? path.lexically_normal() : canonical).string();
}

class ImportLoader {
 public:
  ImportLoader(SourceMap& sources, DiagnosticSink& sink) : sources_(sources), sink_(sink) {}

  std::vector<ImportedFile> Run(const std::string& root_path, const ast::File& root) {
    fs::path display = root_path == "-" ? fs::path("<stdin>") : fs::path(root_path);
    std::string id = root_path == "-" ? std::string("<stdin>") : Identity(display);
    seen_.insert(id);
    chain_.push_back({id, display.string()});
    Visit(root, root_path == "-" ? fs::path() : display.parent_path());
    chain_.pop_back();
    std::vector<ImportedFile> out;
    for (auto& f : loaded_) out.push_back(std::move(*f));
    return out;
  }

 private:
  struct ChainEntry {
    std::string identity;
    std::string display;
  };

  void Visit(const ast::File& file, const fs::path& dir) {
    for (const ast::DeclPtr& decl : file.declarations) {
      const auto* import = ast::DynCast<ast::ImportDecl>(decl.get());
      if (!import) continue;
      fs::path target = (dir / import->path).lexically_normal();
      std::string id = Identity(target);
      if (auto cycle = CycleFrom(id)) {
        std::string chain;
        for (size_t i = *cycle; i < chain_.size(); ++i) chain += chain_[i].display + " → ";
        chain += target.string();
        sink_.Report(DiagKind::kImportCycle, import->path_span, {chain})
            .WithLabel("this import closes the cycle")
            .AddHelp("move what both files need into a third file that each of them imports");
        continue;
      }
      if (!seen_.insert(id).second) continue;  // already loaded through another import
      Load(*import, target, id);
    }
  }

  std::optional<size_t> CycleFrom(const std::string& id) const {
    for (size_t i = 0; i < chain_.size(); ++i) {
      if (chain_[i].identity == id) return i;
    }
    return std::nullopt;
  }

  void Load(const ast::ImportDecl& import, const fs::path& target, const std::string& id) {
    // Load errors are reported at the `import` line, with the loader's own message.
    DiagnosticSink load_sink;
    std::optional<FileId> file = LoadSource(target.string(), sources_, load_sink);
    for (const Diagnostic& d : load_sink.diagnostics()) {
      Diagnostic copy = d;
      if (!copy.primary.span.valid() || d.kind == DiagKind::kCannotReadFile || d.kind == DiagKind::kNotAFile) {
        copy.primary.span = import.path_span;
        copy.primary.text = "imported here";
        copy.help.push_back("import paths are relative to the importing file's folder");
      }
      sink_.Report(std::move(copy));
    }
    if (!file) return;
    auto imported = std::make_unique<ImportedFile>();
    imported->path = target.string();
    imported->file = *file;
    imported->ast = Parse(sources_, *file, sink_);
    ImportedFile* ptr = imported.get();
    loaded_.push_back(std::move(imported));
    if (ptr->ast) {
      chain_.push_back({id, target.string()});
      Visit(*ptr->ast, target.parent_path());
      chain_.pop_back();
    }
  }

  SourceMap& sources_;
  DiagnosticSink& sink_;
  std::vector<ChainEntry> chain_;
  std::set<std::string> seen_;
  std::vector<std::unique_ptr<ImportedFile>> loaded_;
};

}  // namespace

std::vector<ImportedFile> LoadImports(const std::string& root_path, const ast::File& root, SourceMap& sources,
                                      DiagnosticSink& sink) {
  return ImportLoader(sources, sink).Run(root_path, root);
}

}  // namespace orch::compiler
