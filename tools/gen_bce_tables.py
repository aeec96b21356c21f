#!/usr/bin/env python3
"""Prints the piecewise-polynomial tables of include/logistic/detail/bce_kernels.hpp.

For z = |x| in [0, 15.75], piece k = round(2z) (k = 0..31) and u = 2z - k in
[-1/2, 1/2] (piece 0: [0, 1/2]). On each piece, log1p(e^-z) and sigma(-z) =
1 / (1 + e^z) are interpolated by a degree-5 polynomial in u at the 6
Chebyshev nodes of the piece; c0 is kept as two floats (hi + lo), c1..c5 as
one. Python 3 standard library only (double arithmetic is enough for
coefficients that are rounded to float). Also reports, per function, the
largest relative error of the float evaluation over 4001 points per piece,
emulating bce_kernels.hpp's evaluation (fused Horner steps, one final
rounding).

Usage: python3 tools/gen_bce_tables.py
"""
import math
import struct

PIECES = 32
DEGREE = 5


def rf(v):
    """v rounded to the nearest float."""
    return struct.unpack('f', struct.pack('f', v))[0]


def solve(a, b):
    """Gauss-Jordan elimination with partial pivoting: a x = b."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(n):
            if r != col:
                f = m[r][col] / m[col][col]
                for c in range(col, n + 1):
                    m[r][c] -= f * m[col][c]
    return [m[i][n] / m[i][i] for i in range(n)]


def fit(g):
    """Per piece: [c0_hi, c0_lo, c1, ..., c5] as floats."""
    table = []
    for k in range(PIECES):
        lo = -0.5 if k else 0.0
        nodes = [(lo + 0.5) / 2 + (0.5 - lo) / 2 * math.cos(math.pi * (2 * i + 1) / 12)
                 for i in range(DEGREE + 1)]
        c = solve([[u ** i for i in range(DEGREE + 1)] for u in nodes],
                  [g((k + u) / 2) for u in nodes])
        c0_hi = rf(c[0])
        table.append([c0_hi, rf(c[0] - c0_hi)] + [rf(v) for v in c[1:]])
    return table


def evaluate(coef, u):
    """As bce_piecewise_parts: Horner by fused multiply-adds (a float product
    is exact in double, so one rounding to float per step, up to a double
    rounding that does not matter here), then c0_hi + rest rounded once."""
    q = coef[-1]
    for c in reversed(coef[1:-1][1:]):
        q = rf(q * u + c)
    rest = rf(q * u + coef[1])
    return rf(coef[0] + rest)


def max_relative_error(g, table):
    worst = 0.0
    for k in range(PIECES):
        lo = -0.5 if k else 0.0
        for i in range(4001):
            u = rf(lo + (0.5 - lo) * i / 4000)
            exact = g((k + u) / 2)
            worst = max(worst, abs(evaluate(table[k], u) - exact) / exact)
    return worst


def print_table(name, g):
    table = fit(g)
    print(f'// {name}: max relative error of the float evaluation '
          f'2^{math.log2(max_relative_error(g, table)):.2f}')
    labels = ['c0_hi', 'c0_lo'] + [f'c{i}' for i in range(1, DEGREE + 1)]
    for j, label in enumerate(labels):
        values = [float.hex(table[k][j]) for k in range(PIECES)]
        print(f'{label}: ' + ', '.join(values))


if __name__ == '__main__':
    print_table('log1p(e^-z)', lambda z: math.log1p(math.exp(-z)))
    print_table('sigma(-z)', lambda z: 1 / (1 + math.exp(z)))
