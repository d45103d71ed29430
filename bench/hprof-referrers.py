#!/usr/bin/env python3
# Which classes' objects point at the objects of one class, in a heap dump: to find who holds an
# object that a class histogram counts per connection. See bench/README.md, "Idle connections: one
# handler fewer, smaller timers and sessions".
#
#   jcmd <pid> GC.heap_dump /tmp/h.hprof
#   python3 bench/hprof-referrers.py /tmp/h.hprof java/util/ArrayList
#
# Reads the HPROF format the JDK writes (instance fields and object arrays; roots are skipped) and
# prints the count of the target's instances, then the referring classes by number of references.
import struct, sys, collections
if len(sys.argv) != 3:
    raise SystemExit('usage: hprof-referrers.py <heap.hprof> <class, e.g. java/util/ArrayList>')
path, target = sys.argv[1], sys.argv[2]
f = open(path, 'rb').read()
p = f.index(b'\0') + 1
idsize = struct.unpack('>I', f[p:p+4])[0]; p += 12
def rid(o): return int.from_bytes(f[o:o+idsize], 'big')
strings = {}; classname = {}; classes = {}; instances = []
TS = {2: idsize, 4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}
while p < len(f):
    tag = f[p]; ln = struct.unpack('>I', f[p+5:p+9])[0]; body = p + 9; end = body + ln; p = end
    if tag == 0x01:
        strings[rid(body)] = f[body+idsize:end].decode('utf-8', 'replace')
    elif tag == 0x02:
        classname[rid(body+4)] = strings.get(rid(body+8+idsize), '?')
    elif tag in (0x0c, 0x1c):
        q = body
        while q < end:
            st = f[q]; q += 1
            if st == 0xff: q += idsize
            elif st in (0x01,): q += 2*idsize
            elif st in (0x02, 0x03): q += idsize + 8
            elif st == 0x04: q += idsize + 4
            elif st == 0x05: q += idsize
            elif st in (0x06,): q += idsize + 4
            elif st == 0x07: q += idsize
            elif st == 0x08: q += idsize + 8
            elif st == 0x20:
                cid = rid(q); q += idsize
                q += 4; sup = rid(q); q += idsize
                q += 5*idsize; q += 4
                n = struct.unpack('>H', f[q:q+2])[0]; q += 2
                for _ in range(n):
                    q += 2; t = f[q]; q += 1 + TS[t]
                n = struct.unpack('>H', f[q:q+2])[0]; q += 2
                for _ in range(n):
                    q += idsize; t = f[q]; q += 1 + TS[t]
                n = struct.unpack('>H', f[q:q+2])[0]; q += 2
                fields = []
                for _ in range(n):
                    q += idsize; t = f[q]; q += 1; fields.append(t)
                classes[cid] = (sup, fields)
            elif st == 0x21:
                oid = rid(q); q += idsize + 4; cid = rid(q); q += idsize
                n = struct.unpack('>I', f[q:q+4])[0]; q += 4
                instances.append((oid, cid, q, n)); q += n
            elif st == 0x22:
                oid = rid(q); q += idsize + 4
                n = struct.unpack('>I', f[q:q+4])[0]; q += 4; cid = rid(q); q += idsize
                instances.append((oid, -cid, q, n * idsize)); q += n * idsize
            elif st == 0x23:
                q += idsize + 4
                n = struct.unpack('>I', f[q:q+4])[0]; t = f[q+4]; q += 5 + n * TS[t]
            else:
                raise SystemExit('unknown subtag %x' % st)
tcls = {c for c, nm in classname.items() if nm == target}
tobjs = {oid for oid, cid, _, _ in instances if cid in tcls}
counts = collections.Counter()
for oid, cid, q, n in instances:
    if cid < 0:
        for i in range(0, n, idsize):
            if rid(q+i) in tobjs: counts['array ' + classname.get(-cid, '?')] += 1
        continue
    c = cid; off = q
    while c in classes:
        sup, fields = classes[c]
        for t in fields:
            if t == 2 and rid(off) in tobjs: counts[classname.get(cid, '?')] += 1
            off += TS[t]
        c = sup
print(len(tobjs), 'instances of', target)
for k, v in counts.most_common(15): print(v, k)
