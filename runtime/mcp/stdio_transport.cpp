// StdioTransport implementation: posix_spawn, one poll() reader thread for stdout and
// stderr, non-blocking writes with a deadline, and a staged shutdown of the process group.
#include "runtime/mcp/stdio_transport.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <vector>

extern char** environ;

namespace orch::mcp {
namespace {

constexpr size_t kReadChunk = 64 * 1024;
constexpr size_t kKeepBytes = 256;          // head/tail kept of an over-long message
constexpr size_t kMaxStderrLine = 400;      // per kept stderr line
constexpr size_t kMaxLogBytes = 32u << 20;  // per transport start
constexpr auto kExitGrace = std::chrono::milliseconds(500);  // after closing stdin
constexpr auto kTermGrace = std::chrono::milliseconds(2000);

void IgnoreSigpipeOnce() {
  static std::once_flag once;
  std::call_once(once, [] { signal(SIGPIPE, SIG_IGN); });
}

std::string SafeFileName(std::string_view name) {
  std::string out;
  for (char c : name) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
  if (out.empty() || out[0] == '.') out.insert(out.begin(), '_');
  return out;
}

std::string DescribeStatus(int status) {
  if (WIFEXITED(status)) return fmt::format("exited with status {}", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const char* name = strsignal(WTERMSIG(status));
    return fmt::format("was killed by signal {} ({})", WTERMSIG(status), name ? name : "unknown");
  }
  return "stopped";
}

}  // namespace

StdioTransport::StdioTransport(config::ServerConfig server, const ClientOptions& options)
    : server_(std::move(server)),
      max_message_bytes_(options.max_message_bytes),
      write_timeout_(options.default_timeout) {
  if (!options.log_dir.empty()) {
    log_path_ = (std::filesystem::path(options.log_dir) / (SafeFileName(server_.name) + ".log")).string();
  }
}

StdioTransport::~StdioTransport() { Close(); }

void StdioTransport::LogLine(std::string_view line) {
  if (log_fd_ < 0) return;
  std::string text(line);
  text.push_back('\n');
  [[maybe_unused]] ssize_t n = write(log_fd_, text.data(), text.size());
}

ErrorOr<void> StdioTransport::Start(MessageHandler on_message, ClosedHandler on_closed) {
  IgnoreSigpipeOnce();
  on_message_ = std::move(on_message);
  on_closed_ = std::move(on_closed);
  const std::string& name = server_.name;

  if (!server_.cwd.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_directory(server_.cwd, ec)) {
      return MakeError("transport", fmt::format("cannot start server `{}`: working directory `{}` does not exist "
                                                "(from {})", name, server_.cwd, server_.origin));
    }
  }

  if (!log_path_.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(log_path_).parent_path(), ec);
    log_fd_ = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log_fd_ >= 0) {
      std::time_t now = std::time(nullptr);
      char stamp[32];
      std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
      LogLine(fmt::format("=== {} start: {}", stamp, server_.Describe()));
    }
  }

  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) != 0) return MakeError("transport", fmt::format("cannot start server `{}`: pipe: {}", name, strerror(errno)));
  if (pipe2(out, O_CLOEXEC) != 0) {
    close(in[0]), close(in[1]);
    return MakeError("transport", fmt::format("cannot start server `{}`: pipe: {}", name, strerror(errno)));
  }
  if (pipe2(err, O_CLOEXEC) != 0 || pipe2(wake_pipe_, O_CLOEXEC) != 0) {
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) close(fd);
    return MakeError("transport", fmt::format("cannot start server `{}`: pipe: {}", name, strerror(errno)));
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  if (!server_.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, server_.cwd.c_str());

  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t no_signals, default_signals;
  sigemptyset(&no_signals);
  sigemptyset(&default_signals);
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&default_signals, sig);
  posix_spawnattr_setsigmask(&attr, &no_signals);
  posix_spawnattr_setsigdefault(&attr, &default_signals);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<std::string> env_strings;
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    std::string_view key = entry.substr(0, entry.find('='));
    bool overridden = false;
    for (const auto& [k, v] : server_.env) overridden |= (k == key);
    if (!overridden) env_strings.emplace_back(entry);
  }
  for (const auto& [k, v] : server_.env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);

  std::vector<std::string> argv_strings{server_.command};
  argv_strings.insert(argv_strings.end(), server_.args.begin(), server_.args.end());
  std::vector<char*> argv;
  for (auto& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  pid_t pid = -1;
  int rc = posix_spawnp(&pid, server_.command.c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(in[0]);
  close(out[1]);
  close(err[1]);
  if (rc != 0) {
    for (int fd : {in[1], out[0], err[0], wake_pipe_[0], wake_pipe_[1]}) close(fd);
    wake_pipe_[0] = wake_pipe_[1] = -1;
    std::string why = rc == ENOENT ? fmt::format("command `{}` was not found", server_.command)
                                   : fmt::format("`{}`: {}", server_.command, strerror(rc));
    return MakeError("transport", fmt::format("cannot start server `{}`: {}\n  = note: configured at {}", name, why,
                                              server_.origin.empty() ? "the command line" : server_.origin));
  }
  pid_ = pid;
  stdin_fd_ = in[1];
  stdout_fd_ = out[0];
  stderr_fd_ = err[0];
  fcntl(stdin_fd_, F_SETFL, fcntl(stdin_fd_, F_GETFL) | O_NONBLOCK);
  reader_ = std::thread([this] { ReadLoop(); });
  return {};
}

ErrorOr<void> StdioTransport::Send(const std::string& message) {
  std::lock_guard lock(send_mutex_);
  if (stdin_fd_ < 0) return MakeError("transport", fmt::format("server `{}` is not running", server_.name));
  std::string framed;
  framed.reserve(message.size() + 1);
  framed.append(message);
  framed.push_back('\n');
  size_t done = 0;
  auto deadline = std::chrono::steady_clock::now() + write_timeout_;
  while (done < framed.size()) {
    ssize_t n = write(stdin_fd_, framed.data() + done, framed.size() - done);
    if (n > 0) {
      done += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        return MakeError("timeout", fmt::format("server `{}` stopped reading its input (a write did not finish within {}ms)",
                                                server_.name, write_timeout_.count()));
      }
      pollfd pfd{stdin_fd_, POLLOUT, 0};
      poll(&pfd, 1, static_cast<int>(std::min<int64_t>(left.count(), 1000)));
      continue;
    }
    return MakeError("transport", fmt::format("server `{}` closed its input: {}", server_.name, strerror(errno)));
  }
  return {};
}

