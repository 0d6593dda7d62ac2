/*
 * drivers/timer.c - the PIT (Intel 8254) ticking at HZ, and clocks.
 *
 * Channel 0 of the PIT counts down from 1193182 / HZ and raises IRQ 0 at
 * every wrap: that tick drives time slices and sleeping (kernel/sched.c).
 * For finer clocks, the CPU's time-stamp counter is calibrated against
 * the PIT once at boot; clock_gettime() uses it. The time of day comes
 * from the CMOS real-time clock, read once at boot.
 */
#include "drivers/timer.h"
#include "drivers/pic.h"
#include "kernel/loadavg.h"
#include "kernel/printk.h"
#include "kernel/psi.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/x86.h"

#define PIT_HZ        1193182
#define PIT_CH0       0x40
#define PIT_CMD       0x43
#define PIT_CH2_GATE  0x61
#define CMOS_INDEX    0x70
#define CMOS_DATA     0x71

volatile uint64_t jiffies;
static uint64_t tsc_per_us;
static uint64_t tsc_at_boot;
static uint64_t boot_epoch_seconds;

static void
timer_irq(void)
{
	jiffies++;
	sched_tick();
	itimer_tick();
	psi_tick();
	loadavg_tick();
}

/* Counts TSC cycles over 10 ms measured with PIT channel 2 (polled). */
static void
calibrate_tsc(void)
{
	uint16_t count = PIT_HZ / 100;
	uint64_t start;

	outb(PIT_CH2_GATE, (inb(PIT_CH2_GATE) & ~0x02) | 0x01);  /* gate on, speaker off */
	outb(PIT_CMD, 0xb0);                                     /* ch 2, lo/hi, mode 0 */
	outb(0x42, count & 0xff);
	outb(0x42, count >> 8);
	start = rdtsc();
	while (!(inb(PIT_CH2_GATE) & 0x20))
		pause();
	tsc_per_us = (rdtsc() - start) / 10000;
	if (tsc_per_us == 0)
		tsc_per_us = 1;
}

static unsigned
cmos_read(unsigned reg)
{
	outb(CMOS_INDEX, (uint8_t)reg);
	return inb(CMOS_DATA);
}

static unsigned
bcd(unsigned v)
{
	return (v & 0x0f) + (v >> 4) * 10;
}

/* Days from 1970-01-01 to y-m-d (civil calendar). */
static uint64_t
days_since_epoch(unsigned y, unsigned m, unsigned d)
{
	static const unsigned before_month[] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
	uint64_t days = (uint64_t)(y - 1970) * 365 + before_month[m - 1] + d - 1;

	days += (y - 1969) / 4 - (y - 1901) / 100 + (y - 1601) / 400;   /* leap days before y */
	if (m > 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		days++;
	return days;
}

static void
read_rtc(void)
{
	while (cmos_read(0x0a) & 0x80)      /* update in progress */
		pause();
	unsigned sec = cmos_read(0x00), min = cmos_read(0x02), hour = cmos_read(0x04);
	unsigned day = cmos_read(0x07), mon = cmos_read(0x08), year = cmos_read(0x09);
	if (!(cmos_read(0x0b) & 0x04)) {    /* BCD mode */
		sec = bcd(sec), min = bcd(min), hour = bcd(hour);
		day = bcd(day), mon = bcd(mon), year = bcd(year);
	}
	if (mon < 1 || mon > 12)
		mon = 1;
	boot_epoch_seconds = days_since_epoch(2000 + year, mon, day ? day : 1) * 86400 +
			     hour * 3600 + min * 60 + sec;
}

void
timer_init(void)
{
	uint16_t divisor = PIT_HZ / HZ;

	calibrate_tsc();
	tsc_at_boot = rdtsc();
	read_rtc();
	outb(PIT_CMD, 0x34);                /* channel 0, lo/hi byte, rate generator */
	outb(PIT_CH0, divisor & 0xff);
	outb(PIT_CH0, divisor >> 8);
	irq_register(IRQ_TIMER, timer_irq);
	pr_info("timer: PIT at %d Hz; TSC %lu MHz\n", HZ, tsc_per_us);
}

/* The TSC's rate, in MHz (/proc/cpuinfo's "cpu MHz"). */
uint64_t
timer_tsc_mhz(void)
{
	return tsc_per_us;
}

/* The time of day at boot, in seconds since 1970 (/proc/stat's btime). */
uint64_t
timer_boot_epoch(void)
{
	return boot_epoch_seconds;
}

uint64_t
timer_uptime_ns(void)
{
	return (rdtsc() - tsc_at_boot) * 1000 / tsc_per_us;
}

uint64_t
timer_realtime_ns(void)
{
	return boot_epoch_seconds * 1000000000UL + timer_uptime_ns();
}
