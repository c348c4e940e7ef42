// The formatter: canonical layout, comments kept, idempotence, and parentheses that keep
// the parsed meaning.
#include <doctest/doctest.h>

#include "compiler/ast/dump.h"
#include "compiler/format/doc.h"
#include "compiler/format/format.h"
#include "compiler/parse/parse.h"

namespace orch::compiler::format {
namespace {

std::string Fmt(const std::string& text) {
  SourceMap sources;
  DiagnosticSink sink;
  FileId id = sources.Add("t.orch", text);
  auto file = Parse(sources, id, sink);
  REQUIRE(file.has_value());
  REQUIRE_FALSE(sink.has_errors());
  return FormatFile(*file, sources.file(id));
}

// The AST dump without positions: equal when two texts mean the same program.
std::string Shape(const std::string& text) {
  SourceMap sources;
  DiagnosticSink sink;
  FileId id = sources.Add("t.orch", text);
  auto file = Parse(sources, id, sink);
  REQUIRE(file.has_value());
  std::string dump = ast::Dump(*file, sources);
  std::string out;
  for (size_t i = 0; i < dump.size(); ++i) {
    if (dump[i] == '@') {
      while (i < dump.size() && dump[i] != '\n') ++i;
    }
    if (i < dump.size()) out += dump[i];
  }
  return out;
}

}  // namespace

TEST_CASE("statements are one per line with two-space indentation") {
  CHECK(Fmt("workflow m() { let a = 1; log a }") == "workflow m() {\n  let a = 1\n  log a\n}\n");
}

TEST_CASE("binary operators get spaces and commas get one space") {
  CHECK(Fmt("workflow m() {\n  log [1,2]|map(x=>x*2+1)\n}\n") == "workflow m() {\n  log [1, 2] | map(x => x * 2 + 1)\n}\n");
}

TEST_CASE("a call longer than 100 columns puts one argument per line with a trailing comma") {
  std::string text = "workflow m() {\n  log std.echo(message: \"" + std::string(90, 'a') + "\", other: 1)\n}\n";
  CHECK(Fmt(text) == "workflow m() {\n  log std.echo(\n    message: \"" + std::string(90, 'a') + "\",\n    other: 1,\n  )\n}\n");
}

TEST_CASE("a multi-line list that fits is joined back onto one line") {
  CHECK(Fmt("workflow m() {\n  log [\n    1,\n    2,\n  ]\n}\n") == "workflow m() {\n  log [1, 2]\n}\n");
}

TEST_CASE("comments are kept: own-line, trailing, doc comments and the shebang") {
  std::string text =
      "#!/usr/bin/env orchestrator run\n"
      "# about\n"
      "use std  # built in\n"
      "\n"
      "## Docs.\n"
      "workflow m() {\n"
      "  # inside\n"
      "  log 1  # trailing\n"
      "  # at the end\n"
      "}\n"
      "# last\n";
  CHECK(Fmt(text) == text);
}

TEST_CASE("declarations are separated by exactly one blank line") {
  CHECK(Fmt("use std\nworkflow a() {}\n\n\n\nworkflow b() {}\n") == "use std\n\nworkflow a() {}\n\nworkflow b() {}\n");
}

TEST_CASE("parentheses appear only where precedence needs them and the meaning is kept") {
  std::string text = "workflow m(a: int, b: int) {\n  log ((a + b)) * (a - (b - 1)) - -(a) + (a * b)\n}\n";
  std::string formatted = Fmt(text);
  CHECK(formatted == "workflow m(a: int, b: int) {\n  log (a + b) * (a - (b - 1)) - -a + a * b\n}\n");
  CHECK(Shape(formatted) == Shape(text));
}

TEST_CASE("formatting is idempotent on a program with every construct") {
  std::string text =
      "use std\nserver s = stdio(\"npx\", [\"-y\", \"pkg\"])\ntype T = { a: string?, b: [int], c: \"x\" | \"y\" }\n"
      "agent ag { uses std.*, s.tool\n workflow w(x: T) -> T? { return null } }\n"
      "workflow m(xs: [int] = []) -> int {\n var t = 0\n parallel { let a = 1\n let b = 2 }\n"
      " for x in xs parallel(limit: 2) { log x }\n try { fail \"no\" } catch e { log e.message }\n"
      " if t > 0 { t = 1 } else if t < 0 { t = 2 } else {}\n"
      " let r = std.echo(message: \"${a} ${ {k: \"v\"}.k }\") with { timeout: 10s }\n return t }\n"
      "test \"t\" { mock std.echo => text(\"x\")\n assert m() == 0, \"zero\" }\n";
  std::string once = Fmt(text);
  CHECK(Fmt(once) == once);
  CHECK(Shape(once) == Shape(text));
}

TEST_CASE("an empty file stays empty") { CHECK(Fmt("") == ""); }

TEST_CASE("the doc printer breaks a group only when it does not fit") {
  Doc doc = Group(Concat({Text("f("), Nest(2, Concat({SoftLine(), Text("a,"), Line(), Text("b")})), SoftLine(), Text(")")}));
  CHECK(Print(doc, 0, 80) == "f(a, b)");
  CHECK(Print(doc, 0, 5) == "f(\n  a,\n  b\n)");
}

}  // namespace orch::compiler::format
