/*
 * tests/unit/test_elf.c - kernel/elf.c: a valid executable written here
 * with one defect at a time, real static programs from musl-gcc, and the
 * malformed files of user/tools/gen_bad_elf.c.
 *
 * Files are written with the host's <elf.h> (Elf64_Ehdr, PT_LOAD, ...),
 * so this also checks that kernel/elf.h lays the headers out the same.
 * The parser always gets a heap buffer of exactly buflen bytes starting
 * at an odd address: ASan catches reads past the end, UBSan misaligned
 * loads. Run from the repository root (it builds user/tools/gen_bad_elf.c).
 */
#include <elf.h>
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <unistd.h>
#include "unit.h"
#include "kernel/errno.h"
#include "kernel/elf.h"
#include "mm/layout.h"

#define BASE      0x400000ul
#define CODE_OFF  0x800ul              /* text bytes start here in the file */
#define FILE_LEN  0x1100ul
#define MAX_PH    20

/*
 * A file under construction. The valid one: the ELF header, two program
 * headers at 64, code at 0x800, data at 0x1000.
 *
 *   PT_LOAD R X  offset 0       vaddr 0x400000  filesz 0x1000 memsz 0x1000
 *   PT_LOAD RW   offset 0x1000  vaddr 0x401000  filesz 0x100  memsz 0x3000
 */
struct test_file {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[MAX_PH];
	int nph;                  /* program headers written (may differ from e_phnum) */
	size_t len;               /* bytes in the file */
	size_t buflen;            /* bytes given to elf_parse; 0: all of them */
};

static void
make_valid(struct test_file *t)
{
	memset(t, 0, sizeof(*t));
	memcpy(t->eh.e_ident, ELFMAG, SELFMAG);
	t->eh.e_ident[EI_CLASS] = ELFCLASS64;
	t->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	t->eh.e_ident[EI_VERSION] = EV_CURRENT;
	t->eh.e_type = ET_EXEC;
	t->eh.e_machine = EM_X86_64;
	t->eh.e_version = EV_CURRENT;
	t->eh.e_entry = BASE + CODE_OFF;
	t->eh.e_phoff = sizeof(Elf64_Ehdr);
	t->eh.e_ehsize = sizeof(Elf64_Ehdr);
	t->eh.e_phentsize = sizeof(Elf64_Phdr);
	t->eh.e_phnum = 2;
	t->ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X,
		.p_offset = 0, .p_vaddr = BASE, .p_paddr = BASE,
		.p_filesz = 0x1000, .p_memsz = 0x1000, .p_align = 0x1000 };
	t->ph[1] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W,
		.p_offset = 0x1000, .p_vaddr = BASE + 0x1000, .p_paddr = BASE + 0x1000,
		.p_filesz = 0x100, .p_memsz = 0x3000, .p_align = 0x1000 };
	t->nph = 2;
	t->len = FILE_LEN;
}

/* Adds one more program header (and counts it in e_phnum). */
static Elf64_Phdr *
add_phdr(struct test_file *t, uint32_t type)
{
	Elf64_Phdr *ph = &t->ph[t->nph++];

	*ph = (Elf64_Phdr){ .p_type = type, .p_flags = PF_R };
	t->eh.e_phnum = t->nph;
	return ph;
}

/* Writes t out and runs elf_parse on its first buflen bytes. */
static int
parse_as(const struct test_file *t, uint64_t user_top, struct elf_image *img)
{
	unsigned char *file = calloc(1, t->len + sizeof(Elf64_Ehdr));
	size_t buflen = t->buflen ? t->buflen : t->len;

	memcpy(file, &t->eh, sizeof(t->eh));
	for (int i = 0; i < t->nph; i++) {
		uint64_t at = t->eh.e_phoff + (uint64_t)i * sizeof(Elf64_Phdr);
		if (t->eh.e_phoff <= t->len && at + sizeof(Elf64_Phdr) <= t->len)
			memcpy(file + at, &t->ph[i], sizeof(Elf64_Phdr));
	}
	if (t->len >= CODE_OFF + 16)
		memset(file + CODE_OFF, 0x90, 16);   /* nops, for looks */

	unsigned char *mem = malloc(buflen + 1);
	memcpy(mem + 1, file, buflen);
	int r = elf_parse(mem + 1, buflen, t->len, user_top, img);
	free(mem);
	free(file);
	return r;
}

