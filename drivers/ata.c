/*
 * drivers/ata.c - ATA (IDE) hard disks on the two legacy channels, by PIO,
 * one interrupt per block of up to 16 sectors. Follows ATA/ATAPI-6: the
 * PIO data-in and PIO data-out protocols, IDENTIFY DEVICE, SET MULTIPLE
 * MODE, READ/WRITE MULTIPLE and READ/WRITE SECTORS and their EXT (48-bit)
 * forms, the device control register (nIEN, SRST).
 *
 * Owns: probing the four drive positions, the per-channel request queues
 * and the interrupt handlers of IRQ 14 and 15. Must not: know about
 * partitions, file systems or swap (the block layer above it does), or
 * sleep (the submitter sleeps in blk_rw(); we only queue and interrupt).
 *
 *   channel    command block   control block   IRQ   master  slave
 *   primary    0x1f0-0x1f7     0x3f6           14    hda     hdb
 *   secondary  0x170-0x177     0x376           15    hdc     hdd
 *
 * Registers, as offsets from the command block (the control block's one
 * port reads as "alternate status", which does NOT acknowledge the
 * interrupt, and writes as "device control": nIEN, SRST):
 *
 *   0 data (16/32 bit)  1 error/features  2 sector count  3 LBA 0-7
 *   4 LBA 8-15          5 LBA 16-23       6 device        7 status/command
 *
 * A request's life (interrupts off is our lock; there is one CPU):
 *
 *   ata_submit() --queue--> start_next() --issue_command()--> the drive
 *        ^                                        |   (writes: first block
 *        |                                        |    goes out at once)
 *   blk_complete() <--finish()<-- ata_irq(): read status (acknowledges),
 *                                  move one block, maybe the next command
 *
 * The drive moves data in DRQ blocks: it raises DRQ, the host moves the
 * whole block through the data port, and only then does the drive go on.
 * READ/WRITE SECTORS use blocks of one sector. READ/WRITE MULTIPLE use
 * blocks of the size SET MULTIPLE MODE chose (at most IDENTIFY word 47
 * says; QEMU: 16 sectors); a command's last block is what is left. We
 * choose the largest size at probe, and fall back to SECTORS for a drive
 * that has no MULTIPLE or refuses the size. Reads: the drive interrupts
 * when a block is in its buffer. Writes: after the command, the drive
 * asks for the first block (DRQ) without an interrupt; each later
 * interrupt says "that block is written", and we hand over the next.
 * With 16-sector blocks:
 *
 *   read 40 sectors:   command | irq: in 16 | irq: in 16 | irq: in 8, done
 *   write 40 sectors:  command, out 16 | irq: out 16 | irq: out 8 | irq: done
 *
 * so a command of n sectors costs ceil(n / 16) interrupts either way.
 *
 * Two drives share a channel's registers and its IRQ, so a channel has
 * one request on the wire at a time, and the device register is written
 * (and 400 ns allowed to pass) whenever the other drive is next.
 */
#include "drivers/ata.h"
#include "drivers/pic.h"
#include "kernel/errno.h"
#include "kernel/list.h"
#include "kernel/printk.h"
#include "kernel/vsprintf.h"
#include "kernel/x86.h"

/* Command block registers (offsets from the channel's base port). */
#define ATA_REG_DATA      0
#define ATA_REG_ERROR     1
#define ATA_REG_COUNT     2
#define ATA_REG_LBA0      3
#define ATA_REG_LBA1      4     /* "cylinder low": half of the signature */
#define ATA_REG_LBA2      5     /* "cylinder high": the other half */
#define ATA_REG_DEVICE    6
#define ATA_REG_STATUS    7     /* read: status, acknowledges the interrupt */
#define ATA_REG_COMMAND   7     /* write */

