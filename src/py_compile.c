/*
 * py_compile.c: a Python program to a scenario (py_compile.h).
 *
 * A partial evaluator over the syntax tree.  The main program runs here,
 * at compile time, with values of its own (struct val): integers,
 * strings, lists and tuples, functions, classes, and the shared objects
 * it creates, which become the scenario's objects.  A start() compiles
 * the process's target, with the arguments it was given, into a worker's
 * ops: everything a worker computes from its own arguments and locals is
 * worked out here, and only what touches shared objects, time or the
 * screen is left to run, one op per step CPython can be interrupted at.
 * A value read from a shared object is only known at run time: it lives
 * in the worker's register (struct val kind V_REG, with an offset).
 *
 * Errors unwind with longjmp to py_compile_buffer(), which frees the
 * compile-time memory (one list of blocks) and the scenario built so far.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "py_compile.h"
#include "py_lex.h"
#include "py_parse.h"
#include "scenario_priv.h"

enum vkind {
	V_NONE, V_INT, V_STR, V_BOOL, V_TUPLE, V_LIST, V_DICTLIT,
	V_FUNC, V_CLASS, V_BUILTIN, V_MODULE, V_METHOD,
	V_OBJ,      /* a shared object: obj */
	V_MANAGER,  /* Manager() */
	V_PROC,     /* a Process or Thread (instance of a Thread class too) */
	V_REG,      /* known at run time only: the register + i */
	V_RANDINT,  /* random.randint(a, b) not yet used: a sleep takes it */
	V_FLOAT,    /* a float literal: a sleep's seconds */
};

/* The built-in names lockstep knows, and the methods of its values. */
enum builtin {
	B_RANGE, B_PRINT, B_STR, B_INT, B_LEN,
	B_PROCESS, B_THREAD, B_LOCK, B_RLOCK, B_SEMAPHORE, B_BSEMAPHORE,
	B_CONDITION, B_EVENT, B_BARRIER, B_QUEUE, B_MANAGER, B_VALUE, B_ARRAY,
	B_SLEEP, B_RANDINT,
	M_START, M_JOIN, M_APPEND, M_ACQUIRE, M_RELEASE, M_SET, M_CLEAR,
	M_WAIT, M_NOTIFY, M_NOTIFY_ALL, M_PUT, M_GET,
	M_MDICT, M_MLIST, M_MNAMESPACE, M_MOBJ, M_METHOD_DEF, M_FORMAT,
	B_COUNT
};

struct val {
	enum vkind k;
	long long i;             /* V_INT, V_BOOL, V_BUILTIN id, V_REG offset,
	                            V_RANDINT low; V_OBJ: element or -1 */
	long long hi;            /* V_RANDINT high */
	const char *s;           /* V_STR (NUL-terminated), V_MODULE name */
	int obj;                 /* V_OBJ, V_PROC, V_CLASS... index */
	struct seq *seq;         /* V_TUPLE, V_LIST, V_DICTLIT (keys, then values) */
	const struct py_node *fn;/* V_FUNC, V_CLASS */
	struct val *self;        /* V_METHOD: the receiver */
	int mkind;               /* V_METHOD of a manager: the kind it makes */
	double d;                /* V_FLOAT */
};

struct seq {
	struct val *v;
	int n, cap;
};

struct var {
	const char *name;
	struct val v;
};

struct frame {
	struct var *vars;
	int n, cap;
};

/* A Process or Thread the main program made. */
struct proc {
	struct val target;      /* a function, or a method bound to self */
	struct seq *args;
	char name[64];           /* as CPython names it: Process-2 */
	const struct py_node *cls; /* a Thread subclass: its class */
	int number;             /* Process-N, Thread-N */
	int thread;
	int started;
	int joined;
};

#define MAX_PROCS SCENARIO_MAX_WORKERS

/* One worker's program, as it comes out. */
struct wprog {
	struct scenario_op ops[SCENARIO_MAX_OPS];
	int n;
	int proc;
	long reg_known;          /* the register, when known (have_reg) */
	long long reg_gen;       /* bumped whenever the register changes */
	int have_reg;
};

/* A started process's program, once compiled: ops in the compile-time
 * memory, shared with the process before when they are the same. */
struct cprog {
	struct scenario_op *ops;
	int n;
	int proc;
};

struct block {
	struct block *next;
	char data[];
};

struct pyc {
	const char *name;
	char *err;
	size_t errlen;
	jmp_buf fail;
	struct block *blocks;
	struct scenario *s;
	struct frame globals;
	struct frame *locals;    /* NULL at module level */
	struct wprog *w;         /* the worker being compiled, NULL in main */
	struct proc *procs;
	int n_procs, counter;    /* counter: multiprocessing's name counter */
	int thread_counter;
	int started, all_joined, any_join;
	int depth;
	int returning;
	struct val retval;
	int breaking, continuing;
	int line;                /* the statement being compiled */
	struct wprog scratch;    /* the worker being compiled */
	struct cprog *progs;     /* one per started process, MAX_PROCS */
	int n_progs;
};

/* ---- memory and errors ---------------------------------------------------- */

static void *pyc_alloc(struct pyc *c, size_t n)
{
	struct block *b = calloc(1, sizeof *b + n);
	if (b == NULL) {
		snprintf(c->err, c->errlen, _("cannot load %s: %s"), c->name, strerror(ENOMEM));
		errno = ENOMEM;
		longjmp(c->fail, 2);
	}
	b->next = c->blocks;
	c->blocks = b;
	return b->data;
}

__attribute__((format(printf, 3, 4), noreturn))
static void pyc_error(struct pyc *c, const struct py_node *at, const char *fmt, ...)
{
	char msg[512], shown[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, _(fmt), ap);   /* pyc_error is an xgettext keyword */
	va_end(ap);
	scenario_escape(shown, sizeof shown, c->name);
	snprintf(c->err, c->errlen, "%s:%d:%d: error: %s", shown,
		 at ? at->line : 1, at ? at->col : 1, msg);
	longjmp(c->fail, 1);
}

static char *pyc_strdup(struct pyc *c, const char *s)
{
	size_t n = strlen(s);
	char *d = pyc_alloc(c, n + 1);
	memcpy(d, s, n + 1);
	return d;
}

static struct seq *seq_new(struct pyc *c, int cap)
{
	struct seq *q = pyc_alloc(c, sizeof *q);
	q->cap = cap > 4 ? cap : 4;
	q->v = pyc_alloc(c, (size_t)q->cap * sizeof *q->v);
	return q;
}

static void seq_push(struct pyc *c, struct seq *q, struct val v)
{
	if (q->n == q->cap) {
		struct val *n = pyc_alloc(c, (size_t)q->cap * 2 * sizeof *n);
		memcpy(n, q->v, (size_t)q->n * sizeof *n);
		q->v = n;
		q->cap *= 2;
	}
	q->v[q->n++] = v;
}

static struct val v_int(long long i) { return (struct val){ .k = V_INT, .i = i }; }
static struct val v_none(void) { return (struct val){ .k = V_NONE }; }
static struct val v_str(const char *s) { return (struct val){ .k = V_STR, .s = s }; }

/* ---- names ------------------------------------------------------------------ */

static struct val *frame_find(struct frame *f, const char *name)
{
	for (int i = f->n - 1; i >= 0; i--)
		if (strcmp(f->vars[i].name, name) == 0)
			return &f->vars[i].v;
	return NULL;
}

static void frame_set(struct pyc *c, struct frame *f, const char *name, struct val v)
{
	struct val *old = frame_find(f, name);
	if (old != NULL) {
		*old = v;
		return;
	}
	if (f->n == f->cap) {
		int cap = f->cap ? f->cap * 2 : 32;
		struct var *n = pyc_alloc(c, (size_t)cap * sizeof *n);
		if (f->n)
			memcpy(n, f->vars, (size_t)f->n * sizeof *n);
		f->vars = n;
		f->cap = cap;
	}
	f->vars[f->n].name = name;
	f->vars[f->n].v = v;
	f->n++;
}

static const struct {
	const char *name;
	enum builtin b;
} builtins[] = {
	{ "range", B_RANGE }, { "print", B_PRINT }, { "str", B_STR },
	{ "int", B_INT }, { "len", B_LEN },
};

/* What `from MODULE import NAME` (or MODULE.NAME) is. */
static const struct {
	const char *module, *name;
	enum builtin b;
} module_names[] = {
	{ "multiprocessing", "Process", B_PROCESS },
	{ "multiprocessing", "Lock", B_LOCK },
	{ "multiprocessing", "RLock", B_RLOCK },
	{ "multiprocessing", "Semaphore", B_SEMAPHORE },
	{ "multiprocessing", "BoundedSemaphore", B_BSEMAPHORE },
	{ "multiprocessing", "Condition", B_CONDITION },
	{ "multiprocessing", "Event", B_EVENT },
	{ "multiprocessing", "Barrier", B_BARRIER },
	{ "multiprocessing", "Queue", B_QUEUE },
	{ "multiprocessing", "Manager", B_MANAGER },
	{ "multiprocessing", "Value", B_VALUE },
	{ "multiprocessing", "Array", B_ARRAY },
	{ "threading", "Thread", B_THREAD },
	{ "threading", "Lock", B_LOCK },
	{ "threading", "RLock", B_RLOCK },
	{ "threading", "Semaphore", B_SEMAPHORE },
	{ "threading", "BoundedSemaphore", B_BSEMAPHORE },
	{ "threading", "Condition", B_CONDITION },
	{ "threading", "Event", B_EVENT },
	{ "threading", "Barrier", B_BARRIER },
	{ "time", "sleep", B_SLEEP },
	{ "random", "randint", B_RANDINT },
};

static const char *const modules[] = {
	"multiprocessing", "threading", "time", "random", "os", NULL
};

