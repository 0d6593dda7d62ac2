/*
 * drivers/timer.c - the PIT (Intel 8254) ticking at HZ, and clocks.
 *
 * Channel 0 of the PIT counts down from 1193182 / HZ and raises IRQ 0 at
 * every wrap: that tick drives time slices and sleeping (kernel/sched.c).
 * For finer clocks, the CPU's time-stamp counter is calibrated against
 * the PIT once at boot; clock_gettime() uses it. The time of day comes
 * from the CMOS real-time clock (drivers/rtc.c), read once at boot, and
 * runs on with the TSC; settimeofday moves it.
 */
#include "drivers/timer.h"
#include "drivers/pic.h"
#include "kernel/loadavg.h"
#include "drivers/rtc.h"
#include "kernel/printk.h"
#include "kernel/psi.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/x86.h"

#define PIT_HZ        1193182
#define PIT_CH0       0x40
#define PIT_CMD       0x43
#define PIT_CH2_GATE  0x61

volatile uint64_t jiffies;
static uint64_t tsc_per_us;
static uint64_t tsc_at_boot;
/*
 * CLOCK_REALTIME is CLOCK_MONOTONIC plus this: the time of day at boot, in
 * ns since 1970 (from the RTC), moved by settimeofday and clock_settime.
 * Signed: a clock set to a time before the uptime makes it negative.
 */
static int64_t realtime_at_boot_ns;

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

void
timer_init(void)
{
	uint16_t divisor = PIT_HZ / HZ;

	calibrate_tsc();
	tsc_at_boot = rdtsc();
	realtime_at_boot_ns = (int64_t)(rtc_read_epoch_seconds() * NSEC_PER_SEC);
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

/* Nanoseconds since timer_init() (0 before it: printk may ask that early). */
uint64_t
timer_uptime_ns(void)
{
	return tsc_per_us ? (rdtsc() - tsc_at_boot) * 1000 / tsc_per_us : 0;
}

/* CLOCK_REALTIME: nanoseconds since 1970-01-01 UTC (0 if set before 1970 plus the uptime). */
uint64_t
timer_realtime_ns(void)
{
	int64_t ns = realtime_at_boot_ns + (int64_t)timer_uptime_ns();

	return ns > 0 ? (uint64_t)ns : 0;
}

/* Sets CLOCK_REALTIME to ns since 1970 (settimeofday, clock_settime); the uptime runs on. */
void
timer_set_realtime_ns(uint64_t ns)
{
	realtime_at_boot_ns = (int64_t)ns - (int64_t)timer_uptime_ns();
}

/*
 * When the system booted, in seconds since 1970 (the "btime" of
 * /proc/stat): the time of day now minus the uptime, so it moves when the
 * clock is set, as Linux's does.
 */
int64_t
timer_boottime_seconds(void)
{
	int64_t ns = realtime_at_boot_ns;

	return ns >= 0 ? ns / (int64_t)NSEC_PER_SEC : -((-ns + (int64_t)NSEC_PER_SEC - 1) / (int64_t)NSEC_PER_SEC);
}
