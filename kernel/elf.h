/*
 * kernel/elf.h - the ELF-64 file and program headers, and the checked
 * summary of a static x86-64 executable that exec maps.
 *
 * Layouts from the ELF-64 Object File Format (version 1.5, sections 3-6)
 * and the System V ABI, AMD64 supplement (EM_X86_64). The kernel has no
 * <elf.h>, so these are our own names for the same bytes; the host unit
 * test builds its files with the host's <elf.h>, which checks the layout.
 */
#ifndef KERNEL_ELF_H
#define KERNEL_ELF_H

#include "kernel/types.h"

/* e_ident[]: the first 16 bytes of every ELF file. */
#define ELF_MAGIC        "\177ELF"
#define ELF_MAGIC_LEN    4
#define ELF_EI_CLASS     4
#define ELF_EI_DATA      5
#define ELF_EI_VERSION   6
#define ELF_EI_NIDENT    16
#define ELF_CLASS64      2          /* 64-bit objects */
#define ELF_DATA2LSB     1          /* little-endian */
#define ELF_EV_CURRENT   1

#define ELF_ET_EXEC      2          /* e_type: an executable (not ET_DYN: no PIE) */
#define ELF_EM_X86_64    62         /* e_machine */

/* p_type */
#define ELF_PT_NULL      0
#define ELF_PT_LOAD      1          /* map this part of the file */
#define ELF_PT_DYNAMIC   2          /* needs a dynamic linker: refused */
#define ELF_PT_INTERP    3          /* names a dynamic linker: refused */
#define ELF_PT_PHDR      6          /* where the program headers are in memory */

#define ELF_MAX_PHNUM    64         /* more program headers than this: not ours */
#define ELF_MAX_SEGMENTS 16
enum { ELF_PF_X = 1, ELF_PF_W = 2, ELF_PF_R = 4 };

/* The file header, at offset 0 (Elf64_Ehdr). */
struct elf64_ehdr {
	unsigned char e_ident[ELF_EI_NIDENT];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;        /* first instruction */
	uint64_t e_phoff;        /* file offset of the program header table */
	uint64_t e_shoff;        /* sections: not needed to run a program */
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;    /* size of one program header: 56 */
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

/* A program header (Elf64_Phdr): one segment, as exec sees the file. */
struct elf64_phdr {
	uint32_t p_type;
	uint32_t p_flags;        /* ELF_PF_R | ELF_PF_W | ELF_PF_X */
	uint64_t p_offset;       /* where the segment's bytes start in the file */
	uint64_t p_vaddr;        /* where they go in memory */
	uint64_t p_paddr;        /* unused */
	uint64_t p_filesz;       /* bytes from the file ... */
	uint64_t p_memsz;        /* ... the rest up to memsz is zero (bss) */
	uint64_t p_align;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "Elf64_Ehdr is 64 bytes");
_Static_assert(sizeof(struct elf64_phdr) == 56, "Elf64_Phdr is 56 bytes");

struct elf_segment { uint64_t vaddr, memsz, offset, filesz; uint32_t flags; };

struct elf_image {
	uint64_t entry;
	uint64_t phdr_vaddr;     /* where the program headers are in memory, for AT_PHDR */
	uint16_t phnum, phentsize;
	int nsegs;               /* PT_LOAD segments, sorted by vaddr as in the file */
	struct elf_segment segs[ELF_MAX_SEGMENTS];
};

/*
 * buf holds the first buflen bytes of a file of file_size bytes (buflen <=
 * file_size; the initrd passes the whole file; later the disk loader passes
 * the first page). Accepts only ET_EXEC, ELFCLASS64, ELFDATA2LSB,
 * EM_X86_64, EV_CURRENT, e_phentsize == 56.
 * Returns 0 with *img filled, or:
 * -ENOEXEC: bad magic/class/data/version/machine, not ET_EXEC, e_phentsize
 *   wrong, e_phnum 0 or > 64, program headers not inside buf or the file,
 *   PT_INTERP or PT_DYNAMIC present (dynamic programs are not supported),
 *   no PT_LOAD, more than ELF_MAX_SEGMENTS PT_LOAD, filesz > memsz,
 *   offset+filesz beyond file_size (truncated file), vaddr % 4096 !=
 *   offset % 4096, overlapping or unsorted PT_LOAD segments, entry not
 *   inside an executable segment, a segment starting at page 0 (below
 *   0x1000), no PT_PHDR and no PT_LOAD holding the program headers;
 * -EFAULT: a segment reaching into or past user_top (the kernel half), or
 *   vaddr+memsz overflowing.
 * Pure: reads buf only, touches nothing else but *img.
 */
int elf_parse(const void *buf, size_t buflen, uint64_t file_size, uint64_t user_top,
	      struct elf_image *img);

#endif
