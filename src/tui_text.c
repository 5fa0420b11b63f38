/*
 * tui_text.c: putting UTF-8 text on the screen by display columns.
 *
 * Chinese narrative and Python comments mix 1- and 2-column characters
 * (哲学家 is 3 characters and 6 columns), so nothing here counts bytes or
 * characters: every cut is made with wcwidth() on what the locale decoded.
 * Invalid bytes and control characters are drawn as one column each ('?',
 * ' ') so a bad file can never shift the layout.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "tui_priv.h"

/* Decode one character at s (at most n bytes).  Sets *wc and *cols and
 * returns the bytes used (>= 1). */
static size_t next_char(const char *s, size_t n, wchar_t *wc, int *cols)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t k = mbrtowc(wc, s, n, &st);
	if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
		*wc = (unsigned char)*s < 0x80 && *s ? (wchar_t)*s : L'?';
		k = 1;
	}
	if (*wc == L'\t' || *wc == L'\n' || *wc == L'\r')
		*wc = L' ';
	int w = wcwidth(*wc);
	if (w < 0) {
		*wc = L'?';
		w = 1;
	}
	*cols = w;
	return k;
}

static int width_n(const char *s, size_t n)
{
	int total = 0;
	while (n > 0 && *s) {
		wchar_t wc;
		int w;
		size_t k = next_char(s, n, &wc, &w);
		total += w;
		s += k;
		n -= k;
	}
	return total;
}

int tui_width(const char *s)
{
	return s ? width_n(s, strlen(s)) : 0;
}

int tui_putn(int y, int x, int maxw, enum tui_el el, const char *s, size_t n)
{
	if (maxw <= 0 || !s || y < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + maxw > COLS)
		maxw = COLS - x;
	wchar_t buf[512];
	int used = 0, nb = 0;
	while (n > 0 && *s && nb < (int)(sizeof buf / sizeof buf[0]) - 1) {
		wchar_t wc;
		int w;
		size_t k = next_char(s, n, &wc, &w);
		if (used + w > maxw)
			break;
		if (w > 0 || nb > 0)   /* a combining mark needs a base */
			buf[nb++] = wc;
		used += w;
		s += k;
		n -= k;
	}
	buf[nb] = 0;
	attr_t a = tui_attr(el);
	attron(a);
	mvaddnwstr(y, x, buf, nb);
	attroff(a);
	return used;
}

int tui_put(int y, int x, int maxw, enum tui_el el, const char *s)
{
	return s ? tui_putn(y, x, maxw, el, s, strlen(s)) : 0;
}

int tui_putf(int y, int x, int maxw, enum tui_el el, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return tui_put(y, x, maxw, el, buf);
}

void tui_fill(int y, int x, int w, enum tui_el el)
{
	if (y < 0 || y >= LINES || x >= COLS)
		return;
	if (x + w > COLS)
		w = COLS - x;
	if (w <= 0)
		return;
	attr_t a = tui_attr(el);
	attron(a);
	mvhline(y, x, ' ', w);
	attroff(a);
}

/* Line breaking by the rules of Chinese typography (and harmless for
 * English, where these marks follow a word without a space anyway):
 * closing punctuation never starts a line and opening punctuation never
 * ends one.  The lessons' Chinese pages mix full-width marks (，。、) with
 * ASCII ones (d['count']-=1:更新会丢失), so both forms are listed. */
static int no_break_before(wchar_t wc)
{
	return wc && wcschr(L",.:;?!)]}%"
	                    L"\uff0c\uff0e\uff1a\uff1b\uff1f\uff01\uff09\uff3d\uff5d\uff05"
	                    L"\u3001\u3002\u300d\u300f\u3011\u300b\u3009\u3015\u3017"
	                    L"\u201d\u2019\u2026\u00b7\u30fb", wc);
}

static int no_break_after(wchar_t wc)
{
	return wc && wcschr(L"([{"
	                    L"\uff08\uff3b\uff5b"
	                    L"\u300c\u300e\u3010\u300a\u3008\u3014\u3016"
	                    L"\u201c\u2018", wc);
}

