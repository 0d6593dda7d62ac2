/*
 * kernel/rwsem.h - a sleeping reader-writer lock (kernel/rwsem.c).
 */
#ifndef KERNEL_RWSEM_H
#define KERNEL_RWSEM_H

#include "kernel/wait.h"

struct rwsem {
	int readers;            /* holding it to read */
	bool writer;            /* one holds it to write */
	struct wait_queue wq;   /* everyone waiting for it */
};

void rwsem_init(struct rwsem *s);

/* May sleep. */
void down_read(struct rwsem *s);
void down_write(struct rwsem *s);

/* Never sleep. */
void up_read(struct rwsem *s);
void up_write(struct rwsem *s);

#endif
