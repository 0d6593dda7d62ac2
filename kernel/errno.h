/*
 * kernel/errno.h - error numbers, Linux's values (user space sees them as
 * -errno from system calls, so they must match asm-generic/errno-base.h).
 */
#ifndef KERNEL_ERRNO_H
#define KERNEL_ERRNO_H

#define EPERM    1
#define ENOENT   2
#define ESRCH    3
#define EINTR    4
#define EIO      5
#define ENXIO    6
#define E2BIG    7
#define ENOEXEC  8
#define EBADF    9
#define ECHILD  10
#define EAGAIN  11
#define ENOMEM  12
#define EACCES  13
#define EFAULT  14
#define ENOTBLK 15
#define EBUSY   16
#define EEXIST  17
#define EXDEV   18
#define ENODEV  19
#define ENOTDIR 20
#define EISDIR  21
#define EINVAL  22
#define ENFILE  23
#define EMFILE  24
#define ENOTTY  25
#define ETXTBSY 26
#define EFBIG   27
#define ENOSPC  28
#define ESPIPE  29
#define EROFS   30
#define EMLINK  31
#define EPIPE   32
#define ERANGE  34
#define ENAMETOOLONG 36
#define ENOSYS  38
#define ENOTEMPTY 39
#define ELOOP   40
#define EOPNOTSUPP 95
#define ETIMEDOUT 110
#define EUCLEAN 117

/*
 * Never seen by user space (Linux's include/linux/errno.h): a slow system
 * call interrupted by a signal returns one of these, and return_to_user()
 * turns it into a restart of the call or into -EINTR, as the handler's
 * SA_RESTART says (kernel/signal.c).
 */
#define ERESTARTSYS    512    /* restart if SA_RESTART or no handler ran; else EINTR */
#define ERESTARTNOINTR 513    /* always restart */
#define ERESTARTNOHAND 514    /* restart if no handler ran; else EINTR */

#endif
