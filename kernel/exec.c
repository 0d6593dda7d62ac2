/*
 * kernel/exec.c - execve: load a static ELF program into a new address
 * space and start it with the Linux initial stack (System V x86-64 psABI
 * 3.4.1):
 *
 *   USER_STACK_TOP ->  argument and environment strings, 16 random bytes
 *                      (padding to 16 bytes)
 *                      auxv: (AT_PHDR, ..) (AT_PHENT, 56) ... (AT_NULL, 0)
 *                      NULL, envp[envc-1] ... envp[0]
 *                      NULL, argv[argc-1] ... argv[0]
 *   rsp ->             argc
 *
 * Everything that can fail is done before the old program is touched:
 * the arguments are copied into the kernel, the file is validated
 * (kernel/elf.c), and the new address space is built aside; only then
 * does the process switch to it. A bad file costs the caller an error,
 * never its life.
 *
 * The segments are mapped from the file, private and on demand: nothing
 * but the header page is read at exec time, and each page of text or
 * data is read (or found in the page cache) when first touched. Programs
 * on the initrd, which has no page cache, are copied in at exec instead.
 */
#include "kernel/exec.h"
#include "kernel/exec_args.h"
#include "kernel/cpu.h"
#include "kernel/elf.h"
#include "kernel/errno.h"
#include "kernel/clone.h"
#include "kernel/fs/file.h"
#include "kernel/thread.h"
#include "kernel/fs/vfs.h"
#include "kernel/gdt.h"
#include "kernel/panic.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "kernel/sysctl.h"
#include "kernel/trap.h"
#include "kernel/x86.h"
#include "mm/heap.h"
#include "mm/mm.h"
#include "mm/pmm.h"
#include "mm/shmem.h"
#include "mm/uaccess.h"

enum { AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6,
       AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14,
       AT_SECURE = 23, AT_RANDOM = 25, AT_EXECFN = 31 };

int
exec_args_add(struct exec_args *a, const char *s, size_t len, bool is_env)
{
	if (a->argc + a->envc >= EXEC_MAX_ARGS || a->used + len + 1 > EXEC_STRINGS_MAX)
		return -E2BIG;
	memcpy(a->strings + a->used, s, len);
	a->strings[a->used + len] = '\0';
	a->used += len + 1;
	if (is_env)
		a->envc++;
	else
		a->argc++;
	return 0;
}

/* Copies a NULL-terminated user array of strings. */
static int
copy_user_strings(struct exec_args *a, const char *const *uarr, bool is_env)
{
	for (int i = 0; uarr; i++) {
		const char *us;
		long len;
		if (copy_from_user(&us, &uarr[i], sizeof(us)))
			return -EFAULT;
		if (!us)
			return 0;
		if (a->used >= EXEC_STRINGS_MAX)
			return -E2BIG;
		len = strncpy_from_user(a->strings + a->used, us, EXEC_STRINGS_MAX - a->used);
		if (len < 0)
			return len == -ENAMETOOLONG ? -E2BIG : (int)len;
		int err = exec_args_add(a, a->strings + a->used, (size_t)len, is_env);
		if (err)
			return err;
	}
	return 0;
}

static unsigned
segment_prot(const struct elf_segment *s)
{
	return (s->flags & ELF_PF_R ? VMA_READ : 0) | (s->flags & ELF_PF_W ? VMA_WRITE : 0) |
	       (s->flags & ELF_PF_X ? VMA_EXEC : 0);
}

/*
 * Where the file's bytes end in a segment's last file page. When the
 * segment's memory goes on past them (its bss starts there), the rest of
 * that page must read as zero, as Linux's padzero() clears it. Otherwise
 * the page is simply the file's page, bytes after the segment included,
 * as Linux maps it: shared from the page cache, not copied.
 */
static vaddr_t
segment_file_end(const struct file *f, const struct elf_segment *s, vaddr_t start, uint64_t pgoff)
{
	vaddr_t pages_end = ALIGN_UP(s->vaddr + s->filesz, PAGE_SIZE);

	if (s->memsz > s->filesz)
		return s->vaddr + s->filesz;
	return MIN(pages_end, start + (f->size - pgoff * PAGE_SIZE));
}

