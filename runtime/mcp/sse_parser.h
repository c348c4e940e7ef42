// SseParser: an incremental parser for `text/event-stream` bodies (Server-Sent Events, as
// specified by the WHATWG HTML standard, section "event stream interpretation"). The
// Streamable HTTP transport feeds it whatever chunks libcurl hands over; an event may be
// split anywhere, even between the CR and LF of one line ending. It understands the fields
// `data` (multi-line), `id`, `event` and `retry`, skips comments and unknown fields, and
// caps the size of one event so a hostile server cannot make the client buffer without end.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/value/error_or.h"

namespace orch::mcp {

/// One dispatched event.
struct SseEvent {
  /// The `event:` field; "message" when the server named none.
  std::string type = "message";
  /// The `data:` lines joined with "\n" (the final newline removed).
  std::string data;
  /// The last event id seen on the stream so far (ids persist across events, per the standard).
  std::string id;
  /// True when this event itself carried an `id:` field.
  bool has_id = false;
};

class SseParser {
 public:
  using EventHandler = std::function<void(SseEvent event)>;

  /// Default cap on one event's size (data plus the line being read).
  static constexpr size_t kDefaultMaxEventBytes = 64u << 20;

  explicit SseParser(size_t max_event_bytes = kDefaultMaxEventBytes) : max_event_bytes_(max_event_bytes) {}

  /// Consumes the next chunk of the stream and calls `on_event` for every event it completes.
  /// Fails (kind "protocol") when one event grows past the size cap; the parser is then
  /// unusable and the stream should be dropped.
  ErrorOr<void> Feed(std::string_view chunk, const EventHandler& on_event);

  /// The last `id:` value seen (the value to send as `Last-Event-ID` when reconnecting).
  const std::string& last_event_id() const { return last_event_id_; }
  /// True once any `id:` field was seen, even an empty one.
  bool has_last_event_id() const { return has_last_event_id_; }
  /// The last valid `retry:` value in milliseconds, if the server sent one.
  std::optional<long> retry_ms() const { return retry_ms_; }

 private:
  void ProcessLine(std::string_view line, const EventHandler& on_event);
  void Dispatch(const EventHandler& on_event);

  size_t max_event_bytes_;
  std::string line_;         // the incomplete line carried over between chunks
  std::string data_;         // data lines of the event being built, each followed by "\n"
  std::string event_type_;   // `event:` of the event being built
  bool event_has_id_ = false;
  bool saw_cr_ = false;      // the previous chunk ended in CR: a leading LF belongs to it
  bool at_stream_start_ = true;  // a UTF-8 byte order mark may open the stream
  std::string last_event_id_;
  bool has_last_event_id_ = false;
  std::optional<long> retry_ms_;
};

}  // namespace orch::mcp
