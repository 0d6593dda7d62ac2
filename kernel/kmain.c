/*
 * kernel/kmain.c - the order in which the kernel comes up, and nothing else.
 *
 * boot/entry.asm calls kmain(magic, mbi) in long mode on the boot stack,
 * with the first GiB of RAM mapped. Each step below is one subsystem's
 * init function; read them top to bottom to see what depends on what.
 */
#include "drivers/ata.h"
#include "drivers/blk.h"
#include "drivers/pci.h"
#include "drivers/pic.h"
#include "drivers/serial.h"
#include "drivers/timer.h"
#include "drivers/vga.h"
#include "drivers/virtio_blk.h"
#include "kernel/cmdline.h"
#include "kernel/cpu.h"
#include "kernel/fault_inject.h"
#include "kernel/fs/vfs.h"
#include "kernel/gdt.h"
#include "kernel/ktest.h"
#include "kernel/multiboot.h"
#include "kernel/panic.h"
#include "kernel/power.h"
#include "kernel/printk.h"
#include "kernel/proc.h"
#include "kernel/profile.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/trap.h"
#include "kernel/tty.h"
#include "kernel/sysctl.h"
#include "kernel/x86.h"
#include "mm/kas.h"
#include "mm/memsnapd.h"
#include "mm/pmm.h"
#include "mm/reclaim.h"
#include "mm/swap.h"
#include "mm/evict.h"
#include "mm/fault.h"
#include "mm/fault_trace.h"
#include "mm/x86/pf.h"

#define KERNEL_NAME "pagoda"

__noreturn void kmain(uint32_t magic, paddr_t mbi);

__noreturn void
kmain(uint32_t magic, paddr_t mbi)
{
	serial_init();
	vga_init();
	printk("\n" KERNEL_NAME ": x86-64 teaching kernel, built with " __VERSION__ "\n");
	printk("kmain: reached 64-bit C at %p\n", (void *)kmain);

	if (multiboot_parse(magic, mbi) != 0)
		panic("kmain: bad multiboot2 magic %#x", magic);
	multiboot_add_qemu_cmdline();   /* KARGS from tools/qemu.sh, by fw_cfg */
	if (cmdline_parse(&kernel_cmdline, boot_info.cmdline) != 0)
		pr_warn("cmdline: command line too long or too many options; rest ignored\n");
	printk_set_console_level((int)karg_get_u64("loglevel", LOGLEVEL_DEFAULT));
	fault_inject_init();     /* failslab= and friends: armed when init starts */

	gdt_init();
	idt_init();
	multiboot_print();

	cpu_detect();
	pmm_init();          /* pages[] and the frames below 1 GiB */
	kas_init();          /* final page tables: direct map, image, stacks */
	pmm_init_late();     /* the frames above 1 GiB, now mapped */
	pf_init();
	fault_trace_init();
	cpu_print_features();
	pmm_print_summary();
	kas_print_map();

	cpu_enable_fpu();
	pic_init();
	sched_init();        /* this boot context becomes the idle task */
	timer_init();
	profile_init();      /* the "profile" argument: sample at every tick */
	syscall_init();
	tty_init();
	sti();
	blk_init();          /* the block layer's reserve of requests */
	pci_init();          /* disks: their drivers sleep on interrupts */
	ata_init();
	virtio_blk_init();
	vfs_init();          /* the root file system: ext2 on a disk, or the initrd */
	swap_init();         /* the swap area (mkswap's SWAPSPACE2), unless noswap */
	evict_init();        /* the replacement policy's lists */
	reclaim_init();      /* watermarks and kswapd */
	sysctl_init();       /* sysctl.vm.page-cluster=0 and friends */
	memsnapd_init();     /* memsnap=250ms: snapshots of memory on COM2 */

	if (karg_get("test"))
		ktest_run(karg_get("test"));

	if (proc_start_init(karg_get("init") ? karg_get("init") : "/bin/init") != 0)
		panic("kmain: cannot create the first process");
	sched_idle();
}
