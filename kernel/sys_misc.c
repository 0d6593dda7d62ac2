/*
 * kernel/sys_misc.c - uname, clocks, the TLS pointer, random bytes.
 */
#include "drivers/timer.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/task.h"
#include "kernel/uapi.h"
#include "kernel/x86.h"
#include "mm/layout.h"


long
sys_uname(struct utsname *ubuf)
{
	struct utsname u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, "pagoda", sizeof(u.sysname));
	strlcpy(u.nodename, "pagoda", sizeof(u.nodename));
	strlcpy(u.release, "0.1", sizeof(u.release));
	strlcpy(u.version, "teaching kernel", sizeof(u.version));
	strlcpy(u.machine, "x86_64", sizeof(u.machine));
	return copy_to_user(ubuf, &u, sizeof(u));
}

long
sys_clock_gettime(int clock, struct timespec *uts)
{
	uint64_t ns;
	struct timespec ts;

	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		ns = timer_realtime_ns();
		break;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
	case CLOCK_PROCESS_CPUTIME_ID:
		ns = timer_uptime_ns();
		break;
	default:
		return -EINVAL;
	}
	ts.tv_sec = (int64_t)(ns / 1000000000);
	ts.tv_nsec = (int64_t)(ns % 1000000000);
	return copy_to_user(uts, &ts, sizeof(ts));
}

/* ARCH_SET_FS: musl puts its thread pointer (TLS) in the FS base. */
long
sys_arch_prctl(int code, unsigned long addr)
{
	switch (code) {
	case ARCH_SET_FS:
		if (addr >= USER_TOP)
			return -EPERM;
		current->fs_base = addr;
		wrmsr(MSR_FS_BASE, addr);
		return 0;
	case ARCH_GET_FS:
		return copy_to_user((void *)addr, &current->fs_base, sizeof(current->fs_base));
	default:
		return -EINVAL;
	}
}

/* Pseudo-random bytes (kernel/x86.h): not cryptographic, enough for hash seeds. */
long
sys_getrandom(void *ubuf, size_t len, unsigned flags)
{
	uint8_t b[256];

	len = MIN(len, sizeof(b));
	pseudo_random_bytes(b, len);
	return copy_to_user(ubuf, b, len) ? -EFAULT : (long)len;
}
