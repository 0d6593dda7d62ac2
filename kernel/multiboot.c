/*
 * kernel/multiboot.c - read the Multiboot2 information block (spec 3.6).
 *
 * The block is a fixed 8-byte header (total size, reserved) followed by
 * tags, each 8-byte aligned: type, size, then the payload. We copy what we
 * need into boot_info, so that nothing later has to keep GRUB's block
 * alive; mm/ still excludes its frames and those of the modules.
 */
#include "kernel/multiboot.h"
#include "drivers/fw_cfg.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/layout.h"

#define MB2_BOOTLOADER_MAGIC 0x36d76289

enum {
	TAG_END = 0, TAG_CMDLINE = 1, TAG_LOADER_NAME = 2, TAG_MODULE = 3,
	TAG_MMAP = 6,
};

struct tag {
	uint32_t type;
	uint32_t size;
};

struct tag_module {
	struct tag tag;
	uint32_t mod_start, mod_end;
	char name[];
};

struct tag_mmap {
	struct tag tag;
	uint32_t entry_size, entry_version;
	uint8_t entries[];
};

struct mmap_raw {
	uint64_t base, len;
	uint32_t type, reserved;
};

struct boot_info boot_info;

static void
read_mmap(const struct tag_mmap *t)
{
	const uint8_t *p = t->entries, *end = (const uint8_t *)t + t->tag.size;

	for (; p + sizeof(struct mmap_raw) <= end; p += t->entry_size) {
		const struct mmap_raw *e = (const void *)p;
		if (boot_info.nmmap == BOOT_MAX_MMAP) {
			pr_warn("multiboot: more than %d memory map entries; rest ignored\n",
				BOOT_MAX_MMAP);
			return;
		}
		boot_info.mmap[boot_info.nmmap++] =
			(struct boot_mmap_entry){ e->base, e->len, e->type };
	}
}

static void
read_module(const struct tag_module *t)
{
	struct boot_module *m;

	if (boot_info.nmodules == BOOT_MAX_MODULES) {
		pr_warn("multiboot: more than %d modules; rest ignored\n", BOOT_MAX_MODULES);
		return;
	}
	m = &boot_info.modules[boot_info.nmodules++];
	m->start = t->mod_start;
	m->end = t->mod_end;
	strlcpy(m->name, t->name, sizeof(m->name));
}

/*
 * Copies the command line, memory map and module list into boot_info.
 * Returns 0, or -1 if magic is wrong (then boot_info stays empty).
 */
int
multiboot_parse(uint32_t magic, paddr_t mbi)
{
	const uint8_t *base = phys_to_virt(mbi);
	uint32_t total;

	if (magic != MB2_BOOTLOADER_MAGIC)
		return -1;
	total = *(const uint32_t *)base;
	boot_info.mbi_start = mbi;
	boot_info.mbi_end = mbi + total;
	for (uint32_t off = 8; off + sizeof(struct tag) <= total;) {
		const struct tag *t = (const void *)(base + off);
		if (t->type == TAG_END)
			break;
		switch (t->type) {
		case TAG_CMDLINE:
			strlcpy(boot_info.cmdline, (const char *)(t + 1), sizeof(boot_info.cmdline));
			break;
		case TAG_LOADER_NAME:
			strlcpy(boot_info.loader, (const char *)(t + 1), sizeof(boot_info.loader));
			break;
		case TAG_MODULE:
			read_module((const void *)t);
			break;
		case TAG_MMAP:
			read_mmap((const void *)t);
			break;
		}
		off += ALIGN_UP(t->size, 8);
	}
	return 0;
}

/*
 * Appends the command line QEMU hands over to GRUB's: tools/qemu.sh puts
 * KARGS in the fw_cfg file QEMU_CMDLINE_FILE, so that new arguments need
 * no new boot ISO (drivers/fw_cfg.c). Without the device or the file,
 * GRUB's command line stays as it is.
 */
void
multiboot_add_qemu_cmdline(void)
{
	char more[sizeof(boot_info.cmdline)];
	size_t len = strlen(boot_info.cmdline);
	long n = fw_cfg_read_file(QEMU_CMDLINE_FILE, more, sizeof(more) - 1);

	if (n <= 0)
		return;
	more[MIN((size_t)n, sizeof(more) - 1)] = '\0';
	if (len > 0 && len + 1 < sizeof(boot_info.cmdline))
		boot_info.cmdline[len++] = ' ';
	strlcpy(boot_info.cmdline + len, more, sizeof(boot_info.cmdline) - len);
	strlcpy(boot_info.qemu_cmdline, more, sizeof(boot_info.qemu_cmdline));
}

const char *
multiboot_mmap_type_name(uint32_t type)
{
	switch (type) {
	case MMAP_USABLE: return "usable";
	case MMAP_RESERVED: return "reserved";
	case MMAP_ACPI_RECLAIMABLE: return "ACPI data";
	case MMAP_ACPI_NVS: return "ACPI NVS";
	case MMAP_BAD: return "unusable";
	default: return "unknown";
	}
}

/* Prints the memory map the way Linux prints the e820 map. */
void
multiboot_print(void)
{
	uint64_t usable = 0;

	pr_info("boot: loader \"%s\", command line \"%s\"\n", boot_info.loader, boot_info.cmdline);
	if (boot_info.qemu_cmdline[0])
		pr_info("boot: from QEMU's fw_cfg (%s): \"%s\"\n", QEMU_CMDLINE_FILE,
			boot_info.qemu_cmdline);
	pr_info("boot: physical memory map from the loader:\n");
	for (int i = 0; i < boot_info.nmmap; i++) {
		const struct boot_mmap_entry *e = &boot_info.mmap[i];
		pr_info("boot:   [mem 0x%016lx-0x%016lx] %s\n", e->base, e->base + e->len - 1,
			multiboot_mmap_type_name(e->type));
		if (e->type == MMAP_USABLE)
			usable += e->len;
	}
	pr_info("boot: usable RAM %lu KiB (%lu MiB)\n", usable >> 10, usable >> 20);
	for (int i = 0; i < boot_info.nmodules; i++)
		pr_info("boot: module %d [%#lx-%#lx) \"%s\"\n", i, boot_info.modules[i].start,
			boot_info.modules[i].end, boot_info.modules[i].name);
}
