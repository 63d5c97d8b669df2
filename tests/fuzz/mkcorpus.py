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


def hw_seeds():
    # byte 0: bits 0-1 format (0 gzip, 1 zlib, 2 raw), bit 2 compress,
    # bits 3-4 mode (0 one-shot, 1 streaming, 2 async); bytes 1-2: data
    # length; then the device's answers, one control byte per request
    # (bits 0-2: kind; 3: random status; 4: end of block; 5-6: a CQE for
    # another slot first; 7: a foreign tag) and that kind's bytes.
    g = member(TEXT, name=b"hw", comment=b"c", extra=b"xy", hcrc=True)
    z = zlib.compress(TEXT)
    r = deflate_raw(TEXT)
    good_end = bytes([0x10, 3]) + bytes(8)       # ok, end of stream
    answers = [
        good_end,
        bytes([0x00, 5]) + bytes(8) + good_end,  # two steps
        bytes([0x04, 2]) + bytes([4]) + bytes(8),  # status 0x0e: no room
        bytes([0x0C, 2, 0x55]) + bytes(8),       # random status
        bytes([0x05, 1]) + b"\xff\xff\xff\xff" * 2 + bytes(8),  # lies
        bytes([0x06, 1, 3]) + bytes(8) + good_end,  # resend
        bytes([0x07, 1, 0x13]) + b"\x00\x10\x00\x00" * 2 + bytes(8),
        bytes([0x70, 1, 0x34, 0x12]) + bytes(8),  # CQE of slot 0x1234 first
        bytes([0xF0, 1]) + bytes(8) + b"\x01\x00\x00\x00",  # foreign tag
    ]
    for fmt, data in ((0, g), (1, z), (2, r), (0, g[:12]), (0, b"\x1f\x8b\x08\xe0")):
        for mode in (0, 1, 2):
            for i, a in enumerate(answers):
                if (i + mode) % 3:
                    continue
                write("hw-cqe", fmt | mode << 3,
                      struct.pack("<H", len(data)) + data + a)
    for mode in (0, 1, 2):
        for a in answers[:4]:
            write("hw-cqe", 4 | mode << 3, struct.pack("<H", len(TEXT)) + TEXT + a)


if __name__ == "__main__":
    gzip_seeds()
    comp_seeds()
    hw_seeds()
