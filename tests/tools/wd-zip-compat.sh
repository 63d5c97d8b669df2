#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# wd-zip against gzip: every gzip flag wd-zip takes, run by both programs
# on copies of the same files. For each case the exit status, the files
# left behind (names, contents - compressed ones after decompression - gzip
# header name/time fields, mode, mtime), stdout (decompressed if compressed)
# and whether stderr is empty must match.
. "${srcdir:-.}/wd-zip-lib.sh"

# One set of inputs, copied fresh for every case.
mkdir fix && cd fix || exit 1
gen_text 100000 > a
cp a c
gen_text 30000 | tr a-z A-Z > y
gen_random 50000 > b
: > e
printf x > o
printf 'minus\n' > ./-x
gzip -c a > a.gz
gzip -c y > y.gz
rm y
cp c orig
touch -d '2019-05-06 07:08:09' orig
gzip -N -c orig > x.gz
rm orig
{ gzip -c a; gzip -c o; gzip -c e; } > m.gz
{ cat a.gz; printf 'trailing garbage'; } > garb.gz
{ cat a.gz; head -c 10 /dev/zero; } > zero.gz
head -c 3000 a.gz > trunc.gz
python3 - <<'PY'
d = bytearray(open("a.gz", "rb").read())
c = bytearray(d); c[len(c) // 2] ^= 0xff; open("corrupt.gz", "wb").write(c)
c = bytearray(d); c[-8] ^= 1; open("crc.gz", "wb").write(c)
c = bytearray(d); c[-4] ^= 1; open("len.gz", "wb").write(c)
PY
printf 'this is not gzip data\n' > notgz.gz
gzip -S .foo -c c > c.foo
gzip -c y > t.tgz 2>/dev/null || true
mkdir -p sub/deeper
gen_text 2000 > sub/f1
gen_text 3000 > sub/deeper/f2
gzip -c sub/f1 > sub/already.gz
ln -s a lnk
gen_text 4000 > hl
ln hl hl2
chmod 640 c
touch -d '2021-02-03 04:05:06' a c b e o hl sub/f1 sub/deeper/f2 ./-x
cd .. || exit 1

# header FILE: gzip header fields a tool chooses (flags, mtime, name).
header() {
	python3 - "$1" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
if d[:2] != b"\x1f\x8b":
    sys.exit(0)
flags, mtime = d[3], struct.unpack("<I", d[4:8])[0]
name = b""
if flags & 8:
    i = 10
    if flags & 4:
        i += 2 + d[10] + 256 * d[11]
    name = d[i:d.index(b"\0", i)]
print(flags & 0x1e, mtime, name)
PY
}

# same_data A B: equal bytes, or both gzip data that decompress equally.
same_data() {
	cmp -s "$1" "$2" && return 0
	gzip -dc < "$1" > "$T/d1" 2>/dev/null || return 1
	gzip -dc < "$2" > "$T/d2" 2>/dev/null || return 1
	cmp -s "$T/d1" "$T/d2" || return 1
	[ "$(header "$1")" = "$(header "$2")" ]
}

# case ARGS [STDIN]: run 'gzip ARGS' and 'wd-zip ARGS' and compare.
case_() {
	args=$1 input=${2:-/dev/null}
	for tool in gzip wdz; do
		rm -rf "$tool" && cp -a fix "$tool"
		prog=gzip
		[ $tool = wdz ] && prog=$Z
		(cd $tool && eval "\"$prog\" $args" < "$input" > ../$tool.out 2> ../$tool.err)
		echo $? > $tool.rc
	done
	what="'$args'"
	[ "$(cat gzip.rc)" = "$(cat wdz.rc)" ] ||
		{ fail "$what: exit $(cat wdz.rc), gzip $(cat gzip.rc)"; cat wdz.err; }
	(cd gzip && find . | sort) > gzip.ls
	(cd wdz && find . | sort) > wdz.ls
	cmp -s gzip.ls wdz.ls ||
		fail "$what: files differ: $(diff gzip.ls wdz.ls | grep '^[<>]' | tr '\n' ' ')"
	for f in $(cd gzip && find . -type f); do
		[ -f "wdz/$f" ] || continue
		same_data "gzip/$f" "wdz/$f" || fail "$what: $f differs"
		[ "$(stat -c '%a %Y' "gzip/$f")" = "$(stat -c '%a %Y' "wdz/$f")" ] ||
			fail "$what: $f mode/mtime $(stat -c '%a %Y' "wdz/$f"), gzip $(stat -c '%a %Y' "gzip/$f")"
	done
	same_data gzip.out wdz.out || fail "$what: stdout differs"
	{ [ -s gzip.err ] && [ -s wdz.err ]; } || { [ ! -s gzip.err ] && [ ! -s wdz.err ]; } ||
		fail "$what: stderr '$(cat wdz.err)', gzip '$(cat gzip.err)'"
	ok
}

# Compression
for args in "c" "-k c" "-c c" "-1 c" "-9 c" "--fast c" "--best -k c" \
	"-n c" "-N c" "--no-name c" "--name c" "c b e o" "-c c b" "-v c" \
	"--verbose c" "-q c" "--quiet a" "a" "-f a" "--force a" "a.gz" "-q a.gz" \
	"-S .foo c" "--suffix=.foo c" "-S .gz c" "-r sub" "--recursive sub" \
	"sub" "-q sub" "nonexist" "c nonexist e" "lnk" "-f lnk" "-c lnk" "hl" \
	"-f hl" "-- -x" "--stdout --keep c" "--keep c" "-kc c" "-ck1 c" "-c -- -x" \
	"-a c" "--ascii -c c" "-aq c" "--synchronous c" "--rsyncable c" \
	"--rsyncable -c b"; do
	case_ "$args"
done
case_ "" c
case_ "-c -" c
case_ "-c - c" y.gz
case_ "-n" c
# Decompression, test, list
for args in "-d y.gz" "-dk y.gz" "-dc y.gz" "--decompress y.gz" \
	"--uncompress --keep y.gz" "-d a.gz" "-df a.gz" "-dc m.gz" "-d m.gz" \
	"-t y.gz" "-tv y.gz" "--test m.gz" "-t trunc.gz" "-t y.gz crc.gz m.gz" \
	"-dN x.gz" "-dn x.gz" "-d x.gz" "-d --name x.gz" "-dc garb.gz" \
	"-d garb.gz" "-dq garb.gz" "-dc zero.gz" "-d trunc.gz" "-d corrupt.gz" \
	"-d crc.gz" "-d len.gz" "-d notgz.gz" "-dcf notgz.gz" "-d c" "-dq c" \
	"-d -S .foo c.foo" "-dr sub" "-d t.tgz" "-d e" "-l y.gz" \
	"-l y.gz x.gz" "--list a.gz" "-l notgz.gz" "-dc y.gz a.gz" "-dv y.gz" \
	"-d y" "-t y" "-l y" "-dc y a" "-d nonexist" "-t nonexist" \
	"-d -S .foo c" "-d sub/already"; do
	case_ "$args"
done
case_ "-d" y.gz
case_ "-dc -" m.gz
case_ "-dc" garb.gz
case_ "-d" trunc.gz
case_ "-dc" notgz.gz
case_ "-dcf" notgz.gz
# Usage
case_ "--bogus c"
case_ "-S '' c"

# A terminal: compressed data is neither written to nor read from one.
if command -v script >/dev/null; then
	for prog in gzip "$Z"; do
		script -qec "$prog < /dev/null" /dev/null > tty.out 2>&1
		echo $? >> tty.rc
		script -qec "$prog -d" /dev/null < /dev/null > tty.out 2>&1
		echo $? >> tty.rc
		script -qec "$prog -f < fix/c | gzip -dc | cmp - fix/c" /dev/null > tty.out 2>&1
		echo $? >> tty.rc
	done
	[ "$(tr '\n' ' ' < tty.rc)" = "1 1 0 1 1 0 " ] ||
		fail "terminal refusal: exit codes $(tr '\n' ' ' < tty.rc) (gzip first)"
	ok
else
	fail "script(1) is needed to test terminal handling"
fi

# Messages go to stderr only and say who speaks.
(cd wdz && "$Z" -v -k c 2> ../err > ../out)
[ ! -s out ] || fail "-v wrote to stdout"
grep -q '^c:.*%.*replaced\|^c:.*created' err || fail "-v message: $(cat err)"
grep -q 'engine' err || fail "-v does not name the engine: $(cat err)"
# -cv and -cvk: gzip's words for a file written to stdout; ratios differ
for o in -cv -cvk; do
	rm -rf gzip && cp -a fix gzip
	(cd gzip && gzip $o c 2> ../err.gz > /dev/null)
	(cd wdz && "$Z" $o c 2> ../err > /dev/null)
	w=$(sed 's/[0-9.]*%//; s/ \[.*//' err)
	g=$(sed 's/[0-9.]*%//' err.gz)
	[ "$w" = "$g" ] || fail "$o message: '$(cat err)' (gzip: '$(cat err.gz)')"
done
"$Z" nonexist 2> err
grep -q '^wd-zip: nonexist: No such file or directory$' err || fail "error message: $(cat err)"
ok
"$Z" -d nonexist 2> err
grep -q '^wd-zip: nonexist.gz: No such file or directory$' err || fail "-d message: $(cat err)"
"$Z" -L | grep -q 'GPL-2.0' || fail "--license"
"$Z" --version | grep -q '^wd-zip ' || fail "--version"
"$Z" --help | grep -q -- '--engine' || fail "--help"
ok
finish
