// WholeNumberBetween (see number_option.h).
#include "cli/number_option.h"

#include <fmt/format.h>

#include <charconv>
#include <string>

namespace orch::cli {

CLI::Validator WholeNumberBetween(int64_t min, int64_t max) {
  auto check = [min, max](std::string& text) -> std::string {
    int64_t value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, error] = std::from_chars(text.data(), end, value);
    if (error != std::errc() || ptr != end || value < min || value > max) {
      return fmt::format("`{}` is not a whole number from {} to {}", text, min, max);
    }
    return std::string();
  };
  return CLI::Validator(check, fmt::format("INT in [{} - {}]", min, max));
}

}  // namespace orch::cli
