; kernel/syscall_entry.asm - the `syscall` instruction lands here.
;
; The CPU (Intel SDM Vol. 2B, SYSCALL) saved the user RIP in RCX and
; RFLAGS in R11, masked RFLAGS with IA32_FMASK (so interrupts are off),
; loaded the kernel CS/SS from IA32_STAR, and jumped to IA32_LSTAR. It did
; NOT switch stacks: RSP is still the user's. So:
;   1. swapgs: GS now points at the per-CPU area (kernel/percpu.c);
;   2. save the user RSP there, load the task's kernel stack top;
;   3. push a struct trap_frame, exactly as an interrupt from ring 3 would
;      leave it (kernel/trap.h), so fork, exec and signals see one layout;
;   4. call syscall_dispatch(frame) with interrupts on;
;   5. back to ring 3 with sysretq, unless the return RIP is not a
;      canonical user address: sysretq would then fault in ring 0 on the
;      user's stack (the "sysret hazard", CVE-2012-0217), so iretq instead;
;      iretq too when RCX and R11 are not RIP and RFLAGS (signals).
;
; Linux x86-64 ABI: number in RAX, arguments in RDI RSI RDX R10 R8 R9,
; result in RAX; RCX and R11 are clobbered.

%include "kernel/percpu.inc"
%include "kernel/trapframe.inc"

section .text
bits 64

extern syscall_dispatch
extern trap_return
global syscall_entry

SEL_USER_DATA_RPL3 equ 0x23
SEL_USER_CODE_RPL3 equ 0x2b
SYSCALL_VECTOR     equ 0x80          ; only a label in the frame: no IDT gate
USER_RIP_LIMIT     equ 0x00007ffffffff000

syscall_entry:
        swapgs
        mov     [gs:PERCPU_USER_RSP], rsp
        mov     rsp, [gs:PERCPU_KERNEL_RSP]
        ; LAB 3 BEGIN: push what an interrupt from ring 3 would have: ss, rsp, rflags, cs, rip; then error code and vector
        push    SEL_USER_DATA_RPL3      ; ss
        push    qword [gs:PERCPU_USER_RSP] ; rsp
        push    r11                     ; rflags
        push    SEL_USER_CODE_RPL3      ; cs
        push    rcx                     ; rip
        push    0                       ; error code
        push    SYSCALL_VECTOR          ; vector
        ; LAB 3 STUB: extern  panic
        ; LAB 3 STUB: xor     ebp, ebp                ; the user's RBP is no frame for a backtrace
        ; LAB 3 STUB: lea     rdi, [rel .lab3_message]
        ; LAB 3 STUB: xor     eax, eax
        ; LAB 3 STUB: call    panic
        ; LAB 3 STUB: .lab3_message: db "lab 3: syscall_entry: the trap frame is not implemented", 0
        ; LAB 3 END
        PUSH_GENERAL_REGS
        xor     ebp, ebp                ; backtraces stop at the user boundary
        mov     rdi, rsp
        sti
        call    syscall_dispatch
        cli
        ; The frame may have been changed (exec, signals): check it again.
        mov     rcx, [rsp + 17 * 8]     ; rip
        mov     rax, USER_RIP_LIMIT
        cmp     rcx, rax
        jae     .via_iret
        cmp     qword [rsp + 18 * 8], SEL_USER_CODE_RPL3
        jne     .via_iret
        ; sysretq loads RIP from RCX and RFLAGS from R11: exact only if the
        ; frame has them equal (a signal handler's frame, a restart or an
        ; rt_sigreturn may not): else iretq, which restores every register.
        mov     rax, [rsp + 12 * 8]     ; rcx
        cmp     rax, [rsp + 17 * 8]     ; rip
        jne     .via_iret
        mov     rax, [rsp + 4 * 8]      ; r11
        cmp     rax, [rsp + 19 * 8]     ; rflags
        jne     .via_iret
        POP_GENERAL_REGS
        mov     rcx, [rsp + 2 * 8]      ; rip    (past vector, error)
        mov     r11, [rsp + 4 * 8]      ; rflags
        mov     rsp, [rsp + 5 * 8]      ; user rsp
        swapgs
        o64 sysret
.via_iret:
        jmp     trap_return             ; swapgs + iretq, as for an interrupt