/*
 * Maps a segment as the file's pages: a private file-backed region for the
 * bytes that come from the file, and an anonymous one for the rest of its
 * memory (the bss). Nothing is read now: the first touch of each page
 * faults it in from the page cache (mm/fault.c).
 */
static int
map_segment(struct mm *mm, struct file *f, const struct elf_segment *s)
{
	vaddr_t start = ALIGN_DOWN(s->vaddr, PAGE_SIZE), end = ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE);
	vaddr_t file_pages_end = ALIGN_UP(s->vaddr + s->filesz, PAGE_SIZE);
	uint64_t pgoff = (s->offset - (s->vaddr - start)) / PAGE_SIZE;
	struct vma file_part = {
		.start = start, .end = file_pages_end, .prot = segment_prot(s), .file = f,
		.pgoff = pgoff, .file_end = segment_file_end(f, s, start, pgoff),
	};
	int err = 0;

	if (s->filesz > 0)
		err = vma_add(mm, &file_part);
	if (!err && end > MAX(file_pages_end, start))
		err = vma_insert(mm, MAX(file_pages_end, start), end, segment_prot(s), VMA_ANON);
	return err == -EEXIST ? -ENOEXEC : err;
}

/* Without a page cache (the initrd): copy the segment's bytes in now. */
static int
load_segment(struct mm *mm, struct file *f, const struct elf_segment *s, char *bounce)
{
	vaddr_t start = ALIGN_DOWN(s->vaddr, PAGE_SIZE), end = ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE);
	int err;

	/* A tmpfs file's pages are shmem's, which private mappings cannot copy yet: copied in. */
	if (f->mapping && !shmem_of_mapping(f->mapping))
		return map_segment(mm, f, s);
	err = vma_insert(mm, start, end, segment_prot(s) | VMA_WRITE, VMA_ANON);

	if (err)
		return err == -EEXIST ? -ENOEXEC : err;
	for (uint64_t done = 0; done < s->filesz;) {
		size_t chunk = MIN(PAGE_SIZE, s->filesz - done);
		if (file_read_at(f, bounce, chunk, s->offset + done) != (long)chunk)
			return -EIO;
		err = mm_copy_to(mm, s->vaddr + done, bounce, chunk);
		if (err)
			return err;
		done += chunk;
	}
	/* Written; now the rights the program asked for. */
	return mm_protect(mm, start, end, segment_prot(s));
}

/*
 * The program's total size must fit in memory (an overcommit check),
 * unless vm.overcommit_memory is 1: then nothing is refused up front.
 */
static int
check_size(const struct elf_image *img)
{
	uint64_t pages = 0;

	if (vm_overcommit_memory == 1)
		return 0;
	for (int i = 0; i < img->nsegs; i++)
		pages += ALIGN_UP(img->segs[i].memsz, PAGE_SIZE) / PAGE_SIZE + 1;
	return pages > pmm_stats.usable ? -ENOMEM : 0;
}

static int
load_program(struct mm *mm, const char *path, struct elf_image *img)
{
	struct file *f;
	char *buf;
	long n;
	int err = vfs_open(path, O_RDONLY, &f);

	if (err)
		return err;
	if ((f->mode & S_IFMT) != S_IFREG) {
		file_put(f);
		return (f->mode & S_IFMT) == S_IFDIR ? -EISDIR : -EACCES;
	}
	buf = kmalloc(PAGE_SIZE);
	err = buf ? 0 : -ENOMEM;
	if (!err) {
		n = file_read_at(f, buf, MIN(PAGE_SIZE, f->size), 0);
		err = n < 0 ? (int)n : elf_parse(buf, (size_t)n, f->size, USER_TOP, img);
	}
	if (!err)
		err = check_size(img);
	for (int i = 0; !err && i < img->nsegs; i++)
		err = load_segment(mm, f, &img->segs[i], buf);
	if (!err) {
		vaddr_t end = img->segs[img->nsegs - 1].vaddr + img->segs[img->nsegs - 1].memsz;
		mm->brk_start = mm->brk = ALIGN_UP(end, PAGE_SIZE);
		/* The file's own path: /proc/self/exe opens the program itself (kernel/fs/vfs.c). */
		strlcpy(mm->exe_path, f->path, sizeof(mm->exe_path));
	}
	kfree(buf);
	file_put(f);
	return err;
}