static int
parse(const struct test_file *t, struct elf_image *img)
{
	return parse_as(t, USER_TOP, img);
}

static void
valid_file(void)
{
	struct test_file t;
	struct elf_image img;

	make_valid(&t);
	CHECK(parse(&t, &img) == 0);
	CHECK(img.entry == BASE + CODE_OFF);
	CHECK(img.phdr_vaddr == BASE + 64);
	CHECK(img.phnum == 2 && img.phentsize == 56);
	CHECK(img.nsegs == 2);
	CHECK(img.segs[0].vaddr == BASE && img.segs[0].memsz == 0x1000);
	CHECK(img.segs[0].offset == 0 && img.segs[0].filesz == 0x1000);
	CHECK(img.segs[0].flags == (ELF_PF_R | ELF_PF_X));
	CHECK(img.segs[1].vaddr == BASE + 0x1000 && img.segs[1].memsz == 0x3000);
	CHECK(img.segs[1].offset == 0x1000 && img.segs[1].filesz == 0x100);
	CHECK(img.segs[1].flags == (ELF_PF_R | ELF_PF_W));
}

/* The disk loader passes only the first page; that is enough. */
static void
first_page_only(void)
{
	struct test_file t;
	struct elf_image img;

	make_valid(&t);
	t.buflen = 4096;
	CHECK(parse(&t, &img) == 0 && img.nsegs == 2);
	t.buflen = 64 + 2 * 56;                  /* exactly the headers */
	CHECK(parse(&t, &img) == 0);
	t.buflen = 64 + 2 * 56 - 1;
	CHECK(parse(&t, &img) == -ENOEXEC);
}

/* A caller passing more than the file (buflen > file_size) gains nothing. */
static void
headers_must_be_in_the_file(void)
{
	struct test_file t;
	struct elf_image img;
	unsigned char *buf = calloc(1, FILE_LEN);

	make_valid(&t);
	memcpy(buf, &t.eh, sizeof(t.eh));
	memcpy(buf + 64, t.ph, 2 * sizeof(Elf64_Phdr));
	CHECK(elf_parse(buf, FILE_LEN, FILE_LEN, USER_TOP, &img) == 0);
	CHECK(elf_parse(buf, FILE_LEN, 64 + 2 * 56 - 1, USER_TOP, &img) == -ENOEXEC);

	/* Segments with nothing from the file, PT_PHDR: only the header check is left. */
	t.ph[0].p_filesz = t.ph[1].p_filesz = t.ph[1].p_offset = 0;
	t.ph[2] = (Elf64_Phdr){ .p_type = PT_PHDR, .p_vaddr = BASE + 64 };
	t.eh.e_phnum = 3;
	memcpy(buf, &t.eh, sizeof(t.eh));
	memcpy(buf + 64, t.ph, 3 * sizeof(Elf64_Phdr));
	CHECK(elf_parse(buf, FILE_LEN, 64 + 3 * 56, USER_TOP, &img) == 0);
	CHECK(elf_parse(buf, FILE_LEN, 64 + 3 * 56 - 1, USER_TOP, &img) == -ENOEXEC);
	free(buf);
}

static void
pt_phdr_gives_phdr_vaddr(void)
{
	struct test_file t;
	struct elf_image img;

	make_valid(&t);
	Elf64_Phdr *ph = add_phdr(&t, PT_PHDR);
	ph->p_vaddr = BASE + 64;
	ph->p_offset = 64;
	ph->p_filesz = ph->p_memsz = 3 * 56;
	CHECK(parse(&t, &img) == 0 && img.phdr_vaddr == BASE + 64);
	ph->p_vaddr = BASE + 0x1234;             /* PT_PHDR is believed as written */
	CHECK(parse(&t, &img) == 0 && img.phdr_vaddr == BASE + 0x1234);
	CHECK(img.nsegs == 2 && img.phnum == 3);
	add_phdr(&t, PT_PHDR)->p_vaddr = BASE + 0x40;   /* a second one: the first wins */
	CHECK(parse(&t, &img) == 0 && img.phdr_vaddr == BASE + 0x1234);
}

