/*
 * mm/kas.c - builds the kernel's final page tables and switches to them.
 *
 *   0xffff800000000000  direct map: all RAM, read/write, no-execute, global,
 *                       in 1 GiB pages where the CPU has them, else 2 MiB
 *   0xffffc90000000000  kernel stacks, each with unmapped guard pages below
 *                       (mm/kstack.c)
 *   0xffffffff80100000  kernel image, 4 KiB pages with the rights of each
 *                       part: text r-x, rodata r--, data and bss rw-
 *
 * Nothing is mapped in the lower half: the boot code's identity map goes
 * away, so a NULL (or any user address) dereference by the kernel faults.
 * The page below the boot stack stays unmapped: a guard (boot/entry.asm).
 *
 * Every process's PML4 copies entries 256..511 of kernel_pml4, so the
 * level-3 tables they point to are created here, once, and never freed
 * (mm/x86/vmm.c keeps them).
 */
#include "mm/kas.h"
#include "kernel/cpu.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "mm/kstack.h"
#include "mm/pmm.h"
#include "mm/x86/mmu.h"

pte_t *kernel_pml4;
extern char boot_stack_guard[];
static vaddr_t direct_map_end;
static unsigned direct_1g_pages, direct_2m_pages;

static void
must(int err, const char *what)
{
	if (err)
		panic("kas_init: cannot map %s (error %d)", what, err);
}

/* All of RAM at DIRECT_MAP_BASE, in the largest pages that fit. */
static void
map_direct(void)
{
	paddr_t end = ALIGN_UP(max_pfn << PAGE_SHIFT, PAGE_SIZE_2M);
	unsigned prot = VMM_READ | VMM_WRITE | VMM_GLOBAL;

	for (paddr_t pa = 0; pa < end;) {
		size_t size = PAGE_SIZE_2M;
		if (cpu.pdpe1gb && !(pa & (PAGE_SIZE_1G - 1)) && pa + PAGE_SIZE_1G <= end)
			size = PAGE_SIZE_1G;
		must(vmm_map_large(kernel_pml4, DIRECT_MAP_BASE + pa, pa, size, prot), "the direct map");
		if (size == PAGE_SIZE_1G)
			direct_1g_pages++;
		else
			direct_2m_pages++;
		pa += size;
	}
	direct_map_end = DIRECT_MAP_BASE + end;
}

static void
map_image_part(char *start, char *end, unsigned prot, const char *what)
{
	vaddr_t s = (vaddr_t)start, e = ALIGN_UP((vaddr_t)end, PAGE_SIZE);

	must(vmm_map_range(kernel_pml4, s, virt_to_phys(start), e - s, prot | VMM_GLOBAL), what);
}

static void
map_image(void)
{
	vaddr_t guard = (vaddr_t)boot_stack_guard;

	map_image_part(__text_start, __text_end, VMM_READ | VMM_EXEC, "kernel text");
	map_image_part(__rodata_start, __rodata_end, VMM_READ, "kernel rodata");
	map_image_part(__data_start, (char *)guard, VMM_READ | VMM_WRITE, "kernel data");
	map_image_part((char *)guard + PAGE_SIZE, __bss_end, VMM_READ | VMM_WRITE, "kernel bss");
}

/* Builds the tables, loads them, and turns on the CPU's protections. */
void
kas_init(void)
{
	vmm_init(cpu.nx);
	kernel_pml4 = vmm_new_table();
	if (!kernel_pml4)
		panic("kas_init: no frame for the PML4");
	map_direct();
	map_image();
	kstack_init(kernel_pml4);
	write_cr3(virt_to_phys(kernel_pml4));
	cpu_enable_protections();
}

bool
kas_ready(void)
{
	return kernel_pml4 != NULL;
}

/* True if [va, va+len) is mapped in the kernel's tables (no fault on reading). */
bool
kas_readable(vaddr_t va, size_t len)
{
	if (!kernel_pml4 || va < USER_TOP || va + len < va)
		return false;
	for (vaddr_t a = ALIGN_DOWN(va, PAGE_SIZE); a < va + len; a += PAGE_SIZE)
		if (!vmm_translate(kernel_pml4, a, NULL, NULL))
			return false;
	return true;
}