static struct val lookup(struct pyc *c, const struct py_node *n)
{
	struct val *v = c->locals ? frame_find(c->locals, n->str) : NULL;
	if (v == NULL)
		v = frame_find(&c->globals, n->str);
	if (v != NULL)
		return *v;
	for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
		if (strcmp(builtins[i].name, n->str) == 0)
			return (struct val){ .k = V_BUILTIN, .i = builtins[i].b };
	if (strcmp(n->str, "__name__") == 0)
		return v_str("__main__");
	if (strcmp(n->str, "True") == 0 || strcmp(n->str, "False") == 0)
		return (struct val){ .k = V_BOOL, .i = n->str[0] == 'T' };
	pyc_error(c, n, "name '%s' is not defined (NameError)", n->str);
}

static void bind(struct pyc *c, const char *name, struct val v)
{
	frame_set(c, c->locals ? c->locals : &c->globals, name, v);
}

/* ---- the scenario's objects ------------------------------------------------- */

static const char *vkind_name(const struct pyc *c, const struct val *v)
{
	switch (v->k) {
	case V_NONE: return _("None");
	case V_INT: return _("an integer");
	case V_STR: return _("a string");
	case V_BOOL: return _("a bool");
	case V_TUPLE: return _("a tuple");
	case V_LIST: return _("a list");
	case V_DICTLIT: return _("a dict");
	case V_FUNC: return _("a function");
	case V_CLASS: return _("a class");
	case V_OBJ: return _(object_kind_name(c->s->objects[v->obj].kind));
	case V_PROC: return _("a process");
	case V_REG: return _("a value read from a shared object");
	case V_FLOAT: return _("a float");
	case V_RANDINT: return _("a random number (lockstep takes random.randint only as a sleep's seconds)");
	default: return _("that");
	}
}

static int new_object(struct pyc *c, const struct py_node *at, enum object_kind k,
		      const char *base)
{
	struct scenario *s = c->s;
	if (s->n_objects == SCENARIO_MAX_OBJECTS)
		pyc_error(c, at, "too many shared objects: at most %d", SCENARIO_MAX_OBJECTS);
	struct scenario_object *o = &s->objects[s->n_objects];
	memset(o, 0, sizeof *o);
	o->kind = k;
	o->lock = -1;
	o->line = at->line;
	o->col = at->col;
	for (int n = 1;; n++) {
		snprintf(o->name, sizeof o->name, "%s%d", base, n);
		if (scenario_find_object(s, o->name) < 0)
			break;
	}
	if (kind_is(k, KF_VALUELIKE) && kind_is_plain_value(k))
		o->n_elems = 1;
	return s->n_objects++;
}

/* x = Lock(): the object takes the variable's name, when it is free. */
static void name_object(struct pyc *c, const char *name, struct val v)
{
	struct scenario_object *o;
	if (v.k != V_OBJ || v.i >= 0 || c->w != NULL || !load_valid_name(name) ||
	    strlen(name) >= SCENARIO_MAX_NAME || scenario_find_object(c->s, name) >= 0)
		return;
	o = &c->s->objects[v.obj];
	if (o->name[strlen(o->name) - 1] >= '0' && o->name[strlen(o->name) - 1] <= '9' &&
	    strchr(o->name, '-') != NULL)
		snprintf(o->name, sizeof o->name, "%s", name);
}

static long long need_int(struct pyc *c, const struct py_node *at, struct val v, const char *what)
{
	if (v.k == V_INT || v.k == V_BOOL)
		return v.i;
	pyc_error(c, at, "%s must be an integer known before the processes run, not %s",
		  _(what), vkind_name(c, &v));
}

static void set_elem(struct pyc *c, const struct py_node *at, int obj, int e, long long x)
{
	struct scenario_elem *el = &c->s->objects[obj].elems[e];
	if (x < -SCENARIO_MAX_VALUE || x > SCENARIO_MAX_VALUE)
		pyc_error(c, at, "%lld is out of lockstep's range (-%ld..%ld)", x,
			  SCENARIO_MAX_VALUE, SCENARIO_MAX_VALUE);
	el->initial = x;
	el->initial_is = (struct scenario_linear){ x, 0 };
	el->initial_line = at->line;
	el->initial_col = at->col;
	if (e == 0)
		c->s->objects[obj].initial = x;
}

/* A manager dict from {'k': 1, ...}, a list or Array from [1, 2] or n. */
static void fill_elems(struct pyc *c, const struct py_node *at, int obj, struct val init)
{
	struct scenario_object *o = &c->s->objects[obj];
	int n = init.k == V_DICTLIT ? init.seq->n / 2 : init.k == V_LIST || init.k == V_TUPLE ?
		init.seq->n : init.k == V_INT ? (int)init.i : -1;
	if (n < 0)
		pyc_error(c, at, "lockstep needs the %s's entries here, not %s",
			  object_kind_name(o->kind), vkind_name(c, &init));
	if (n > SCENARIO_MAX_ELEMS)
		pyc_error(c, at, "too many elements: at most %d", SCENARIO_MAX_ELEMS);
	o->n_elems = n;
	for (int j = 0; j < n; j++) {
		long long x = 0;
		if (init.k == V_DICTLIT) {
			struct val key = init.seq->v[2 * j];
			if (key.k != V_STR || !load_valid_name(key.s) ||
			    strlen(key.s) >= SCENARIO_MAX_NAME)
				pyc_error(c, at, "a dict's keys must be names such as 'count' "
					  "for lockstep");
			snprintf(o->elems[j].key, sizeof o->elems[j].key, "%s", key.s);
			x = need_int(c, at, init.seq->v[2 * j + 1], N_("a shared value"));
		} else if (init.k != V_INT) {
			x = need_int(c, at, init.seq->v[j], N_("a shared value"));
		}
		set_elem(c, at, obj, j, x);
	}
}

/* ---- ops ---------------------------------------------------------------------- */

static struct scenario_op *emit(struct pyc *c, const struct py_node *at, enum op_kind k, int obj)
{
	struct wprog *w = c->w;
	if (w->n == SCENARIO_MAX_OPS)
		pyc_error(c, at, "this process's program is too long for lockstep: more "
			  "than %d steps (loops are unrolled)", SCENARIO_MAX_OPS);
	struct scenario_op *op = &w->ops[w->n++];
	memset(op, 0, sizeof *op);
	op->kind = k;
	op->object = obj;
	op->py_line = c->line;
	op->line = at->line;
	op->col = at->col;
	return op;
}

static void need_worker(struct pyc *c, const struct py_node *at, const char *what)
{
	if (c->w == NULL)
		pyc_error(c, at, "%s in the main process is not supported by lockstep "
			  "(only in the processes it starts)", _(what));
}

static void emit_obj_op(struct pyc *c, const struct py_node *at, enum op_kind k, int obj,
			const char *method)
{
	need_worker(c, at, method);
	if (!kind_takes(c->s->objects[obj].kind, k))
		pyc_error(c, at, "%s() on %s is not supported by lockstep", method,
			  object_kind_name(c->s->objects[obj].kind));
	struct scenario_op *op = emit(c, at, k, obj);
	if (k == OP_GET) {
		c->w->have_reg = 0;
		c->w->reg_gen++;
	}
	(void)op;
}

/* The register holds v's base: LOAD made it so, or it is set. */
/* A worker has one register: a value read before the last read is gone. */
static void reg_check(struct pyc *c, const struct py_node *at, struct val v)
{
	if (v.k == V_REG && (c->w == NULL || v.hi != c->w->reg_gen))
		pyc_error(c, at, "this uses a value read from a shared object before another "
			  "read: lockstep keeps one such value at a time");
}

static void emit_store(struct pyc *c, const struct py_node *at, int obj, int e, struct val v)
{
	long amount;
	reg_check(c, at, v);
	if (v.k == V_REG) {
		amount = (long)v.i;
	} else {
		long long x = need_int(c, at, v, N_("a value written to a shared object"));
		if (!c->w->have_reg) {
			struct scenario_op *sr = emit(c, at, OP_SET_REGISTER, -1);
			c->w->reg_gen++;
			c->w->have_reg = 1;
			c->w->reg_known = 0;
			sr->amount = 0;
		}
		amount = (long)(x - c->w->reg_known);
	}
	if (amount < -SCENARIO_MAX_VALUE || amount > SCENARIO_MAX_VALUE)
		pyc_error(c, at, "the value written is out of lockstep's range");
	struct scenario_op *op = emit(c, at, OP_STORE, obj);
	op->elem = e;
	op->amount = amount;
}

static struct val emit_load(struct pyc *c, const struct py_node *at, int obj, int e)
{
	/* After the joins the main process reads the final value. */
	if (c->w == NULL && c->started && c->all_joined)
		return (struct val){ .k = V_OBJ, .obj = obj, .i = e };
	need_worker(c, at, N_("reading a shared value"));
	struct scenario_op *op = emit(c, at, OP_LOAD, obj);
	op->elem = e;
	c->w->have_reg = 0;
	return (struct val){ .k = V_REG, .i = 0, .hi = ++c->w->reg_gen };
}

/* ---- expressions ------------------------------------------------------------- */

static struct val eval(struct pyc *c, const struct py_node *n);
static struct val call(struct pyc *c, const struct py_node *at, struct val f,
		       struct seq *args, const struct py_node *kw);
static void exec_body(struct pyc *c, const struct py_node *st);

static int truth(struct pyc *c, const struct py_node *at, struct val v)
{
	switch (v.k) {
	case V_NONE: return 0;
	case V_INT: case V_BOOL: return v.i != 0;
	case V_STR: return v.s[0] != '\0';
	case V_TUPLE: case V_LIST: case V_DICTLIT: return v.seq->n != 0;
	case V_REG:
		pyc_error(c, at, "a decision on a value read from a shared object is not "
			  "supported by lockstep yet");
	default: return 1;
	}
}

