/*
 * t_fsmeta - the plain system calls busybox's applets need: the time of
 * day, who we are (ids, groups, umask), descriptors (dup3, fcntl locks,
 * fchdir, getcwd), the calls that change names and attributes of files,
 * statfs, the kernel log (syslog) and the CPU affinity.
 *
 * Runs on the host too (tests/user-host.sh), where every check passes as
 * well: the error cases use paths whose answer is the same on any Linux
 * (a missing parent directory is ENOENT, an existing name EEXIST, a bad
 * flag EINVAL). What only pagoda can answer (its root remounted read-only
 * answers EROFS to a change; its root is ext2; it has one CPU; setting the clock
 * and the host name) is checked on pagoda only, told by uname().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <sys/utsname.h>
#include <time.h>

#include "check.h"

#define Y2020 1577836800L               /* 2020-01-01 00:00 UTC */
#define EXT2_SUPER_MAGIC 0xEF53
#define PROC_SUPER_MAGIC 0x9fa0
#define PIPEFS_MAGIC 0x50495045
#define ST_RDONLY 1
#define MISSING_DIR "/no-such-dir-t_fsmeta"

static bool pagoda;
static const char *self;                /* this program's path: a file that exists */

/* The raw system call, -errno on failure: libc's wrappers would not pass bad arguments through. */
static long
raw(long nr, long a, long b, long c, long d, long e)
{
	long r = syscall(nr, a, b, c, d, e);

	return r < 0 ? -errno : r;
}

#define ERR(name, call, want) \
	do { long r_ = (call); CHECK(name, r_ == (want), "got %ld, want %ld", r_, (long)(want)); } while (0)

static void
time_of_day(void)
{
	struct timeval tv = { 0, 0 };
	struct timespec ts, res;
	long t;

	CHECK("gettimeofday_after_2020", gettimeofday(&tv, NULL) == 0 && tv.tv_sec > Y2020,
	      "gettimeofday says %ld s: the RTC was not read", (long)tv.tv_sec);
	clock_gettime(CLOCK_REALTIME, &ts);
	CHECK("gettimeofday_agrees_with_clock_realtime", ts.tv_sec - tv.tv_sec <= 1 && ts.tv_sec >= tv.tv_sec,
	      "gettimeofday %ld, CLOCK_REALTIME %ld", (long)tv.tv_sec, (long)ts.tv_sec);
	t = raw(SYS_time, 0, 0, 0, 0, 0);
	CHECK("time_agrees", t >= tv.tv_sec && t - tv.tv_sec <= 1, "time() %ld, gettimeofday %ld", t, (long)tv.tv_sec);
	ERR("time_bad_pointer_efault", raw(SYS_time, 8, 0, 0, 0, 0), -EFAULT);
	ts = (struct timespec){ 1, 0 };
	ERR("clock_settime_monotonic_einval", raw(SYS_clock_settime, CLOCK_MONOTONIC, (long)&ts, 0, 0, 0), -EINVAL);
	ERR("clock_settime_bad_clock_einval", raw(SYS_clock_settime, 99, (long)&ts, 0, 0, 0), -EINVAL);
	ts = (struct timespec){ Y2020, 1000000000 };
	ERR("clock_settime_bad_nsec_einval", raw(SYS_clock_settime, CLOCK_REALTIME, (long)&ts, 0, 0, 0), -EINVAL);
	tv = (struct timeval){ Y2020, 1000000 };
	ERR("settimeofday_bad_usec_einval", raw(SYS_settimeofday, (long)&tv, 0, 0, 0, 0), -EINVAL);
	CHECK("clock_getres_realtime", clock_getres(CLOCK_REALTIME, &res) == 0 && res.tv_sec == 0 &&
	      res.tv_nsec > 0 && res.tv_nsec <= 10000000, "resolution %ld ns", (long)res.tv_nsec);
	ERR("clock_getres_null_ok", raw(SYS_clock_getres, CLOCK_MONOTONIC, 0, 0, 0, 0), 0);
	ERR("clock_getres_bad_clock_einval", raw(SYS_clock_getres, 99, (long)&res, 0, 0, 0), -EINVAL);
	struct timex tx = { .modes = 0 };
	ERR("clock_adjtime_monotonic_eopnotsupp", raw(SYS_clock_adjtime, CLOCK_MONOTONIC, (long)&tx, 0, 0, 0),
	    -EOPNOTSUPP);
	ERR("clock_adjtime_bad_clock_einval", raw(SYS_clock_adjtime, 99, (long)&tx, 0, 0, 0), -EINVAL);
	ERR("adjtimex_bad_pointer_efault", raw(SYS_adjtimex, 8, 0, 0, 0, 0), -EFAULT);
}

