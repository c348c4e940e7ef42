// The interpreter on hand-built IR: values, errors with locations, tool calls and their
// policies, fork-join, automatic concurrency, cancellation, recursion and agents.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "runtime/value/json.h"
#include "stdlib/builtins/builtins.h"
#include "tests/unit/runtime/interp_test_support.h"

using namespace orch;
using namespace orch::testing;
using interp::RunResult;

namespace {

struct Program {
  ir::Module module;
  std::shared_ptr<FakeServer> server = std::make_shared<FakeServer>("fake");

  Program() {
    module.servers.push_back(ir::Server{"fake", "fake", "", {}});
    module.functions.emplace_back();
    module.functions[0].name = "main";
  }
  ir::Function& main() { return module.functions[0]; }
  IrWriter Writer() { return IrWriter(module, main(), main().body); }

  RunResult Run(interp::InterpreterOptions options = {}, interp::ResultCache* cache = nullptr) {
    for (auto& fn : module.functions) ir::MarkOverlappableCalls(fn);
    auto lookup = [this](const std::string& name) -> ErrorOr<std::shared_ptr<mcp::ToolServer>> {
      if (name == "fake") return std::shared_ptr<mcp::ToolServer>(server);
      return MakeError("config", "no server " + name);
    };
    interp::ToolInvoker tools(lookup, nullptr, cache, std::chrono::milliseconds(0));
    interp::Interpreter interpreter(module, stdlib::Builtins(), tools, nullptr, options);
    auto loaded = interpreter.Load();
    REQUIRE(loaded.ok());
    return interpreter.Run(0, {});
  }
};

Value ValueOf(const RunResult& r) {
  if (const auto* e = std::get_if<interp::RuntimeError>(&r)) FAIL("unexpected error: " << e->message);
  return std::get<Value>(r);
}

interp::RuntimeError ErrorOf(const RunResult& r) {
  REQUIRE(std::holds_alternative<interp::RuntimeError>(r));
  return std::get<interp::RuntimeError>(r);
}

}  // namespace

TEST_CASE("arithmetic and return produce the value") {
  Program p;
  auto w = p.Writer();
  Reg a = w.Const(Value(40));
  Reg b = w.Const(Value(2));
  Reg sum = w.Emit(Op::kAdd, {a, b});
  w.Add(Op::kReturn, ir::kNoReg, {sum});
  CHECK(ToJson(ValueOf(p.Run())) == "42");
}

TEST_CASE("division by zero is E0505 at the dividing instruction") {
  Program p;
  auto w = p.Writer();
  Reg a = w.Const(Value(1));
  Reg b = w.Const(Value(0));
  Reg d = w.NewReg();
  w.Add(Op::kDiv, d, {a, b}, 17);
  w.Add(Op::kReturn, ir::kNoReg, {d});
  const auto& e = ErrorOf(p.Run());
  CHECK(e.kind == "runtime");
  CHECK(e.diag == compiler::DiagKind::kArithmeticError);
  CHECK(e.span.begin == 17);
}

TEST_CASE("index out of range and null access name what failed") {
  Program p;
  auto w = p.Writer();
  Reg list = w.Const(*ParseJson("[1,2]"));
  Reg i = w.Const(Value(5));
  Reg x = w.Emit(Op::kIndex, {list, i});
  w.Add(Op::kReturn, ir::kNoReg, {x});
  const auto& e = ErrorOf(p.Run());
  CHECK(e.diag == compiler::DiagKind::kIndexOutOfRange);
  CHECK(e.ToDiagnostic().message == "index 5 is out of range for a list of 2 elements");

  Program q;
  auto v = q.Writer();
  Reg null = v.Const(Value());
  Reg f = v.NewReg();
  v.Add(Op::kField, f, {null}).names = {"title"};
  v.Add(Op::kReturn, ir::kNoReg, {f});
  const auto& n = ErrorOf(q.Run());
  CHECK(n.diag == compiler::DiagKind::kNullAccess);
  CHECK(n.ToDiagnostic().message == "cannot read field `title` of null");
}

