"""Compares a Swift stage output with its Python reference's, record by record.

    python compare.py SWIFT_FILE PYTHON_FILE [--ignore-key K ...]

gzip NDJSON files are compared as parsed JSON values in order, a .json file as one parsed JSON
value (floats equal within a relative 1e-12, since the two languages may print the same double
differently; keys in the same order); other files byte for byte. Prints `equal N records` (or
lines, or `equal 1 value`) or the first difference, and exits 1 on a difference."""
import argparse
import gzip
import math
import sys

import orjson


def same(a, b, path="$"):
    if isinstance(a, bool) or isinstance(b, bool):
        return None if a is b else f"{path}: {a!r} != {b!r}"
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if a == b or (math.isfinite(a) and math.isfinite(b) and abs(a - b) <= 1e-12 * max(abs(a), abs(b))):
            return None
        return f"{path}: {a!r} != {b!r}"
    if type(a) is not type(b):
        return f"{path}: {a!r} != {b!r}"
    if isinstance(a, dict):
        if list(a.keys()) != list(b.keys()):
            return f"{path}: keys {list(a.keys())} != {list(b.keys())}"
        for k in a:
            d = same(a[k], b[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items != {len(b)} items ({str(a)[:200]} vs {str(b)[:200]})"
        for i, (x, y) in enumerate(zip(a, b)):
            d = same(x, y, f"{path}[{i}]")
            if d:
                return d
        return None
    return None if a == b else f"{path}: {str(a)[:300]!r} != {str(b)[:300]!r}"


def lines(path):
    with gzip.open(path, "rb") as f:
        for line in f:
            if line.strip():
                yield line


def without(value, ignore):
    """The value with the --ignore-key members removed when it is an object."""
    if isinstance(value, dict):
        for k in ignore:
            value.pop(k, None)
    return value


def compare(swift, python, ignore):
    if swift.endswith(".json"):
        a, b = (without(orjson.loads(open(f, "rb").read()), ignore) for f in (swift, python))
        d = same(a, b)
        return (f"value: {d}", False) if d else ("equal 1 value", True)
    if not swift.endswith(".gz"):
        a, b = open(swift, "rb").read(), open(python, "rb").read()
        newline = b"\n"
        return (f"equal {a.count(newline)} lines", True) if a == b else ("files differ byte-wise", False)
    n = 0
    sa, pa = lines(swift), lines(python)
    while True:
        la, lb = next(sa, None), next(pa, None)
        if la is None and lb is None:
            return f"equal {n} records", True
        n += 1
        if la is None or lb is None:
            return f"record {n}: {'swift' if la is None else 'python'} output ended first", False
        if la == lb:
            continue
        d = same(without(orjson.loads(la), ignore), without(orjson.loads(lb), ignore))
        if d:
            return f"record {n}: {d}", False


def main():
    p = argparse.ArgumentParser()
    p.add_argument("swift")
    p.add_argument("python")
    p.add_argument("--ignore-key", action="append", default=[])
    a = p.parse_args()
    message, ok = compare(a.swift, a.python, a.ignore_key)
    print(message)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
