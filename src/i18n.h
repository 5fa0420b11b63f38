/*
 * i18n.h: the student's language.  Every user-facing string goes through
 * GNU gettext: _("…") where it is used, N_("…") in a table that is
 * translated where it is shown.  Catalogues live in po/ (po/zh_CN.po);
 * `make update-po` refreshes them from the sources listed in
 * po/POTFILES.in.
 *
 * A function that reports errors may translate its format itself
 * (usage_error, load_error_at, engine_fail ...): po/Makevars names it as
 * an xgettext keyword, and its callers pass plain literals.  words.h says
 * the vocabulary (events, states, the deadlock sentence).  tests/i18n.sh
 * fails on an unmarked string in a finished file, and on a catalogue
 * entry untranslated, fuzzy or no longer used.
 *
 * i18n_init() chooses the language once, before any message: "zh" or
 * "en" (--lang), or NULL to follow the locale (LC_ALL, LC_MESSAGES, LANG).
 * It works in a minimal C.UTF-8 environment too (a classroom machine may
 * have no zh_CN locale installed): the language is then selected through
 * LANGUAGE, which glibc honours whenever the locale is not plain "C".
 *
 * The scenario's own texts (title, pages) are not catalogue strings: a
 * scenario carries them in both languages (struct scenario_text).  JSON
 * keys and values are an interface and stay English.
 */
#ifndef LOCKSTEP_I18N_H
#define LOCKSTEP_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* Choose the language (see above).  Returns "zh" or "en": what the
 * scenario texts should follow too. */
const char *i18n_init(const char *lang);

/* The language chosen by the last i18n_init(): "zh" or "en". */
const char *i18n_lang(void);

#endif
