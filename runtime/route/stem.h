// The Porter (1980) stemmer for English words, so "listing", "lists" and "listed" all
// index as "list". Input is one lowercase ASCII word; anything else is returned as is.
#pragma once

#include <string>
#include <string_view>

namespace orch::route {

/// The Porter stem of a lowercase word ("connections" → "connect", "ponies" → "poni").
/// Words of one or two letters, and words with non-ASCII-letter bytes, are returned unchanged.
std::string PorterStem(std::string_view word);

}  // namespace orch::route
