// AST node construction, casting and table-driven helpers.
#include <doctest/doctest.h>

#include "compiler/ast/ast.h"

namespace ast = orch::compiler::ast;
using orch::compiler::Span;

TEST_CASE("dyn_cast returns the node for its own kind and null for another") {
  ast::ExprPtr e = std::make_unique<ast::IntExpr>(Span{0, 0, 2}, 42);
  CHECK(ast::Isa<ast::IntExpr>(*e));
  CHECK(ast::DynCast<ast::IntExpr>(e.get())->value == 42);
  CHECK(ast::DynCast<ast::NameExpr>(e.get()) == nullptr);
  CHECK(ast::KindName(e->kind()) == "Int");
}

TEST_CASE("visit dispatches on the dynamic class") {
  auto call = std::make_unique<ast::CallExpr>(Span{0, 0, 10},
      std::make_unique<ast::NameExpr>(Span{0, 0, 3}, ast::Identifier{"len", Span{0, 0, 3}}));
  const ast::Expr& e = *call;
  std::string seen = ast::Visit(e, [](const auto& node) -> std::string {
    using T = std::decay_t<decltype(node)>;
    if constexpr (std::is_same_v<T, ast::CallExpr>) return "call";
    return "other";
  });
  CHECK(seen == "call");
}

TEST_CASE("operator spellings and precedences come from tokens.def") {
  CHECK(ast::Spelling(ast::BinaryOp::kCoalesce) == "??");
  CHECK(ast::Spelling(ast::BinaryOp::kAnd) == "and");
  CHECK(ast::Precedence(ast::BinaryOp::kMul) > ast::Precedence(ast::BinaryOp::kAdd));
  CHECK(ast::Precedence(ast::BinaryOp::kAdd) > ast::Precedence(ast::BinaryOp::kEq));
  CHECK(ast::Precedence(ast::UnaryOp::kNot) < ast::Precedence(ast::BinaryOp::kEq));
  CHECK(ast::IsComparison(ast::BinaryOp::kIn));
  CHECK_FALSE(ast::IsComparison(ast::BinaryOp::kOr));
}

TEST_CASE("durations convert to whole milliseconds or report that they cannot") {
  CHECK(ast::DurationExpr(Span{}, 250, ast::DurationUnit::kMilliseconds).TotalMilliseconds() == 250);
  CHECK(ast::DurationExpr(Span{}, 1.5, ast::DurationUnit::kSeconds).TotalMilliseconds() == 1500);
  CHECK(ast::DurationExpr(Span{}, 5, ast::DurationUnit::kMinutes).TotalMilliseconds() == 300000);
  CHECK_FALSE(ast::DurationExpr(Span{}, 0.5, ast::DurationUnit::kMilliseconds).TotalMilliseconds());
  CHECK_FALSE(ast::DurationExpr(Span{}, 1e30, ast::DurationUnit::kHours).TotalMilliseconds());
}

TEST_CASE("a string with an interpolation has no plain value") {
  ast::StringExpr s(Span{});
  s.parts.push_back(ast::StringPart{ast::StringPart::Kind::kText, "a", nullptr, Span{}});
  CHECK(s.PlainValue() == "a");
  s.parts.push_back(ast::StringPart{ast::StringPart::Kind::kInterpolation, "",
      std::make_unique<ast::NullExpr>(Span{}), Span{}});
  CHECK_FALSE(s.IsPlain());
  CHECK_FALSE(s.PlainValue());
}

TEST_CASE("an agent lists its workflows and uses in source order") {
  ast::AgentDecl agent(Span{});
  auto uses = std::make_unique<ast::UsesDecl>(Span{});
  uses->tools.push_back(ast::ToolPattern{ast::Identifier{"exa", Span{}, false}, std::nullopt, true, Span{}});
  agent.members.push_back(std::move(uses));
  auto wf = std::make_unique<ast::WorkflowDecl>(Span{});
  wf->name.name = "research";
  agent.members.push_back(std::move(wf));
  REQUIRE(agent.Workflows().size() == 1);
  CHECK(agent.Workflows()[0]->name.name == "research");
  REQUIRE(agent.Uses().size() == 1);
  CHECK(agent.Uses()[0]->wildcard);
}
