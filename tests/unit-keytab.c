/*
 * unit-keytab.c: the one table of keys (src/tui_keytab.c), which the key
 * bar, the help overlay and the dispatch all read.
 *
 * - each key code is in one row only, so no key does two things and a
 *   new row cannot silently shadow an old one;
 * - every row has a handler; a row in the key bar or the help has a name
 *   to show, and a row in the key bar is in the help too;
 * - every key the screen has always answered is still in the table
 *   (what they do is tests/tui.sh's business);
 * - the menu's table obeys the same rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "tui_priv.h"

static void check_table(const struct tui_key *tab, int n)
{
	for (int i = 0; i < n; i++) {
		const struct tui_key *k = &tab[i];
		assert_non_null(k->run);
		assert_true(k->codes[0] != 0);
		if (k->bar || k->help)
			assert_non_null(k->name);
		for (int c = 0; c < TUI_KEY_CODES && k->codes[c]; c++) {
			const struct tui_key *owner = tui_keytab_find(tab, n, k->codes[c]);
			if (owner != k)
				fail_msg("key code %d is in row %d and row %d", k->codes[c],
				         (int)(owner - tab), i);
		}
	}
}

static void test_scenario_keys_once(void **state)
{
	(void)state;
	int n;
	const struct tui_key *tab = tui_keytab(&n);
	check_table(tab, n);
	for (int i = 0; i < n; i++)
		if (tab[i].bar && !tab[i].help)
			fail_msg("%s is in the key bar but not in the help", tab[i].name);
}

static void test_scenario_keys_kept(void **state)
{
	(void)state;
	static const int kept[] = {
		' ', '1', '5', '9', '\n', '\r', KEY_ENTER, KEY_UP, KEY_DOWN, KEY_LEFT,
		KEY_RIGHT, KEY_HOME, KEY_END, 'r', '+', '=', '-', '_', 's', 'n', 'b', 'R',
		'k', 'g', 'i', '?', 'h', KEY_F(1), 'l', 'L', 'B', KEY_PPAGE, KEY_NPAGE, 'q', 27,
		KEY_MOUSE,
	};
	int n;
	const struct tui_key *tab = tui_keytab(&n);
	for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
		if (!tui_keytab_find(tab, n, kept[i]))
			fail_msg("key code %d is no longer in the table", kept[i]);
	assert_null(tui_keytab_find(tab, n, 'Z'));
}

static void test_menu_keys_once(void **state)
{
	(void)state;
	int n;
	const struct tui_key *tab = tui_menu_keytab(&n);
	check_table(tab, n);
	static const int kept[] = { '\n', KEY_ENTER, KEY_UP, KEY_DOWN, 'j', 'k', '\t',
	                            KEY_HOME, KEY_END, 'q', 'Q', 27 };
	for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
		assert_non_null(tui_keytab_find(tab, n, kept[i]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scenario_keys_once),
		cmocka_unit_test(test_scenario_keys_kept),
		cmocka_unit_test(test_menu_keys_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
