# Flattens the plain-path render answers of the conformance set into tab-separated lines for
# ConformanceStorageTest: "Q id from until target..." then per series "S name" and "P ts value|null".
import json
import sys

d = sys.argv[1]
for line in open(d + '/queries.jsonl'):
    q = json.loads(line)
    p = q['params']
    if q['path'] != '/render' or 'maxDataPoints' in p:
        continue
    ts = p.get('target')
    if ts is None:
        continue
    ts = ts if isinstance(ts, list) else [ts]
    if any('(' in x for x in ts) or not p.get('from', '').isdigit() or not p.get('until', '').isdigit():
        continue
    g = json.load(open(d + '/golden/' + q['id'] + '.json'))
    if g['status'] != 200:
        continue
    print('Q', q['id'], p['from'], p['until'], '\t'.join(ts), sep='\t')
    for s in g['body']:
        print('S', s['target'], sep='\t')
        for v, t in s['datapoints']:
            print('P', t, 'null' if v is None else repr(float(v)), sep='\t')