/* pagoda only: setting the clock an hour on moves CLOCK_REALTIME, not CLOCK_MONOTONIC. */
static void
set_clock(void)
{
	struct timeval before, after;
	struct timespec m0, m1;

	gettimeofday(&before, NULL);
	clock_gettime(CLOCK_MONOTONIC, &m0);
	before.tv_sec += 3600;
	CHECK("settimeofday_root_may", settimeofday(&before, NULL) == 0, "errno %d", errno);
	gettimeofday(&after, NULL);
	clock_gettime(CLOCK_MONOTONIC, &m1);
	CHECK("settimeofday_moves_realtime", after.tv_sec - before.tv_sec <= 1 && after.tv_sec >= before.tv_sec,
	      "set %ld, read %ld", (long)before.tv_sec, (long)after.tv_sec);
	CHECK("settimeofday_leaves_monotonic", m1.tv_sec - m0.tv_sec <= 1, "monotonic jumped %ld s",
	      (long)(m1.tv_sec - m0.tv_sec));
	struct timex tx = { .modes = 0 };
	long state = adjtimex(&tx);
	CHECK("adjtimex_reads_unsynchronized", state == TIME_ERROR && (tx.status & STA_UNSYNC) &&
	      tx.tick == 10000 && tx.time.tv_sec - after.tv_sec <= 1, "state %ld status %#x tick %ld time %ld",
	      state, tx.status, (long)tx.tick, (long)tx.time.tv_sec);
	tx = (struct timex){ .modes = ADJ_SETOFFSET, .time = { -1800, 0 } };
	CHECK("adjtimex_setoffset_steps", adjtimex(&tx) == TIME_ERROR && gettimeofday(&after, NULL) == 0 &&
	      after.tv_sec - (before.tv_sec - 1800) <= 1 && after.tv_sec >= before.tv_sec - 1800,
	      "after a -1800 s step: %ld, was %ld", (long)after.tv_sec, (long)before.tv_sec);
	tx = (struct timex){ .modes = ADJ_FREQUENCY, .freq = 1 };
	ERR("adjtimex_frequency_einval", raw(SYS_adjtimex, (long)&tx, 0, 0, 0, 0), -EINVAL);
	struct timespec back = { after.tv_sec - 1800, after.tv_usec * 1000L };
	CHECK("clock_settime_realtime", clock_settime(CLOCK_REALTIME, &back) == 0, "errno %d", errno);
	gettimeofday(&after, NULL);
	CHECK("clock_settime_sets_back", after.tv_sec - back.tv_sec <= 1 && after.tv_sec >= back.tv_sec,
	      "set %ld, read %ld", (long)back.tv_sec, (long)after.tv_sec);
}

