// Request values and their slots, parameter heads, negated clauses in descriptions, and
// what the ranker makes of them on a catalog of sibling tools.
#include <doctest/doctest.h>

#include "runtime/route/ranker.h"
#include "runtime/route/slots.h"
#include "runtime/value/json.h"

using namespace orch::route;

namespace {

std::vector<std::vector<std::string>> Slots(std::string_view query) {
  std::vector<std::vector<std::string>> out;
  for (auto& v : FindRequestValues(query, AnalyzerOptions{false, true})) out.push_back(v.slot_terms);
  return out;
}

using Terms = std::vector<std::vector<std::string>>;

}  // namespace

TEST_CASE("a placeholder fills the slot the word before it names") {
  CHECK(Slots("Show me the key <key_name> in the key vault <vault>") == Terms{{"key"}, {"vault", "keyvault"}});
  CHECK(Slots("the resource group <rg> please") == Terms{{"group", "resourcegroup", "rg"}});
}

TEST_CASE("filler words between the slot's name and its value are skipped") {
  CHECK(Slots("create a storage account named 'prod-data'") == Terms{{"account", "storageaccount"}});
  CHECK(Slots("the database called \"orders\"") == Terms{{"database"}});
  CHECK(Slots("an account with name <storage_account_name>") == Terms{{"account"}});
}

TEST_CASE("a placeholder after a function word names its slot itself") {
  CHECK(Slots("retrieve metadata for <key_name>") == Terms{{"key"}});
  CHECK(Slots("for <resource-group-id>") == Terms{{"group"}});
}

TEST_CASE("identifier-like tokens are values; words, contractions and possessives are not") {
  CHECK(Slots("restart vm web-01 now") == Terms{{"vm", "restartvm"}});
  CHECK(Slots("open file report.pdf.") == Terms{{"file", "openfile"}});
  CHECK(Slots("don't show the user's files") == Terms{});
  CHECK(Slots("list my files") == Terms{});
}

TEST_CASE("hyphenated English words are not values, hyphenated names are") {
  CHECK(Slots("show an in-depth report") == Terms{});
  CHECK(Slots("show the 24-hour forecast") == Terms{});
  CHECK(Slots("restart server prod-kv-01") == Terms{{"server", "restartserver"}});
  CHECK(IsIdentifierLike("user@example.com"));
  CHECK(IsIdentifierLike("Web-App"));
  CHECK_FALSE(IsIdentifierLike("state-of-the-art"));
  CHECK_FALSE(IsIdentifierLike("Champs-\xC3\x89" "lys\xC3\xA9" "es"));  // not ASCII: a place name, not an identifier
}

TEST_CASE("a request token is a value when it is or opens a placeholder, a quote or an identifier") {
  CHECK(IsValueToken("<resource-group>"));
  CHECK(IsValueToken("'prod',"));
  CHECK(IsValueToken("vm-01."));
  CHECK(IsValueToken("(report.pdf)"));
  CHECK_FALSE(IsValueToken("don't"));
  CHECK_FALSE(IsValueToken("in-depth,"));
  CHECK_FALSE(IsValueToken("files."));
  CHECK_FALSE(IsValueToken("..."));
}

TEST_CASE("a value with nothing naming its slot is left out") {
  CHECK(Slots("<do this>") == Terms{});
  CHECK(Slots("in 'x'") == Terms{});
}

TEST_CASE("a parameter is named by its last non-generic word") {
  AnalyzerOptions plain{false, true};
  CHECK(ParameterHead("resource-group", plain) == "group");
  CHECK(ParameterHead("resourceGroup", plain) == "group");
  CHECK(ParameterHead("account_name", plain) == "account");
  CHECK(ParameterHead("vault", plain) == "vault");
  CHECK(ParameterHead("id", plain) == "");
}

TEST_CASE("negated clauses of a description are dropped up to the end of their sentence") {
  CHECK(DropNegatedClauses("List all keys. Not for fetching a single key. Fast.") == "List all keys. . Fast.");
  CHECK(DropNegatedClauses("Get a key; do not use this tool for listing keys\nSecond line") == "Get a key; \nSecond line");
  CHECK(DropNegatedClauses("Search files instead of running ls") == "Search files ");
  CHECK(DropNegatedClauses("Cannot form a knot for sailing") == "Cannot form a knot for sailing");
}

namespace {

Catalog Siblings() {
  auto json = orch::ParseJson(R"([
    {"server": "kv", "name": "key_list", "description": "Keys of a vault. Not for fetching a single key.",
     "inputSchema": {"type": "object", "properties": {"vault": {"type": "string"}}, "required": ["vault"]}},
    {"server": "kv", "name": "key_get", "description": "Keys of a vault. Not for listing keys.",
     "inputSchema": {"type": "object", "properties": {"vault": {"type": "string"}, "key": {"type": "string"}},
                     "required": ["vault", "key"]}},
    {"server": "mail", "name": "send_mail", "description": "Send an email.", "inputSchema": {}}
  ])");
  return std::move(*CatalogFromJson(*json, "test"));
}

std::string Top(const ToolIndex& index, std::string_view query, double slots) {
  RankInputs inputs;
  inputs.index = &index;
  inputs.strategy = FindStrategy("full");
  inputs.weights.slots = slots;
  inputs.weights.plural = 0;  // the plural hint alone would decide the first request
  RankRequest request;
  request.query = query;
  auto ranked = Rank(inputs, request);
  return ranked.empty() ? "" : index.tool(ranked[0].tool).Id();
}

}  // namespace

TEST_CASE("a value for a parameter picks the sibling that takes it; naming it without a value picks the other") {
  Catalog catalog = Siblings();
  ToolIndex index = ToolIndex::Build(catalog, AnalyzerOptions{});
  // The two descriptions say the same (what follows "Not for" is not indexed), so the
  // values decide; without the signal `key_list` wins both.
  CHECK(Top(index, "the key <key_name> in vault <vault_name>", 0.0) == "kv/key_list");
  CHECK(Top(index, "the keys in vault <vault_name>", 0.3) == "kv/key_list");
  CHECK(Top(index, "the key <key_name> in vault <vault_name>", 0.3) == "kv/key_get");
  CHECK(Top(index, "the key 'signing-key' in vault 'prod'", 0.3) == "kv/key_get");
}

TEST_CASE("the index keeps each tool's parameter heads and whether they are required") {
  Catalog catalog = Siblings();
  ToolIndex index = ToolIndex::Build(catalog, AnalyzerOptions{});
  const IndexedTool& get = index.tool(static_cast<uint32_t>(index.FindTool("kv/key_get")));
  REQUIRE(get.params.size() == 2);
  CHECK(index.Term(get.params[1].head) == "kei");  // Porter's stem of "key"
  CHECK(get.params[1].required);
  CHECK(index.tool(static_cast<uint32_t>(index.FindTool("mail/send_mail"))).params.empty());
}