/* str(v) as Python prints it; NULL for what only the run knows. */
static void repr_into(struct pyc *c, const struct py_node *at, struct val v, int quote,
		      char *out, size_t len);

static void str_into(struct pyc *c, const struct py_node *at, struct val v, char *out, size_t len)
{
	repr_into(c, at, v, 0, out, len);
}

static void repr_seq(struct pyc *c, const struct py_node *at, struct val v, char *out, size_t len)
{
	size_t o = 0;
	char part[512];
	const char *open = v.k == V_LIST ? "[" : v.k == V_TUPLE ? "(" : "{";
	const char *close = v.k == V_LIST ? "]" : v.k == V_TUPLE ? (v.seq->n == 1 ? ",)" : ")") : "}";
	int step = v.k == V_DICTLIT ? 2 : 1;
	o += (size_t)snprintf(out + o, len - o, "%s", open);
	for (int j = 0; j < v.seq->n && o < len; j += step) {
		repr_into(c, at, v.seq->v[j], 1, part, sizeof part);
		o += (size_t)snprintf(out + o, len - o, "%s%s", j ? ", " : "", part);
		if (step == 2 && o < len) {
			repr_into(c, at, v.seq->v[j + 1], 1, part, sizeof part);
			o += (size_t)snprintf(out + o, len - o, ": %s", part);
		}
	}
	if (o < len)
		snprintf(out + o, len - o, "%s", close);
}

static void repr_into(struct pyc *c, const struct py_node *at, struct val v, int quote,
		      char *out, size_t len)
{
	switch (v.k) {
	case V_NONE: snprintf(out, len, "None"); return;
	case V_INT: snprintf(out, len, "%lld", v.i); return;
	case V_BOOL: snprintf(out, len, "%s", v.i ? "True" : "False"); return;
	case V_STR: snprintf(out, len, quote ? "'%s'" : "%s", v.s); return;
	case V_TUPLE: case V_LIST: case V_DICTLIT: repr_seq(c, at, v, out, len); return;
	case V_PROC: snprintf(out, len, "%s", c->procs[v.obj].name); return;
	case V_OBJ:
		if (c->w != NULL)
			break;
		if (v.i < 0)
			snprintf(out, len, "{=%s}", c->s->objects[v.obj].name);
		else
			snprintf(out, len, "{=%s.%lld}", c->s->objects[v.obj].name, v.i);
		return;
	case V_REG:
		reg_check(c, at, v);
		if (v.i == 0) {
			snprintf(out, len, "{reg}");
			return;
		}
		break;
	default:
		break;
	}
	pyc_error(c, at, "printing %s is not supported by lockstep", vkind_name(c, &v));
}

/* 'fmt' % args, for %s %d %i %r %%: the lesson's formatting. */
static struct val percent_format(struct pyc *c, const struct py_node *at, const char *fmt,
				 struct val args)
{
	char out[1024], part[512];
	size_t o = 0;
	int k = 0, n = args.k == V_TUPLE ? args.seq->n : 1;
	for (const char *p = fmt; *p && o + 1 < sizeof out; p++) {
		if (*p != '%') {
			out[o++] = *p;
			continue;
		}
		p++;
		if (*p == '%') {
			out[o++] = '%';
			continue;
		}
		if (*p != 's' && *p != 'd' && *p != 'i' && *p != 'r')
			pyc_error(c, at, "the format '%%%c' is not supported by lockstep "
				  "(only %%s, %%d, %%r)", *p ? *p : ' ');
		if (k >= n)
			pyc_error(c, at, "not enough arguments for format string (TypeError)");
		struct val a = args.k == V_TUPLE ? args.seq->v[k] : args;
		k++;
		if ((*p == 'd' || *p == 'i') && a.k != V_INT && a.k != V_BOOL && a.k != V_REG)
			pyc_error(c, at, "%%d format: a number is required, not %s (TypeError)",
				  vkind_name(c, &a));
		repr_into(c, at, a, *p == 'r', part, sizeof part);
		o += (size_t)snprintf(out + o, sizeof out - o, "%s", part);
	}
	if (k < n)
		pyc_error(c, at, "not all arguments converted during string formatting (TypeError)");
	out[o < sizeof out ? o : sizeof out - 1] = '\0';
	return v_str(pyc_strdup(c, out));
}

/* 'fmt'.format(args), for {} and {0}: fields without a spec. */
static struct val str_format(struct pyc *c, const struct py_node *at, const char *fmt,
			     struct seq *args)
{
	char out[1024], part[512];
	size_t o = 0;
	int next = 0;
	for (const char *p = fmt; *p && o + 1 < sizeof out; p++) {
		if ((*p == '{' && p[1] == '{') || (*p == '}' && p[1] == '}')) {
			out[o++] = *p++;
			continue;
		}
		if (*p != '{') {
			out[o++] = *p;
			continue;
		}
		const char *end = strchr(p, '}');
		int k = next++;
		if (end == NULL)
			pyc_error(c, at, "Single '{' encountered in format string (ValueError)");
		if (end > p + 1) {
			char *stop;
			k = (int)strtol(p + 1, &stop, 10);
			if (stop != end)
				pyc_error(c, at, "only {} and {0} fields are supported by lockstep in format()");
		}
		if (k < 0 || k >= args->n)
			pyc_error(c, at, "Replacement index %d out of range for positional args tuple "
				  "(IndexError)", k);
		str_into(c, at, args->v[k], part, sizeof part);
		o += (size_t)snprintf(out + o, sizeof out - o, "%s", part);
		p = end;
	}
	out[o < sizeof out ? o : sizeof out - 1] = '\0';
	return v_str(pyc_strdup(c, out));
}

