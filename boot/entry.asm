; boot/entry.asm - from GRUB's 32-bit protected mode to kmain() in long mode.
;
; GRUB leaves us (Multiboot2 spec, section 3.3) in 32-bit protected mode,
; paging off, interrupts off, EAX = magic, EBX = physical address of the
; boot information. The steps below are the ones Intel SDM Vol. 3A
; section 10.8.5 ("Initializing IA-32e Mode") lists:
;
;   1. check the magic, that CPUID exists, and that the CPU has long mode;
;      otherwise print why on COM1 and halt (no silent reboot);
;   2. zero .bss and build early page tables that map the first 1 GiB three
;      times with 2 MiB pages:
;          identity            0x0000000000000000 (only to survive the switch)
;          direct map          0xffff800000000000 (phys_to_virt() from day one)
;          kernel image        0xffffffff80000000 (where we are linked)
;   3. CR4.PAE, CR3, EFER.LME (+ EFER.NXE when the CPU has NX), CR0.PG;
;   4. load a 64-bit GDT and far-jump into a 64-bit code segment;
;   5. jump to the higher half, switch stacks and call kmain(magic, mbi).
;
; Everything before step 5 runs at physical addresses, so every symbol is
; written "sym - KERNEL_VMA". mm/ replaces these tables with its own.

%include "boot/layout.inc"

MB2_BOOT_MAGIC  equ 0x36d76289
COM1            equ 0x3f8
DEBUG_EXIT_PORT equ 0xf4
EXIT_STATUS_NO_LONG_MODE equ 125  ; = EXIT_STATUS_PANIC in kernel/power.h
PTE_P           equ 1 << 0
PTE_W           equ 1 << 1
PTE_PS          equ 1 << 7
EFER_MSR        equ 0xC0000080
EFER_LME        equ 1 << 8
EFER_NXE        equ 1 << 11
CR0_PE          equ 1 << 0
CR0_WP          equ 1 << 16
CR0_PG          equ 1 << 31
CR4_PAE         equ 1 << 5
CPUID_EXT_LM    equ 1 << 29           ; CPUID 0x80000001 EDX
CPUID_EXT_NX    equ 1 << 20

%define PHYS(x) ((x) - KERNEL_VMA)

extern kmain
extern __bss_start, __bss_end
global _start32
global boot_stack_top
global boot_stack_guard
global boot_pml4

section .boot.text progbits alloc exec nowrite align=16
bits 32

_start32:
        cli
        cld
        mov     edi, eax                ; keep magic and mbi out of harm's way
        mov     esi, ebx

        cmp     edi, MB2_BOOT_MAGIC
        jne     .no_multiboot
        call    cpu_has_cpuid
        jz      .no_cpuid
        mov     eax, 0x80000000
        cpuid
        cmp     eax, 0x80000001
        jb      .no_long_mode
        mov     eax, 0x80000001
        cpuid
        test    edx, CPUID_EXT_LM
        jz      .no_long_mode
        mov     ebp, edx                ; remember the NX bit for EFER

        ; .bss holds the page tables and the boot stack: zero it first.
        mov     edi, PHYS(__bss_start)
        mov     ecx, PHYS(__bss_end)
        sub     ecx, edi
        shr     ecx, 2
        xor     eax, eax
        rep stosd
        mov     edi, MB2_BOOT_MAGIC     ; rep stosd used EDI
        mov     esp, PHYS(boot_stack_top)

        call    build_early_page_tables

        ; LAB 1 BEGIN: step 3: CR4.PAE, CR3, EFER.LME (+NXE if EBP has CPUID_EXT_NX), CR0.PG|PE|WP
        mov     eax, cr4
        or      eax, CR4_PAE
        mov     cr4, eax
        mov     eax, PHYS(boot_pml4)
        mov     cr3, eax
        mov     ecx, EFER_MSR
        rdmsr
        or      eax, EFER_LME
        test    ebp, CPUID_EXT_NX
        jz      .no_nx
        or      eax, EFER_NXE
.no_nx:
        wrmsr
        mov     eax, cr0
        or      eax, CR0_PG | CR0_PE | CR0_WP
        mov     cr0, eax                ; now in IA-32e compatibility mode
        ; LAB 1 STUB: mov     esi, PHYS(msg_lab1_mode_switch)
        ; LAB 1 STUB: jmp     fail
        ; LAB 1 END

        lgdt    [PHYS(gdt64_pointer)]
        jmp     0x08:PHYS(long_mode_start)

.no_multiboot:
        mov     esi, PHYS(msg_no_multiboot)
        jmp     fail
.no_cpuid:
        mov     esi, PHYS(msg_no_cpuid)
        jmp     fail
.no_long_mode:
        mov     esi, PHYS(msg_no_long_mode)
        ; fall through