static void
identity(void)
{
	gid_t groups[64];
	uid_t r = 1, e = 1, s = 1;
	int n = getgroups(0, NULL);

	/* A root login has the groups { 0 } (pagoda's answer); a host's test runner may have none. */
	CHECK("getgroups_count", n >= 0 && getgroups(64, groups) == n, "getgroups(0) = %d", n);
	if (pagoda || n > 0) {
		CHECK("getgroups_root_group", n == 1 && groups[0] == 0, "%d groups, first %d", n, (int)groups[0]);
		ERR("getgroups_bad_pointer_efault", raw(SYS_getgroups, 64, 8, 0, 0, 0), -EFAULT);
	}
	ERR("getgroups_negative_einval", raw(SYS_getgroups, -1, (long)groups, 0, 0, 0), -EINVAL);
	ERR("setgroups_too_many_einval", raw(SYS_setgroups, 65537, (long)groups, 0, 0, 0), -EINVAL);
	ERR("setuid_0", raw(SYS_setuid, 0, 0, 0, 0, 0), 0);
	ERR("setgid_0", raw(SYS_setgid, 0, 0, 0, 0, 0), 0);
	ERR("setreuid_keep", raw(SYS_setreuid, -1, 0, 0, 0, 0), 0);
	ERR("setresgid_keep", raw(SYS_setresgid, -1, -1, 0, 0, 0), 0);
	CHECK("getresuid_root", getresuid(&r, &e, &s) == 0 && r == 0 && e == 0 && s == 0,
	      "%d %d %d", (int)r, (int)e, (int)s);
	ERR("getresgid_bad_pointer_efault", raw(SYS_getresgid, 8, 8, 8, 0, 0), -EFAULT);
	ERR("setfsuid_returns_previous", raw(SYS_setfsuid, 0, 0, 0, 0, 0), 0);
	if (pagoda) {
		groups[0] = 0;
		ERR("setgroups_root", raw(SYS_setgroups, 1, (long)groups, 0, 0, 0), 0);
		ERR("setuid_other_einval", raw(SYS_setuid, 1000, 0, 0, 0, 0), -EINVAL);
	}
}

static void
umask_checks(void)
{
	mode_t first = umask(027);
	pid_t pid;
	int status;

	CHECK("umask_returns_old", umask(022) == 027, "second umask did not return 027");
	if (pagoda)
		CHECK("umask_default_022", first == 022, "init's umask %o", (unsigned)first);
	umask(01777);
	CHECK("umask_keeps_0777_bits", umask(027) == 0777, "umask(01777) not cut to 0777");
	pid = fork();
	if (pid == 0)
		_exit(umask(0) == 027 ? 0 : 1);
	CHECK("umask_inherited_by_fork", waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0, "the child's umask was not 027");
	CHECK("umask_child_change_not_ours", umask(first) == 027, "the child's umask(0) changed ours");
}

