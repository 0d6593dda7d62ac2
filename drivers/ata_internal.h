/*
 * drivers/ata_internal.h - what the four files of the ATA driver share,
 * and nobody else may use:
 *
 *   ata.c      probing, IDENTIFY, the per-channel request queue, the
 *              interrupt handlers, FLUSH CACHE, the public API (drivers/ata.h)
 *   ata_knobs.c  what tests change or read: command limits, DMA or PIO,
 *              the counters
 *   ata_pio.c  the PIO data-in / data-out protocols, multiple mode (and
 *              the ata_set_multiple() knob)
 *   ata_dma.c  bus-master IDE DMA: the PRD table, READ/WRITE DMA
 *
 * Register layout (ATA/ATAPI-6 section 7), as offsets from a channel's
 * command block; the control block's one port reads as "alternate
 * status" (which does NOT acknowledge the interrupt) and writes as
 * "device control" (nIEN, SRST):
 *
 *   0 data (16/32 bit)  1 error/features  2 sector count  3 LBA 0-7
 *   4 LBA 8-15          5 LBA 16-23       6 device        7 status/command
 */
#ifndef DRIVERS_ATA_INTERNAL_H
#define DRIVERS_ATA_INTERNAL_H

#include "drivers/ata.h"
#include "kernel/list.h"

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

/*
 * Bounds on status polling, in reads of the alternate status register
 * (about 0.1-1 us each under QEMU). Nothing may wait for the drive
 * forever, least of all the interrupt handler.
 */
#define ATA_POLL_SHORT   100000        /* a drive that should answer at once */
#define ATA_POLL_LONG    10000000      /* IDENTIFY, reset */

struct ata_prd;                        /* ata_dma.c */

struct ata_channel {
	const char *name;
	uint16_t base;                /* command block */
	uint16_t ctl;                 /* control block: alt status / device control */
	int irq;
	uint16_t bmide;               /* bus-master registers (ata_dma.c); 0: no DMA */
	struct ata_prd *prd;          /* the channel's PRD table, when bmide */
	struct list_head queue;       /* waiting requests (req->queue), oldest first */
	struct blk_request *active;   /* the request on the wire, or NULL */
	int selected;                 /* drive (0, 1) the device register names, or -1 */
	/* Where the active request stands: */
	bool dma;                     /* it moves by DMA (else PIO) */
	uint32_t seg, seg_off;        /* data not yet given to a command (PIO: to a block) */
	uint64_t lba;                 /* next sector on the disk */
	uint32_t left;                /* sectors still to move for the request */
	uint32_t cmd_left;            /* ... for the command on the wire */
	uint32_t block;               /* PIO: sectors per DRQ block of that command */
	struct ata_stats stats;
};

struct ata_drive {
	struct blk_device blk;
	struct ata_channel *chan;
	int slave;                    /* 0 master, 1 slave */
	bool lba48;                   /* has the EXT commands (IDENTIFY word 83 bit 10) */
	bool dma_capable;             /* IDENTIFY word 49 bit 8: has READ/WRITE DMA */
	bool write_cache;             /* word 85 bit 5: a volatile write cache (flushes matter) */
	enum ata_mode mode;           /* how its requests move, when they can */
	uint32_t max_sectors;         /* per command; 0: what ATA allows (a knob for tests) */
	bool always_lba48;            /* use EXT even where LBA28 would do (a knob for tests) */
	uint32_t max_multiple;        /* largest DRQ block READ/WRITE MULTIPLE allows; 1: none */
	uint32_t multiple;            /* sectors per DRQ block we use; 1: READ/WRITE SECTORS */
	char model[41];
};

/* What an interrupt means for the command on the wire (ata_pio_irq, ata_dma_irq). */
enum ata_step {
	ATA_STEP_WAIT,          /* it goes on: another interrupt will come */
	ATA_STEP_DONE,          /* it is complete; the request may need another */
	ATA_STEP_ERROR,         /* the drive refused it (ERR) and is ready for the next */
	ATA_STEP_RESET,         /* the drive's state is unknown: reset the channel */
};

/* ata.c */
struct ata_drive *ata_drive_of(const struct blk_device *disk);
void ata_delay_400ns(struct ata_channel *ch);
int ata_poll_status(struct ata_channel *ch, uint8_t mask, uint8_t want, long limit);
int ata_select_drive(struct ata_drive *d, uint8_t head);
int ata_send_command(struct ata_channel *ch, uint32_t count, bool ext, uint8_t cmd);
int ata_ack_status(struct ata_channel *ch);
enum ata_step ata_error_step(uint8_t status);

/* ata_pio.c */
int ata_pio_set_multiple(struct ata_drive *d, uint32_t count);
int ata_pio_issue(struct ata_channel *ch, uint32_t count, bool ext);
enum ata_step ata_pio_irq(struct ata_channel *ch);

/* ata_dma.c */
void ata_dma_init(struct ata_channel channels[2]);
void ata_dma_enable_drive(struct ata_drive *d);
bool ata_dma_can_map(const struct blk_request *req);
int ata_dma_issue(struct ata_channel *ch, uint32_t count, bool ext);
enum ata_step ata_dma_irq(struct ata_channel *ch);
void ata_dma_stop(struct ata_channel *ch);

#endif
