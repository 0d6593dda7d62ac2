/*
 * tests/ktest/space_test.h - a test address space for the labs' in-kernel
 * tests (lab6.c: the clock hand and lru2's decision; lab7.c: swap-out and
 * swap-in): an address space of its own with one anonymous region, whose
 * pages the test maps, reads through the MMU and faults on itself.
 *
 *   base                                            base + npages pages
 *   +----------+----------+----------+-----+----------+
 *   |  page 0  |  page 1  |  page 2  | ... |          |   one region,
 *   +----------+----------+----------+-----+----------+   read-write,
 *     space_map_new(s, i, fill): a frame filled with     anonymous
 *     `fill`, mapped as do_anon_fault would map it
 *
 * Nothing here goes through a lab's region except what the test means to
 * test: pages are mapped by hand (not by the fault path), so a stubbed
 * fault handler cannot hide behind them, and a page is touched by a plain
 * read through its PTE, so its accessed bit is set by the MMU itself.
 * The tests run in kmain's context (the idle task, no address space of
 * its own); a space is loaded only for the instant of a touch.
 */
#ifndef TESTS_KTEST_SPACE_TEST_H
#define TESTS_KTEST_SPACE_TEST_H

#include "kernel/ktest.h"
#include "mm/fault.h"
#include "mm/mm.h"
#include "mm/page.h"

#define SPACE_BASE      0x40000000UL   /* 1 GiB: far from anything a process maps */
#define SPACE_MAX_PAGES 16

struct test_space {
	struct mm *mm;
	int npages;
};

int space_create(struct test_space *s, int npages);
int space_share(struct test_space *s, const struct test_space *parent);
void space_destroy(struct test_space *s);
vaddr_t space_va(int i);
struct page *space_map_new(struct test_space *s, int i, uint8_t fill);
void space_touch(struct test_space *s, int i);
struct vmm_entry space_entry(const struct test_space *s, int i);
int space_copy_entry(struct test_space *to, const struct test_space *from, int i);
enum fault_result space_fault(struct test_space *s, int i, bool write, const char **why);
bool page_filled_with(const struct page *p, uint8_t fill);

#endif
