/*
 * drivers/ata.h - the ATA (IDE) hard-disk driver: PIO, interrupt-driven.
 *
 * ata_init() finds the hard disks on the two legacy IDE channels and
 * registers them with the block layer as hda, hdb (primary master,
 * slave), hdc, hdd (secondary master, slave). Everything else goes
 * through blk_submit(); the counters below are for tests and curious
 * students.
 */
#ifndef DRIVERS_ATA_H
#define DRIVERS_ATA_H

#include "drivers/blk.h"
#include "kernel/types.h"

/* What one channel (the two drives on one cable) has done since boot. */
struct ata_stats {
	uint64_t interrupts;      /* handler runs that had a request to serve: one per DRQ block */
	uint64_t spurious;        /* interrupts with no request in flight */
	uint64_t commands;        /* READ/WRITE commands issued */
	uint64_t lba48_commands;  /* ... of which the EXT (48-bit) forms */
	uint64_t multiple_commands; /* ... of which READ/WRITE MULTIPLE (several sectors per block) */
	uint64_t errors;          /* requests completed with -EIO */
	uint64_t resets;          /* software resets of the channel */
};

void ata_init(void);
const struct ata_stats *ata_get_stats(const struct blk_device *disk);
int ata_set_command_limits(struct blk_device *disk, uint32_t max_sectors, bool always_lba48);
int ata_set_multiple(struct blk_device *disk, uint32_t count);
uint32_t ata_get_multiple(const struct blk_device *disk);

#endif
