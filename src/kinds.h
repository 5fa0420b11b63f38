/*
 * kinds.h: the table of object kinds.  Each kind of shared object (value,
 * lock, semaphore, queue, ...) says here, once: its YAML type name and the
 * keys it takes, the Python it stands for, its nature (flags), the ops
 * that take it, how a waiter on it can be let go, its words for the trace
 * and the screen, and how it is drawn.  Every other module asks the table
 * (kind_info() and the helpers below) instead of switching on the kind:
 * the loader (keys, ops, articles), the worker (which primitive), the
 * picture and deadlock finder (owned or counted), the printers and the
 * TUI (words, draw style).  Like tmux's cmd_entry or htop's meter classes.
 *
 * The table is plain data: nothing here includes curses or touches a
 * process.  The TUI switches once on `show` to draw a kind.
 *
 * Words are whole English sentences with printf formats whose arguments
 * are documented per field, marked N_() for gettext; words.h translates
 * them where they are said (words_of_kind()); format them with kind_say().
 *
 * How to add a kind (robust-lock was added this way):
 *  1. src/kinds.h: add X(OBJ_NEW, "yaml-name") to KIND_LIST, at the end
 *     (the format stays version 1: a kind is only ever added).
 *  2. src/kinds.c: its row: keys, Python, flags, ops, frees, wait style,
 *     show style, words.  Most kinds reuse a primitive (KP_*).
 *  3. The op that implements it, only if no primitive fits: src/arena.c
 *     (init_object, by primitive) and src/worker_sync.c (take/give).
 *  4. Its drawing, only for a new show style: src/tui_objects.c
 *     (tui_draw_objects) and src/trace.c (summary_object).
 *  5. docs/scenario-format.md (the types table), and tests: a loader test
 *     in tests/unit-loader.c, an engine test in tests/unit-engine.c, a
 *     scenario under tests/good/, and when it stands for Python, a pair in
 *     tests/parity/.
 */
#ifndef LOCKSTEP_KINDS_H
#define LOCKSTEP_KINDS_H

#include <stddef.h>

/* Every kind: its enum name and its YAML type name, in the enum's order. */
#define KIND_LIST(X) \
	X(OBJ_VALUE, "value") \
	X(OBJ_LOCK, "lock") \
	X(OBJ_SEMAPHORE, "semaphore") \
	X(OBJ_RLOCK, "rlock") \
	X(OBJ_BOUNDED_SEMAPHORE, "bounded-semaphore") \
	X(OBJ_EVENT, "event") \
	X(OBJ_CONDITION, "condition") \
	X(OBJ_BARRIER, "barrier") \
	X(OBJ_QUEUE, "queue") \
	X(OBJ_PIPE, "pipe") \
	X(OBJ_ARRAY, "array") \
	X(OBJ_DICT, "dict") \
	X(OBJ_LIST, "list") \
	X(OBJ_NAMESPACE, "namespace") \
	X(OBJ_ROBUST_LOCK, "robust-lock")

enum object_kind {
#define KIND_ENUM(id, name) id,
	KIND_LIST(KIND_ENUM)
#undef KIND_ENUM
	OBJ_KIND_COUNT
};

/* Its nature. */
enum {
	KF_LOCKLIKE  = 1u << 0,  /* acquire / release take it */
	KF_OWNED     = 1u << 1,  /* one owner at a time; only it may release */
	KF_RECURSIVE = 1u << 2,  /* its owner may take it again (an RLock) */
	KF_COUNTING  = 1u << 3,  /* a count: taken = initial - value, not per process */
	KF_BOUNDED   = 1u << 4,  /* a release above its initial count is an error */
	KF_ROBUST    = 1u << 5,  /* a dead owner's next acquirer recovers it */
	KF_VALUELIKE = 1u << 6,  /* integers the value ops address (update, atomic-add) */
	KF_MANAGED   = 1u << 7,  /* held by the manager process, not shared memory */
	KF_KEYED     = 1u << 8,  /* its elements are named by key (dict, namespace) */
	KF_INDEXED   = 1u << 9,  /* its elements are numbered (array, list) */
	KF_COND_LOCK = 1u << 10, /* may be a condition's lock */
	KF_ATTR      = 1u << 11, /* keyed by attribute: ns.x, not d['x'] */
};

