#!/usr/bin/env python3
"""Draws the strong-cue sample (issue 15): papers the foundation-models topic model could call
foundation-models, for labelling by hand as more development data for that model.

Population: the dedupe stage's papers whose title, keywords or abstract contain a phrase of a
`strong` foundation-models row of reference/topic-rules.tsv, counted only when the paper's year is
at least the row's from_year (a paper without a year counts, as in TopicClassifier). Phrases are
matched as TopicClassifier matches them: whole runs of tokens after normalization (accents folded,
every character that is not a letter or digit separates tokens, a dot between two digits stays
inside one ("GPT-3.5"), each CJK character a token, lower-cased, a final plural "s" dropped from
tokens longer than three letters unless they end in "ss", "us" or "is"). The rules'
explicit_cue_before_year (before 2017 only a cue in the title or keywords lets the model say
foundation-models) is not applied to the population; each drawn row says where its cue is, so
those papers can be told apart.

Every id of the random sample (../random-sample/labels.jsonl, both splits) is left out: only their
ids are read. From the rest, sorted by id, 600 papers are drawn uniformly at random with
random.Random(1516).sample, which returns them in a random order: the first N rows of the list are
themselves a uniform random sample of the population, so labelling in order can stop anywhere.

Writes sample.jsonl rows {id, year, source, venue, title} in the drawn order to stdout, and the
population's counts (total, per year, cue in title/keywords vs abstract only) to stderr.

usage: draw.py stages/dedupe/papers.ndjson.gz reference/topic-rules.tsv > sample.jsonl
"""
import collections, gzip, json, os, random, re, sys, unicodedata

SEED = 1516
SAMPLE_SIZE = 600
RANDOM_SAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "random-sample", "labels.jsonl")

SPECIAL_FOLDS = {"ß": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ı": "i",
                 "ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}


def invisible(v):
    return 0x200B <= v <= 0x200F or 0x202A <= v <= 0x202E or 0x2066 <= v <= 0x2069 or v == 0xFEFF


def cjk(v):
    return (0x4E00 <= v <= 0x9FFF or 0x3400 <= v <= 0x4DBF or 0x3040 <= v <= 0x30FF
            or 0xAC00 <= v <= 0xD7AF or 0xF900 <= v <= 0xFAFF)


def fold(ch):
    if ch in SPECIAL_FOLDS:
        return SPECIAL_FOLDS[ch]
    v = ord(ch)
    if 0xFF10 <= v <= 0xFF19 or 0xFF21 <= v <= 0xFF3A or 0xFF41 <= v <= 0xFF5A:
        return chr(v - 0xFEE0)
    return "".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) != "Mn")


ASCII_TOKEN = re.compile(r"[A-Za-z0-9]+(?:(?<=[0-9])\.(?=[0-9])[A-Za-z0-9]+)*")


def tokens(text):
    """TextNormalizer(keepsDecimalPoints: true).tokens, lower-cased."""
    if text.isascii():
        return ASCII_TOKEN.findall(text.lower())
    out, current = [], []
    last_digit = pending_dot = False

    def flush():
        if current:
            out.append("".join(current).lower())
            current.clear()

    for ch in text:
        v = ord(ch)
        if v < 0x80:
            is_digit, is_letter = ch.isdigit(), ch.isalpha()
            if is_digit or is_letter:
                if pending_dot:
                    pending_dot = False
                    if is_digit and last_digit:
                        current.append(".")
                    else:
                        flush()
                current.append(ch)
                last_digit = is_digit
            elif ch == "." and last_digit and not pending_dot:
                pending_dot = True
            else:
                pending_dot = False
                flush()
                last_digit = False
            continue
        if pending_dot:
            pending_dot = False
            flush()
        last_digit = False
        if invisible(v):
            continue
        if cjk(v):
            flush()
            out.append(ch)
        elif ch.isalpha() or unicodedata.numeric(ch, None) is not None:
            current.append(fold(ch))
        else:
            flush()
    flush()
    return out


def stem(token):
    """TextNormalizer.stem: "llms" -> "llm", "models" -> "model"; "loss", "lms" stay."""
    if len(token.encode("utf-8")) > 3 and token.endswith("s") and token[-2] not in "sui":
        return token[:-1]
    return token


def strong_phrases(rules_path):
    """First stemmed token -> [(pattern, stemmed tokens, from_year or None)] of the strong
    foundation-models rows."""
    phrases = collections.defaultdict(list)
    for line in open(rules_path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        cols = line.rstrip("\n").split("\t")
        if cols[0] != "strong" or cols[1] != "foundation-models":
            continue
        from_year = cols[5].strip() if len(cols) > 5 else ""
        pt = tuple(stem(t) for t in tokens(cols[2]))
        phrases[pt[0]].append((cols[2], pt, int(from_year) if from_year not in ("", "-") else None))
    return phrases


def cues(text, phrases, year):
    """Patterns of `phrases` (by first token) that occur in `text` as whole token runs and count for `year`."""
    stems = [stem(t) for t in tokens(text)]
    found = set()
    for i, s in enumerate(stems):
        for pattern, pt, from_year in phrases.get(s, ()):
            if (from_year is None or year is None or year >= from_year) and tuple(stems[i:i + len(pt)]) == pt:
                found.add(pattern)
    return sorted(found)


def main():
    papers_path, rules_path = sys.argv[1], sys.argv[2]
    phrases = strong_phrases(rules_path)
    # Only the ids of the random sample are read (its held-out labels are never looked at).
    excluded = {json.loads(line)["id"] for line in open(RANDOM_SAMPLE, encoding="utf-8")}
    pool, per_year, title_cue = [], collections.Counter(), collections.Counter()
    left_out = 0
    with gzip.open(papers_path, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            year = r.get("year")
            in_title = cues(r.get("title") or "", phrases, year) or cues(" ; ".join(r.get("keywords") or []), phrases, year)
            if not in_title and not cues(r.get("abstract") or "", phrases, year):
                continue
            per_year[year] += 1
            title_cue[year] += bool(in_title)
            if r["id"] in excluded:
                left_out += 1
                continue
            pool.append({"id": r["id"], "year": year, "source": r["source"], "venue": r.get("venue"), "title": r["title"]})
    pool.sort(key=lambda r: r["id"])
    for r in random.Random(SEED).sample(pool, SAMPLE_SIZE):
        print(json.dumps(r, ensure_ascii=False))
    print(f"papers with a strong cue: {sum(per_year.values())} ({sum(title_cue.values())} in title or keywords); "
          f"random-sample ids left out: {left_out}; drawn from: {len(pool)}", file=sys.stderr)
    print("year\twith strong cue\tin title or keywords", file=sys.stderr)
    for year in sorted(per_year, key=lambda y: (y is None, y or 0)):
        print(f"{year}\t{per_year[year]}\t{title_cue[year]}", file=sys.stderr)


if __name__ == "__main__":
    main()
