; mm/x86/uaccess.asm - the only instruction that touches user memory
; on behalf of a system call.
;
; uaccess_copy(dst, src, n) copies with `rep movsb` and returns 0, or the
; number of bytes NOT copied when a user page faults and cannot be fixed.
; How: the page-fault handler (mm/x86/pf.c) sees a kernel-mode fault whose
; RIP is uaccess_copy_insn; it first lets vm_fault() bring the page in
; (demand paging, copy-on-write) and retries; if the address is bad, it
; resumes at uaccess_copy_fixup instead, where RCX still counts the bytes
; left. This is Linux's exception-table idea with a single entry.

section .text
bits 64

global uaccess_copy
global uaccess_copy_insn
global uaccess_copy_fixup

uaccess_copy:
        mov     rcx, rdx
uaccess_copy_insn:
        rep movsb
        xor     eax, eax
        ret
uaccess_copy_fixup:
        mov     rax, rcx
        ret