void StdioTransport::HandleStdout(const char* data, size_t size) {
  while (size > 0) {
    const char* newline = static_cast<const char*>(memchr(data, '\n', size));
    size_t segment = newline ? static_cast<size_t>(newline - data) : size;
    if (!discarding_ && line_.size() + segment > max_message_bytes_) {
      discarding_ = true;
      discarded_size_ = line_.size();
      discard_head_ = line_.substr(0, kKeepBytes);
      if (discard_head_.size() < kKeepBytes) discard_head_.append(data, std::min(segment, kKeepBytes - discard_head_.size()));
      discard_tail_ = line_.size() > kKeepBytes ? line_.substr(line_.size() - kKeepBytes) : line_;
      std::string().swap(line_);  // give the memory back now
    }
    if (discarding_) {
      discarded_size_ += segment;
      if (segment >= kKeepBytes) {
        discard_tail_.assign(data + segment - kKeepBytes, kKeepBytes);
      } else {
        discard_tail_.append(data, segment);
        if (discard_tail_.size() > kKeepBytes) discard_tail_.erase(0, discard_tail_.size() - kKeepBytes);
      }
    } else {
      line_.append(data, segment);
    }
    if (!newline) return;
    data += segment + 1;
    size -= segment + 1;
    if (discarding_) {
      discarding_ = false;
      LogLine(fmt::format("[orchestrator] discarded a {}-byte message (limit {} bytes)", discarded_size_, max_message_bytes_));
      if (on_oversized_) on_oversized_(discarded_size_, std::move(discard_head_), std::move(discard_tail_));
      discard_head_.clear();
      discard_tail_.clear();
      continue;
    }
    if (!line_.empty() && line_.back() == '\r') line_.pop_back();
    if (line_.find_first_not_of(" \t") == std::string::npos) {
      line_.clear();
      continue;
    }
    std::string message = std::move(line_);
    line_.clear();
    if (on_message_) on_message_(std::move(message));
  }
}

void StdioTransport::FlushStderrLine() {
  if (stderr_line_.empty()) return;
  if (stderr_line_.back() == '\r') stderr_line_.pop_back();
  std::lock_guard lock(tail_mutex_);
  if (stderr_line_.size() > kMaxStderrLine) {
    stderr_line_.resize(kMaxStderrLine);
    stderr_line_ += "…";
  }
  stderr_tail_.push_back(std::move(stderr_line_));
  if (stderr_tail_.size() > kStderrTailLines) stderr_tail_.pop_front();
  stderr_line_.clear();
}

void StdioTransport::HandleStderr(const char* data, size_t size) {
  if (log_fd_ >= 0 && logged_bytes_ < kMaxLogBytes) {
    size_t n = std::min(size, kMaxLogBytes - logged_bytes_);
    [[maybe_unused]] ssize_t w = write(log_fd_, data, n);
    logged_bytes_ += n;
    if (logged_bytes_ >= kMaxLogBytes) LogLine("\n[orchestrator] log limit reached; further stderr output is not written");
  }
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == '\n') {
      FlushStderrLine();
    } else if (stderr_line_.size() <= kMaxStderrLine) {
      stderr_line_ += data[i];
    }
  }
}

