// The resolver's side tables and its scoping rules, on programs parsed from text.
#include <doctest/doctest.h>

#include <algorithm>

#include "compiler/parse/parse.h"
#include "compiler/resolve/resolve.h"

namespace orch::compiler::resolve {
namespace {

struct Resolved {
  SourceMap sources;
  DiagnosticSink sink;
  std::optional<ast::File> file;
  ResolvedModule module;

  std::vector<std::string> Codes() const {
    std::vector<std::string> codes;
    for (const auto& d : sink.diagnostics()) codes.emplace_back(d.code());
    std::sort(codes.begin(), codes.end());
    return codes;
  }
  bool Has(std::string_view code) const {
    auto codes = Codes();
    return std::find(codes.begin(), codes.end(), code) != codes.end();
  }
};

std::unique_ptr<Resolved> ResolveText(std::string text, std::vector<std::string> configured = {}) {
  auto r = std::make_unique<Resolved>();
  FileId id = r->sources.Add("test.orch", std::move(text));
  r->file = Parse(r->sources, id, r->sink);
  REQUIRE(r->file.has_value());
  REQUIRE_FALSE(r->sink.has_errors());
  r->module = Resolve({&*r->file}, {std::move(configured)}, r->sink);
  return r;
}

// Every NameExpr named `name` in the module's table, with the symbol it resolved to.
std::vector<const Symbol*> UsesOf(const Resolved& r, std::string_view name) {
  std::vector<const Symbol*> out;
  for (const auto& [expr, id] : r.module.names) {
    if (expr->name.name == name) out.push_back(&r.module.symbol(id));
  }
  return out;
}

}  // namespace

TEST_CASE("a name use resolves to the parameter, let, loop variable or lambda parameter that binds it") {
  auto r = ResolveText(
      "workflow main(limit: int) -> [int] {\n"
      "  let base = limit\n"
      "  for item in [base] {\n"
      "    log \"${item}\"\n"
      "  }\n"
      "  return [1] | map(x => x + base)\n"
      "}\n");
  CHECK(r->Codes().empty());
  REQUIRE(UsesOf(*r, "limit").size() == 1);
  CHECK(UsesOf(*r, "limit")[0]->kind == SymbolKind::kParam);
  CHECK(UsesOf(*r, "item")[0]->kind == SymbolKind::kLoopVar);
  CHECK(UsesOf(*r, "x")[0]->kind == SymbolKind::kLambdaParam);
  CHECK(UsesOf(*r, "base").size() == 2);
  CHECK(UsesOf(*r, "base")[0]->kind == SymbolKind::kLet);
  CHECK(UsesOf(*r, "map")[0]->kind == SymbolKind::kBuiltin);
}

TEST_CASE("server.tool members go to the tools table with the configured server name") {
  auto r = ResolveText("use maps = \"google-maps\"\nworkflow main() { log maps.search(q: 1) }\n", {"google-maps"});
  CHECK(r->Codes().empty());
  REQUIRE(r->module.tools.size() == 1);
  const ToolRef& ref = r->module.tools.begin()->second;
  CHECK(ref.tool == "search");
  CHECK(r->module.symbol(ref.server).server_name == "google-maps");
  CHECK(r->module.symbol(ref.server).name == "maps");
}

TEST_CASE("std is always a server, with or without `use std`") {
  auto implicit = ResolveText("workflow main() { log std.echo(message: \"a\") }\n");
  CHECK(implicit->Codes().empty());
  CHECK(implicit->module.tools.size() == 1);
  auto explicit_use = ResolveText("use std\nworkflow main() { log std.echo(message: \"a\") }\n");
  CHECK(explicit_use->Codes().empty());
}

TEST_CASE("agent.workflow members and named types resolve to their declarations") {
  auto r = ResolveText(
      "type Hit = { title: string }\n"
      "agent a {\n  uses std.*\n  workflow w(h: Hit) -> string { return h.title }\n}\n"
      "workflow main() { log a.w(h: { title: \"x\" }) }\n");
  CHECK(r->Codes().empty());
  REQUIRE(r->module.agent_workflows.size() == 1);
  CHECK(r->module.symbol(r->module.agent_workflows.begin()->second).kind == SymbolKind::kWorkflow);
  REQUIRE(r->module.types.size() == 1);
  CHECK(r->module.Alias(*r->module.types.begin()->first)->name.name == "Hit");
}

TEST_CASE("workflows may be called before their declaration") {
  auto r = ResolveText("workflow a() { log b() }\nworkflow b() -> string { return \"b\" }\n");
  CHECK(r->Codes().empty());
  CHECK(UsesOf(*r, "b")[0]->kind == SymbolKind::kWorkflow);
}

TEST_CASE("a let is visible only after its statement, and only to the end of its block") {
  CHECK(ResolveText("workflow m() {\n  log x\n  let x = 1\n}\n")->Has("E0201"));
  CHECK(ResolveText("workflow m() {\n  if true {\n    let x = 1\n  }\n  log x\n}\n")->Has("E0201"));
}

TEST_CASE("parallel branch bindings are visible after the block but not to sibling branches") {
  auto after = ResolveText("workflow m() {\n  parallel {\n    let a = 1\n    let b = 2\n  }\n  log a + b\n}\n");
  CHECK(after->Codes().empty());
  CHECK(ResolveText("workflow m() {\n  parallel {\n    let a = 1\n    let b = a\n  }\n  log b\n}\n")->Has("E0213"));
  CHECK(ResolveText("workflow m() {\n  parallel {\n    let a = b\n    let b = 1\n  }\n  log a\n}\n")->Has("E0213"));
}

TEST_CASE("only a var can be assigned, and not from a parallel loop body when declared outside") {
  CHECK(ResolveText("workflow m() {\n  var t = 0\n  t = 1\n  log t\n}\n")->Codes().empty());
  CHECK(ResolveText("workflow m() {\n  let t = 0\n  t = 1\n  log t\n}\n")->Has("E0211"));
  CHECK(ResolveText("workflow m() {\n  u = 1\n}\n")->Has("E0212"));
  CHECK(ResolveText("workflow m() {\n  var t = 0\n  for i in [1] parallel {\n    t = i\n  }\n  log t\n}\n")->Has("E0214"));
  CHECK(ResolveText("workflow m() {\n  var t = 0\n  for i in [1] {\n    t = i\n  }\n  log t\n}\n")->Codes().empty());
}

TEST_CASE("unused, shadowed and unreachable are warnings, and `_` names are never unused") {
  auto r = ResolveText("workflow m(p: int) {\n  let _quiet = 1\n  let loud = 2\n  if true {\n    let p = 3\n    log p\n  }\n}\n");
  CHECK(r->Codes() == std::vector<std::string>{"W0101", "W0102"});
  CHECK_FALSE(r->sink.has_errors());
  CHECK(ResolveText("workflow m() -> int {\n  return 1\n  log \"x\"\n}\n")->Has("W0103"));
}

TEST_CASE("use of a server missing from the configuration is an error naming the configured ones") {
  auto r = ResolveText("use exa\nuse brave\nworkflow m() { log exa.search(q: 1) }\n", {"exa", "brav"});
  REQUIRE(r->Codes() == std::vector<std::string>{"E0206"});
  const Diagnostic& d = r->sink.diagnostics()[0];
  REQUIRE_FALSE(d.help.empty());
  CHECK(d.help[0].find("`brav`") != std::string::npos);
}

TEST_CASE("an agent may call only the tools its uses line lists") {
  std::string program =
      "agent a {\n  uses std.echo\n  workflow w() {\n    log std.echo(message: \"x\")\n    log std.now()\n  }\n}\n";
  auto r = ResolveText(program);
  CHECK(r->Codes() == std::vector<std::string>{"E0218"});
}

TEST_CASE("undefined names get a did-you-mean help and a fix-it") {
  auto r = ResolveText("workflow m(query: string) { log qery }\n");
  REQUIRE(r->Codes() == std::vector<std::string>{"E0201"});
  const Diagnostic& d = r->sink.diagnostics()[0];
  REQUIRE(d.fixits.size() == 1);
  CHECK(d.fixits[0].replacement == "query");
}

}  // namespace orch::compiler::resolve