static void
descriptors(void)
{
	int fd = open(self, O_RDONLY | O_CLOEXEC), pfd[2];
	struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET };
	char buf[256];

	ERR("dup3_same_fd_einval", raw(SYS_dup3, fd, fd, 0, 0, 0), -EINVAL);
	ERR("dup3_bad_flags_einval", raw(SYS_dup3, fd, 20, O_NONBLOCK, 0, 0), -EINVAL);
	ERR("dup3_bad_fd_ebadf", raw(SYS_dup3, 29, 20, 0, 0, 0), -EBADF);
	CHECK("dup3_cloexec", dup3(fd, 20, O_CLOEXEC) == 20 && fcntl(20, F_GETFD) == FD_CLOEXEC,
	      "F_GETFD %d", fcntl(20, F_GETFD));
	CHECK("dup3_plain_not_cloexec", dup3(fd, 20, 0) == 20 && fcntl(20, F_GETFD) == 0,
	      "F_GETFD %d", fcntl(20, F_GETFD));
	close(20);
	CHECK("fcntl_getfl_no_open_flags", (fcntl(fd, F_GETFL) & (O_ACCMODE | O_CLOEXEC)) == O_RDONLY,
	      "F_GETFL %#x", fcntl(fd, F_GETFL));
	CHECK("fcntl_getlk_unlocked", fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type == F_UNLCK,
	      "l_type %d errno %d", fl.l_type, errno);
	fl.l_type = F_UNLCK;
	ERR("fcntl_getlk_unlck_einval", raw(SYS_fcntl, fd, F_GETLK, (long)&fl, 0, 0), -EINVAL);
	fl.l_type = F_RDLCK;
	ERR("fcntl_setlk_read_lock", raw(SYS_fcntl, fd, F_SETLK, (long)&fl, 0, 0), 0);
	ERR("fcntl_setlkw_unlock", raw(SYS_fcntl, fd, F_SETLKW, (long)&(struct flock){ .l_type = F_UNLCK }, 0, 0), 0);
	fl.l_type = F_WRLCK;
	ERR("fcntl_write_lock_on_rdonly_ebadf", raw(SYS_fcntl, fd, F_SETLK, (long)&fl, 0, 0), -EBADF);
	fl = (struct flock){ .l_type = 7 };
	ERR("fcntl_bad_lock_type_einval", raw(SYS_fcntl, fd, F_SETLK, (long)&fl, 0, 0), -EINVAL);
	fl = (struct flock){ .l_type = F_RDLCK, .l_whence = 9 };
	ERR("fcntl_bad_whence_einval", raw(SYS_fcntl, fd, F_SETLK, (long)&fl, 0, 0), -EINVAL);
	fl = (struct flock){ .l_type = F_RDLCK, .l_pid = 1 };
	ERR("fcntl_ofd_with_pid_einval", raw(SYS_fcntl, fd, F_OFD_SETLK, (long)&fl, 0, 0), -EINVAL);
	ERR("fcntl_lock_bad_pointer_efault", raw(SYS_fcntl, fd, F_SETLK, 8, 0, 0), -EFAULT);

	int dir = open("/tmp", O_RDONLY | O_DIRECTORY);
	chdir("/");
	CHECK("fchdir_changes_cwd", fchdir(dir) == 0 && getcwd(buf, sizeof(buf)) && strcmp(buf, "/tmp") == 0,
	      "cwd %s", buf);
	ERR("fchdir_file_enotdir", raw(SYS_fchdir, fd, 0, 0, 0, 0), -ENOTDIR);
	ERR("fchdir_bad_fd_ebadf", raw(SYS_fchdir, 29, 0, 0, 0, 0), -EBADF);
	ERR("getcwd_small_erange", raw(SYS_getcwd, (long)buf, 4, 0, 0, 0), -ERANGE);
	ERR("getcwd_zero_erange", raw(SYS_getcwd, (long)buf, 0, 0, 0, 0), -ERANGE);
	ERR("getcwd_returns_length", raw(SYS_getcwd, (long)buf, sizeof(buf), 0, 0, 0), 5);
	chdir("/");
	close(dir);

	ERR("fsync_file", raw(SYS_fsync, fd, 0, 0, 0, 0), 0);
	ERR("fdatasync_file", raw(SYS_fdatasync, fd, 0, 0, 0, 0), 0);
	ERR("fsync_bad_fd_ebadf", raw(SYS_fsync, 29, 0, 0, 0, 0), -EBADF);
	ERR("syncfs_file", raw(SYS_syncfs, fd, 0, 0, 0, 0), 0);
	sync();
	pipe(pfd);
	ERR("fsync_pipe_einval", raw(SYS_fsync, pfd[0], 0, 0, 0, 0), -EINVAL);
	ERR("ftruncate_rdonly_einval", raw(SYS_ftruncate, fd, 0, 0, 0, 0), -EINVAL);
	ERR("ftruncate_negative_einval", raw(SYS_ftruncate, fd, -1, 0, 0, 0), -EINVAL);
	ERR("ftruncate_bad_fd_ebadf", raw(SYS_ftruncate, 29, 0, 0, 0, 0), -EBADF);

	struct statfs sf = { 0 };
	CHECK("fstatfs_pipe_is_pipefs", fstatfs(pfd[0], &sf) == 0 && sf.f_type == PIPEFS_MAGIC,
	      "f_type %#lx", (long)sf.f_type);
	ERR("fstatfs_bad_fd_ebadf", raw(SYS_fstatfs, 29, (long)&sf, 0, 0, 0), -EBADF);
	close(pfd[0]);
	close(pfd[1]);
	close(fd);
}

