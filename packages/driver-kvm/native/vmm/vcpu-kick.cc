#include "vcpu-kick.h"

#include <csignal>
#include <mutex>

namespace virt_kvm {
namespace {

// A real-time signal nothing else in a Node.js process uses.
int KickSignal() { return SIGRTMIN + 4; }

void Nothing(int) {}

}  // namespace

void PrepareKickableThread() {
  static std::once_flag installed;
  std::call_once(installed, [] {
    struct sigaction action {};
    action.sa_handler = Nothing;
    sigemptyset(&action.sa_mask);
    // no SA_RESTART: KVM_RUN must return EINTR
    sigaction(KickSignal(), &action, nullptr);
  });
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, KickSignal());
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

void Kick(pthread_t thread, kvm_run* run) {
  __atomic_store_n(&run->immediate_exit, 1, __ATOMIC_SEQ_CST);
  pthread_kill(thread, KickSignal());
}

}  // namespace virt_kvm
