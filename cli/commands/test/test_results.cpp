// Report formats of `orchestrator test`: plain lines, TAP 13, JUnit XML, JSON.
#include "cli/commands/test/test_results.h"

#include <fmt/format.h>

#include <algorithm>

#include "runtime/value/json.h"
#include "runtime/value/value.h"

namespace orch::cli::testing {
namespace {

double Milliseconds(std::chrono::nanoseconds d) { return static_cast<double>(d.count()) / 1e6; }

std::string Title(const TestRecord& r) {
  return r.compile_error ? fmt::format("{}: does not compile", r.file) : fmt::format("{}: {}", r.file, r.name);
}

/// The reason with its code, on one line: "E0511 assertion failed: …".
std::string Reason(const TestRecord& r) {
  if (r.code.empty() || r.code == "compile") return r.message;
  return fmt::format("{} {}", r.code, r.message);
}

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\n': out += "&#10;"; break;
      default:
        // XML 1.0 forbids most control characters, even escaped.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\r') {
          out += '?';
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string Seconds(std::chrono::nanoseconds d) { return fmt::format("{:.3f}", static_cast<double>(d.count()) / 1e9); }

}  // namespace

Totals Count(const std::vector<TestRecord>& records) {
  Totals t;
  for (const TestRecord& r : records) {
    if (r.status == TestStatus::kPassed) ++t.passed;
    else if (r.status == TestStatus::kFailed) ++t.failed;
    else ++t.skipped;
  }
  return t;
}

std::string PlainLine(const TestRecord& r) {
  if (r.status == TestStatus::kSkipped) return "";
  if (r.status == TestStatus::kPassed) {
    return fmt::format("ok   {}: {} ({:.0f} ms)\n", r.file, r.name, Milliseconds(r.elapsed));
  }
  std::string out = r.compile_error ? fmt::format("FAIL {}: does not compile\n", r.file)
                                    : fmt::format("FAIL {}:{}: {}\n", r.file, r.line, r.name);
  if (!r.message.empty()) out += fmt::format("     {}\n", Reason(r));
  if (!r.location.empty()) out += fmt::format("     at {}\n", r.location);
  for (const std::string& d : r.details) out += fmt::format("     {}\n", d);
  return out;
}

std::string SummaryLine(const Totals& t) {
  std::string line = fmt::format("{} passed, {} failed", t.passed, t.failed);
  if (t.skipped) line += fmt::format(", {} skipped", t.skipped);
  return line + "\n";
}

std::string TapHeader(size_t count) { return fmt::format("TAP version 13\n1..{}\n", count); }

std::string TapLine(const TestRecord& r, size_t number) {
  // A description may not contain `#` unescaped (it starts a directive).
  std::string title;
  for (char c : Title(r)) {
    if (c == '#') title += '\\';
    title += c == '\n' ? ' ' : c;
  }
  if (r.status == TestStatus::kSkipped) return fmt::format("ok {} - {} # SKIP not selected by --filter\n", number, title);
  if (r.status == TestStatus::kPassed) return fmt::format("ok {} - {}\n", number, title);
  std::string out = fmt::format("not ok {} - {}\n", number, title);
  out += "  ---\n";
  out += fmt::format("  message: {}\n", ToJson(Value(Reason(r))));
  out += "  severity: fail\n";
  if (!r.location.empty()) out += fmt::format("  at: {}\n", ToJson(Value(r.location)));
  if (!r.details.empty()) {
    out += "  details:\n";
    for (const std::string& d : r.details) out += fmt::format("    - {}\n", ToJson(Value(d)));
  }
  out += "  ...\n";
  return out;
}

std::string JunitXml(const std::vector<TestRecord>& records) {
  // One <testsuite> per file, in first-seen order.
  std::vector<std::string> files;
  for (const TestRecord& r : records) {
    if (std::find(files.begin(), files.end(), r.file) == files.end()) files.push_back(r.file);
  }
  Totals all = Count(records);
  std::chrono::nanoseconds total_time{0};
  for (const TestRecord& r : records) total_time += r.elapsed;
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"orchestrator test\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"{}\">\n",
                     records.size(), all.failed, all.skipped, Seconds(total_time));
  for (const std::string& file : files) {
    std::vector<const TestRecord*> mine;
    std::chrono::nanoseconds time{0};
    Totals t;
    for (const TestRecord& r : records) {
      if (r.file != file) continue;
      mine.push_back(&r);
      time += r.elapsed;
      if (r.status == TestStatus::kPassed) ++t.passed;
      else if (r.status == TestStatus::kFailed) ++t.failed;
      else ++t.skipped;
    }
    out += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"{}\">\n",
                       XmlEscape(file), mine.size(), t.failed, t.skipped, Seconds(time));
    for (const TestRecord* r : mine) {
      std::string name = r->compile_error ? "(compile)" : r->name;
      std::string head = fmt::format("    <testcase name=\"{}\" classname=\"{}\" file=\"{}\"", XmlEscape(name),
                                     XmlEscape(file), XmlEscape(file));
      if (r->line) head += fmt::format(" line=\"{}\"", r->line);
      head += fmt::format(" time=\"{}\"", Seconds(r->elapsed));
      if (r->status == TestStatus::kPassed) {
        out += head + "/>\n";
        continue;
      }
      out += head + ">\n";
      if (r->status == TestStatus::kSkipped) {
        out += "      <skipped message=\"not selected by --filter\"/>\n";
      } else {
        std::string body = r->location.empty() ? "" : "at " + r->location;
        for (const std::string& d : r->details) body += (body.empty() ? "" : "\n") + d;
        out += fmt::format("      <failure message=\"{}\" type=\"{}\">{}</failure>\n", XmlEscape(Reason(*r)),
                           XmlEscape(r->code.empty() ? "failure" : r->code), XmlEscape(body));
      }
      out += "    </testcase>\n";
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

std::string JsonReport(const std::vector<TestRecord>& records) {
  List tests;
  for (const TestRecord& r : records) {
    Record t;
    t.Set("file", Value(r.file));
    t.Set("name", r.compile_error ? Value() : Value(r.name));
    t.Set("line", Value(static_cast<int64_t>(r.line)));
    const char* status = r.status == TestStatus::kPassed ? "passed" : r.status == TestStatus::kFailed ? "failed" : "skipped";
    t.Set("status", Value(status));
    t.Set("duration_ms", Value(Milliseconds(r.elapsed)));
    if (r.status == TestStatus::kFailed) {
      t.Set("code", Value(r.code));
      t.Set("message", Value(r.message));
      t.Set("location", r.location.empty() ? Value() : Value(r.location));
      List details;
      for (const std::string& d : r.details) details.push_back(Value(d));
      t.Set("details", Value(std::move(details)));
      t.Set("timed_out", Value(r.timed_out));
    }
    tests.push_back(Value(std::move(t)));
  }
  Totals totals = Count(records);
  Record report;
  report.Set("tests", Value(std::move(tests)));
  report.Set("passed", Value(static_cast<int64_t>(totals.passed)));
  report.Set("failed", Value(static_cast<int64_t>(totals.failed)));
  report.Set("skipped", Value(static_cast<int64_t>(totals.skipped)));
  return ToJson(Value(std::move(report)), {2, false}) + "\n";
}

}  // namespace orch::cli::testing
