// Parser: grammar soundness, precedence and associativity, line continuation, recovery,
// hostile input. Expressions are checked through the AST dump without spans.
#include <doctest/doctest.h>

#include <regex>
#include <string>

#include "compiler/ast/dump.h"
#include "compiler/driver/load.h"
#include "compiler/parse/parse.h"

namespace {

using namespace orch::compiler;

struct Parsed {
  SourceMap sources;
  DiagnosticSink sink;
  std::optional<ast::File> file;
  std::string Codes() const {
    std::string out;
    for (const auto& d : sink.diagnostics()) out += std::string(d.code()) + " ";
    return out;
  }
};

Parsed ParseText(std::string text) {
  Parsed p;
  FileId id = p.sources.Add("test.orch", std::move(text));
  p.file = Parse(p.sources, id, p.sink);
  return p;
}

/// The dump of the value of `let x = <expr>` inside a workflow, spans removed.
std::string ExprDump(const std::string& expr) {
  Parsed p = ParseText("workflow w() {\n  let x = " + expr + "\n}\n");
  if (p.sink.has_errors() || !p.file || p.file->declarations.empty()) return "error: " + p.Codes();
  const auto& wf = ast::Cast<ast::WorkflowDecl>(*p.file->declarations[0]);
  if (wf.body.statements.size() != 1) return "error: statements";
  const auto& let = ast::Cast<ast::LetStmt>(*wf.body.statements[0]);
  std::string dump = ast::Dump(*let.value, p.sources);
  return std::regex_replace(dump, std::regex(" @[0-9:-]+"), "");
}

}  // namespace

TEST_CASE("multiplication binds tighter than addition, both left-associative") {
  CHECK(ExprDump("1 + 2 * 3") == "Binary +\n  Int 1\n  Binary *\n    Int 2\n    Int 3\n");
  CHECK(ExprDump("1 - 2 - 3") == "Binary -\n  Binary -\n    Int 1\n    Int 2\n  Int 3\n");
  CHECK(ExprDump("(1 + 2) * 3") == "Binary *\n  Binary +\n    Int 1\n    Int 2\n  Int 3\n");
}

TEST_CASE("precedence runs lambda < pipeline < ?? < or < and < not < comparison") {
  CHECK(ExprDump("a ?? b or c") == "Binary ??\n  Name a\n  Binary or\n    Name b\n    Name c\n");
  CHECK(ExprDump("a or b and c") == "Binary or\n  Name a\n  Binary and\n    Name b\n    Name c\n");
  CHECK(ExprDump("not a == b") == "Unary not\n  Binary ==\n    Name a\n    Name b\n");
  CHECK(ExprDump("not a and b") == "Binary and\n  Unary not\n    Name a\n  Name b\n");
  CHECK(ExprDump("x in xs or y") == "Binary or\n  Binary in\n    Name x\n    Name xs\n  Name y\n");
  CHECK(ExprDump("xs | f(a ?? b)") ==
        "Pipeline\n  Name xs\n  Call\n    Name f\n    Arg\n      Binary ??\n        Name a\n        Name b\n");
  CHECK(ExprDump("x => x | f") == "Lambda (x)\n  Pipeline\n    Name x\n    Name f\n");
}

TEST_CASE("unary minus binds tighter than multiplication and looser than postfix") {
  CHECK(ExprDump("-a * b") == "Binary *\n  Unary -\n    Name a\n  Name b\n");
  CHECK(ExprDump("-a.b") == "Unary -\n  Member b\n    Name a\n");
}

TEST_CASE("postfix operators chain left to right") {
  CHECK(ExprDump("a?.b[0]?.[1].c") ==
        "Member c\n  OptionalIndex\n    Index\n      OptionalMember b\n        Name a\n      Int 0\n    Int 1\n");
  CHECK(ExprDump("s.`get-sum`(a: 1) with { retry: 2 }") ==
        "With\n  Call\n    Member `get-sum`\n      Name s\n    Arg a\n      Int 1\n  Field retry\n    Int 2\n");
}

TEST_CASE("comparisons do not chain") {
  Parsed p = ParseText("workflow w() {\n  let x = a < b < c\n}\n");
  CHECK(p.Codes() == "E0110 ");
}

TEST_CASE("a line ending with an operator continues, a line starting with one does not") {
  CHECK(ExprDump("1 +\n    2") == "Binary +\n  Int 1\n  Int 2\n");
  Parsed p = ParseText("workflow w() {\n  let x = 1\n    + 2\n}\n");
  CHECK(p.sink.has_errors());
}

