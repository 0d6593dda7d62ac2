/*
 * mm/swapon.h - swap areas come (swapon) and go (swapoff).
 */
#ifndef MM_SWAPON_H
#define MM_SWAPON_H

#include "mm/swap_area.h"

/* Linux's swapon(2) flags (include/linux/swap.h). */
#define SWAP_FLAG_PREFER        0x8000   /* the priority below is set */
#define SWAP_FLAG_PRIO_MASK     0x7fff
#define SWAP_FLAG_PRIO_SHIFT    0
#define SWAP_FLAG_DISCARD       0x10000  /* accepted; our disks have no discard */
#define SWAP_FLAG_DISCARD_ONCE  0x20000
#define SWAP_FLAG_DISCARD_PAGES 0x40000
#define SWAP_FLAGS_VALID (SWAP_FLAG_PRIO_MASK | SWAP_FLAG_PREFER | SWAP_FLAG_DISCARD | \
			  SWAP_FLAG_DISCARD_ONCE | SWAP_FLAG_DISCARD_PAGES)

/* Sleep (disk reads, and swapoff reads every page back). */
long sys_swapon(const char *upath, int flags);
long sys_swapoff(const char *upath);
int swapoff_area(struct swap_area *a);        /* mm/swapoff.c */

/* Never sleeps. */
bool swap_file_active(uint32_t ino);

#endif
