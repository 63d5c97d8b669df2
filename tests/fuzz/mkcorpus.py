#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""mkcorpus.py - (re)generate the seed corpora in tests/fuzz/corpus/.

Small, hand-made inputs that reach each branch of the gzip member format
(RFC 1952: FTEXT, FHCRC, FEXTRA, FNAME, FCOMMENT, reserved flags, bad
method), trailers (good, bad CRC, bad ISIZE), multi-member files, trailing
zeros and garbage, truncations, and zlib and raw streams for libwd. The
first byte of each input selects the target's mode (see the fuzz-*.c
headers). Deterministic: running it again gives the same files.
"""
import hashlib
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
TEXT = b"WarpDrive fuzz seed: the quick brown fox jumps over the lazy dog.\n" * 8
BIN = bytes((i * 37 + 11) & 0xff for i in range(700))


def deflate_raw(data, level=6):
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def member(data, flags=0, name=None, comment=None, extra=None, hcrc=False,
           method=8, mtime=1700000000, crc=None, isize=None, body=None):
    if name is not None:
        flags |= 0x08
    if comment is not None:
        flags |= 0x10
    if extra is not None:
        flags |= 0x04
    if hcrc:
        flags |= 0x02
    h = struct.pack("<BBBBIBB", 0x1F, 0x8B, method, flags, mtime, 0, 3)
    if extra is not None:
        h += struct.pack("<H", len(extra)) + extra
    if name is not None:
        h += name + b"\0"
    if comment is not None:
        h += comment + b"\0"
    if hcrc:
        h += struct.pack("<H", zlib.crc32(h) & 0xFFFF)
    body = deflate_raw(data) if body is None else body
    crc = zlib.crc32(data) if crc is None else crc
    isize = len(data) & 0xFFFFFFFF if isize is None else isize
    return h + body + struct.pack("<II", crc & 0xFFFFFFFF, isize)


def write(target, mode, blob):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    data = bytes([mode]) + blob
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def gzip_seeds():
    good = member(TEXT, name=b"seed.txt")
    seeds = [
        member(b""),
        good,
        member(BIN, comment=b"a comment", extra=b"AB\x04\x00wxyz"),
        member(TEXT, name=b"n", hcrc=True),
        member(TEXT, name=b"n", hcrc=True)[:-30] ,
        member(TEXT, flags=0x01),
        member(TEXT, flags=0x20),                 # reserved flag
        member(TEXT, method=7),                   # not deflate
        member(TEXT, crc=1),                      # CRC error
        member(TEXT, isize=5),                    # length error
        member(TEXT, name=b"x" * 5000),           # name longer than 4 KiB
        good + member(BIN),                       # two members
        good + member(b"") + member(TEXT[:10]),   # three, one empty
        good + b"\0" * 16,                        # trailing zeros
        good + b"trailing garbage",
        good + b"\x1f",                           # a lone magic byte
        good + b"\x1f\x8b\x08",                   # a cut header
        good[:5], good[:10], good[:-4], good[:-1],
        b"\x1f", b"\x1f\x8b", b"plain text, not gzip",
        member(TEXT, body=zlib.compress(TEXT)[2:-4]),
        member(TEXT, body=b"\x03\x00"),           # empty block, wrong size
    ]
    for s in seeds:
        write("wdzip-gunzip", 0, s)
    for s in (good, b"not gzip at all", good + b"garbage"):
        write("wdzip-gunzip", 2, s)               # -dcf
    for s in (good, good + member(BIN), good[:12], member(TEXT, name=b"y" * 300)):
        write("wdzip-gunzip", 4, s)               # -l
        write("wdzip-gunzip", 5, s)               # -lv


def comp_seeds():
    # byte 0: bits 0-1 format (0 gzip, 1 zlib, 2 raw), bit 2 compress,
    # bits 3+ level; byte 1: piece-size seed
    z = zlib.compress(TEXT)
    r = deflate_raw(TEXT)
    g = member(TEXT, name=b"seed")
    dec = [
        (0, g), (0, g + member(BIN)), (0, g[:-3]), (0, member(TEXT, crc=7)),
        (0, member(TEXT, hcrc=True, comment=b"c")), (0, g + b"x"),
        (1, z), (1, z[:-1]), (1, z[:-4] + b"\0\0\0\0"), (1, z + b"\0"),
        (1, zlib.compress(b"")), (1, b"\x78\xbb" + z[2:]),  # FDICT set
        (2, r), (2, r[:-1]), (2, r + b"tail"), (2, deflate_raw(BIN, 9)),
        (2, b"\x07"),                                        # reserved block type
    ]
    for i, (fmt, blob) in enumerate(dec):
        write("wd-comp", fmt, bytes([i * 13 & 0xff]) + blob)
    for i, (fmt, level) in enumerate(((0, 1), (1, 6), (2, 9), (0, 9))):
        write("wd-comp", fmt | 4 | (level - 1) << 3, bytes([i * 7 + 1]) + TEXT + BIN)
    write("wd-comp", 4, b"\x01")                             # empty input


if __name__ == "__main__":
    gzip_seeds()
    comp_seeds()
