/*
 * drivers/ata.h - the ATA (IDE) hard-disk driver: bus-master DMA or PIO,
 * interrupt-driven.
 *
 * ata_init() finds the hard disks on the two legacy IDE channels and
 * registers them with the block layer as hda, hdb (primary master,
 * slave), hdc, hdd (secondary master, slave). A drive moves its data by
 * DMA when the PCI IDE controller is a bus master, by PIO otherwise or
 * with the kernel argument ata=pio. Everything else goes through
 * blk_submit(); the counters and knobs below are for tests and curious
 * students.
 */
#ifndef DRIVERS_ATA_H
#define DRIVERS_ATA_H

#include "drivers/blk.h"
#include "kernel/types.h"

/* How a drive's requests move their data. */
enum ata_mode {
	ATA_MODE_PIO,             /* through the data port, by the CPU (ata_pio.c) */
	ATA_MODE_DMA,             /* by the controller's bus master (ata_dma.c) */
};

/* What one channel (the two drives on one cable) has done since boot. */
struct ata_stats {
	uint64_t interrupts;      /* handler runs that had a request to serve: one per
				     PIO DRQ block, one per DMA command */
	uint64_t spurious;        /* interrupts with no request in flight */
	uint64_t commands;        /* commands issued: READ/WRITE, FLUSH CACHE */
	uint64_t lba48_commands;  /* ... of which the EXT (48-bit) forms */
	uint64_t multiple_commands; /* ... of which READ/WRITE MULTIPLE (several sectors per block) */
	uint64_t dma_commands;    /* ... of which READ/WRITE DMA (and their EXT forms) */
	uint64_t pio_fallbacks;   /* requests of DMA drives that went by PIO: memory the
				     bus master cannot reach (above 4 GiB, odd address,
				     a kernel stack) */
	uint64_t errors;          /* requests completed with -EIO */
	uint64_t resets;          /* software resets of the channel */
};

void ata_init(void);
const struct ata_stats *ata_get_stats(const struct blk_device *disk);
int ata_set_command_limits(struct blk_device *disk, uint32_t max_sectors, bool always_lba48);
int ata_set_multiple(struct blk_device *disk, uint32_t count);
uint32_t ata_get_multiple(const struct blk_device *disk);
int ata_set_mode(struct blk_device *disk, enum ata_mode mode);
enum ata_mode ata_get_mode(const struct blk_device *disk);

#endif
