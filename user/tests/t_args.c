/*
 * t_args - checks the initial stack that execve builds (docs/design.md
 * section 7, System V x86-64 ABI §3.4.1): argc, argv, envp and the
 * auxiliary vector.
 *
 * It prints each argument as "arg[i]=VALUE" so the runner can compare them
 * with what it passed. Uses no fork, no mmap, no files: it is meant to be
 * the first test that can pass on a new kernel.
 */
#include <elf.h>
#include <stdint.h>
#include <string.h>
#include <sys/auxv.h>

#include "check.h"

extern char _start[];	/* the entry point, from musl's crt1.o */

static void
check_argv(int argc, char **argv)
{
	const char *base = argc > 0 && argv[0] ? strrchr(argv[0], '/') : NULL;

	base = base ? base + 1 : argc > 0 ? argv[0] : NULL;
	CHECK("argc_positive", argc >= 1, "argc is %d", argc);
	CHECK("argv_null_terminated", argv[argc] == NULL, "argv[argc] is %p", (void *)argv[argc]);
	CHECK("argv0_is_t_args", base && strcmp(base, "t_args") == 0,
	      "argv[0] is \"%s\"", argc > 0 && argv[0] ? argv[0] : "(null)");
	for (int i = 0; i < argc; i++)
		say("arg[%d]=%s\n", i, argv[i]);
}

/*
 * The auxv follows envp's NULL. Returns it, after checking that every
 * environment string looks like NAME=VALUE.
 */
static Elf64_auxv_t *
check_envp(char **envp)
{
	int n = 0, bad = 0;

	while (envp[n]) {
		if (!strchr(envp[n], '='))
			bad++;
		n++;
	}
	CHECK("envp_null_terminated", bad == 0, "%d of %d entries have no '='", bad, n);
	return (Elf64_auxv_t *)(envp + n + 1);
}

/* Finds type in the auxv, as the kernel wrote it. Returns 0 if absent. */
static uint64_t
aux(Elf64_auxv_t *auxv, uint64_t type)
{
	for (; auxv->a_type != AT_NULL; auxv++)
		if (auxv->a_type == type)
			return auxv->a_un.a_val;
	return 0;
}

static void
check_auxv(Elf64_auxv_t *auxv)
{
	int n = 0;

	while (n < 256 && auxv[n].a_type != AT_NULL)
		n++;
	CHECK("auxv_ends_with_at_null", n < 256, "no AT_NULL in the first 256 entries");
	if (n >= 256)
		return;

	CHECK("at_pagesz", aux(auxv, AT_PAGESZ) == 4096, "AT_PAGESZ is %lu",
	      (unsigned long)aux(auxv, AT_PAGESZ));
	CHECK("at_pagesz_getauxval", getauxval(AT_PAGESZ) == aux(auxv, AT_PAGESZ),
	      "libc's getauxval disagrees with the stack");
	CHECK("at_phent", aux(auxv, AT_PHENT) == sizeof(Elf64_Phdr), "AT_PHENT is %lu",
	      (unsigned long)aux(auxv, AT_PHENT));
	CHECK("at_entry_is_start", aux(auxv, AT_ENTRY) == (uintptr_t)_start,
	      "AT_ENTRY is %#lx, _start is %p", (unsigned long)aux(auxv, AT_ENTRY),
	      (void *)_start);

	/* AT_PHDR must be our own program headers, inside a loaded segment. */
	const Elf64_Phdr *ph = (const Elf64_Phdr *)aux(auxv, AT_PHDR);
	uint64_t phnum = aux(auxv, AT_PHNUM);
	int loads = 0, phdr_inside_load = 0;
	if (ph && phnum > 0 && phnum < 100 && aux(auxv, AT_PHENT) == sizeof(Elf64_Phdr)) {
		for (uint64_t i = 0; i < phnum; i++) {
			if (ph[i].p_type != PT_LOAD)
				continue;
			loads++;
			if ((uintptr_t)ph >= ph[i].p_vaddr &&
			    (uintptr_t)(ph + phnum) <= ph[i].p_vaddr + ph[i].p_memsz)
				phdr_inside_load = 1;
		}
	}
	CHECK("at_phdr_has_pt_load", loads > 0, "AT_PHDR %p, AT_PHNUM %lu: no PT_LOAD", (void *)ph,
	      (unsigned long)phnum);
	CHECK("at_phdr_inside_pt_load", phdr_inside_load,
	      "the headers at AT_PHDR %p are not inside any PT_LOAD", (void *)ph);

	/* AT_RANDOM: 16 bytes we can read; all zero would be a poor "random". */
	const unsigned char *rnd = (const unsigned char *)aux(auxv, AT_RANDOM);
	int nonzero = 0;
	if (rnd)
		for (int i = 0; i < 16; i++)
			nonzero |= rnd[i];
	CHECK("at_random", rnd && nonzero, "AT_RANDOM is %p%s", (void *)rnd,
	      rnd ? " and its 16 bytes are all zero" : "");
}

int
main(int argc, char **argv, char **envp)
{
	check_argv(argc, argv);
	check_auxv(check_envp(envp));
	return check_exit();
}
