/*
 * drivers/ata.c - ATA (IDE) hard disks on the two legacy channels: finding
 * them, queueing their requests, and their interrupts. Follows
 * ATA/ATAPI-6: IDENTIFY DEVICE, the command block registers, the device
 * control register (nIEN, SRST). How data moves is in two other files:
 * ata_dma.c (bus-master DMA, the default) and ata_pio.c (PIO, the CPU
 * through the data port); drivers/ata_internal.h is what they share.
 *
 * Owns: probing the four drive positions, choosing each drive's mode,
 * the per-channel request queues, the interrupt handlers of IRQ 14 and
 * 15, flushing the write cache, the public API of drivers/ata.h (but for
 * the knobs tests turn: ata_knobs.c, and the PIO block size in
 * ata_pio.c). Must not: know about partitions, file systems or swap
 * (the block layer above it does), move data itself (ata_dma.c and
 * ata_pio.c do), or sleep (the submitter sleeps in blk_rw(); we only
 * queue and interrupt).
 *
 *   channel    command block   control block   IRQ   master  slave
 *   primary    0x1f0-0x1f7     0x3f6           14    hda     hdb
 *   secondary  0x170-0x177     0x376           15    hdc     hdd
 *
 * A request's life (interrupts off is our lock; there is one CPU):
 *
 *   ata_submit() --queue--> start_next() --issue_command()--> the drive
 *        ^                  (DMA or PIO?)  ata_dma_issue() / ata_pio_issue()
 *        |                                        |
 *   blk_complete() <--finish()<-- ata_irq(): ata_dma_irq() / ata_pio_irq()
 *                                  say how the command stands; then
 *                                  maybe the request's next command
 *
 * A request moves by DMA when its drive is in DMA mode and the bus master
 * can reach all of its memory (ata_dma_can_map()), by PIO otherwise. A
 * DMA command costs one interrupt; a PIO command one per DRQ block of up
 * to 16 sectors.
 *
 * Two drives share a channel's registers and its IRQ, so a channel has
 * one request on the wire at a time, and the device register is written
 * (and 400 ns allowed to pass) whenever the other drive is next.
 */
#include "drivers/ata_internal.h"
#include "drivers/pic.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "kernel/x86.h"

#define ATA_CMD_IDENTIFY  0xec
#define ATA_CMD_FLUSH     0xe7   /* FLUSH CACHE: no data, one interrupt when the cache is written */

#define ATA_LBA28_LIMIT  (1UL << 28)   /* sectors an LBA28 command can reach */
#define ATA_MAX_LBA28    256           /* sectors per command (count 0 means 256) */
#define ATA_MAX_LBA48    65536         /* ... for the EXT commands (count 0 means 65536) */

static struct ata_channel channels[2] = {
	{ .name = "primary", .base = 0x1f0, .ctl = 0x3f6, .irq = 14 },
	{ .name = "secondary", .base = 0x170, .ctl = 0x376, .irq = 15 },
};

/* hda hdb hdc hdd: the position decides the name, as in Linux. */
static struct ata_drive drives[4];

static int ata_submit(struct blk_device *disk, struct blk_request *req);

static const struct blk_ops ata_ops = { .submit = ata_submit };

/* Reading the alternate status four times takes the 400 ns the drive
 * needs before its status means anything (after a select or a command). */
void
ata_delay_400ns(struct ata_channel *ch)
{
	for (int i = 0; i < 4; i++)
		(void)inb(ch->ctl);
}

/*
 * Polls the alternate status until (status & mask) == want, or until
 * the drive, no longer busy, reports ERR or DF. Returns the status, or
 * -1 after limit reads.
 */
int
ata_poll_status(struct ata_channel *ch, uint8_t mask, uint8_t want, long limit)
{
	for (long i = 0; i < limit; i++) {
		uint8_t st = inb(ch->ctl);
		if (!(st & ATA_SR_BSY) && (st & (ATA_SR_ERR | ATA_SR_DF)))
			return st;
		if ((st & mask) == want)
			return st;
		pause();
	}
	return -1;
}

/*
 * Makes d the drive the channel's registers talk to; head holds LBA
 * bits 24-27 for an LBA28 command. Returns 0 when the drive is ready
 * for a command, -EIO if it stays busy.
 */
