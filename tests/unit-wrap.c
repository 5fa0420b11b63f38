/*
 * unit-wrap.c: line breaking of the lesson pages (tui_wrap), checked on
 * every bundled scenario's pages, titles and summaries, in both languages,
 * at every width a pane can have.
 *
 * The rules are Chinese typography's (and the issue's): no line starts with
 * closing punctuation, none ends with opening punctuation, in the
 * full-width and the ASCII forms the lessons use; no line is wider than its
 * width; no text is lost or repeated (only the spaces at a soft break and
 * the newlines go).  The lists below are the rule as the typesetter states
 * it, kept apart from the code's own lists on purpose.
 *
 * Environment (exported by make check): SCENARIOS = abs path of scenarios/.
 */
#include <dirent.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <cmocka.h>

#include "scenario.h"
#include "tui_priv.h"

static const wchar_t closing[] =
	L",.:;?!)]}" L"\uff0c\u3002\u3001\uff1a\uff1b\uff1f\uff01\uff09"
	L"\u300d\u300f\u300b\u3011\u201d\u2019";
static const wchar_t opening[] =
	L"([{" L"\uff08\u300c\u300e\u300a\u3010\u201c\u2018";

static wchar_t first_char(const char *s, size_t n)
{
	wchar_t wc = 0;
	mbstate_t st;
	memset(&st, 0, sizeof st);
	if (n)
		mbrtowc(&wc, s, n, &st);
	return wc;
}

static wchar_t last_char(const char *s, size_t n)
{
	size_t i = n;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
		i--;
	return i > 0 ? first_char(s + i - 1, n - i + 1) : 0;
}

/* Only non-space, non-newline bytes, in order: what a reader must see. */
static size_t ink(const char *s, size_t n, char *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\n')
			out[k++] = s[i];
	return k;
}

static int checked;

static int latin(char c)
{
	return c && c != ' ' && c != '\n' && !((unsigned char)c & 0x80);
}

/* Mixed Chinese and Latin text breaks between the two, or at spaces: a
 * Latin run (a word, d['count']-=1, --seed=7) is cut only when it is
 * wider than the line together with the marks that may not be parted
 * from it ("（pool-per-task）：" is one unit).  cut is where one line
 * ends and the next begins, with nothing dropped between them. */
static void check_latin_kept(const char *id, const char *what, int width,
                             const char *text, const char *cut)
{
	if (cut == text || !latin(cut[-1]) || !latin(cut[0]))
		return;
	const char *a = cut, *b = cut;
	while (a > text && latin(a[-1]))
		a--;
	while (latin(*b))
		b++;
	while (a > text) {   /* opening marks before it */
		const char *q = a - 1;   /* the character before, at its first byte */
		while (q > text && ((unsigned char)*q & 0xc0) == 0x80)
			q--;
		if (!wcschr(opening, first_char(q, (size_t)(a - q))))
			break;
		a = q;
	}
	while (*b && wcschr(closing, first_char(b, strlen(b)))) {   /* closing after */
		b++;
		while (((unsigned char)*b & 0xc0) == 0x80)
			b++;
	}
	char unit[512];
	snprintf(unit, sizeof unit, "%.*s", (int)(b - a), a);
	if (tui_width(unit) <= width)
		fail_msg("%s %s width %d: '%s' is cut though it fits a line", id, what,
		         width, unit);
}

/* A Chinese text uses the full-width marks (，：；？！（）) where a Chinese
 * teacher would: no ASCII , : ; ? ! next to a Chinese character, no ASCII
 * bracket around Chinese.  (Code keeps its own: Semaphore(4),
 * d['count']-=1, `with lock:`.) */
static int wide_at(const char *s)
{
	return ((unsigned char)*s & 0xe0) == 0xe0;   /* a 3-byte UTF-8 character */
}

static void check_fullwidth(const char *id, const char *what, const char *text)
{
	for (const char *p = text; *p; p++) {
		if (!strchr(",:;?!()", *p))
			continue;
		const char *q = p - 1;   /* the character before, at its first byte */
		while (q > text && ((unsigned char)*q & 0xc0) == 0x80)
			q--;
		int before = p > text && wide_at(q), after = wide_at(p + 1);
		/* A bracket of code may touch Chinese outside it (Semaphore(4)：),
		 * not inside: (计数器减 1) is prose. */
		if (*p == '(' ? after : *p == ')' ? before : before || after)
			fail_msg("%s %s: ASCII '%c' next to a Chinese character: '%.*s'", id,
			         what, *p, (int)strnlen(p > text + 12 ? p - 12 : text, 30),
			         p > text + 12 ? p - 12 : text);
	}
}