/* Headers inside the second PT_LOAD: phdr_vaddr = vaddr + (e_phoff - offset). */
static void
phdrs_in_data_segment(void)
{
	struct test_file t;
	struct elf_image img;

	make_valid(&t);
	t.eh.e_phoff = 0x1080;
	CHECK(parse(&t, &img) == 0 && img.phdr_vaddr == BASE + 0x1080);
}

static void
other_segment_types_ignored(void)
{
	struct test_file t;
	struct elf_image img;

	make_valid(&t);
	add_phdr(&t, PT_GNU_STACK)->p_flags = PF_R | PF_W;
	add_phdr(&t, PT_NOTE);
	add_phdr(&t, PT_TLS)->p_offset = 0x1000;
	add_phdr(&t, PT_NULL);
	CHECK(parse(&t, &img) == 0 && img.nsegs == 2 && img.phnum == 6);
}

/* Sixteen PT_LOADs fit; adding more is refused (defect "load_17"). */
static void
add_small_loads(struct test_file *t, int n)
{
	for (int i = 0; i < n; i++) {
		Elf64_Phdr *ph = add_phdr(t, PT_LOAD);
		ph->p_flags = PF_R | PF_W;
		ph->p_vaddr = BASE + 0x10000 + 0x1000ul * i;
		ph->p_memsz = 0x1000;
	}
}

static void
sixteen_loads(void)
{
	struct test_file t;
	struct elf_image img;

	make_valid(&t);
	add_small_loads(&t, ELF_MAX_SEGMENTS - 2);
	CHECK(parse(&t, &img) == 0 && img.nsegs == ELF_MAX_SEGMENTS);
	CHECK(img.segs[15].vaddr == BASE + 0x10000 + 0x1000ul * 13);
}

/* Boundaries that are fine: touching segments, a segment up to user_top. */
static void
edges_that_are_fine(void)
{
	struct test_file t;
	struct elf_image img;

	make_valid(&t);
	t.ph[1].p_vaddr = USER_TOP - 0x3000;
	CHECK(parse(&t, &img) == 0);
	make_valid(&t);
	t.ph[0].p_vaddr = 0x1000;                /* the lowest page allowed */
	t.eh.e_entry = 0x1000 + CODE_OFF;
	CHECK(parse(&t, &img) == 0 && img.phdr_vaddr == 0x1040);
	make_valid(&t);
	t.eh.e_entry = BASE + 0xfff;             /* last byte of text */
	CHECK(parse(&t, &img) == 0);
	make_valid(&t);
	t.ph[1].p_memsz = t.ph[1].p_filesz;      /* no bss */
	CHECK(parse(&t, &img) == 0);
}

