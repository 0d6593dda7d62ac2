/*
 * kernel/elf.c - check a static ELF64 x86-64 executable before exec.
 *
 * exec needs three facts from a program file: which parts of the file go
 * where in memory (the PT_LOAD segments), where to start (e_entry), and
 * where the program headers are once loaded (AT_PHDR, which musl's start
 * code reads to find its TLS segment). They are all in the first bytes:
 *
 *   file (offsets)                   memory (virtual addresses)
 *   0 +----------------------+       +----------------------+ 0
 *     | ELF header (64 B):   |       | page 0: never mapped |
 *     |  e_entry, e_phoff    |       +----------------------+ 0x1000
 *     | program headers at   |       |         ...          |
 *     |  e_phoff, 56 B each  |       +----------------------+ vaddr (PT_LOAD)
 *     +----------------------+       | text  R X   e_entry  |
 *     | .text                | ====> |                      |
 *     +----------------------+       +----------------------+
 *     | .data                | ==+   |         ...          |
 *     +----------------------+   |   +----------------------+ vaddr (PT_LOAD)
 *                  file_size     +=> | data  RW             |
 *                                    | bss: zero-filled     |
 *                                    |   up to memsz        |
 *                                    +----------------------+
 *                                    |         ...          |
 *                                    +----------------------+ user_top
 *
 * Each PT_LOAD copies (or maps) file bytes [offset, offset + filesz) to
 * [vaddr, vaddr + filesz) and zero-fills up to vaddr + memsz. With GNU ld
 * the first segment starts at offset 0, so the headers are loaded too.
 * A segment is mapped page by page, so its vaddr and offset must agree
 * modulo the page size.
 *
 * Everything here is a check on numbers the file chose, so each one is
 * done without overflow before anything is used: a malformed file gives
 * -ENOEXEC (or -EFAULT if it asks for kernel addresses), never a fault.
 * Dynamic programs (PT_INTERP, PT_DYNAMIC) and PIE (ET_DYN) are refused:
 * we load only what `musl-gcc -static` writes. Two segments may share a
 * page without overlapping (the end of text and the start of data); the
 * loader, not this file, decides how to map such a page.
 *
 * This file only parses: no allocation, no printk, no hardware. It reads
 * headers with memcpy, because buf need not be aligned.
 * Follows the ELF-64 Object File Format 1.5 and the System V AMD64 ABI.
 * Tested on the host: tests/unit/test_elf.c.
 */
#include "kernel/elf.h"
#include "kernel/errno.h"
#include "kernel/string.h"

#define PHDR_SIZE sizeof(struct elf64_phdr)

/* Is [start, start + n) inside [0, limit)? Never overflows. */
static bool
fits(uint64_t start, uint64_t n, uint64_t limit)
{
	return start <= limit && n <= limit - start;
}

/* The e_ident bytes: an ELF file, 64-bit, little-endian, version 1. */
static bool
ident_ok(const struct elf64_ehdr *eh)
{
	return memcmp(eh->e_ident, ELF_MAGIC, ELF_MAGIC_LEN) == 0 &&
	       eh->e_ident[ELF_EI_CLASS] == ELF_CLASS64 &&
	       eh->e_ident[ELF_EI_DATA] == ELF_DATA2LSB &&
	       eh->e_ident[ELF_EI_VERSION] == ELF_EV_CURRENT;
}

/* The rest of the header: an x86-64 executable whose headers we can read. */
static bool
ehdr_ok(const struct elf64_ehdr *eh)
{
	return ident_ok(eh) &&
	       eh->e_type == ELF_ET_EXEC &&
	       eh->e_machine == ELF_EM_X86_64 &&
	       eh->e_version == ELF_EV_CURRENT &&
	       eh->e_phentsize == PHDR_SIZE &&
	       eh->e_phnum > 0 && eh->e_phnum <= ELF_MAX_PHNUM;
}

/* The program header table lies inside what we were given, and the file. */
static bool
phdrs_inside(const struct elf64_ehdr *eh, size_t buflen, uint64_t file_size)
{
	uint64_t size = (uint64_t)eh->e_phnum * PHDR_SIZE;

	return fits(eh->e_phoff, size, buflen) && fits(eh->e_phoff, size, file_size);
}

static void
read_phdr(const void *buf, const struct elf64_ehdr *eh, int i, struct elf64_phdr *ph)
{
	memcpy(ph, (const char *)buf + eh->e_phoff + (uint64_t)i * PHDR_SIZE, sizeof(*ph));
}

/*
 * One PT_LOAD on its own. The file-format checks come first (-ENOEXEC);
 * then where it wants to be in memory (-EFAULT for the kernel half).
 */
