// SseParser: field handling per the WHATWG event-stream rules, and identical results
// however the byte stream is split into chunks.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "runtime/mcp/sse_parser.h"

using orch::mcp::SseEvent;
using orch::mcp::SseParser;

namespace {

// Feeds `chunks` in order and returns every dispatched event; fails the test on a parse error.
std::vector<SseEvent> ParseChunks(SseParser& parser, const std::vector<std::string>& chunks) {
  std::vector<SseEvent> events;
  for (const auto& chunk : chunks) {
    auto fed = parser.Feed(chunk, [&](SseEvent e) { events.push_back(std::move(e)); });
    REQUIRE(fed.ok());
  }
  return events;
}

std::vector<SseEvent> Parse(const std::string& text) {
  SseParser parser;
  return ParseChunks(parser, {text});
}

std::string Describe(const std::vector<SseEvent>& events) {
  std::string out;
  for (const auto& e : events) out += "[" + e.type + "|" + e.id + "|" + (e.has_id ? "own" : "-") + "|" + e.data + "]";
  return out;
}

}  // namespace

TEST_CASE("sse parser dispatches an event at a blank line with type message by default") {
  auto events = Parse("data: {\"a\":1}\n\n");
  REQUIRE(events.size() == 1);
  CHECK(events[0].type == "message");
  CHECK(events[0].data == "{\"a\":1}");
  CHECK_FALSE(events[0].has_id);
}

TEST_CASE("sse parser joins multi-line data with newlines and strips one leading space only") {
  auto events = Parse("data: first\ndata:second\ndata:  third\n\n");
  REQUIRE(events.size() == 1);
  CHECK(events[0].data == "first\nsecond\n third");
}

TEST_CASE("sse parser reads event, id and retry fields and ignores comments and unknown fields") {
  SseParser parser;
  auto events = ParseChunks(parser, {": keep-alive\nevent: note\nid: 7\nretry: 1500\nfoo: bar\ndata: x\n\n"});
  REQUIRE(events.size() == 1);
  CHECK(events[0].type == "note");
  CHECK(events[0].id == "7");
  CHECK(events[0].has_id);
  CHECK(parser.last_event_id() == "7");
  REQUIRE(parser.retry_ms().has_value());
  CHECK(*parser.retry_ms() == 1500);
}

TEST_CASE("sse parser keeps the last event id for later events that carry none") {
  auto events = Parse("id: a\ndata: 1\n\ndata: 2\n\n");
  REQUIRE(events.size() == 2);
  CHECK(events[1].id == "a");
  CHECK_FALSE(events[1].has_id);
}

TEST_CASE("sse parser ignores a retry value that is not all digits") {
  SseParser parser;
  ParseChunks(parser, {"retry: 20x\n\nretry: -5\n\nretry:\n\n"});
  CHECK_FALSE(parser.retry_ms().has_value());
}

TEST_CASE("sse parser records an id without data but dispatches nothing") {
  SseParser parser;
  auto events = ParseChunks(parser, {"id: prime-1\n\n"});
  CHECK(events.empty());
  CHECK(parser.has_last_event_id());
  CHECK(parser.last_event_id() == "prime-1");
}

TEST_CASE("sse parser dispatches an empty data line as an event with empty data") {
  auto events = Parse("id: p\nretry: 500\ndata: \n\n");
  REQUIRE(events.size() == 1);
  CHECK(events[0].data.empty());
  CHECK(events[0].id == "p");
}

TEST_CASE("sse parser treats a field name without a colon as a field with an empty value") {
  auto events = Parse("data\ndata\n\n");
  REQUIRE(events.size() == 1);
  CHECK(events[0].data == "\n");
}

TEST_CASE("sse parser accepts CRLF, CR and LF line endings alike") {
  std::string lf = "id: 1\ndata: a\ndata: b\n\nevent: e\ndata: c\n\n";
  std::string crlf = "id: 1\r\ndata: a\r\ndata: b\r\n\r\nevent: e\r\ndata: c\r\n\r\n";
  std::string cr = "id: 1\rdata: a\rdata: b\r\revent: e\rdata: c\r\r";
  CHECK(Describe(Parse(crlf)) == Describe(Parse(lf)));
  CHECK(Describe(Parse(cr)) == Describe(Parse(lf)));
  CHECK(Describe(Parse(lf)) == "[message|1|own|a\nb][e|1|-|c]");
}

TEST_CASE("sse parser gives the same events for every way of splitting the stream in two") {
  std::string stream =
      "\xEF\xBB\xBF: comment\r\nid: 42\r\nevent: message\r\ndata: {\"jsonrpc\":\"2.0\",\r\ndata: \"id\":1}\r\n\r\n"
      "retry: 250\rdata: second\r\rdata: third\n\n";
  std::string expected = Describe(Parse(stream));
  CHECK(expected == "[message|42|own|{\"jsonrpc\":\"2.0\",\n\"id\":1}][message|42|-|second][message|42|-|third]");
  for (size_t cut = 0; cut <= stream.size(); ++cut) {
    SseParser parser;
    auto events = ParseChunks(parser, {stream.substr(0, cut), stream.substr(cut)});
    CHECK_MESSAGE(Describe(events) == expected, "split at byte " << cut);
    CHECK(parser.retry_ms().value_or(0) == 250);
  }
}

TEST_CASE("sse parser gives the same events when fed one byte at a time") {
  std::string stream = "\xEF\xBB\xBF" "data: a\r\n\r\nid: x\rdata: b\r\r: c\ndata: d\n\n";
  std::vector<std::string> bytes;
  for (char c : stream) bytes.emplace_back(1, c);
  SseParser parser;
  CHECK(Describe(ParseChunks(parser, bytes)) == Describe(Parse(stream)));
  CHECK(Describe(Parse(stream)) == "[message||-|a][message|x|own|b][message|x|-|d]");
}

TEST_CASE("sse parser strips a byte order mark only at the start of the stream") {
  auto events = Parse("\xEF\xBB\xBF" "data: a\n\n");
  REQUIRE(events.size() == 1);
  CHECK(events[0].data == "a");
  // Later on, the mark is part of the field name, which is then unknown and ignored.
  auto later = Parse("data: a\n\n\xEF\xBB\xBF" "data: b\n\n");
  REQUIRE(later.size() == 1);
  CHECK(later[0].data == "a");
}

TEST_CASE("sse parser holds an unfinished event until its blank line arrives") {
  SseParser parser;
  auto events = ParseChunks(parser, {"data: partial\n"});
  CHECK(events.empty());
  events = ParseChunks(parser, {"\n"});
  REQUIRE(events.size() == 1);
  CHECK(events[0].data == "partial");
}

TEST_CASE("sse parser rejects an event larger than its size cap") {
  SseParser parser(1024);
  std::string big = "data: " + std::string(2000, 'x');
  auto fed = parser.Feed(big, [](SseEvent) {});
  REQUIRE_FALSE(fed.ok());
  CHECK(fed.error().kind == "protocol");
  CHECK(fed.error().message.find("larger than the limit of 1024 bytes") != std::string::npos);
}

TEST_CASE("sse parser enforces the cap across many small data lines") {
  SseParser parser(100);
  std::string lines;
  for (int i = 0; i < 50; ++i) lines += "data: 0123456789\n";
  auto fed = parser.Feed(lines, [](SseEvent) {});
  CHECK_FALSE(fed.ok());
}
