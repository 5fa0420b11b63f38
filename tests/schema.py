#!/usr/bin/python3
"""tests/schema.py: docs/scenario.schema.json against the real files.

Every bundled scenario and every file in tests/good must be valid; every
file of tests/bad whose error is one a schema can express (SCHEMA_ERRORS:
an unknown or missing key, a wrong type, a number out of range, a bad
name) must be refused.  YAML is read as editors read it (the YAML 1.2
core schema: `yes` is a string, `010` a decimal integer), not with
PyYAML's YAML 1.1 rules.  Prints TAP.

Usage: schema.py SCHEMA SCENARIO_DIR TESTDIR
"""
import glob
import json
import os
import re
import sys

import jsonschema
import yaml

# The tests/bad files a schema must refuse (the others need lockstep's own
# checks: references, labels, control characters, linearity, precision).
SCHEMA_ERRORS = """
array-size-and-entries array-size-too-big array-without-size bad-id
bad-object-type barrier-parties-too-many bsem-without-initial
condition-without-lock crash-too-long dict-without-entries entries-empty
entries-with-initial entry-key-missing entry-key-on-list event-initial-two
expect-on-array expr-semaphore expr-unknown-word if-register-not-goto
int-fraction int-trailing-garbage label-bad-name lock-with-initial
max-holders-event missing-required-key missing-title negative-count limit-on-lock
op-not-mapping parent-yes print-too-long queue-capacity-zero
queue-with-initial queue-without-capacity semaphore-without-initial
sleep-too-long start-ms-range timeout-zero top-level-list two-op-keys
unknown-object-key unknown-op-key unknown-top-key version-2
version-2-new-keys wrong-type zero-op-keys
goal-bad-id goal-bad-outcome goal-ends-both goal-ends-word goal-foreign-key
goal-no-form goal-no-text goal-peak-no-above goal-two-forms
goal-unknown-when-key goal-value-no-ends goal-within-zero
""".split()


class CoreLoader(yaml.SafeLoader):
    """YAML 1.2 core schema scalars, as yaml-language-server reads them."""


CoreLoader.yaml_implicit_resolvers = {}
for tag, regexp, first in [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", list("~nN") + [""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     list("-+.0123456789")),
]:
    CoreLoader.add_implicit_resolver(tag, re.compile(regexp), first)


def core_int(loader, node):
    v = loader.construct_scalar(node)
    if v.startswith("0o"):
        return int(v[2:], 8)
    if v.startswith("0x"):
        return int(v[2:], 16)
    return int(v, 10)


CoreLoader.add_constructor("tag:yaml.org,2002:int", core_int)


def load(path):
    with open(path, encoding="utf-8") as f:
        return list(yaml.load_all(f, Loader=CoreLoader))


def main():
    schema_path, scenarios, testdir = sys.argv[1:4]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    n = 0

    def result(ok, name, detail=""):
        nonlocal n
        n += 1
        print(("ok" if ok else "not ok") + " %d - %s" % (n, name))
        if not ok and detail:
            for line in detail.splitlines():
                print("#   " + line)

    result(True, "the schema is a valid draft-07 JSON Schema")
    good = sorted(glob.glob(os.path.join(scenarios, "*.yaml")) +
                  glob.glob(os.path.join(testdir, "good", "*.yaml")))
    for path in good:
        errors = sorted(validator.iter_errors(load(path)[0]), key=lambda e: list(e.path))
        rel = os.path.relpath(path, os.path.dirname(testdir))
        detail = "\n".join("%s: %s" % ("/".join(map(str, e.path)), e.message[:200])
                           for e in errors[:3])
        result(not errors, "the schema accepts %s" % rel,
               detail + "\n(a key lockstep takes must be in docs/scenario.schema.json)")
    for name in SCHEMA_ERRORS:
        path = os.path.join(testdir, "bad", name + ".yaml")
        docs = load(path)
        refused = any(not validator.is_valid(d) for d in docs[:1])
        result(refused, "the schema refuses tests/bad/%s.yaml" % name)
    print("1..%d" % n)


if __name__ == "__main__":
    main()
