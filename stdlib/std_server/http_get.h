// A bounded HTTP GET over libcurl for `std.http_get`.
#pragma once

#include <chrono>
#include <string>

#include "runtime/mcp/tool_server.h"
#include "runtime/value/error_or.h"

namespace orch::stdlib {

struct HttpResponse {
  long status = 0;
  std::string content_type;
  std::string effective_url;
  std::string body;
};

/// Fetches `url` (http or https only, up to 5 redirects). Fails with kind "timeout" after
/// `timeout`, "cancelled" when `cancel` fires, "value" for a bad URL or a body larger than
/// `max_bytes`, "transport" for network errors.
ErrorOr<HttpResponse> HttpGet(const std::string& url, std::chrono::milliseconds timeout, size_t max_bytes,
                              const mcp::CancelToken& cancel);

}  // namespace orch::stdlib
