/*
 * i18n.c: choosing the language and finding the catalogues (i18n.h).
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "i18n.h"

static const char *chosen = "en";

/* The language the environment asks for, the way gettext reads it. */
static const char *i18n_env_lang(void)
{
	const char *vars[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return strncmp(v, "zh", 2) == 0 ? "zh" : "en";
	}
	return "en";
}

/* Where the catalogues are: the build tree's locale/ when the program
 * runs from there (make check), else where make install put them. */
static const char *i18n_dir(void)
{
	if (catalog_in_build_tree() &&
	    access(ABS_TOP_BUILDDIR "/locale/zh_CN/LC_MESSAGES/" PACKAGE ".mo", R_OK) == 0)
		return ABS_TOP_BUILDDIR "/locale";
	return LOCALEDIR;
}

const char *i18n_init(const char *lang)
{
	setlocale(LC_ALL, "");
	if (!lang)
		lang = i18n_env_lang();
	chosen = strcmp(lang, "zh") == 0 ? "zh" : "en";
	/* LANGUAGE outranks the locale for messages; "en" has no catalogue,
	 * so the English msgids show even under a Chinese locale. */
	setenv("LANGUAGE", strcmp(chosen, "zh") == 0 ? "zh_CN" : "en", 1);
	/* glibc ignores LANGUAGE under the "C" locale, and Chinese needs
	 * UTF-8 anyway: where the locale is C (or a zh_CN locale that is not
	 * installed), take C.UTF-8, which every glibc has. */
	const char *msgs = setlocale(LC_MESSAGES, NULL);
	if (strcmp(chosen, "zh") == 0 && msgs &&
	    (strcmp(msgs, "C") == 0 || strcmp(msgs, "POSIX") == 0))
		setlocale(LC_ALL, "C.UTF-8");
	bindtextdomain(PACKAGE, i18n_dir());
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	/* Setting the domain again tells gettext its cache is stale. */
	textdomain(PACKAGE);
	return chosen;
}

const char *i18n_lang(void)
{
	return chosen;
}
