/*
 * mm/memsnapd.h - memory snapshots over time (memsnap=), on the second
 * serial port.
 */
#ifndef MM_MEMSNAPD_H
#define MM_MEMSNAPD_H

/* Never sleep. */
void memsnapd_init(void);
void memsnapd_final(void);

#endif
