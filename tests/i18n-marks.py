#!/usr/bin/env python3
"""tests/i18n-marks.py: find user-facing strings that gettext cannot see.

usage: i18n-marks.py MAKEVARS FILE.c...

Prints one line per string literal that is passed to an output function
(printf, fprintf, snprintf, fputs, usage_error, tui_message ...) without
going through _(), N_(), ngettext() or a function that po/Makevars names
as an xgettext keyword (load_error_at, engine_fail ...: they translate
their format themselves), and that holds words.  A literal holds words
when, once its printf directives, escapes, command-line options
("--seed=%llu"), paths ("/scenarios") and the program's name are taken
out, two letters in a
row are left.  Format-only strings ("%s\n", "  %s = %ld") and JSON
("{\"type\":...") hold none, nor does SVG markup (tags, attributes,
entities), nor YAML keys in the files YAML_FILES names.  ALLOWED (and
FILE_ALLOWED, per file) lists the few other literals that are not words
for a person.  Exit status 1 when it printed anything.
"""
import re
import sys

# Functions whose string arguments reach a person.
OUTPUT = {
    "printf", "fprintf", "dprintf", "snprintf", "vsnprintf", "sprintf",
    "fputs", "puts", "perror", "usage_error", "error_line", "say",
    "tui_message", "tui_putf", "tui_put", "tui_puts", "kind_say",
}
# Calls that mark a literal for gettext (the po/Makevars keywords are
# added at run time).
MARKS = {"_", "N_", "gettext", "ngettext", "tr", "trn"}
# Not words for a person, though they look like some.
ALLOWED = {
    "lockstep %s\n",             # --version: the program and its version
    "null", "true", "false",     # JSON
    "%s-%llu.replay",            # the replay file's name: ID-SEED.replay
}
# Per file: literals that are a language or a file format, not words.
FILE_ALLOWED = {
    # --explore --json's key for a state nothing can leave ("stuck":N),
    # and a replay file's header for a goal's schedule ("goal lose-one",
    # where an outcome's English name would be: the format's words).
    "src/explore.c": {"stuck", "goal %s"},
    # Python's own words: the reprs a program prints as CPython does, and
    # CPython's default process and thread names (Process-1, Thread-1
    # (work)), which a student compares with what python3 prints.  {reg}
    # is the scenario format's placeholder for the register in a print.
    "src/py_compile.c": {"None", "True", "False", "Thread", "Process",
                         "Thread-%d", "Thread-%d (%.12s)", "{reg}"},
    # --dump writes a scenario file (YAML) that lockstep loads back: these
    # bare values are the format's vocabulary (docs/scenario-format.md).
    "src/scenario_dump.c": {"put", "send", "queue", "pipe", "notify",
                            "notify-all", "ends-at", "ends-not", "expect"},
}
# Files that write YAML: a `key:` and a boolean there are the format.
YAML_FILES = {"src/scenario_dump.c"}

DIRECTIVE = re.compile(r"%(?:\d+\$)?[-+ #0']*(?:\*|\d+)?(?:\.(?:\*|\d+))?"
                       r"(?:hh|h|ll|l|L|z|j|t)?[diouxXeEfgGcspn%]")
ESCAPE = re.compile(r"\\(?:[ntr\"'\\ab0]|x[0-9a-fA-F]+|u[0-9a-fA-F]{4})")
OPTION = re.compile(r"--[a-z][a-z-]*")
PATH = re.compile(r"(?:\.\.?)?/[\w./-]*")   # "/scenarios", "%s/../share/"
# FILE:LINE:COL: error: as compilers say it, which editors read (the
# message after it is translated).
COMPILER = re.compile(r":(?:%d|\d+):(?:%d|\d+): error: ")
# SVG/XML markup: a style sheet, tags, attributes (" class=\"c\"") and
# entities are markup for a browser; text between tags is still checked.
MARKUP = re.compile(r"<style>.*?</style>|<[^<>]*>|&[a-z]+;|\b[\w:-]+=\\\"[^\"\\]*\\\"")
YAML_KEY = re.compile(r"\b[a-z][\w-]*:|\b(?:true|false)\b")


def strip_comments(src):
    """Blank out comments, keep strings and line numbers."""
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", src[i:j]))
            i = j
        elif src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            out.append(src[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def call_args(src, i):
    """src[i] is '(': the text up to its matching ')', as (start, end)."""
    depth, j, n = 0, i, len(src)
    while j < n:
        c = src[j]
        if c in "\"'":
            k = j + 1
            while k < n and src[k] != c:
                k += 2 if src[k] == "\\" else 1
            j = k
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1, j
        j += 1
    return i + 1, n


def literals(text):
    """The string literals of text not inside a marking call, each with
    its offset: adjacent literals ("a" "b") count as one."""
    found, i, n = [], 0, len(text)
    marked_until = -1
    while i < n:
        m = re.compile(r"\b([A-Za-z_]\w*)\s*\(").match(text, i)
        if m and m.group(1) in MARKS:
            s, e = call_args(text, m.end() - 1)
            marked_until = max(marked_until, e)
            i = e + 1
            continue
        if m:
            i = m.end()
            continue
        c = text[i]
        if c == "'":
            j = i + 1
            while j < n and text[j] != "'":
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            continue
        if c == '"':
            start, parts = i, []
            while i < n and text[i] == '"':
                j = i + 1
                while j < n and text[j] != '"':
                    j += 2 if text[j] == "\\" else 1
                parts.append(text[i + 1:j])
                i = j + 1
                while i < n and text[i] in " \t\n":
                    i += 1
            found.append((start, "".join(parts)))
            continue
        i += 1
    return found


def has_words(lit, path=""):
    if lit in ALLOWED or '\\":' in lit:      # JSON keys
        return False
    if lit in FILE_ALLOWED.get(path, ()):
        return False
    rest = COMPILER.sub(" ", lit)
    rest = MARKUP.sub(" ", rest)
    if path in YAML_FILES:
        rest = YAML_KEY.sub(" ", rest)
    rest = ESCAPE.sub(" ", rest)
    rest = DIRECTIVE.sub(" ", rest)
    rest = OPTION.sub(" ", rest)
    rest = PATH.sub(" ", rest)
    rest = re.sub(r"\blockstep\b", " ", rest)
    return re.search(r"[A-Za-z]{2}", rest) is not None


def main():
    makevars, files = sys.argv[1], sys.argv[2:]
    mv = open(makevars, encoding="utf-8").read()
    for k in re.findall(r"--keyword=([A-Za-z_]\w*)", mv):
        MARKS.add(k)
    bad = 0
    call = re.compile(r"\b([A-Za-z_]\w*)\s*\(")
    for path in files:
        src = strip_comments(open(path, encoding="utf-8").read())
        for m in call.finditer(src):
            if m.group(1) not in OUTPUT or m.group(1) in MARKS:
                continue
            s, e = call_args(src, m.end() - 1)
            for off, lit in literals(src[s:e]):
                if has_words(lit, path):
                    line = src.count("\n", 0, s + off) + 1
                    print('%s:%d: not marked for translation: "%s"' % (path, line, lit))
                    bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main())