/* Builds the initial stack in mm; returns the new rsp, or 0 on failure. */
static vaddr_t
build_stack(struct mm *mm, const struct exec_args *a, const struct elf_image *img)
{
	vaddr_t strings = USER_STACK_TOP - ALIGN_UP(a->used, 16);
	vaddr_t random = strings - 16, sp;
	const uint64_t aux[][2] = {
		{ AT_PHDR, img->phdr_vaddr }, { AT_PHENT, img->phentsize }, { AT_PHNUM, img->phnum },
		{ AT_PAGESZ, PAGE_SIZE }, { AT_ENTRY, img->entry }, { AT_UID, 0 }, { AT_EUID, 0 },
		{ AT_GID, 0 }, { AT_EGID, 0 }, { AT_RANDOM, random }, { AT_NULL, 0 },
	};
	/* argc, argv[] and NULL, envp[] and NULL, the auxiliary vector. */
	uint64_t nwords = 1 + (uint64_t)a->argc + 1 + (uint64_t)a->envc + 1 + 2 * ARRAY_SIZE(aux);
	uint64_t *words = kmalloc(nwords * sizeof(uint64_t));
	const char *s = a->strings;
	uint8_t rnd[16];
	uint64_t w = 0;

	if (!words || vma_insert(mm, USER_STACK_TOP - USER_STACK_INIT, USER_STACK_TOP,
				 VMA_READ | VMA_WRITE, VMA_ANON | VMA_GROWSDOWN)) {
		kfree(words);
		return 0;
	}
	words[w++] = (uint64_t)a->argc;
	for (int i = 0; i < a->argc + a->envc; i++) {
		if (i == a->argc) {
			words[w++] = 0;                    /* the end of argv[] */
			mm->arg_end = strings + (uint64_t)(s - a->strings);
		}
		words[w++] = strings + (uint64_t)(s - a->strings);
		s += strlen(s) + 1;
	}
	if (a->envc == 0) {
		words[w++] = 0;
		mm->arg_end = strings + a->used;
	}
	/* Where the strings are, for /proc/PID/cmdline and environ (Linux's mm->arg_start...). */
	mm->arg_start = strings;
	mm->env_start = mm->arg_end;
	mm->env_end = strings + a->used;
	words[w++] = 0;                                    /* the end of envp[] */
	for (size_t i = 0; i < ARRAY_SIZE(aux); i++) {
		words[w++] = aux[i][0];
		words[w++] = aux[i][1];
	}
	ASSERT(w == nwords);
	sp = ALIGN_DOWN(random - w * 8, 16);
	pseudo_random_bytes(rnd, sizeof(rnd));
	if (mm_copy_to(mm, strings, a->strings, a->used) || mm_copy_to(mm, random, rnd, 16) ||
	    mm_copy_to(mm, sp, words, w * 8))
		sp = 0;
	kfree(words);
	return sp;
}

static const char *
basename(const char *path)
{
	const char *slash = strchr(path, '/');

	while (slash) {
		path = slash + 1;
		slash = strchr(path, '/');
	}
	return path;
}

/*
 * The new program starts alone: the process's other threads are killed
 * (thread_exec_alone()), a vfork parent goes on, and actions or a
 * descriptor table shared with another process become the caller's own.
 */
static int
leave_others(void)
{
	int err = thread_exec_alone();

	if (!err)
		err = thread_sighand_unshare(current);
	if (!err)
		err = fd_table_unshare(current);
	if (!err)
		vfork_release(current);
	return err;
}

