/*
 * drivers/rtc.c - the CMOS real-time clock (Motorola MC146818 and its PC
 * copies), read once at boot for the time of day.
 *
 * The RTC keeps the date in CMOS registers reached through two ports:
 * write the register number to 0x70, read its value from 0x71.
 *
 *   reg  0x00 seconds  0x02 minutes  0x04 hours  0x07 day  0x08 month
 *        0x09 year (two digits)      0x32 century (where the firmware has one)
 *        0x0a status A: bit 7 = update in progress (the registers are changing)
 *        0x0b status B: bit 2 = binary (else BCD), bit 1 = 24-hour (else 12-hour,
 *                       with bit 7 of the hour meaning PM)
 *
 * We wait until no update is in progress, read everything, and read again
 * until two readings agree, so a second ticking over in between cannot give
 * a time that is off by a minute or an hour. We do not write the RTC
 * (settimeofday changes only the kernel's clock, drivers/timer.c), and we
 * take the RTC to hold UTC, as Linux does on machines without Windows.
 */
#include "drivers/rtc.h"
#include "kernel/x86.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA  0x71
#define CMOS_NMI_OFF 0x80          /* bit 7 of the index: keep NMIs masked while we talk */

#define RTC_SECONDS 0x00
#define RTC_MINUTES 0x02
#define RTC_HOURS   0x04
#define RTC_DAY     0x07
#define RTC_MONTH   0x08
#define RTC_YEAR    0x09
#define RTC_STATUS_A 0x0a
#define RTC_STATUS_B 0x0b
#define RTC_UIP     0x80           /* status A: update in progress */
#define RTC_BINARY  0x04           /* status B */
#define RTC_24H     0x02           /* status B */
#define RTC_PM      0x80           /* hours, 12-hour mode */

struct rtc_time {
	unsigned sec, min, hour, day, mon, year;
};

static unsigned
cmos_read(unsigned reg)
{
	outb(CMOS_INDEX, (uint8_t)(reg | CMOS_NMI_OFF));
	return inb(CMOS_DATA);
}

static unsigned
from_bcd(unsigned v)
{
	return (v & 0x0f) + (v >> 4) * 10;
}

/* One reading of the date registers, raw, once no update is in progress. */
static void
read_registers(struct rtc_time *t)
{
	while (cmos_read(RTC_STATUS_A) & RTC_UIP)
		pause();
	t->sec = cmos_read(RTC_SECONDS);
	t->min = cmos_read(RTC_MINUTES);
	t->hour = cmos_read(RTC_HOURS);
	t->day = cmos_read(RTC_DAY);
	t->mon = cmos_read(RTC_MONTH);
	t->year = cmos_read(RTC_YEAR);
}

/* Turns a raw reading into binary, 24-hour values, as status register B says it is coded. */
static void
decode(struct rtc_time *t, unsigned status_b)
{
	bool pm = !(status_b & RTC_24H) && (t->hour & RTC_PM);

	t->hour &= ~RTC_PM;
	if (!(status_b & RTC_BINARY)) {
		t->sec = from_bcd(t->sec), t->min = from_bcd(t->min), t->hour = from_bcd(t->hour);
		t->day = from_bcd(t->day), t->mon = from_bcd(t->mon), t->year = from_bcd(t->year);
	}
	if (!(status_b & RTC_24H))           /* 12 AM is hour 0, 12 PM is hour 12 */
		t->hour = (t->hour % 12) + (pm ? 12 : 0);
}

/*
 * Days from 1970-01-01 to year-month-day in the civil (Gregorian)
 * calendar; month 1..12, day 1..31.
 */
uint64_t
rtc_days_since_epoch(unsigned year, unsigned month, unsigned day)
{
	static const unsigned before_month[] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
	uint64_t days = (uint64_t)(year - 1970) * 365 + before_month[month - 1] + day - 1;

	days += (year - 1969) / 4 - (year - 1901) / 100 + (year - 1601) / 400;   /* leap days before year */
	if (month > 2 && (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)))
		days++;
	return days;
}

/*
 * The RTC's date and time as seconds since 1970-01-01 00:00 UTC. Two-digit
 * years are 2000-2099 (the century register is not standard: ACPI names
 * it in the FADT, which we do not read). A nonsense month or day (an RTC
 * never set) counts as the first.
 */
uint64_t
rtc_read_epoch_seconds(void)
{
	struct rtc_time a, b;

	read_registers(&b);
	do {
		a = b;
		read_registers(&b);
	} while (a.sec != b.sec || a.min != b.min || a.hour != b.hour ||
		 a.day != b.day || a.mon != b.mon || a.year != b.year);
	decode(&b, cmos_read(RTC_STATUS_B));
	if (b.mon < 1 || b.mon > 12)
		b.mon = 1;
	if (b.day < 1 || b.day > 31)
		b.day = 1;
	return rtc_days_since_epoch(2000 + b.year % 100, b.mon, b.day) * 86400 +
	       (uint64_t)b.hour * 3600 + b.min * 60 + b.sec;
}
