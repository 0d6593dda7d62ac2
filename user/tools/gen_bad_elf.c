/*
 * gen_bad_elf - writes the malformed ELF executables that t_exec_bad feeds
 * to execve. A host program (built with the host cc, not musl).
 *
 *   gen_bad_elf NAME OUTPUT
 *
 * Every file starts from the same tiny, valid static executable, "control":
 * one PT_LOAD at 0x400000 holding the ELF header, one program header and
 * code that does exit(42). Each other NAME breaks exactly one thing:
 *
 *   bad_magic          e_ident starts "\x7fELX" instead of "\x7fELF"
 *   truncated          the file ends in the middle of the program header
 *   kernel_segment     the PT_LOAD asks for 0xffffffff80000000 (kernel half)
 *   huge_segment       the PT_LOAD has p_memsz 2^46 (64 TiB) of bss
 *   phdrs_out_of_file  e_phoff points past the end of the file
 *   zero_phnum         no program headers at all
 *   not_exec           e_type is ET_REL (an object file, not a program)
 *
 * A kernel must refuse each with an error from execve (or, past its point
 * of no return, kill the process), and never fault itself. The file is
 * made executable (mode 755) so that only its contents are wrong.
 */
#include <elf.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define BASE 0x400000ul

struct image {
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	unsigned char code[16];
};

/* mov $60, %eax; mov $42, %edi; syscall   (exit(42)) */
static const unsigned char exit42[] = {
	0xb8, 0x3c, 0x00, 0x00, 0x00, 0xbf, 0x2a, 0x00, 0x00, 0x00, 0x0f, 0x05,
};

static void
make_control(struct image *im)
{
	memset(im, 0, sizeof(*im));
	memcpy(im->eh.e_ident, ELFMAG, SELFMAG);
	im->eh.e_ident[EI_CLASS] = ELFCLASS64;
	im->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	im->eh.e_ident[EI_VERSION] = EV_CURRENT;
	im->eh.e_ident[EI_OSABI] = ELFOSABI_SYSV;
	im->eh.e_type = ET_EXEC;
	im->eh.e_machine = EM_X86_64;
	im->eh.e_version = EV_CURRENT;
	im->eh.e_entry = BASE + offsetof(struct image, code);
	im->eh.e_phoff = offsetof(struct image, ph);
	im->eh.e_ehsize = sizeof(Elf64_Ehdr);
	im->eh.e_phentsize = sizeof(Elf64_Phdr);
	im->eh.e_phnum = 1;

	im->ph.p_type = PT_LOAD;
	im->ph.p_flags = PF_R | PF_X;
	im->ph.p_offset = 0;
	im->ph.p_vaddr = BASE;
	im->ph.p_paddr = BASE;
	im->ph.p_filesz = sizeof(*im);
	im->ph.p_memsz = sizeof(*im);
	im->ph.p_align = 0x1000;
	memcpy(im->code, exit42, sizeof(exit42));
}

/* Applies the defect called name. Returns the file size, or 0 if unknown. */
static size_t
break_image(struct image *im, const char *name)
{
	if (strcmp(name, "control") == 0)
		return sizeof(*im);
	if (strcmp(name, "bad_magic") == 0) {
		im->eh.e_ident[EI_MAG3] = 'X';
		return sizeof(*im);
	}
	if (strcmp(name, "truncated") == 0)
		return offsetof(struct image, ph) + sizeof(Elf64_Phdr) / 2;
	if (strcmp(name, "kernel_segment") == 0) {
		im->ph.p_vaddr = im->ph.p_paddr = 0xffffffff80000000ul;
		im->eh.e_entry = im->ph.p_vaddr + offsetof(struct image, code);
		return sizeof(*im);
	}
	if (strcmp(name, "huge_segment") == 0) {
		im->ph.p_memsz = 1ul << 46;
		im->ph.p_flags |= PF_W;
		return sizeof(*im);
	}
	if (strcmp(name, "phdrs_out_of_file") == 0) {
		im->eh.e_phoff = 0x10000;
		return sizeof(*im);
	}
	if (strcmp(name, "zero_phnum") == 0) {
		im->eh.e_phnum = 0;
		return sizeof(*im);
	}
	if (strcmp(name, "not_exec") == 0) {
		im->eh.e_type = ET_REL;
		return sizeof(*im);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct image im;

	if (argc != 3) {
		fprintf(stderr, "usage: gen_bad_elf NAME OUTPUT\n");
		return 2;
	}
	make_control(&im);
	size_t size = break_image(&im, argv[1]);
	if (size == 0) {
		fprintf(stderr, "gen_bad_elf: unknown defect '%s'\n", argv[1]);
		return 2;
	}
	FILE *f = fopen(argv[2], "wb");
	if (!f || fwrite(&im, 1, size, f) != size || fclose(f) != 0 ||
	    chmod(argv[2], 0755) != 0) {
		perror(argv[2]);
		return 1;
	}
	return 0;
}