int
ata_select_drive(struct ata_drive *d, uint8_t head)
{
	struct ata_channel *ch = d->chan;

	/* The device register may only change while the current drive is idle. */
	if (ata_poll_status(ch, ATA_SR_BSY | ATA_SR_DRQ, 0, ATA_POLL_SHORT) < 0)
		return -EIO;
	outb(ch->base + ATA_REG_DEVICE, ATA_DEV_BASE | ATA_DEV_LBA |
	     (d->slave ? ATA_DEV_SLAVE : 0) | head);
	if (ch->selected != d->slave) {
		ata_delay_400ns(ch);
		ch->selected = d->slave;
	}
	if (ata_poll_status(ch, ATA_SR_BSY | ATA_SR_DRDY, ATA_SR_DRDY, ATA_POLL_SHORT) < 0)
		return -EIO;
	return 0;
}

/*
 * Sends a data command for count sectors from ch->lba to the active
 * request's drive: selects it, fills the registers (LBA28, or with ext
 * the 48-bit form) and writes cmd. Returns 0, or -EIO if the drive is
 * not ready for it.
 */
int
ata_send_command(struct ata_channel *ch, uint32_t count, bool ext, uint8_t cmd)
{
	struct ata_drive *d = ch->active->dev->disk->driver_data;
	uint16_t b = ch->base;
	uint64_t lba = ch->lba;

	if (ata_select_drive(d, ext ? 0 : (uint8_t)((lba >> 24) & 0x0f)) != 0)
		return -EIO;
	if (ext) {
		/* Each register is a two-deep FIFO: high bytes first. */
		outb(b + ATA_REG_COUNT, (uint8_t)(count >> 8));    /* 65536 -> 0 */
		outb(b + ATA_REG_LBA0, (uint8_t)(lba >> 24));
		outb(b + ATA_REG_LBA1, (uint8_t)(lba >> 32));
		outb(b + ATA_REG_LBA2, (uint8_t)(lba >> 40));
		ch->stats.lba48_commands++;
	}
	outb(b + ATA_REG_COUNT, (uint8_t)count);                    /* 256 -> 0 */
	outb(b + ATA_REG_LBA0, (uint8_t)lba);
	outb(b + ATA_REG_LBA1, (uint8_t)(lba >> 8));
	outb(b + ATA_REG_LBA2, (uint8_t)(lba >> 16));
	outb(b + ATA_REG_COMMAND, cmd);
	ch->cmd_left = count;
	ch->stats.commands++;
	return 0;
}

/*
 * Reads the status register, which acknowledges the drive's interrupt,
 * and waits out BSY (not expected: the drive interrupts when it is
 * done, but nothing may spin forever). Returns the status, or -1 if the
 * drive stays busy.
 */
int
ata_ack_status(struct ata_channel *ch)
{
	int st = inb(ch->base + ATA_REG_STATUS);

	if (st & ATA_SR_BSY)
		st = ata_poll_status(ch, ATA_SR_BSY, 0, ATA_POLL_SHORT);
	return st;
}

/* For a status with ERR or DF: ERR ends the command cleanly, while a
 * device fault, or DRQ still up, leaves the drive in doubt. */
enum ata_step
ata_error_step(uint8_t status)
{
	return (status & (ATA_SR_DF | ATA_SR_DRQ)) ? ATA_STEP_RESET : ATA_STEP_ERROR;
}

/*
 * Resets both drives of the channel (SRST), for when we no longer know
 * what state the drive is in: it stayed busy, or asked for data at the
 * wrong time, or reported a device fault. Interrupts are enabled again
 * at the end.
 */
static void
reset_channel(struct ata_channel *ch)
{
	if (ch->bmide)
		ata_dma_stop(ch);           /* the engine must not run on into a new command */
	outb(ch->ctl, ATA_CTL_SRST | ATA_CTL_NIEN);
	for (int i = 0; i < 20; i++)       /* SRST must stay set for 5 us */
		ata_delay_400ns(ch);
	outb(ch->ctl, ATA_CTL_NIEN);
	ata_delay_400ns(ch);
	if (ata_poll_status(ch, ATA_SR_BSY, 0, ATA_POLL_LONG) < 0)
		pr_err("ata: %s channel: still busy after a reset\n", ch->name);
	(void)inb(ch->base + ATA_REG_STATUS);   /* drop an interrupt the reset raised */
	ch->selected = -1;
	ch->stats.resets++;
	/* A reset may put a drive's block size back to its default: set ours again. */
	for (int i = 0; i < 4; i++) {
		struct ata_drive *d = &drives[i];
		if (d->chan == ch && d->blk.ops && d->multiple > 1 &&
		    ata_pio_set_multiple(d, d->multiple) != 0)
			pr_warn("ata: %s: SET MULTIPLE refused after a reset; one sector "
				"per interrupt from now on\n", d->blk.name);
	}
	outb(ch->ctl, 0);
}

