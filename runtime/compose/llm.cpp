// Chat-completions over libcurl, and the fill-then-recheck loop (see llm.h).
#include "runtime/compose/llm.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include "runtime/compose/emit.h"
#include "runtime/value/json.h"

namespace orch::compose {

namespace {

constexpr size_t kMaxReplyBytes = 8 * 1024 * 1024;

size_t Collect(char* data, size_t size, size_t count, void* user) {
  auto* out = static_cast<std::string*>(user);
  if (out->size() + size * count > kMaxReplyBytes) return 0;  // too big: curl reports a write error
  out->append(data, size * count);
  return size * count;
}

std::string Snippet(std::string_view text) {
  std::string s(text.substr(0, 200));
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text.size() > 200 ? s + "…" : s;
}

constexpr const char* kSystemPrompt =
    "You complete workflows written in the orchestrator workflow language (.orch files). "
    "The user gives a description, a workflow skeleton and the checker's report on its typed holes. "
    "Replace every `hole(...)` with an expression of the type the checker names: usually one of the "
    "candidates listed inside the hole, or a condition built from values the workflow already has. "
    "Keep every other line as it is. Reply with the complete file in one ```orch code block and nothing else.";

}  // namespace

ErrorOr<std::string> ChatComplete(const LlmEndpoint& endpoint, const std::string& system, const std::string& user) {
  static const bool initialized = [] { return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }();
  if (!initialized) return MakeError("llm", "libcurl could not be initialized");
  List messages;
  messages.push_back(Value(Record{{"role", Value("system")}, {"content", Value(system)}}));
  messages.push_back(Value(Record{{"role", Value("user")}, {"content", Value(user)}}));
  Record request{{"model", Value(endpoint.model)}, {"messages", Value(std::move(messages))}, {"temperature", Value(0)}};
  const std::string body = ToJson(Value(std::move(request)));

  CURL* curl = curl_easy_init();
  if (!curl) return MakeError("llm", "libcurl could not start a request");
  std::string reply;
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Accept: application/json");
  std::string auth;
  if (!endpoint.api_key.empty()) {
    auth = "Authorization: Bearer " + endpoint.api_key;
    headers = curl_slist_append(headers, auth.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_URL, endpoint.url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(endpoint.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<int64_t>(endpoint.timeout.count(), 10000)));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  const CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);

  if (code == CURLE_OPERATION_TIMEDOUT) {
    return MakeError("llm", fmt::format("`{}` did not answer within {} ms", endpoint.url, endpoint.timeout.count()));
  }
  if (code != CURLE_OK) return MakeError("llm", fmt::format("`{}`: {}", endpoint.url, curl_easy_strerror(code)));
  if (status >= 400) return MakeError("llm", fmt::format("`{}` answered HTTP {}: {}", endpoint.url, status, Snippet(reply)));
  auto json = ParseJson(reply);
  if (!json) return MakeError("llm", fmt::format("`{}` answered with something that is not JSON: {}", endpoint.url, Snippet(reply)));
  const Value* choices = json->Find("choices");
  const Value* content = nullptr;
  if (choices && choices->is_list() && !choices->as_list().empty()) {
    const Value* message = choices->as_list()[0].Find("message");
    if (message) content = message->Find("content");
  }
  if (!content || !content->is_string()) {
    return MakeError("llm", fmt::format("`{}` answered without `choices[0].message.content`: {}", endpoint.url, Snippet(reply)));
  }
  return content->as_string();
}

std::string ExtractCode(std::string_view reply) {
  size_t open = reply.find("```");
  if (open == std::string_view::npos) return std::string(reply);
  size_t line_end = reply.find('\n', open);
  if (line_end == std::string_view::npos) return std::string(reply);
  size_t close = reply.find("```", line_end + 1);
  std::string_view code = reply.substr(line_end + 1, close == std::string_view::npos ? std::string_view::npos : close - line_end - 1);
  return std::string(code);
}

FillResult FillHoles(const LlmEndpoint& endpoint, const std::string& description, const std::string& skeleton,
                     const std::vector<std::string>& hole_report, const SourceChecker& check) {
  FillResult result;
  result.text = skeleton;
  std::string user = fmt::format("Description:\n{}\n\nSkeleton:\n```orch\n{}```\n\nChecker report:\n{}\n", description,
                                 skeleton, fmt::join(hole_report, "\n"));
  auto reply = ChatComplete(endpoint, kSystemPrompt, user);
  if (!reply) {
    result.report.push_back(fmt::format("the model was not asked to the end: {}; kept the skeleton", reply.error().message));
    return result;
  }
  std::string code = ExtractCode(*reply);
  if (code.find("hole(") != std::string::npos) {
    result.report.push_back("the model's answer still has typed holes; kept the skeleton");
    return result;
  }
  auto errors = check(code);
  if (!errors) {
    result.report.push_back(fmt::format("the model's answer could not be checked: {}; kept the skeleton", errors.error().message));
    return result;
  }
  if (!errors->empty()) {
    result.report.push_back(fmt::format("the model's answer does not check ({} error{}); kept the skeleton", errors->size(),
                                        errors->size() == 1 ? "" : "s"));
    for (size_t i = 0; i < errors->size() && i < 5; ++i) result.report.push_back("  " + (*errors)[i]);
    return result;
  }
  auto formatted = FormatSource(code, "answer.orch");
  if (!formatted) {
    result.report.push_back(fmt::format("the model's answer could not be formatted: {}; kept the skeleton", formatted.error().message));
    return result;
  }
  result.filled = true;
  result.text = *formatted;
  result.report.push_back(fmt::format("the model ({}) filled the holes; its answer checks", endpoint.model));
  return result;
}

}  // namespace orch::compose
