/*
 * drivers/ata_knobs.c - what tests may change in how an ATA disk is
 * driven, and what they may read of it: the commands' size and form, DMA
 * or PIO, the channel's counters. The probe (drivers/ata.c) chose the
 * defaults; these let one boot test every path.
 */
#include "drivers/ata_internal.h"
#include "kernel/errno.h"

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
	struct ata_drive *d = ata_drive_of(disk);

	if (!d || (always_lba48 && !d->lba48))
		return -EINVAL;
	d->max_sectors = max_sectors;
	d->always_lba48 = always_lba48;
	return 0;
}

/*
 * Makes disk's requests move by DMA or by PIO, from the next request on
 * (the one on the wire keeps its mode). A knob for tests, so that one
 * boot tests both; the probe chose DMA where it could. Returns 0;
 * -EINVAL for a disk that is not ours; -ENODEV for DMA when the channel
 * has no bus master (or ata=pio) or the drive has no DMA. Any context.
 */
int
ata_set_mode(struct blk_device *disk, enum ata_mode mode)
{
	struct ata_drive *d = ata_drive_of(disk);

	if (!d || (mode != ATA_MODE_PIO && mode != ATA_MODE_DMA))
		return -EINVAL;
	if (mode == ATA_MODE_DMA && (!d->chan->bmide || !d->dma_capable))
		return -ENODEV;
	d->mode = mode;
	return 0;
}

/* How disk's requests move (PIO for a disk that is not ours). Any context. */
enum ata_mode
ata_get_mode(const struct blk_device *disk)
{
	const struct ata_drive *d = ata_drive_of(disk);

	return d ? d->mode : ATA_MODE_PIO;
}

/* The counters of disk's channel, or NULL if disk is not an ATA disk. Any context. */
const struct ata_stats *
ata_get_stats(const struct blk_device *disk)
{
	const struct ata_drive *d = ata_drive_of(disk);

	return d ? &d->chan->stats : NULL;
}
