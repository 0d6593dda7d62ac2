/*
 * mm/uaccess.h - copying to and from user memory, safely.
 */
#ifndef MM_UACCESS_H
#define MM_UACCESS_H

#include "kernel/types.h"

/* copy_* may sleep: the user page may have to be faulted in. */
bool access_ok(vaddr_t uaddr, size_t len);
int copy_from_user(void *dst, const void *usrc, size_t len);
int copy_to_user(void *udst, const void *src, size_t len);
long strncpy_from_user(char *dst, const char *usrc, size_t size);
bool uaccess_fixup(vaddr_t *rip);

/* The same, for a user address that arrives as a system-call argument. */
static inline int
copy_to_user_ptr(uint64_t uaddr, const void *src, size_t len)
{
	return copy_to_user((void *)uaddr, src, len);
}

static inline int
copy_from_user_ptr(void *dst, uint64_t uaddr, size_t len)
{
	return copy_from_user(dst, (const void *)uaddr, len);
}

#endif
