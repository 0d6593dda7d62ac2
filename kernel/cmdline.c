/*
 * kernel/cmdline.c - split the kernel command line into key=value options.
 *
 *   "mem=32M noswap loglevel=4 init=/bin/memhog 16M"
 *     -> mem="32M", noswap="", loglevel="4", init="/bin/memhog 16M"
 *
 * Words are separated by spaces; a value may be double-quoted to hold
 * spaces (key="a b"). init= takes the rest of the line, so it comes last
 * and may carry the program's arguments (docs/design.md section 6). When a key
 * repeats, the last one wins, as in Linux. Pure C: tests/unit checks it.
 */
#include "kernel/cmdline.h"
#include "kernel/string.h"

struct cmdline kernel_cmdline;

static char *
skip_spaces(char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	return p;
}

/* Cuts the value starting at p; returns where the next word starts. */
static char *
cut_value(char *p, bool rest_of_line)
{
	if (rest_of_line) {
		char *end = p + strlen(p);
		while (end > p && (end[-1] == ' ' || end[-1] == '\n'))
			*--end = '\0';
		return end;
	}
	if (*p == '"') {
		char *close = strchr(p + 1, '"');
		memmove(p, p + 1, strlen(p));          /* drop the opening quote */
		if (close) {
			close--;
			*close = '\0';
			return close + 1;
		}
		return p + strlen(p);
	}
	while (*p && *p != ' ' && *p != '\t' && *p != '\n')
		p++;
	if (*p)
		*p++ = '\0';
	return p;
}

/*
 * Parses text into cl. Returns 0, or -1 when the line is longer than
 * CMDLINE_MAX or has more than CMDLINE_MAX_OPTS words; what fitted is kept.
 */
int
cmdline_parse(struct cmdline *cl, const char *text)
{
	size_t len = text ? strnlen(text, sizeof(cl->buf)) : 0;
	int err = 0;
	char *p;

	if (len == sizeof(cl->buf)) {    /* too long: keep what fits */
		len--;
		err = -1;
	}
	if (len > 0)
		memcpy(cl->buf, text, len);
	cl->buf[len] = '\0';
	cl->count = 0;
	for (p = skip_spaces(cl->buf); *p; p = skip_spaces(p)) {
		if (cl->count == CMDLINE_MAX_OPTS)
			return -1;
		struct cmdline_opt *o = &cl->opt[cl->count++];
		o->key = p;
		while (*p && *p != '=' && *p != ' ' && *p != '\t' && *p != '\n')
			p++;
		if (*p == '=') {
			*p++ = '\0';
			o->value = p;
			p = cut_value(p, strcmp(o->key, "init") == 0);
		} else {
			if (*p)
				*p++ = '\0';
			o->value = "";
		}
	}
	return err;
}

/* Returns the value of the last option named key, "" for a flag, or NULL. */
const char *
cmdline_get(const struct cmdline *cl, const char *key)
{
	for (int i = cl->count - 1; i >= 0; i--)
		if (strcmp(cl->opt[i].key, key) == 0)
			return cl->opt[i].value;
	return NULL;
}

/* Decimal, or hexadecimal with 0x. Returns 0, or -1 if s is not a number. */
int
parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	unsigned base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return -1;
	for (; *s; s++) {
		unsigned d;
		if (*s >= '0' && *s <= '9') d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f') d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F') d = *s - 'A' + 10;
		else return -1;
		if (v > (UINT64_MAX - d) / base)
			return -1;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

/* "64M", "2G", "4096", "16k": bytes. Returns 0, or -1 if malformed. */
int
parse_size(const char *s, uint64_t *out)
{
	char num[32];
	size_t len = strlen(s);
	unsigned shift = 0;

	if (len == 0 || len >= sizeof(num))
		return -1;
	memcpy(num, s, len + 1);
	switch (num[len - 1]) {
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	}
	if (shift)
		num[len - 1] = '\0';
	if (parse_u64(num, out) != 0 || (*out << shift) >> shift != *out)
		return -1;
	*out <<= shift;
	return 0;
}

const char *
karg_get(const char *key)
{
	return cmdline_get(&kernel_cmdline, key);
}

bool
karg_has(const char *key)
{
	return karg_get(key) != NULL;
}

/* The option as a number (sizes with K/M/G allowed), or fallback. */
uint64_t
karg_get_u64(const char *key, uint64_t fallback)
{
	const char *v = karg_get(key);
	uint64_t n;

	if (v && parse_size(v, &n) == 0)
		return n;
	return fallback;
}
