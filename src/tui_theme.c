/*
 * tui_theme.c: the colour schemes, as a table of named UI elements.
 *
 * Drawing code asks tui_attr(EL_...) and never names a colour, so a scheme
 * is one column of this table (the htop/ncdu habit).  Every scheme also
 * works in monochrome: the mono column is attributes only, and the states
 * have symbols (tui_state_symbol) so colour is never the only cue.  The
 * colour-blind scheme keeps the Okabe-Ito hues (blue against orange, never
 * red against green); with 256 colours it uses their exact indices.
 */
#include <string.h>

#include "tui_priv.h"

const char *const tui_theme_names[] = {
	"default", "high-contrast", "colorblind", "mono", NULL
};

struct el_style {
	short fg, bg;      /* -1: the terminal's own */
	short fg256;       /* used instead of fg with 256 colours; 0: none */
	attr_t attr;
};

#define D (-1)
static const struct el_style themes[3][EL_COUNT] = {
	[0] = { /* default: close to htop */
		[EL_NORMAL]      = { D, D, 0, 0 },
		[EL_DIM]         = { D, D, 244, A_DIM },
		[EL_HEADER]      = { COLOR_BLACK, COLOR_CYAN, 0, 0 },
		[EL_TITLE]       = { COLOR_BLACK, COLOR_GREEN, 0, 0 },
		[EL_KEY]         = { D, D, 0, A_BOLD },
		[EL_KEYLABEL]    = { COLOR_BLACK, COLOR_CYAN, 0, 0 },
		[EL_SELECTED]    = { COLOR_BLACK, COLOR_YELLOW, 0, 0 },
		[EL_ST_RUNNING]  = { COLOR_GREEN, D, 0, A_BOLD },
		[EL_ST_READY]    = { D, D, 0, 0 },
		[EL_ST_BLOCKED]  = { COLOR_RED, D, 0, A_BOLD },
		[EL_ST_SLEEPING] = { COLOR_BLUE, D, 75, A_BOLD },
		[EL_ST_DONE]     = { COLOR_CYAN, D, 0, 0 },
		[EL_ST_KILLED]   = { COLOR_MAGENTA, D, 0, A_BOLD },
		[EL_GOOD]        = { COLOR_GREEN, D, 0, A_BOLD },
		[EL_BAD]         = { COLOR_RED, D, 0, A_BOLD },
		[EL_HOLDER]      = { COLOR_YELLOW, D, 0, A_BOLD },
		[EL_WAITER]      = { COLOR_MAGENTA, D, 0, 0 },
		[EL_CYCLE]       = { COLOR_WHITE, COLOR_RED, 0, A_BOLD },
		[EL_MSG]         = { COLOR_YELLOW, D, 0, A_BOLD },
		[EL_ERROR]       = { COLOR_RED, D, 0, A_BOLD },
		[EL_SRC_MARK]    = { COLOR_YELLOW, D, 0, A_BOLD },
		[EL_SRC_CURRENT] = { COLOR_BLACK, COLOR_YELLOW, 0, 0 },
		[EL_BIG]         = { COLOR_CYAN, D, 0, A_BOLD },
		[EL_BORDER]      = { COLOR_CYAN, D, 0, A_BOLD },
	},
	[1] = { /* high-contrast: bright on black, everything bold */
		[EL_NORMAL]      = { COLOR_WHITE, COLOR_BLACK, 0, A_BOLD },
		[EL_DIM]         = { COLOR_WHITE, COLOR_BLACK, 0, 0 },
		[EL_HEADER]      = { COLOR_BLACK, COLOR_WHITE, 0, A_BOLD },
		[EL_TITLE]       = { COLOR_BLACK, COLOR_YELLOW, 0, A_BOLD },
		[EL_KEY]         = { COLOR_YELLOW, COLOR_BLACK, 0, A_BOLD },
		[EL_KEYLABEL]    = { COLOR_BLACK, COLOR_WHITE, 0, A_BOLD },
		[EL_SELECTED]    = { COLOR_BLACK, COLOR_YELLOW, 0, A_BOLD },
		[EL_ST_RUNNING]  = { COLOR_CYAN, COLOR_BLACK, 0, A_BOLD },
		[EL_ST_READY]    = { COLOR_WHITE, COLOR_BLACK, 0, A_BOLD },
		[EL_ST_BLOCKED]  = { COLOR_YELLOW, COLOR_BLACK, 0, A_BOLD | A_UNDERLINE },
		[EL_ST_SLEEPING] = { COLOR_BLUE, COLOR_BLACK, 0, A_BOLD },
		[EL_ST_DONE]     = { COLOR_GREEN, COLOR_BLACK, 0, A_BOLD },
		[EL_ST_KILLED]   = { COLOR_MAGENTA, COLOR_BLACK, 0, A_BOLD },
		[EL_GOOD]        = { COLOR_CYAN, COLOR_BLACK, 0, A_BOLD },
		[EL_BAD]         = { COLOR_BLACK, COLOR_YELLOW, 0, A_BOLD },
		[EL_HOLDER]      = { COLOR_YELLOW, COLOR_BLACK, 0, A_BOLD },
		[EL_WAITER]      = { COLOR_WHITE, COLOR_BLACK, 0, A_BOLD | A_UNDERLINE },
		[EL_CYCLE]       = { COLOR_BLACK, COLOR_YELLOW, 0, A_BOLD },
		[EL_MSG]         = { COLOR_YELLOW, COLOR_BLACK, 0, A_BOLD },
		[EL_ERROR]       = { COLOR_BLACK, COLOR_YELLOW, 0, A_BOLD },
		[EL_SRC_MARK]    = { COLOR_YELLOW, COLOR_BLACK, 0, A_BOLD },
		[EL_SRC_CURRENT] = { COLOR_BLACK, COLOR_WHITE, 0, A_BOLD },
		[EL_BIG]         = { COLOR_WHITE, COLOR_BLACK, 0, A_BOLD },
		[EL_BORDER]      = { COLOR_WHITE, COLOR_BLACK, 0, A_BOLD },
	},
	[2] = { /* colorblind: Okabe-Ito blue / orange / sky / purple */
		[EL_NORMAL]      = { D, D, 0, 0 },
		[EL_DIM]         = { D, D, 244, A_DIM },
		[EL_HEADER]      = { COLOR_BLACK, COLOR_CYAN, 0, 0 },
		[EL_TITLE]       = { COLOR_WHITE, COLOR_BLUE, 0, A_BOLD },
		[EL_KEY]         = { D, D, 0, A_BOLD },
		[EL_KEYLABEL]    = { COLOR_BLACK, COLOR_CYAN, 0, 0 },
		[EL_SELECTED]    = { COLOR_BLACK, COLOR_WHITE, 0, 0 },
		[EL_ST_RUNNING]  = { COLOR_BLUE, D, 32, A_BOLD },
		[EL_ST_READY]    = { D, D, 0, 0 },
		[EL_ST_BLOCKED]  = { COLOR_YELLOW, D, 208, A_BOLD },
		[EL_ST_SLEEPING] = { COLOR_CYAN, D, 74, 0 },
		[EL_ST_DONE]     = { D, D, 0, A_DIM },
		[EL_ST_KILLED]   = { COLOR_MAGENTA, D, 175, A_BOLD },
		[EL_GOOD]        = { COLOR_BLUE, D, 32, A_BOLD },
		[EL_BAD]         = { COLOR_YELLOW, D, 208, A_BOLD | A_UNDERLINE },
		[EL_HOLDER]      = { COLOR_BLUE, D, 32, A_BOLD },
		[EL_WAITER]      = { COLOR_YELLOW, D, 208, 0 },
		[EL_CYCLE]       = { COLOR_BLACK, COLOR_YELLOW, 0, A_BOLD },
		[EL_MSG]         = { COLOR_CYAN, D, 74, A_BOLD },
		[EL_ERROR]       = { COLOR_YELLOW, D, 208, A_BOLD },
		[EL_SRC_MARK]    = { COLOR_CYAN, D, 74, A_BOLD },
		[EL_SRC_CURRENT] = { COLOR_BLACK, COLOR_CYAN, 0, 0 },
		[EL_BIG]         = { COLOR_BLUE, D, 32, A_BOLD },
		[EL_BORDER]      = { COLOR_CYAN, D, 74, A_BOLD },
	},
};
#undef D

