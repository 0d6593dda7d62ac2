/*
 * t_uvm - virtual memory from user space, with mprotect and SIGSEGV: the
 * classic uses of Appel and Li ("Virtual Memory Primitives for User
 * Programs", 1991), on Linux and on pagoda alike.
 *
 *   pager      4 MiB mapped PROT_NONE; the SIGSEGV handler "pages in" the
 *              faulting page (mprotect it readable and writable, fill it
 *              with its contents) and returns, and the access runs again:
 *              every page faults exactly once, every word is right, and
 *              touching it all again faults no more
 *   barrier    a write barrier (a generational collector's, a checkpointer's):
 *              a filled region made read-only; the handler records each
 *              page written to and makes it writable: the dirty set is
 *              exactly the pages written, one fault each, reads free
 *
 * The handler sees SEGV_ACCERR (a region is there, its protection refuses)
 * and the exact address.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>

#include "check.h"

#define PAGE 4096
#define REGION (4L * 1024 * 1024)
#define NPAGES (REGION / PAGE)

static char *region;
static volatile long faults, wrong_code;
static unsigned char dirty[NPAGES];
static bool filling;                 /* pager: fill a page in when it faults */

static uint64_t
word_of(long page, long i)
{
	return (uint64_t)page * 0x9e3779b97f4a7c15ull ^ (uint64_t)i;
}

/* The pager's and the barrier's handler: one fault per page, then the access runs again. */
static void
on_fault(int sig, siginfo_t *si, void *uc)
{
	char *addr = (char *)((uintptr_t)si->si_addr & ~(uintptr_t)(PAGE - 1));
	long page = (addr - region) / PAGE;

	(void)sig;
	(void)uc;
	if (addr < region || page >= NPAGES)
		_exit(3);                     /* a fault we did not expect */
	if (si->si_code != SEGV_ACCERR)
		wrong_code++;
	faults++;
	if (mprotect(addr, PAGE, PROT_READ | PROT_WRITE) != 0)
		_exit(4);
	if (filling)
		for (long i = 0; i < PAGE / 8; i++)
			((uint64_t *)addr)[i] = word_of(page, i);
	else
		dirty[page] = 1;
}

static void
pager_checks(void)
{
	long bad = 0;

	region = mmap(NULL, REGION, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	filling = true;
	faults = 0;
	for (long page = 0; page < NPAGES; page++)
		for (long i = 0; i < PAGE / 8; i += 61)
			bad += ((volatile uint64_t *)(region + page * PAGE))[i] != word_of(page, i);
	CHECK("pager/every_page_faulted_once", faults == NPAGES, "%ld faults for %ld pages", faults,
	      (long)NPAGES);
	CHECK("pager/contents_right", bad == 0, "%ld words wrong", bad);
	for (long page = 0; page < NPAGES; page++)
		bad += ((volatile uint64_t *)(region + page * PAGE))[PAGE / 8 - 1] != word_of(page, PAGE / 8 - 1);
	CHECK("pager/second_pass_no_faults", faults == NPAGES && bad == 0, "%ld faults, %ld wrong",
	      faults, bad);
	CHECK("pager/si_code_accerr", wrong_code == 0, "%ld faults without SEGV_ACCERR", wrong_code);
	munmap(region, REGION);
}

static void
barrier_checks(void)
{
	long reads = 0, wrong = 0;

	region = mmap(NULL, REGION, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (long page = 0; page < NPAGES; page++)
		region[page * PAGE] = 1;
	mprotect(region, REGION, PROT_READ);
	filling = false;
	faults = 0;
	for (long page = 0; page < NPAGES; page++)
		reads += ((volatile char *)region)[page * PAGE];
	CHECK("barrier/reads_are_free", faults == 0 && reads == NPAGES, "%ld faults", faults);
	for (long page = 0; page < NPAGES; page += 3) {
		region[page * PAGE + 100] = 2;
		region[page * PAGE + 200] = 3;         /* the second write: no fault */
	}
	for (long page = 0; page < NPAGES; page++)
		wrong += dirty[page] != (page % 3 == 0);
	CHECK("barrier/dirty_set_exact", wrong == 0, "%ld pages wrongly marked", wrong);
	CHECK("barrier/one_fault_per_written_page", faults == (NPAGES + 2) / 3, "%ld faults", faults);
	munmap(region, REGION);
}

int
main(void)
{
	struct sigaction sa = { .sa_sigaction = on_fault, .sa_flags = SA_SIGINFO };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	pager_checks();
	barrier_checks();
	return check_exit();
}
