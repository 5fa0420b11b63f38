/*
 * kinds.c: the table of object kinds (see kinds.h).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "kinds.h"
#include "scenario.h"

#define OPS_LOCK    (KIND_OP(OP_ACQUIRE) | KIND_OP(OP_RELEASE))
#define OPS_VALUE   (KIND_OP(OP_LOAD) | KIND_OP(OP_STORE) | KIND_OP(OP_ATOMIC_ADD))

static const struct kind_info kinds[OBJ_KIND_COUNT] = {
	[OBJ_VALUE] = {
		.noun = N_("value"),
		.article = N_("a"),
		.python = "multiprocessing.Value('i', n)",
		.flags = KF_VALUELIKE,
		.keys = KK_INITIAL | KK_EXPECT | KK_LIMIT,
		.ops = OPS_VALUE,
		.show = KS_VALUE,
	},
	/* CPython's Lock is a SemLock of max 1 with no owner: any process
	 * may release it, a release of a free one is a ValueError, and a
	 * holder that dies leaves it taken for ever. */
	[OBJ_LOCK] = {
		.noun = N_("lock"),
		.article = N_("a"),
		.python = "multiprocessing.Lock()",
		.flags = KF_LOCKLIKE | KF_COUNTING | KF_BOUNDED | KF_COND_LOCK,
		.keys = KK_MAX_HOLDERS,
		.ops = OPS_LOCK, .frees = KIND_OP(OP_RELEASE),
		.primitive = KP_SEM, .wait = KW_COUNT, .show = KS_LOCK,
		.waits = N_("%s is taken: waits (%ld in the queue)"),
		.waits_held = N_("%s was taken by %s: waits (%ld in the queue)"),
		.killed = N_("%s took %s and is killed: it stays taken for ever, like a killed "
		          "Python process's Lock (only another process's release frees it)"),
		.owner_died = N_("  its taker died: taken for ever"),
		.held_by = N_("taken by "),
		.summary_died = N_(", taken by a process that died: taken for ever"),
		.err_release = N_("release of a lock that is not taken "
		               "(Python: ValueError: semaphore or lock released too many times)"),
	},
	/* Counts may be given back by any process, and the value may grow
	 * above its start. */
	[OBJ_SEMAPHORE] = {
		.noun = N_("semaphore"),
		.article = N_("a"),
		.python = "multiprocessing.Semaphore(n)",
		.flags = KF_LOCKLIKE | KF_COUNTING,
		.keys = KK_INITIAL | KK_MAX_HOLDERS,
		.ops = OPS_LOCK, .frees = KIND_OP(OP_RELEASE),
		.primitive = KP_SEM, .wait = KW_COUNT, .show = KS_SEMAPHORE,
		.waits = N_("%s is at 0: waits (%ld in the queue)"),
		.killed = N_("%s took a count of %s and is killed: that count stays taken, like a "
		          "killed Python process's Semaphore (only another process's release "
		          "gives one back)"),
	},
	/* Owned and recursive; the owner's count lives in its own process
	 * (holds), like SemLock's count.  A dead owner's RLock stays taken. */
	[OBJ_RLOCK] = {
		.noun = N_("rlock"),
		.article = N_("an"),
		.python = "multiprocessing.RLock()",
		.flags = KF_LOCKLIKE | KF_OWNED | KF_RECURSIVE | KF_COND_LOCK,
		.keys = KK_MAX_HOLDERS,
		.ops = OPS_LOCK, .frees = KIND_OP(OP_RELEASE),
		.primitive = KP_SEM, .wait = KW_OWNER, .show = KS_LOCK,
		.waits = N_("%s is taken: waits (%ld in the queue)"),
		.waits_held = N_("%s is held by %s: waits (%ld in the queue)"),
		.killed = N_("%s owns %s and is killed: it stays taken for ever, like a killed "
		          "Python process's RLock"),
		.owner_died = N_("  its owner died: taken for ever"),
		.held_by = N_("owner "),
		.summary_died = N_(", its owner died holding it: taken for ever"),
		.err_release = N_("release of an rlock it does not own (Python: AssertionError: "
		               "attempt to release recursive lock not owned by thread)"),
	},
	[OBJ_BOUNDED_SEMAPHORE] = {
		.noun = N_("bounded-semaphore"),
		.article = N_("a"),
		.python = "multiprocessing.BoundedSemaphore(n)",
		.flags = KF_LOCKLIKE | KF_COUNTING | KF_BOUNDED,
		.keys = KK_INITIAL | KK_MAX_HOLDERS,
		.ops = OPS_LOCK, .frees = KIND_OP(OP_RELEASE),
		.primitive = KP_SEM, .wait = KW_COUNT, .show = KS_SEMAPHORE,
		.waits = N_("%s is at 0: waits (%ld in the queue)"),
		.killed = N_("%s took a count of %s and is killed: that count stays taken, like a "
		          "killed Python process's BoundedSemaphore (only another process's "
		          "release gives one back)"),
		.err_release = N_("release above its initial count "
		               "(Python: ValueError: semaphore or lock released too many times)"),
	},
	[OBJ_EVENT] = {
		.noun = N_("event"),
		.article = N_("an"),
		.python = "multiprocessing.Event()",
		.keys = KK_INITIAL,
		.ops = KIND_OP(OP_SET) | KIND_OP(OP_CLEAR) | KIND_OP(OP_WAIT),
		.frees = KIND_OP(OP_SET),
		.primitive = KP_GUARDED, .wait = KW_FLAG, .show = KS_EVENT,
		.waits = N_("%s is not set: waits (%ld waiting)"),
	},
	[OBJ_CONDITION] = {
		.noun = N_("condition"),
		.article = N_("a"),
		.python = "multiprocessing.Condition(lock)",
		.keys = KK_LOCK,
		.ops = KIND_OP(OP_WAIT) | KIND_OP(OP_NOTIFY),
		.frees = KIND_OP(OP_NOTIFY),
		.primitive = KP_GUARDED, .wait = KW_NOTIFY, .show = KS_CONDITION,
		.waits = N_("waits on %s for a notify, its lock given up (%ld waiting)"),
		.err_wait = N_("wait on a condition without holding its lock (Python: "
		            "AssertionError: must acquire() condition before using wait())"),
		.err_notify = N_("notify without holding the condition's lock "
		              "(Python: AssertionError: lock is not owned)"),
	},
	[OBJ_BARRIER] = {
		.noun = N_("barrier"),
		.article = N_("a"),
		.python = "multiprocessing.Barrier(parties)",
		.keys = KK_PARTIES,
		.ops = KIND_OP(OP_WAIT), .frees = KIND_OP(OP_WAIT),
		.primitive = KP_GUARDED, .wait = KW_PARTIES, .show = KS_BARRIER,
	},
	[OBJ_QUEUE] = {
		.noun = N_("queue"),
		.article = N_("a"),
		.python = "multiprocessing.Queue(maxsize)",
		.keys = KK_CAPACITY,
		.ops = KIND_OP(OP_PUT) | KIND_OP(OP_GET), .frees = KIND_OP(OP_PUT),
		.primitive = KP_GUARDED, .wait = KW_ITEMS, .show = KS_QUEUE,
	},
	[OBJ_PIPE] = {
		.noun = N_("pipe"),
		.article = N_("a"),
		.python = "multiprocessing.Pipe()",
		.ops = KIND_OP(OP_SEND) | KIND_OP(OP_RECV), .frees = KIND_OP(OP_SEND),
		.wait = KW_ITEMS, .show = KS_PIPE,
		.waits = N_("%s is empty: waits (%ld waiting)"),
	},
	[OBJ_ARRAY] = {
		.noun = N_("array"),
		.article = N_("an"),
		.python = "multiprocessing.Array('i', n)",
		.flags = KF_VALUELIKE | KF_INDEXED,
		.keys = KK_SIZE | KK_INITIAL | KK_ENTRIES,
		.ops = OPS_VALUE, .show = KS_VALUE,
	},
	[OBJ_DICT] = {
		.noun = N_("dict"),
		.article = N_("a"),
		.python = "Manager().dict()",
		.flags = KF_VALUELIKE | KF_MANAGED | KF_KEYED,
		.keys = KK_ENTRIES,
		.ops = OPS_VALUE, .show = KS_VALUE,
	},
	[OBJ_LIST] = {
		.noun = N_("list"),
		.article = N_("a"),
		.python = "Manager().list()",
		.flags = KF_VALUELIKE | KF_MANAGED | KF_INDEXED,
		.keys = KK_SIZE | KK_INITIAL | KK_ENTRIES,
		.ops = OPS_VALUE, .show = KS_VALUE,
	},
	[OBJ_NAMESPACE] = {
		.noun = N_("namespace"),
		.article = N_("a"),
		.python = "Manager().Namespace()",
		.flags = KF_VALUELIKE | KF_MANAGED | KF_KEYED | KF_ATTR,
		.keys = KK_ENTRIES,
		.ops = OPS_VALUE, .show = KS_VALUE,
	},
	[OBJ_ROBUST_LOCK] = {
		.noun = N_("robust-lock"),
		.article = N_("a"),
		.python = "no Python equivalent: C's robust mutex (pthread_mutexattr_setrobust)",
		.flags = KF_LOCKLIKE | KF_OWNED | KF_ROBUST | KF_COND_LOCK,
		.keys = KK_MAX_HOLDERS,
		.ops = OPS_LOCK, .frees = KIND_OP(OP_RELEASE),
		.primitive = KP_MUTEX, .wait = KW_OWNER, .show = KS_LOCK,
		.waits = N_("%s is taken: waits (%ld in the queue)"),
		.waits_held = N_("%s is held by %s: waits (%ld in the queue)"),
		.killed = N_("%s owns %s and is killed: the next acquirer will recover it "
		          "(EOWNERDEAD), as with a robust mutex in C"),
		.owner_died = N_("  owner died holding it: next acquire recovers it"),
		.held_by = N_("owner "),
		.summary_died = N_(", its owner died holding it"),
		.err_release = N_("release of a robust-lock it does not own "
		               "(pthread_mutex_unlock: EPERM)"),
	},
};

