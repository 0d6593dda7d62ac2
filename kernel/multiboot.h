/*
 * kernel/multiboot.h - what GRUB told us: command line, memory map, modules.
 */
#ifndef KERNEL_MULTIBOOT_H
#define KERNEL_MULTIBOOT_H

#include "kernel/types.h"

#define BOOT_MAX_MMAP     64
#define BOOT_MAX_MODULES  16

/* Memory map entry types (Multiboot2 spec 3.6.8, the same as the BIOS's e820). */
enum {
	MMAP_USABLE = 1, MMAP_RESERVED = 2, MMAP_ACPI_RECLAIMABLE = 3,
	MMAP_ACPI_NVS = 4, MMAP_BAD = 5,
};

struct boot_mmap_entry {
	paddr_t base;
	uint64_t len;
	uint32_t type;
};

struct boot_module {
	paddr_t start, end;   /* [start, end) */
	char name[64];
};

/* The fw_cfg file tools/qemu.sh puts the kernel arguments in (KARGS). */
#define QEMU_CMDLINE_FILE "opt/org.pagoda/cmdline"

struct boot_info {
	char cmdline[1024];           /* GRUB's, then QEMU's */
	char qemu_cmdline[1024];      /* the part from QEMU's fw_cfg */
	char loader[64];
	int nmmap;
	struct boot_mmap_entry mmap[BOOT_MAX_MMAP];
	int nmodules;
	struct boot_module modules[BOOT_MAX_MODULES];
	paddr_t mbi_start, mbi_end;   /* the info block itself, [start, end) */
};

extern struct boot_info boot_info;

int multiboot_parse(uint32_t magic, paddr_t mbi);
void multiboot_add_qemu_cmdline(void);
void multiboot_print(void);
const char *multiboot_mmap_type_name(uint32_t type);

#endif