/* Errors any Linux gives, whether its root is writable or not. */
static void
names_everywhere(void)
{
	char below_file[256];
	struct timespec omit[2] = { { 0, UTIME_OMIT }, { 0, UTIME_OMIT } };
	struct timespec bad[2] = { { 0, 1000000000 }, { 0, 0 } };
	struct timeval badtv[2] = { { 0, 1000000 }, { 0, 0 } };

	snprintf(below_file, sizeof(below_file), "%s/x", self);
	ERR("rename_missing_parent_enoent", raw(SYS_rename, (long)MISSING_DIR "/a", (long)MISSING_DIR "/b", 0, 0, 0), -ENOENT);
	ERR("rename_through_file_enotdir", raw(SYS_rename, (long)below_file, (long)"/tmp/x", 0, 0, 0), -ENOTDIR);
	ERR("renameat2_bad_flags_einval", raw(SYS_renameat2, AT_FDCWD, (long)self, AT_FDCWD, (long)self, 8), -EINVAL);
	ERR("renameat2_exchange_noreplace_einval",
	    raw(SYS_renameat2, AT_FDCWD, (long)self, AT_FDCWD, (long)self, 3), -EINVAL);
	ERR("link_missing_enoent", raw(SYS_link, (long)MISSING_DIR "/a", (long)"/tmp/x", 0, 0, 0), -ENOENT);
	ERR("link_missing_parent_enoent", raw(SYS_link, (long)self, (long)MISSING_DIR "/a", 0, 0, 0), -ENOENT);
	ERR("link_existing_eexist", raw(SYS_link, (long)self, (long)self, 0, 0, 0), -EEXIST);
	ERR("linkat_bad_flags_einval", raw(SYS_linkat, AT_FDCWD, (long)self, AT_FDCWD, (long)"/tmp/x", 1), -EINVAL);
	ERR("symlink_missing_parent_enoent", raw(SYS_symlink, (long)"x", (long)MISSING_DIR "/a", 0, 0, 0), -ENOENT);
	ERR("symlink_existing_eexist", raw(SYS_symlink, (long)"x", (long)self, 0, 0, 0), -EEXIST);
	ERR("symlink_empty_target_enoent", raw(SYS_symlink, (long)"", (long)"/tmp/x", 0, 0, 0), -ENOENT);
	ERR("mknod_dir_eperm", raw(SYS_mknod, (long)"/tmp/x", S_IFDIR | 0755, 0, 0, 0), -EPERM);
	ERR("mknod_bad_type_einval", raw(SYS_mknod, (long)"/tmp/x", 0170000, 0, 0, 0), -EINVAL);
	ERR("mknod_existing_eexist", raw(SYS_mknod, (long)self, S_IFIFO | 0600, 0, 0, 0), -EEXIST);
	ERR("mknodat_existing_eexist", raw(SYS_mknodat, AT_FDCWD, (long)self, S_IFIFO | 0600, 0, 0), -EEXIST);
	ERR("chmod_missing_enoent", raw(SYS_chmod, (long)MISSING_DIR, 0755, 0, 0, 0), -ENOENT);
	ERR("chmod_through_file_enotdir", raw(SYS_chmod, (long)below_file, 0755, 0, 0, 0), -ENOTDIR);
	ERR("fchmodat_missing_enoent", raw(SYS_fchmodat, AT_FDCWD, (long)MISSING_DIR, 0755, 0, 0), -ENOENT);
	ERR("fchmod_bad_fd_ebadf", raw(SYS_fchmod, 29, 0755, 0, 0, 0), -EBADF);
	ERR("chown_missing_enoent", raw(SYS_chown, (long)MISSING_DIR, 0, 0, 0, 0), -ENOENT);
	ERR("lchown_missing_enoent", raw(SYS_lchown, (long)MISSING_DIR, 0, 0, 0, 0), -ENOENT);
	ERR("fchown_bad_fd_ebadf", raw(SYS_fchown, 29, 0, 0, 0, 0), -EBADF);
	ERR("fchownat_bad_flags_einval", raw(SYS_fchownat, AT_FDCWD, (long)self, 0, 0, 1), -EINVAL);
	ERR("utimensat_missing_enoent", raw(SYS_utimensat, AT_FDCWD, (long)MISSING_DIR, 0, 0, 0), -ENOENT);
	ERR("utimensat_omit_both_is_0", raw(SYS_utimensat, AT_FDCWD, (long)MISSING_DIR, (long)omit, 0, 0), 0);
	ERR("utimensat_bad_nsec_einval", raw(SYS_utimensat, AT_FDCWD, (long)self, (long)bad, 0, 0), -EINVAL);
	ERR("utimensat_bad_flags_einval", raw(SYS_utimensat, AT_FDCWD, (long)self, 0, 1, 0), -EINVAL);
	ERR("utimensat_null_path_bad_fd_ebadf", raw(SYS_utimensat, 29, 0, 0, 0, 0), -EBADF);
	ERR("utimes_missing_enoent", raw(SYS_utimes, (long)MISSING_DIR, 0, 0, 0, 0), -ENOENT);
	ERR("utimes_bad_usec_einval", raw(SYS_utimes, (long)self, (long)badtv, 0, 0, 0), -EINVAL);
	ERR("truncate_negative_einval", raw(SYS_truncate, (long)self, -1, 0, 0, 0), -EINVAL);
	ERR("truncate_missing_enoent", raw(SYS_truncate, (long)MISSING_DIR, 0, 0, 0, 0), -ENOENT);
	ERR("truncate_dir_eisdir", raw(SYS_truncate, (long)"/", 0, 0, 0, 0), -EISDIR);
	ERR("access_bad_mode_einval", raw(SYS_access, (long)self, 8, 0, 0, 0), -EINVAL);
	ERR("access_dir_x_ok", raw(SYS_access, (long)"/", X_OK, 0, 0, 0), 0);
	ERR("faccessat2_eaccess", raw(SYS_faccessat2, AT_FDCWD, (long)"/", X_OK, AT_EACCESS, 0), 0);
	ERR("faccessat2_bad_flags_einval", raw(SYS_faccessat2, AT_FDCWD, (long)"/", X_OK, 1, 0), -EINVAL);
	ERR("access_missing_enoent", raw(SYS_access, (long)MISSING_DIR, F_OK, 0, 0, 0), -ENOENT);
}

