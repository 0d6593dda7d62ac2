/*
 * kernel/sys_misc.c - uname and the host name, clocks, the TLS pointer,
 * random bytes.
 */
#include "drivers/timer.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/task.h"
#include "kernel/uapi.h"
#include "kernel/x86.h"
#include "mm/layout.h"

#define HOST_NAME_MAX 64               /* Linux's __NEW_UTS_LEN */

/* sethostname(2) and setdomainname(2) change these; uname(2) reports them. */
static char hostname[HOST_NAME_MAX + 1] = "pagoda";
static char domainname[HOST_NAME_MAX + 1] = "(none)";

long
sys_uname(struct utsname *ubuf)
{
	struct utsname u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, "pagoda", sizeof(u.sysname));
	strlcpy(u.nodename, hostname, sizeof(u.nodename));
	strlcpy(u.domainname, domainname, sizeof(u.domainname));
	strlcpy(u.release, "0.1", sizeof(u.release));
	strlcpy(u.version, "teaching kernel", sizeof(u.version));
	strlcpy(u.machine, "x86_64", sizeof(u.machine));
	return copy_to_user(ubuf, &u, sizeof(u));
}

/*
 * Copies a name of len bytes (no NUL needed) into name: -EINVAL past 64
 * bytes, -EFAULT. Linux wants CAP_SYS_ADMIN: everyone is root.
 */
static long
set_name(char *name, const char *uname, int len)
{
	char buf[HOST_NAME_MAX + 1];

	if (len < 0 || len > HOST_NAME_MAX)
		return -EINVAL;
	if (copy_from_user(buf, uname, (size_t)len))
		return -EFAULT;
	buf[len] = '\0';
	memcpy(name, buf, sizeof(buf));
	return 0;
}

long
sys_sethostname(const char *uname, int len)
{
	return set_name(hostname, uname, len);
}

long
sys_setdomainname(const char *uname, int len)
{
	return set_name(domainname, uname, len);
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
