// CancelToken: a shared flag plus callbacks, so a waiting call can wake up the moment
// its caller gives up.
#include "runtime/mcp/tool_server.h"

namespace orch::mcp {

CancelToken::CancelToken() : state_(std::make_shared<State>()) {}

void CancelToken::Cancel() {
  std::vector<std::pair<int, std::function<void()>>> callbacks;
  {
    std::lock_guard lock(state_->mutex);
    if (state_->cancelled.exchange(true)) return;
    callbacks.swap(state_->callbacks);
  }
  for (auto& [id, callback] : callbacks) callback();
}

bool CancelToken::cancelled() const { return state_->cancelled.load(); }

int CancelToken::OnCancel(std::function<void()> callback) {
  {
    std::lock_guard lock(state_->mutex);
    if (!state_->cancelled) {
      int id = ++state_->next_id;
      state_->callbacks.emplace_back(id, std::move(callback));
      return id;
    }
  }
  callback();
  return 0;
}

void CancelToken::RemoveCallback(int id) {
  std::lock_guard lock(state_->mutex);
  auto& callbacks = state_->callbacks;
  for (auto it = callbacks.begin(); it != callbacks.end(); ++it) {
    if (it->first == id) {
      callbacks.erase(it);
      return;
    }
  }
}

}  // namespace orch::mcp