TEST_CASE("optional access yields null instead of failing") {
  Program p;
  auto w = p.Writer();
  Reg null = w.Const(Value());
  Reg f = w.NewReg();
  w.Add(Op::kOptField, f, {null}).names = {"title"};
  Reg list = w.Const(*ParseJson("[]"));
  Reg zero = w.Const(Value(0));
  Reg x = w.Emit(Op::kOptIndex, {list, zero});
  Reg pair = w.Emit(Op::kMakeList, {f, x});
  w.Add(Op::kReturn, ir::kNoReg, {pair});
  CHECK(ToJson(ValueOf(p.Run())) == "[null,null]");
}

TEST_CASE("a tool without outputSchema returns a ToolResult record") {
  Program p;
  p.server->AddTool("echo", [](const Value& args, const mcp::CallOptions&) -> ErrorOr<Value> {
    return TextResult(args.Get("message").as_string());
  });
  auto w = p.Writer();
  Reg m = w.Const(Value("hi"));
  Reg r = w.Tool(0, "echo", {{"message", m}});
  w.Add(Op::kReturn, ir::kNoReg, {r});
  CHECK(ToJson(ValueOf(p.Run())) ==
        R"({"content":[{"type":"text","text":"hi"}],"text":"hi","structured":null,"is_error":false})");
}

TEST_CASE("try catches a tool error and binds kind and message") {
  Program p;
  p.server->AddTool("boom", [](const Value&, const mcp::CallOptions&) -> ErrorOr<Value> {
    return TextResult("it broke", true);
  });
  auto w = p.Writer();
  Reg e = w.NewReg();
  ir::Instr& t = w.Add(Op::kTry, e, {});
  t.blocks.resize(2);
  {
    IrWriter body(p.module, p.main(), p.main().body.instrs.back().blocks[0]);
    body.Tool(0, "boom", {});
  }
  {
    IrWriter handler(p.module, p.main(), p.main().body.instrs.back().blocks[1]);
    handler.Add(Op::kReturn, ir::kNoReg, {e});
  }
  Value v = ValueOf(p.Run());
  CHECK(v.Get("kind").as_string() == "tool");
  CHECK(v.Get("message").as_string() == "it broke");
  CHECK(v.Get("code").as_string() == "E0502");
}

TEST_CASE("retry calls again after a failure and succeeds") {
  Program p;
  std::atomic<int> attempts{0};
  p.server->AddTool("flaky", [&](const Value&, const mcp::CallOptions&) -> ErrorOr<Value> {
    if (attempts.fetch_add(1) == 0) return MakeError("transport", "connection reset");
    return TextResult("ok");
  });
  auto w = p.Writer();
  ir::CallPolicy policy;
  policy.retry = w.Const(Value(2));
  policy.backoff = w.Const(Value(1));
  Reg r = w.Tool(0, "flaky", {}, policy);
  w.Add(Op::kReturn, ir::kNoReg, {r});
  CHECK(ValueOf(p.Run()).Get("text").as_string() == "ok");
  CHECK(attempts == 2);
}

TEST_CASE("cache reuses the result of an equal read-only call") {
  Program p;
  p.server->AddTool("lookup", [](const Value& args, const mcp::CallOptions&) -> ErrorOr<Value> {
    return TextResult("v" + ToJson(args));
  });
  auto w = p.Writer();
  ir::CallPolicy policy;
  policy.cache = w.Const(Value(60000));
  Reg a1 = w.Const(*ParseJson(R"({"x":1,"y":2})"));
  Reg first = w.Tool(0, "lookup", {{"q", a1}}, policy);
  Reg second = w.Tool(0, "lookup", {{"q", a1}}, policy);
  Reg both = w.Emit(Op::kMakeList, {first, second});
  w.Add(Op::kReturn, ir::kNoReg, {both});
  interp::ResultCache cache;
  Value v = ValueOf(p.Run({}, &cache));
  CHECK(v.as_list()[0] == v.as_list()[1]);
  CHECK(p.server->calls("lookup") == 1);
}

