// Asking an OpenAI-compatible chat-completions endpoint to fill a skeleton's typed holes,
// and keeping its answer only when it checks. The HTTP call goes through libcurl; the reply
// is parsed with the project's JSON reader. Nothing here prints: the caller gets a result
// saying what happened.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "runtime/value/error_or.h"

namespace orch::compose {

/// Where and how to ask.
struct LlmEndpoint {
  std::string url;
  std::string model;
  /// Sent as `Authorization: Bearer …` when not empty.
  std::string api_key;
  std::chrono::milliseconds timeout{60000};
};

/// POSTs one chat-completions request (`system` and `user` messages, temperature 0) and
/// returns `choices[0].message.content`. Errors: kind "llm" (transport, HTTP status,
/// timeout, a reply that is not the expected JSON), with what was seen.
ErrorOr<std::string> ChatComplete(const LlmEndpoint& endpoint, const std::string& system, const std::string& user);

/// The code in a model reply: the first fenced block (```…```), else the whole reply.
std::string ExtractCode(std::string_view reply);

/// The outcome of FillHoles.
struct FillResult {
  /// True when the model's answer checked and replaced the skeleton.
  bool filled = false;
  /// The text to write: the answer (formatted) when filled, else the skeleton.
  std::string text;
  /// What happened, one line per fact, for the person who ran compose.
  std::vector<std::string> report;
};

/// Error diagnostics of a candidate source text, rendered one line each; empty when it
/// checks. An error return means it could not be checked at all.
using SourceChecker = std::function<ErrorOr<std::vector<std::string>>(const std::string& text)>;

/// Sends the skeleton, the description and the checker's report on its holes to the model;
/// keeps the answer when it checks with no error, else keeps the skeleton and says why.
FillResult FillHoles(const LlmEndpoint& endpoint, const std::string& description, const std::string& skeleton,
                     const std::vector<std::string>& hole_report, const SourceChecker& check);

}  // namespace orch::compose
