/*
 * drivers/pci.c - the PCI bus through configuration mechanism #1 (PCI
 * Local Bus Specification 3.0, section 3.2.2.3.2): write the address of a
 * configuration register to port 0xcf8, then read or write it at 0xcfc.
 *
 *   0xcf8:  31 enable | 23..16 bus | 15..11 device | 10..8 function | 7..2 register
 *
 * pci_init() scans every bus, device and function once and keeps a table
 * of what answered; drivers then look their devices up in the table. The
 * firmware (SeaBIOS) has already given every BAR an address and routed
 * every INTx pin to an 8259 IRQ (the interrupt line register), so we only
 * read them. Memory BARs of devices lie outside RAM, hence outside the
 * direct map: pci_map_bar() maps them, uncached, into a window of its own
 * (PCI_MMIO_BASE in mm/layout.h):
 *
 *   0xffffffff40000000  PCI MMIO window (1 GiB, just below the kernel image,
 *                       in the PML4 entry every address space shares)
 *
 * This file knows nothing about any one device; drivers/virtio*.c do.
 */
#include "drivers/pci.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/vsprintf.h"
#include "kernel/x86.h"
#include "mm/kas.h"
#include "mm/layout.h"

#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA    0xcfc

static struct pci_dev devices[PCI_MAX_DEVICES];
static unsigned ndevices;
static vaddr_t mmio_next = PCI_MMIO_BASE;

/* Selects a register; the caller keeps interrupts off until it used 0xcfc. */
static void
select_register(const struct pci_dev *pdev, unsigned off)
{
	outl(PCI_CONFIG_ADDRESS, 0x80000000u | (uint32_t)pdev->bus << 16 |
	     (uint32_t)pdev->dev << 11 | (uint32_t)pdev->fn << 8 | (off & 0xfc));
}

/*
 * Configuration reads and writes of one function; off is a byte offset
 * (naturally aligned for its size). A function that does not exist reads
 * as all ones. Any interrupt state: the address/data pair is used with
 * interrupts off, so an interrupt handler cannot move the address between.
 */
uint32_t
pci_config_read32(const struct pci_dev *pdev, unsigned off)
{
	uint64_t flags = irq_save();
	uint32_t v;

	select_register(pdev, off);
	v = inl(PCI_CONFIG_DATA);
	irq_restore(flags);
	return v;
}

uint16_t
pci_config_read16(const struct pci_dev *pdev, unsigned off)
{
	return (uint16_t)(pci_config_read32(pdev, off) >> ((off & 2) * 8));
}

uint8_t
pci_config_read8(const struct pci_dev *pdev, unsigned off)
{
	return (uint8_t)(pci_config_read32(pdev, off) >> ((off & 3) * 8));
}

void
pci_config_write32(const struct pci_dev *pdev, unsigned off, uint32_t val)
{
	uint64_t flags = irq_save();

	select_register(pdev, off);
	outl(PCI_CONFIG_DATA, val);
	irq_restore(flags);
}

/* A 16-bit write touches only its own two bytes (no read-modify-write,
 * which could clear write-one-to-clear bits of the status register). */
void
pci_config_write16(const struct pci_dev *pdev, unsigned off, uint16_t val)
{
	uint64_t flags = irq_save();

	select_register(pdev, off);
	outw((uint16_t)(PCI_CONFIG_DATA + (off & 2)), val);
	irq_restore(flags);
}

struct id_name {
	uint16_t vendor, device;
	const char *name;
};

static const struct id_name id_names[] = {
	{ 0x1af4, 0x1000, "virtio-net" },
	{ 0x1af4, 0x1001, "virtio-blk" },
	{ 0x1af4, 0x1042, "virtio-blk" },
	{ 0x8086, 0x1237, "host bridge" },
	{ 0x8086, 0x7000, "ISA bridge" },
	{ 0x8086, 0x7010, "IDE" },
	{ 0x8086, 0x7113, "ACPI" },
	{ 0x8086, 0x100e, "e1000" },
	{ 0x1234, 0x1111, "VGA" },
};

