"""Helpers the Python reference stages share: gzip NDJSON in and out (orjson), manifests,
counts files. The references do the same core work as the Swift stages and write the same
records, so the bench can compare them record by record."""
import gzip
import os
import sys
import time

import orjson

# Same as the Swift stages: level 1 between stages.
GZIP_LEVEL = 1


def read_ndjson(path):
    """Yields each parsed line of a gzip NDJSON file."""
    with gzip.open(path, "rb") as f:
        for line in f:
            if line.strip():
                yield orjson.loads(line)


def read_json_lines(path):
    """Yields (line number, parsed line) of each non-blank line of a plain JSON-lines file."""
    with open(path, "rb") as f:
        for number, line in enumerate(f, 1):
            if line.strip():
                yield number, orjson.loads(line)


class NDJSONWriter:
    """Gzip NDJSON written to a temporary file and renamed into place on commit()."""

    def __init__(self, path):
        self.path = path
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        self.tmp = path + ".tmp-py"
        self.file = gzip.open(self.tmp, "wb", compresslevel=GZIP_LEVEL)
        self.buffer = []
        self.count = 0

    def write(self, obj):
        self.buffer.append(orjson.dumps(obj))
        self.count += 1
        if len(self.buffer) >= 4096:
            self.flush()

    def flush(self):
        if self.buffer:
            self.file.write(b"\n".join(self.buffer) + b"\n")
            self.buffer.clear()

    def commit(self):
        self.flush()
        self.file.close()
        os.replace(self.tmp, self.path)


def read_manifest(path):
    """(entry, absolute path) for each payload of a fetch manifest."""
    folder = os.path.dirname(path)
    return [(e, os.path.join(folder, e["path"])) for e in read_ndjson(path)]


def counts_path(output):
    base = output
    for suffix in (".ndjson.gz", ".gz", ".csv", ".html"):
        if base.endswith(suffix):
            base = base[: -len(suffix)]
            break
    return base + ".counts.json"


def write_counts(output, stage, input=0, output_count=0, rejected=0, merged=0, excluded=0, reasons=None):
    obj = {"stage": stage, "input": input, "output": output_count, "rejected": rejected, "merged": merged,
           "excluded": excluded, "reject_reasons": dict(sorted((reasons or {}).items()))}
    with open(counts_path(output), "wb") as f:
        f.write(orjson.dumps(obj) + b"\n")


class Stage:
    """Times a stage and prints the same kind of one-line summary as the Swift stages."""

    def __init__(self, name):
        self.name = name
        self.start = time.perf_counter()

    def done(self, **counts):
        parts = ", ".join(f"{k} {v:,}" for k, v in counts.items())
        print(f"{self.name} (python): {parts} ({time.perf_counter() - self.start:.1f} s)", file=sys.stderr)


# Unicode White_Space: what Swift's Character/Unicode.Scalar.Properties.isWhitespace test.
WHITESPACE = frozenset("\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                       "\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
WHITESPACE_STR = "".join(sorted(WHITESPACE))


def is_invisible_format(o):
    """TextNormalizer.isInvisibleFormat: zero-width characters, bidirectional marks, embeddings,
    overrides and isolates, and the byte-order mark."""
    return 0x200B <= o <= 0x200F or 0x202A <= o <= 0x202E or 0x2066 <= o <= 0x2069 or o == 0xFEFF


INVISIBLE_FORMAT = {o: None for o in range(0x2000, 0x2070) if is_invisible_format(o)}
INVISIBLE_FORMAT[0xFEFF] = None


def removing_invisible_format(s):
    return s if s.isascii() else s.translate(INVISIBLE_FORMAT)


def trim(s):
    return s.strip(WHITESPACE_STR)


def split_whitespace(s, is_space=WHITESPACE.__contains__):
    """Like Swift's split(whereSeparator: \\.isWhitespace): no empty pieces."""
    out, cur = [], []
    for ch in s:
        if is_space(ch):
            if cur:
                out.append("".join(cur))
                cur = []
        else:
            cur.append(ch)
    if cur:
        out.append("".join(cur))
    return out


def string_value(v):
    """JSONValue.stringValue: strings, and numbers printed as the Swift side prints them."""
    if isinstance(v, str):
        return v
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            return "null"
        if v == int(v) and abs(v) < 1e15:
            return str(int(v))
        return repr(v)
    return None


def model_year(m):
    """A model record's publication year (ModelRecord.year: the first four digits of its date)."""
    d = m.get("publication_date")
    if d is None or len(d) < 4:
        return None
    try:
        return int(d[:4])
    except ValueError:
        return None