std::string StdioTransport::StderrTail() const {
  std::lock_guard lock(tail_mutex_);
  std::string text;
  for (const auto& line : stderr_tail_) {
    text += "\n    | ";
    text += line;
  }
  return text;
}

std::string StdioTransport::Reap(bool force) {
  std::lock_guard lock(close_mutex_);
  if (pid_ < 0) return "was not running";
  if (reaped_) return DescribeStatus(exit_status_);
  auto try_wait = [&](std::chrono::milliseconds grace) {
    auto deadline = std::chrono::steady_clock::now() + grace;
    while (true) {
      int status = 0;
      pid_t r = waitpid(pid_, &status, WNOHANG);
      if (r == pid_ || (r < 0 && errno == ECHILD)) {
        exit_status_ = r == pid_ ? status : 0;
        reaped_ = true;
        return true;
      }
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  };
  if (try_wait(force ? kExitGrace : std::chrono::milliseconds(1000))) {
    kill(-pid_, SIGTERM);  // launchers like npx may leave children behind in the group
    return DescribeStatus(exit_status_);
  }
  kill(-pid_, SIGTERM);
  if (!try_wait(kTermGrace)) {
    kill(-pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    exit_status_ = status;
    reaped_ = true;
  }
  kill(-pid_, SIGKILL);
  return DescribeStatus(exit_status_);
}

void StdioTransport::ReadLoop() {
  std::vector<char> buffer(kReadChunk);
  bool stdout_open = true, stderr_open = true;
  auto stdout_eof_at = std::chrono::steady_clock::time_point::max();
  while (stdout_open || stderr_open) {
    pollfd fds[3] = {{stdout_open ? stdout_fd_ : -1, POLLIN, 0},
                     {stderr_open ? stderr_fd_ : -1, POLLIN, 0},
                     {wake_pipe_[0], POLLIN, 0}};
    int timeout_ms = -1;
    if (!stdout_open) {
      // stdout is gone: give stderr a moment to deliver its last words, then stop.
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(stdout_eof_at + std::chrono::milliseconds(300) -
                                                                        std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      timeout_ms = static_cast<int>(left.count());
    }
    int n = poll(fds, 3, timeout_ms);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    if (fds[2].revents) break;  // Close() asked us to stop
    for (int i = 0; i < 2; ++i) {
      if (!fds[i].revents) continue;
      ssize_t got = read(fds[i].fd, buffer.data(), buffer.size());
      if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (got <= 0) {
        if (i == 0) {
          stdout_open = false;
          stdout_eof_at = std::chrono::steady_clock::now();
        } else {
          stderr_open = false;
        }
        continue;
      }
      if (i == 0) HandleStdout(buffer.data(), static_cast<size_t>(got));
      else HandleStderr(buffer.data(), static_cast<size_t>(got));
    }
  }
  FlushStderrLine();
  if (closing_) return;
  // The server closed its output (usually: it exited). Report how, with its last words.
  std::string how = Reap(false);
  if (closing_) return;
  std::string message = fmt::format("server `{}` {}", server_.name, how);
  if (!line_.empty() || discarding_) {
    message += fmt::format(" in the middle of a message ({} bytes without a final newline)",
                           discarding_ ? discarded_size_ : line_.size());
  }
  std::string tail = StderrTail();
  if (!tail.empty()) message += "\n  = note: last lines of its stderr:" + tail;
  if (!log_path_.empty()) message += fmt::format("\n  = note: full log: {}", log_path_);
  LogLine(fmt::format("[orchestrator] {}", how));
  if (on_closed_) on_closed_(MakeError("transport", message));
}

void StdioTransport::Close() {
  if (closing_.exchange(true)) {
    if (reader_.joinable() && reader_.get_id() != std::this_thread::get_id()) reader_.join();
    return;
  }
  {
    std::lock_guard lock(send_mutex_);
    if (stdin_fd_ >= 0) close(stdin_fd_);
    stdin_fd_ = -1;
  }
  if (pid_ >= 0) Reap(true);
  if (wake_pipe_[1] >= 0) {
    char byte = 0;
    [[maybe_unused]] ssize_t n = write(wake_pipe_[1], &byte, 1);
  }
  if (reader_.joinable()) {
    if (reader_.get_id() == std::this_thread::get_id()) reader_.detach();
    else reader_.join();
  }
  for (int* fd : {&stdout_fd_, &stderr_fd_, &wake_pipe_[0], &wake_pipe_[1], &log_fd_}) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
  }
}

}  // namespace orch::mcp
