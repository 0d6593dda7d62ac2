/*
 * kernel/syscall.h - the system call table and every sys_* function.
 */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include "kernel/types.h"

struct trap_frame;
struct iovec;
struct timespec;
struct utsname;

/* trap_frame.vector of a system call's frame (no IDT gate: a label), and
 * of a frame rt_sigreturn restored (no longer a call to restart). */
#define SYSCALL_VECTOR   0x80
#define SIGRETURN_VECTOR 0x81

void syscall_init(void);
void syscall_dispatch(struct trap_frame *tf);

/* kernel/sys_file.c */
long sys_read(int fd, void *ubuf, size_t len);
long sys_write(int fd, const void *ubuf, size_t len);
long sys_readv(int fd, const struct iovec *uiov, int iovcnt);
long sys_writev(int fd, const struct iovec *uiov, int iovcnt);
long sys_open(const char *upath, int flags, int mode);
long sys_openat(int dirfd, const char *upath, int flags, int mode);
long sys_close(int fd);
long sys_lseek(int fd, int64_t off, int whence);
long sys_ioctl(int fd, unsigned long cmd, unsigned long arg);
long sys_pipe(int *ufds);
long sys_pipe2(int *ufds, int flags);
long sys_dup(int fd);
long sys_dup2(int oldfd, int newfd);
long sys_fcntl(int fd, int cmd, unsigned long arg);
long sys_fstat(int fd, void *ustat);
long sys_pwrite64(int fd, const void *ubuf, size_t len, int64_t off);
long sys_pread64(int fd, void *ubuf, size_t len, int64_t off);
long sys_access(const char *upath, int mode);
long sys_getdents64(int fd, void *udirp, size_t count);
long sys_newfstatat(int dirfd, const char *upath, void *ustat, int flags);
long sys_stat(const char *upath, void *ustat);
long sys_lstat(const char *upath, void *ustat);
long sys_readlinkat(int dirfd, const char *upath, char *ubuf, int bufsiz);
long sys_readlink(const char *upath, char *ubuf, int bufsiz);
long sys_getcwd(char *ubuf, size_t size);
long sys_chdir(const char *upath);
long sys_mkdir(const char *upath, int mode);
long sys_mkdirat(int dirfd, const char *upath, int mode);
long sys_rmdir(const char *upath);
long sys_unlink(const char *upath);
long sys_unlinkat(int dirfd, const char *upath, int flags);
long sys_faccessat(int dirfd, const char *upath, int mode);
long sys_faccessat2(int dirfd, const char *upath, int mode, int flags);

/* kernel/sys_fd.c */
struct file;
struct flock;
long sys_dup3(int oldfd, int newfd, int flags);
bool fcntl_is_lock_cmd(int cmd);
long fcntl_lock(struct file *f, int cmd, struct flock *ufl);

/* kernel/sys_proc.c */
long sys_fork(void);
long sys_vfork(void);
long sys_clone(unsigned long flags, unsigned long newsp, int *uparent_tid, int *uchild_tid,
	       unsigned long tls);
long sys_exit(int code);
long sys_exit_group(int code);
long sys_gettid(void);
long sys_futex(uint32_t *uaddr, int op, uint32_t val, const struct timespec *uts, uint32_t *uaddr2,
	       uint32_t val3);
long sys_set_robust_list(void *uhead, size_t len);
long sys_wait4(int pid, int *ustatus, int options, void *urusage);
long sys_getpid(void);
long sys_prctl(int option, unsigned long arg2);
long sys_getppid(void);
struct rlimit;
long sys_getrlimit(unsigned resource, struct rlimit *uold);
long sys_setrlimit(unsigned resource, const struct rlimit *unew);
long sys_prlimit64(int pid, unsigned resource, const struct rlimit *unew, struct rlimit *uold);
/* kernel/sys_signal.c, kernel/signal_frame.c */
long sys_kill(int pid, int sig);
long sys_tkill(int tid, int sig);
long sys_tgkill(int tgid, int tid, int sig);
long sys_rt_sigreturn(void);
long sys_rt_sigpending(void *uset, size_t sigsetsize);
long sys_rt_sigsuspend(const void *umask, size_t sigsetsize);
long sys_rt_sigtimedwait(const void *uset, void *uinfo, const struct timespec *utimeout,
			 size_t sigsetsize);
