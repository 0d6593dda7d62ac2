/*
 * kernel/fs/procfs_sys.c - the machine's files in /proc, in Linux's
 * formats (man 5 proc): what ps, top, free, uptime and vmstat read.
 *
 *   meminfo    MemTotal, MemFree, MemAvailable, Buffers, Cached, AnonPages, Shmem, ...
 *   vmstat     one "name value" line per counter (mm/vmstat.c)
 *   pressure/memory  some/full stall averages and totals (kernel/psi.c)
 *   stat       cpu and cpu0 time in ticks, intr, ctxt, btime, processes,
 *              procs_running, procs_blocked (kernel/cputime.c)
 *   uptime     seconds since boot and seconds the CPU was idle
 *   loadavg    the 1, 5, 15 minute load averages (kernel/loadavg.c),
 *              "running/total" tasks and the last pid given
 *   cpuinfo    what CPUID says: vendor, family, model, name, flags
 *   swaps      the swap area (mm/swap.c): one partition, its size and use
 *   mounts, filesystems   the mount table and the types mount(2) knows
 *              (kernel/fs/mount.c)
 *
 * Each generator writes the whole text when the file is opened
 * (kernel/fs/procfs.c keeps it as the open file's snapshot).
 */
#include "kernel/fs/procfs_internal.h"
#include "kernel/fs/mount.h"
#include "drivers/blk_stats.h"
#include "drivers/pic.h"
#include "drivers/timer.h"
#include "kernel/cgroup.h"
#include "kernel/cputime.h"
#include "kernel/loadavg.h"
#include "kernel/psi.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "kernel/x86.h"
#include "kernel/fs/bcache.h"
#include "mm/pagecache.h"
#include "mm/pmm.h"
#include "mm/swap.h"
#include "mm/swap_area.h"
#include "mm/vmstat.h"

/*
 * Buffers: the ext2 metadata cache (kernel/fs/bcache.c), as Linux counts
 * its block devices' cached blocks; file data is Cached. Dirty and
 * Writeback follow SwapFree, where Linux has them (mm/writeback.c).
 */
static int
gen_meminfo(char *buf, size_t size)
{
	uint64_t kib = PAGE_SIZE / 1024;

	return snprintf(buf, size,
			"MemTotal:       %8lu kB\n"
			"MemFree:        %8lu kB\n"
			"MemAvailable:   %8lu kB\n"
			"Buffers:        %8lu kB\n"
			"Cached:         %8lu kB\n"
			"AnonPages:      %8lu kB\n"
			"Shmem:          %8lu kB\n"
			"SwapCached:     %8lu kB\n"
			"Unevictable:    %8lu kB\n"
			"Mlocked:        %8lu kB\n"
			"SwapTotal:      %8lu kB\n"
			"SwapFree:       %8lu kB\n"
			"Dirty:          %8lu kB\n"
			"Writeback:      %8lu kB\n",
			pmm_stats.usable * kib, pmm_free_frames() * kib,
			(pmm_free_frames() + nr_pagecache_pages - vmstat[NR_SHMEM]) * kib, bcache_bytes() / 1024,
			nr_pagecache_pages * kib, vmstat[NR_ANON_PAGES] * kib, vmstat[NR_SHMEM] * kib,
			swap_cached_pages() * kib, vmstat[NR_MLOCK] * kib, vmstat[NR_MLOCK] * kib,
			swap_total_slots() * kib, swap_free_slots() * kib, vmstat[NR_FILE_DIRTY] * kib,
			vmstat[NR_WRITEBACK] * kib);
}

static int
gen_vmstat(char *buf, size_t size)
{
	int n = 0;

	for (int i = 0; i < NR_VMSTAT_ITEMS; i++)
		n += snprintf(buf + n, size - (size_t)n, "%s %lu\n", vmstat_names[i], vmstat[i]);
	return n;
}

/* The machine's memory pressure: the root group's (kernel/psi.c). */
static int
gen_pressure_memory(char *buf, size_t size)
{
	return psi_show(&cgroup_root.psi, buf, size);
}

/*
 * "cpu  user nice system idle iowait irq softirq steal guest guest_nice"
 * in ticks (USER_HZ), then the same for cpu0, the one CPU. Ticks that
 * interrupted an interrupt handler count as system time, and a CPU idle
 * while a disk request is in flight as idle: nice, iowait, irq and the
 * rest stay 0. procs_blocked is 0: no task state is Linux's D.
 */