static long long floordiv(long long a, long long b)
{
	long long q = a / b;
	return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static struct val binop(struct pyc *c, const struct py_node *at, int op, struct val a, struct val b)
{
	char buf[1024];
	if (op == PY_OP_PERCENT && a.k == V_STR)
		return percent_format(c, at, a.s, b);
	if (op == PY_OP_PLUS && a.k == V_STR && b.k == V_STR) {
		snprintf(buf, sizeof buf, "%s%s", a.s, b.s);
		return v_str(pyc_strdup(c, buf));
	}
	if (a.k == V_REG && (b.k == V_INT || b.k == V_BOOL) && (op == PY_OP_PLUS || op == PY_OP_MINUS))
		return (struct val){ .k = V_REG, .i = a.i + (op == PY_OP_PLUS ? b.i : -b.i), .hi = a.hi };
	if (b.k == V_REG && (a.k == V_INT || a.k == V_BOOL) && op == PY_OP_PLUS)
		return (struct val){ .k = V_REG, .i = b.i + a.i, .hi = b.hi };
	if (a.k == V_REG || b.k == V_REG)
		pyc_error(c, at, "only + and - of a known integer on a value read from a shared "
			  "object are supported by lockstep");
	long long x = need_int(c, at, a, N_("an operand")), y = need_int(c, at, b, N_("an operand"));
	switch (op) {
	case PY_OP_PLUS: return v_int(x + y);
	case PY_OP_MINUS: return v_int(x - y);
	case PY_OP_STAR: return v_int(x * y);
	case PY_OP_FLOORDIV:
	case PY_OP_PERCENT:
		if (y == 0)
			pyc_error(c, at, "integer division or modulo by zero (ZeroDivisionError)");
		return v_int(op == PY_OP_FLOORDIV ? floordiv(x, y) : x - floordiv(x, y) * y);
	default:
		pyc_error(c, at, "the operator '%s' on integers is not supported by lockstep "
			  "(use //, not /)", py_op_str((enum py_op)op));
	}
}


static int equal(struct val a, struct val b)
{
	if ((a.k == V_INT || a.k == V_BOOL) && (b.k == V_INT || b.k == V_BOOL))
		return a.i == b.i;
	if (a.k == V_STR && b.k == V_STR)
		return strcmp(a.s, b.s) == 0;
	if (a.k == V_NONE || b.k == V_NONE)
		return a.k == b.k;
	return a.k == b.k && a.obj == b.obj && a.seq == b.seq;
}

static struct val compare(struct pyc *c, const struct py_node *n)
{
	struct val left = eval(c, n->a);
	for (const struct py_node *cm = n->items; cm; cm = cm->next) {
		struct val right = eval(c, cm->a);
		int ok;
		if (left.k == V_REG || right.k == V_REG)
			truth(c, n, left.k == V_REG ? left : right);
		if (cm->op == PY_CMP_EQ || cm->op == PY_CMP_NE || cm->op == PY_CMP_IS ||
		    cm->op == PY_CMP_IS_NOT) {
			ok = equal(left, right) == (cm->op == PY_CMP_EQ || cm->op == PY_CMP_IS);
		} else if (cm->op == PY_CMP_IN || cm->op == PY_CMP_NOT_IN) {
			pyc_error(c, cm, "'in' is not supported by lockstep");
		} else {
			long long x = need_int(c, n, left, N_("a compared value"));
			long long y = need_int(c, cm->a, right, N_("a compared value"));
			ok = cm->op == PY_CMP_LT ? x < y : cm->op == PY_CMP_LE ? x <= y :
			     cm->op == PY_CMP_GT ? x > y : x >= y;
		}
		if (!ok)
			return (struct val){ .k = V_BOOL, .i = 0 };
		left = right;
	}
	return (struct val){ .k = V_BOOL, .i = 1 };
}

static struct val eval_seq(struct pyc *c, const struct py_node *items, enum vkind k)
{
	struct val v = { .k = k, .seq = seq_new(c, 4) };
	for (const struct py_node *e = items; e; e = e->next)
		seq_push(c, v.seq, eval(c, e));
	return v;
}

static struct val eval_fstring(struct pyc *c, const struct py_node *n)
{
	char out[1024], part[512];
	size_t o = 0;
	out[0] = '\0';
	for (const struct py_node *p = n->items; p && o + 1 < sizeof out; p = p->next) {
		if (p->kind == PY_STR) {
			o += (size_t)snprintf(out + o, sizeof out - o, "%s", p->str);
			continue;
		}
		if (p->b != NULL)
			pyc_error(c, p, "a format spec in an f-string is not supported by lockstep");
		repr_into(c, p, eval(c, p->a), p->op == 'r', part, sizeof part);
		o += (size_t)snprintf(out + o, sizeof out - o, "%s", part);
	}
	return v_str(pyc_strdup(c, out));
}

/* obj[key] or obj.attr of a shared object: its element number. */
static int elem_of(struct pyc *c, const struct py_node *at, int obj, struct val key)
{
	struct scenario_object *o = &c->s->objects[obj];
	if (kind_is(o->kind, KF_INDEXED)) {
		long long i = need_int(c, at, key, N_("an index"));
		if (i < 0)
			i += o->n_elems;
		if (i < 0 || i >= o->n_elems)
			pyc_error(c, at, "list index out of range (IndexError)");
		return (int)i;
	}
	if (key.k != V_STR)
		pyc_error(c, at, "a key of a shared dict must be a string for lockstep");
	for (int j = 0; j < o->n_elems; j++)
		if (strcmp(o->elems[j].key, key.s) == 0)
			return j;
	if (o->kind == OBJ_DICT)
		pyc_error(c, at, "KeyError: '%s' (lockstep needs every key in the dict "
			  "before the processes start)", key.s);
	pyc_error(c, at, "'Namespace' object has no attribute '%s' (AttributeError)", key.s);
}

/* The element an expression names, or -1 when it is not a shared element. */
static int shared_target(struct pyc *c, const struct py_node *n, int *obj)
{
	struct val base;
	if (n->kind == PY_SUBSCRIPT) {
		base = eval(c, n->a);
		if (base.k != V_OBJ || !kind_is(c->s->objects[base.obj].kind, KF_VALUELIKE) ||
		    kind_is_plain_value(c->s->objects[base.obj].kind))
			return -1;
		*obj = base.obj;
		return elem_of(c, n->b, base.obj, eval(c, n->b));
	}
	if (n->kind == PY_ATTRIBUTE) {
		base = eval(c, n->a);
		if (base.k != V_OBJ)
			return -1;
		enum object_kind k = c->s->objects[base.obj].kind;
		*obj = base.obj;
		if (k == OBJ_NAMESPACE)
			return elem_of(c, n, base.obj, v_str(n->str));
		if (k == OBJ_VALUE && strcmp(n->str, "value") == 0)
			return 0;
	}
	return -1;
}

static struct val method(struct pyc *c, struct val self, enum builtin m)
{
	struct val v = { .k = V_METHOD, .i = m, .self = pyc_alloc(c, sizeof *v.self) };
	*v.self = self;
	return v;
}

static const struct {
	const char *name;
	enum builtin m;
} object_methods[] = {
	{ "acquire", M_ACQUIRE }, { "release", M_RELEASE }, { "set", M_SET },
	{ "clear", M_CLEAR }, { "wait", M_WAIT }, { "notify", M_NOTIFY },
	{ "notify_all", M_NOTIFY_ALL }, { "put", M_PUT }, { "get", M_GET },
};

static const struct {
	const char *name;
	enum builtin m;
	enum object_kind k;
} manager_methods[] = {
	{ "dict", M_MDICT, OBJ_DICT }, { "list", M_MLIST, OBJ_LIST },
	{ "Namespace", M_MNAMESPACE, OBJ_NAMESPACE },
	{ "Lock", M_MOBJ, OBJ_LOCK }, { "RLock", M_MOBJ, OBJ_RLOCK },
	{ "Semaphore", M_MOBJ, OBJ_SEMAPHORE },
	{ "BoundedSemaphore", M_MOBJ, OBJ_BOUNDED_SEMAPHORE },
	{ "Condition", M_MOBJ, OBJ_CONDITION }, { "Event", M_MOBJ, OBJ_EVENT },
	{ "Barrier", M_MOBJ, OBJ_BARRIER }, { "Queue", M_MOBJ, OBJ_QUEUE },
};

/* The method NAME of a class (a def in its body), or NULL. */
static const struct py_node *class_method(const struct py_node *cls, const char *name)
{
	for (const struct py_node *st = cls->body; st; st = st->next)
		if (st->kind == PY_FUNCTION_DEF && strcmp(st->str, name) == 0)
			return st;
	return NULL;
}

static struct val attribute(struct pyc *c, const struct py_node *n)
{
	struct val base = eval(c, n->a);
	int obj;
	if (base.k == V_MODULE) {
		for (size_t i = 0; i < sizeof module_names / sizeof module_names[0]; i++)
			if (strcmp(module_names[i].module, base.s) == 0 &&
			    strcmp(module_names[i].name, n->str) == 0)
				return (struct val){ .k = V_BUILTIN, .i = module_names[i].b };
		pyc_error(c, n, "%s.%s is not supported by lockstep", base.s, n->str);
	}
	if (base.k == V_OBJ) {
		int e = shared_target(c, n, &obj);
		if (e >= 0)
			return emit_load(c, n, obj, e);
		for (size_t i = 0; i < sizeof object_methods / sizeof object_methods[0]; i++)
			if (strcmp(object_methods[i].name, n->str) == 0)
				return method(c, base, object_methods[i].m);
	}
	if (base.k == V_MANAGER) {
		for (size_t i = 0; i < sizeof manager_methods / sizeof manager_methods[0]; i++)
			if (strcmp(manager_methods[i].name, n->str) == 0) {
				struct val m = method(c, base, manager_methods[i].m);
				m.mkind = manager_methods[i].k;
				return m;
			}
	}
	if (base.k == V_PROC) {
		struct proc *p = &c->procs[base.obj];
		if (strcmp(n->str, "start") == 0)
			return method(c, base, M_START);
		if (strcmp(n->str, "join") == 0)
			return method(c, base, M_JOIN);
		if (strcmp(n->str, "name") == 0)
			return v_str(p->name);
		if (p->cls != NULL) {
			const struct py_node *def = class_method(p->cls, n->str);
			if (def != NULL) {
				struct val m = method(c, base, M_METHOD_DEF);
				m.fn = def;
				return m;
			}
		}
	}
	if (base.k == V_LIST && strcmp(n->str, "append") == 0)
		return method(c, base, M_APPEND);
	if (base.k == V_STR && strcmp(n->str, "format") == 0)
		return method(c, base, M_FORMAT);
	pyc_error(c, n, "the attribute '%s' of %s is not supported by lockstep", n->str,
		  vkind_name(c, &base));
}

static struct val eval_call(struct pyc *c, const struct py_node *n)
{
	struct val f = eval(c, n->a);
	struct seq *args = seq_new(c, 4);
	for (const struct py_node *a = n->items; a; a = a->next)
		seq_push(c, args, eval(c, a));
	return call(c, n, f, args, n->items2);
}

static struct val eval(struct pyc *c, const struct py_node *n)
{
	struct val v;
	int obj, e;
	switch (n->kind) {
	case PY_NAME: return lookup(c, n);
	case PY_INT: return v_int(n->ival);
	case PY_FLOAT: return (struct val){ .k = V_FLOAT, .d = n->fval };
	case PY_STR: return v_str(n->str);
	case PY_BOOL: return (struct val){ .k = V_BOOL, .i = n->ival };
	case PY_NONE: return v_none();
	case PY_JOINED_STR: return eval_fstring(c, n);
	case PY_TUPLE: return eval_seq(c, n->items, V_TUPLE);
	case PY_LIST: return eval_seq(c, n->items, V_LIST);
	case PY_DICT:
		v = (struct val){ .k = V_DICTLIT, .seq = seq_new(c, 8) };
		for (const struct py_node *k = n->items, *x = n->items2; k && x;
		     k = k->next, x = x->next) {
			seq_push(c, v.seq, eval(c, k));
			seq_push(c, v.seq, eval(c, x));
		}
		return v;
	case PY_CALL: return eval_call(c, n);
	case PY_ATTRIBUTE: return attribute(c, n);
	case PY_SUBSCRIPT:
		e = shared_target(c, n, &obj);
		if (e >= 0)
			return emit_load(c, n, obj, e);
		v = eval(c, n->a);
		if (v.k == V_LIST || v.k == V_TUPLE) {
			long long i = need_int(c, n->b, eval(c, n->b), N_("an index"));
			if (i < 0)
				i += v.seq->n;
			if (i < 0 || i >= v.seq->n)
				pyc_error(c, n->b, "list index out of range (IndexError)");
			return v.seq->v[i];
		}
		pyc_error(c, n, "indexing %s is not supported by lockstep", vkind_name(c, &v));
	case PY_UNARY_OP:
		v = eval(c, n->a);
		if (n->op == PY_OP_MINUS)
			return v_int(-need_int(c, n, v, N_("an operand")));
		need_int(c, n, v, N_("an operand"));
		return v;
	case PY_NOT: return (struct val){ .k = V_BOOL, .i = !truth(c, n, eval(c, n->a)) };
	case PY_BIN_OP: return binop(c, n, n->op, eval(c, n->a), eval(c, n->b));
	case PY_BOOL_OP:
		for (const struct py_node *x = n->items; x; x = x->next) {
			v = eval(c, x);
			if (x->next == NULL || truth(c, x, v) == (n->op == PY_KW_OR))
				return v;
		}
		return v_none();
	case PY_COMPARE: return compare(c, n);
	case PY_IF_EXP: return truth(c, n->a, eval(c, n->a)) ? eval(c, n->b) : eval(c, n->c);
	default:
		pyc_error(c, n, "%s is not supported by lockstep", py_kind_name(n->kind));
	}
}

/* ---- calls -------------------------------------------------------------------- */

static const struct py_node *keyword(const struct py_node *kw, const char *name)
{
	for (; kw; kw = kw->next)
		if (strcmp(kw->str, name) == 0)
			return kw;
	return NULL;
}

static void only_keywords(struct pyc *c, const struct py_node *kw, const char *const *ok)
{
	for (; kw; kw = kw->next) {
		int i;
		for (i = 0; ok && ok[i]; i++)
			if (strcmp(ok[i], kw->str) == 0)
				break;
		if (!ok || !ok[i])
			pyc_error(c, kw, "the keyword argument '%s' is not supported by lockstep",
				  kw->str);
	}
}

/* Run a def with its arguments bound: inline, as a worker or the main. */
static struct val call_def(struct pyc *c, const struct py_node *at, const struct py_node *def,
			   struct val *self, struct seq *args, const struct py_node *kw)
{
	struct frame f = { 0 };
	struct frame *saved = c->locals;
	int k = 0, given = args ? args->n : 0;
	if (c->depth >= PYC_MAX_DEPTH)
		pyc_error(c, at, "calls nest more than %d deep (recursion is not supported by "
			  "lockstep)", PYC_MAX_DEPTH);
	for (const struct py_node *p = def->items; p; p = p->next, k++) {
		struct val v;
		const struct py_node *named = keyword(kw, p->str);
		if (k == 0 && self != NULL)
			v = *self;
		else if (k - (self != NULL) < given)
			v = args->v[k - (self != NULL)];
		else if (named != NULL)
			v = eval(c, named->a);
		else if (p->a != NULL)
			v = eval(c, p->a);
		else
			pyc_error(c, at, "%s() missing the argument '%s' (TypeError)", def->str, p->str);
		frame_set(c, &f, p->str, v);
	}
	if (k < given + (self != NULL))
		pyc_error(c, at, "%s() takes %d arguments but %d were given (TypeError)",
			  def->str, k, given + (self != NULL));
	c->locals = &f;
	c->depth++;
	c->returning = 0;
	c->retval = v_none();
	exec_body(c, def->body);
	c->depth--;
	c->returning = 0;
	c->locals = saved;
	return c->retval;
}

static struct val new_proc(struct pyc *c, const struct py_node *at, int thread,
			   struct val target, struct seq *args)
{
	if (c->n_procs == MAX_PROCS)
		pyc_error(c, at, "too many processes: at most %d", MAX_PROCS);
	struct proc *p = &c->procs[c->n_procs];
	memset(p, 0, sizeof *p);
	p->target = target;
	p->args = args;
	p->thread = thread;
	p->number = thread ? ++c->thread_counter : ++c->counter;
	/* CPython's names: Process-N; Thread-N (target) since 3.10. */
	if (thread && target.k == V_FUNC)
		snprintf(p->name, sizeof p->name, "Thread-%d (%.12s)", p->number, target.fn->str);
	else
		snprintf(p->name, sizeof p->name, "%s-%d", thread ? "Thread" : "Process", p->number);
	return (struct val){ .k = V_PROC, .obj = c->n_procs++ };
}

static struct val make_process(struct pyc *c, const struct py_node *at, int thread,
			       struct seq *args, const struct py_node *kw)
{
	static const char *const ok[] = { "target", "args", NULL };
	const struct py_node *t = keyword(kw, "target"), *a = keyword(kw, "args");
	only_keywords(c, kw, ok);
	if (args->n != 0 || t == NULL)
		pyc_error(c, at, "lockstep needs %s(target=..., args=(...))",
			  thread ? "Thread" : "Process");
	struct val target = eval(c, t->a), av = a ? eval(c, a->a) : v_none();
	if (target.k != V_FUNC)
		pyc_error(c, t->a, "the target must be a function defined in the program");
	if (a != NULL && av.k != V_TUPLE && av.k != V_LIST)
		pyc_error(c, a->a, "args must be a tuple");
	return new_proc(c, at, thread, target, a ? av.seq : NULL);
}

static void keep_program(struct pyc *c, const struct wprog *w);

/* p.start(): the process's program, compiled now with its arguments. */
static void start_proc(struct pyc *c, const struct py_node *at, int pi)
{
	struct proc *p = &c->procs[pi];
	struct wprog *saved = c->w;
	int line = c->line;
	if (p->started)
		pyc_error(c, at, "processes can only be started once (AssertionError)");
	p->started = 1;
	c->started = 1;
	c->all_joined = 0;
	if (saved != NULL)
		pyc_error(c, at, "a process starting a process is not supported by lockstep");
	struct wprog *w = &c->scratch;
	memset(w, 0, sizeof *w);
	w->proc = pi;
	w->have_reg = 1;          /* a worker's register starts at 0 */
	c->w = w;
	if (p->cls != NULL) {
		struct val self = { .k = V_PROC, .obj = pi };
		call_def(c, at, class_method(p->cls, "run"), &self, NULL, NULL);
	} else {
		call_def(c, at, p->target.fn, NULL, p->args, NULL);
	}
	c->w = saved;
	c->line = line;
	keep_program(c, w);
}

static int new_sync(struct pyc *c, const struct py_node *at, enum object_kind k,
		    struct seq *args, const struct py_node *kw)
{
	static const char *const bases[OBJ_KIND_COUNT] = {
		[OBJ_LOCK] = "Lock-", [OBJ_RLOCK] = "RLock-", [OBJ_SEMAPHORE] = "Semaphore-",
		[OBJ_BOUNDED_SEMAPHORE] = "BoundedSemaphore-", [OBJ_CONDITION] = "Condition-",
		[OBJ_EVENT] = "Event-", [OBJ_BARRIER] = "Barrier-", [OBJ_QUEUE] = "Queue-",
	};
	static const char *const none[] = { NULL };
	only_keywords(c, kw, none);
	if (c->w != NULL)
		pyc_error(c, at, "a process creating a shared object is not supported by "
			  "lockstep (create it in the main process)");
	int obj = new_object(c, at, k, bases[k]);
	struct scenario_object *o = &c->s->objects[obj];
	long long n = args->n && k != OBJ_CONDITION ?
		need_int(c, at, args->v[0], N_("the count")) : -1;
	switch (k) {
	case OBJ_SEMAPHORE: case OBJ_BOUNDED_SEMAPHORE:
		o->initial = n < 0 ? 1 : n;
		if (o->initial > 1000000)
			pyc_error(c, at, "a semaphore's count must be 0..1000000 for lockstep");
		break;
	case OBJ_BARRIER:
		if (n < 1 || n > SCENARIO_MAX_WORKERS)
			pyc_error(c, at, "Barrier(parties) needs 1..%d parties", SCENARIO_MAX_WORKERS);
		o->capacity = (int)n;
		break;
	case OBJ_QUEUE:
		if (n < 1 || n > SCENARIO_MAX_CAPACITY)
			pyc_error(c, at, "lockstep needs Queue(maxsize) with a maxsize of 1..%d",
				  SCENARIO_MAX_CAPACITY);
		o->capacity = (int)n;
		break;
	case OBJ_CONDITION:
		if (args->n == 1 && args->v[0].k == V_OBJ &&
		    kind_is(c->s->objects[args->v[0].obj].kind, KF_LOCKLIKE)) {
			o->lock = args->v[0].obj;
		} else if (args->n == 0) {
			o->lock = new_object(c, at, OBJ_RLOCK, "RLock-");
			o = &c->s->objects[obj];
		} else {
			pyc_error(c, at, "Condition() takes a Lock or an RLock");
		}
		break;
	default:
		if (args->n != 0)
			pyc_error(c, at, "%s() takes no arguments here", object_kind_name(k));
		o->initial = kind_is(k, KF_LOCKLIKE) ? 1 : 0;
		break;
	}
	return obj;
}

static void do_print(struct pyc *c, const struct py_node *at, struct seq *args,
		     const struct py_node *kw)
{
	static const char *const ok[] = { "flush", NULL };
	char out[1024], part[512];
	size_t o = 0;
	only_keywords(c, kw, ok);
	out[0] = '\0';
	for (int j = 0; j < args->n && o < sizeof out; j++) {
		str_into(c, at, args->v[j], part, sizeof part);
		o += (size_t)snprintf(out + o, sizeof out - o, "%s%s", j ? " " : "", part);
	}
	/* The lesson colours its lines with ESC [ ... m: lockstep shows the
	 * text without them (its screen has colours of its own). */
	char clean[SCENARIO_MAX_PRINT + 1];
	size_t k = 0;
	for (const char *p = out; *p; p++) {
		if (*p == '\033' && p[1] == '[') {
			p += 2;
			while (*p && ((*p >= '0' && *p <= '9') || *p == ';'))
				p++;
			if (*p != 'm')
				pyc_error(c, at, "a control sequence in a print is not supported "
					  "by lockstep (only colours, ESC [ ... m)");
			continue;
		}
		if ((unsigned char)*p < 0x20 && *p != '\t')
			pyc_error(c, at, "a control character in a print is not supported by "
				  "lockstep");
		if (k >= SCENARIO_MAX_PRINT)
			pyc_error(c, at, "the printed line is too long for lockstep: at most %d "
				  "bytes", SCENARIO_MAX_PRINT);
		clean[k++] = *p;
	}
	clean[k] = '\0';
	if (c->w == NULL) {
		if (!c->started || !c->all_joined)
			pyc_error(c, at, "a print in the main process is supported by lockstep "
				  "only after it has joined every process it started");
		struct scenario *s = c->s;
		if (s->n_after == SCENARIO_MAX_AFTER)
			pyc_error(c, at, "too many prints after the joins: at most %d",
				  SCENARIO_MAX_AFTER);
		s->after[s->n_after].text = strdup(clean);
		s->after[s->n_after].py_line = c->line;
		if (s->after[s->n_after].text == NULL) {
			errno = ENOMEM;
			longjmp(c->fail, 2);
		}
		s->n_after++;
		return;
	}
	struct scenario_op *op = emit(c, at, OP_PRINT, -1);
	op->text = pyc_strdup(c, clean);
}

static void do_sleep(struct pyc *c, const struct py_node *at, struct seq *args)
{
	need_worker(c, at, "time.sleep()");
	if (args->n != 1)
		pyc_error(c, at, "time.sleep() takes one argument");
	struct val v = args->v[0];
	struct scenario_op *op = emit(c, at, OP_SLEEP, -1);
	if (v.k == V_RANDINT) {
		if (v.i < 0 || v.hi > SCENARIO_MAX_SLEEP_MS / 1000 || v.i > v.hi)
			pyc_error(c, at, "lockstep sleeps 0..%d seconds", SCENARIO_MAX_SLEEP_MS / 1000);
		op->sleep_min_ms = (long)v.i * 1000;
		op->sleep_max_ms = (long)v.hi * 1000;
		op->sleep_step_ms = 1000;
		return;
	}
	double sec = v.k == V_FLOAT ? v.d : (double)need_int(c, at, v, N_("the seconds of a sleep"));
	if (!(sec >= 0 && sec <= SCENARIO_MAX_SLEEP_MS / 1000))
		pyc_error(c, at, "lockstep sleeps 0..%d seconds", SCENARIO_MAX_SLEEP_MS / 1000);
	/* lockstep's clock counts milliseconds. */
	op->sleep_min_ms = op->sleep_max_ms = (long)(sec * 1000.0 + 0.5);
	op->sleep_step_ms = 1;
}

static struct val call_object_method(struct pyc *c, const struct py_node *at, struct val m,
				     struct seq *args, const struct py_node *kw)
{
	int obj = m.self->obj;
	static const char *const none[] = { NULL };
	only_keywords(c, kw, none);
	switch ((enum builtin)m.i) {
	case M_ACQUIRE: emit_obj_op(c, at, OP_ACQUIRE, obj, "acquire"); return (struct val){ .k = V_BOOL, .i = 1 };
	case M_RELEASE: emit_obj_op(c, at, OP_RELEASE, obj, "release"); return v_none();
	case M_SET: emit_obj_op(c, at, OP_SET, obj, "set"); return v_none();
	case M_CLEAR: emit_obj_op(c, at, OP_CLEAR, obj, "clear"); return v_none();
	case M_WAIT: emit_obj_op(c, at, OP_WAIT, obj, "wait"); return v_none();
	case M_NOTIFY: emit_obj_op(c, at, OP_NOTIFY, obj, "notify"); return v_none();
	case M_NOTIFY_ALL:
		emit_obj_op(c, at, OP_NOTIFY, obj, "notify_all");
		c->w->ops[c->w->n - 1].notify_all = 1;
		return v_none();
	case M_GET:
		emit_obj_op(c, at, OP_GET, obj, "get");
		return (struct val){ .k = V_REG, .hi = c->w->reg_gen };
	case M_PUT: {
		if (args->n != 1)
			pyc_error(c, at, "put() takes one item here");
		emit_obj_op(c, at, OP_PUT, obj, "put");
		struct scenario_op *op = &c->w->ops[c->w->n - 1];
		reg_check(c, at, args->v[0]);
		if (args->v[0].k == V_REG && args->v[0].i == 0)
			op->use_register = 1;
		else
			op->amount = (long)need_int(c, at, args->v[0], N_("an item"));
		return v_none();
	}
	default:
		pyc_error(c, at, "that call is not supported by lockstep");
	}
}

static struct val call_manager(struct pyc *c, const struct py_node *at, struct val m,
			       struct seq *args, const struct py_node *kw)
{
	enum object_kind k = (enum object_kind)m.mkind;
	if (m.i == M_MOBJ)
		return (struct val){ .k = V_OBJ, .i = -1, .obj = new_sync(c, at, k, args, kw) };
	static const char *const none[] = { NULL };
	only_keywords(c, kw, none);
	if (c->w != NULL)
		pyc_error(c, at, "a process creating a shared object is not supported by lockstep");
	int obj = new_object(c, at, k, k == OBJ_DICT ? "dict-" : k == OBJ_LIST ? "list-" : "ns-");
	if (k == OBJ_NAMESPACE)
		return (struct val){ .k = V_OBJ, .i = -1, .obj = obj };
	if (args->n != 1)
		pyc_error(c, at, "lockstep needs the %s's entries here: m.%s(...)",
			  object_kind_name(k), k == OBJ_DICT ? "dict({'count': 0})" : "list([0, 0])");
	fill_elems(c, at, obj, args->v[0]);
	return (struct val){ .k = V_OBJ, .i = -1, .obj = obj };
}

static struct val call_builtin(struct pyc *c, const struct py_node *at, enum builtin b,
			       struct seq *args, const struct py_node *kw)
{
	static const char *const none[] = { NULL };
	static const enum object_kind sync[] = {
		[B_LOCK] = OBJ_LOCK, [B_RLOCK] = OBJ_RLOCK, [B_SEMAPHORE] = OBJ_SEMAPHORE,
		[B_BSEMAPHORE] = OBJ_BOUNDED_SEMAPHORE, [B_CONDITION] = OBJ_CONDITION,
		[B_EVENT] = OBJ_EVENT, [B_BARRIER] = OBJ_BARRIER, [B_QUEUE] = OBJ_QUEUE,
	};
	char buf[64];
	switch (b) {
	case B_PRINT: do_print(c, at, args, kw); return v_none();
	case B_SLEEP: do_sleep(c, at, args); return v_none();
	case B_PROCESS: return make_process(c, at, 0, args, kw);
	case B_THREAD: return make_process(c, at, 1, args, kw);
	case B_LOCK: case B_RLOCK: case B_SEMAPHORE: case B_BSEMAPHORE: case B_CONDITION:
	case B_EVENT: case B_BARRIER: case B_QUEUE:
		return (struct val){ .k = V_OBJ, .i = -1, .obj = new_sync(c, at, sync[b], args, kw) };
	default:
		break;
	}
	only_keywords(c, kw, none);
	switch (b) {
	case B_RANGE: {
		long long lo = 0, hi, step = 1;
		if (args->n < 1 || args->n > 3)
			pyc_error(c, at, "range() takes 1 to 3 arguments");
		hi = need_int(c, at, args->v[args->n > 1], N_("range()'s bound"));
		if (args->n > 1)
			lo = need_int(c, at, args->v[0], N_("range()'s start"));
		if (args->n > 2 && (step = need_int(c, at, args->v[2], N_("range()'s step"))) == 0)
			pyc_error(c, at, "range() arg 3 must not be zero (ValueError)");
		struct val v = { .k = V_LIST, .seq = seq_new(c, 8) };
		for (long long i = lo; step > 0 ? i < hi : i > hi; i += step) {
			if (v.seq->n >= SCENARIO_MAX_WORKERS)
				pyc_error(c, at, "range() of more than %d is not supported by lockstep",
					  SCENARIO_MAX_WORKERS);
			seq_push(c, v.seq, v_int(i));
		}
		return v;
	}
	case B_STR:
		if (args->n != 1)
			pyc_error(c, at, "str() takes one argument here");
		if (args->v[0].k == V_REG)
			return args->v[0];
		{
			char out[512];
			str_into(c, at, args->v[0], out, sizeof out);
			return v_str(pyc_strdup(c, out));
		}
	case B_INT:
		if (args->n != 1)
			pyc_error(c, at, "int() takes one argument here");
		return v_int(need_int(c, at, args->v[0], N_("int()'s argument")));
	case B_LEN:
		if (args->n != 1 || (args->v[0].k != V_LIST && args->v[0].k != V_TUPLE &&
				     args->v[0].k != V_STR))
			pyc_error(c, at, "len() of that is not supported by lockstep");
		return v_int(args->v[0].k == V_STR ? (long long)strlen(args->v[0].s) : args->v[0].seq->n);
	case B_RANDINT:
		if (args->n != 2)
			pyc_error(c, at, "random.randint() takes two arguments");
		return (struct val){ .k = V_RANDINT,
			.i = need_int(c, at, args->v[0], N_("randint()'s low end")),
			.hi = need_int(c, at, args->v[1], N_("randint()'s high end")) };
	case B_MANAGER:
		if (c->w != NULL)
			pyc_error(c, at, "Manager() in a process is not supported by lockstep");
		c->counter++;   /* the manager's server process takes a number */
		return (struct val){ .k = V_MANAGER };
	case B_VALUE:
	case B_ARRAY: {
		if (c->w != NULL)
			pyc_error(c, at, "a process creating a shared object is not supported by lockstep");
		if (args->n != 2 || args->v[0].k != V_STR ||
		    (strcmp(args->v[0].s, "i") != 0 && strcmp(args->v[0].s, "l") != 0))
			pyc_error(c, at, "lockstep needs %s('i', ...): integers only",
				  b == B_VALUE ? "Value" : "Array");
		int obj = new_object(c, at, b == B_VALUE ? OBJ_VALUE : OBJ_ARRAY,
				     b == B_VALUE ? "Value-" : "Array-");
		if (b == B_VALUE)
			set_elem(c, at, obj, 0, need_int(c, at, args->v[1], N_("the value")));
		else
			fill_elems(c, at, obj, args->v[1]);
		return (struct val){ .k = V_OBJ, .i = -1, .obj = obj };
	}
	default:
		snprintf(buf, sizeof buf, "%d", (int)b);
		pyc_error(c, at, "that call is not supported by lockstep");
	}
}

static struct val call(struct pyc *c, const struct py_node *at, struct val f,
		       struct seq *args, const struct py_node *kw)
{
	static const char *const none[] = { NULL };
	switch (f.k) {
	case V_BUILTIN: return call_builtin(c, at, (enum builtin)f.i, args, kw);
	case V_FUNC: return call_def(c, at, f.fn, NULL, args, kw);
	case V_CLASS: {
		only_keywords(c, kw, none);
		if (class_method(f.fn, "__init__") != NULL)
			pyc_error(c, at, "a Thread class with its own __init__ is not supported by "
				  "lockstep yet");
		if (class_method(f.fn, "run") == NULL)
			pyc_error(c, at, "the class %s needs a run() method", f.fn->str);
		if (args->n != 0)
			pyc_error(c, at, "%s() takes no arguments here", f.fn->str);
		struct val p = new_proc(c, at, 1, v_none(), NULL);
		c->procs[p.obj].cls = f.fn;
		snprintf(c->procs[p.obj].name, sizeof c->procs[p.obj].name, "Thread-%d",
			 c->procs[p.obj].number);
		return p;
	}
	case V_METHOD:
		switch ((enum builtin)f.i) {
		case M_START:
			only_keywords(c, kw, none);
			if (c->w != NULL)
				pyc_error(c, at, "a process starting a process is not supported by lockstep");
			start_proc(c, at, f.self->obj);
			return v_none();
		case M_JOIN: {
			only_keywords(c, kw, none);
			if (c->w != NULL)
				pyc_error(c, at, "join() in a started process is not supported by lockstep");
			struct proc *p = &c->procs[f.self->obj];
			if (!p->started)
				pyc_error(c, at, "can only join a started process (AssertionError)");
			p->joined = 1;
			c->all_joined = 1;
			for (int i = 0; i < c->n_procs; i++)
				if (c->procs[i].started && !c->procs[i].joined)
					c->all_joined = 0;
			return v_none();
		}
		case M_APPEND:
			if (args->n != 1)
				pyc_error(c, at, "append() takes one argument");
			seq_push(c, f.self->seq, args->v[0]);
			return v_none();
		case M_FORMAT:
			only_keywords(c, kw, none);
			return str_format(c, at, f.self->s, args);
		case M_METHOD_DEF: {
			struct val self = *f.self;
			return call_def(c, at, f.fn, &self, args, kw);
		}
		case M_MDICT: case M_MLIST: case M_MNAMESPACE: case M_MOBJ:
			return call_manager(c, at, f, args, kw);
		default:
			return call_object_method(c, at, f, args, kw);
		}
	default:
		pyc_error(c, at, "calling %s is not supported by lockstep", vkind_name(c, &f));
	}
}

/* ---- statements ---------------------------------------------------------------- */

static int has_key(const struct scenario_object *o, const char *key)
{
	for (int j = 0; j < o->n_elems; j++)
		if (strcmp(o->elems[j].key, key) == 0)
			return 1;
	return 0;
}

static void assign_to(struct pyc *c, const struct py_node *t, struct val v)
{
	int obj, e;
	if (t->kind == PY_NAME) {
		name_object(c, t->str, v);
		bind(c, t->str, v);
		return;
	}
	if (t->kind == PY_TUPLE || t->kind == PY_LIST) {
		int n = 0;
		for (const struct py_node *x = t->items; x; x = x->next)
			n++;
		if ((v.k != V_TUPLE && v.k != V_LIST) || v.seq->n != n)
			pyc_error(c, t, "cannot unpack %s into %d names here", vkind_name(c, &v), n);
		n = 0;
		for (const struct py_node *x = t->items; x; x = x->next)
			assign_to(c, x, v.seq->v[n++]);
		return;
	}
	if (t->kind == PY_ATTRIBUTE) {
		struct val base = eval(c, t->a);
		if (base.k == V_OBJ && c->s->objects[base.obj].kind == OBJ_NAMESPACE && c->w == NULL &&
		    !c->started && !has_key(&c->s->objects[base.obj], t->str)) {
			struct scenario_object *o = &c->s->objects[base.obj];
			if (o->n_elems == SCENARIO_MAX_ELEMS || !load_valid_name(t->str) ||
			    strlen(t->str) >= SCENARIO_MAX_NAME)
				pyc_error(c, t, "lockstep cannot add the attribute '%s'", t->str);
			snprintf(o->elems[o->n_elems].key, SCENARIO_MAX_NAME, "%s", t->str);
			set_elem(c, t, base.obj, o->n_elems++, need_int(c, t, v, N_("a shared value")));
			return;
		}
		if (base.k == V_PROC && strcmp(t->str, "daemon") == 0)
			pyc_error(c, t, "daemon processes are not supported by lockstep yet");
	}
	e = shared_target(c, t, &obj);
	if (e >= 0) {
		if (c->w == NULL) {
			if (c->started)
				pyc_error(c, t, "the main process writing a shared value after it has "
					  "started processes is not supported by lockstep");
			set_elem(c, t, obj, e, need_int(c, t, v, N_("a shared value")));
			return;
		}
		emit_store(c, t, obj, e, v);
		return;
	}
	pyc_error(c, t, "assigning to that is not supported by lockstep");
}

static void exec_aug(struct pyc *c, const struct py_node *st)
{
	int op = st->op, obj, e;   /* the parser gives the binary operator */
	e = shared_target(c, st->a, &obj);
	if (e >= 0) {
		/* d['count'] -= 1: a get request, then a set request. */
		need_worker(c, st, N_("changing a shared value"));
		struct val old = emit_load(c, st->a, obj, e);
		emit_store(c, st->a, obj, e, binop(c, st, op, old, eval(c, st->b)));
		return;
	}
	if (st->a->kind != PY_NAME)
		pyc_error(c, st->a, "that augmented assignment is not supported by lockstep");
	assign_to(c, st->a, binop(c, st, op, lookup(c, st->a), eval(c, st->b)));
}

static void exec_with(struct pyc *c, const struct py_node *st)
{
	const struct py_node *item = st->items;
	if (item == NULL || item->next != NULL)
		pyc_error(c, st, "lockstep supports one item in a with statement");
	struct val v = eval(c, item->a);
	if (v.k == V_MANAGER) {
		if (item->b != NULL)
			assign_to(c, item->b, v);
		exec_body(c, st->body);
		return;
	}
	if (v.k != V_OBJ || !kind_is(c->s->objects[v.obj].kind, KF_LOCKLIKE) ||
	    item->b != NULL) {
		if (!(v.k == V_OBJ && c->s->objects[v.obj].kind == OBJ_CONDITION && item->b == NULL))
			pyc_error(c, item->a, "with on %s is not supported by lockstep",
				  vkind_name(c, &v));
	}
	int lock = c->s->objects[v.obj].kind == OBJ_CONDITION ? c->s->objects[v.obj].lock : v.obj;
	emit_obj_op(c, st, OP_ACQUIRE, lock, "with");
	exec_body(c, st->body);
	if (c->returning || c->breaking || c->continuing)
		pyc_error(c, st, "return, break or continue inside with is not supported by "
			  "lockstep yet");
	c->line = st->line;
	emit_obj_op(c, st, OP_RELEASE, lock, "with");
}

static void exec_for(struct pyc *c, const struct py_node *st)
{
	struct val it = eval(c, st->b);
	if (it.k != V_LIST && it.k != V_TUPLE)
		pyc_error(c, st->b, "for over %s is not supported by lockstep", vkind_name(c, &it));
	for (int j = 0; j < it.seq->n && !c->returning; j++) {
		assign_to(c, st->a, it.seq->v[j]);
		exec_body(c, st->body);
		c->continuing = 0;
		if (c->breaking) {
			c->breaking = 0;
			break;
		}
	}
}

static void exec_while(struct pyc *c, const struct py_node *st)
{
	for (long n = 0; !c->returning; n++) {
		c->line = st->line;
		if (!truth(c, st->a, eval(c, st->a)))
			break;
		if (n > 100000)
			pyc_error(c, st, "this loop runs too long for lockstep");
		exec_body(c, st->body);
		c->continuing = 0;
		if (c->breaking) {
			c->breaking = 0;
			break;
		}
	}
}

static void exec_import(struct pyc *c, const struct py_node *st)
{
	for (const struct py_node *a = st->items; a; a = a->next) {
		const char *mod = st->kind == PY_IMPORT ? a->str : st->str;
		int i;
		for (i = 0; modules[i]; i++)
			if (strcmp(modules[i], mod) == 0)
				break;
		if (modules[i] == NULL)
			pyc_error(c, a, "the module '%s' is not supported by lockstep", mod);
		if (st->kind == PY_IMPORT) {
			bind(c, a->str2 ? a->str2 : a->str, (struct val){ .k = V_MODULE, .s = modules[i] });
			continue;
		}
		if (strcmp(a->str, "*") == 0) {
			for (size_t k = 0; k < sizeof module_names / sizeof module_names[0]; k++)
				if (strcmp(module_names[k].module, mod) == 0)
					bind(c, module_names[k].name,
					     (struct val){ .k = V_BUILTIN, .i = module_names[k].b });
			continue;
		}
		size_t k;
		for (k = 0; k < sizeof module_names / sizeof module_names[0]; k++)
			if (strcmp(module_names[k].module, mod) == 0 &&
			    strcmp(module_names[k].name, a->str) == 0)
				break;
		if (k == sizeof module_names / sizeof module_names[0])
			pyc_error(c, a, "%s.%s is not supported by lockstep", mod, a->str);
		bind(c, a->str2 ? a->str2 : a->str, (struct val){ .k = V_BUILTIN, .i = module_names[k].b });
	}
}

static void exec_stmt(struct pyc *c, const struct py_node *st)
{
	struct val v;
	c->line = st->line;
	switch (st->kind) {
	case PY_IMPORT: case PY_IMPORT_FROM: exec_import(c, st); return;
	case PY_FUNCTION_DEF: bind(c, st->str, (struct val){ .k = V_FUNC, .fn = st }); return;
	case PY_CLASS_DEF:
		if (st->items == NULL || st->items->next != NULL ||
		    eval(c, st->items).k != V_BUILTIN || eval(c, st->items).i != B_THREAD)
			pyc_error(c, st, "lockstep supports classes that subclass Thread only");
		bind(c, st->str, (struct val){ .k = V_CLASS, .fn = st });
		return;
	case PY_IF:
		if (truth(c, st->a, eval(c, st->a)))
			exec_body(c, st->body);
		else
			exec_body(c, st->orelse);
		return;
	case PY_FOR: exec_for(c, st); return;
	case PY_WHILE: exec_while(c, st); return;
	case PY_WITH: exec_with(c, st); return;
	case PY_RETURN:
		c->retval = st->a ? eval(c, st->a) : v_none();
		c->returning = 1;
		return;
	case PY_PASS: return;
	case PY_BREAK: c->breaking = 1; return;
	case PY_CONTINUE: c->continuing = 1; return;
	case PY_ASSIGN:
		v = eval(c, st->a);
		for (const struct py_node *t = st->items; t; t = t->next)
			assign_to(c, t, v);
		return;
	case PY_AUG_ASSIGN: exec_aug(c, st); return;
	case PY_EXPR:
		if (st->a->kind == PY_STR)
			return;   /* a docstring */
		eval(c, st->a);
		return;
	default:
		pyc_error(c, st, "the statement %s is not supported by lockstep",
			  py_kind_name(st->kind));
	}
}

static void exec_body(struct pyc *c, const struct py_node *st)
{
	for (; st && !c->returning && !c->breaking && !c->continuing; st = st->next)
		exec_stmt(c, st);
}

/* ---- the scenario --------------------------------------------------------------- */

static int same_program(const struct cprog *a, const struct cprog *b)
{
	if (a->n != b->n)
		return 0;
	for (int i = 0; i < a->n; i++) {
		const struct scenario_op *x = &a->ops[i], *y = &b->ops[i];
		if (x->kind != y->kind || x->object != y->object || x->elem != y->elem ||
		    x->amount != y->amount || x->use_register != y->use_register ||
		    x->notify_all != y->notify_all || x->sleep_min_ms != y->sleep_min_ms ||
		    x->sleep_max_ms != y->sleep_max_ms || x->sleep_step_ms != y->sleep_step_ms ||
		    x->py_line != y->py_line || (x->text == NULL) != (y->text == NULL) ||
		    (x->text && strcmp(x->text, y->text) != 0))
			return 0;
	}
	return 1;
}

static void keep_program(struct pyc *c, const struct wprog *w)
{
	struct cprog *cp = &c->progs[c->n_progs], tmp = { (struct scenario_op *)w->ops, w->n, w->proc };
	cp->proc = w->proc;
	cp->n = w->n;
	if (c->n_progs > 0 && same_program(&c->progs[c->n_progs - 1], &tmp)) {
		cp->ops = c->progs[c->n_progs - 1].ops;
	} else {
		cp->ops = pyc_alloc(c, (size_t)(w->n ? w->n : 1) * sizeof *cp->ops);
		memcpy(cp->ops, w->ops, (size_t)w->n * sizeof *cp->ops);
	}
	c->n_progs++;
}

/* One group per run of started processes with the same program and
 * consecutive numbers: "Process-" with first 2 and count 100. */
static void make_groups(struct pyc *c, const struct py_node *at)
{
	struct scenario *s = c->s;
	for (int i = 0; i < c->n_progs; i++) {
		struct cprog *w = &c->progs[i];
		struct proc *p = &c->procs[w->proc];
		const char *base = p->thread ? "Thread-" : "Process-";
		struct scenario_group *g = s->n_groups ? &s->groups[s->n_groups - 1] : NULL;
		if (g && strcmp(g->name, base) == 0 && g->first_index + g->count == p->number &&
		    same_program(&c->progs[i - 1], w)) {
			g->count++;
			continue;
		}
		if (s->n_groups == SCENARIO_MAX_GROUPS)
			pyc_error(c, at, "the processes run more than %d different programs: too "
				  "many for lockstep", SCENARIO_MAX_GROUPS);
		g = &s->groups[s->n_groups++];
		snprintf(g->name, sizeof g->name, "%s", base);
		g->first_index = p->number;
		g->count = 1;
		g->line = at->line;
		g->col = at->col;
		g->ops = calloc((size_t)(w->n ? w->n : 1), sizeof *g->ops);
		if (g->ops == NULL) {
			errno = ENOMEM;
			snprintf(c->err, c->errlen, _("cannot load %s: %s"), c->name, strerror(ENOMEM));
			longjmp(c->fail, 2);
		}
		memcpy(g->ops, w->ops, (size_t)w->n * sizeof *g->ops);
		g->n_ops = w->n;
		for (int j = 0; j < w->n; j++)
			g->ops[j].text = NULL;   /* the compiler's, not the scenario's */
		for (int j = 0; j < w->n; j++)
			if (w->ops[j].text && !(g->ops[j].text = strdup(w->ops[j].text))) {
				errno = ENOMEM;
				longjmp(c->fail, 2);
			}
	}
}

static void set_meta(struct pyc *c, const char *src, size_t len)
{
	struct scenario *s = c->s;
	const char *base = strrchr(c->name, '/') ? strrchr(c->name, '/') + 1 : c->name;
	char id[32];
	size_t k = 0;
	for (const char *p = base; *p && *p != '.' && k + 1 < sizeof id; p++) {
		char ch = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
		id[k++] = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ? ch : '-';
	}
	if (k == 0)
		id[k++] = 'x';
	id[k] = '\0';
	s->id = strdup(id);
	s->path = strdup(c->name);
	s->title.en = strdup(base);
	s->python = malloc(len + 1);
	if (!s->id || !s->path || !s->title.en || !s->python) {
		errno = ENOMEM;
		snprintf(c->err, c->errlen, _("cannot load %s: %s"), c->name, strerror(ENOMEM));
		longjmp(c->fail, 2);
	}
	memcpy(s->python, src, len);
	s->python[len] = '\0';
	s->order = 9999;
	/* Every process starts at once: a started child is slower to get
	 * going than the parent is to start the next one, so in CPython
	 * their work overlaps (the lesson's lost updates need it). */
	s->process_start_ms = 0;
	s->expect_outcome = OUTCOME_ANY;
}

static void compile_module(struct pyc *c, const struct py_node *root)
{
	exec_body(c, root->body);
	if (c->n_progs == 0)
		pyc_error(c, root->body ? root->body : root, "the program starts no process: "
			  "lockstep needs at least one Process or Thread started");
	make_groups(c, root->body ? root->body : root);
}

/* The scenario of the tree, or NULL (errno 0: the program's fault). */
static struct scenario *compile_tree(struct pyc *c, const struct py_ast *ast,
				     const char *src, size_t len)
{
	int rc = setjmp(c->fail);

	if (rc == 0) {
		set_meta(c, src, len);
		compile_module(c, ast->root);
		errno = 0;
		return c->s;
	}
	if (rc == 1)
		errno = 0;
	scenario_free(c->s);
	return NULL;
}

struct scenario *py_compile_buffer(const char *name, const char *src, size_t len,
				   char *err, size_t errlen)
{
	struct pyc *c = calloc(1, sizeof *c);
	struct scenario *s = NULL;
	struct py_ast *ast = NULL;
	char dummy[8];

	if (err == NULL || errlen == 0) {
		err = dummy;
		errlen = sizeof dummy;
	}
	err[0] = '\0';
	errno = ENOMEM;
	if (c == NULL || (c->procs = calloc(MAX_PROCS, sizeof *c->procs)) == NULL ||
	    (c->progs = calloc(MAX_PROCS, sizeof *c->progs)) == NULL ||
	    (s = calloc(1, sizeof *s)) == NULL) {
		snprintf(err, errlen, _("cannot load %s: %s"), name, strerror(ENOMEM));
		goto out;
	}
	c->name = name;
	c->err = err;
	c->errlen = errlen;
	c->s = s;
	ast = py_parse_buffer(name, src, len, err, errlen);
	if (ast == NULL) {
		errno = 0;
		scenario_free(s);
		s = NULL;
		goto out;
	}
	s = compile_tree(c, ast, src, len);
out:
	py_ast_free(ast);
	if (c != NULL) {
		while (c->blocks) {
			struct block *b = c->blocks;
			c->blocks = b->next;
			free(b);
		}
		free(c->procs);
		free(c->progs);
		free(c);
	}
	return s;
}

struct scenario *py_compile_file(const char *path, char *err, size_t errlen)
{
	char shown[256];
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	scenario_escape(shown, sizeof shown, path);
	if (fd < 0) {
		int e = errno;
		char why[256];
		snprintf(why, sizeof why, _("cannot open: %s"), strerror(e));
		snprintf(err, errlen, "%s:1:1: error: %s", shown, why);
		errno = e == ENOENT || e == EACCES || e == EISDIR ? 0 : e;
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		snprintf(err, errlen, "%s:1:1: error: %s", shown, _("not a regular file"));
		errno = 0;
		return NULL;
	}
	if (st.st_size > (off_t)PY_MAX_SOURCE) {
		close(fd);
		snprintf(err, errlen, "%s:1:1: error: %s", shown, _("the file is too large for lockstep"));
		errno = 0;
		return NULL;
	}
	char *buf = malloc((size_t)st.st_size + 1);
	ssize_t n = buf ? read(fd, buf, (size_t)st.st_size) : -1;
	int e = errno;
	close(fd);
	if (n < 0) {
		free(buf);
		snprintf(err, errlen, _("cannot load %s: %s"), shown, strerror(buf ? e : ENOMEM));
		errno = buf ? e : ENOMEM;
		return NULL;
	}
	struct scenario *s = py_compile_buffer(path, buf, (size_t)n, err, errlen);
	e = errno;
	free(buf);
	errno = e;
	return s;
}
