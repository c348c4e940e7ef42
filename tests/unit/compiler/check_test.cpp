// The type checker end to end on source text: parse → resolve → check against the std
// server and the locked schemas of the real servers (tests/fixtures/locks). Each case states
// which diagnostic codes a program produces; the wording is pinned by the goldens.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "compiler/check/check.h"
#include "compiler/check/std_tools.h"
#include "compiler/diagnostics/render.h"
#include "compiler/parse/parse.h"
#include "compiler/resolve/resolve.h"
#include "compiler/types/print.h"
#include "runtime/value/json.h"

using namespace orch::compiler;
using orch::types::Print;

namespace {

std::shared_ptr<const check::ToolCatalog> FixtureCatalog() {
  static std::shared_ptr<const check::ToolCatalog> catalog = [] {
    auto c = std::make_shared<check::ToolCatalog>(check::ToolCatalog::WithStd());
    for (const char* name : {"filesystem", "memory", "everything"}) {
      std::ifstream in(std::string(ORCH_LOCK_FIXTURES_DIR) + "/" + name + ".lock");
      std::stringstream ss;
      ss << in.rdbuf();
      auto v = orch::ParseJson(ss.str());
      if (v.ok()) c->AddLockJson(*v);
    }
    return c;
  }();
  return catalog;
}

struct Checked {
  SourceMap sources;
  std::optional<ast::File> file;
  resolve::ResolvedModule resolved;
  check::CheckResult result;
  DiagnosticSink sink;

  /// The codes of the checker's diagnostics (E03xx, W03xx), in order, space-separated.
  std::string Codes() const {
    std::string out;
    for (const Diagnostic& d : sink.diagnostics()) {
      if (d.code().substr(2, 1) != "3") continue;
      if (!out.empty()) out += ' ';
      out += std::string(d.code());
    }
    return out;
  }
  std::string Rendered() const {
    std::string out;
    for (const Diagnostic& d : sink.diagnostics()) out += RenderHuman(d, sources);
    return out;
  }
  const ast::WorkflowDecl* Workflow(const std::string& name) const {
    for (const ast::DeclPtr& d : file->declarations) {
      if (auto* w = ast::DynCast<ast::WorkflowDecl>(d.get()); w && w->name.name == name) return w;
    }
    return nullptr;
  }
};

std::unique_ptr<Checked> CheckSource(const std::string& text) {
  auto c = std::make_unique<Checked>();
  FileId id = c->sources.Add("test.orch", text);
  c->file = Parse(c->sources, id, c->sink);
  REQUIRE_MESSAGE(c->file.has_value(), c->Rendered());
  REQUIRE_MESSAGE(!c->sink.has_errors(), c->Rendered());
  resolve::ResolveOptions options;
  options.configured_servers = {"filesystem", "memory", "everything"};
  std::vector<const ast::File*> files{&*c->file};
  c->resolved = resolve::Resolve(files, options, c->sink);
  c->result = check::Check(files, c->resolved, FixtureCatalog(), c->sink);
  return c;
}

}  // namespace

TEST_CASE("a clean program has no diagnostics and typed workflows") {
  auto c = CheckSource(R"(use std
workflow main(name: string = "world") -> string {
  let greeting = std.echo(message: "hello, ${name}")
  return greeting.text
}
)");
  CHECK(c->Codes() == "");
  const ast::WorkflowDecl* w = c->Workflow("main");
  REQUIRE(w);
  const check::WorkflowSignature* sig = c->result.Signature(*w);
  REQUIRE(sig);
  CHECK(Print(sig->params) == "{name?: string}");
  CHECK(Print(sig->result) == "string");
}

TEST_CASE("inferred workflow results join their returns") {
  auto c = CheckSource(R"(workflow pick(n: int) {
  if n > 1 { return "many" }
  return n
}
)");
  CHECK(c->Codes() == "");
  CHECK(Print(c->result.Signature(*c->Workflow("pick"))->result) == "\"many\" | int");
}

TEST_CASE("unknown tool parameter is E0302 with did-you-mean") {
  auto c = CheckSource(R"(use filesystem
workflow main() {
  let r = filesystem.read_text_file(pth: "a.txt")
}
)");
  CHECK(c->Codes().find("E0302") != std::string::npos);
  CHECK(c->Rendered().find("a parameter with a similar name exists: `path`") != std::string::npos);
}

TEST_CASE("argument type mismatch, missing parameter, unknown tool") {
  auto c = CheckSource(R"(use filesystem
workflow main() {
  let a = filesystem.read_text_file(path: 3)
  let b = filesystem.write_file(path: "x")
  let d = filesystem.read_txt_file(path: "x")
}
)");
  CHECK(c->Codes() == "E0304 E0303 E0301");
}

TEST_CASE("field access, possibly-null values and narrowing") {
  auto c = CheckSource(R"(use memory
workflow main(q: string) -> int {
  let g = memory.search_nodes(query: q)
  let first = g.entities[0]
  let bad = g.entitys
  var m: int? = null
  if m != null { return m + 1 }
  return m + 2
}
)");
  CHECK(c->Codes() == "E0305 E0306");
}

TEST_CASE("builtins type their lambdas from the collection") {
  auto c = CheckSource(R"(workflow main(xs: [{price: number, name: string}]) -> [string] {
  let cheap = xs | filter(x => x.price < 50) | map(x => x.name)
  let total = xs | map(x => x.price) | sum
  let groups = group_by(xs, x => x.name)
  return cheap
}
)");
  CHECK(c->Codes() == "");
}

TEST_CASE("wrong builtin arguments and non-bool conditions") {
  auto c = CheckSource(R"(workflow main(xs: [int]) {
  let a = upper(3)
  let b = xs | filter(x => x + 1)
  if len(xs) { log "x" }
  assert "yes"
}
)");
  CHECK(c->Codes().find("E0310") != std::string::npos);
  CHECK(c->Codes().find("E0309") != std::string::npos);
}

TEST_CASE("mocks must be values the tool can return") {
  auto c = CheckSource(R"(use everything
use std
workflow main() -> string {
  let r = everything.echo(message: "hi")
  return r.text
}
test "mocks" {
  mock everything.echo => text("hi")
  mock std.now => { time: 3 }
  let v = main()
  assert v == "hi"
}
)");
  CHECK(c->Codes() == "E0312");
}

TEST_CASE("servers missing from the lock are reported once at the use") {
  auto c = CheckSource(R"(use github
workflow main() {
  let r = github.search(q: "a")
  let s = github.search(q: "b")
}
)");
  CHECK(c->Codes() == "W0303");
}

TEST_CASE("locked servers are not reported") {
  auto c = CheckSource(R"(use filesystem
workflow main() {
  let r = filesystem.read_text_file(path: "a")
}
)");
  CHECK(c->Codes() == "");
}
