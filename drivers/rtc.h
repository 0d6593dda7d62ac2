/*
 * drivers/rtc.h - the CMOS real-time clock (MC146818), read once at boot.
 */
#ifndef DRIVERS_RTC_H
#define DRIVERS_RTC_H

#include "kernel/types.h"

uint64_t rtc_read_epoch_seconds(void);
uint64_t rtc_days_since_epoch(unsigned year, unsigned month, unsigned day);

#endif