/* Monochrome: attributes alone must tell the elements apart. */
static const attr_t mono[EL_COUNT] = {
	[EL_NORMAL] = 0,                 [EL_DIM] = A_DIM,
	[EL_HEADER] = A_REVERSE,         [EL_TITLE] = A_REVERSE | A_BOLD,
	[EL_KEY] = A_BOLD,               [EL_KEYLABEL] = A_REVERSE,
	[EL_SELECTED] = A_REVERSE,       [EL_ST_RUNNING] = A_BOLD,
	[EL_ST_READY] = 0,               [EL_ST_BLOCKED] = A_BOLD | A_UNDERLINE,
	[EL_ST_SLEEPING] = A_DIM,        [EL_ST_DONE] = A_DIM,
	[EL_ST_KILLED] = A_BOLD,         [EL_GOOD] = A_BOLD,
	[EL_BAD] = A_BOLD | A_UNDERLINE, [EL_HOLDER] = A_BOLD,
	[EL_WAITER] = A_UNDERLINE,       [EL_CYCLE] = A_REVERSE | A_BOLD,
	[EL_MSG] = A_BOLD,               [EL_ERROR] = A_BOLD | A_REVERSE,
	[EL_SRC_MARK] = A_BOLD,          [EL_SRC_CURRENT] = A_REVERSE,
	[EL_BIG] = A_BOLD,               [EL_BORDER] = A_BOLD,
};