/*
 * Whether [buf, buf+len) has a physical address that virt_to_phys() can
 * give: the direct map of RAM or the kernel image - not a kernel stack,
 * which is mapped apart (a device told its virt_to_phys() would write to
 * whatever frame that number happens to name). Any context.
 */
bool
kas_has_phys(const void *buf, size_t len)
{
	vaddr_t v = (vaddr_t)buf;

	return (v >= (vaddr_t)__kernel_start && v + len <= (vaddr_t)__kernel_end) ||
	       (v >= DIRECT_MAP_BASE && v + len <= direct_map_end);
}

/*
 * Whether a device can reach [buf, buf+len) by DMA: it has a physical
 * address, and that ends below limit (a 32-bit engine: 4 GiB). Drivers
 * ask this instead of comparing linker symbols themselves. Any context.
 */
bool
kas_dma_reachable(const void *buf, size_t len, paddr_t limit)
{
	return kas_has_phys(buf, len) && virt_to_phys(buf) + len <= limit;
}

/* True for the guard page of the boot stack or of any kernel stack. */
bool
kas_is_stack_guard(vaddr_t va)
{
	vaddr_t boot_guard = (vaddr_t)boot_stack_guard;

	return (va >= boot_guard && va < boot_guard + PAGE_SIZE) || kstack_is_guard(va);
}

/* Names the region va falls in, for fault reports. */
const char *
kas_describe(vaddr_t va)
{
	if (va < PAGE_SIZE)
		return "page 0 (a NULL pointer dereference)";
	if (va < USER_TOP)
		return "user space";
	if (va >= (vaddr_t)__text_start && va < (vaddr_t)__text_end)
		return "kernel text (read-only, executable)";
	if (va >= (vaddr_t)__rodata_start && va < (vaddr_t)__rodata_end)
		return "kernel rodata (read-only)";
	if (va >= (vaddr_t)boot_stack_guard && va < (vaddr_t)boot_stack_guard + PAGE_SIZE)
		return "the guard page below the boot stack: kernel stack overflow";
	if (va >= (vaddr_t)__data_start && va < (vaddr_t)__bss_end)
		return "kernel data/bss (read-write, no-execute)";
	if (va >= DIRECT_MAP_BASE && va < direct_map_end)
		return "the direct map of RAM (read-write, no-execute)";
	if (kstack_is_guard(va))
		return "a guard page below a kernel stack: kernel stack overflow";
	if (kstack_contains(va))
		return "the kernel stack area";
	if (va >= PCI_MMIO_BASE && va < PCI_MMIO_BASE + PCI_MMIO_SIZE)
		return "the PCI MMIO window (device registers, uncached)";
	return "unmapped kernel space";
}

void
kas_print_map(void)
{
	pr_info("mm: virtual memory map:\n");
	pr_info("mm:   0x0000000000000000-0x00007fffffffffff user space (per process; nothing mapped yet)\n");
	pr_info("mm:   0x%016lx-0x%016lx direct map of RAM (%u 1 GiB + %u 2 MiB pages) rw- NX\n",
		DIRECT_MAP_BASE, direct_map_end - 1, direct_1g_pages, direct_2m_pages);
	pr_info("mm:   0x%016lx-0x%016lx kernel stacks, guard pages below each\n",
		KSTACK_AREA_BASE, KSTACK_AREA_END - 1);
	pr_info("mm:   0x%016lx-0x%016lx PCI MMIO window (device registers) rw- uncached\n",
		PCI_MMIO_BASE, PCI_MMIO_BASE + PCI_MMIO_SIZE - 1);
	pr_info("mm:   0x%016lx-0x%016lx kernel text r-x\n",
		(vaddr_t)__text_start, ALIGN_UP((vaddr_t)__text_end, PAGE_SIZE) - 1);
	pr_info("mm:   0x%016lx-0x%016lx kernel rodata r--\n",
		(vaddr_t)__rodata_start, ALIGN_UP((vaddr_t)__rodata_end, PAGE_SIZE) - 1);
	pr_info("mm:   0x%016lx-0x%016lx kernel data+bss rw- (boot stack guard at 0x%lx)\n",
		(vaddr_t)__data_start, (vaddr_t)__bss_end - 1, (vaddr_t)boot_stack_guard);
}
