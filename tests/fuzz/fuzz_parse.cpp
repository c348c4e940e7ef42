// libFuzzer target: arbitrary bytes as an `.orch` file → encoding checks → parser → AST
// dump. Whatever the input, the front end must answer with an AST and/or diagnostics:
// no crash, no hang, no sanitizer report, no exception escaping Parse(), and every
// diagnostic's spans must lie inside the file (the renderer indexes the text with them).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "compiler/ast/dump.h"
#include "compiler/diagnostics/render.h"
#include "compiler/driver/load.h"
#include "compiler/parse/parse.h"

namespace {

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "fuzz_parse: %s\n", what);
  std::abort();
}

void CheckSpan(const orch::compiler::Span& span, const orch::compiler::SourceMap& sources) {
  if (!span.valid()) return;
  if (span.file >= sources.size()) Fail("span names a file that does not exist");
  size_t size = sources.file(span.file).text().size();
  if (span.begin > span.end || span.end > size) Fail("span outside the file");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace orch::compiler;
  SourceMap sources;
  DiagnosticSink sink;
  auto id = AddSource("fuzz.orch", std::string(reinterpret_cast<const char*>(data), size), sources, sink);
  if (id) {
    auto file = Parse(sources, *id, sink);
    if (!file) Fail("Parse returned no file");
    (void)ast::Dump(*file, sources);
    const std::string& text = sources.file(*id).text();  // without a byte order mark
    if (!sink.has_errors() && file->declarations.empty()) {
      // Only blank lines and comments may parse to nothing; anything else is a declaration
      // or an error.
      const auto* data = reinterpret_cast<const unsigned char*>(text.data());
      size_t size = text.size();
      for (size_t i = 0; i < size;) {
        if (data[i] == '#') {
          while (i < size && data[i] != '\n') ++i;
        } else if (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n' || data[i] == ';') {
          ++i;
        } else {
          Fail("non-blank input parsed to no declarations and no error");
        }
      }
    }
  }
  for (const auto& d : sink.diagnostics()) {
    CheckSpan(d.primary.span, sources);
    for (const auto& label : d.secondary) CheckSpan(label.span, sources);
    (void)RenderHuman(d, sources);
  }
  return 0;
}
