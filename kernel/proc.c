/*
 * kernel/proc.c - the life of a process: exit, wait, reap.
 *
 *     fork() ---> child (RUNNABLE) --- exit() ---> ZOMBIE --- parent's wait4() ---> freed
 *
 * (fork and clone: kernel/clone.c.) An exiting thread lets go of its
 * address space and files at once - the last user frees them. When the
 * process's last thread has gone, its leader's kernel stack and struct
 * task stay until the parent collects the exit status: it is a zombie.
 * Orphans go to init (pid 1). Another thread is freed as soon as it has
 * exited (kernel/thread.c).
 *
 * The first process: a kernel thread, "reaper" (pid 3; kswapd, made before
 * it by reclaim_init(), is pid 2), starts init (pid 1) and waits for it
 * like any parent. When init exits, reaper kills and collects every
 * other process, checks that every frame came back, prints the status and
 * powers the machine off with it (docs/design.md section 6).
 */
#include "kernel/proc.h"
#include "kernel/fs/mount.h"
#include "kernel/cgroup.h"
#include "drivers/blk.h"
#include "kernel/profile.h"
#include "kernel/cpu.h"
#include "kernel/cputime.h"
#include "kernel/errno.h"
#include "kernel/exec.h"
#include "kernel/fault_inject.h"
#include "kernel/fs/ext2fs.h"
#include "kernel/fs/file.h"
#include "kernel/gdt.h"
#include "kernel/panic.h"
#include "kernel/power.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "kernel/switch.h"
#include "kernel/trap.h"
#include "kernel/thread.h"
#include "kernel/tty.h"
#include "kernel/futex.h"
#include "kernel/clone.h"
#include "mm/uaccess.h"
#include "kernel/x86.h"
#include "mm/memsnapd.h"
#include "mm/mm.h"
#include "mm/pmm.h"
#include "mm/reclaim.h"
#include "mm/swap.h"
#include "mm/vmstat.h"

static struct task *init_task;      /* as the reaper made it (kernel/thread.c may replace it) */
static struct task *reaper_task;

/* The user registers live at the top of the task's kernel stack. */
static struct trap_frame *
user_frame_of(struct task *t)
{
	return (struct trap_frame *)(t->kstack_top - sizeof(struct trap_frame));
}

/*
 * Prepares t's kernel stack so that its first switch-in "returns" to user
 * mode with the registers in its user frame (kernel/switch.asm).
 */
void
proc_user_entry_frame(struct task *t)
{
	struct switch_frame *sf;

	t->user_frame = user_frame_of(t);
	sf = (struct switch_frame *)((vaddr_t)t->user_frame - sizeof(*sf));
	*sf = (struct switch_frame){ .ret = (uint64_t)user_start };
	t->saved_rsp = (vaddr_t)sf;
}

void
proc_adopt(struct task *parent, struct task *child)
{
	child->parent = parent;
	list_add_tail(&child->sibling, &parent->children);
}

/*
 * dead's children go to init - found by its pid: an execve in one of its
 * threads may have made another task init - or, once init itself has
 * gone, to the reaper, which collects everyone at the end.
 */
static void
reparent_children(struct task *dead)
{
	struct task *init = task_find(1), *heir = init && dead != init ? init : reaper_task;

	while (!list_empty(&dead->children)) {
		struct task *c = list_first_entry(&dead->children, struct task, sibling);
		list_del(&c->sibling);
		proc_adopt(heir, c);
		if (c->state == TASK_ZOMBIE && c->nr_threads == 0)
			wait_wake_all(&heir->child_exited);
	}
}

/*
 * What a thread lets go of at once when it exits (Linux's mm_release()
 * and exit_files()): its vfork parent, its clear_child_tid word (0, and a
 * futex wake for pthread_join), its descriptors, directory and address
 * space - the last user of each frees it.
 */
static void
release_resources(void)
{
	struct mm *mm = current->mm;

	vfork_release(current);
	if (mm && current->clear_child_tid) {
		uint32_t zero = 0;
		if (copy_to_user((void *)current->clear_child_tid, &zero, sizeof(zero)) == 0)
			futex_wake(mm, current->clear_child_tid, 1);
	}
	fd_table_put(current->files);
	current->files = NULL;
	thread_fs_release(current);
	cgroup_exit(current);
	if (mm) {
		cputime_note_rss(current, mm->rss);
		current->mm = NULL;
		mm_put(mm);             /* the last user's put unloads its tables (mm_destroy) */
	}
}

