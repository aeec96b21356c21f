#!/usr/bin/env python3
"""Prints the tables of include/logistic/detail/log1p_unit_core.hpp.

The core computes log1p(a) for a in [0, 1] (a = e^-|x| in softplus,
log-sigmoid and the BCE loss). Piece j = round(lambda a), lambda = N - 1 + 7/16
(so that a = 1 rounds to N - 1, and j never reaches N), holds
a in [(j - 1/2) / lambda, (j + 1/2) / lambda]; its centre in v = 1 + a is
c = 1 + j / lambda, and invc[j] = RN(1 / c) makes r = (1 + a) invc - 1 small.
Piece 0 has invc = 1 exactly, so that r = a there. logc[j] = -log(invc[j])
is split into hi + lo (both rounded to nearest); no exponent enters, so hi
needs no short grid.

Every value is computed with 200-bit mpmath arithmetic and rounded to nearest.
The range of r it prints is what tools/fit_log1p_poly.sollya fits over.
Run: /usr/bin/python3 tools/gen_log1p_unit_tables.py   (needs python3-mpmath)
"""
import os
import sys

from mpmath import mp, mpf, log

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_log_tables import exact_rn as rn  # noqa: E402  (x rounded to `bits` bits, ties to even)

mp.prec = 200


def hexf(x, fmt):
    if x == 0:
        return "0x0p+0" + ("f" if fmt == "f" else "")
    m, e = float(x).hex().split("p")
    m = m.rstrip("0").rstrip(".") if "." in m else m
    return m + "p" + e + ("f" if fmt == "f" else "")


def gen(fmt, N):
    prec = 24 if fmt == "f" else 53
    lam = mpf(N - 1) + mpf(7) / 16
    invc, hi, lo = [], [], []
    rmin, rmax = mpf(0), mpf(0)
    for j in range(N):
        a_lo = max(mpf(0), (j - mpf(1) / 2) / lam)
        a_hi = min(mpf(1), (j + mpf(1) / 2) / lam)
        c = mpf(1) if j == 0 else rn(1 / (1 + j / lam), prec)
        for a in (a_lo, a_hi):
            r = (1 + a) * c - 1
            rmin, rmax = min(rmin, r), max(rmax, r)
        lc = -log(c)
        h = rn(lc, prec)
        invc.append(c)
        hi.append(h)
        lo.append(rn(lc - h, prec))
    name = "float" if fmt == "f" else "double"
    print(f"// {name}, N = {N}, lambda = {hexf(lam, fmt)}: r in [{float(rmin):.6f}, {float(rmax):.6f}]")
    print("invc    = {" + ", ".join(hexf(x, fmt) for x in invc) + "};")
    print("logc_hi = {" + ", ".join(hexf(x, fmt) for x in hi) + "};")
    print("logc_lo = {" + ", ".join(hexf(x, fmt) for x in lo) + "};")
    print()


gen("f", 16)
gen("f", 8)
gen("d", 8)