static void check_text(const char *id, const char *what, const char *text)
{
	static struct tui_line lines[4096];
	static char want[SCENARIO_MAX_TEXT], got[SCENARIO_MAX_TEXT];
	if (!text)
		return;
	size_t nwant = ink(text, strlen(text), want);
	for (int width = 16; width <= 120; width++) {
		int n = tui_wrap(text, width, lines, 4096);
		assert_true(n <= 4096);
		size_t ngot = 0;
		for (int i = 0; i < n; i++) {
			const char *s = lines[i].s;
			size_t len = lines[i].n;
			char one[1024];
			snprintf(one, sizeof one, "%.*s", (int)len, s);
			if (tui_width(one) > width)
				fail_msg("%s %s width %d: line %d is wider: '%s'", id, what,
				         width, i + 1, one);
			wchar_t f = first_char(s, len), l = last_char(s, len);
			/* A line after a hard break (a new paragraph) may start
			 * with anything its author wrote. */
			int soft = i > 0 && lines[i - 1].s + lines[i - 1].n < s &&
			           lines[i - 1].s[lines[i - 1].n] != '\n';
			if (soft && f && wcschr(closing, f))
				fail_msg("%s %s width %d: line %d starts with closing "
				         "punctuation: '%s'", id, what, width, i + 1, one);
			if (i + 1 < n && l && wcschr(opening, l) && s[len] != '\n')
				fail_msg("%s %s width %d: line %d ends with opening "
				         "punctuation: '%s'", id, what, width, i + 1, one);
			if (i + 1 < n && s + len == lines[i + 1].s)
				check_latin_kept(id, what, width, text, s + len);
			ngot += ink(s, len, got + ngot);
		}
		if (ngot != nwant || memcmp(got, want, nwant) != 0)
			fail_msg("%s %s width %d: the wrapped text is not the text", id,
			         what, width);
		checked++;
	}
}

static void check_pair(const char *id, const char *what, const struct scenario_text *t)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%s (en)", what);
	check_text(id, buf, t->en);
	snprintf(buf, sizeof buf, "%s (zh)", what);
	check_text(id, buf, t->zh);
	if (t->zh)
		check_fullwidth(id, buf, t->zh);
}

static void test_bundled_pages(void **state)
{
	(void)state;
	const char *dir = getenv("SCENARIOS");
	assert_non_null(dir);
	DIR *d = opendir(dir);
	assert_non_null(d);
	int files = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		if (n < 6 || strcmp(de->d_name + n - 5, ".yaml") != 0)
			continue;
		char path[4096], err[512];
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		struct scenario *s = scenario_load(path, err, sizeof err);
		if (!s)
			fail_msg("%s", err);
		check_pair(s->id, "title", &s->title);
		check_pair(s->id, "summary", &s->summary);
		for (int p = 0; p < s->n_pages; p++) {
			char what[32];
			snprintf(what, sizeof what, "page %d", p + 1);
			check_pair(s->id, what, &s->pages[p]);
		}
		scenario_free(s);
		files++;
	}
	closedir(d);
	assert_true(files >= 20);
	assert_true(checked > 1000);
}

/* The rule on a made-up line, so a page rewritten to dodge it still leaves
 * the rule tested: at 8 columns the comma after 丢失更新 (8 columns) would
 * start the second line, and at 5 the bracket after 进程 would end the
 * first; the break moves back instead. */
static void test_comma_moves_back(void **state)
{
	(void)state;
	struct tui_line lines[8];
	const char *text = "\u4e22\u5931\u66f4\u65b0,\u4e0d\u52a0\u9501";
	int n = tui_wrap(text, 8, lines, 8);
	assert_true(n >= 2);
	assert_true(lines[1].s[0] != ',');
	text = "\u8fdb\u7a0b(\u8fdb\u7a0b)";
	n = tui_wrap(text, 5, lines, 8);
	assert_true(n >= 2);
	assert_true(lines[0].s[lines[0].n - 1] != '(');
}

int main(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bundled_pages),
		cmocka_unit_test(test_comma_moves_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
