/*
 * kernel/uapi.h - structures and constants user programs share with the
 * kernel, with the layouts of Linux x86-64 (so musl's headers agree).
 */
#ifndef KERNEL_UAPI_H
#define KERNEL_UAPI_H

#include "kernel/types.h"
#include "mm/uaccess.h"

#define TIOCGWINSZ 0x5413

struct winsize {
	uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};

struct timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};

struct timeval {
	int64_t tv_sec;
	int64_t tv_usec;
};

#define CLOCK_REALTIME   0
#define CLOCK_MONOTONIC  1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME   7

struct utsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

struct iovec {
	uint64_t iov_base;
	uint64_t iov_len;
};

/* struct stat of x86-64 Linux (asm/stat.h). */
struct stat {
	uint64_t st_dev, st_ino, st_nlink;
	uint32_t st_mode, st_uid, st_gid, pad0;
	uint64_t st_rdev;
	int64_t st_size, st_blksize, st_blocks;
	uint64_t st_atime, st_atime_nsec, st_mtime, st_mtime_nsec, st_ctime, st_ctime_nsec;
	int64_t unused[3];
};

/* mmap */
#define PROT_READ   1
#define PROT_WRITE  2
#define PROT_EXEC   4
#define MAP_SHARED  0x01
#define MAP_PRIVATE 0x02
#define MAP_FIXED   0x10
#define MAP_ANONYMOUS 0x20
#define MAP_LOCKED  0x2000
#define MAP_FIXED_NOREPLACE 0x100000

/* rt_sigaction */
#define SIG_DFL 0
#define SIG_IGN 1

/* arch_prctl */
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003

/* lseek */
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

#define AT_FDCWD (-100)

#endif
