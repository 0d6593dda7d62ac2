; kernel/trapentry.asm - the 256 interrupt entry points and the common path.
;
; The CPU pushes SS, RSP, RFLAGS, CS, RIP (and, for some exceptions, an
; error code) and jumps to the IDT gate's address (Intel SDM Vol. 3A
; 6.14.1). Each stub below makes the frame uniform - a zero where the CPU
; pushed no error code, then the vector number - and jumps to trap_common,
; which saves every general register into a struct trap_frame
; (kernel/trap.h, same order) and calls trap_dispatch(frame).
;
; When the interrupted code was in ring 3, GS still holds the user's base:
; swapgs on the way in and on the way out gives the kernel its own.

%include "kernel/trapframe.inc"

section .text
bits 64

extern trap_dispatch
global trap_stubs
global trap_return

; Vectors for which the CPU pushes an error code.
%define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

%assign vec 0
%rep 256
align 16
trap_stub_%+vec:
%if !HAS_ERROR(vec)
        push    0
%endif
        push    vec
        jmp     trap_common
%assign vec vec + 1
%endrep

FRAME_CS equ 18 * 8      ; offset of CS in struct trap_frame

trap_common:
        PUSH_GENERAL_REGS
        test    byte [rsp + FRAME_CS], 3
        jz      .from_kernel
        swapgs
.from_kernel:
        cld
        mov     rdi, rsp
        call    trap_dispatch
trap_return:
        test    byte [rsp + FRAME_CS], 3
        jz      .to_kernel
        swapgs
.to_kernel:
        POP_GENERAL_REGS
        add     rsp, 16                 ; vector and error code
        iretq

section .rodata
align 8
trap_stubs:
%assign vec 0
%rep 256
        dq      trap_stub_%+vec
%assign vec vec + 1
%endrep