/*
 * Sends the next command of the active request: as many sectors as one
 * command allows, LBA28 when it can reach them (fewer port writes), the
 * EXT form otherwise; by DMA or by PIO as start_next() chose for the
 * request. Returns 0, or -EIO if the drive will not take it.
 */
static int
issue_command(struct ata_channel *ch)
{
	struct ata_drive *d = ch->active->dev->disk->driver_data;
	uint32_t limit = d->lba48 ? ATA_MAX_LBA48 : ATA_MAX_LBA28;
	uint32_t n = MIN(ch->left, d->max_sectors ? MIN(d->max_sectors, limit) : limit);
	bool ext = d->always_lba48 || ch->lba + n > ATA_LBA28_LIMIT || n > ATA_MAX_LBA28;

	if (ch->active->op == BLK_FLUSH)
		return ata_send_command(ch, 0, false, ATA_CMD_FLUSH);
	if (ext && !d->lba48)
		return -EIO;          /* cannot happen: such a disk is < 2^28 sectors */
	return ch->dma ? ata_dma_issue(ch, n, ext) : ata_pio_issue(ch, n, ext);
}

static void start_next(struct ata_channel *ch);

/*
 * Ends the active request with status (0 or -EIO) and starts the next
 * one. With reset, the drive's state is unknown and the channel is
 * reset first. Interrupts off.
 */
static void
finish(struct ata_channel *ch, int status, bool reset)
{
	struct blk_request *req = ch->active;

	ch->active = NULL;
	if (status) {
		ch->stats.errors++;
		if (reset)
			reset_channel(ch);
	}
	blk_complete(req, status);    /* may submit more: it just queues */
	start_next(ch);
}

/*
 * Whether req moves by DMA: its drive must be in DMA mode, and every
 * segment within the bus master's reach. A request that is not goes by
 * PIO, which reaches all memory, and is counted.
 */
static bool
use_dma(struct ata_channel *ch, const struct blk_request *req)
{
	struct ata_drive *d = req->dev->disk->driver_data;

	if (d->mode != ATA_MODE_DMA)
		return false;
	if (ata_dma_can_map(req))
		return true;
	ch->stats.pio_fallbacks++;
	return false;
}

/* If the channel is idle, starts the oldest waiting request. Interrupts off. */
static void
start_next(struct ata_channel *ch)
{
	while (!ch->active && !list_empty(&ch->queue)) {
		struct blk_request *req = list_first_entry(&ch->queue, struct blk_request, queue);

		list_del(&req->queue);
		ch->active = req;
		ch->dma = req->op != BLK_FLUSH && use_dma(ch, req);
		ch->seg = ch->seg_off = 0;
		ch->lba = req->disk_sector;
		ch->left = req->nsectors;
		ch->cmd_left = 0;
		if (issue_command(ch) == 0)
			return;
		finish(ch, -EIO, true);
	}
}

/*
 * blk_ops.submit: queues req on its drive's channel and starts it if the
 * channel is idle. Any interrupt state. Always returns 0: failures are
 * reported through blk_complete(), possibly before we return.
 */
static int
ata_submit(struct blk_device *disk, struct blk_request *req)
{
	struct ata_drive *d = disk->driver_data;
	struct ata_channel *ch = d->chan;
	uint64_t flags = irq_save();

	if (req->op == BLK_FLUSH && !d->write_cache)
		blk_complete(req, 0);         /* nothing cached: nothing to flush */
	else {
		list_add_tail(&req->queue, &ch->queue);
		start_next(ch);
	}
	irq_restore(flags);
	return 0;
}

/* The interrupt that ends FLUSH CACHE: the status says how it went. */
static enum ata_step
flush_irq(struct ata_channel *ch)
{
	int st = ata_ack_status(ch);

	if (st < 0)
		return ATA_STEP_RESET;
	if (st & (ATA_SR_ERR | ATA_SR_DF))
		return ata_error_step((uint8_t)st);
	return ATA_STEP_DONE;
}

/*
 * The interrupt of one channel: the command on the wire has moved a
 * block (PIO), is complete, or failed. The mode's handler acknowledges
 * it and says which; then the request ends or gets its next command.
 * Interrupts off.
 */