/* Builds the new address space; on success installs it in t and sets t's registers. */
static int
exec_into(struct task *t, const char *path, const struct exec_args *a)
{
	struct elf_image img;
	struct mm *mm = mm_create(), *old;
	vaddr_t sp = 0;
	int err = mm ? load_program(mm, path, &img) : -ENOMEM;

	if (!err) {
		sp = build_stack(mm, a, &img);
		err = sp ? 0 : -ENOMEM;
	}
	if (!err && t == current)
		err = leave_others();
	if (err) {
		if (mm)
			mm_destroy(mm);
		return err;
	}
	/* The point of no return: the old program goes. */
	old = t->mm;
	t->mm = mm;
	if (t == current) {
		mm_activate(mm);
		wrmsr(MSR_FS_BASE, 0);
	}
	if (old)
		mm_put(old);              /* a vfork parent or another process may still use it */
	strlcpy(t->name, basename(path), sizeof(t->name));
	signal_exec(t);
	files_close_on_exec(t);
	t->fs_base = 0;
	fpu_init_state(t->fpu);
	if (t == current)
		fpu_restore(t->fpu);
	*t->user_frame = (struct trap_frame){
		.rip = img.entry, .rsp = sp, .rflags = RFLAGS_IF | 0x2,
		.cs = SEL_USER_CODE | SEL_RPL_USER, .ss = SEL_USER_DATA | SEL_RPL_USER,
	};
	return 0;
}

/*
 * Runs path in t: an ELF program, or a "#!" script through its interpreter
 * (kernel/exec_script.c). The process is named after the file asked for,
 * the script rather than its interpreter, as in Linux.
 */
static int
exec_program(struct task *t, char *path, struct exec_args *a)
{
	char name[sizeof(t->name)];
	int err;

	strlcpy(name, basename(path), sizeof(name));
	err = exec_script_resolve(path, 256, a);
	if (!err)
		err = exec_into(t, path, a);
	if (!err)
		strlcpy(t->name, name, sizeof(t->name));
	return err;
}

long
sys_execve(const char *upath, const char *const *uargv, const char *const *uenvp)
{
	struct exec_args *a = kmalloc(sizeof(*a));
	char path[256];
	long err;

	if (!a)
		return -ENOMEM;
	a->used = 0;
	a->argc = a->envc = 0;
	err = strncpy_from_user(path, upath, sizeof(path));
	if (err >= 0)
		err = copy_user_strings(a, uargv, false);
	if (!err && a->argc == 0)
		err = exec_args_add(a, "", 0, false);   /* Linux 5.18+: never argc 0, argv[0] "" */
	if (!err)
		err = copy_user_strings(a, uenvp, true);
	if (!err)
		err = exec_program(current, path, a);
	kfree(a);
	return err;
}

/*
 * Loads the first program, from "path arg1 arg2..." (split on spaces),
 * into the new task t, with a small environment.
 */
int
exec_first_process(struct task *t, const char *cmdline)
{
	static const char *const env[] = { "PATH=/bin", "HOME=/", "TERM=linux" };
	struct exec_args *a = kmalloc(sizeof(*a));
	char path[256] = "";
	int err = a ? 0 : -ENOMEM;

	if (!a)
		return err;
	a->used = 0;
	a->argc = a->envc = 0;
	for (const char *p = cmdline; *p && !err;) {
		size_t len = 0;
		while (*p == ' ')
			p++;
		while (p[len] && p[len] != ' ')
			len++;
		if (len == 0)
			break;
		if (a->argc == 0)
			strlcpy(path, p, MIN(len + 1, sizeof(path)));
		err = exec_args_add(a, p, len, false);
		p += len;
	}
	for (size_t i = 0; i < ARRAY_SIZE(env) && !err; i++)
		err = exec_args_add(a, env[i], strlen(env[i]), true);
	if (!err) {
		proc_user_entry_frame(t);
		err = exec_program(t, path, a);
	}
	kfree(a);
	return err;
}
