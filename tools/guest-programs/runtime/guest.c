#include "guest.h"

#define COM1 0x3f8
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20

void serial_putc(char c) {
  while (!(inb(COM1 + 5) & LSR_THR_EMPTY)) pause();
  outb(COM1, (uint8_t)c);
}

void serial_puts(const char* s) {
  while (*s) serial_putc(*s++);
}

void serial_put_unsigned(uint64_t n) {
  char digits[21];
  int i = 0;
  do digits[i++] = (char)('0' + n % 10); while ((n /= 10) && i < 20);
  while (i) serial_putc(digits[--i]);
}

char serial_getc(void) {
  while (!(inb(COM1 + 5) & LSR_DATA_READY)) pause();
  return (char)inb(COM1);
}

void spin_lock(spinlock_t* lock) {
  while (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE)) pause();
}

void spin_unlock(spinlock_t* lock) { __atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE); }

void guest_exit(int status) {
  (void)status;
  outb(0x64, 0xfe);
  for (;;) pause();
}
