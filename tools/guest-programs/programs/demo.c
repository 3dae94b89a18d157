/* The guest `npm start` boots where /dev/kvm is PVM: it runs in 64-bit user
 * mode, where such a host runs guest code at full speed, says what it is,
 * does some work on every vCPU, and ends (a reset the domain turns into a
 * shutdown with on_reboot=destroy). */
#include "guest.h"

static spinlock_t console;
static volatile int finished;

static inline uint64_t rdtsc(void) {
  uint32_t lo, hi;
  __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
  return ((uint64_t)hi << 32) | lo;
}

/* Primes in [from, to), by trial division: work that needs no memory. */
static uint64_t count_primes(uint64_t from, uint64_t to) {
  uint64_t count = 0;
  for (uint64_t n = from; n < to; n++) {
    if (n < 2) continue;
    int prime = 1;
    for (uint64_t d = 2; d * d <= n; d++)
      if (n % d == 0) {
        prime = 0;
        break;
      }
    count += (uint64_t)prime;
  }
  return count;
}

static volatile uint64_t total;

int main(uint64_t vcpu, uint64_t vcpus) {
  if (vcpu == 0) {
    spin_lock(&console);
    serial_puts("Hello from a guest of @virt's own VMM on /dev/kvm.\n");
    serial_puts("It runs in 64-bit user mode with ");
    serial_put_unsigned(vcpus);
    serial_puts(" vCPU(s), printing on the emulated 16550A serial port.\n");
    spin_unlock(&console);
  }
  uint64_t start = rdtsc();
  const uint64_t limit = 2000000;
  uint64_t primes = count_primes(limit * vcpu / vcpus, limit * (vcpu + 1) / vcpus);
  uint64_t cycles = rdtsc() - start;
  __atomic_add_fetch(&total, primes, __ATOMIC_SEQ_CST);
  spin_lock(&console);
  serial_puts("vCPU ");
  serial_put_unsigned(vcpu);
  serial_puts(": found ");
  serial_put_unsigned(primes);
  serial_puts(" primes in ");
  serial_put_unsigned(cycles / 1000000);
  serial_puts(" M TSC cycles\n");
  spin_unlock(&console);
  if ((uint64_t)__atomic_add_fetch(&finished, 1, __ATOMIC_SEQ_CST) < vcpus)
    for (;;) pause();
  serial_puts("primes below 2,000,000: ");
  serial_put_unsigned(total);
  serial_puts("\nThe guest is done: it resets the machine through the i8042, and the domain shuts off.\n");
  return 0;
}