long sys_sigaltstack(const void *uss, void *uold);
long sys_pause(void);

/* kernel/sys_poll.c */
struct pollfd;
struct timeval;
long sys_poll(struct pollfd *ufds, unsigned n, int timeout_ms);
long sys_ppoll(struct pollfd *ufds, unsigned n, const struct timespec *uts, const void *umask,
	       size_t sigsetsize);
long sys_select(int nfds, void *ur, void *uw, void *ue, struct timeval *utv);
long sys_pselect6(int nfds, void *ur, void *uw, void *ue, const struct timespec *uts,
		  const void *usig);

/* kernel/pgrp.c */
struct ksiginfo;
long sys_setpgid(int pid, int pgid);
long sys_getpgid(int pid);
long sys_getpgrp(void);
long sys_setsid(void);
long sys_getsid(int pid);
int pgrp_signal(int pgid, int sig, const struct ksiginfo *info);
int pgrp_session(int pgid);

/* kernel/sys_time.c */
struct itimerval;
long sys_clock_nanosleep(int clock, int flags, const struct timespec *ureq, struct timespec *urem);
long sys_getitimer(int which, struct itimerval *uval);
long sys_setitimer(int which, const struct itimerval *unew, struct itimerval *uold);
long sys_alarm(unsigned seconds);
long timespec_from_user(const struct timespec *uts, uint64_t *ns);
long timeval_to_ns(const struct timeval *tv, uint64_t *ns);
void itimer_tick(void);
long sys_sched_yield(void);
long sys_nanosleep(const struct timespec *ureq, struct timespec *urem);
long sys_set_tid_address(int *utid);
long sys_rt_sigaction(int sig, const void *uact, void *uold, size_t sigsetsize);
long sys_rt_sigprocmask(int how, const void *uset, void *uold, size_t sigsetsize);
long sys_getuid(void);

/* kernel/sys_acct.c */
struct tms;
struct rusage;
struct sysinfo;
long sys_times(struct tms *ubuf);
long sys_getrusage(int who, struct rusage *ubuf);
long sys_sysinfo(struct sysinfo *ubuf);
struct task_acct;
long rusage_to_user(const struct task_acct *a, void *urusage);

/* kernel/sys_misc.c */
long sys_uname(struct utsname *ubuf);
long sys_sethostname(const char *uname, int len);
long sys_setdomainname(const char *uname, int len);
long sys_clock_gettime(int clock, struct timespec *uts);
long sys_arch_prctl(int code, unsigned long addr);
long sys_getrandom(void *ubuf, size_t len, unsigned flags);

/* kernel/fs/memfd.c */
long sys_memfd_create(const char *uname, unsigned flags);

/* kernel/sys_mount.c */
long sys_mount(const char *usource, const char *utarget, const char *utype, unsigned long flags,
	       const void *udata);
long sys_umount2(const char *utarget, int flags);
/* kernel/sys_timeofday.c */
struct timezone;
long sys_gettimeofday(struct timeval *utv, struct timezone *utz);
long sys_time(int64_t *utloc);
long sys_settimeofday(const struct timeval *utv, const struct timezone *utz);
long sys_clock_settime(int clock, const struct timespec *uts);
long sys_clock_getres(int clock, struct timespec *uts);
struct timex;
long sys_adjtimex(struct timex *utx);
long sys_clock_adjtime(int clock, struct timex *utx);