/* One defect per case; each must give exactly the errno named. */
static void bad_magic(struct test_file *t)      { t->eh.e_ident[EI_MAG3] = 'X'; }
static void class32(struct test_file *t)        { t->eh.e_ident[EI_CLASS] = ELFCLASS32; }
static void big_endian(struct test_file *t)     { t->eh.e_ident[EI_DATA] = ELFDATA2MSB; }
static void ident_version(struct test_file *t)  { t->eh.e_ident[EI_VERSION] = 2; }
static void e_version(struct test_file *t)      { t->eh.e_version = 0; }
static void machine_i386(struct test_file *t)   { t->eh.e_machine = EM_386; }
static void type_dyn(struct test_file *t)       { t->eh.e_type = ET_DYN; }
static void type_rel(struct test_file *t)       { t->eh.e_type = ET_REL; }
static void phentsize(struct test_file *t)      { t->eh.e_phentsize = 64; }
static void zero_phnum(struct test_file *t)     { t->eh.e_phnum = 0; }
static void phnum_65(struct test_file *t)       { t->eh.e_phnum = 65; }
static void phoff_past_file(struct test_file *t) { t->eh.e_phoff = FILE_LEN - 100; }
static void phoff_wraps(struct test_file *t)    { t->eh.e_phoff = UINT64_MAX - 8; }
static void phdrs_past_buf(struct test_file *t) { t->buflen = 100; }
static void shorter_than_ehdr(struct test_file *t) { t->len = 63; t->nph = 0; }
static void interp(struct test_file *t)         { add_phdr(t, PT_INTERP)->p_filesz = 20; }
static void dynamic(struct test_file *t)        { add_phdr(t, PT_DYNAMIC); }
static void no_load(struct test_file *t)        { t->ph[0].p_type = t->ph[1].p_type = PT_NOTE; }
static void load_17(struct test_file *t)        { add_small_loads(t, ELF_MAX_SEGMENTS - 1); }
static void filesz_gt_memsz(struct test_file *t) { t->ph[1].p_memsz = 0xff; }
static void truncated(struct test_file *t)      { t->ph[1].p_filesz = 0x101; }
static void offset_wraps(struct test_file *t)   { t->ph[1].p_offset = UINT64_MAX - 0xfff; }
static void misaligned(struct test_file *t)     { t->ph[1].p_vaddr += 0x800; }
static void overlapping(struct test_file *t)    { t->ph[0].p_memsz = 0x1001; }
static void swap_segments(struct test_file *t)
{
	Elf64_Phdr tmp = t->ph[0];
	t->ph[0] = t->ph[1];
	t->ph[1] = tmp;
}
static void entry_outside(struct test_file *t)  { t->eh.e_entry = BASE + 0x10000; }
static void entry_in_data(struct test_file *t)  { t->eh.e_entry = BASE + 0x1010; }
static void entry_at_text_end(struct test_file *t)
{
	t->ph[0].p_memsz = t->ph[0].p_filesz = 0x900;
	t->eh.e_entry = BASE + 0x900;
}
static void entry_in_bss_not_x(struct test_file *t) { t->eh.e_entry = BASE + 0x2000; }
static void page_zero(struct test_file *t)
{
	t->ph[0].p_vaddr = 0;
	t->eh.e_entry = CODE_OFF;
}
static void no_phdr_location(struct test_file *t) { t->ph[0].p_filesz = 0x40; }
static void kernel_half(struct test_file *t)    { t->ph[1].p_vaddr = 0xffffffff80001000ul; }
static void crosses_user_top(struct test_file *t) { t->ph[1].p_vaddr = USER_TOP - 0x2000; }
static void at_user_top(struct test_file *t)
{
	t->ph[1].p_vaddr = USER_TOP;
	t->ph[1].p_memsz = 0x100;
}
static void empty_at_user_top(struct test_file *t)
{
	add_phdr(t, PT_LOAD)->p_vaddr = USER_TOP;   /* memsz 0, but still past it */
}
static void memsz_wraps(struct test_file *t)    { t->ph[1].p_memsz = UINT64_MAX - 0x1000; }