static const char *const names[OBJ_KIND_COUNT] = {
#define KIND_NAME(id, name) [id] = name,
	KIND_LIST(KIND_NAME)
#undef KIND_NAME
};

static const struct kind_info unknown = { .article = N_("a"), .python = "?" };

const struct kind_info *kind_info(int k)
{
	return k >= 0 && k < OBJ_KIND_COUNT ? &kinds[k] : &unknown;
}

int kind_is(int k, unsigned flags)
{
	return (kind_info(k)->flags & flags) == flags;
}

int kind_is_plain_value(int k)
{
	return kind_is(k, KF_VALUELIKE) && !kind_is(k, KF_INDEXED) && !kind_is(k, KF_KEYED);
}

int kind_takes(int k, int op)
{
	return op >= 0 && op < 32 && (kind_info(k)->ops & KIND_OP(op)) != 0;
}

unsigned kind_mask_of_op(int op)
{
	unsigned mask = 0;
	for (int k = 0; k < OBJ_KIND_COUNT; k++)
		if (kind_takes(k, op))
			mask |= 1u << k;
	return mask;
}

int kind_frees(int k, int op)
{
	return op >= 0 && op < 32 && (kind_info(k)->frees & KIND_OP(op)) != 0;
}

int kind_find(const char *name)
{
	for (int k = 0; k < OBJ_KIND_COUNT; k++)
		if (strcmp(names[k], name) == 0)
			return k;
	return -1;
}

const char *object_kind_name(int k)
{
	return k >= 0 && k < OBJ_KIND_COUNT ? names[k] : "?";
}

void kind_elem_name(int k, const char *obj, int index, const char *key,
                    char *buf, size_t len)
{
	if (kind_is(k, KF_INDEXED))
		snprintf(buf, len, "%s[%d]", obj, index);
	else if (kind_is(k, KF_KEYED | KF_ATTR))
		snprintf(buf, len, "%s.%s", obj, key ? key : "?");
	else if (kind_is(k, KF_KEYED))
		snprintf(buf, len, "%s['%s']", obj, key ? key : "?");
	else
		snprintf(buf, len, "%s", obj);
}

void kind_say(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, len, fmt ? fmt : "", ap);
	va_end(ap);
}