static int
gen_stat(char *buf, size_t size)
{
	const char *cpu_fmt = "%s %lu 0 %lu %lu 0 0 0 0 0 0\n";
	uint64_t total = 0;
	int n;

	n = snprintf(buf, size, cpu_fmt, "cpu ", cpustat.user, cpustat.system, cpustat.idle);
	n += snprintf(buf + n, size - (size_t)n, cpu_fmt, "cpu0", cpustat.user, cpustat.system,
		      cpustat.idle);
	for (int irq = 0; irq < NR_IRQS; irq++)
		total += irq_count(irq);
	n += snprintf(buf + n, size - (size_t)n, "intr %lu", total);
	for (int irq = 0; irq < NR_IRQS; irq++)
		n += snprintf(buf + n, size - (size_t)n, " %lu", irq_count(irq));
	return n + snprintf(buf + n, size - (size_t)n,
			    "\nctxt %lu\nbtime %lu\nprocesses %lu\nprocs_running %d\nprocs_blocked 0\n"
			    "softirq 0 0 0 0 0 0 0 0 0 0 0\n",
			    nr_context_switches, (uint64_t)timer_boottime_seconds(), sched_total_forks(),
			    sched_nr_running());
}

/* "uptime idle": seconds since boot and seconds of idle CPU, to the hundredth. */
static int
gen_uptime(char *buf, size_t size)
{
	uint64_t cs = timer_uptime_ns() / 10000000;      /* hundredths of a second */

	return snprintf(buf, size, "%lu.%02lu %lu.%02lu\n", cs / 100, cs % 100,
			cpustat.idle / HZ, cpustat.idle % HZ * 100 / HZ);
}

/* "0.52 0.58 0.59 2/94 1234": averages rounded to the hundredth, as Linux. */
static int
gen_loadavg(char *buf, size_t size)
{
	unsigned long a[3];

	for (int i = 0; i < 3; i++)
		a[i] = avenrun[i] + FIXED_1 / 200;
	return snprintf(buf, size, "%lu.%02lu %lu.%02lu %lu.%02lu %d/%d %d\n",
			LOAD_INT(a[0]), LOAD_FRAC(a[0]), LOAD_INT(a[1]), LOAD_FRAC(a[1]),
			LOAD_INT(a[2]), LOAD_FRAC(a[2]), sched_nr_running(), sched_nr_tasks(),
			sched_last_pid());
}

/* CPUID bits with Linux's names for them, in the order Linux prints them. */
enum { EDX1, EXT_EDX, ECX1, EXT_ECX, EBX7, ECX7, NR_CPUID_WORDS };

static const struct {
	uint8_t word, bit;
	const char *name;
} cpu_flags[] = {
	{ EDX1, 0, "fpu" }, { EDX1, 1, "vme" }, { EDX1, 2, "de" }, { EDX1, 3, "pse" },
	{ EDX1, 4, "tsc" }, { EDX1, 5, "msr" }, { EDX1, 6, "pae" }, { EDX1, 7, "mce" },
	{ EDX1, 8, "cx8" }, { EDX1, 9, "apic" }, { EDX1, 11, "sep" }, { EDX1, 12, "mtrr" },
	{ EDX1, 13, "pge" }, { EDX1, 14, "mca" }, { EDX1, 15, "cmov" }, { EDX1, 16, "pat" },
	{ EDX1, 17, "pse36" }, { EDX1, 19, "clflush" }, { EDX1, 23, "mmx" }, { EDX1, 24, "fxsr" },
	{ EDX1, 25, "sse" }, { EDX1, 26, "sse2" }, { EDX1, 27, "ss" }, { EDX1, 28, "ht" },
	{ EXT_EDX, 11, "syscall" }, { EXT_EDX, 20, "nx" }, { EXT_EDX, 26, "pdpe1gb" },
	{ EXT_EDX, 27, "rdtscp" }, { EXT_EDX, 29, "lm" },
	{ ECX1, 0, "pni" }, { ECX1, 1, "pclmulqdq" }, { ECX1, 9, "ssse3" }, { ECX1, 12, "fma" },
	{ ECX1, 13, "cx16" }, { ECX1, 17, "pcid" }, { ECX1, 19, "sse4_1" }, { ECX1, 20, "sse4_2" },
	{ ECX1, 21, "x2apic" }, { ECX1, 22, "movbe" }, { ECX1, 23, "popcnt" }, { ECX1, 25, "aes" },
	{ ECX1, 26, "xsave" }, { ECX1, 28, "avx" }, { ECX1, 29, "f16c" }, { ECX1, 30, "rdrand" },
	{ ECX1, 31, "hypervisor" },
	{ EXT_ECX, 0, "lahf_lm" }, { EXT_ECX, 5, "abm" },
	{ EBX7, 0, "fsgsbase" }, { EBX7, 3, "bmi1" }, { EBX7, 5, "avx2" }, { EBX7, 7, "smep" },
	{ EBX7, 8, "bmi2" }, { EBX7, 9, "erms" }, { EBX7, 10, "invpcid" }, { EBX7, 18, "rdseed" },
	{ EBX7, 19, "adx" }, { EBX7, 20, "smap" },
	{ ECX7, 2, "umip" }, { ECX7, 3, "pku" }, { ECX7, 16, "la57" },
};