TEST_CASE("brackets let expressions span lines and take trailing commas") {
  CHECK(ExprDump("f(\n  a,\n  b: 2,\n)") == "Call\n  Name f\n  Arg\n    Name a\n  Arg b\n    Int 2\n");
  CHECK(ExprDump("[\n  1,\n  2,\n]") == "List\n  Int 1\n  Int 2\n");
  CHECK(ExprDump("(a\n + b)") == "Binary +\n  Name a\n  Name b\n");
}

TEST_CASE("a line starting with | continues the pipeline") {
  CHECK(ExprDump("xs\n    | unique") == "Pipeline\n  Name xs\n  Name unique\n");
}

TEST_CASE("durations, numbers and escapes decode") {
  CHECK(ExprDump("250ms") == "Duration 250ms = 250ms\n");
  CHECK(ExprDump("1.5s") == "Duration 1.5s = 1500ms\n");
  CHECK(ExprDump("1h") == "Duration 1h = 3600000ms\n");
  CHECK(ExprDump("1e3") == "Number 1000\n");
  CHECK(ExprDump(R"("a\n\t\"\\\$\u{1F600}")") == "String \"a\\n\\t\\\"\\\\$\xF0\x9F\x98\x80\"\n");
  CHECK(ExprDump(R"("${ "inner ${x}" }")") ==
        "String\n  Interpolation\n    String\n      Text \"inner \"\n      Interpolation\n        Name x\n");
}

TEST_CASE("statement errors are recovered from and several are reported") {
  Parsed p = ParseText("workflow w() {\n  let = 1\n  let y = 2\n  let z 3\n  log y\n}\nworkflow v() {}\n");
  CHECK(p.Codes() == "E0101 E0101 ");
  REQUIRE(p.file);
  REQUIRE(p.file->declarations.size() == 2);
  const auto& w = ast::Cast<ast::WorkflowDecl>(*p.file->declarations[0]);
  CHECK(w.body.statements.size() == 2);  // `let y` and `log y`
}

TEST_CASE("10,000 nested parentheses give one nesting error and no crash") {
  Parsed p = ParseText("workflow w() {\n  let x = " + std::string(10000, '(') + "1" + std::string(10000, ')') + "\n}\n");
  CHECK(p.Codes() == "E0107 ");
}

TEST_CASE("a 1 MB single line parses") {
  std::string list = "[";
  while (list.size() < 1'000'000) list += "123456, ";
  list += "0]";
  Parsed p = ParseText("workflow w() { let x = " + list + " }\n");
  CHECK_FALSE(p.sink.has_errors());
  std::string text = "workflow w() { let x = \"" + std::string(1'000'000, 'a') + "\" }\n";
  Parsed q = ParseText(text);
  CHECK_FALSE(q.sink.has_errors());
}

TEST_CASE("an empty file is a file without declarations") {
  Parsed p = ParseText("");
  CHECK_FALSE(p.sink.has_errors());
  REQUIRE(p.file);
  CHECK(p.file->declarations.empty());
}

TEST_CASE("doc comments attach to the next declaration only when directly above") {
  Parsed p = ParseText("## Says hi.\n## Twice.\nworkflow a() {}\n\n## Detached.\n\nworkflow b() {}\n");
  REQUIRE(p.file);
  REQUIRE(p.file->declarations.size() == 2);
  REQUIRE(p.file->declarations[0]->doc);
  CHECK(p.file->declarations[0]->doc->text == "Says hi.\nTwice.");
  CHECK_FALSE(p.file->declarations[1]->doc);
  CHECK(p.file->comments.size() == 3);
}

TEST_CASE("loading rejects NUL bytes and malformed UTF-8 with their offsets") {
  SourceMap sources;
  DiagnosticSink sink;
  CHECK_FALSE(AddSource("a.orch", std::string("use a\0", 6), sources, sink));
  CHECK_FALSE(AddSource("b.orch", "use \xC3\x28", sources, sink));
  CHECK_FALSE(AddSource("c.orch", "use \xED\xA0\x80", sources, sink));  // a surrogate
  CHECK(AddSource("d.orch", "\xEF\xBB\xBFuse \xC3\xA9", sources, sink));  // BOM dropped, é fine
  REQUIRE(sink.diagnostics().size() == 3);
  CHECK(sink.diagnostics()[0].code() == "E0004");
  CHECK(sink.diagnostics()[0].primary.span.begin == 5);
  CHECK(sink.diagnostics()[1].code() == "E0003");
  CHECK(sink.diagnostics()[1].primary.span.begin == 4);
  CHECK(sink.diagnostics()[2].code() == "E0003");
}
