; kernel/switch.asm - switching between tasks, and running on another stack.
;
; context_switch(&prev->saved_rsp, next->saved_rsp) saves the registers
; the C calling convention says a callee must preserve, stores the stack
; pointer, loads the next task's, restores its registers and returns - on
; the next task's stack, into whatever that task was doing when it
; switched out. Everything else (RIP, caller-saved registers, the user's
; registers) is already on that stack. A new task's stack is prepared by
; kernel/sched.c to look as if it had switched out at one of the
; *_start labels below:
;
;     kstack_top -> [ struct trap_frame ]   only for user tasks
;                   [ return address    ]   kthread_start or user_start
;                   [ rbp rbx r12 r13 r14 r15 ] zeros, or fn/arg in r12/r13
;     saved_rsp  ->
;
; call_on_stack(fn, arg, top) calls fn(arg) with RSP = top, then returns
; on the caller's stack (tests use it to run on a fresh kernel stack).

section .text
bits 64

extern trap_return
extern task_exit_kernel_thread

global context_switch
context_switch:
        push    rbp
        push    rbx
        push    r12
        push    r13
        push    r14
        push    r15
        mov     [rdi], rsp
        mov     rsp, rsi
        pop     r15
        pop     r14
        pop     r13
        pop     r12
        pop     rbx
        pop     rbp
        ret

; First run of a kernel thread: fn in r12, arg in r13, interrupts off.
global kthread_start
kthread_start:
        sti
        mov     rdi, r13
        xor     ebp, ebp                ; the backtrace ends here
        call    r12
        call    task_exit_kernel_thread ; does not return

; First run of a user task: its registers are in the trap frame on top of
; the stack; trap_return restores them and irets to ring 3.
global user_start
user_start:
        jmp     trap_return

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
