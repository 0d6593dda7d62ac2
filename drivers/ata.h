/*
 * drivers/ata.h - (being written)
 */
#ifndef DRIVERS_ATA_H
#define DRIVERS_ATA_H

void ata_init(void);

#endif