static attr_t attrs[EL_COUNT];
static int projector;   /* --big: nothing dim (tui_theme_projector) */

/* Pick the scheme and set up the colour pairs.  colour_ok is 0 when
 * NO_COLOR is set; returns 1 when colours are in use. */
int tui_theme_init(const char *name, int colour_ok)
{
	int which = 0;
	for (int i = 0; name && tui_theme_names[i]; i++)
		if (strcmp(name, tui_theme_names[i]) == 0)
			which = i;
	if (which == 3 || !colour_ok || !has_colors() || start_color() == ERR ||
	    COLOR_PAIRS <= EL_COUNT) {
		memcpy(attrs, mono, sizeof attrs);
		return 0;
	}
	int defaults = use_default_colors() == OK;
	for (int el = 0; el < EL_COUNT; el++) {
		const struct el_style *st = &themes[which][el];
		short fg = st->fg, bg = st->bg;
		if (COLORS >= 256 && st->fg256)
			fg = st->fg256;
		if (!defaults) {
			if (fg < 0)
				fg = COLOR_WHITE;
			if (bg < 0)
				bg = COLOR_BLACK;
		}
		init_pair((short)(el + 1), fg, bg);
		attrs[el] = COLOR_PAIR(el + 1) | st->attr;
	}
	return 1;
}

/* On a projector dim grey disappears: what is dim is drawn as plain
 * text, bold, instead. */
void tui_theme_projector(int on)
{
	projector = on;
}

attr_t tui_attr(enum tui_el el)
{
	if ((int)el < 0 || el >= EL_COUNT)
		return 0;
	if (!projector)
		return attrs[el];
	if (el == EL_DIM)
		return (attrs[EL_NORMAL] & ~A_DIM) | A_BOLD;
	return attrs[el] & ~A_DIM;
}

enum tui_el tui_state_el(enum worker_state s)
{
	switch (s) {
	case WS_READY:    return EL_ST_READY;
	case WS_RUNNING:  return EL_ST_RUNNING;
	case WS_BLOCKED:  return EL_ST_BLOCKED;
	case WS_SLEEPING: return EL_ST_SLEEPING;
	case WS_DONE:     return EL_ST_DONE;
	case WS_KILLED:   return EL_ST_KILLED;
	default:          return EL_NORMAL;
	}
}
