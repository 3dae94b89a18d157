/* The VMM starts every vCPU here in 64-bit user mode with rdi = vCPU index,
 * rsi = vCPU count and its own stack: main(vcpu, vcpus) as the ABI wants. */
  .section .text.start, "ax"
  .globl _start
_start:
  and $-16, %rsp
  call main
  mov %eax, %edi
  call guest_exit
1:
  jmp 1b
