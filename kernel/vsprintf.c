/*
 * kernel/vsprintf.c - printf-style formatting, the subset the kernel uses.
 *
 * Conversions: %d %i %u %x %X %o %c %s %p %%; flags '-' '0' '+' ' ' '#';
 * a field width and a precision (numbers or '*'); length modifiers hh h
 * l ll z t j. Behaves like ISO C snprintf for all of these: the result is
 * always terminated and the return value is the length the whole output
 * would have had. Pure C with no kernel dependencies, so tests/unit checks
 * it against the host's libc with sanitizers on.
 */
#include "kernel/vsprintf.h"

struct out {
	char *buf;
	size_t size;
	size_t len;   /* characters produced so far, even past size */
};

struct spec {
	bool left, zero, plus, space, alt;
	int width;
	int precision;  /* -1: none given */
	int length;     /* 'H' hh, 'h', 'l', 'L' ll/j/z/t, 0 int */
};

static void
put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void
put_repeat(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

/* Emits prefix + zero padding + digits, padded to the field width. */
static void
put_padded(struct out *o, const struct spec *s, const char *prefix,
	   const char *digits, int ndigits)
{
	int nprefix = 0, zeros = 0, total, pad;

	while (prefix[nprefix])
		nprefix++;
	if (s->precision > ndigits)
		zeros = s->precision - ndigits;
	total = nprefix + zeros + ndigits;
	pad = s->width > total ? s->width - total : 0;
	if (s->zero && !s->left && s->precision < 0) {
		zeros += pad;
		pad = 0;
	}
	if (!s->left)
		put_repeat(o, ' ', pad);
	for (int i = 0; i < nprefix; i++)
		put(o, prefix[i]);
	put_repeat(o, '0', zeros);
	for (int i = 0; i < ndigits; i++)
		put(o, digits[i]);
	if (s->left)
		put_repeat(o, ' ', pad);
}

static void
format_number(struct out *o, const struct spec *s, uint64_t v, bool negative,
	      unsigned base, bool upper, const char *sign_or_base)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	char prefix[4] = "";
	int n = 0;

	while (v != 0) {
		tmp[sizeof(tmp) - 1 - n++] = set[v % base];
		v /= base;
	}
	/* ISO C: precision 0 with value 0 prints no digits. */
	if (n == 0 && s->precision != 0)
		tmp[sizeof(tmp) - 1 - n++] = '0';
	if (negative)
		prefix[0] = '-';
	else if (sign_or_base)
		for (int i = 0; sign_or_base[i] && i < 3; i++)
			prefix[i] = sign_or_base[i];
	/* '#' with octal guarantees a leading zero. */
	if (base == 8 && s->alt && (n == 0 || tmp[sizeof(tmp) - n] != '0'))
		tmp[sizeof(tmp) - 1 - n++] = '0';
	put_padded(o, s, prefix, tmp + sizeof(tmp) - n, n);
}

static const char *
parse_spec(const char *f, struct spec *s, va_list *ap)
{
	*s = (struct spec){ .precision = -1 };
	for (;; f++) {
		if (*f == '-') s->left = true;
		else if (*f == '0') s->zero = true;
		else if (*f == '+') s->plus = true;
		else if (*f == ' ') s->space = true;
		else if (*f == '#') s->alt = true;
		else break;
	}
	if (*f == '*') {
		s->width = va_arg(*ap, int);
		if (s->width < 0) {
			s->left = true;
			s->width = -s->width;
		}
		f++;
	}
	while (*f >= '0' && *f <= '9')
		s->width = s->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		s->precision = 0;
		if (*f == '*') {
			s->precision = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			s->precision = s->precision * 10 + (*f++ - '0');
	}
	if (f[0] == 'h' && f[1] == 'h') { s->length = 'H'; f += 2; }
	else if (f[0] == 'l' && f[1] == 'l') { s->length = 'L'; f += 2; }
	else if (*f == 'h') { s->length = 'h'; f++; }
	else if (*f == 'l' || *f == 'z' || *f == 't' || *f == 'j') { s->length = 'L'; f++; }
	return f;
}

static int64_t
signed_arg(const struct spec *s, va_list *ap)
{
	switch (s->length) {
	case 'H': return (signed char)va_arg(*ap, int);
	case 'h': return (short)va_arg(*ap, int);
	case 'L': return va_arg(*ap, long long);
	default:  return va_arg(*ap, int);
	}
}

static uint64_t
unsigned_arg(const struct spec *s, va_list *ap)
{
	switch (s->length) {
	case 'H': return (unsigned char)va_arg(*ap, unsigned);
	case 'h': return (unsigned short)va_arg(*ap, unsigned);
	case 'L': return va_arg(*ap, unsigned long long);
	default:  return va_arg(*ap, unsigned);
	}
}

static void
format_string(struct out *o, const struct spec *s, const char *str)
{
	int n = 0;

	if (!str)
		str = "(null)";
	while (str[n] && (s->precision < 0 || n < s->precision))
		n++;
	struct spec plain = *s;
	plain.zero = false;
	plain.precision = -1;
	put_padded(o, &plain, "", str, n);
}

static void
format_one(struct out *o, char conv, const struct spec *s, va_list *ap)
{
	switch (conv) {
	case 'd':
	case 'i': {
		int64_t v = signed_arg(s, ap);
		const char *sign = s->plus ? "+" : s->space ? " " : NULL;
		format_number(o, s, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, false, sign);
		break;
	}
	case 'u':
		format_number(o, s, unsigned_arg(s, ap), false, 10, false, NULL);
		break;
	case 'x':
	case 'X': {
		uint64_t v = unsigned_arg(s, ap);
		const char *pfx = s->alt && v ? (conv == 'x' ? "0x" : "0X") : NULL;
		format_number(o, s, v, false, 16, conv == 'X', pfx);
		break;
	}
	case 'o':
		format_number(o, s, unsigned_arg(s, ap), false, 8, false, NULL);
		break;
	case 'p': {
		/* Kernel convention: always 0x and 16 digits, so columns line up. */
		struct spec p = { .zero = true, .width = 16, .precision = -1 };
		put(o, '0');
		put(o, 'x');
		format_number(o, &p, (uint64_t)(uintptr_t)va_arg(*ap, void *), false, 16, false, NULL);
		break;
	}
	case 'c': {
		char c = (char)va_arg(*ap, int);
		struct spec plain = *s;
		plain.zero = false;
		put_padded(o, &plain, "", &c, 1);
		break;
	}
	case 's':
		format_string(o, s, va_arg(*ap, const char *));
		break;
	case '%':
		put(o, '%');
		break;
	default:  /* unknown conversion: print it as it stands */
		put(o, '%');
		if (conv)
			put(o, conv);
	}
}

int
vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size };
	va_list args;

	va_copy(args, ap);
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		struct spec s;
		f = parse_spec(f + 1, &s, &args);
		format_one(&o, *f, &s, &args);
		if (!*f)
			break;
	}
	va_end(args);
	if (size > 0)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int
snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
