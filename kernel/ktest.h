/*
 * kernel/ktest.h - in-kernel tests, selected by the test= kernel argument.
 *
 *   KTEST(heap_roundtrip)
 *   {
 *           void *p = kmalloc(32);
 *           KT_ASSERT(p != NULL);
 *           ...
 *   }
 *
 * Each test is a function placed in the .ktests section by the macro, so a
 * test file needs no registration. test=all runs the plain tests;
 * test=GROUP a group (the disk drivers' tests: "ata", "virtio", which need
 * the scratch disk the runner attaches); test=NAME runs one. Each prints "ok NAME" or
 * "not ok NAME: why". KTEST_CRASH tests end the kernel on purpose (a fault
 * report is what they show); the host runner boots each alone.
 */
#ifndef KERNEL_KTEST_H
#define KERNEL_KTEST_H

#include "kernel/types.h"

struct ktest {
	const char *name;
	void (*fn)(void);
	const char *group;     /* "" (run by test=all), "crash", "ata", "virtio", "ioerr" */
};

#define KTEST_DEFINE(tname, grp)                                              \
	static void ktest_##tname(void);                                      \
	static const struct ktest ktest_desc_##tname                          \
		__attribute__((used, section(".ktests"), aligned(8))) = {     \
			#tname, ktest_##tname, grp };                         \
	static void ktest_##tname(void)

#define KTEST(tname)        KTEST_DEFINE(tname, "")
#define KTEST_CRASH(tname)  KTEST_DEFINE(tname, "crash")
/* A test of its own group, run by test=GROUP: the disk drivers' tests
 * ("ata", "virtio") need the scratch disk tests/run attaches (scratch=). */
#define KTEST_GROUP(tname, grp) KTEST_DEFINE(tname, grp)
/* Needs a disk with an injected I/O error (ioerr_sector=): run by name only. */
#define KTEST_IOERR(tname)  KTEST_DEFINE(tname, "ioerr")

/* Fails the current test with a message and returns from the test function. */
#define KT_ASSERT(cond)                                                       \
	do {                                                                  \
		if (!(cond)) {                                                \
			ktest_fail(__FILE__, __LINE__, "%s", #cond);          \
			return;                                               \
		}                                                             \
	} while (0)

#define KT_ASSERT_EQ(a, b)                                                    \
	do {                                                                  \
		long long ka_ = (long long)(a), kb_ = (long long)(b);         \
		if (ka_ != kb_) {                                             \
			ktest_fail(__FILE__, __LINE__, "%s == %s (%lld != %lld)", \
				   #a, #b, ka_, kb_);                         \
			return;                                               \
		}                                                             \
	} while (0)

void ktest_fail(const char *file, int line, const char *fmt, ...) __printf(3, 4);
__noreturn void ktest_run(const char *which);

#endif
