#!/usr/bin/env python3
"""Prints the tables and reduction constants of include/logistic/detail/exp_tables.hpp.

Every value is computed here with 200-bit mpmath arithmetic and then rounded to
nearest in the working type, so none of it comes from the library itself.
Run: /usr/bin/python3 tools/gen_exp_tables.py   (needs python3-mpmath)
"""
import struct
from mpmath import mp, mpf, log, ldexp, frexp, floor

mp.prec = 200


def round_to(x, bits):
    """x rounded to nearest-even with `bits` significant bits (exact mpf)."""
    if x == 0:
        return mpf(0)
    m, e = frexp(x)  # x = m * 2^e, 0.5 <= |m| < 1
    scaled = ldexp(m, bits)
    r = floor(scaled)
    frac = scaled - r
    if frac > 0.5 or (frac == 0.5 and int(r) % 2 == 1):
        r += 1
    return ldexp(mpf(r), e - bits)


def f32(x):
    return round_to(x, 24)


def f64(x):
    return round_to(x, 53)


def bits32(x):
    return struct.unpack("<I", struct.pack("<f", float(x)))[0]


def bits64(x):
    return struct.unpack("<Q", struct.pack("<d", float(x)))[0]


def hexf(x):
    return float(x).hex()


def table(N, rnd, bits, mant, name):
    b = N.bit_length() - 1
    print(f"// {name}: 2^(-j/{N}) = T_hi[j] * (1 + tau[j]); entry = bits(T_hi[j]) + (j << {mant - b})")
    adj, tau = [], []
    for j in range(N):
        t = mpf(2) ** (mpf(-j) / N)
        hi = rnd(t)
        adj.append((bits(hi) + (j << (mant - b))) % (1 << (32 if mant == 23 else 64)))
        tau.append(rnd((t - hi) / hi))
    w = 8 if mant == 23 else 16
    print("  entries: " + ", ".join(f"0x{a:0{w}X}" for a in adj))
    print("  tau:     " + ", ".join(hexf(t) for t in tau))


def table_up(N, rnd, name):
    """AVX-512 float core: 2^(j/N) = T[j] * (1 + tau[j]), read by scalef's caller."""
    print(f"// {name}: 2^(j/{N}) = up[j] * (1 + tau_up[j])")
    up = [rnd(mpf(2) ** (mpf(j) / N)) for j in range(N)]
    tau = [rnd((mpf(2) ** (mpf(j) / N) - u) / u) for j, u in enumerate(up)]
    print("  up:     " + ", ".join(hexf(u) for u in up))
    print("  tau_up: " + ", ".join(hexf(t) for t in tau))


def reduction(N, rnd, prec, nbits, name):
    L = log(2) / N
    hi = rnd(L)
    lo = rnd(L - hi)
    hi_short = round_to(L, prec - nbits)  # n * hi_short exact for n < 2^nbits
    lo_short = rnd(L - hi_short)
    print(f"// {name}: N/ln2 = {hexf(rnd(N / log(2)))}")
    print(f"//   ln2/N (fused):     hi = {hexf(hi)}, lo = {hexf(lo)}")
    print(f"//   ln2/N (unfused, n < 2^{nbits}): hi = {hexf(hi_short)}, lo = {hexf(lo_short)}")


table_up(16, f32, "float, N = 16 (AVX-512, scalef)")
table(8, f32, bits32, 23, "float, N = 8")
table(8, f64, bits64, 52, "double, N = 8")
print(f"// float, N = 16 (AVX-512): -1/ln2 = {hexf(f32(-1 / log(2)))}, ln2: hi = {hexf(f32(log(2)))}, "
      f"lo = {hexf(f32(log(2) - f32(log(2))))}")
reduction(8, f32, 24, 12, "float, N = 8")
reduction(8, f64, 53, 14, "double, N = 8")


def fast_avx512_table():
    """The fast tier's float AVX-512 kernel (sigmoid_kernels.hpp): 4 * 2^(j/32)."""
    print("// fast tier, float AVX-512: t4[j] = 4 * 2^(j/32)")
    print("  t4: " + ", ".join(hexf(f32(4 * mpf(2) ** (mpf(j) / 32))) for j in range(32)))
    print(f"//   -1/ln2 = {hexf(f32(-1 / log(2)))}, ln2: hi = {hexf(f32(log(2)))}, "
          f"lo = {hexf(f32(log(2) - f32(log(2))))}")


fast_avx512_table()
