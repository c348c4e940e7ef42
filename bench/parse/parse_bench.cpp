// orch_parse_bench: times the front end in-process, without the process start-up that
// `orchestrator check` also pays. For each phase boundary (parse only; parse + name
// resolution; every phase `check` runs) it compiles FILE --runs times through the same
// driver call as `check` (compiler::Compile, which also reads the file) and reports the
// best and median wall time and the median CPU time. Memory: the peak resident set size
// before the first compilation and after it (VmHWM), so the difference is what one
// compilation of FILE adds. Prints one JSON object. See bench/parse/run.py.
//   orch_parse_bench [--runs N] FILE
#include <sys/resource.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/driver/driver.h"

namespace {

using Clock = std::chrono::steady_clock;
using orch::compiler::Phase;

double CpuMs() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto ms = [](const timeval& t) { return static_cast<double>(t.tv_sec) * 1000.0 + static_cast<double>(t.tv_usec) / 1000.0; };
  return ms(usage.ru_utime) + ms(usage.ru_stime);
}

/// This process's peak resident set (VmHWM). Not getrusage's ru_maxrss: that also counts
/// the memory of the parent this process was forked from before its exec.
double PeakRssMb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::strtod(line.c_str() + 6, nullptr) / 1024.0;  // in kB
  }
  return 0;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

struct PhaseTimes {
  double best_ms = 0, median_ms = 0, median_cpu_ms = 0;
};

/// Compiles `path` up to `phase` `runs` times; exits with status 1 if it reports an error,
/// since a benchmark of a program the compiler rejects measures error recovery instead.
PhaseTimes Measure(const std::string& path, Phase phase, int runs) {
  orch::compiler::CompileOptions options;
  options.stop_after = phase;
  std::vector<double> wall, cpu;
  for (int i = 0; i < runs; ++i) {
    double cpu_start = CpuMs();
    auto start = Clock::now();
    orch::compiler::Compilation c = orch::compiler::Compile({path}, options);
    wall.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    cpu.push_back(CpuMs() - cpu_start);
    if (!c.ok()) {
      std::cerr << fmt::format("error: `{}` does not compile cleanly ({} errors); run `orchestrator check {}`\n",
                               path, c.diagnostics.error_count(), path);
      std::exit(1);
    }
  }
  return {*std::min_element(wall.begin(), wall.end()), Median(wall), Median(cpu)};
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 30;
  std::string path;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (!arg.empty() && arg[0] != '-' && path.empty()) {
      path = arg;
    } else {
      std::cerr << "usage: orch_parse_bench [--runs N] FILE\n";
      return 2;
    }
  }
  if (path.empty()) {
    std::cerr << "usage: orch_parse_bench [--runs N] FILE\n";
    return 2;
  }

  double rss_before = PeakRssMb();
  Measure(path, Phase::kCheck, 1);  // first compilation: the memory figure, and a warm-up
  double rss_after = PeakRssMb();
  PhaseTimes parse = Measure(path, Phase::kParse, runs);
  PhaseTimes resolve = Measure(path, Phase::kResolve, runs);
  PhaseTimes check = Measure(path, Phase::kCheck, runs);

  auto row = [](const PhaseTimes& t) {
    return fmt::format(R"({{"best_ms": {:.3f}, "median_ms": {:.3f}, "median_cpu_ms": {:.3f}}})", t.best_ms,
                       t.median_ms, t.median_cpu_ms);
  };
  std::cout << fmt::format(
      R"({{"runs": {}, "parse": {}, "parse_resolve": {}, "check": {}, "peak_rss_before_mb": {:.2f}, "peak_rss_after_mb": {:.2f}}})"
      "\n",
      runs, row(parse), row(resolve), row(check), rss_before, rss_after);
  return 0;
}