static const struct {
	const char *name;
	void (*apply)(struct test_file *t);
	int want;
} defects[] = {
	{ "bad_magic", bad_magic, -ENOEXEC },
	{ "class32", class32, -ENOEXEC },
	{ "big_endian", big_endian, -ENOEXEC },
	{ "ident_version", ident_version, -ENOEXEC },
	{ "e_version", e_version, -ENOEXEC },
	{ "machine_i386", machine_i386, -ENOEXEC },
	{ "type_dyn", type_dyn, -ENOEXEC },
	{ "type_rel", type_rel, -ENOEXEC },
	{ "phentsize", phentsize, -ENOEXEC },
	{ "zero_phnum", zero_phnum, -ENOEXEC },
	{ "phnum_65", phnum_65, -ENOEXEC },
	{ "phoff_past_file", phoff_past_file, -ENOEXEC },
	{ "phoff_wraps", phoff_wraps, -ENOEXEC },
	{ "phdrs_past_buf", phdrs_past_buf, -ENOEXEC },
	{ "shorter_than_ehdr", shorter_than_ehdr, -ENOEXEC },
	{ "interp", interp, -ENOEXEC },
	{ "dynamic", dynamic, -ENOEXEC },
	{ "no_load", no_load, -ENOEXEC },
	{ "load_17", load_17, -ENOEXEC },
	{ "filesz_gt_memsz", filesz_gt_memsz, -ENOEXEC },
	{ "truncated", truncated, -ENOEXEC },
	{ "offset_wraps", offset_wraps, -ENOEXEC },
	{ "misaligned", misaligned, -ENOEXEC },
	{ "overlapping", overlapping, -ENOEXEC },
	{ "swap_segments", swap_segments, -ENOEXEC },
	{ "entry_outside", entry_outside, -ENOEXEC },
	{ "entry_in_data", entry_in_data, -ENOEXEC },
	{ "entry_at_text_end", entry_at_text_end, -ENOEXEC },
	{ "entry_in_bss_not_x", entry_in_bss_not_x, -ENOEXEC },
	{ "page_zero", page_zero, -ENOEXEC },
	{ "no_phdr_location", no_phdr_location, -ENOEXEC },
	{ "kernel_half", kernel_half, -EFAULT },
	{ "crosses_user_top", crosses_user_top, -EFAULT },
	{ "at_user_top", at_user_top, -EFAULT },
	{ "empty_at_user_top", empty_at_user_top, -EFAULT },
	{ "memsz_wraps", memsz_wraps, -EFAULT },
};

/* Reports each defect as its own case: "ok defect_NAME". */
static void
one_defect_each(void)
{
	for (size_t i = 0; i < sizeof(defects) / sizeof(defects[0]); i++) {
		struct test_file t;
		struct elf_image img;

		make_valid(&t);
		defects[i].apply(&t);
		int got = parse(&t, &img);
		if (got == defects[i].want) {
			printf("ok defect_%s\n", defects[i].name);
		} else {
			printf("not ok defect_%s: got %d, want %d\n", defects[i].name,
			       got, defects[i].want);
			unit_failed_cases++;
		}
	}
}

/* A lower user_top (say, a lab that shrinks user space) is honoured. */
static void
user_top_is_a_parameter(void)
{
	struct test_file t;
	struct elf_image img;

	make_valid(&t);
	CHECK(parse_as(&t, BASE + 0x4000, &img) == 0);
	CHECK(parse_as(&t, BASE + 0x3fff, &img) == -EFAULT);
}

/* ---- real files, made at test time in a temporary directory ---- */

static char tmpdir[] = "/tmp/pagoda-elf-XXXXXX";

static unsigned char *
read_whole(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *buf;

	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	*len = ftell(fp);
	rewind(fp);
	buf = malloc(*len + 1);
	if (fread(buf + 1, 1, *len, fp) != *len) {   /* odd address on purpose */
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	return buf;
}

/* Parses the file at dir/name; -1000 if it cannot be read. */
static int
parse_file(const char *name, struct elf_image *img)
{
	char path[512];
	size_t len = 0;
	unsigned char *buf;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	if (!(buf = read_whole(path, &len)))
		return -1000;
	int r = elf_parse(buf + 1, len, len, USER_TOP, img);
	free(buf);
	return r;
}

static bool
inside_load(const struct elf_image *img, uint64_t va, uint32_t need_flags)
{
	for (int i = 0; i < img->nsegs; i++) {
		const struct elf_segment *s = &img->segs[i];
		if (va >= s->vaddr && va < s->vaddr + s->memsz &&
		    (s->flags & need_flags) == need_flags)
			return true;
	}
	return false;
}

static bool
compile(const char *flags, const char *out)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "musl-gcc %s -o %s/%s %s/prog.c", flags, tmpdir, out, tmpdir);
	return system(cmd) == 0;
}

