# The lines a lockstep --json run printed, in order: each print event's
# text, then the main process's prints after its joins (tests/pycompile.sh).
import json
import sys

summary = None
for line in sys.stdin:
    e = json.loads(line)
    if e.get('event') == 'print':
        print(e['text'])
    if e.get('type') == 'summary':
        summary = e
for text in (summary or {}).get('printed_after', []):
    print(text)