/* Status bits. */
#define ATA_SR_BSY   0x80       /* busy: no other bit means anything */
#define ATA_SR_DRDY  0x40       /* ready for a command */
#define ATA_SR_DF    0x20       /* device fault */
#define ATA_SR_DRQ   0x08       /* wants a block moved through the data port */
#define ATA_SR_ERR   0x01       /* the error register says why */

/* Device register: bits 7 and 5 are obsolete and set by tradition. */
#define ATA_DEV_BASE   0xa0
#define ATA_DEV_LBA    0x40
#define ATA_DEV_SLAVE  0x10

/* Device control register (the control block port, write). */
#define ATA_CTL_NIEN   0x02     /* 1: the drive must not interrupt */
#define ATA_CTL_SRST   0x04     /* software reset of both drives */

#define ATA_CMD_READ_SECTORS        0x20
#define ATA_CMD_READ_SECTORS_EXT    0x24
#define ATA_CMD_WRITE_SECTORS       0x30
#define ATA_CMD_WRITE_SECTORS_EXT   0x34
#define ATA_CMD_READ_MULTIPLE       0xc4
#define ATA_CMD_READ_MULTIPLE_EXT   0x29
#define ATA_CMD_WRITE_MULTIPLE      0xc5
#define ATA_CMD_WRITE_MULTIPLE_EXT  0x39
#define ATA_CMD_SET_MULTIPLE        0xc6
#define ATA_CMD_IDENTIFY            0xec

/* The data command for [MULTIPLE?][EXT?][write?]. */
static const uint8_t rw_commands[2][2][2] = {
	{ { ATA_CMD_READ_SECTORS, ATA_CMD_WRITE_SECTORS },
	  { ATA_CMD_READ_SECTORS_EXT, ATA_CMD_WRITE_SECTORS_EXT } },
	{ { ATA_CMD_READ_MULTIPLE, ATA_CMD_WRITE_MULTIPLE },
	  { ATA_CMD_READ_MULTIPLE_EXT, ATA_CMD_WRITE_MULTIPLE_EXT } },
};

#define ATA_LBA28_LIMIT  (1UL << 28)   /* sectors an LBA28 command can reach */
#define ATA_MAX_LBA28    256           /* sectors per command (count 0 means 256) */
#define ATA_MAX_LBA48    65536         /* ... for the EXT commands (count 0 means 65536) */

/*
 * Bounds on status polling, in reads of the alternate status register
 * (about 0.1-1 us each under QEMU). Nothing may wait for the drive
 * forever, least of all the interrupt handler.
 */
#define ATA_POLL_SHORT   100000        /* a drive that should answer at once */
#define ATA_POLL_LONG    10000000      /* IDENTIFY, reset */

struct ata_channel {
	const char *name;
	uint16_t base;                /* command block */
	uint16_t ctl;                 /* control block: alt status / device control */
	int irq;
	struct list_head queue;       /* waiting requests (req->queue), oldest first */
	struct blk_request *active;   /* the request on the wire, or NULL */
	int selected;                 /* drive (0, 1) the device register names, or -1 */
	/* Where the active request stands: */
	uint32_t seg, seg_off;        /* next sector's place in req->segs */
	uint64_t lba;                 /* next sector on the disk */
	uint32_t left;                /* sectors still to move for the request */
	uint32_t cmd_left;            /* ... for the command on the wire */
	uint32_t block;               /* sectors per DRQ block of that command */
	struct ata_stats stats;
};

struct ata_drive {
	struct blk_device blk;
	struct ata_channel *chan;
	int slave;                    /* 0 master, 1 slave */
	bool lba48;                   /* has the EXT commands (IDENTIFY word 83 bit 10) */
	uint32_t max_sectors;         /* per command; 0: what ATA allows (a knob for tests) */
	bool always_lba48;            /* use EXT even where LBA28 would do (a knob for tests) */
	uint32_t max_multiple;        /* largest DRQ block READ/WRITE MULTIPLE allows; 1: none */
	uint32_t multiple;            /* sectors per DRQ block we use; 1: READ/WRITE SECTORS */
	char model[41];
};

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
static void
delay_400ns(struct ata_channel *ch)
{
	for (int i = 0; i < 4; i++)
		(void)inb(ch->ctl);
}

