#include "pipe-sink.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "../base/failure.h"

namespace virt_kvm {

PipeSink::PipeSink() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) < 0) ThrowErrno("pipe2");
  read_ = Fd(fds[0]);
  write_ = Fd(fds[1]);
  if (::fcntl(write_.get(), F_SETFL, O_NONBLOCK) < 0) ThrowErrno("fcntl O_NONBLOCK");
}

bool PipeSink::Put(uint8_t byte) {
  for (;;) {
    ssize_t n = ::write(write_.get(), &byte, 1);
    if (n == 1) return true;
    if (n < 0 && errno == EINTR) continue;
    // EAGAIN: full, try later; anything else (no reader left): the byte is gone
    return n < 0 && errno == EAGAIN ? false : true;
  }
}

int PipeSink::ReleaseReadEnd() { return read_.Release(); }

}  // namespace virt_kvm
