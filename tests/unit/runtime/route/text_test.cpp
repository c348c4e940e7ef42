// Word splitting, stop words, stemming and UTF-8 checks.
#include <doctest/doctest.h>

#include "runtime/route/stem.h"
#include "runtime/route/text.h"

using orch::route::Analyze;
using orch::route::FindInvalidUtf8;
using orch::route::PorterStem;
using orch::route::SplitWords;

TEST_CASE("split words breaks snake, kebab and camel case and keeps the whole camel word") {
  CHECK(SplitWords("read_text_file") == std::vector<std::string>{"read", "text", "file"});
  CHECK(SplitWords("send-email") == std::vector<std::string>{"send", "email"});
  CHECK(SplitWords("getForecast") == std::vector<std::string>{"get", "forecast", "getforecast"});
  CHECK(SplitWords("HTTPServer") == std::vector<std::string>{"http", "server", "httpserver"});
  CHECK(SplitWords("MySQL") == std::vector<std::string>{"my", "sql", "mysql"});
  CHECK(SplitWords("ec2 v10") == std::vector<std::string>{"ec", "2", "ec2", "v", "10", "v10"});
}

TEST_CASE("split words makes each non-ascii code point a word and drops punctuation") {
  auto words = SplitWords("搜索，结果");  // "search, results" with a fullwidth comma
  CHECK(words == std::vector<std::string>{"搜", "索", "结", "果"});
  CHECK(SplitWords("«hello»").size() == 1);
}

TEST_CASE("porter stemming conflates inflections") {
  CHECK(PorterStem("listing") == "list");
  CHECK(PorterStem("lists") == "list");
  CHECK(PorterStem("listed") == "list");
  CHECK(PorterStem("connections") == "connect");
  CHECK(PorterStem("ponies") == "poni");
  CHECK(PorterStem("relational") == "relat");
  CHECK(PorterStem("generalization") == "gener");
  CHECK(PorterStem("hopping") == "hop");
  CHECK(PorterStem("caresses") == "caress");
  CHECK(PorterStem("as") == "as");
  CHECK(PorterStem("日本") == "日本");
}

TEST_CASE("analysis drops stop words and stems") {
  orch::route::AnalyzerOptions options;
  CHECK(Analyze("Show me the files in my folders", options) == std::vector<std::string>{"show", "file", "folder"});
  options.stem = false;
  options.drop_stop_words = false;
  CHECK(Analyze("the Files", options) == std::vector<std::string>{"the", "files"});
}

TEST_CASE("invalid utf-8 is found at its byte offset") {
  CHECK_FALSE(FindInvalidUtf8("plain ascii and ünïcödé").has_value());
  CHECK(FindInvalidUtf8("ab\xff").value() == 2);
  CHECK(FindInvalidUtf8("\xc0\xaf").value() == 0);      // overlong '/'
  CHECK(FindInvalidUtf8("x\xed\xa0\x80").value() == 1);  // a surrogate
  CHECK(FindInvalidUtf8("\xe2\x82").value() == 0);       // truncated
}
