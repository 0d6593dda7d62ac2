/*
 * kernel/power.c - power off QEMU with an exit status, or halt.
 *
 * QEMU's isa-debug-exit device (tools/qemu.sh adds it at port 0xf4)
 * exits QEMU with status (value << 1) | 1 when a value is written to it;
 * tools/qemu.sh maps that back, so init's exit status S becomes its own
 * (`make run` passes S on as make's "Error S"). Statuses 0..127 survive
 * the round trip (qemu.sh reads larger ones from the console). QEMU's
 * own failures (a disk image another QEMU holds) also exit with 1, as a
 * 0 written here would: the "power: off" line we print first tells them
 * apart. Without
 * that device (another emulator, real hardware) we try the ACPI
 * shutdown ports of QEMU's two machine types, then halt for good.
 */
#include "kernel/power.h"
#include "kernel/printk.h"
#include "kernel/x86.h"

#define DEBUG_EXIT_PORT   0xf4
#define PIIX4_PM1A_CNT    0x604   /* QEMU "pc": SLP_TYPa=0, SLP_EN */
#define ICH9_PM1A_CNT     0xb004  /* older QEMU / Bochs */
#define PM1_SLEEP         0x2000

__noreturn void
power_halt(void)
{
	for (;;) {
		cli();
		hlt();
	}
}

__noreturn void
power_off(int status)
{
	cli();
	/* QEMU exits 1 also when it fails on its own: this line tells qemu.sh
	 * it was us, so it is shown whatever loglevel= says. */
	printk_set_console_level(LOGLEVEL_MAX);
	pr_emerg("power: off, status %d\n", status);
	outl(DEBUG_EXIT_PORT, (uint32_t)status & 0x7f);
	outw(PIIX4_PM1A_CNT, PM1_SLEEP);
	outw(ICH9_PM1A_CNT, PM1_SLEEP);
	pr_emerg("power: could not power off; halting\n");
	power_halt();
}
