"""The statistics the aggregate reference needs, written the way DivideStats computes them so the
numbers agree to the last bit: Wilson interval, type-7 quantile, OLS slope, SplitMix64 bootstrap."""
import math

Z95 = 1.959963984540054
MASK = (1 << 64) - 1


def wilson(successes, trials, z=Z95):
    if trials == 0:
        return 0.0, 0.0, 1.0
    n = float(trials)
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    return p, max(0.0, centre - half), min(1.0, centre + half)


def quantile(values, p):
    s = sorted(values)
    if not s:
        return math.nan
    h = (len(s) - 1) * p
    lo = math.floor(h)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (h - lo) * (s[hi] - s[lo])


def ols_slope(x, y):
    n = len(x)
    if n < 2:
        return None
    mx = sum(x) / n
    my = sum(y) / n
    sxx = sxy = 0.0
    for i in range(n):
        dx = x[i] - mx
        sxx += dx * dx
        sxy += dx * (y[i] - my)
    if not sxx > 0:
        return None
    return sxy / sxx


def swift_sum(values):
    """reduce(0, +): left to right, no compensated summation (Python's sum() is also plain)."""
    total = 0.0
    for v in values:
        total += v
    return total


class SplitMix64:
    """The seeded generator of DivideStats (SplitMix64): the bootstraps and the name model's shuffle."""

    def __init__(self, seed):
        self.state = seed

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)


def bootstrap_slope(x, y, level=0.9, replicates=2000, seed=20240101):
    n = len(x)
    if n < 3:
        return None
    rng = SplitMix64(seed)
    slopes = []
    bx = [0.0] * n
    by = [0.0] * n
    for _ in range(replicates):
        for i in range(n):
            j = rng.next() % n
            bx[i] = x[j]
            by[i] = y[j]
        s = ols_slope(bx, by)
        if s is not None:
            slopes.append(s)
    if not slopes:
        return None
    return quantile(slopes, (1 - level) / 2), quantile(slopes, (1 + level) / 2)


def round_half_away(x, places):
    """Swift's (x * 10^places).rounded() / 10^places; None for non-finite."""
    if not math.isfinite(x):
        return None
    scale = math.pow(10.0, places)
    v = x * scale
    r = math.floor(v + 0.5) if v >= 0 else -math.floor(-v + 0.5)
    if abs(v - math.trunc(v)) != 0.5 and abs(r - v) > 0.5:  # guard the +0.5 carry at huge values
        r = round(v)
    return r / scale
