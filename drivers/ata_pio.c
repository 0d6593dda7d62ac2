/*
 * drivers/ata_pio.c - ATA PIO: the CPU moves every word of a request
 * through the channel's data port, one interrupt per block of up to 16
 * sectors. Follows ATA/ATAPI-6: the PIO data-in and PIO data-out
 * protocols, SET MULTIPLE MODE, READ/WRITE MULTIPLE and READ/WRITE
 * SECTORS and their EXT (48-bit) forms.
 *
 * Owns: a drive's DRQ block size (and the ata_set_multiple() knob of
 * drivers/ata.h), issuing a PIO command, and what each of its
 * interrupts does. Must not: touch the request queue or complete
 * requests (ata.c does, from the ata_step we return), or know about the
 * bus master (ata_dma.c). Used for every request when the controller has
 * no bus master or the kernel argument says ata=pio, and for requests
 * whose memory the bus master cannot reach.
 *
 * The drive moves data in DRQ blocks: it raises DRQ, the host moves the
 * whole block through the data port, and only then does the drive go on.
 * READ/WRITE SECTORS use blocks of one sector. READ/WRITE MULTIPLE use
 * blocks of the size SET MULTIPLE MODE chose (at most IDENTIFY word 47
 * says; QEMU: 16 sectors); a command's last block is what is left. The
 * probe chooses the largest size, and falls back to SECTORS for a drive
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
 */
#include "drivers/ata_internal.h"
#include "kernel/errno.h"
#include "kernel/x86.h"

#define ATA_CMD_READ_SECTORS        0x20
#define ATA_CMD_READ_SECTORS_EXT    0x24
#define ATA_CMD_WRITE_SECTORS       0x30
#define ATA_CMD_WRITE_SECTORS_EXT   0x34
#define ATA_CMD_READ_MULTIPLE       0xc4
#define ATA_CMD_READ_MULTIPLE_EXT   0x29
#define ATA_CMD_WRITE_MULTIPLE      0xc5
#define ATA_CMD_WRITE_MULTIPLE_EXT  0x39
#define ATA_CMD_SET_MULTIPLE        0xc6

/* The data command for [MULTIPLE?][EXT?][write?]. */
static const uint8_t pio_commands[2][2][2] = {
	{ { ATA_CMD_READ_SECTORS, ATA_CMD_WRITE_SECTORS },
	  { ATA_CMD_READ_SECTORS_EXT, ATA_CMD_WRITE_SECTORS_EXT } },
	{ { ATA_CMD_READ_MULTIPLE, ATA_CMD_WRITE_MULTIPLE },
	  { ATA_CMD_READ_MULTIPLE_EXT, ATA_CMD_WRITE_MULTIPLE_EXT } },
};

/*
 * Makes d move count sectors per DRQ block: SET MULTIPLE MODE for
 * READ/WRITE MULTIPLE, or nothing for count 1 (READ/WRITE SECTORS). By
 * polling: the channel must be idle and its nIEN set, so that no
 * interrupt comes for a command ata_irq() knows nothing of. Returns 0,
 * or -EIO if the drive refuses the count (ABRT) or does not answer; d
 * then falls back to READ/WRITE SECTORS.
 */
int
ata_pio_set_multiple(struct ata_drive *d, uint32_t count)
{
	struct ata_channel *ch = d->chan;
	int st;

	d->multiple = 1;
	if (count <= 1)
		return 0;
	if (ata_select_drive(d, 0) != 0)
		return -EIO;
	outb(ch->base + ATA_REG_COUNT, (uint8_t)count);
	outb(ch->base + ATA_REG_COMMAND, ATA_CMD_SET_MULTIPLE);
	ata_delay_400ns(ch);
	st = ata_poll_status(ch, ATA_SR_BSY, 0, ATA_POLL_SHORT);
	(void)inb(ch->base + ATA_REG_STATUS);   /* the interrupt nIEN held back */
	if (st < 0 || (st & (ATA_SR_ERR | ATA_SR_DF)))
		return -EIO;
	d->multiple = count;
	return 0;
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
 * Sends a PIO READ or WRITE command for the next count sectors of the
 * active request (ext: the 48-bit form): MULTIPLE if the drive is set
 * up for it, SECTORS otherwise. For a write, also hands over the first
 * block, which the drive asks for without an interrupt. Returns 0, or
 * -EIO if the drive will not take it.
 */
int
ata_pio_issue(struct ata_channel *ch, uint32_t count, bool ext)
{
	struct ata_drive *d = ch->active->dev->disk->driver_data;
	bool write = ch->active->op == BLK_WRITE;
	bool multiple = d->multiple > 1;
	int st;

	if (ata_send_command(ch, count, ext, pio_commands[multiple][ext][write]) != 0)
		return -EIO;
	ch->block = d->multiple;      /* the drive's size, fixed for this command */
	if (multiple)
		ch->stats.multiple_commands++;
	if (!write)
		return 0;
	ata_delay_400ns(ch);
	st = ata_poll_status(ch, ATA_SR_BSY | ATA_SR_DRQ, ATA_SR_DRQ, ATA_POLL_SHORT);
	if (st < 0 || (st & (ATA_SR_ERR | ATA_SR_DF)))
		return -EIO;
	transfer_block(ch);
	return 0;
}

/*
 * A PIO command's interrupt: the drive has a block for us (read), has
 * written one (write), or reports an error. Acknowledges it, moves the
 * next block if there is one, and says where the command stands.
 * Interrupts off.
 */
enum ata_step
ata_pio_irq(struct ata_channel *ch)
{
	int st = ata_ack_status(ch);

	if (st < 0)
		return ATA_STEP_RESET;
	if (st & (ATA_SR_ERR | ATA_SR_DF))
		return ata_error_step((uint8_t)st);
	if (ch->cmd_left > 0) {
		/* A read block is waiting, or the drive wants the next one to write. */
		if (!(st & ATA_SR_DRQ))
			return ATA_STEP_RESET;
		transfer_block(ch);
		if (ch->active->op == BLK_WRITE || ch->cmd_left > 0)
			return ATA_STEP_WAIT;   /* a write ends at the next interrupt; a read has more */
	}
	return ATA_STEP_DONE;
}

/*
 * Makes disk's PIO commands move count sectors per DRQ block (per
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
	struct ata_drive *d = ata_drive_of(disk);
	struct ata_channel *ch;
	uint64_t flags;
	int err = -EBUSY;

	if (!d || count == 0 || count > d->max_multiple)
		return -EINVAL;
	ch = d->chan;
	flags = irq_save();
	if (!ch->active && list_empty(&ch->queue)) {
		outb(ch->ctl, ATA_CTL_NIEN);
		err = ata_pio_set_multiple(d, count);
		outb(ch->ctl, 0);
	}
	irq_restore(flags);
	return err;
}

/* Sectors per DRQ block (per interrupt) disk's PIO commands move, or 0
 * if disk is not an ATA disk. Any context. */
uint32_t
ata_get_multiple(const struct blk_device *disk)
{
	const struct ata_drive *d = ata_drive_of(disk);

	return d ? d->multiple : 0;
}
