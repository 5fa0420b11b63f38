#!/usr/bin/env python3
"""tests/i18n-english.py: English interface words left in a Chinese run.

usage: i18n-english.py RUN.json RUN.txt

RUN.txt is `lockstep --headless` under --lang=zh (or a zh_CN locale), and
RUN.json the same run (same seed) with --json, which says in English what
came from the scenario file: worker and object names, elements, printed
texts, the scenario's id.  Those are the lesson's own words, not the
interface's, and are taken out of RUN.txt; so are the replay command
(options are typed as they are) and the few technical names that stay
as they are in every language (pid, SIGKILL, EOWNERDEAD, Python) and CPython's
exceptions quoted as Python prints them ("ValueError: ...").  Prints each
line of RUN.txt in which two Latin letters in a row are left, and exits 1
when there is one, or when RUN.txt has no Chinese at all.
"""
import json
import re
import sys

KEEP = ["EOWNERDEAD", "SIGKILL", "pid", "Python"]
# CPython's exception, quoted as Python prints it: "ValueError: ...".
PYTHON_ERROR = re.compile(r"\b[A-Z][a-z]+Error: [^）)]*")


def names(json_path):
    found = set()
    for line in open(json_path, encoding="utf-8"):
        line = line.strip()
        if not line.startswith("{"):
            continue
        o = json.loads(line)
        for k in ("worker", "object", "scenario"):
            if isinstance(o.get(k), str):
                found.add(o[k])
        # What a worker prints, and why a crash op crashes: the file's.
        if (o.get("event") == "print" or o.get("op") == "crash") and \
                isinstance(o.get("text"), str):
            found.add(o["text"])
        for k in ("values", "peak", "highest", "objects"):
            if isinstance(o.get(k), dict):
                found.update(o[k].keys())
    return sorted(found, key=len, reverse=True)   # longest first


def main():
    json_path, txt_path = sys.argv[1:3]
    strip = KEEP + names(json_path)
    text = open(txt_path, encoding="utf-8").read()
    bad = 0
    if not re.search(r"[\u4e00-\u9fff]", text):
        print("no Chinese at all")
        bad = 1
    for line in text.splitlines():
        rest = line
        if "lockstep --" in rest:              # the replay command
            rest = re.sub(r"lockstep( --\S+)*( \S+)?", " ", rest)
        rest = PYTHON_ERROR.sub(" ", rest)
        for n in strip:   # as a whole word: "d" is not in "pid"
            rest = re.sub(r"(?<![\w'])" + re.escape(n) + r"(?![\w'])", " ", rest)
        if re.search(r"[A-Za-z]{2}", rest):
            print("English left: " + line)
            bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main())
