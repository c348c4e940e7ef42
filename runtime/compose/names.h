// Names in generated source: which strings can be written bare, how to quote the others,
// and how to derive readable, unique binding names from tool and parameter names.
#pragma once

#include <set>
#include <string>
#include <string_view>

namespace orch::compose {

/// True when `name` can be written without backticks: an identifier that is not a reserved
/// word (grammar/tokens.def).
bool IsPlainName(std::string_view name);

/// `name`, or `` `name` `` when it cannot be written bare.
std::string SourceName(std::string_view name);

/// A plain identifier made from `text`: lowercase snake_case (`get-tiny-image` →
/// `get_tiny_image`, `webSearch` stays `webSearch`); `fallback` when nothing is left.
std::string IdentifierFrom(std::string_view text, std::string_view fallback);

/// `base`, or `base_2`, `base_3`, … : the first not in `taken` and not reserved (a keyword
/// or built-in function). The result is added to `taken`.
std::string UniqueName(const std::string& base, std::set<std::string>& taken);

}  // namespace orch::compose
