// std.http_get: libcurl easy handle with protocol, size, time and cancellation limits.
#include "stdlib/std_server/http_get.h"

#include <curl/curl.h>
#include <fmt/format.h>

namespace orch::stdlib {
namespace {

struct Transfer {
  std::string body;
  size_t max_bytes = 0;
  bool too_big = false;
  const mcp::CancelToken* cancel = nullptr;
};

size_t OnData(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t n = size * count;
  if (t->body.size() + n > t->max_bytes) {
    t->too_big = true;
    return 0;  // aborts the transfer
  }
  t->body.append(data, n);
  return n;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  return t->cancel->cancelled() ? 1 : 0;
}

}  // namespace

ErrorOr<HttpResponse> HttpGet(const std::string& url, std::chrono::milliseconds timeout, size_t max_bytes,
                              const mcp::CancelToken& cancel) {
  if (!url.starts_with("http://") && !url.starts_with("https://")) {
    return MakeError("value", fmt::format("`{}` is not an http:// or https:// URL", url));
  }
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  if (!initialised) return MakeError("transport", "libcurl could not be initialised");
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return MakeError("transport", "libcurl could not create a handle");
  Transfer transfer;
  transfer.max_bytes = max_bytes;
  transfer.cancel = &cancel;
  char error_buffer[CURL_ERROR_SIZE] = {0};
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(h, CURLOPT_USERAGENT, "orchestrator-std/1");
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, OnData);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, OnProgress);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, &transfer);
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  CURLcode rc = curl_easy_perform(h);
  if (transfer.too_big) {
    return MakeError("value", fmt::format("the response from {} is larger than {} bytes", url, max_bytes));
  }
  if (rc == CURLE_ABORTED_BY_CALLBACK) return MakeError("cancelled", fmt::format("GET {} was cancelled", url));
  if (rc == CURLE_OPERATION_TIMEDOUT) {
    return MakeError("timeout", fmt::format("GET {} took longer than {} ms", url, timeout.count()));
  }
  if (rc != CURLE_OK) {
    return MakeError("transport",
                     fmt::format("GET {} failed: {}", url, error_buffer[0] ? error_buffer : curl_easy_strerror(rc)));
  }
  HttpResponse response;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
  char* type = nullptr;
  if (curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type) response.content_type = type;
  char* effective = nullptr;
  if (curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK && effective) response.effective_url = effective;
  response.body = std::move(transfer.body);
  return response;
}

}  // namespace orch::stdlib
