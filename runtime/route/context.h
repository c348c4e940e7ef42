// Follow-up requests: "weather in Berlin", then "now do the same for Paris". A context file
// (`route --context FILE`) keeps the previous request, its tool and its entities (names,
// quoted strings, placeholders, numbers); a follow-up is resolved against it by putting
// the new entities in place of the old ones, so the previous tool and words carry over.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/value/error_or.h"

namespace orch::route {

/// What a context file remembers about the last request.
struct RouteContext {
  std::string query;
  std::string tool;  // server/name chosen (the top result)
  std::vector<std::string> entities;
};

/// The entities of a request, in order: quoted strings, `<placeholders>`, capitalised
/// words that do not start the sentence (runs joined: "New York"), numbers, and words
/// with dots, slashes or digits (file names, URLs, versions).
std::vector<std::string> ExtractEntities(std::string_view query);

/// True when the request refers back to the previous one ("the same", "again",
/// "instead", "what about", "how about", "as well", "too").
bool IsFollowUp(std::string_view query);

/// The previous request with its entities replaced, in order, by the new ones (extra new
/// entities are appended; with no old entities all new ones are appended).
std::string ResolveFollowUp(const RouteContext& previous, const std::vector<std::string>& new_entities);

/// Reads a context file; nullopt when it does not exist yet.
ErrorOr<std::optional<RouteContext>> ReadContextFile(const std::string& path);
/// Writes a context file (JSON).
ErrorOr<void> WriteContextFile(const std::string& path, const RouteContext& context);

}  // namespace orch::route
