# Two lockstep --json runs took the same steps with the same effects
# (tests/pycompile.sh: a .py file and its --dump).  What only the
# processes of one run can have is left out: pids (a start event's value
# is its pid), the manager's pid, the replay line and the scenario's id
# (they name the file).
import json
import sys


def events(path):
    out = []
    for line in open(path):
        e = json.loads(line)
        e.pop('pid', None)
        if e.get('event') == 'start':
            e.pop('value', None)
            e.pop('says', None)
        if e.get('type') == 'summary':
            e.pop('replay', None)
            e.pop('scenario', None)
            e.get('manager', {}).pop('pid', None)
        out.append(e)
    return out


a, b = events(sys.argv[1]), events(sys.argv[2])
if a != b or not a:
    for x, y in zip(a, b):
        if x != y:
            print('first difference:\n  %s\n  %s' % (x, y))
            break
    else:
        print('%d events against %d' % (len(a), len(b)))
    sys.exit(1)
