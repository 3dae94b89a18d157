/* Every vCPU says hello on the serial port; the last one to finish resets. */
#include "guest.h"

static spinlock_t console;
static volatile int finished;

int main(uint64_t vcpu, uint64_t vcpus) {
  spin_lock(&console);
  serial_puts("hello from vCPU ");
  serial_put_unsigned(vcpu);
  serial_puts(" of ");
  serial_put_unsigned(vcpus);
  serial_putc('\n');
  spin_unlock(&console);
  if ((uint64_t)__atomic_add_fetch(&finished, 1, __ATOMIC_SEQ_CST) < vcpus)
    for (;;) pause();
  return 0;
}
