// ServeStdio: a read loop splitting input at newlines, one Session::Handle per line.
#include "runtime/mcp/server/stdio_server.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>

namespace orch::mcp::server {
namespace {

/// Writes whole messages to one descriptor; shared by every reply of the session.
class LineWriter {
 public:
  explicit LineWriter(int fd) : fd_(fd) {}
  void Write(const std::string& message) {
    if (message.empty()) return;
    std::string line = message + "\n";
    std::lock_guard lock(mutex_);
    size_t written = 0;
    while (written < line.size()) {
      ssize_t n = ::write(fd_, line.data() + written, line.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;  // the client has gone; nothing left to tell it
      written += static_cast<size_t>(n);
    }
  }

 private:
  int fd_;
  std::mutex mutex_;
};

bool IsBlank(const std::string& line) { return line.find_first_not_of(" \t\r") == std::string::npos; }

}  // namespace

ErrorOr<void> ServeStdio(Session& session, int in_fd, int out_fd) {
  auto writer = std::make_shared<LineWriter>(out_fd);
  Reply reply = [writer](const std::string& message, bool) { writer->Write(message); };
  session.SetNotifier(reply);
  std::string buffer;
  char chunk[65536];
  ErrorOr<void> status;
  while (true) {
    ssize_t n = ::read(in_fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status = MakeError("io", std::string("cannot read the client's messages: ") + std::strerror(errno));
      break;
    }
    if (n == 0) break;
    buffer.append(chunk, static_cast<size_t>(n));
    size_t start = 0;
    for (size_t newline; (newline = buffer.find('\n', start)) != std::string::npos; start = newline + 1) {
      std::string line = buffer.substr(start, newline - start);
      if (!IsBlank(line)) session.Handle(line, reply);
    }
    buffer.erase(0, start);
  }
  if (!IsBlank(buffer)) session.Handle(buffer, reply);
  // The client closed its end: let answers already under way reach it, then stop.
  session.WaitIdle();
  session.SetNotifier(nullptr);
  return status;
}

}  // namespace orch::mcp::server
