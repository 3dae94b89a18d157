// Knocking a vCPU thread out of KVM_RUN: set kvm_run.immediate_exit (for a
// thread about to enter) and send it a signal whose handler does nothing
// (for a thread inside, whose KVM_RUN then fails with EINTR).
#pragma once

#include "../kvm/linux-kvm.h"
#include <pthread.h>

namespace virt_kvm {

// Install the no-op handler (once per process) and unblock the signal in
// the calling thread; every vCPU thread calls it before its first KVM_RUN.
void PrepareKickableThread();
void Kick(pthread_t thread, kvm_run* run);

}  // namespace virt_kvm