/* The process's last thread has exited: its parent hears of it. Interrupts off. */
static void
process_ended(struct task *leader)
{
	reparent_children(leader);
	signal_child_exited(leader);
	wait_wake_all(&leader->parent->child_exited);
}

/*
 * Ends the calling thread with a wait4-style status (Linux's do_exit()).
 * The process ends with its last thread; a leader that exits before the
 * others stays a zombie until then. Never returns.
 */
__noreturn void
proc_exit(int wait_status)
{
	struct task *leader = current->leader;

	release_resources();
	cli();
	if (current == leader && !leader->group_exiting)
		leader->exit_status = wait_status;
	if (current == leader)
		current->state = TASK_ZOMBIE;
	cputime_thread_exit(current);
	if (thread_leave(current))
		process_ended(leader);
	wait_wake_all(&leader->child_exited);        /* an execve waiting for the others to go */
	if (current != leader)
		task_exit_dead();
	schedule();
	panic("proc_exit: a zombie ran again");
}

/*
 * Ends the whole process (exit_group, a fatal signal): the first to ask
 * sets the status, every other thread gets SIGKILL. Never returns.
 */
__noreturn void
proc_exit_group(int wait_status)
{
	struct task *leader = current->leader;
	uint64_t flags = irq_save();

	if (!leader->group_exiting) {
		leader->group_exiting = true;
		leader->exit_status = wait_status;
		thread_kill_others();
	}
	irq_restore(flags);
	proc_exit(wait_status);
}

/* Called when a kernel thread's function returns. */
__noreturn void task_exit_kernel_thread(void);
__noreturn void
task_exit_kernel_thread(void)
{
	proc_exit(0);
}

/* wait4's pid: that child (> 0), any (-1), the caller's group (0), group -pid (< -1). */
static bool
matches(const struct task *c, int pid)
{
	return pid == -1 || c->pid == pid || (pid == 0 && c->pgid == current->pgid) ||
	       (pid < -1 && c->pgid == -pid);
}

/*
 * The first child matching pid with something to report, or NULL: it
 * exited (a zombie), or with WUNTRACED it stopped, or with WCONTINUED it
 * was continued, since the last wait4. *any says if one matches at all.
 */
static struct task *
find_reportable(int pid, int options, bool *any)
{
	struct list_head *pos;

	*any = false;
	list_for_each(pos, &current->leader->children) {
		struct task *c = list_entry(pos, struct task, sibling);
		if (!matches(c, pid))
			continue;
		*any = true;
		if ((c->state == TASK_ZOMBIE && c->nr_threads == 0) ||
		    ((options & WUNTRACED) && c->stop_report) ||
		    ((options & WCONTINUED) && c->continued_report))
			return c;
	}
	return NULL;
}

/* c's stop or continue, as wait4 reports it (the child stays). */
static int
take_report(struct task *c)
{
	int status;

	if (c->stop_report) {
		status = (c->stop_report << 8) | 0x7f;      /* WIFSTOPPED, WSTOPSIG */
		c->stop_report = 0;
	} else {
		status = 0xffff;                            /* WIFCONTINUED */
		c->continued_report = false;
	}
	return status;
}

/*
 * Waits for a child (see matches()) to exit - or, with WUNTRACED or
 * WCONTINUED, to stop or be continued. An exited child is freed. Returns
 * its pid with its status in *wait_status; 0 with WNOHANG if none has
 * anything to report yet, -ECHILD if there is no such child, -ERESTARTSYS
 * if a signal arrived (kernel/signal.c: restarted or -EINTR). What the
 * child (with its reaped children) used goes to *usage if not NULL.
 */
int
proc_wait(int pid, int *wait_status, int options, struct task_acct *usage)
{
	uint64_t flags = irq_save();
	struct task *c;
	bool any;
	int ret, status;

	while ((c = find_reportable(pid, options, &any)) == NULL) {
		ret = !any ? -ECHILD : (options & WNOHANG) ? 0 : signal_pending(current) ? -ERESTARTSYS : 1;
		if (ret != 1) {
			irq_restore(flags);
			return ret;
		}
		wait_sleep(&current->leader->child_exited);
	}
	ret = c->pid;
	if (c->state != TASK_ZOMBIE || c->nr_threads > 0) {
		status = take_report(c);
		if (usage)
			cputime_process_and_children(c, usage);
		irq_restore(flags);
	} else {
		list_del(&c->sibling);
		cputime_reap(current->leader, c, usage);
		irq_restore(flags);
		status = c->exit_status;
		task_free(c);
	}
	if (wait_status)
		*wait_status = status;
	return ret;
}

