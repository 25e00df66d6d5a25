"""Message contents that prove what arrived, as in the C++ harness: every message carries its sequence
number and a checksum of its body, and the receiver checks both, so a lost, reordered, duplicated or
corrupted message fails loudly instead of showing up as a speed."""
import os
import zlib

HEADER = 16
VARIANTS = 8


class PayloadError(Exception):
    pass


class Source:
    """Makes the message for a sequence number; bodies are random and made once."""

    def __init__(self, size):
        if size < HEADER:
            raise ValueError(f"Python messages need at least {HEADER} bytes, got {size}")
        self.size = size
        self.bodies = [os.urandom(size - HEADER) for _ in range(VARIANTS)]
        self.sums = [zlib.crc32(b) for b in self.bodies]

    def stamp(self, seq):
        i = seq % VARIANTS
        check = self.sums[i] ^ (seq & 0xFFFFFFFF)
        return seq.to_bytes(8, "little") + check.to_bytes(8, "little") + self.bodies[i]


def verify(msg, seq, size):
    if len(msg) != size:
        raise PayloadError(f"message {seq}: {len(msg)} bytes arrived, expected {size}")
    got = int.from_bytes(msg[:8], "little")
    if got != seq:
        raise PayloadError(f"message {seq}: sequence number {got} arrived (lost, reordered or duplicated)")
    if zlib.crc32(msg[HEADER:]) ^ (seq & 0xFFFFFFFF) != int.from_bytes(msg[8:16], "little"):
        raise PayloadError(f"message {seq}: checksum mismatch (corrupted)")
