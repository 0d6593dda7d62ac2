/*
 * drivers/ata_dma.c - bus-master IDE DMA: the controller, not the CPU,
 * moves a command's data between the drive and memory, and the drive
 * interrupts once, when the whole command is done. Follows "Programming
 * Interface for Bus Master IDE Controller" rev. 1.0 (SFF-8038i), the Intel
 * 82371AB (PIIX4) datasheet's Bus Master IDE registers (BMICx, BMISx,
 * BMIDTPx), and ATA/ATAPI-6's DMA protocol with READ DMA, WRITE DMA and
 * their EXT (48-bit) forms.
 *
 * Owns: finding the PCI IDE controller and its bus-master registers, the
 * PRD tables (one per channel), issuing a DMA command and handling its
 * interrupt. Must not: touch the request queue or complete requests
 * (ata.c does, from the ata_step we return), move data itself (ata_pio.c
 * does that), or hand the engine memory it cannot address: ata.c asks
 * ata_dma_can_map() first and sends such requests by PIO.
 *
 * The controller (QEMU: the PIIX3 at PCI 00:01.1, class 01.01) decodes 16
 * I/O ports at BAR4, 8 per channel (primary at +0, secondary at +8):
 *
 *   +0  command (BMICx)  bit 0 start/stop, bit 3 direction (1: the engine
 *                        writes memory, i.e. a disk read)
 *   +2  status (BMISx)   bit 0 active, bit 1 error, bit 2 interrupt (bits 1
 *                        and 2: write 1 to clear), bits 5/6 drive 0/1 is
 *                        set up for DMA (ours to set), bit 7 simplex
 *   +4  PRD table (BMIDTPx): its physical address, 4-byte aligned
 *
 * A PRD (physical region descriptor) names one piece of memory:
 *
 *    31 30           16 15             0
 *   +------------------------------------+
 *   | physical address (bit 0 zero)      |   bytes 0-3
 *   +---+---------------+----------------+
 *   |EOT|   reserved    | byte count     |   bytes 4-7: count 0 means 64 KiB;
 *   +---+---------------+----------------+   EOT: the table's last entry
 *
 * Neither a table nor a region may cross a 64 KiB boundary, and the engine
 * has 32-bit addresses only. Our regions are the request's segments
 * (never across a page, hence never across 64 KiB; ata_dma_can_map()
 * checks the rest); each table is 256 bytes aligned to 256 in the
 * kernel image, which is loaded at 1 MiB.
 *
 * One command:
 *
 *   ata_dma_issue():  stop the engine, PRD table address, direction,
 *                     clear status -> drive, registers, READ/WRITE DMA
 *                     -> start the engine
 *      ... the controller moves every sector; the CPU runs other tasks ...
 *   ata_dma_irq():    read BM status, stop the engine, read the ATA status
 *                     (acknowledges), clear BM status; ERR, DF or the BM
 *                     error bit: -EIO
 *
 * Real PIIX hardware also wants its timing registers and the drive's
 * transfer mode (SET FEATURES 03h) set for DMA; QEMU needs neither, and
 * we leave both as the firmware set them.
 */
#include "drivers/ata_internal.h"
#include "drivers/pci.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/x86.h"
#include "mm/kas.h"
#include "mm/layout.h"

#define ATA_CMD_READ_DMA        0xc8
#define ATA_CMD_READ_DMA_EXT    0x25
#define ATA_CMD_WRITE_DMA       0xca
#define ATA_CMD_WRITE_DMA_EXT   0x35

/* The data command for [EXT?][write?]. */
static const uint8_t dma_commands[2][2] = {
	{ ATA_CMD_READ_DMA, ATA_CMD_WRITE_DMA },
	{ ATA_CMD_READ_DMA_EXT, ATA_CMD_WRITE_DMA_EXT },
};

/* Bus-master registers, as offsets from a channel's bmide. */
#define BM_COMMAND        0
#define BM_STATUS         2
#define BM_PRD_TABLE      4

#define BM_CMD_START      0x01
#define BM_CMD_READ       0x08     /* the engine writes memory: a disk read */

#define BM_ST_ACTIVE      0x01
#define BM_ST_ERROR       0x02
#define BM_ST_INTR        0x04
#define BM_ST_DRIVE0_DMA  0x20
#define BM_ST_SIMPLEX     0x80