/* kernel/sys_cred.c */
long sys_setuid(uint32_t uid);
long sys_setgid(uint32_t gid);
long sys_setreid(uint32_t rid, uint32_t eid);
long sys_setresid(uint32_t rid, uint32_t eid, uint32_t sid);
long sys_getresid(uint32_t *urid, uint32_t *ueid, uint32_t *usid);
long sys_setfsid(uint32_t id);
long sys_getgroups(int size, uint32_t *ulist);
long sys_setgroups(int size, const uint32_t *ulist);
long sys_umask(unsigned mask);

/* kernel/sys_syslog.c */
long sys_syslog(int type, char *ubuf, int len);

/* kernel/sys_sched.c */
long sys_sched_getaffinity(int pid, size_t len, uint8_t *umask);
long sys_sched_setaffinity(int pid, size_t len, const uint8_t *umask);
long sys_getpriority(int which, int who);
long sys_setpriority(int which, int who, int nice);
long sys_ioprio_set(int which, int who, int ioprio);
long sys_ioprio_get(int which, int who);

/* kernel/sys_fsmeta.c */
struct statfs;
long sys_renameat2(int olddirfd, const char *uold, int newdirfd, const char *unew, unsigned flags);
long sys_renameat(int olddirfd, const char *uold, int newdirfd, const char *unew);
long sys_rename(const char *uold, const char *unew);
long sys_linkat(int olddirfd, const char *uold, int newdirfd, const char *unew, int flags);
long sys_link(const char *uold, const char *unew);
long sys_symlinkat(const char *utarget, int newdirfd, const char *ulinkpath);
long sys_symlink(const char *utarget, const char *ulinkpath);
long sys_mknodat(int dirfd, const char *upath, unsigned mode, unsigned dev);
long sys_mknod(const char *upath, unsigned mode, unsigned dev);
long sys_fchmodat(int dirfd, const char *upath, unsigned mode);
long sys_chmod(const char *upath, unsigned mode);
long sys_fchmod(int fd, unsigned mode);
long sys_fchownat(int dirfd, const char *upath, uint32_t uid, uint32_t gid, int flags);
long sys_chown(const char *upath, uint32_t uid, uint32_t gid);
long sys_lchown(const char *upath, uint32_t uid, uint32_t gid);
long sys_fchown(int fd, uint32_t uid, uint32_t gid);
long sys_utimensat(int dirfd, const char *upath, const struct timespec *utimes, int flags);
long sys_utimes(const char *upath, const struct timeval *utimes);
long sys_truncate(const char *upath, int64_t length);
long sys_ftruncate(int fd, int64_t length);
long sys_fsync(int fd);
long sys_fdatasync(int fd);
long sys_sync(void);
long sys_syncfs(int fd);
long sys_statfs(const char *upath, struct statfs *ubuf);
long sys_fstatfs(int fd, struct statfs *ubuf);
long sys_fchdir(int fd);

/* mm/sys_mm.c */
long sys_brk(unsigned long addr);
long sys_mmap(unsigned long addr, size_t len, int prot, int flags, int fd, int64_t off);
long sys_munmap(unsigned long addr, size_t len);
long sys_mprotect(unsigned long addr, size_t len, int prot);
long sys_mincore(unsigned long addr, size_t len, unsigned char *uvec);
long sys_msync(unsigned long start, size_t len, int flags);
long sys_madvise(unsigned long addr, size_t len, int advice);

/* mm/swapon.c */
long sys_swapon(const char *upath, int flags);
long sys_swapoff(const char *upath);

/* mm/mremap.c */
long sys_mremap(unsigned long addr, size_t old_len, size_t new_len, int flags, unsigned long new_addr);

/* mm/mlock.c */
long sys_mlock(unsigned long addr, size_t len);
long sys_munlock(unsigned long addr, size_t len);
long sys_mlockall(int flags);
long sys_munlockall(void);
long sys_mlock2(unsigned long addr, size_t len, int flags);

#endif
