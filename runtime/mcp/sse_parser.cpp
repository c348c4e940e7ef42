// Incremental Server-Sent Events parsing. Lines end in CRLF, LF or CR; a CR at the very end
// of a chunk is remembered so that an LF opening the next chunk is not taken for an empty
// line (which would dispatch an event too early).
#include "runtime/mcp/sse_parser.h"

#include <fmt/format.h>

#include <algorithm>

namespace orch::mcp {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

ErrorOr<void> SseParser::Feed(std::string_view chunk, const EventHandler& on_event) {
  if (saw_cr_ && !chunk.empty()) {
    if (chunk.front() == '\n') chunk.remove_prefix(1);
    saw_cr_ = false;
  }
  if (at_stream_start_) {
    // The byte order mark may itself arrive split; wait until three bytes are known.
    std::string head = line_ + std::string(chunk.substr(0, kByteOrderMark.size()));
    if (head.size() < kByteOrderMark.size() && kByteOrderMark.starts_with(head)) {
      line_ = head;
      return {};
    }
    at_stream_start_ = false;
    if (std::string_view(head).starts_with(kByteOrderMark)) {
      size_t from_chunk = kByteOrderMark.size() - line_.size();
      line_.clear();
      chunk.remove_prefix(from_chunk);
    }
  }
  while (!chunk.empty()) {
    size_t end = chunk.find_first_of("\r\n");
    if (end == std::string_view::npos) {
      line_.append(chunk);
      break;
    }
    std::string_view piece = chunk.substr(0, end);
    bool cr = chunk[end] == '\r';
    chunk.remove_prefix(end + 1);
    if (cr) {
      if (chunk.empty()) {
        saw_cr_ = true;
      } else if (chunk.front() == '\n') {
        chunk.remove_prefix(1);
      }
    }
    if (line_.empty()) {
      ProcessLine(piece, on_event);
    } else {
      line_.append(piece);
      std::string line = std::move(line_);
      line_.clear();
      ProcessLine(line, on_event);
    }
    if (data_.size() > max_event_bytes_) break;
  }
  if (data_.size() + line_.size() > max_event_bytes_) {
    size_t seen = data_.size() + line_.size();
    data_.clear();
    line_.clear();
    return MakeError("protocol", fmt::format("server-sent event is larger than the limit of {} bytes "
                                             "(at least {} bytes received)", max_event_bytes_, seen));
  }
  return {};
}

void SseParser::ProcessLine(std::string_view line, const EventHandler& on_event) {
  if (line.empty()) {
    Dispatch(on_event);
    return;
  }
  if (line.front() == ':') return;  // a comment, often a keep-alive
  std::string_view field = line;
  std::string_view value;
  if (size_t colon = line.find(':'); colon != std::string_view::npos) {
    field = line.substr(0, colon);
    value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field == "data") {
    data_.append(value);
    data_.push_back('\n');
  } else if (field == "event") {
    event_type_.assign(value);
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) {
      last_event_id_.assign(value);
      has_last_event_id_ = true;
      event_has_id_ = true;
    }
  } else if (field == "retry") {
    // Values too long to be a sane delay are ignored rather than overflowing.
    if (AllDigits(value) && value.size() <= 9) retry_ms_ = std::stol(std::string(value));
  }
}

void SseParser::Dispatch(const EventHandler& on_event) {
  bool has_id = event_has_id_;
  event_has_id_ = false;
  if (data_.empty()) {
    // No data lines: per the standard nothing is dispatched (an `id:` alone still moved
    // last_event_id(), which is what a reconnect needs).
    event_type_.clear();
    return;
  }
  SseEvent event;
  data_.pop_back();  // the newline after the last data line
  event.data = std::move(data_);
  data_.clear();
  if (!event_type_.empty()) event.type = std::move(event_type_);
  event_type_.clear();
  event.id = last_event_id_;
  event.has_id = has_id;
  on_event(std::move(event));
}

}  // namespace orch::mcp
