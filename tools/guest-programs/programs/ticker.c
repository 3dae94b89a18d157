/* Print "tick N" forever, as fast as the console takes it: a guest to pause and resume. */
#include "guest.h"

int main(void) {
  for (uint64_t n = 0;; n++) {
    serial_puts("tick ");
    serial_put_unsigned(n);
    serial_putc('\n');
    for (volatile int i = 0; i < 100000; i++) {
    }
  }
}