static void
musl_static_programs(void)
{
	static const char prog[] =
		"#include <stdio.h>\n"
		"int data = 42; char bss[100000]; __thread int tls = 7;\n"
		"int main(void) { printf(\"%d\\n\", data + tls + bss[5]); return 0; }\n";
	static const char *const variants[][2] = {
		{ "-static -no-pie -O2", "static" },
		{ "-static -no-pie -Wl,-z,noseparate-code", "static_nosep" },
	};
	char path[512];
	FILE *fp;
	struct elf_image img;

	snprintf(path, sizeof(path), "%s/prog.c", tmpdir);
	CHECK((fp = fopen(path, "w")) != NULL);
	if (!fp)
		return;
	fputs(prog, fp);
	fclose(fp);
	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		CHECK(compile(variants[i][0], variants[i][1]));
		CHECK(parse_file(variants[i][1], &img) == 0);
		CHECK(img.nsegs >= 2 && img.phentsize == 56);
		CHECK(inside_load(&img, img.entry, ELF_PF_X));
		CHECK(inside_load(&img, img.phdr_vaddr, ELF_PF_R));
		CHECK(inside_load(&img, img.phdr_vaddr + img.phnum * 56ul - 1, ELF_PF_R));
	}
	/* What musl-gcc writes otherwise needs a dynamic linker: refused. */
	CHECK(compile("-static-pie", "static_pie"));
	CHECK(parse_file("static_pie", &img) == -ENOEXEC);          /* ET_DYN */
	CHECK(compile("-no-pie", "dynamic"));
	CHECK(parse_file("dynamic", &img) == -ENOEXEC);             /* PT_INTERP */
}

/*
 * The files t_exec_bad runs in the kernel. Each gets the errno the rules
 * in kernel/elf.h give it.
 *
 * huge_segment (p_memsz 2^46 at 0x400000) ends at 0x400000400000, below
 * USER_TOP (2^47), so by these rules it is a valid file: elf_parse accepts
 * it, and it is exec that refuses it later with -ENOMEM, as an overcommit
 * check (64 TiB of bss does not fit in RAM plus swap).
 */
static const struct {
	const char *name;
	int want;
} bad_files[] = {
	{ "control", 0 },
	{ "bad_magic", -ENOEXEC },
	{ "truncated", -ENOEXEC },           /* the program header is cut off */
	{ "kernel_segment", -EFAULT },
	{ "huge_segment", 0 },               /* exec's -ENOMEM, see above */
	{ "phdrs_out_of_file", -ENOEXEC },
	{ "zero_phnum", -ENOEXEC },
	{ "not_exec", -ENOEXEC },            /* ET_REL */
};

static void
gen_bad_elf_files(void)
{
	char cmd[1024];
	struct elf_image img;

	snprintf(cmd, sizeof(cmd), "cc -o %s/gen_bad_elf user/tools/gen_bad_elf.c", tmpdir);
	CHECK(system(cmd) == 0);
	if (unit_case_failed) {
		printf("# (run from the repository root)\n");
		return;
	}
	for (size_t i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]); i++) {
		snprintf(cmd, sizeof(cmd), "%s/gen_bad_elf %s %s/%s", tmpdir,
			 bad_files[i].name, tmpdir, bad_files[i].name);
		CHECK(system(cmd) == 0);
		int got = parse_file(bad_files[i].name, &img);
		if (got != bad_files[i].want && !unit_case_failed) {
			printf("not ok gen_bad_elf_files: %s: got %d, want %d\n",
			       bad_files[i].name, got, bad_files[i].want);
			unit_case_failed = 1;
		}
	}
	CHECK(parse_file("control", &img) == 0 && img.entry == 0x400000 + 64 + 56);
	CHECK(img.phdr_vaddr == 0x400000 + 64 && img.nsegs == 1);
	CHECK(parse_file("huge_segment", &img) == 0 && img.segs[0].memsz == 1ul << 46);
}

int
main(void)
{
	char cmd[64];

	RUN(valid_file);
	RUN(first_page_only);
	RUN(headers_must_be_in_the_file);
	RUN(pt_phdr_gives_phdr_vaddr);
	RUN(phdrs_in_data_segment);
	RUN(other_segment_types_ignored);
	RUN(sixteen_loads);
	RUN(edges_that_are_fine);
	one_defect_each();
	RUN(user_top_is_a_parameter);
	if (!mkdtemp(tmpdir)) {
		printf("not ok real_files: mkdtemp failed\n");
		return 1;
	}
	RUN(musl_static_programs);
	RUN(gen_bad_elf_files);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmpdir);
	UNIT_EXIT();
}