/* A short name for known vendor:device pairs, else "". */
const char *
pci_name(const struct pci_dev *pdev)
{
	for (unsigned i = 0; i < ARRAY_SIZE(id_names); i++)
		if (id_names[i].vendor == pdev->vendor && id_names[i].device == pdev->device)
			return id_names[i].name;
	return "";
}

/* Reads the header of bus:dev.fn into the table; false if nothing answers. */
static bool
probe_function(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t *header_type)
{
	struct pci_dev probe = { .bus = bus, .dev = dev, .fn = fn }, *d;
	uint32_t id = pci_config_read32(&probe, PCI_VENDOR_ID);
	uint32_t class;

	if ((id & 0xffff) == 0xffff)
		return false;
	*header_type = pci_config_read8(&probe, PCI_HEADER_TYPE);
	if (ndevices == PCI_MAX_DEVICES) {
		pr_warn("pci: %02x:%02x.%u: table full; ignored\n", bus, dev, fn);
		return true;
	}
	d = &devices[ndevices++];
	*d = probe;
	class = pci_config_read32(d, 0x08);
	d->vendor = (uint16_t)id;
	d->device = (uint16_t)(id >> 16);
	d->class = (uint8_t)(class >> 24);
	d->subclass = (uint8_t)(class >> 16);
	d->prog_if = (uint8_t)(class >> 8);
	d->header_type = *header_type & 0x7f;
	d->irq_pin = pci_config_read8(d, PCI_INTERRUPT_PIN);
	d->irq_line = d->irq_pin ? pci_config_read8(d, PCI_INTERRUPT_LINE) : 0xff;
	return true;
}

/*
 * Scans buses 0-255 (a brute-force scan: simpler than following bridges,
 * and fast enough since an empty slot answers 0xffff at once), and prints
 * one line per function found.
 */
void
pci_init(void)
{
	for (unsigned bus = 0; bus < 256; bus++) {
		for (uint8_t dev = 0; dev < 32; dev++) {
			uint8_t header_type;
			if (!probe_function((uint8_t)bus, dev, 0, &header_type))
				continue;
			/* Functions 1-7 exist only on multi-function devices. */
			if (!(header_type & 0x80))
				continue;
			for (uint8_t fn = 1; fn < 8; fn++)
				probe_function((uint8_t)bus, dev, fn, &header_type);
		}
	}
	for (unsigned i = 0; i < ndevices; i++) {
		const struct pci_dev *d = &devices[i];
		char irq[12] = "";
		if (d->irq_pin && d->irq_line < 16)
			snprintf(irq, sizeof(irq), " irq %u", d->irq_line);
		pr_info("pci: %02x:%02x.%u %04x:%04x class %02x.%02x %s%s\n", d->bus, d->dev, d->fn,
			d->vendor, d->device, d->class, d->subclass, pci_name(d), irq);
	}
}

/* The index-th function (from 0, in bus order) with these ids, or NULL. */
struct pci_dev *
pci_find(uint16_t vendor, uint16_t device, unsigned index)
{
	for (unsigned i = 0; i < ndevices; i++)
		if (devices[i].vendor == vendor && devices[i].device == device && index-- == 0)
			return &devices[i];
	return NULL;
}

/* Calls fn for every function found, in bus order. */
void
pci_for_each(void (*fn)(struct pci_dev *pdev, void *arg), void *arg)
{
	for (unsigned i = 0; i < ndevices; i++)
		fn(&devices[i], arg);
}

/*
 * Decodes BAR n (0-5) of a type 0 header. The size comes from writing
 * all-ones and reading back which address bits stick; decoding is off
 * meanwhile so the device never answers at the bogus address. Returns 0,
 * or -EINVAL (no such BAR, or the upper half of a 64-bit one).
 */