static void
ata_irq(struct ata_channel *ch)
{
	if (!ch->active) {
		(void)inb(ch->base + ATA_REG_STATUS);   /* acknowledge it all the same */
		ch->stats.spurious++;
		return;
	}
	ch->stats.interrupts++;
	switch (ch->active->op == BLK_FLUSH ? flush_irq(ch) : ch->dma ? ata_dma_irq(ch) :
		ata_pio_irq(ch)) {
	case ATA_STEP_WAIT:
		return;
	case ATA_STEP_ERROR:
		finish(ch, -EIO, false);
		return;
	case ATA_STEP_RESET:
		finish(ch, -EIO, true);
		return;
	case ATA_STEP_DONE:
		break;
	}
	if (ch->left == 0)
		finish(ch, 0, false);
	else if (issue_command(ch) != 0)
		finish(ch, -EIO, true);
}

static void ata_irq_primary(void) { ata_irq(&channels[0]); }
static void ata_irq_secondary(void) { ata_irq(&channels[1]); }

/* IDENTIFY strings hold two characters per word, the first in the high byte. */
static void
identify_string(char *dst, const uint16_t *words, int nwords)
{
	int n = 0;

	for (int i = 0; i < nwords; i++) {
		dst[n++] = (char)(words[i] >> 8);
		dst[n++] = (char)words[i];
	}
	while (n > 0 && (dst[n - 1] == ' ' || dst[n - 1] == '\0'))
		n--;
	dst[n] = '\0';
}

/*
 * The largest DRQ block READ/WRITE MULTIPLE may use, from IDENTIFY word
 * 47: bits 7-0 the most sectors per block, 0 for none (bits 15-8 read
 * 0x80 when the word is valid). We round down to a power of two, the
 * sizes every drive takes (QEMU refuses others). 1: no MULTIPLE.
 */
static uint32_t
max_multiple(const uint16_t *id)
{
	uint32_t max = id[47] & 0xff, count = 1;

	if ((id[47] >> 8) != 0x80)
		return 1;
	while (count * 2 <= max)
		count *= 2;
	return count;
}

enum probe_result { PROBE_ATA, PROBE_NONE, PROBE_ATAPI, PROBE_OTHER };

/*
 * Looks for a drive at d's position with IDENTIFY DEVICE, by polling
 * (the channel's nIEN is set meanwhile). An ATAPI device (a CD-ROM)
 * aborts IDENTIFY DEVICE and leaves its signature 0x14 0xeb in LBA 8-23.
 * Fills in d and returns PROBE_ATA for a usable hard disk.
 */
static enum probe_result
probe_drive(struct ata_drive *d)
{
	struct ata_channel *ch = d->chan;
	uint16_t b = ch->base, id[256];
	uint8_t st, mid, high;
	int r;

	outb(b + ATA_REG_DEVICE, ATA_DEV_BASE | (d->slave ? ATA_DEV_SLAVE : 0));
	ata_delay_400ns(ch);
	ch->selected = d->slave;
	st = inb(ch->ctl);
	if (st == 0xff || st == 0)     /* floating bus, or QEMU's "no such drive" */
		return PROBE_NONE;
	if (ata_poll_status(ch, ATA_SR_BSY, 0, ATA_POLL_LONG) < 0)
		return PROBE_NONE;
	outb(b + ATA_REG_COUNT, 0);
	outb(b + ATA_REG_LBA0, 0);
	outb(b + ATA_REG_LBA1, 0);
	outb(b + ATA_REG_LBA2, 0);
	outb(b + ATA_REG_COMMAND, ATA_CMD_IDENTIFY);
	ata_delay_400ns(ch);
	if (inb(ch->ctl) == 0)
		return PROBE_NONE;
	r = ata_poll_status(ch, ATA_SR_BSY | ATA_SR_DRQ, ATA_SR_DRQ, ATA_POLL_LONG);
	mid = inb(b + ATA_REG_LBA1);
	high = inb(b + ATA_REG_LBA2);
	(void)inb(b + ATA_REG_STATUS);           /* clear the pending interrupt */
	if (mid == 0x14 && high == 0xeb)
		return PROBE_ATAPI;
	if (r < 0 || (r & ATA_SR_ERR) || mid != 0 || high != 0)
		return PROBE_OTHER;                  /* SATA bridge signatures, dead drives */
	for (int i = 0; i < 256; i++)
		id[i] = inw(b + ATA_REG_DATA);

	if (!(id[49] & (1 << 9)))
		return PROBE_OTHER;                  /* CHS only: not worth supporting */
	identify_string(d->model, &id[27], 20);
	d->blk.nsectors = id[60] | (uint32_t)id[61] << 16;
	d->max_multiple = max_multiple(id);
	d->dma_capable = id[49] & (1 << 8);
	/* Words 83 and 85 are valid when 83's bit 14 is set and bit 15 clear;
	 * 83 bit 10: LBA48; 85 bit 5: the volatile write cache is on. */
	d->lba48 = (id[83] & 0xc000) == 0x4000 && (id[83] & (1 << 10));
	d->write_cache = (id[83] & 0xc000) == 0x4000 && (id[85] & (1 << 5));
	if (d->lba48) {
		uint64_t n = 0;
		for (int i = 3; i >= 0; i--)
			n = n << 16 | id[100 + i];
		if (n > d->blk.nsectors)
			d->blk.nsectors = n;
	}
	return d->blk.nsectors ? PROBE_ATA : PROBE_OTHER;
}