/* PCI programming interface of a class 01.01 IDE controller. */
#define PROG_IF_PRIMARY_NATIVE    0x01
#define PROG_IF_SECONDARY_NATIVE  0x04
#define PROG_IF_BUS_MASTER        0x80

#define DMA_LIMIT   (1ULL << 32)   /* the engine's addresses are 32 bits */
#define DMA_BOUNDARY 0x10000       /* no region may cross a 64 KiB line */

struct ata_prd {
	uint32_t addr;
	uint16_t count;                /* bytes; 0 means 64 KiB */
	uint16_t flags;
};
#define PRD_EOT  0x8000

_Static_assert(sizeof(struct ata_prd) == 8, "a PRD is 8 bytes");

/*
 * One table per channel, as long as the longest command can need: each
 * segment of a request is at most one entry. 256 bytes aligned to 256
 * cannot cross 64 KiB.
 */
#define PRD_ENTRIES  BLK_MAX_SEGS
static struct ata_prd prd_tables[2][PRD_ENTRIES] __aligned(256);
_Static_assert(sizeof(prd_tables[0]) == 256, "one PRD table is 256 bytes");

/* Keeps the compiler from moving PRD stores past the port write that starts the engine. */
#define barrier() __asm__ volatile("" ::: "memory")

/* pci_for_each() callback: the first mass-storage IDE function (class 01.01). */
static void
find_ide(struct pci_dev *pdev, void *arg)
{
	struct pci_dev **found = arg;

	if (!*found && pdev->class == 0x01 && pdev->subclass == 0x01)
		*found = pdev;
}

/*
 * Finds the PCI IDE controller and, if it is a bus master, enables bus
 * mastering and gives each channel in compatibility mode (the legacy
 * ports ata.c uses) its registers and PRD table. A channel left without
 * uses PIO. One log line says which.
 */
void
ata_dma_init(struct ata_channel channels[2])
{
	struct pci_dev *pdev = NULL;
	struct pci_bar bar;
	int nchannels = 0;

	pci_for_each(find_ide, &pdev);
	if (!pdev) {
		pr_info("ata: no PCI IDE controller: PIO only\n");
		return;
	}
	if (!(pdev->prog_if & PROG_IF_BUS_MASTER) || pci_bar(pdev, 4, &bar) != 0 ||
	    !bar.io || bar.base == 0 || bar.size < 16) {
		pr_info("ata: %02x:%02x.%u is no bus master: PIO only\n",
			pdev->bus, pdev->dev, pdev->fn);
		return;
	}
	if (!kas_dma_reachable(prd_tables, sizeof(prd_tables), DMA_LIMIT)) {
		/* Not expected: the image is loaded at 1 MiB. */
		pr_warn("ata: PRD tables above 4 GiB: PIO only\n");
		return;
	}
	pci_enable_bus_master(pdev);
	for (int c = 0; c < 2; c++) {
		struct ata_channel *ch = &channels[c];
		uint8_t native = c == 0 ? PROG_IF_PRIMARY_NATIVE : PROG_IF_SECONDARY_NATIVE;

		/* A native-mode channel's registers are not at the legacy ports we probe. */
		if (pdev->prog_if & native)
			continue;
		/* Simplex: only one channel may use the engine; give it to the first. */
		if (c == 1 && (inb((uint16_t)bar.base + BM_STATUS) & BM_ST_SIMPLEX) && nchannels)
			continue;
		ch->bmide = (uint16_t)(bar.base + 8 * c);
		ch->prd = prd_tables[c];
		ata_dma_stop(ch);
		nchannels++;
	}
	pr_info("ata: %02x:%02x.%u %04x:%04x: bus master at %#lx, DMA on %d channel%s\n",
		pdev->bus, pdev->dev, pdev->fn, pdev->vendor, pdev->device, bar.base,
		nchannels, nchannels == 1 ? "" : "s");
}

/* Marks d as set up for DMA in its channel's status register (bit 5
 * or 6): the firmware and the OS keep that note there for each other. */
void
ata_dma_enable_drive(struct ata_drive *d)
{
	uint16_t port = d->chan->bmide + BM_STATUS;
	uint8_t drives = inb(port) & (BM_ST_DRIVE0_DMA | BM_ST_DRIVE0_DMA << 1);

	/* Writing 0 to the interrupt and error bits leaves them alone. */
	outb(port, drives | (uint8_t)(BM_ST_DRIVE0_DMA << d->slave));
}

/*
 * Whether the bus master can move req's data: every segment in memory
 * with a physical address, even, below 4 GiB and not across a 64 KiB
 * line (a segment stays in one page, so that last rule holds anyway).
 * Any context.
 */
