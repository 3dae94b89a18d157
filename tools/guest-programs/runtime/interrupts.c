#include "guest.h"

#define IDT_START 0x1000

struct gate {
  uint16_t offset_low;
  uint16_t selector;
  uint8_t ist;
  uint8_t type_attr;
  uint16_t offset_mid;
  uint32_t offset_high;
  uint32_t reserved;
} __attribute__((packed));

void set_interrupt_gate(uint8_t vector, void (*handler)(void)) {
  volatile struct gate* idt = (volatile struct gate*)IDT_START;
  uint64_t at = (uint64_t)handler;
  idt[vector].offset_low = (uint16_t)at;
  idt[vector].selector = USER_CS;
  idt[vector].ist = 0;
  idt[vector].type_attr = 0xef; /* present, DPL 3, 64-bit trap gate (IF stays set) */
  idt[vector].offset_mid = (uint16_t)(at >> 16);
  idt[vector].offset_high = (uint32_t)(at >> 32);
  idt[vector].reserved = 0;
}

void pic_init(uint8_t base, uint16_t unmasked) {
  outb(0x20, 0x11); /* ICW1: edge, cascade, ICW4 follows */
  outb(0xa0, 0x11);
  outb(0x21, base); /* ICW2: vector bases */
  outb(0xa1, (uint8_t)(base + 8));
  outb(0x21, 0x04); /* ICW3: slave on IRQ2 */
  outb(0xa1, 0x02);
  outb(0x21, 0x01); /* ICW4: 8086 mode */
  outb(0xa1, 0x01);
  outb(0x21, (uint8_t)~(unmasked | (1 << 2)));
  outb(0xa1, (uint8_t)~(unmasked >> 8));
}