TEST_CASE("equal cached calls in flight at once reach the tool only once") {
  Program p;
  p.server->AddTool("slow_lookup", [](const Value& args, const mcp::CallOptions&) -> ErrorOr<Value> {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    return TextResult("v" + ToJson(args));
  });
  auto w = p.Writer();
  Reg key = w.Const(Value("k"));
  ir::Instr& par = w.Add(Op::kParallel, ir::kNoReg, {});
  par.blocks.resize(3);
  std::vector<Reg> results;
  for (int i = 0; i < 3; ++i) {
    IrWriter branch(p.module, p.main(), p.main().body.instrs.back().blocks[i]);
    ir::CallPolicy policy;
    policy.cache = branch.Const(Value(60000));
    results.push_back(branch.Tool(0, "slow_lookup", {{"q", key}}, policy));
  }
  Reg all = w.Emit(Op::kMakeList, results);
  w.Add(Op::kReturn, ir::kNoReg, {all});
  interp::ResultCache cache;
  Value v = ValueOf(p.Run({}, &cache));
  REQUIRE(v.as_list().size() == 3);
  CHECK(v.as_list()[0] == v.as_list()[2]);
  CHECK(p.server->calls("slow_lookup") == 1);
}

TEST_CASE("parallel branches run concurrently") {
  Program p;
  Barrier barrier(2);
  p.server->AddTool("meet", [&](const Value&, const mcp::CallOptions&) -> ErrorOr<Value> {
    if (!barrier.ArriveAndWait()) return MakeError("timeout", "the other branch never came");
    return TextResult("met");
  });
  auto w = p.Writer();
  ir::Instr& par = w.Add(Op::kParallel, ir::kNoReg, {});
  par.blocks.resize(2);
  Reg r0 = IrWriter(p.module, p.main(), p.main().body.instrs.back().blocks[0]).Tool(0, "meet", {});
  Reg r1 = IrWriter(p.module, p.main(), p.main().body.instrs.back().blocks[1]).Tool(0, "meet", {});
  Reg both = w.Emit(Op::kMakeList, {r0, r1});
  w.Add(Op::kReturn, ir::kNoReg, {both});
  CHECK(ValueOf(p.Run()).as_list().size() == 2);
}

TEST_CASE("independent read-only calls overlap without a parallel block") {
  Program p;
  Barrier barrier(2);
  p.server->AddTool("meet", [&](const Value&, const mcp::CallOptions&) -> ErrorOr<Value> {
    if (!barrier.ArriveAndWait()) return MakeError("timeout", "the calls ran one after another");
    return TextResult("met");
  });
  auto w = p.Writer();
  Reg r0 = w.Tool(0, "meet", {});
  Reg r1 = w.Tool(0, "meet", {});
  Reg both = w.Emit(Op::kMakeList, {r0, r1});
  w.Add(Op::kReturn, ir::kNoReg, {both});
  CHECK(ValueOf(p.Run()).as_list()[1].Get("text").as_string() == "met");
}

