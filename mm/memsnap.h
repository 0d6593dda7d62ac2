/*
 * mm/memsnap.h - a snapshot of physical memory as one line of text: the
 * state and owner of every frame, the swap slots, the counters.
 */
#ifndef MM_MEMSNAP_H
#define MM_MEMSNAP_H

#include "kernel/types.h"

/*
 * Where the text goes: into buf (size bytes; len counts every byte, also
 * those that did not fit), or, with flush set, through buf in pieces to
 * flush (a serial port).
 */
struct memsnap_sink {
	char *buf;
	size_t size;
	size_t len;
	size_t used;                              /* flush mode: bytes waiting in buf */
	void (*flush)(const char *s, size_t n);
};

/* Writes one snapshot, why naming its cause ("timer", "proc", "exit").
 * Interrupts are off while it is taken: it shows one instant. Never sleeps. */
void memsnap_write(struct memsnap_sink *sink, const char *why);

/* One snapshot in a kmalloc'd buffer (*len bytes, a NUL after them), or NULL. Never sleeps. */
char *memsnap_take(const char *why, size_t *len);

#endif
