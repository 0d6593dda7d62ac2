/*
 * drivers/timer.h - the periodic tick and the time of day.
 */
#ifndef DRIVERS_TIMER_H
#define DRIVERS_TIMER_H

#include "kernel/types.h"

#define HZ 100                       /* ticks per second */
#define NSEC_PER_SEC 1000000000L     /* nanoseconds in a second */

extern volatile uint64_t jiffies;    /* ticks since boot */

void timer_init(void);
uint64_t timer_uptime_ns(void);
uint64_t timer_realtime_ns(void);
uint64_t timer_tsc_mhz(void);
void timer_set_realtime_ns(uint64_t ns);
int64_t timer_boottime_seconds(void);

#endif