TEST_CASE("sequential mode keeps side-effecting order and never overlaps") {
  Program p;
  std::mutex m;
  std::vector<std::string> order;
  int in_flight = 0, max_in_flight = 0;
  auto handler = [&](std::string name) {
    return [&, name](const Value&, const mcp::CallOptions&) -> ErrorOr<Value> {
      {
        std::lock_guard lock(m);
        order.push_back(name);
        max_in_flight = std::max(max_in_flight, ++in_flight);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      std::lock_guard lock(m);
      --in_flight;
      return TextResult(name);
    };
  };
  p.server->AddTool("read_a", handler("a"));
  p.server->AddTool("write_b", handler("b"), /*read_only=*/false);
  p.server->AddTool("read_c", handler("c"));
  auto w = p.Writer();
  w.Tool(0, "read_a", {});
  w.Tool(0, "write_b", {});
  w.Tool(0, "read_c", {});
  w.Add(Op::kReturn, ir::kNoReg, {});
  interp::InterpreterOptions options;
  options.sequential = true;
  ValueOf(p.Run(options));
  CHECK(order == std::vector<std::string>{"a", "b", "c"});
  CHECK(max_in_flight == 1);
}

TEST_CASE("a failing branch cancels its sibling and its error is reported") {
  Program p;
  std::atomic<bool> sibling_cancelled{false};
  p.server->AddTool("fail", [](const Value&, const mcp::CallOptions&) -> ErrorOr<Value> {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return TextResult("no", true);
  });
  p.server->AddTool("wait", [&](const Value&, const mcp::CallOptions& options) -> ErrorOr<Value> {
    for (int i = 0; i < 500; ++i) {
      if (options.cancel.cancelled()) {
        sibling_cancelled = true;
        return MakeError("cancelled", "cancelled");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return TextResult("finished");
  });
  auto w = p.Writer();
  ir::Instr& par = w.Add(Op::kParallel, ir::kNoReg, {});
  par.blocks.resize(2);
  IrWriter(p.module, p.main(), p.main().body.instrs.back().blocks[0]).Tool(0, "fail", {});
  IrWriter(p.module, p.main(), p.main().body.instrs.back().blocks[1]).Tool(0, "wait", {});
  w.Add(Op::kReturn, ir::kNoReg, {});
  const auto& e = ErrorOf(p.Run());
  CHECK(e.kind == "tool");
  CHECK(sibling_cancelled);
}

TEST_CASE("for parallel with a limit runs that many iterations at once") {
  Program p;
  Barrier barrier(3);
  std::atomic<int> calls{0};
  p.server->AddTool("meet", [&](const Value&, const mcp::CallOptions&) -> ErrorOr<Value> {
    // The first three must be in flight together; later ones pass straight through.
    if (calls.fetch_add(1) < 3 && !barrier.ArriveAndWait()) return MakeError("timeout", "not concurrent");
    return TextResult("ok");
  });
  auto w = p.Writer();
  Reg items = w.Const(*ParseJson("[1,2,3,4,5,6]"));
  Reg limit = w.Const(Value(3));
  Reg x = w.NewReg();
  ir::Instr& loop = w.Add(Op::kForEach, x, {items, limit});
  loop.blocks.resize(1);
  IrWriter body(p.module, p.main(), p.main().body.instrs.back().blocks[0]);
  body.Tool(0, "meet", {{"x", x}});
  w.Add(Op::kReturn, ir::kNoReg, {});
  ValueOf(p.Run());
  CHECK(p.server->calls("meet") == 6);
}

TEST_CASE("map with a lambda runs the lambda in the frame") {
  Program p;
  auto w = p.Writer();
  Reg xs = w.Const(*ParseJson("[1,2,3]"));
  p.module.builtins.push_back("map");
  Reg out = w.NewReg();
  ir::Instr& call = w.Add(Op::kCallBuiltin, out, {xs});
  call.imm = 0;
  call.lambda = std::make_unique<ir::Lambda>();
  Reg x = w.NewReg();
  call.lambda->params = {x};
  IrWriter body(p.module, p.main(), p.main().body.instrs.back().lambda->body);
  Reg ten = body.Const(Value(10));
  call.lambda->result = body.Emit(Op::kMul, {x, ten});
  w.Add(Op::kReturn, ir::kNoReg, {out});
  CHECK(ToJson(ValueOf(p.Run())) == "[10,20,30]");
}

TEST_CASE("unbounded recursion stops with E0510") {
  Program p;
  auto w = p.Writer();
  Reg r = w.NewReg();
  w.Add(Op::kCallWorkflow, r, {}).imm = 0;
  w.Add(Op::kReturn, ir::kNoReg, {r});
  const auto& e = ErrorOf(p.Run());
  CHECK(e.diag == compiler::DiagKind::kRecursionTooDeep);
  CHECK(e.call_sites.size() > 100);
}

TEST_CASE("an agent may call only the tools it uses") {
  Program p;
  p.server->AddTool("allowed", [](const Value&, const mcp::CallOptions&) -> ErrorOr<Value> { return TextResult("a"); });
  p.server->AddTool("other", [](const Value&, const mcp::CallOptions&) -> ErrorOr<Value> { return TextResult("b"); });
  p.module.agents.push_back(ir::Agent{"scout", {ir::ToolPattern{0, "allowed"}}});
  p.main().agent = 0;
  auto w = p.Writer();
  w.Tool(0, "allowed", {});
  w.Tool(0, "other", {});
  w.Add(Op::kReturn, ir::kNoReg, {});
  const auto& e = ErrorOf(p.Run());
  CHECK(e.diag == compiler::DiagKind::kToolNotAllowed);
  CHECK(p.server->calls("other") == 0);
}

TEST_CASE("a missing argument without default is E0514") {
  Program p;
  p.main().params.push_back(ir::Param{"city", 0, ir::TypeTag::kString, "string", false, false, {}});
  p.main().regs.push_back({"city", ir::TypeTag::kString});
  auto w = p.Writer();
  w.Add(Op::kReturn, ir::kNoReg, {0});
  const auto& e = ErrorOf(p.Run());
  CHECK(e.diag == compiler::DiagKind::kMissingArgument);
  CHECK(e.ToDiagnostic().message == "workflow `main` needs the argument `city: string`");
}

TEST_CASE("in test mode a tool call is answered by its mock and never reaches the server") {
  Program p;
  int real_calls = 0;
  p.server->AddTool("echo", [&](const Value&, const mcp::CallOptions&) -> ErrorOr<Value> {
    ++real_calls;
    return Value(Record{});
  });
  auto w = p.Writer();
  Reg reply = w.Const(Value("mocked"));
  ir::Instr& mock = w.Add(Op::kMock, ir::kNoReg, {reply});
  mock.call = std::make_unique<ir::ToolCall>();
  mock.call->tool = "echo";
  Reg arg = w.Const(Value("hi"));
  Reg result = w.Tool(0, "echo", {{"message", arg}});
  Reg count = w.NewReg();
  ir::Instr& log = w.Add(Op::kCallLog, count, {});
  log.call = std::make_unique<ir::ToolCall>();
  log.call->tool = "echo";
  log.names = {"count"};
  Reg both = w.Emit(Op::kMakeList, {result, count});
  w.Add(Op::kReturn, ir::kNoReg, {both});

  interp::MockTable mocks;
  auto lookup = [&p](const std::string&) -> ErrorOr<std::shared_ptr<mcp::ToolServer>> {
    return std::shared_ptr<mcp::ToolServer>(p.server);
  };
  interp::ToolInvoker tools(lookup, nullptr, nullptr, std::chrono::milliseconds(0));
  interp::Interpreter interpreter(p.module, stdlib::Builtins(), tools, nullptr, {});
  interpreter.UseMocks(&mocks);
  REQUIRE(interpreter.Load().ok());
  CHECK(ToJson(ValueOf(interpreter.Run(0, {}))) == "[\"mocked\",1]");
  CHECK(real_calls == 0);
  CHECK(mocks.Calls("fake.echo")[0] == Value(Record{{"message", Value("hi")}}));
}

TEST_CASE("in test mode a tool call without a mock fails at the call, naming the tool") {
  Program p;
  int real_calls = 0;
  p.server->AddTool("echo", [&](const Value&, const mcp::CallOptions&) -> ErrorOr<Value> {
    ++real_calls;
    return Value(Record{});
  });
  auto w = p.Writer();
  Reg result = w.Tool(0, "echo", {});
  w.Add(Op::kReturn, ir::kNoReg, {result});
  interp::MockTable mocks;
  auto lookup = [&p](const std::string&) -> ErrorOr<std::shared_ptr<mcp::ToolServer>> {
    return std::shared_ptr<mcp::ToolServer>(p.server);
  };
  interp::ToolInvoker tools(lookup, nullptr, nullptr, std::chrono::milliseconds(0));
  interp::Interpreter interpreter(p.module, stdlib::Builtins(), tools, nullptr, {});
  interpreter.UseMocks(&mocks);
  REQUIRE(interpreter.Load().ok());
  interp::RuntimeError e = ErrorOf(interpreter.Run(0, {}));
  CHECK(e.kind == "test");
  CHECK(e.diag == compiler::DiagKind::kUnmockedCall);
  CHECK(e.message.find("`fake.echo`") != std::string::npos);
  CHECK(real_calls == 0);
}
