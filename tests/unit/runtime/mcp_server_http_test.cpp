// The listen address of `mock serve --http` (and later `serve --http`).
#include <doctest/doctest.h>

#include "runtime/mcp/server/http_server.h"

using namespace orch::mcp::server;

TEST_CASE("a listen address is HOST:PORT, a bare PORT means 127.0.0.1, IPv6 hosts are bracketed") {
  auto both = ParseListenAddress("0.0.0.0:8080");
  REQUIRE(both.ok());
  CHECK(both->first == "0.0.0.0");
  CHECK(both->second == 8080);
  auto port_only = ParseListenAddress("0");
  REQUIRE(port_only.ok());
  CHECK(port_only->first == "127.0.0.1");
  CHECK(port_only->second == 0);
  auto v6 = ParseListenAddress("[::1]:9000");
  REQUIRE(v6.ok());
  CHECK(v6->first == "::1");
}

TEST_CASE("a listen address without a numeric port in range is a usage error") {
  for (const char* bad : {"localhost:http", "127.0.0.1:", "127.0.0.1:70000", "", "host:-1"}) {
    auto parsed = ParseListenAddress(bad);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().kind == "usage");
  }
}