int
pci_bar(const struct pci_dev *pdev, unsigned n, struct pci_bar *bar)
{
	unsigned off = PCI_BAR0 + 4 * n;
	uint16_t cmd;
	uint32_t lo, lo_mask, hi = 0, hi_mask = 0;
	uint64_t mask;

	*bar = (struct pci_bar){ 0 };
	if (pdev->header_type != 0 || n > 5)
		return -EINVAL;
	/* Walk from BAR0: a 64-bit memory BAR takes two slots. */
	for (unsigned i = 0; i < n; i++)
		if ((pci_config_read32(pdev, PCI_BAR0 + 4 * i) & 7) == 4 && ++i == n)
			return -EINVAL;
	cmd = pci_config_read16(pdev, PCI_COMMAND);
	pci_config_write16(pdev, PCI_COMMAND, cmd & (uint16_t)~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	lo = pci_config_read32(pdev, off);
	pci_config_write32(pdev, off, 0xffffffff);
	lo_mask = pci_config_read32(pdev, off);
	pci_config_write32(pdev, off, lo);
	bar->io = lo & 1;
	bar->is64 = !bar->io && ((lo >> 1) & 3) == 2;
	if (bar->is64 && n < 5) {
		hi = pci_config_read32(pdev, off + 4);
		pci_config_write32(pdev, off + 4, 0xffffffff);
		hi_mask = pci_config_read32(pdev, off + 4);
		pci_config_write32(pdev, off + 4, hi);
	}
	pci_config_write16(pdev, PCI_COMMAND, cmd);

	if (bar->io) {
		bar->base = lo & ~3u;
		mask = (lo_mask & ~3u) | 0xffff0000u;     /* I/O BARs may leave the top 16 bits 0 */
		bar->size = lo_mask ? (uint32_t)~mask + 1 : 0;
	} else {
		bar->prefetchable = lo & 8;
		bar->base = ((uint64_t)hi << 32) | (lo & ~0xfu);
		mask = ((uint64_t)(bar->is64 ? hi_mask : 0xffffffff) << 32) | (lo_mask & ~0xfu);
		bar->size = (lo_mask & ~0xfu) ? ~mask + 1 : 0;
	}
	return 0;
}

/*
 * Maps memory BAR n into the PCI window, uncached, once per call (a
 * driver maps each BAR it uses once, at probe time). Returns the virtual
 * address of the BAR's first byte, or NULL (an I/O or empty BAR, window
 * full, or no memory for page tables).
 */
volatile void *
pci_map_bar(const struct pci_dev *pdev, unsigned n)
{
	struct pci_bar bar;
	paddr_t pa;
	size_t len;
	vaddr_t va;

	if (pci_bar(pdev, n, &bar) || bar.io || bar.size == 0)
		return NULL;
	pa = ALIGN_DOWN(bar.base, PAGE_SIZE);
	len = ALIGN_UP(bar.base + bar.size, PAGE_SIZE) - pa;
	if (len > PCI_MMIO_BASE + PCI_MMIO_SIZE - mmio_next)
		return NULL;
	va = mmio_next;
	if (vmm_map_range(kernel_pml4, va, pa, len, VMM_READ | VMM_WRITE | VMM_GLOBAL | VMM_NOCACHE))
		return NULL;
	mmio_next += len;
	return (volatile void *)(va + (bar.base - pa));
}

/* Lets the function answer memory and I/O accesses and do DMA. */
void
pci_enable_bus_master(const struct pci_dev *pdev)
{
	uint16_t cmd = pci_config_read16(pdev, PCI_COMMAND);

	cmd |= PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	cmd &= (uint16_t)~PCI_COMMAND_INTX_OFF;     /* we use INTx, not MSI */
	pci_config_write16(pdev, PCI_COMMAND, cmd);
}

/*
 * Walks the capability list: returns the config-space offset of the
 * first capability with this id after offset after (0: from the start),
 * or 0 when there is none. Vendor capabilities (virtio has several) are
 * found by calling again with the last offset.
 */
unsigned
pci_find_capability(const struct pci_dev *pdev, uint8_t id, unsigned after)
{
	unsigned off, guard = 0;

	if (!(pci_config_read16(pdev, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	off = after ? pci_config_read8(pdev, after + 1) : pci_config_read8(pdev, PCI_CAP_PTR);
	/* 48 capabilities at most fit in 256 bytes: a guard against a loop. */
	while (off >= 0x40 && guard++ < 48) {
		off &= 0xfc;
		if (pci_config_read8(pdev, off) == id)
			return off;
		off = pci_config_read8(pdev, off + 1);
	}
	return 0;
}
