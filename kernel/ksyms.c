/*
 * kernel/ksyms.c - address to "function+offset/size", like Linux's kallsyms.
 *
 * The kernel is linked twice (see the Makefile): the first link has an
 * empty table; tools/gensyms.sh turns `nm -n` of it into a sorted table
 * of text symbols, and the second link puts that table in the .ksyms
 * section at the end of rodata, so no function moves between the two.
 */
#include "kernel/ksyms.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"

extern const struct ksym ksym_table[];
extern const uint64_t ksym_count;
extern const char ksym_names[];
extern char __text_start[], __text_end[];

/*
 * Returns the name of the function containing addr and sets *offset and
 * *size, or returns NULL if addr is outside the kernel's text.
 */
const char *
ksym_lookup(vaddr_t addr, unsigned long *offset, unsigned long *size)
{
	uint64_t lo = 0, hi = ksym_count;

	if (addr < (vaddr_t)__text_start || addr >= (vaddr_t)__text_end || hi == 0)
		return NULL;
	/* Binary search for the last symbol at or below addr. */
	while (hi - lo > 1) {
		uint64_t mid = (lo + hi) / 2;
		if (ksym_table[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (ksym_table[lo].addr > addr)
		return NULL;
	*offset = addr - ksym_table[lo].addr;
	*size = (lo + 1 < ksym_count ? ksym_table[lo + 1].addr : (vaddr_t)__text_end) -
		ksym_table[lo].addr;
	return &ksym_names[ksym_table[lo].name];
}

/* Returns the address of the named function, or 0. Linear: tests only. */
vaddr_t
ksym_address(const char *name)
{
	for (uint64_t i = 0; i < ksym_count; i++)
		if (strcmp(&ksym_names[ksym_table[i].name], name) == 0)
			return ksym_table[i].addr;
	return 0;
}

/* Writes "name+0xoff/0xsize" (or "?" when unknown) into buf. */
int
ksym_format(char *buf, size_t size, vaddr_t addr)
{
	unsigned long off, len;
	const char *name = ksym_lookup(addr, &off, &len);

	if (!name)
		return snprintf(buf, size, "?");
	return snprintf(buf, size, "%s+%#lx/%#lx", name, off, len);
}
