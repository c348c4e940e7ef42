// Self-pipe signal handling for `run`.
#include "cli/commands/run/interrupt.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

namespace orch::cli {
namespace {

int g_signal_pipe = -1;
std::atomic<int> g_signals{0};

void OnSignal(int) {
  if (g_signals.fetch_add(1) >= 1) _exit(130);  // second Ctrl-C: stop now
  char byte = 1;
  if (g_signal_pipe >= 0) (void)!write(g_signal_pipe, &byte, 1);
}

}  // namespace

InterruptWatcher::InterruptWatcher(std::function<void()> on_interrupt) : on_interrupt_(std::move(on_interrupt)) {
  if (pipe2(pipe_, O_CLOEXEC) != 0) return;
  g_signal_pipe = pipe_[1];
  struct sigaction action = {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  thread_ = std::thread([this] {
    char byte = 0;
    while (read(pipe_[0], &byte, 1) == 1) {
      if (byte == 0) return;  // shutdown
      interrupted_ = true;
      on_interrupt_();
    }
  });
}

InterruptWatcher::~InterruptWatcher() {
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  g_signal_pipe = -1;
  if (thread_.joinable()) {
    char stop = 0;
    (void)!write(pipe_[1], &stop, 1);
    thread_.join();
  }
  if (pipe_[0] >= 0) close(pipe_[0]);
  if (pipe_[1] >= 0) close(pipe_[1]);
}

}  // namespace orch::cli