/*
 * Polls the alternate status until (status & mask) == want, or until
 * the drive, no longer busy, reports ERR or DF. Returns the status, or
 * -1 after limit reads.
 */
static int
poll_status(struct ata_channel *ch, uint8_t mask, uint8_t want, long limit)
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
static int
select_drive(struct ata_drive *d, uint8_t head)
{
	struct ata_channel *ch = d->chan;

	/* The device register may only change while the current drive is idle. */
	if (poll_status(ch, ATA_SR_BSY | ATA_SR_DRQ, 0, ATA_POLL_SHORT) < 0)
		return -EIO;
	outb(ch->base + ATA_REG_DEVICE, ATA_DEV_BASE | ATA_DEV_LBA |
	     (d->slave ? ATA_DEV_SLAVE : 0) | head);
	if (ch->selected != d->slave) {
		delay_400ns(ch);
		ch->selected = d->slave;
	}
	if (poll_status(ch, ATA_SR_BSY | ATA_SR_DRDY, ATA_SR_DRDY, ATA_POLL_SHORT) < 0)
		return -EIO;
	return 0;
}

/*
 * Makes d move count sectors per DRQ block: SET MULTIPLE MODE for
 * READ/WRITE MULTIPLE, or nothing for count 1 (READ/WRITE SECTORS). By
 * polling: the channel must be idle and its nIEN set, so that no
 * interrupt comes for a command ata_irq() knows nothing of. Returns 0,
 * or -EIO if the drive refuses the count (ABRT) or does not answer; d
 * then falls back to READ/WRITE SECTORS.
 */
static int
set_multiple(struct ata_drive *d, uint32_t count)
{
	struct ata_channel *ch = d->chan;
	int st;

	d->multiple = 1;
	if (count <= 1)
		return 0;
	if (select_drive(d, 0) != 0)
		return -EIO;
	outb(ch->base + ATA_REG_COUNT, (uint8_t)count);
	outb(ch->base + ATA_REG_COMMAND, ATA_CMD_SET_MULTIPLE);
	delay_400ns(ch);
	st = poll_status(ch, ATA_SR_BSY, 0, ATA_POLL_SHORT);
	(void)inb(ch->base + ATA_REG_STATUS);   /* the interrupt nIEN held back */
	if (st < 0 || (st & (ATA_SR_ERR | ATA_SR_DF)))
		return -EIO;
	d->multiple = count;
	return 0;
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
	outb(ch->ctl, ATA_CTL_SRST | ATA_CTL_NIEN);
	for (int i = 0; i < 20; i++)       /* SRST must stay set for 5 us */
		delay_400ns(ch);
	outb(ch->ctl, ATA_CTL_NIEN);
	delay_400ns(ch);
	if (poll_status(ch, ATA_SR_BSY, 0, ATA_POLL_LONG) < 0)
		pr_err("ata: %s channel: still busy after a reset\n", ch->name);
	(void)inb(ch->base + ATA_REG_STATUS);   /* drop an interrupt the reset raised */
	ch->selected = -1;
	ch->stats.resets++;
	/* A reset may put a drive's block size back to its default: set ours again. */
	for (int i = 0; i < 4; i++) {
		struct ata_drive *d = &drives[i];
		if (d->chan == ch && d->blk.ops && d->multiple > 1 &&
		    set_multiple(d, d->multiple) != 0)
			pr_warn("ata: %s: SET MULTIPLE refused after a reset; one sector "
				"per interrupt from now on\n", d->blk.name);
	}
	outb(ch->ctl, 0);
}