/* May a line end at the space at p (after prev)?  Not when what follows
 * the spaces may not start a line ("数据不安全 : Manager"). */
static int space_breaks(wchar_t prev, const char *p)
{
	while (*p == ' ')
		p++;
	wchar_t next = 0;
	int w;
	if (*p && *p != '\n')
		next_char(p, MB_LEN_MAX, &next, &w);
	return !no_break_before(next) && !no_break_after(prev);
}

/* Where to cut a word too long for its line, at limit or before it: the
 * last place that leaves no closing mark first on the next line and no
 * opening one last on this line (mutexA=mutexB=RLock() is cut before
 * "RLock", not after its bracket). */
static const char *wrap_cut(const char *start, const char *limit)
{
	const char *ok = NULL, *q = start;
	wchar_t prev = 0, wc;
	int w;
	while (q <= limit && *q) {
		size_t k = next_char(q, MB_LEN_MAX, &wc, &w);
		if (q > start && !no_break_before(wc) && !no_break_after(prev))
			ok = q;
		prev = wc;
		q += k;
	}
	return ok ? ok : limit;
}

int tui_wrap(const char *text, int width, struct tui_line *lines, int max)
{
	int count = 0;
	if (!text || width <= 0)
		return 0;
	const char *p = text;
	while (*p) {
		const char *start = p, *brk = NULL, *resume = NULL, *end;
		int used = 0, soft = 0;
		wchar_t prev = 0;
		int prevw = 0;
		while (*p && *p != '\n') {
			wchar_t wc;
			int w;
			size_t k = next_char(p, MB_LEN_MAX, &wc, &w);
			/* A line may end at a space, or between two characters
			 * when one is wide (CJK text has no spaces), unless
			 * punctuation forbids it. */
			if (p > start) {
				if (wc == L' ') {
					if (space_breaks(prev, p)) {
						brk = p;
						resume = p + k;
					}
				} else if ((w == 2 || prevw == 2) && !no_break_before(wc) &&
				           !no_break_after(prev)) {
					brk = p;
					resume = p;
				}
			}
			if (used + w > width)
				break;
			used += w;
			p += k;
			prev = wc;
			prevw = w;
		}
		if (!*p || *p == '\n') {
			end = p;
			if (*p)
				p++;
		} else if (brk && brk > start) {
			end = brk;
			p = resume;
			soft = 1;
		} else if (p == start) {
			/* One character wider than the line: take it anyway. */
			wchar_t wc;
			int w;
			p += next_char(p, MB_LEN_MAX, &wc, &w);
			end = p;
			soft = 1;
		} else {
			end = p = wrap_cut(start, p);   /* a word longer than the line */
			soft = 1;
		}
		if (count < max) {
			lines[count].s = start;
			lines[count].n = (size_t)(end - start);
		}
		count++;
		/* Spaces at a soft break are not carried to the next line. */
		while (soft && *p == ' ')
			p++;
	}
	return count;
}

const char *tui_glyph(const struct tui *t, enum tui_glyph g)
{
	static const char *const utf8[G_COUNT] = {
		"\u2192", "\u00d7", "\u2588", "\u00b7", "\u2026" };
	static const char *const ascii[G_COUNT] = { "->", "x", "#", "|", "..." };
	return t->utf8 ? utf8[g] : ascii[g];
}

/* Every state has its own symbol, so colour is never the only cue. */
const char *tui_state_symbol(const struct tui *t, enum worker_state s)
{
	static const char *const utf8[WS_COUNT] = {
		"\u00b7", "\u25b8", "#", "z", "\u2713", "\u2717" };
	static const char *const ascii[WS_COUNT] = { ".", ">", "#", "z", "+", "x" };
	if ((int)s < 0 || s >= WS_COUNT)
		return "?";
	return t->utf8 ? utf8[s] : ascii[s];
}

const char *tui_lang(const struct tui *t, const struct scenario_text *x)
{
	const char *first = t->zh ? x->zh : x->en;
	const char *other = t->zh ? x->en : x->zh;
	return first && *first ? first : other ? other : "";
}

long tui_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