static int
check_segment(const struct elf64_phdr *ph, uint64_t file_size, uint64_t user_top)
{
	if (ph->p_filesz > ph->p_memsz)
		return -ENOEXEC;        /* memory holds the file part and bss */
	if (!fits(ph->p_offset, ph->p_filesz, file_size))
		return -ENOEXEC;        /* truncated file */
	if (ph->p_vaddr % PAGE_SIZE != ph->p_offset % PAGE_SIZE)
		return -ENOEXEC;        /* could not be mapped page by page */
	if (ph->p_vaddr < PAGE_SIZE)
		return -ENOEXEC;        /* page 0 stays unmapped so NULL faults */
	if (ph->p_vaddr + ph->p_memsz < ph->p_vaddr)
		return -EFAULT;         /* wraps around the address space */
	if (ph->p_vaddr >= user_top || ph->p_vaddr + ph->p_memsz > user_top)
		return -EFAULT;         /* reaches the kernel half */
	return 0;
}

/* Appends a checked PT_LOAD to img->segs. */
static int
add_segment(struct elf_image *img, const struct elf64_phdr *ph,
	    uint64_t file_size, uint64_t user_top)
{
	int err = check_segment(ph, file_size, user_top);

	if (err)
		return err;
	if (img->nsegs == ELF_MAX_SEGMENTS)
		return -ENOEXEC;
	img->segs[img->nsegs++] = (struct elf_segment){
		.vaddr = ph->p_vaddr, .memsz = ph->p_memsz,
		.offset = ph->p_offset, .filesz = ph->p_filesz,
		.flags = ph->p_flags & (ELF_PF_R | ELF_PF_W | ELF_PF_X),  /* no OS bits */
	};
	return 0;
}

/*
 * Walks the program headers: collects PT_LOAD segments, takes PT_PHDR,
 * refuses anything that needs a dynamic linker. Other types (GNU_STACK,
 * TLS, NOTE, ...) are ignored, as Linux does for a static program.
 */
static int
read_segments(const void *buf, const struct elf64_ehdr *eh, uint64_t file_size,
	      uint64_t user_top, struct elf_image *img, bool *have_phdr)
{
	struct elf64_phdr ph;
	int err;

	for (int i = 0; i < eh->e_phnum; i++) {
		read_phdr(buf, eh, i, &ph);
		switch (ph.p_type) {
		case ELF_PT_INTERP:
		case ELF_PT_DYNAMIC:
			return -ENOEXEC;
		case ELF_PT_PHDR:
			if (!*have_phdr)
				img->phdr_vaddr = ph.p_vaddr;
			*have_phdr = true;
			break;
		case ELF_PT_LOAD:
			if ((err = add_segment(img, &ph, file_size, user_top)) != 0)
				return err;
			break;
		}
	}
	return img->nsegs > 0 ? 0 : -ENOEXEC;
}

/*
 * Each segment starts at or after the end of the one before: PT_LOADs
 * come sorted by vaddr (ELF-64 spec), and no address is loaded twice.
 */
static bool
segments_sorted(const struct elf_image *img)
{
	for (int i = 1; i < img->nsegs; i++) {
		const struct elf_segment *prev = &img->segs[i - 1];
		if (img->segs[i].vaddr < prev->vaddr + prev->memsz)
			return false;
	}
	return true;
}

static bool
entry_executable(const struct elf_image *img)
{
	for (int i = 0; i < img->nsegs; i++) {
		const struct elf_segment *s = &img->segs[i];
		if ((s->flags & ELF_PF_X) && img->entry >= s->vaddr &&
		    img->entry - s->vaddr < s->memsz)
			return true;
	}
	return false;
}

/*
 * Without PT_PHDR (GNU ld leaves it out of static programs), the program
 * headers are in memory if a PT_LOAD's file range holds them.
 */
static int
find_phdr_vaddr(const struct elf64_ehdr *eh, struct elf_image *img)
{
	uint64_t size = (uint64_t)eh->e_phnum * PHDR_SIZE;

	for (int i = 0; i < img->nsegs; i++) {
		const struct elf_segment *s = &img->segs[i];
		if (eh->e_phoff >= s->offset &&
		    fits(eh->e_phoff - s->offset, size, s->filesz)) {
			img->phdr_vaddr = s->vaddr + (eh->e_phoff - s->offset);
			return 0;
		}
	}
	return -ENOEXEC;
}

/*
 * Checks the executable whose first buflen bytes are in buf and fills
 * *img (see elf.h for every error). On error *img holds partial results.
 * Pure: callable in any context, takes no locks.
 */
int
elf_parse(const void *buf, size_t buflen, uint64_t file_size, uint64_t user_top,
	  struct elf_image *img)
{
	struct elf64_ehdr eh;
	bool have_phdr = false;
	int err;

	if (!fits(0, sizeof(eh), buflen) || !fits(0, sizeof(eh), file_size))
		return -ENOEXEC;
	memcpy(&eh, buf, sizeof(eh));
	if (!ehdr_ok(&eh) || !phdrs_inside(&eh, buflen, file_size))
		return -ENOEXEC;

	memset(img, 0, sizeof(*img));
	img->entry = eh.e_entry;
	img->phnum = eh.e_phnum;
	img->phentsize = eh.e_phentsize;
	if ((err = read_segments(buf, &eh, file_size, user_top, img, &have_phdr)) != 0)
		return err;
	if (!segments_sorted(img) || !entry_executable(img))
		return -ENOEXEC;
	if (!have_phdr)
		return find_phdr_vaddr(&eh, img);
	return 0;
}