static void
kill_if_user(struct task *t, void *unused)
{
	if (!t->is_kernel_thread && t == t->leader && t->nr_threads > 0)
		signal_send(t, SIGKILL);
}

/* Gives t the console as descriptors 0, 1 and 2 (stdin, stdout, stderr). */
static void
open_console(struct task *t)
{
	struct file *con = tty_open();

	if (!con)
		panic("reaper: no memory for the console");
	for (int fd = 0; fd < 3; fd++) {
		if (fd > 0)
			file_get(con);
		fd_install(t, con);
	}
}

/* reaper: start init, wait for it, clean up, power off with its status. */
static void
reaper(void *cmdline)
{
	struct mm_census before, after;
	uint64_t baseline;
	int status = 0, code;

	/* Caches are memory in use, not leaked: empty at both counts (the metadata
	 * blocks the mount read are cached by now; they are dropped after init too). */
	ext2fs_drop_caches();
	before = mm_census_take();
	baseline = before.free;

	reaper_task = current;
	init_task = task_alloc("init");
	if (!init_task)
		panic("reaper: no memory for init");
	init_task->pid = 1;
	init_task->pgid = init_task->sid = 1;
	proc_adopt(current, init_task);
	open_console(init_task);
	tty_set_session(1, 1);          /* the console is the controlling terminal of init's session */
	if (exec_first_process(init_task, cmdline) != 0)
		panic("reaper: cannot start init \"%s\"", (const char *)cmdline);
	fault_inject_arm(true);      /* failslab= and friends apply from here ... */
	task_make_runnable(init_task);
	proc_wait(1, &status, 0, NULL);
	fault_inject_arm(false);     /* ... to init's exit: the counts below are exact */
	code = (status & 0x7f) ? 128 + (status & 0x7f) : (status >> 8) & 0xff;
	if (status & 0x7f)
		printk("init was killed by signal %d (%s)\n", status & 0x7f, signal_name(status & 0x7f));
	printk("init exited with status %d\n", code);
	task_for_each(kill_if_user, NULL);
	while (proc_wait(-1, NULL, 0, NULL) > 0)
		;
	reclaim_quiesce();          /* swap writes of the dead may still be in flight */
	mount_shutdown();           /* tmpfs files: memory in use, not leaked */
	/* The page cache is memory in use, not leaked: drop it before counting. */
	printk("mm: dropped %lu page-cache pages\n", ext2fs_drop_caches());
	printk("mm: %lu frames free after init, %lu before it started: %s\n",
	       pmm_free_frames(), baseline,
	       pmm_free_frames() == baseline ? "none leaked" : "LEAKED");
	after = mm_census_take();
	if (after.free != baseline)
		mm_census_report(&before, &after);
	if (swap_enabled()) {
		printk("swap: %lu of %lu slots free after init: %s\n", swap_free_slots(),
		       swap_total_slots(), swap_free_slots() == swap_total_slots() ? "all free" : "LEAKED");
		if (vmstat[NR_SWAP_WRITES])
			printk("swap: %lu pages written in %lu requests (%lu.%lu pages per request), "
			       "%lu pages read\n", vmstat[PSWPOUT], vmstat[NR_SWAP_WRITES],
			       vmstat[PSWPOUT] / vmstat[NR_SWAP_WRITES],
			       vmstat[PSWPOUT] * 10 / vmstat[NR_SWAP_WRITES] % 10, vmstat[PSWPIN]);
	}
	memsnapd_final();            /* the picture's last snapshot: these counts */
	blk_report();               /* the disks' own counters: kicks, interrupts */
	profile_report(20);
	power_off(code);
}

/*
 * Starts the first user process, pid 1, from cmdline ("/bin/prog arg...")
 * under the reaper kernel thread. Returns 0 or -ENOMEM.
 */
int
proc_start_init(const char *cmdline)
{
	return task_create_kernel("reaper", reaper, (void *)cmdline) ? 0 : -ENOMEM;
}