; Print the string at ESI on COM1 and stop for good. Polling only: this
; runs before anything is set up. The UART is programmed for 115200 8N1.
fail:
        mov     dx, COM1 + 1
        xor     al, al
        out     dx, al                  ; no UART interrupts
        mov     dx, COM1 + 3
        mov     al, 0x80
        out     dx, al                  ; DLAB on
        mov     dx, COM1
        mov     al, 1
        out     dx, al                  ; divisor 1 = 115200 baud
        mov     dx, COM1 + 1
        xor     al, al
        out     dx, al
        mov     dx, COM1 + 3
        mov     al, 0x03
        out     dx, al                  ; 8N1, DLAB off
.next_char:
        lodsb
        test    al, al
        jz      .halt
        mov     ah, al
        mov     dx, COM1 + 5
.wait_tx:
        in      al, dx
        test    al, 0x20
        jz      .wait_tx
        mov     dx, COM1
        mov     al, ah
        out     dx, al
        jmp     .next_char
.halt:
        ; Under QEMU, the isa-debug-exit device ends the run with status
        ; 125 (see kernel/power.c); on real hardware this does nothing.
        mov     dx, DEBUG_EXIT_PORT
        mov     eax, EXIT_STATUS_NO_LONG_MODE
        out     dx, eax
.hang:
        cli
        hlt
        jmp     .hang

; ZF clear if CPUID exists: the ID bit (21) of EFLAGS can be toggled.
cpu_has_cpuid:
        pushfd
        pop     eax
        mov     ecx, eax
        xor     eax, 1 << 21
        push    eax
        popfd
        pushfd
        pop     eax
        push    ecx
        popfd
        xor     eax, ecx
        test    eax, 1 << 21
        ret

; One page directory of 512 2-MiB pages covers the first GiB; three PML4
; slots reach it (see the top of this file).
build_early_page_tables:
        ; LAB 1 BEGIN: map the first GiB at 0, DIRECT_MAP_BASE and KERNEL_VMA, from boot_pml4 down
        mov     eax, PHYS(boot_pdpt_low) + (PTE_P | PTE_W)
        mov     [PHYS(boot_pml4) + 0 * 8], eax
        mov     [PHYS(boot_pml4) + 256 * 8], eax
        mov     eax, PHYS(boot_pdpt_high) + (PTE_P | PTE_W)
        mov     [PHYS(boot_pml4) + 511 * 8], eax

        mov     eax, PHYS(boot_pd) + (PTE_P | PTE_W)
        mov     [PHYS(boot_pdpt_low) + 0 * 8], eax
        mov     [PHYS(boot_pdpt_high) + 510 * 8], eax

        xor     ecx, ecx
.next_pde:
        mov     eax, ecx
        shl     eax, 21
        or      eax, PTE_P | PTE_W | PTE_PS
        mov     [PHYS(boot_pd) + ecx * 8], eax
        inc     ecx
        cmp     ecx, 512
        jb      .next_pde
        ; LAB 1 STUB: mov     esi, PHYS(msg_lab1_page_tables)
        ; LAB 1 STUB: jmp     fail
        ; LAB 1 END
        ret

bits 64
long_mode_start:
        mov     ax, 0x10
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        xor     eax, eax
        mov     fs, ax
        mov     gs, ax
        mov     rax, higher_half_start
        jmp     rax

higher_half_start:
        mov     rsp, boot_stack_top
        xor     ebp, ebp                ; the backtrace stops at a zero frame
        mov     edi, edi                ; upper halves are undefined after
        mov     esi, esi                ; the mode switch: zero-extend
        push    0                       ; a zero return address ends every
        jmp     kmain                   ; backtrace, ours and GDB's, at kmain

section .rodata
msg_no_multiboot:
        db "boot: not started by a Multiboot2 loader (bad magic in EAX); halting", 13, 10, 0
msg_no_cpuid:
        db "boot: this CPU has no CPUID instruction; a 64-bit CPU is required; halting", 13, 10, 0
msg_no_long_mode:
        db "boot: this CPU has no long mode (x86-64); cannot run a 64-bit kernel; halting", 13, 10, 0
; What the two steps print in the skeleton of lab 1 (docs/labs/lab1.md),
; where the student writes them; this tree never prints them.
msg_lab1_page_tables:
        db "lab 1: build_early_page_tables: the boot page tables are not implemented; halting", 13, 10, 0
msg_lab1_mode_switch:
        db "lab 1: _start32: the switch to long mode (CR4, CR3, EFER, CR0) is not implemented; halting", 13, 10, 0

align 8
gdt64:
        dq 0                            ; null
        dq 0x00af9a000000ffff           ; 0x08: 64-bit code, ring 0
        dq 0x00cf92000000ffff           ; 0x10: data, ring 0
gdt64_end:
gdt64_pointer:
        dw gdt64_end - gdt64 - 1
        dd PHYS(gdt64)

section .bss
align 4096
boot_pml4:      resb 4096
boot_pdpt_low:  resb 4096
boot_pdpt_high: resb 4096
boot_pd:        resb 4096
boot_stack_guard: resb 4096             ; left unmapped by mm/kas.c
boot_stack:     resb 16384
boot_stack_top:
