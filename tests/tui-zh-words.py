#!/usr/bin/env python3
"""tests/tui-zh-words.py: the English interface words on a screen.

  tui-zh-words.py words PO              print the word list, one a line
  tui-zh-words.py check PO SCENARIO...  read a screen on stdin; print each
                                        English interface word on it and
                                        exit 1 when there is one

The word list is built from the catalogue, not written by hand: every
word of three letters or more in a msgid, minus the words the Chinese
translations keep on purpose (Python, Lock, SIGKILL, PgUp, lockstep...).
What the scenario file itself puts on the screen is not the interface:
its Python code, its Chinese texts, what its ops print and the names of
its workers and objects; nor are a command line's options (--seed=1).
A screen is cut into pieces at runs of two spaces and at box lines; a
piece that is a substring of the file's own strings (all but its English
texts) is skipped, a file string quoted in a piece (whole, or cut where
the piece ends) is taken out of it, and the names are allowed anywhere.
"""
import re
import sys

import yaml

WORD = re.compile(r"[A-Za-z][A-Za-z']*[A-Za-z]|[A-Za-z]")
ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")


def po_entries(path):
    """(msgid, msgstr) pairs of a .po file, plural forms included."""
    entries, cur, key = [], {}, None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        m = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
        if m:
            if m.group(1) == "msgid" and cur:
                entries.append(cur)
                cur = {}
            key = m.group(1)
            cur[key] = cur.get(key, "") + m.group(2)
        elif line.startswith('"') and key:
            cur[key] += line[1:-1]
        elif not line.strip():
            key = None
    if cur:
        entries.append(cur)
    return entries


def words_of(text):
    text = re.sub(r"%[-+ #0-9.*]*[a-zA-Z]+", " ", text)   # printf formats
    text = text.replace("\\n", " ")
    return {w.lower() for w in WORD.findall(text) if len(w) >= 3}


def prose(msgstr):
    """A translation without its code: calls (release()), options
    (--seed=), quoted Python errors, YAML keys: the words a translator
    keeps there say nothing about the words kept in prose."""
    s = re.sub(r"Python[^（(]*?(会报|:)[^）]*", " ", msgstr)
    s = re.sub(r"[A-Za-z_.]+\(\)?", " ", s)
    s = re.sub(r"--[A-Za-z-]+(=\S*)?", " ", s)
    s = re.sub(r"^[A-Za-z-]+：", " ", s)
    return s


def word_list(po):
    english, kept = set(), set()
    for e in po_entries(po):
        if not e.get("msgid"):
            continue
        english |= words_of(e["msgid"]) | words_of(e.get("msgid_plural", ""))
        for k, v in e.items():
            if k.startswith("msgstr"):
                kept |= words_of(prose(v))
    return english - kept


def file_texts(scenario):
    """The file's own words: its texts (both languages' zh side), code, names."""
    doc = yaml.safe_load(open(scenario, encoding="utf-8"))
    texts, names = [], set()

    def walk(x):   # every string but the English texts
        if isinstance(x, dict):
            for k, v in x.items():
                if k != "en":
                    walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
        elif isinstance(x, str):
            # "{name} prints": the literal parts, the name filled in.
            texts.extend(p for p in re.split(r"\{[a-z_]+\}", x) if p.strip())
    walk(doc)
    for key in ("objects", "workers", "groups"):
        for o in doc.get(key) or []:
            if isinstance(o, dict):
                for k in ("name", "names"):
                    v = o.get(k)
                    for n in v if isinstance(v, list) else [v]:
                        if isinstance(n, str):
                            names |= words_of(n)
                            texts.append(n)
    names |= words_of(doc.get("id") or "")
    return texts, names


def strip_file_text(piece, texts):
    """The piece without the file's strings quoted in it (a print's text
    in "Step 2: user0 prints ..."), whole or cut where the piece ends;
    only whole words go ("lock" stays in "lockstep")."""
    for t in texts:
        if len(t) >= 4:
            pre = r"(?<![A-Za-z0-9])" if ASCII_ALNUM.match(t[0]) else ""
            post = r"(?![A-Za-z0-9])" if ASCII_ALNUM.match(t[-1]) else ""
            piece = re.sub(pre + re.escape(t) + post, " ", piece)
    end = piece.rstrip(" )）")
    for t in texts:
        for k in range(min(len(t), len(end)), 3, -1):
            cut = len(end) - k
            if end.endswith(t[:k]) and (cut == 0 or not ASCII_ALNUM.match(end[cut - 1])
                                        or not ASCII_ALNUM.match(t[0])):
                return end[:cut]
    return piece


def check(po, scenarios, screen):
    english = word_list(po)
    texts, names = [], set()
    for scenario in scenarios:
        t, n = file_texts(scenario)
        texts += t
        names |= n
    found = []
    for line in screen.splitlines():
        for piece in re.split(r" {2,}|[│┌┐└┘─]+", line):
            piece = piece.strip()
            # A pane's gutter (counts, line numbers, markers) is not text.
            core = re.sub(r"^[0-9▸>#·✓✗z ]+", "", piece).strip()
            if not core or any(core in t for t in texts):
                continue
            piece = strip_file_text(piece, texts)
            # A command line to type (the replay line) and a Python call
            # (release()) are not prose, on the screen as in prose().
            piece = re.sub(r"--[A-Za-z-]+(=\S*)?", " ", piece)
            piece = re.sub(r"[A-Za-z_.]+\(\)?", " ", piece)
            for w in WORD.findall(piece):
                lw = w.lower()
                if len(w) >= 3 and lw in english and lw not in names:
                    found.append((w, piece))
    return found


def main(argv):
    if len(argv) == 3 and argv[1] == "words":
        for w in sorted(word_list(argv[2])):
            print(w)
        return 0
    if len(argv) >= 4 and argv[1] == "check":
        found = check(argv[2], argv[3:], sys.stdin.read())
        for w, piece in found:
            print(f"{w}\t(in: {piece})")
        return 1 if found else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