/*
 * The data port, 32 bits at a time: rep insl/outsl move count double
 * words between the port and buf. The PIIX (and QEMU's model of it)
 * answers a 32-bit access with two 16-bit words, the first in the low
 * half; x86 stores little-endian, so the bytes land in the order the
 * drive sends them, as with inw. Why 32 bits: under QEMU TCG every port
 * access is a trip through the emulator's I/O dispatch (about 60-110 ns
 * here, whatever its width), so half as many accesses is nearly half
 * the PIO time: the swap benchmark's rand took 19.4 s with rep
 * insw/outsw and 13.6 s with these (docs/storage.md). buf need not be
 * aligned (x86 does not mind); the direction flag is clear in C code
 * (the ABI says so).
 */
static void
insl(uint16_t port, void *buf, size_t count)
{
	__asm__ volatile("rep insl" : "+D"(buf), "+c"(count) : "d"(port) : "memory");
}

static void
outsl(uint16_t port, const void *buf, size_t count)
{
	__asm__ volatile("rep outsl" : "+S"(buf), "+c"(count) : "d"(port) : "memory");
}

/*
 * Moves one DRQ block (ch->block sectors, or what is left of the
 * command) between the data port and the active request. A block may
 * span several segments; segments are whole sectors (blk.h), so each
 * piece is too, and the drive sees one unbroken stream.
 */
static void
transfer_block(struct ata_channel *ch)
{
	struct blk_request *req = ch->active;
	uint32_t n = MIN(ch->block, ch->cmd_left);
	uint32_t bytes = n * SECTOR_SIZE;
	uint16_t port = ch->base + ATA_REG_DATA;

	while (bytes > 0) {
		const struct blk_segment *s = &req->segs[ch->seg];
		uint32_t len = MIN(bytes, s->len - ch->seg_off);
		uint8_t *p = (uint8_t *)s->buf + ch->seg_off;

		if (req->op == BLK_READ)
			insl(port, p, len / 4);
		else
			outsl(port, p, len / 4);
		bytes -= len;
		ch->seg_off += len;
		if (ch->seg_off == s->len) {
			ch->seg++;
			ch->seg_off = 0;
		}
	}
	ch->lba += n;
	ch->left -= n;
	ch->cmd_left -= n;
}

/*
 * Sends the next READ or WRITE command of the active request: as many
 * sectors as one command allows, LBA28 when it can reach them (fewer
 * port writes), the EXT form otherwise; MULTIPLE if the drive is set up
 * for it, SECTORS otherwise. For a write, also hands over the first
 * block. Returns 0, or -EIO if the drive will not take it.
 */
