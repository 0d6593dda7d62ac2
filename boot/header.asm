; boot/header.asm - the multiboot2 header GRUB looks for.
;
; GRUB scans the first 32 KiB of the file for this header (Multiboot2
; specification, section 3.1). Besides the mandatory magic/arch/length/
; checksum it carries one tag: the *physical* entry address. Our ELF's own
; entry point is a higher-half virtual address that means nothing to a
; CPU still in 32-bit protected mode without paging, so GRUB must be told
; where _start32 really is.

%include "boot/layout.inc"

MB2_MAGIC       equ 0xE85250D6
MB2_ARCH_I386   equ 0
MB2_TAG_END     equ 0
MB2_TAG_ENTRY   equ 3

extern _start32

section .multiboot2 progbits alloc noexec nowrite align=8
align 8, db 0
mb2_header:
        dd MB2_MAGIC
        dd MB2_ARCH_I386
        dd mb2_header_end - mb2_header
        dd 0x100000000 - (MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))

align 8, db 0
        dw MB2_TAG_ENTRY, 0             ; entry address tag
        dd 12
        dd _start32 - KERNEL_VMA

align 8, db 0
        dw MB2_TAG_END, 0
        dd 8
mb2_header_end:
