; kernel/switch.asm - running code on another stack.
;
; call_on_stack(fn, arg, top) calls fn(arg) with RSP = top, then returns
; on the caller's stack. RBP still points into the caller's stack when fn
; starts, so backtraces walk from the new stack back into the old one.

section .text
bits 64

global call_on_stack
call_on_stack:
        push    rbp
        mov     rbp, rsp
        mov     rsp, rdx
        mov     rax, rdi
        mov     rdi, rsi
        call    rax
        mov     rsp, rbp
        pop     rbp
        ret