/*
 * Sets up a hard disk probe_drive() found: the biggest PIO block (fewest
 * interrupts, and what PIO requests use even in DMA mode), then DMA if
 * the channel has a bus master and the drive does DMA. One log line says
 * what it got.
 */
static void
setup_drive(struct ata_drive *d)
{
	struct ata_channel *ch = d->chan;
	char how[48];

	d->blk.ops = &ata_ops;
	d->blk.driver_data = d;
	if (ata_pio_set_multiple(d, d->max_multiple) != 0)
		pr_warn("ata: %s: SET MULTIPLE %u refused; using READ/WRITE SECTORS\n",
			d->blk.name, d->max_multiple);
	d->mode = ATA_MODE_PIO;
	if (ch->bmide && d->dma_capable) {
		ata_dma_enable_drive(d);
		d->mode = ATA_MODE_DMA;
	}
	if (d->mode == ATA_MODE_DMA)
		snprintf(how, sizeof(how), "DMA (bus master at %#x)", ch->bmide);
	else
		snprintf(how, sizeof(how), "PIO, %u sector%s per interrupt", d->multiple,
			 d->multiple > 1 ? "s" : "");
	pr_info("ata: %s: %s, %lu sectors (%lu MiB), %s, %s%s\n", d->blk.name, d->model,
		d->blk.nsectors, d->blk.nsectors >> 11, d->lba48 ? "LBA48" : "LBA28", how,
		d->write_cache ? ", write cache" : "");
}

/*
 * Finds the hard disks on both legacy channels and registers them with
 * the block layer (which reads their partition tables, so interrupts
 * must be on). A channel with no hard disk keeps its interrupts masked.
 * The kernel argument ata=pio leaves the bus master alone: every drive
 * uses PIO.
 */
void
ata_init(void)
{
	const char *arg = karg_get("ata");
	int found = 0;

	if (arg && strcmp(arg, "pio") != 0 && strcmp(arg, "dma") != 0)
		pr_warn("ata: ata=%s: not pio or dma; ignored\n", arg);
	if (arg && strcmp(arg, "pio") == 0)
		pr_info("ata: ata=pio: PIO only, the bus master is left alone\n");
	else
		ata_dma_init(channels);
	for (int c = 0; c < 2; c++) {
		struct ata_channel *ch = &channels[c];
		int here = 0;

		list_init(&ch->queue);
		ch->selected = -1;
		if (inb(ch->ctl) == 0xff)
			continue;                    /* nothing on the cable: the bus floats */
		outb(ch->ctl, ATA_CTL_NIEN);         /* probe by polling */
		for (int s = 0; s < 2; s++) {
			struct ata_drive *d = &drives[c * 2 + s];
			d->chan = ch;
			d->slave = s;
			snprintf(d->blk.name, sizeof(d->blk.name), "hd%c", 'a' + c * 2 + s);
			switch (probe_drive(d)) {
			case PROBE_ATA:
				setup_drive(d);
				here++;
				break;
			case PROBE_ATAPI:
				pr_debug("ata: %s: ATAPI device (CD-ROM?), not ours\n", d->blk.name);
				break;
			case PROBE_OTHER:
				pr_debug("ata: %s: unusable device, skipped\n", d->blk.name);
				break;
			case PROBE_NONE:
				break;
			}
		}
		if (!here)
			continue;                    /* leave nIEN set: nothing to interrupt for */
		irq_register(ch->irq, c == 0 ? ata_irq_primary : ata_irq_secondary);
		outb(ch->ctl, 0);                    /* nIEN clear: interrupts on */
		found += here;
	}
	for (int i = 0; i < 4; i++)
		if (drives[i].blk.ops)
			blk_register_disk(&drives[i].blk);
	if (!found)
		pr_info("ata: no IDE hard disks\n");
}

/* The driver's state for disk, or NULL if it is not an ATA disk. Any context. */
struct ata_drive *
ata_drive_of(const struct blk_device *disk)
{
	if (!disk || disk->disk != disk || disk->ops != &ata_ops)
		return NULL;
	return disk->driver_data;
}
