/* What guest programs share: port I/O, the serial console, a spinlock, and
 * leaving the machine. They run at CPL3 with IOPL 3, so in/out work. */
#pragma once

#include <stdint.h>

static inline void outb(uint16_t port, uint8_t value) { __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) {
  uint8_t value;
  __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
  return value;
}
static inline void pause(void) { __asm__ volatile("pause"); }

void serial_putc(char c);
void serial_puts(const char* s);
void serial_put_unsigned(uint64_t n);
/* Wait for a byte on the serial port. */
char serial_getc(void);

typedef struct { volatile int locked; } spinlock_t;
void spin_lock(spinlock_t* lock);
void spin_unlock(spinlock_t* lock);

/* Pulse the i8042's reset line: how a program says it has finished. */
__attribute__((noreturn)) void guest_exit(int status);
