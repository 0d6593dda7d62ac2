/*
 * mm/kswapd.h - the background reclaimer: woken when free frames fall
 * below the low watermark, it reclaims until they are back at high.
 */
#ifndef MM_KSWAPD_H
#define MM_KSWAPD_H

#include "kernel/types.h"

/* Never sleep. */
void kswapd_start(void);
void wake_kswapd_if_low(void);
bool current_is_kswapd(void);

#endif
