/* Echo serial input in upper case, taking it from the receive interrupt
 * (IRQ 4 through the in-kernel PIC, to a CPL3 handler); 'q' ends it. */
#include "guest.h"

#define VECTOR_BASE 0x20
#define SERIAL_IRQ 4

static volatile int quit;
void serial_interrupt(void);

/* The handler proper, called from the assembly stub that saves registers. */
void serial_interrupt_body(void) {
  while (inb(0x3f8 + 5) & 1) {
    char c = (char)inb(0x3f8);
    if (c == 'q') quit = 1;
    else serial_putc(c >= 'a' && c <= 'z' ? (char)(c - 32) : c);
  }
  pic_eoi(SERIAL_IRQ);
}

__asm__(
    ".globl serial_interrupt\n"
    "serial_interrupt:\n"
    "  push %rax; push %rcx; push %rdx; push %rsi; push %rdi; push %r8; push %r9; push %r10; push %r11\n"
    "  call serial_interrupt_body\n"
    "  pop %r11; pop %r10; pop %r9; pop %r8; pop %rdi; pop %rsi; pop %rdx; pop %rcx; pop %rax\n"
    "  iretq\n");

int main(void) {
  set_interrupt_gate(VECTOR_BASE + SERIAL_IRQ, serial_interrupt);
  pic_init(VECTOR_BASE, 1 << SERIAL_IRQ); /* interrupts are on from the start */
  outb(0x3f8 + 1, 0x01); /* receive interrupt on */
  outb(0x3f8 + 4, 0x08); /* OUT2: the PC's interrupt enable */
  serial_puts("ready\n");
  while (!quit) pause();
  serial_puts("\nbye\n");
  return 0;
}