/* "GenuineIntel" from leaf 0, and the brand string of leaves 0x80000002-4 (or ""). */
static void
cpu_names(char vendor[13], char brand[49])
{
	struct cpuid_regs r = cpuid(0, 0);

	memcpy(vendor, &r.ebx, 4);
	memcpy(vendor + 4, &r.edx, 4);
	memcpy(vendor + 8, &r.ecx, 4);
	vendor[12] = '\0';
	brand[0] = brand[48] = '\0';
	if (cpuid(0x80000000, 0).eax < 0x80000004)
		return;
	for (uint32_t leaf = 0x80000002; leaf <= 0x80000004; leaf++) {
		r = cpuid(leaf, 0);
		memcpy(brand + (leaf - 0x80000002) * 16, &r, 16);    /* eax, ebx, ecx, edx: 16 characters */
	}
}

static int
gen_cpuinfo(char *buf, size_t size)
{
	struct cpuid_regs r0 = cpuid(0, 0), r1 = cpuid(1, 0), ext = cpuid(0x80000001, 0);
	struct cpuid_regs r7 = r0.eax >= 7 ? cpuid(7, 0) : (struct cpuid_regs){ 0, 0, 0, 0 };
	uint32_t words[NR_CPUID_WORDS] = { r1.edx, ext.edx, r1.ecx, ext.ecx, r7.ebx, r7.ecx };
	uint32_t family = (r1.eax >> 8) & 0xf, model = (r1.eax >> 4) & 0xf;
	uint32_t sizes = cpuid(0x80000000, 0).eax >= 0x80000008 ? cpuid(0x80000008, 0).eax : 0;
	char vendor[13], brand[49], *name = brand;
	int n;

	if (family == 0xf)
		family += (r1.eax >> 20) & 0xff;
	if (family >= 6)
		model |= ((r1.eax >> 16) & 0xf) << 4;
	cpu_names(vendor, brand);
	while (*name == ' ')
		name++;
	n = snprintf(buf, size,
		     "processor\t: 0\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\n"
		     "model name\t: %s\nstepping\t: %u\ncpu MHz\t\t: %lu.000\nphysical id\t: 0\n"
		     "siblings\t: 1\ncore id\t\t: 0\ncpu cores\t: 1\napicid\t\t: 0\n"
		     "initial apicid\t: 0\nfpu\t\t: yes\nfpu_exception\t: yes\ncpuid level\t: %u\n"
		     "wp\t\t: yes\nflags\t\t:", vendor, family, model, name, r1.eax & 0xf,
		     timer_tsc_mhz(), r0.eax);
	for (size_t i = 0; i < ARRAY_SIZE(cpu_flags); i++)
		if (words[cpu_flags[i].word] & (1u << cpu_flags[i].bit))
			n += snprintf(buf + n, size - (size_t)n, " %s", cpu_flags[i].name);
	return n + snprintf(buf + n, size - (size_t)n,
			    "\nbogomips\t: %lu.00\nclflush size\t: %u\ncache_alignment\t: %u\n"
			    "address sizes\t: %u bits physical, %u bits virtual\npower management:\n\n",
			    2 * timer_tsc_mhz(), ((r1.ebx >> 8) & 0xff) * 8, ((r1.ebx >> 8) & 0xff) * 8,
			    sizes & 0xff, (sizes >> 8) & 0xff);
}

/*
 * The header, then each area in table order as Linux's swap_show() prints
 * it: the path padded to 40 columns (a space at least), "partition" or "file", its size and
 * use in KiB (the header page not counted), its priority. Linux's columns
 * put a second tab after a number of fewer than 8 digits.
 */
static int
gen_swaps(char *buf, size_t size)
{
	int n = snprintf(buf, size, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");

	for (unsigned i = 0; i < SWP_MAX_AREAS && (size_t)n < size; i++) {
		const struct swap_area *a = &swap_areas[i];
		uint64_t kib, used;
		if (!a->used)
			continue;
		kib = swap_area_size(a) * (PAGE_SIZE / 1024);
		used = swap_area_inuse(a) * (PAGE_SIZE / 1024);
		n += snprintf(buf + n, size - (size_t)n, "%-39s %s\t%lu\t%s%lu\t%s%d\n", a->name,
			      a->is_file ? "file\t" : "partition", kib, kib < 10000000 ? "\t" : "", used,
			      used < 10000000 ? "\t" : "", a->prio);
	}
	return n;
}

const struct procfs_sys_file procfs_sys_files[] = {
	{ "meminfo", gen_meminfo },
	{ "vmstat", gen_vmstat },
	{ "mounts", mount_show },
	{ "filesystems", mount_show_types },
	{ "stat", gen_stat },
	{ "uptime", gen_uptime },
	{ "loadavg", gen_loadavg },
	{ "cpuinfo", gen_cpuinfo },
	{ "swaps", gen_swaps },
	{ "diskstats", blk_diskstats_show },
	{ "pressure/memory", gen_pressure_memory },
};
const size_t procfs_nr_sys_files = ARRAY_SIZE(procfs_sys_files);