/* The keys an object of the kind takes besides name and type. */
enum {
	KK_INITIAL = 1u << 0, KK_EXPECT = 1u << 1, KK_MAX_HOLDERS = 1u << 2,
	KK_LOCK = 1u << 3, KK_CAPACITY = 1u << 4, KK_PARTIES = 1u << 5,
	KK_SIZE = 1u << 6, KK_ENTRIES = 1u << 7, KK_LIMIT = 1u << 8
};

/* The real primitive in shared memory (arena.c, worker_sync.c). */
enum kind_primitive {
	KP_NONE,        /* integers only (value, array), or elsewhere (pipe, manager) */
	KP_MUTEX,       /* a robust process-shared pthread mutex (robust-lock) */
	KP_SEM,         /* a process-shared POSIX semaphore, as CPython's SemLock:
	                   lock and rlock (initial 1), semaphores */
	KP_GUARDED,     /* state under a robust mutex with a condition variable
	                   (event, barrier, queue, condition) */
};

/* What a waiter on it waits for, i.e. what makes it available. */
enum kind_wait {
	KW_NONE,        /* nobody waits on it */
	KW_OWNER,       /* its owner lets go */
	KW_COUNT,       /* its count goes above 0 */
	KW_FLAG,        /* its flag goes up (an event) */
	KW_NOTIFY,      /* a notify (a condition) */
	KW_PARTIES,     /* every party arrives (a barrier) */
	KW_ITEMS,       /* an item (queue, pipe), or room (a full queue) */
};

/* How the screen and the summary show it: the TUI switches on this once. */
enum kind_show {
	KS_VALUE,       /* one line per element: value, intended, lost */
	KS_LOCK,        /* owner and queue */
	KS_SEMAPHORE,   /* count as slots, then queue */
	KS_EVENT,       /* flag */
	KS_CONDITION,   /* its lock */
	KS_BARRIER,     /* arrivals of parties */
	KS_QUEUE,       /* items of capacity */
	KS_PIPE,        /* items in flight */
};

struct kind_info {
	const char *noun;        /* its name in a sentence: the YAML name, translated */
	const char *article;     /* "a" or "an", before the name */
	const char *python;      /* what it stands for in Python */
	unsigned flags;          /* KF_* */
	unsigned keys;           /* KK_* */
	unsigned ops;            /* KIND_OP(op) of every op that takes it */
	unsigned frees;          /* ops that let its waiters go on (deadlock) */
	enum kind_primitive primitive;
	enum kind_wait wait;
	enum kind_show show;
	/* Words.  waits: a worker starts waiting (object name, place in
	 * the queue as long); waits_held: the same when its owner is known
	 * (object name, owner's name, place). */
	const char *waits;
	const char *waits_held;
	/* k on a worker that holds it: (worker name, object name). */
	const char *killed;
	/* The screen, under a lock whose holder died; and before its
	 * holder's name ("owner ", "taken by "). */
	const char *owner_died;
	const char *held_by;
	/* The summary, after an object whose holder died. */
	const char *summary_died;
	/* Misuse, as the worker's error: a release it may not do (not
	 * its owner, or above the bound), and for a condition, wait and
	 * notify without its lock.  Each quotes CPython's exception. */
	const char *err_release;
	const char *err_wait;
	const char *err_notify;
};

#define KIND_OP(op) (1u << (op))

/* The row of kind k (a row of "?" for a kind out of range). */
const struct kind_info *kind_info(int k);
/* 1 when kind k has every flag in flags. */
int kind_is(int k, unsigned flags);
/* The count a lock-like kind starts with when the file gives none (a
 * Lock is a semaphore of max 1). */
#define KIND_LOCK_COUNT 1

/* 1 for a plain value: one integer, no elements to name. */
int kind_is_plain_value(int k);
/* 1 when op takes kind k. */
int kind_takes(int k, int op);
/* The kinds op takes, as a mask of 1u << kind. */
unsigned kind_mask_of_op(int op);
/* 1 when op on kind k lets its waiters go on. */
int kind_frees(int k, int op);
/* The kind whose YAML name is name; -1 when none. */
int kind_find(const char *name);
/* The YAML name of kind k ("lock"), "?" out of range. */
const char *object_kind_name(int k);
/* "count", "arr[3]", "d['count']", "ns.x": an element as Python names it. */
void kind_elem_name(int k, const char *obj, int index, const char *key,
                    char *buf, size_t len);
/* snprintf with a table's words as the format. */
void kind_say(char *buf, size_t len, const char *fmt, ...);

#endif
