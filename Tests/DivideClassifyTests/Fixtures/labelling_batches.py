"""The text a labeller reads for a paper (id, year, venue, arXiv categories, title, keywords,
abstract cut at 1,200 characters), shared by the draw scripts of second-reader/ and
missed-fm-sample/. No label is ever printed."""
import os


def paper_text(record):
    abstract = (record.get("abstract") or "").replace("\n", " ")
    text = f"=== {record['id']} | {record['year']} | {record.get('venue') or record['source']} | cats: {','.join(record.get('categories') or [])}\n"
    text += f"TITLE: {record['title']}\n"
    if record.get("keywords"):
        text += "KEYWORDS: " + "; ".join(record["keywords"]) + "\n"
    return text + "ABSTRACT: " + (abstract[:1200] or "(none)") + "\n\n"


def write_batches(folder, ids, records, batches):
    """batch-K.txt: the papers of rows i % batches == K of `ids`, in order."""
    for k in range(batches):
        with open(os.path.join(folder, f"batch-{k}.txt"), "w", encoding="utf-8") as out:
            for id in ids[k::batches]:
                out.write(paper_text(records[id]))
