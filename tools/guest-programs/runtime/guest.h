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

/* Interrupts at CPL3: the VMM points IDTR at IDT_START (0x1000) and the
 * program fills it; gates lead to user code, so no stack switch happens.
 * Programs start with interrupts enabled (RFLAGS.IF) and choose what
 * reaches them at the PIC: IF cannot be changed at CPL3 on every host (PVM
 * runs user mode with an effective IOPL of 0, where STI faults and POPF and
 * IRETQ leave IF alone). So gates are trap gates, which keep IF set: an
 * interrupt gate would clear it for good. A handler may therefore nest once
 * it has sent its EOI. */
#define USER_CS 0x33
void set_interrupt_gate(uint8_t vector, void (*handler)(void));
/* The PC's 8259 pair, remapped to vectors base..base+15, all masked but `unmasked`. */
void pic_init(uint8_t base, uint16_t unmasked);
static inline void pic_eoi(uint8_t irq) {
  if (irq >= 8) outb(0xa0, 0x20);
  outb(0x20, 0x20);
}
