#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# wd-zip's software path makes output no larger than pigz at the same level,
# at every level 1-9, on a generated mixed corpus (prose, C-like source, CSV
# logs, binary records, machine-code-like bytes, noise, and the benchmark's
# few-word text, on which libdeflate's middle levels lose to zlib's); and
# every output reads back with gzip -d. Same threads (-p 2), input on stdin
# (no name in either header). Sizes only: no timing here (the speed is
# tests/bench/wd-zip-vs-pigz's to print).
. "${srcdir:-.}/wd-zip-lib.sh"
need pigz

python3 - 6000000 > corpus <<'PY'
import random, struct, sys
r = random.Random(6)
n = int(sys.argv[1])
vocab = ["".join(r.choice("etaoinshrdlucmfwypvbgkjqxz"[:r.randint(8, 26)])
                 for _ in range(r.randint(2, 10))) for _ in range(3000)]
weights = [1.0 / (i + 1) for i in range(len(vocab))]
idents = r.sample(vocab, 200)
few = ("the of and to in is that for it as was with be by on not he this are or "
       "his from at which but have an they you were her she there been one all we "
       "queue device engine compress block stream window kernel memory buffer").split()

def lines(k, make):
    s, size = [], 0
    while size < k:
        t = make()
        s.append(t)
        size += len(t)
    return "".join(s).encode()[:k]

def prose(k):
    return lines(k, lambda: " ".join(r.choices(vocab, weights, k=r.randint(5, 20))).capitalize()
                 + r.choice(".,;!?") + ("\n" if r.random() < 0.3 else " "))

def few_words(k):
    return lines(k, lambda: " ".join(r.choice(few) for _ in range(r.randint(4, 16))).capitalize() + ".\n")

def source(k):
    def line():
        x = r.random()
        if x < 0.2:
            return "\tif (%s %s %d) {\n" % (r.choice(idents), r.choice(["==", "!=", "<"]), r.randint(0, 4096))
        if x < 0.35:
            return "\t}\n"
        if x < 0.85:
            return "\t%s = %s(%s, %d);\n" % (r.choice(idents), r.choice(idents), r.choice(idents), r.randint(0, 255))
        return "\t/* %s */\n" % " ".join(r.choices(vocab, weights, k=r.randint(3, 9)))
    return lines(k, line)

def logs(k):
    t = [1700000000]
    def line():
        t[0] += r.randint(0, 3)
        return "%d,%s,%d,%.6f,%s\n" % (t[0], r.choice(idents), r.randint(1, 65535), r.random(),
                                       r.choice(["ok", "fail", "retry"]))
    return lines(k, line)

def records(k):
    b = bytearray()
    while len(b) < k:
        b += struct.pack("<IIHHfq", r.randint(0, 1000), len(b), r.randint(0, 15), 0x8000,
                         r.random() * 100, r.randint(-2**20, 2**20))
    return bytes(b[:k])

ops = [bytes(r.randrange(256) for _ in range(r.randint(1, 4))) for _ in range(300)]
def code(k):
    b = bytearray()
    while len(b) < k:
        b += r.choice(ops)
        if r.random() < 0.4:
            b += struct.pack("<i", r.choice([r.randint(-128, 127), r.randint(0, 1 << 20)]))
    return bytes(b[:k])

def noise(k):
    return bytes(r.getrandbits(8) for _ in range(k))

kinds = [(prose, 25), (few_words, 20), (source, 15), (logs, 10), (records, 8), (code, 20), (noise, 2)]
out = bytearray()
while len(out) < n:
    f = r.choices([k for k, _ in kinds], [w for _, w in kinds])[0]
    out += f(r.randint(16384, 262144))
sys.stdout.buffer.write(bytes(out[:n]))
PY
[ "$(wc -c < corpus)" -eq 6000000 ] || fail "the corpus was not generated"

for l in 1 2 3 4 5 6 7 8 9; do
	pigz -p 2 -$l < corpus > p.gz || fail "pigz -$l"
	"$Z" --engine=sw -p 2 -$l < corpus > w.gz || fail "wd-zip -$l"
	p=$(wc -c < p.gz)
	w=$(wc -c < w.gz)
	echo "-$l: pigz $p bytes, wd-zip $w bytes"
	[ "$w" -le "$p" ] || fail "-$l: wd-zip made $w bytes, pigz $p"
	ok
	gzip -dc w.gz > back 2> err || fail "gzip -d of wd-zip -$l: $(cat err)"
	same_file back corpus "gzip -d of wd-zip -$l"
done
finish wd-zip-ratio
