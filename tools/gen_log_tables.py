#!/usr/bin/env python3
"""Prints the tables and constants of include/logistic/detail/log1p_core.hpp.

The core reduces v = 2^k z, z in [OFF, 2 OFF), and splits [OFF, 2 OFF) into N
intervals by the leading mantissa bits of v - OFF (in bit space: equal widths
below 1 and twice as wide above). For interval j, invc[j] = RN(2 / (lo + hi))
makes r = z invc - 1 as small as it can be; the interval that holds 1 is
centred on it (OFF is chosen so) and gets invc = 1, so that r = z - 1 exactly
there. logc[j] = -log(invc[j]) is split into hi + lo with hi on a grid of
2^-G (G = 16 float, 42 double) so that k ln2_hi + logc_hi is exact for every
exponent k the callers produce (|k| < 2^8 float, 2^11 double).

Every value is computed with 200-bit mpmath arithmetic and rounded to nearest.
Run: /usr/bin/python3 tools/gen_log_tables.py   (needs python3-mpmath)
"""
import struct
from mpmath import mp, mpf, log, ldexp, nint

mp.prec = 200


def rn(x, fmt):
    if fmt == "f":
        return mpf(struct.unpack("<f", struct.pack("<f", float(x)))[0]) if abs(x) > 1e-30 else mpf(0)
    return mpf(float(x))


def exact_rn(x, bits):
    from mpmath import frexp, floor
    if x == 0:
        return mpf(0)
    m, e = frexp(x)
    s = ldexp(m, bits)
    r = floor(s)
    f = s - r
    if f > 0.5 or (f == 0.5 and int(r) % 2 == 1):
        r += 1
    return ldexp(mpf(r), e - bits)


def from_bits(b, fmt):
    if fmt == "f":
        return mpf(struct.unpack("<f", struct.pack("<I", b))[0])
    return mpf(struct.unpack("<d", struct.pack("<Q", b))[0])


def hexf(x, fmt):
    m, e = float(x).hex().split("p")
    m = m.rstrip("0").rstrip(".") if "." in m else m
    return m + "p" + e + ("f" if fmt == "f" else "")


def gen(fmt, N, off_bits):
    mant = 23 if fmt == "f" else 52
    prec = 24 if fmt == "f" else 53
    grid = 16 if fmt == "f" else 42
    shift = mant - (N.bit_length() - 1)
    ln2 = log(2)
    print(f"// {'float' if fmt == 'f' else 'double'}, N = {N}, OFF = {hexf(from_bits(off_bits, fmt), fmt)} "
          f"(bits {off_bits:#x})")
    ln2_hi = ldexp(nint(ldexp(ln2, grid)), -grid)
    ln2_lo = exact_rn(ln2 - ln2_hi, prec)
    print(f"ln2_hi = {hexf(ln2_hi, fmt)}, ln2_lo = {hexf(ln2_lo, fmt)}")
    invc, hi, lo = [], [], []
    rmax = mpf(0)
    for j in range(N):
        zlo = from_bits(off_bits + (j << shift), fmt)
        zhi = from_bits(off_bits + ((j + 1) << shift), fmt) if j < N - 1 else 2 * from_bits(off_bits, fmt)
        if zlo <= 1 < zhi:
            c = mpf(1)
        else:
            c = exact_rn(2 / (zlo + zhi), prec)
        rmax = max(rmax, abs(zlo * c - 1), abs(zhi * c - 1))
        lc = -log(c)
        h = ldexp(nint(ldexp(lc, grid)), -grid)
        invc.append(c)
        hi.append(h)
        lo.append(exact_rn(lc - h, prec))
    print(f"// max |r| = {float(rmax):.6f}")
    print("invc   = {" + ", ".join(hexf(x, fmt) for x in invc) + "};")
    print("logc_hi = {" + ", ".join(hexf(x, fmt) for x in hi) + "};")
    print("logc_lo = {" + ", ".join(hexf(x, fmt) for x in lo) + "};")
    print()


if __name__ == "__main__":  # tools/gen_log1p_unit_tables.py imports the helpers
    gen("f", 16, 0x3F340000)          # OFF = 1 - 9.5/32 = 0.703125
    gen("f", 8, 0x3F380000)           # OFF = 1 - 4.5/16 = 0.71875
    gen("d", 8, 0x3FE7000000000000)   # OFF = 0.71875
