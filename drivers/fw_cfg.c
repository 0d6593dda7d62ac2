/*
 * drivers/fw_cfg.c - QEMU's firmware configuration device (fw_cfg): how
 * the host hands the guest named blobs, read through two I/O ports.
 *
 *   write a 16-bit key to port 0x510 (the selector) ... then read the
 *   item's bytes one at a time from port 0x511 (the data port)
 *
 * Key 0x0000 reads "QEMU" (the device is there); key 0x000f is the most
 * processors the machine can have (-smp maxcpus=, 16 bits, little-endian,
 * read by drivers/virtio_blk.c); key 0x0019 is the file
 * directory: a big-endian count, then one entry per file (big-endian size
 * and key, a name of up to 56 bytes). `qemu -fw_cfg name=opt/...,file=F`
 * adds a file. tools/qemu.sh passes the kernel command line that way
 * (opt/org.pagoda/cmdline), so that a different KARGS needs no new boot
 * ISO (docs/design.md, section 3). On hardware without the device the
 * ports read 0xff: no signature, no files.
 *
 * (QEMU's docs/specs/fw_cfg.rst; the DMA interface is not used: a few
 * hundred bytes are read once, at boot.)
 */
#include "drivers/fw_cfg.h"
#include "kernel/string.h"
#include "kernel/x86.h"

#define FW_CFG_PORT_SELECTOR 0x510
#define FW_CFG_PORT_DATA     0x511
#define FW_CFG_SIGNATURE     0x0000
#define FW_CFG_MAX_CPUS      0x000f
#define FW_CFG_FILE_DIR      0x0019
#define FW_CFG_NAME_MAX      56

/* One entry of the file directory, as the device sends it (big-endian). */
struct fw_cfg_file {
	uint32_t size;
	uint16_t select;
	uint16_t reserved;
	char name[FW_CFG_NAME_MAX];
};

static void
select_item(uint16_t key)
{
	outw(FW_CFG_PORT_SELECTOR, key);
}

/* The next len bytes of the selected item. */
static void
read_bytes(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len--)
		*p++ = inb(FW_CFG_PORT_DATA);
}

static uint32_t
be32(uint32_t v)
{
	return __builtin_bswap32(v);
}

static bool
device_present(void)
{
	char sig[4];

	select_item(FW_CFG_SIGNATURE);
	read_bytes(sig, sizeof(sig));
	return memcmp(sig, "QEMU", 4) == 0;
}

/*
 * Reads the file name (up to size bytes) into buf. Returns its size (it
 * may be more than was read), or -1 if there is no such file or no
 * fw_cfg device.
 */
long
fw_cfg_read_file(const char *name, void *buf, size_t size)
{
	struct fw_cfg_file f;
	uint32_t count;

	if (!device_present())
		return -1;
	select_item(FW_CFG_FILE_DIR);
	read_bytes(&count, sizeof(count));
	for (uint32_t i = 0; i < be32(count); i++) {
		read_bytes(&f, sizeof(f));
		f.name[FW_CFG_NAME_MAX - 1] = '\0';
		if (strcmp(f.name, name) != 0)
			continue;
		select_item(__builtin_bswap16(f.select));
		read_bytes(buf, MIN(size, be32(f.size)));
		return (long)be32(f.size);
	}
	return -1;
}

/* How many processors the machine can ever have (QEMU's maxcpus); 0 without the device. */
unsigned
fw_cfg_max_cpus(void)
{
	uint16_t n;

	if (!device_present())
		return 0;
	select_item(FW_CFG_MAX_CPUS);
	read_bytes(&n, sizeof(n));       /* little-endian, as the CPU */
	return n;
}