bool
ata_dma_can_map(const struct blk_request *req)
{
	for (uint32_t i = 0; i < req->nsegs; i++) {
		paddr_t pa = virt_to_phys(req->segs[i].buf);
		uint32_t len = req->segs[i].len;

		if (!kas_dma_reachable(req->segs[i].buf, len, DMA_LIMIT) || (pa & 1) ||
		    (pa & (DMA_BOUNDARY - 1)) + len > DMA_BOUNDARY)
			return false;
	}
	return true;
}

/*
 * Describes the next count sectors of the active request, from (ch->seg,
 * ch->seg_off), in the channel's PRD table: one entry per segment or
 * piece of one (a command may start or end inside a segment), the last
 * marked EOT. Moves (seg, seg_off) past them.
 */
static void
fill_prd_table(struct ata_channel *ch, uint32_t count)
{
	const struct blk_request *req = ch->active;
	uint32_t bytes = count * SECTOR_SIZE, i = 0;

	while (bytes > 0) {
		const struct blk_segment *s = &req->segs[ch->seg];
		uint32_t len = MIN(bytes, s->len - ch->seg_off);

		ASSERT(i < PRD_ENTRIES);
		ch->prd[i].addr = (uint32_t)virt_to_phys((uint8_t *)s->buf + ch->seg_off);
		ch->prd[i].count = (uint16_t)len;      /* at most a page: never 0 */
		ch->prd[i].flags = 0;
		i++;
		bytes -= len;
		ch->seg_off += len;
		if (ch->seg_off == s->len) {
			ch->seg++;
			ch->seg_off = 0;
		}
	}
	ch->prd[i - 1].flags = PRD_EOT;
}

/* Stops the channel's engine and clears its interrupt and error bits. */
void
ata_dma_stop(struct ata_channel *ch)
{
	outb(ch->bmide + BM_COMMAND, 0);
	outb(ch->bmide + BM_STATUS, inb(ch->bmide + BM_STATUS) | BM_ST_INTR | BM_ST_ERROR);
}

/*
 * Sends a READ or WRITE DMA command for the next count sectors of the
 * active request (ext: the EXT form) and starts the engine. The engine
 * is loaded before the command and started after it, as SFF-8038i
 * orders. Returns 0, or -EIO if the drive will not take the command.
 */
int
ata_dma_issue(struct ata_channel *ch, uint32_t count, bool ext)
{
	bool write = ch->active->op == BLK_WRITE;
	uint8_t dir = write ? 0 : BM_CMD_READ;

	fill_prd_table(ch, count);
	ata_dma_stop(ch);
	outl(ch->bmide + BM_PRD_TABLE, (uint32_t)virt_to_phys(ch->prd));
	outb(ch->bmide + BM_COMMAND, dir);
	if (ata_send_command(ch, count, ext, dma_commands[ext][write]) != 0)
		return -EIO;
	ch->stats.dma_commands++;
	barrier();
	outb(ch->bmide + BM_COMMAND, dir | BM_CMD_START);
	return 0;
}

/*
 * A DMA command's interrupt: the drive has finished (or failed) the
 * whole command. Stops the engine, acknowledges the drive, and says how
 * the command ended. Interrupts off.
 */
enum ata_step
ata_dma_irq(struct ata_channel *ch)
{
	uint8_t bm = inb(ch->bmide + BM_STATUS);
	int st;

	/* Stop the engine before the drive is acknowledged, as SFF-8038i orders. */
	outb(ch->bmide + BM_COMMAND, 0);
	st = ata_ack_status(ch);
	outb(ch->bmide + BM_STATUS, bm | BM_ST_INTR | BM_ST_ERROR);
	if (st < 0)
		return ATA_STEP_RESET;
	if (st & (ATA_SR_ERR | ATA_SR_DF))
		return ata_error_step((uint8_t)st);
	/*
	 * The engine failed on the PCI bus, or still had regions to move
	 * when the drive said "done" (our table and the command disagree),
	 * or the drive still wants data: the data is in doubt.
	 */
	if ((bm & (BM_ST_ERROR | BM_ST_ACTIVE)) || (st & ATA_SR_DRQ))
		return ATA_STEP_RESET;
	ch->lba += ch->cmd_left;
	ch->left -= ch->cmd_left;
	ch->cmd_left = 0;
	return ATA_STEP_DONE;
}