/*
 * pagoda's root remounted read-only (`mount -o remount,ro /`): what Linux
 * answers for a read-only mount; then read-write again.
 */
static void
names_readonly_root(void)
{
	struct statfs sf = { 0 };

	ERR("remount_root_ro", raw(SYS_mount, 0, (long)"/", 0, MS_REMOUNT | MS_RDONLY, 0), 0);
	CHECK("statfs_root_rdonly", statfs("/", &sf) == 0 && (sf.f_flags & ST_RDONLY),
	      "flags %#lx", (long)sf.f_flags);
	ERR("rename_on_ro_root_erofs", raw(SYS_rename, (long)self, (long)"/bin/renamed", 0, 0, 0), -EROFS);
	ERR("rename_missing_on_ro_root_erofs", raw(SYS_rename, (long)"/no-such-file", (long)"/x", 0, 0, 0), -EROFS);
	ERR("rename_root_to_proc_exdev", raw(SYS_rename, (long)self, (long)"/proc/x", 0, 0, 0), -EXDEV);
	ERR("link_on_ro_root_erofs", raw(SYS_link, (long)self, (long)"/bin/linked", 0, 0, 0), -EROFS);
	ERR("symlink_on_ro_root_erofs", raw(SYS_symlink, (long)"x", (long)"/bin/symlinked", 0, 0, 0), -EROFS);
	ERR("mknod_on_ro_root_erofs", raw(SYS_mknod, (long)"/bin/fifo", S_IFIFO | 0600, 0, 0, 0), -EROFS);
	ERR("chmod_on_ro_root_erofs", raw(SYS_chmod, (long)self, 0700, 0, 0, 0), -EROFS);
	ERR("chown_on_ro_root_erofs", raw(SYS_chown, (long)self, 0, 0, 0, 0), -EROFS);
	ERR("utimensat_on_ro_root_erofs", raw(SYS_utimensat, AT_FDCWD, (long)self, 0, 0, 0), -EROFS);
	ERR("truncate_on_ro_root_erofs", raw(SYS_truncate, (long)self, 0, 0, 0, 0), -EROFS);
	ERR("access_w_ok_on_ro_root_erofs", raw(SYS_access, (long)self, W_OK, 0, 0, 0), -EROFS);
	int fd = open(self, O_RDONLY);
	ERR("fchmod_on_ro_root_erofs", raw(SYS_fchmod, fd, 0700, 0, 0, 0), -EROFS);
	ERR("futimens_on_ro_root_erofs", raw(SYS_utimensat, fd, 0, 0, 0, 0), -EROFS);
	close(fd);
	ERR("remount_root_rw", raw(SYS_mount, 0, (long)"/", 0, MS_REMOUNT, 0), 0);
	CHECK("statfs_root_rw", statfs("/", &sf) == 0 && !(sf.f_flags & ST_RDONLY),
	      "flags %#lx", (long)sf.f_flags);
}

