// A CLI11 validator for options that take a whole number in a range (`--runs`, `--jobs`):
// CLI11's own Range and PositiveNumber say "Value abc not in range 1 to 1000" for a word and
// print 1.8e308 as the upper bound, which tells the user nothing.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>

namespace orch::cli {

/// Accepts a whole number from `min` to `max` (inclusive); anything else fails with
/// "`VALUE` is not a whole number from MIN to MAX", which CLI11 prefixes with the option.
CLI::Validator WholeNumberBetween(int64_t min, int64_t max);

}  // namespace orch::cli
