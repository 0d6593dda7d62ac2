/*
 * drivers/blk_stats.h - each disk's and partition's counters, as Linux's
 * /proc/diskstats shows them.
 */
#ifndef DRIVERS_BLK_STATS_H
#define DRIVERS_BLK_STATS_H

#include "drivers/blk.h"

void blk_stats_start(struct blk_request *req);
void blk_stats_cancel(struct blk_request *req);
void blk_stats_done(struct blk_request *req);
int blk_diskstats_show(char *buf, size_t size);

#endif
