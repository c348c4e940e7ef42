// Parameter mapping inference: evidence order (same name > similar name > description >
// the only value of the type), type agreement, ties becoming holes, optional inputs.
#include <doctest/doctest.h>

#include "compiler/types/type.h"
#include "runtime/compose/mapping.h"

using namespace orch::compose;
namespace types = orch::types;

namespace {

Source Out(const std::string& expr, const std::string& name, types::TypeRef type, const std::string& description = "",
           int step = 0) {
  Source s;
  s.expr = expr;
  s.name = name;
  s.type = std::move(type);
  s.description = description;
  s.step = step;
  s.origin = "a/tool";
  return s;
}

Target In(const std::string& name, types::TypeRef type, const std::string& description = "", bool required = true) {
  return Target{name, std::move(type), description, required};
}

}  // namespace

TEST_CASE("an output with the same name wins over a similar name and a description match") {
  std::vector<Source> sources = {Out("s.link", "link", types::String()), Out("s.url", "url", types::String()),
                                 Out("s.page", "page", types::String(), "address of the page")};
  Choice c = Choose(In("url", types::String(), "address of the page"), sources, 0, {});
  REQUIRE(c.kind == Choice::Kind::kMapped);
  CHECK(c.candidates[0].source.expr == "s.url");
  CHECK(c.candidates[0].evidence == Evidence::kSameName);
  CHECK(c.candidates[0].reason.find("same name") != std::string::npos);
}

TEST_CASE("names match across case and separators") {
  auto m = Match(In("ticket_url", types::String()), Out("s.ticketUrl", "ticketUrl", types::String()));
  REQUIRE(m);
  CHECK(m->evidence == Evidence::kSameName);
}

TEST_CASE("a synonym or a shared word is a similar name") {
  auto synonym = Match(In("url", types::String()), Out("s.link", "link", types::String()));
  REQUIRE(synonym);
  CHECK(synonym->evidence == Evidence::kSimilarName);
  CHECK(synonym->reason.find("`url` ~ `link`") != std::string::npos);
  auto shared = Match(In("text_query", types::String()), Out("s.query", "query", types::String()));
  REQUIRE(shared);
  CHECK(shared->evidence == Evidence::kSimilarName);
}

TEST_CASE("types must agree, whatever the names say") {
  CHECK_FALSE(Match(In("count", types::Int()), Out("s.count", "count", types::String())));
  CHECK_FALSE(Match(In("mode", types::Union({types::Literal("fast"), types::Literal("slow")})),
                    Out("s.mode", "mode", types::String())));
  // int widens to number, not the other way round
  CHECK(Match(In("price", types::Number()), Out("s.price", "price", types::Int())));
  CHECK_FALSE(Match(In("price", types::Int()), Out("s.price", "price", types::Number())));
}

TEST_CASE("descriptions sharing content words are evidence") {
  auto m = Match(In("text_query", types::String(), "Free text describing the place, e.g. a venue name"),
                 Out("s.results[0].venue", "venue", types::String(), "Name of the place where the event happens"));
  REQUIRE(m);
  CHECK(m->evidence == Evidence::kDescription);
  CHECK(m->reason.find("`place`") != std::string::npos);
}

TEST_CASE("without evidence the one value of the type the previous step returns feeds a required input") {
  std::vector<Source> sources = {Out("s.text", "text", types::String()), Out("s.n", "n", types::Int())};
  Choice c = Choose(In("subject", types::String()), sources, 0, {});
  REQUIRE(c.kind == Choice::Kind::kMapped);
  CHECK(c.candidates[0].evidence == Evidence::kTypeOnly);
  CHECK(c.candidates[0].source.expr == "s.text");
  // ... but not a value another input of the step already takes
  Choice taken = Choose(In("subject", types::String()), sources, 0, {"s.text"});
  CHECK(taken.kind == Choice::Kind::kParameter);
  // ... and not from an older step
  Choice older = Choose(In("subject", types::String()), sources, 1, {});
  CHECK(older.kind == Choice::Kind::kParameter);
}

TEST_CASE("equally good candidates of one step become a typed hole listing them") {
  std::vector<Source> sources = {Out("s.a", "a", types::String()), Out("s.b", "b", types::String())};
  Choice c = Choose(In("subject", types::String()), sources, 0, {});
  REQUIRE(c.kind == Choice::Kind::kHole);
  REQUIRE(c.candidates.size() == 2);
  CHECK(c.candidates[0].source.expr == "s.a");
  CHECK(c.candidates[1].source.expr == "s.b");
}

TEST_CASE("between steps the latest value of the same name wins") {
  std::vector<Source> sources = {Out("first.url", "url", types::String(), "", 0),
                                 Out("second.url", "url", types::String(), "", 1)};
  Choice c = Choose(In("url", types::String()), sources, 1, {});
  REQUIRE(c.kind == Choice::Kind::kMapped);
  CHECK(c.candidates[0].source.expr == "second.url");
}

TEST_CASE("an optional input is filled only on name evidence") {
  std::vector<Source> sources = {Out("s.text", "text", types::String(), "the language of the page")};
  CHECK(Choose(In("language", types::String(), "language of the answer", false), sources, 0, {}).kind ==
        Choice::Kind::kOmit);
  std::vector<Source> named = {Out("s.language", "language", types::String())};
  CHECK(Choose(In("language", types::String(), "", false), named, 0, {}).kind == Choice::Kind::kMapped);
}

TEST_CASE("a required input nothing can feed becomes a parameter") {
  CHECK(Choose(In("query", types::String()), {}, -1, {}).kind == Choice::Kind::kParameter);
}

TEST_CASE("outputs: a tool without an outputSchema offers its text; a structured one its fields") {
  types::ToolType plain;
  plain.result = types::ToolResult();
  plain.structured = false;
  auto text = OutputSources(plain, "r", 0, "a/t");
  REQUIRE(text.size() == 1);
  CHECK(text[0].expr == "r.text");

  types::ToolType structured;
  structured.structured = true;
  structured.result = types::Record(
      {{"results", types::List(types::Record({{"title", types::String(), false, ""}, {"note", types::String(), true, ""}})),
        false, ""},
       {"type", types::String(), false, ""}});
  auto fields = OutputSources(structured, "r", 0, "a/t");
  std::vector<std::string> exprs;
  for (const auto& s : fields) exprs.push_back(s.expr);
  CHECK(exprs == std::vector<std::string>{"r.results", "r.results[0].title", "r.`type`"});
}

TEST_CASE("name words split case and punctuation") {
  CHECK(NameWords("ticketUrl") == std::vector<std::string>{"ticket", "url"});
  CHECK(NameWords("text_query") == std::vector<std::string>{"text", "query"});
  CHECK(NameWords("get-tiny-image") == std::vector<std::string>{"get", "tiny", "image"});
}
