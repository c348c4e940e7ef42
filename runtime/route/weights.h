// The router's tunable numbers (BM25F parameters, how much each extra signal counts,
// the confidence threshold) and the named strategies that switch signals on and off,
// so two methods can be compared on the same labelled set (`route eval --strategy`).
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/route/index.h"
#include "runtime/value/value.h"

namespace orch::route {

/// Every number the ranking uses. `route tune` searches these; defaults are hand-set.
struct RouteWeights {
  double k1 = 1.2;
  /// BM25F weight of each field (name, server, description, parameters).
  std::array<double, kFieldCount> field_weight = {3.0, 0.5, 1.0, 0.3};
  /// BM25F length normalisation of each field.
  std::array<double, kFieldCount> field_b = {0.3, 0.3, 0.75, 0.75};
  /// Query weight of a synonym of a query word.
  double synonym = 0.3;
  /// Query weight of a spelling variant, times its trigram similarity.
  double fuzzy = 0.5;
  /// Smallest trigram (Dice) similarity for a spelling variant.
  double fuzzy_min = 0.6;
  /// Query weight of a joined or split compound ("key vault" ↔ "keyvault").
  double compound = 0.9;
  /// Query weight of `list` when the request names its object in the plural.
  double plural = 0.8;
  /// How much a request word's expansions add beyond its best match (0: only the best
  /// of the word and its synonyms, spellings and compounds counts; 1: all add up).
  double expansion_mix = 1.0;
  /// Bonus for the share of the tool's name words the request mentions.
  double coverage = 0.3;
  /// Bonus per matching pattern, times the pattern's own weight.
  double pattern = 0.5;
  /// Penalty for the share of the tool's name words (idf-weighted) the request does not
  /// mention: of two sibling tools (`registry_list`, `registry_repository_list`) the one
  /// whose name says more than the request asked for is less likely meant. Counts only the
  /// words of ToolIndex::NameClaims, and takes at most half of a tool's score.
  double name_miss = 0.2;
  /// Bonus for the share of the request's words (idf-weighted) that the tool's text
  /// mentions anywhere: breadth of the match, which BM25's sum does not reward.
  double request_coverage = 0.3;
  /// Bonus per parameter that a value of the request fills ("key <key_name>" fills
  /// `key`), and penalty per required parameter the request names without a value ("the
  /// keys"), in units of one request word matched in the name (see slots.h).
  double slots = 0.3;
  /// Query weight of the request words after a preposition of place ("in", "from",
  /// "within", …): they say where the wanted thing is ("the blobs *in container c*",
  /// "the endpoint *from sync group g*"), and the tool acting on that place is less often
  /// meant than the tool acting on the thing. Only phrases that hold a value (slots.h) count:
  /// "in the fashion industry" is a topic, "in resource group <rg>" a place. 1 turns it off.
  double scope = 0.6;
  /// Bonus for similarity to requests the user routed to this tool before.
  double feedback = 2.0;
  /// How much the BM25 score of a request against a tool's learned text field (the
  /// requests corrected to it) counts, in units of a request word matched once; it votes
  /// like a correction, so it too lifts the tool only past the tools those corrections
  /// overruled.
  double learned = 1.0;
  /// Least similarity (share of the request's term weight) for a correction to count.
  double feedback_min = 0.6;
  /// Query weight of the previous request's words in a follow-up.
  double context = 0.5;
  /// Below this score the router reports low confidence instead of answering.
  double threshold = 0.2;

  /// As a record of named numbers (stored by `route tune`).
  Value ToValue() const;
  /// Reads the fields present in `value`; others keep their defaults.
  static RouteWeights FromValue(const Value& value);

  /// Names and pointers of the tunable numbers, for the search in `route tune`.
  std::vector<std::pair<std::string, double*>> Tunable();
};

/// Which signals a ranking uses.
struct Strategy {
  std::string name;
  std::string summary;
  AnalyzerOptions analyzer;
  bool fields = true;     // BM25F with per-field weights; off: name + description, equal weights
  bool synonyms = true;
  bool fuzzy = true;
  bool compounds = true;
  bool coverage = true;
  bool slots = true;      // request values against tool parameters
  bool patterns = true;
  bool feedback = true;
};

/// The strategies `--strategy` accepts, the default (`full`) first.
const std::vector<Strategy>& Strategies();
/// The strategy called `name`, or nullptr.
const Strategy* FindStrategy(std::string_view name);

}  // namespace orch::route
