// Resolver, part 1: the entry point, top-level names (collected from every file before any
// body is resolved, so declaration order does not matter), `use` against the
// configuration, and the bodies of declarations.
#include <fmt/format.h>

#include <algorithm>

#include "compiler/resolve/resolver.h"
#include "grammar/tokens.h"

namespace orch::compiler::resolve {

ResolvedModule Resolve(const std::vector<const ast::File*>& files, const ResolveOptions& options,
                       DiagnosticSink& sink) {
  return Resolver(options, sink).Run(files);
}

Resolver::Resolver(const ResolveOptions& options, DiagnosticSink& sink) : options_(options), sink_(sink) {
  auto add_builtin = [&](std::string_view spelling, bool test_only) {
    Symbol s;
    s.kind = SymbolKind::kBuiltin;
    s.name = std::string(spelling);
    s.test_only = test_only;
    std::string name = s.name;
    builtins_.emplace(std::move(name), AddSymbol(std::move(s)));
  };
  for (const auto& b : grammar::kBuiltins) add_builtin(b.spelling, false);
  for (const auto& b : grammar::kTestBuiltins) add_builtin(b.spelling, true);
}

SymbolId Resolver::AddSymbol(Symbol symbol) {
  module_.symbols.push_back(std::move(symbol));
  branch_tags_.emplace_back();
  depth_of_.push_back(scopes_.size());
  return static_cast<SymbolId>(module_.symbols.size() - 1);
}

ResolvedModule Resolver::Run(const std::vector<const ast::File*>& files) {
  for (const ast::File* file : files) DeclareGlobals(*file);
  // The built-in `std` server is always in scope; `use std` just says so explicitly.
  if (!module_.globals.contains("std")) {
    Symbol s;
    s.kind = SymbolKind::kServer;
    s.name = "std";
    s.server_name = "std";
    module_.globals.emplace("std", AddSymbol(std::move(s)));
  }
  for (const ast::File* file : files) {
    for (const ast::DeclPtr& decl : file->declarations) ResolveDecl(*decl);
  }
  return std::move(module_);
}

void Resolver::DeclareGlobal(SymbolId id) {
  const Symbol& s = module_.symbols[id];
  auto& table = s.kind == SymbolKind::kTypeAlias ? module_.type_aliases : module_.globals;
  auto [it, inserted] = table.emplace(s.name, id);
  if (inserted) return;
  const Symbol& first = module_.symbols[it->second];
  sink_.Report(DiagKind::kDuplicateDeclaration, s.span, {s.name})
      .WithLabel(fmt::format("{} of this name already exists", Describe(first.kind)))
      .AddSecondary(first.span, "first declared here")
      .AddHelp("rename one of them");
}

void Resolver::CheckConfigured(const ast::UseDecl& use) {
  if (use.server == "std") return;
  const auto& configured = options_.configured_servers;
  if (std::find(configured.begin(), configured.end(), use.server) != configured.end()) return;
  Span span = use.has_alias ? use.server_span : use.name.span;
  Diagnostic& d = sink_.Report(DiagKind::kServerNotConfigured, span, {use.server})
                      .WithLabel("no server of this name is configured");
  if (auto similar = SuggestSimilar(use.server, configured)) {
    d.AddHelp(fmt::format("a configured server has a similar name: `{}`", *similar));
  } else if (configured.empty()) {
    d.AddNote("no configuration file was found, so only the built-in `std` server is known");
    d.AddHelp(fmt::format("add `{}` to orchestrator.yaml (or .mcp.json), or pass `--config FILE`", use.server));
  } else {
    d.AddHelp(fmt::format("configured servers: {}", fmt::join(configured, ", ")));
  }
}

void Resolver::DeclareGlobals(const ast::File& file) {
  std::unordered_map<std::string, Span> tests;
  for (const ast::DeclPtr& decl : file.declarations) {
    switch (decl->kind()) {
      case ast::DeclKind::kUse: {
        const auto& use = ast::Cast<ast::UseDecl>(*decl);
        CheckConfigured(use);
        Symbol s;
        s.kind = SymbolKind::kServer;
        s.name = use.name.name;
        s.span = use.name.span;
        s.use = &use;
        s.server_name = use.server;
        DeclareGlobal(AddSymbol(std::move(s)));
        break;
      }
      case ast::DeclKind::kServer: {
        const auto& server = ast::Cast<ast::ServerDecl>(*decl);
        Symbol s;
        s.kind = SymbolKind::kServer;
        s.name = server.name.name;
        s.span = server.name.span;
        s.server_decl = &server;
        s.server_name = server.name.name;
        DeclareGlobal(AddSymbol(std::move(s)));
        break;
      }
      case ast::DeclKind::kTypeAlias: {
        const auto& alias = ast::Cast<ast::TypeAliasDecl>(*decl);
        Symbol s;
        s.kind = SymbolKind::kTypeAlias;
        s.name = alias.name.name;
        s.span = alias.name.span;
        s.type_alias = &alias;
        DeclareGlobal(AddSymbol(std::move(s)));
        break;
      }
      case ast::DeclKind::kWorkflow: {
        const auto& workflow = ast::Cast<ast::WorkflowDecl>(*decl);
        Symbol s;
        s.kind = SymbolKind::kWorkflow;
        s.name = workflow.name.name;
        s.span = workflow.name.span;
        s.workflow = &workflow;
        DeclareGlobal(AddSymbol(std::move(s)));
        break;
      }
      case ast::DeclKind::kAgent: {
        const auto& agent = ast::Cast<ast::AgentDecl>(*decl);
        Symbol s;
        s.kind = SymbolKind::kAgent;
        s.name = agent.name.name;
        s.span = agent.name.span;
        s.agent = &agent;
        DeclareGlobal(AddSymbol(std::move(s)));
        break;
      }
      case ast::DeclKind::kTest: {
        const auto& test = ast::Cast<ast::TestDecl>(*decl);
        auto [it, inserted] = tests.emplace(test.name, test.name_span);
        if (!inserted) {
          sink_.Report(DiagKind::kDuplicateDeclaration, test.name_span, {fmt::format("test \"{}\"", test.name)})
              .WithLabel("a test of this name already exists")
              .AddSecondary(it->second, "first declared here")
              .AddHelp("give each test its own name, so failures say which one failed");
        }
        break;
      }
      case ast::DeclKind::kImport:  // loaded by the driver before resolution
      case ast::DeclKind::kUses:    // only inside agents
        break;
    }
  }
}

void Resolver::ResolveDecl(const ast::Decl& decl) {
  body_ = BodyContext{};
  switch (decl.kind()) {
    case ast::DeclKind::kServer: {
      const auto& server = ast::Cast<ast::ServerDecl>(decl);
      bool known = false;
      std::vector<std::string> transports;
      for (const auto& t : grammar::kTransports) {
        transports.emplace_back(t.spelling);
        known = known || t.spelling == server.transport.name;
      }
      if (!known) {
        Diagnostic& d = sink_.Report(DiagKind::kUnknownTransport, server.transport.span, {server.transport.name})
                            .WithLabel("not a transport");
        SuggestName(d, server.transport.name, server.transport.span, transports, "a transport");
        d.AddHelp("start a local server with `stdio(\"command\", [\"arg\"])` or connect with `http(\"https://…\")`");
      }
      ResolveArguments(server.args);
      break;
    }
    case ast::DeclKind::kTypeAlias:
      if (const auto& type = ast::Cast<ast::TypeAliasDecl>(decl).type) ResolveType(*type);
      break;
    case ast::DeclKind::kWorkflow:
      ResolveWorkflow(ast::Cast<ast::WorkflowDecl>(decl), nullptr);
      break;
    case ast::DeclKind::kAgent:
      ResolveAgent(ast::Cast<ast::AgentDecl>(decl));
      break;
    case ast::DeclKind::kTest:
      ResolveTest(ast::Cast<ast::TestDecl>(decl));
      break;
    case ast::DeclKind::kUse:
    case ast::DeclKind::kImport:
    case ast::DeclKind::kUses:
      break;
  }
}

void Resolver::ResolveWorkflow(const ast::WorkflowDecl& workflow, const ast::AgentDecl* agent) {
  body_ = BodyContext{.in_workflow = true, .in_test = false, .agent = agent};
  // Parameter types and defaults see only globals: defaults are evaluated by the caller.
  for (const ast::Param& param : workflow.params) {
    if (param.type) ResolveType(*param.type);
    if (param.default_value) ResolveExpr(*param.default_value);
  }
  if (workflow.return_type) ResolveType(*workflow.return_type);
  PushScope();
  for (const ast::Param& param : workflow.params) {
    Symbol s;
    s.kind = SymbolKind::kParam;
    s.name = param.name.name;
    s.span = param.name.span;
    s.param = &param;
    s.workflow = &workflow;
    DeclareLocal(std::move(s));
  }
  ResolveBlock(workflow.body);
  PopScope();
  body_ = BodyContext{};
}

void Resolver::ResolveAgent(const ast::AgentDecl& agent) {
  // The agent's own workflows: one namespace per agent, reachable as `agent.name` from
  // outside and by bare name from inside.
  std::unordered_map<std::string, SymbolId> own;
  for (const ast::WorkflowDecl* workflow : agent.Workflows()) {
    Symbol s;
    s.kind = SymbolKind::kWorkflow;
    s.name = workflow->name.name;
    s.span = workflow->name.span;
    s.workflow = workflow;
    s.agent = &agent;
    SymbolId id = AddSymbol(std::move(s));
    auto [it, inserted] = own.emplace(workflow->name.name, id);
    if (!inserted) {
      sink_.Report(DiagKind::kDuplicateDeclaration, workflow->name.span, {workflow->name.name})
          .WithLabel(fmt::format("agent `{}` already has a workflow of this name", agent.name.name))
          .AddSecondary(module_.symbols[it->second].span, "first declared here")
          .AddHelp("rename one of them");
    }
  }
  agent_workflows_[&agent] = std::move(own);
  for (const ast::ToolPattern* pattern : agent.Uses()) {
    SymbolId id;
    auto it = module_.globals.find(pattern->server.name);
    bool is_server = it != module_.globals.end() && module_.symbols[it->second].kind == SymbolKind::kServer;
    if (is_server) {
      id = it->second;
      module_.symbols[id].reads++;
      continue;
    }
    std::vector<std::string> servers;
    for (const auto& [name, gid] : module_.globals) {
      if (module_.symbols[gid].kind == SymbolKind::kServer) servers.push_back(name);
    }
    std::sort(servers.begin(), servers.end());
    Diagnostic& d = sink_.Report(DiagKind::kUnknownServer, pattern->server.span, {pattern->server.name})
                        .WithLabel("not a server of this program");
    SuggestName(d, pattern->server.name, pattern->server.span, servers, "a server");
    d.AddHelp(fmt::format("declare the server at the top of the file with `use {}`", pattern->server.name));
  }
  for (const ast::WorkflowDecl* workflow : agent.Workflows()) ResolveWorkflow(*workflow, &agent);
}

void Resolver::ResolveTest(const ast::TestDecl& test) {
  body_ = BodyContext{.in_workflow = false, .in_test = true, .agent = nullptr};
  PushScope();
  ResolveBlock(test.body);
  PopScope();
  body_ = BodyContext{};
}

}  // namespace orch::compiler::resolve
