/*
 * kernel/types.h - the basic types every file uses.
 *
 * Distinct names for distinct things (docs/design.md section 12): a
 * physical address, a virtual address and a frame number are all integers
 * to the CPU, but giving them their own names makes a mix-up visible in
 * review.
 */
#ifndef KERNEL_TYPES_H
#define KERNEL_TYPES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t;  /* physical address */
typedef uint64_t vaddr_t;  /* virtual address */
typedef uint64_t pfn_t;    /* physical frame number: paddr >> PAGE_SHIFT */

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1UL << PAGE_SHIFT)

#define ARRAY_SIZE(a)       (sizeof(a) / sizeof((a)[0]))
#define ALIGN_DOWN(x, a)    ((x) & ~((__typeof__(x))(a) - 1))
#define ALIGN_UP(x, a)      ALIGN_DOWN((x) + (a) - 1, (a))
#define MIN(a, b)           ((a) < (b) ? (a) : (b))
#define MAX(a, b)           ((a) > (b) ? (a) : (b))

#define __noreturn          __attribute__((noreturn))
#define __noinline          __attribute__((noinline))
#define __packed            __attribute__((packed))
#define __aligned(n)        __attribute__((aligned(n)))
#define __unused            __attribute__((unused))
#define __printf(a, b)      __attribute__((format(printf, a, b)))

#endif