static void
statfs_checks(void)
{
	struct statfs sf = { 0 };

	CHECK("statfs_proc", statfs("/proc", &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC,
	      "f_type %#lx", (long)sf.f_type);
	ERR("statfs_missing_enoent", raw(SYS_statfs, (long)MISSING_DIR, (long)&sf, 0, 0, 0), -ENOENT);
	ERR("statfs_bad_pointer_efault", raw(SYS_statfs, (long)"/", 8, 0, 0, 0), -EFAULT);
	if (!pagoda)
		return;
	CHECK("statfs_root_ext2", statfs("/", &sf) == 0 && sf.f_type == EXT2_SUPER_MAGIC &&
	      sf.f_namelen == 255, "f_type %#lx namelen %ld flags %#lx",
	      (long)sf.f_type, (long)sf.f_namelen, (long)sf.f_flags);
	CHECK("statfs_root_counts", sf.f_blocks > 0 && sf.f_bfree <= sf.f_blocks && sf.f_bavail <= sf.f_bfree &&
	      sf.f_files > 0 && sf.f_ffree < sf.f_files && (sf.f_bsize == 1024 || sf.f_bsize == 4096),
	      "bsize %ld blocks %lu bfree %lu bavail %lu files %lu ffree %lu", (long)sf.f_bsize,
	      (unsigned long)sf.f_blocks, (unsigned long)sf.f_bfree, (unsigned long)sf.f_bavail,
	      (unsigned long)sf.f_files, (unsigned long)sf.f_ffree);
}

static void
kernel_log(void)
{
	static char log[256 * 1024];
	long size = raw(SYS_syslog, 10, 0, 0, 0, 0), n;

	CHECK("syslog_size_buffer", size > 0, "SIZE_BUFFER %ld", size);
	n = raw(SYS_syslog, 3, (long)log, sizeof(log) - 1, 0, 0);
	CHECK("syslog_read_all", n > 0 && log[0] == '<', "READ_ALL %ld, starts %.20s", n, n > 0 ? log : "");
	if (n > 0)
		log[n] = '\0';
	if (pagoda)
		CHECK("syslog_has_boot_line", n > 0 && strstr(log, "] timer: PIT at "),
		      "no timer line in the log");
	CHECK("syslog_size_unread", raw(SYS_syslog, 9, 0, 0, 0, 0) >= 0, "SIZE_UNREAD failed");
	ERR("syslog_bad_type_einval", raw(SYS_syslog, 11, 0, 0, 0, 0), -EINVAL);
	ERR("syslog_negative_type_einval", raw(SYS_syslog, -1, 0, 0, 0, 0), -EINVAL);
	ERR("syslog_null_buffer_einval", raw(SYS_syslog, 3, 0, 100, 0, 0), -EINVAL);
	ERR("syslog_negative_len_einval", raw(SYS_syslog, 3, (long)log, -1, 0, 0), -EINVAL);
	ERR("syslog_zero_len", raw(SYS_syslog, 3, (long)log, 0, 0, 0), 0);
	ERR("syslog_bad_console_level_einval", raw(SYS_syslog, 8, 0, 9, 0, 0), -EINVAL);
}

static void
scheduler(void)
{
	cpu_set_t set;
	struct utsname u;

	CPU_ZERO(&set);
	long n = raw(SYS_sched_getaffinity, 0, sizeof(set), (long)&set, 0, 0);
	CHECK("sched_getaffinity", n > 0 && n % 8 == 0 && CPU_COUNT(&set) >= 1, "returned %ld, %d CPUs", n,
	      CPU_COUNT(&set));
	ERR("sched_getaffinity_odd_len_einval", raw(SYS_sched_getaffinity, 0, 1, (long)&set, 0, 0), -EINVAL);
	ERR("sched_getaffinity_no_process_esrch",
	    raw(SYS_sched_getaffinity, 0x3fffffff, sizeof(set), (long)&set, 0, 0), -ESRCH);
	CHECK("getpriority_self", getpriority(PRIO_PROCESS, 0) >= -20, "errno %d", errno);
	ERR("getpriority_bad_which_einval", raw(SYS_getpriority, 9, 0, 0, 0, 0), -EINVAL);
	ERR("getpriority_no_process_esrch", raw(SYS_getpriority, PRIO_PROCESS, 0x3fffffff, 0, 0, 0), -ESRCH);
	ERR("ioprio_get_self", raw(SYS_ioprio_get, 1, 0, 0, 0, 0) >= 0 ? 0 : -1, 0);
	ERR("ioprio_get_bad_which_einval", raw(SYS_ioprio_get, 9, 0, 0, 0, 0), -EINVAL);
	ERR("ioprio_set_best_effort", raw(SYS_ioprio_set, 1, 0, (2 << 13) | 4, 0, 0), 0);
	ERR("ioprio_set_bad_class_einval", raw(SYS_ioprio_set, 1, 0, 7 << 13, 0, 0), -EINVAL);
	ERR("ioprio_set_none_with_level_einval", raw(SYS_ioprio_set, 1, 0, 1, 0, 0), -EINVAL);
	ERR("sethostname_too_long_einval", raw(SYS_sethostname, (long)"x", 65, 0, 0, 0), -EINVAL);
	if (!pagoda)
		return;
	CHECK("one_cpu", CPU_COUNT(&set) == 1 && CPU_ISSET(0, &set), "%d CPUs", CPU_COUNT(&set));
	ERR("getpriority_nice_0_raw_20", raw(SYS_getpriority, PRIO_PROCESS, 0, 0, 0, 0), 20);
	ERR("setpriority_accepted", raw(SYS_setpriority, PRIO_PROCESS, 0, 5, 0, 0), 0);
	CHECK("sethostname", sethostname("lotus", 5) == 0 && uname(&u) == 0 && strcmp(u.nodename, "lotus") == 0,
	      "nodename %s", u.nodename);
	sethostname("pagoda", 6);
}

int
main(int argc, char **argv)
{
	(void)argc;
	pagoda = running_on_pagoda();
	self = argv[0][0] == '/' ? argv[0] : "/bin/t_fsmeta";
	time_of_day();
	identity();
	umask_checks();
	descriptors();
	names_everywhere();
	statfs_checks();
	kernel_log();
	scheduler();
	if (pagoda) {
		set_clock();
		names_readonly_root();
	}
	return check_exit();
}