static int
issue_command(struct ata_channel *ch)
{
	struct blk_request *req = ch->active;
	struct ata_drive *d = req->dev->disk->driver_data;
	uint16_t b = ch->base;
	uint64_t lba = ch->lba;
	uint32_t limit = d->lba48 ? ATA_MAX_LBA48 : ATA_MAX_LBA28;
	uint32_t n = MIN(ch->left, d->max_sectors ? MIN(d->max_sectors, limit) : limit);
	bool ext = d->always_lba48 || lba + n > ATA_LBA28_LIMIT || n > ATA_MAX_LBA28;
	bool write = req->op == BLK_WRITE;
	bool multiple = d->multiple > 1;

	if (ext && !d->lba48)
		return -EIO;          /* cannot happen: such a disk is < 2^28 sectors */
	if (select_drive(d, ext ? 0 : (uint8_t)((lba >> 24) & 0x0f)) != 0)
		return -EIO;
	if (ext) {
		/* Each register is a two-deep FIFO: high bytes first. */
		outb(b + ATA_REG_COUNT, (uint8_t)(n >> 8));        /* 65536 -> 0 */
		outb(b + ATA_REG_LBA0, (uint8_t)(lba >> 24));
		outb(b + ATA_REG_LBA1, (uint8_t)(lba >> 32));
		outb(b + ATA_REG_LBA2, (uint8_t)(lba >> 40));
		ch->stats.lba48_commands++;
	}
	outb(b + ATA_REG_COUNT, (uint8_t)n);                        /* 256 -> 0 */
	outb(b + ATA_REG_LBA0, (uint8_t)lba);
	outb(b + ATA_REG_LBA1, (uint8_t)(lba >> 8));
	outb(b + ATA_REG_LBA2, (uint8_t)(lba >> 16));
	outb(b + ATA_REG_COMMAND, rw_commands[multiple][ext][write]);
	ch->cmd_left = n;
	ch->block = d->multiple;      /* the drive's size, fixed for this command */
	ch->stats.commands++;
	if (multiple)
		ch->stats.multiple_commands++;
	if (write) {
		/* PIO data-out: the first block goes without an interrupt. */
		int st;
		delay_400ns(ch);
		st = poll_status(ch, ATA_SR_BSY | ATA_SR_DRQ, ATA_SR_DRQ, ATA_POLL_SHORT);
		if (st < 0 || (st & (ATA_SR_ERR | ATA_SR_DF)))
			return -EIO;
		transfer_block(ch);
	}
	return 0;
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

/* If the channel is idle, starts the oldest waiting request. Interrupts off. */
static void
start_next(struct ata_channel *ch)
{
	while (!ch->active && !list_empty(&ch->queue)) {
		struct blk_request *req = list_first_entry(&ch->queue, struct blk_request, queue);

		list_del(&req->queue);
		ch->active = req;
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

	list_add_tail(&req->queue, &ch->queue);
	start_next(ch);
	irq_restore(flags);
	return 0;
}

/*
 * The interrupt of one channel: the drive has a block for us (read),
 * has written one (write), or reports an error. Reading the status
 * register acknowledges the interrupt. Interrupts off.
 */
static void
ata_irq(struct ata_channel *ch)
{
	int st = inb(ch->base + ATA_REG_STATUS);
	struct blk_request *req = ch->active;

	if (!req) {
		ch->stats.spurious++;
		return;
	}
	ch->stats.interrupts++;
	if (st & ATA_SR_BSY) {
		/* Not expected (the drive interrupts when done), but never spin forever. */
		st = poll_status(ch, ATA_SR_BSY, 0, ATA_POLL_SHORT);
		if (st < 0) {
			finish(ch, -EIO, true);
			return;
		}
	}
	if (st & (ATA_SR_ERR | ATA_SR_DF)) {
		/* ERR ends the command cleanly; a device fault leaves it in doubt. */
		finish(ch, -EIO, (st & ATA_SR_DF) || (st & ATA_SR_DRQ));
		return;
	}
	if (ch->cmd_left > 0) {
		/* A read block is waiting, or the drive wants the next one to write. */
		if (!(st & ATA_SR_DRQ)) {
			finish(ch, -EIO, true);
			return;
		}
		transfer_block(ch);
		if (req->op == BLK_WRITE || ch->cmd_left > 0)
			return;   /* a write ends at the next interrupt; a read has more to come */
	}
	/* The command on the wire is complete. */
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
	delay_400ns(ch);
	ch->selected = d->slave;
	st = inb(ch->ctl);
	if (st == 0xff || st == 0)     /* floating bus, or QEMU's "no such drive" */
		return PROBE_NONE;
	if (poll_status(ch, ATA_SR_BSY, 0, ATA_POLL_LONG) < 0)
		return PROBE_NONE;
	outb(b + ATA_REG_COUNT, 0);
	outb(b + ATA_REG_LBA0, 0);
	outb(b + ATA_REG_LBA1, 0);
	outb(b + ATA_REG_LBA2, 0);
	outb(b + ATA_REG_COMMAND, ATA_CMD_IDENTIFY);
	delay_400ns(ch);
	if (inb(ch->ctl) == 0)
		return PROBE_NONE;
	r = poll_status(ch, ATA_SR_BSY | ATA_SR_DRQ, ATA_SR_DRQ, ATA_POLL_LONG);
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
	/* Word 83 is valid when bit 14 is set and bit 15 clear; bit 10: LBA48. */
	d->lba48 = (id[83] & 0xc000) == 0x4000 && (id[83] & (1 << 10));
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
 * Finds the hard disks on both legacy channels and registers them with
 * the block layer (which reads their partition tables, so interrupts
 * must be on). A channel with no hard disk keeps its interrupts masked.
 */
void
ata_init(void)
{
	int found = 0;

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
				d->blk.ops = &ata_ops;
				d->blk.driver_data = d;
				here++;
				/* The biggest block: fewest interrupts. */
				if (set_multiple(d, d->max_multiple) != 0)
					pr_warn("ata: %s: SET MULTIPLE %u refused; using READ/WRITE "
						"SECTORS\n", d->blk.name, d->max_multiple);
				pr_info("ata: %s: %s, %lu sectors (%lu MiB), %s, %u sector%s per "
					"interrupt\n", d->blk.name, d->model, d->blk.nsectors,
					d->blk.nsectors >> 11, d->lba48 ? "LBA48" : "LBA28",
					d->multiple, d->multiple > 1 ? "s" : "");
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

/*
 * Limits the commands sent to disk: at most max_sectors sectors each (0:
 * as many as ATA allows), and the 48-bit forms always if always_lba48.
 * With requests of at most BLK_MAX_SEGS pages (256 sectors) and disks
 * under 128 GiB, neither splitting nor LBA48 happens by itself; tests
 * use this to exercise both. Returns 0, or -EINVAL for a disk that is
 * not ours or has no LBA48.
 */
int
ata_set_command_limits(struct blk_device *disk, uint32_t max_sectors, bool always_lba48)
{
	struct ata_drive *d;

	if (!ata_get_stats(disk))
		return -EINVAL;
	d = disk->driver_data;
	if (always_lba48 && !d->lba48)
		return -EINVAL;
	d->max_sectors = max_sectors;
	d->always_lba48 = always_lba48;
	return 0;
}

/*
 * Makes disk's commands move count sectors per DRQ block (per
 * interrupt): 2 up to the drive's maximum with READ/WRITE MULTIPLE, or
 * 1 for READ/WRITE SECTORS. A knob for tests; the probe chose the
 * maximum. Returns 0; -EINVAL for a disk that is not ours or a count
 * above the maximum; -EBUSY while the channel has requests; -EIO if the
 * drive refuses the count (disk then uses READ/WRITE SECTORS). Any
 * interrupt state; polls the drive, never sleeps.
 */
int
ata_set_multiple(struct blk_device *disk, uint32_t count)
{
	struct ata_drive *d;
	struct ata_channel *ch;
	uint64_t flags;
	int err = -EBUSY;

	if (!ata_get_stats(disk))
		return -EINVAL;
	d = disk->driver_data;
	ch = d->chan;
	if (count == 0 || count > d->max_multiple)
		return -EINVAL;
	flags = irq_save();
	if (!ch->active && list_empty(&ch->queue)) {
		outb(ch->ctl, ATA_CTL_NIEN);
		err = set_multiple(d, count);
		outb(ch->ctl, 0);
	}
	irq_restore(flags);
	return err;
}

/* Sectors per DRQ block (per interrupt) disk's commands move, or 0 if
 * disk is not an ATA disk. Any context. */
uint32_t
ata_get_multiple(const struct blk_device *disk)
{
	if (!ata_get_stats(disk))
		return 0;
	return ((struct ata_drive *)disk->driver_data)->multiple;
}

/* The counters of disk's channel, or NULL if disk is not an ATA disk. Any context. */
const struct ata_stats *
ata_get_stats(const struct blk_device *disk)
{
	if (!disk || disk->disk != disk || disk->ops != &ata_ops)
		return NULL;
	return &((struct ata_drive *)disk->driver_data)->chan->stats;
}
