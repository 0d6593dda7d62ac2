/*
 * kernel/profile.c - a sampling profiler: where does the CPU's time go?
 *
 * With the kernel argument "profile", every timer tick (HZ = 100 a
 * second) notes where the CPU was when the tick came: in user mode, or in
 * which kernel function (looked up in the kernel's own symbol table). The
 * reaper prints the table when init exits. Under a swap workload it
 * answers "what limits us?" at a glance: sched_idle is waiting for the
 * disk, the rest is CPU work, ours or QEMU's on our behalf.
 *
 *   profile: 402 samples (10 ms each): user 20, kernel 382
 *   profile:   216  53.7%  sched_idle
 *   profile:    41  10.2%  memset
 *
 * One caveat makes the table honest to read: a tick that arrives while
 * interrupts are off is taken when they come back on, so time spent with
 * interrupts off is charged to the function that turns them on again. A
 * virtio "kick" (QEMU handles the request before the write returns) shows
 * as the driver's submit function, a page fault's entry as pf_handler.
 */
#include "kernel/profile.h"
#include "kernel/cmdline.h"
#include "kernel/ksyms.h"
#include "kernel/printk.h"

#define PROFILE_SLOTS 256      /* distinct functions kept; later ones count as "other" */

static struct {
	bool on;
	uint64_t user, kernel, other;
	uint32_t n;
	struct {
		const char *name;
		uint64_t count;
	} fn[PROFILE_SLOTS];
} prof;

void
profile_init(void)
{
	prof.on = karg_has("profile");
	if (prof.on)
		pr_info("profile: sampling at every timer tick; the table comes when init exits\n");
}

/* The function's row, new if need be; NULL when the table is full. */
static uint64_t *
row(const char *name)
{
	for (uint32_t i = 0; i < prof.n; i++)
		if (prof.fn[i].name == name)      /* names are unique pointers into the table */
			return &prof.fn[i].count;
	if (prof.n == PROFILE_SLOTS)
		return NULL;
	prof.fn[prof.n].name = name;
	return &prof.fn[prof.n++].count;
}

/* One sample, from the timer interrupt: rip and whether it was ring 3. */
void
profile_tick(vaddr_t rip, bool user)
{
	unsigned long off, size;
	const char *name;
	uint64_t *count;

	if (!prof.on)
		return;
	if (user) {
		prof.user++;
		return;
	}
	prof.kernel++;
	name = ksym_lookup(rip, &off, &size);
	count = name ? row(name) : NULL;
	if (count)
		(*count)++;
	else
		prof.other++;
}

/* Prints the top functions, most samples first (selection: the table is small). */
void
profile_report(unsigned top)
{
	uint64_t total = prof.user + prof.kernel;

	if (!prof.on || total == 0)
		return;
	printk("profile: %lu samples (10 ms each): user %lu, kernel %lu\n", total, prof.user,
	       prof.kernel);
	for (unsigned k = 0; k < top; k++) {
		uint32_t best = prof.n;
		for (uint32_t i = 0; i < prof.n; i++)
			if (prof.fn[i].count && (best == prof.n || prof.fn[i].count > prof.fn[best].count))
				best = i;
		if (best == prof.n)
			break;
		uint64_t c = prof.fn[best].count, permille = c * 1000 / total;
		printk("profile: %5lu %3lu.%lu%%  %s\n", c, permille / 10, permille % 10,
		       prof.fn[best].name);
		prof.fn[best].count = 0;          /* printed once: the report is the end */
	}
	if (prof.other)
		printk("profile: %5lu samples outside known functions\n", prof.other);
}
