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

/* The ELF note that tells @virt's kvm driver to start this program in
 * 64-bit user mode: name "virt", type 1 (user-mode entry), no payload. */
  .section .note.virt, "a", @note
  .balign 4
  .long 5          /* namesz, with the NUL */
  .long 0          /* descsz */
  .long 1          /* type */
  .asciz "virt"
  .balign 4
