#!/usr/bin/env python3
"""`make bench`: every pipeline stage against its Python reference, on the snapshot (1x) and on
a scale-up generated from the snapshot's own records (10x); writes the table into BENCHMARKS.md.

    python3 bench/bench.py [--snapshot ../shared/snapshot] [--scratch .build] [--config release]
                           [--factor 10] [--no-scale] [--no-python] [--compare all|1x|none]
                           [--write BENCHMARKS.md | --no-write]

How a stage is measured: the harness asks Make for the stage's target with STAGES/OUTPUTS pointed
at bench/results/run-<scale>/ and BIN pointed at wrapper scripts that run each stage executable
under /usr/bin/time -v. So the commands are exactly the Makefile's, and each is timed alone
(wall clock, peak RSS). Right after a Swift stage, the Python reference of the same stage
(bench/reference/<executable>.py, same arguments) reads the same inputs and writes to
bench/results/run-<scale>/py/; the two outputs are then compared record by record.

Also measured: `make all` from clean, a second `make all` (nothing to do), `make -j2 all` (CPU
use), and the libxml2 SAX bound for the arXiv pages (bench/sax_bound.c, empty callbacks).
Needs: python3, a C compiler, libxml2/zlib headers; installs GNU time (apt) and orjson/lxml
(PyPI, into bench/results/venv) when missing.
"""
import argparse
import datetime
import gzip
import json
import os
import platform
import re
import shlex
import shutil
import struct
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
RESULTS = os.path.join(BENCH, "results")
VENV = os.path.join(RESULTS, "venv")
VENV_PY = os.path.join(VENV, "bin", "python")
MARK_BEGIN = "<!-- bench:begin (written by bench/bench.py; do not edit by hand) -->"
MARK_END = "<!-- bench:end -->"

# Stage targets in pipeline order: (root, path under it). "S" = STAGES root, "O" = OUTPUTS.
# A target the Makefile does not (yet) have is skipped; a stage Make runs on the way to a target
# (a dependency not listed here) is still timed and reported, without a Python reference.
TARGETS = [
    ("S", "fetch/epoch.manifest.ndjson.gz"),
    ("S", "fetch/arxiv.manifest.ndjson.gz"),
    ("S", "fetch/paperlists.manifest.ndjson.gz"),
    ("S", "fetch/acl.manifest.ndjson.gz"),
    ("S", "parse/models.ndjson.gz"),
    ("S", "parse/arxiv.ndjson.gz"),
    ("S", "parse/paperlists.ndjson.gz"),
    ("S", "parse/acl.ndjson.gz"),
    ("S", "dedupe/models.ndjson.gz"),
    ("S", "dedupe/papers.ndjson.gz"),
    ("S", "classify/models.ndjson.gz"),
    ("S", "classify/organizations.ndjson.gz"),
    ("S", "classify/papers.ndjson.gz"),
    ("S", "aggregate/models.drilldown.ndjson.gz"),
    ("S", "aggregate/papers.drilldown.ndjson.gz"),
    ("O", "report.html"),
]

# Stages with a Python reference (label = executable + subcommand; fetch: + sources).
REFERENCES = {
    "fetch epoch", "fetch arxiv", "fetch paperlists", "fetch acl",
    "parse epoch", "parse arxiv", "parse paperlists", "parse acl",
    "dedupe models", "dedupe papers",
    "classify models", "classify organizations", "classify papers",
    "aggregate models", "aggregate papers",
    "render",
}
# Options whose value a stage reads; any other option pointing into the stage folders is an output.
INPUT_OPTIONS = {"--manifest", "--input", "--snapshot", "--aggregate", "--models", "--fetch", "--stages",
                 "--source", "--code-version", "--reference", "--papers", "--registry", "--organizations",
                 "--topics", "--aliases", "--institutes", "--author-notes", "--labeled-affiliations", "--labeled-papers"}
# Files a stage writes beside its output without an option naming them (ClassifyStage.papers):
# the reference writes them beside its own output, and they are compared too.
WRITTEN_BESIDE = {"classify papers": ("unknown_rates.ndjson.gz", "topic_compute.ndjson.gz", "validation.json")}
SNAPSHOT_FOLDERS = {"epoch": "epoch", "arxiv": "arxiv-oai", "paperlists": "paperlists", "acl": "acl-anthology",
                    "ror": "ror", "university-domains": "university-domains", "swot": "swot", "openalex": "openalex"}


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


# ---- setup -------------------------------------------------------------------------------------
def ensure_tools(args):
    if not os.path.exists("/usr/bin/time"):
        log("installing GNU time (apt-get install time)")
        run(["apt-get", "update", "-qq"])
        run(["apt-get", "install", "-y", "-qq", "time"])
    if not os.path.exists(VENV_PY):
        log("creating bench/results/venv")
        run([sys.executable, "-m", "venv", VENV])
    ok = subprocess.run([VENV_PY, "-c", "import orjson, lxml"], capture_output=True).returncode == 0
    if not ok:
        log("installing the Python references' packages from PyPI: " + " ".join(open(os.path.join(BENCH, "requirements.txt")).read().split()))
        run([VENV_PY, "-m", "pip", "install", "-q", "-r", os.path.join(BENCH, "requirements.txt")])
    sax = os.path.join(RESULTS, "sax_bound")
    src = os.path.join(BENCH, "sax_bound.c")
    if not os.path.exists(sax) or os.path.getmtime(sax) < os.path.getmtime(src):
        flags = subprocess.run(["pkg-config", "--cflags", "--libs", "libxml-2.0", "zlib"], check=True,
                               capture_output=True, text=True).stdout.split()
        run(["cc", "-O2", src, *flags, "-o", sax])
    return sax


def make_env():
    env = dict(os.environ)
    for k in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES"):
        env.pop(k, None)
    return env


def build(args):
    log(f"building ({args.config}, scratch {args.scratch})")
    run(["make", "-C", ROOT, "build", f"SCRATCH={args.scratch}", f"CONFIG={args.config}"], env=make_env(),
        stdout=subprocess.DEVNULL)
    real_bin = os.path.join(ROOT, args.scratch, args.config) if not os.path.isabs(args.scratch) \
        else os.path.join(args.scratch, args.config)
    return os.path.realpath(real_bin)


def write_wrappers(real_bin):
    """BIN for Make: one script per executable that runs the real one under /usr/bin/time -v."""
    wrap = os.path.join(RESULTS, "timed-bin")
    shutil.rmtree(wrap, ignore_errors=True)
    os.makedirs(wrap)
    for name in sorted(os.listdir(real_bin)):
        path = os.path.join(real_bin, name)
        if os.path.isfile(path) and os.access(path, os.X_OK) and "." not in name:
            script = os.path.join(wrap, name)
            with open(script, "w") as f:
                f.write(f"""#!/usr/bin/env bash
# Generated by bench/bench.py: time one stage command alone.
log="$BENCH_LOG_DIR/$(date +%s%N)-{name}"
printf '%s\\0' "$@" > "$log.argv"
t0=$EPOCHREALTIME
rc=0
/usr/bin/time -v -o "$log.time" {shlex.quote(path)} "$@" || rc=$?
echo "$t0 $EPOCHREALTIME" > "$log.wall"
exit $rc
""")
            os.chmod(script, 0o755)
    # Make takes the build as done: the stamp is newer than every source.
    open(os.path.join(wrap, ".stamp"), "w").close()
    return wrap


# ---- measuring ------------------------------------------------------------------------------------
def parse_time_v(path):
    text = open(path).read()

    def field(label):
        m = re.search(re.escape(label) + r":\s*(.+)", text)
        return m.group(1).strip() if m else None

    return {"rss_mb": int(field("Maximum resident set size (kbytes)") or 0) / 1024,
            "user": float(field("User time (seconds)") or 0), "sys": float(field("System time (seconds)") or 0),
            "exit": int(field("Exit status") or 0)}


def timed(cmd, env=None, cwd=None, capture=False):
    """Runs cmd under /usr/bin/time -v; returns wall seconds, peak RSS, CPU, exit status."""
    tfile = os.path.join(RESULTS, ".time.txt")
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v", "-o", tfile, *cmd], env=env, cwd=cwd,
                       stdout=subprocess.PIPE if capture else None, text=capture)
    wall = time.perf_counter() - t0
    r = parse_time_v(tfile)
    r["wall"] = wall
    r["exit"] = p.returncode
    if capture:
        r["stdout"] = p.stdout
    return r


def gz_size(path):
    """Uncompressed size of a single-member gzip file (the ISIZE trailer; files under 4 GB)."""
    with open(path, "rb") as f:
        f.seek(-4, 2)
        return struct.unpack("<I", f.read(4))[0]


def data_size(path):
    return gz_size(path) if path.endswith(".gz") else os.path.getsize(path)


def input_bytes(argv, snapshot):
    """Bytes a stage reads: payloads of a manifest (uncompressed), input files (uncompressed),
    table folders; for fetch, the bytes it copies."""
    total = 0
    sources = [argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "--source"]
    for i, a in enumerate(argv[:-1]):
        v = argv[i + 1]
        if a == "--snapshot":
            for s in sources:
                for d, _, names in os.walk(os.path.join(v, SNAPSHOT_FOLDERS.get(s, s))):
                    total += sum(os.path.getsize(os.path.join(d, n)) for n in names if n != "README.md")
        elif a == "--manifest":
            folder = os.path.dirname(v)
            with gzip.open(v, "rb") as f:
                for line in f:
                    if line.strip():
                        total += data_size(os.path.join(folder, json.loads(line)["path"]))
        elif a in ("--input", "--models", "--papers") and os.path.isfile(v):
            total += data_size(v)
        elif a == "--aggregate" and os.path.isdir(v):
            total += sum(data_size(os.path.join(v, n)) for n in os.listdir(v) if n.endswith(".ndjson.gz"))
    return total


def label_of(binary, argv):
    if binary == "fetch":
        return "fetch " + "+".join(argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "--source")
    if argv and not argv[0].startswith("-"):
        return f"{binary} {argv[0]}"
    return binary


def outputs_of(argv, roots):
    """(option index, path) of every output option: a value under the stage or output roots that
    is not an input option."""
    outs = []
    for i, a in enumerate(argv[:-1]):
        if a.startswith("--") and a not in INPUT_OPTIONS and any(argv[i + 1].startswith(r) for r in roots):
            outs.append((i + 1, argv[i + 1]))
    return outs


def counts_file(output):
    for suffix in (".ndjson.gz", ".gz", ".csv", ".html"):
        if output.endswith(suffix):
            return output[: -len(suffix)] + ".counts.json"
    return output + ".counts.json"


def compare_outputs(swift_out, py_out, label):
    """Record-by-record comparison of every NDJSON/CSV file the Python reference wrote, and of its
    JSON files (validation.json) as one value each; not of the .counts.json bookkeeping (the
    records column reads the Swift stage's)."""
    pairs = []
    if os.path.isdir(py_out):
        for d, _, names in os.walk(py_out):
            for n in sorted(names):
                if n.endswith((".ndjson.gz", ".csv")) or (n.endswith(".json") and not n.endswith(".counts.json")):
                    p = os.path.join(d, n)
                    pairs.append((os.path.join(swift_out, os.path.relpath(p, py_out)), p))
    elif os.path.exists(py_out):
        pairs.append((swift_out, py_out))
        for n in WRITTEN_BESIDE.get(label, ()):
            pairs.append(tuple(os.path.join(os.path.dirname(f), n) for f in (swift_out, py_out)))
    results = []
    for s, p in pairs:
        cmd = [VENV_PY, os.path.join(BENCH, "compare.py"), s, p]
        if label.startswith("fetch"):
            cmd += ["--ignore-key", "fetched_at"]
        r = subprocess.run(cmd, capture_output=True, text=True)
        results.append((os.path.basename(s), r.returncode == 0, (r.stdout + r.stderr).strip()))
    return results


def run_scale(args, scale, snapshot, wrap, real_bin):
    base = os.path.join(RESULTS, f"run-x{scale}")
    shutil.rmtree(base, ignore_errors=True)
    stages, outputs = os.path.join(base, "stages"), os.path.join(base, "outputs")
    py_stages, py_outputs = os.path.join(base, "py", "stages"), os.path.join(base, "py", "outputs")
    logs = os.path.join(base, "logs")
    for d in (stages, outputs, py_stages, py_outputs, logs):
        os.makedirs(d)
    env = make_env()
    env["BENCH_LOG_DIR"] = logs
    make_vars = [f"STAGES={stages}", f"OUTPUTS={outputs}", f"SNAPSHOT={snapshot}", f"SCRATCH={args.scratch}",
                 f"CONFIG={args.config}", f"BIN={wrap}"]
    rows = []
    failed = False
    for root, rel in TARGETS:
        if args.only and not any(o in rel for o in args.only.split(",")):
            continue
        target = os.path.join(stages if root == "S" else outputs, rel)
        probe = subprocess.run(["make", "-C", ROOT, "-n", target, *make_vars], env=env, capture_output=True)
        if probe.returncode != 0:
            continue
        for f in os.listdir(logs):
            os.remove(os.path.join(logs, f))
        log(f"x{scale}: make {os.path.relpath(target, base)}")
        made = subprocess.run(["make", "-s", "-C", ROOT, target, *make_vars], env=env, stdout=subprocess.DEVNULL)
        if made.returncode != 0:
            log(f"x{scale}: make {os.path.relpath(target, base)} failed (exit {made.returncode}); "
                "the stages after it are not measured at this scale")
            failed = True
        for stem in sorted({f.rsplit(".", 1)[0] for f in os.listdir(logs)}):
            binary = stem.split("-", 1)[1]
            argv = open(os.path.join(logs, stem + ".argv"), "rb").read().decode().split("\0")[:-1]
            t0, t1 = map(float, open(os.path.join(logs, stem + ".wall")).read().split())
            swift = parse_time_v(os.path.join(logs, stem + ".time"))
            swift["wall"] = t1 - t0
            label = label_of(binary, argv)
            outs = outputs_of(argv, (stages, outputs))
            row = {"stage": label, "scale": scale, "input_bytes": input_bytes(argv, snapshot), "swift": swift,
                   "records": None, "python": None, "check": "no reference"}
            main_out = next((p for _, p in outs), None)
            cf = counts_file(target if main_out and os.path.isdir(main_out) else main_out or target)
            if binary == "render":
                cf = os.path.join(outputs, "report.counts.json")
            if binary == "fetch" and main_out:
                cf = counts_file(os.path.join(main_out, label.split(" ", 1)[1] + ".manifest.ndjson.gz"))
            if os.path.exists(cf):
                row["records"] = json.load(open(cf)).get("input")
            if label == "parse arxiv" and not swift.get("exit"):
                row["bound"] = sax_bound(args.sax, stages)  # right after the stage: same machine state
            if label in REFERENCES and not args.no_python and not swift.get("exit"):
                py_argv = list(argv)
                for i, p in outs:
                    py_argv[i] = p.replace(stages, py_stages, 1) if p.startswith(stages) else p.replace(outputs, py_outputs, 1)
                script = os.path.join(BENCH, "reference", binary + ".py")
                py = timed([VENV_PY, script, *py_argv])
                row["python"] = py
                if py["exit"] != 0:
                    row["check"] = f"python reference failed (exit {py['exit']})"
                elif args.compare == "all" or (args.compare == "1x" and scale == 1):
                    results = []
                    for i, p in outs:
                        results += compare_outputs(p, py_argv[i], label)
                    bad = [r for r in results if not r[1]]
                    if bad:
                        row["check"] = "DIFFERS (" + "; ".join(f"{n}: {m}" for n, ok, m in bad[:2]) + ")"
                    else:
                        total = sum(int(m.split()[1]) for _, _, m in results if m.startswith("equal"))
                        row["check"] = f"identical ({len(results)} files, {total:,} records/lines)"
                    if bad:
                        log(f"x{scale} {label}: output differs from the Python reference: {bad[0][2]}")
                else:
                    row["check"] = "not compared"
            if binary and swift.get("exit"):
                row["check"] = f"Swift stage FAILED (exit {swift['exit']})"
            rows.append(row)
        if failed:
            break
    return rows, stages, outputs


def pipeline_checks(args, snapshot):
    """make all from clean, make all again, make -j2 all from clean (real binaries)."""
    base = os.path.join(RESULTS, "run-make")
    env = make_env()
    out = {}
    for jobs in (1, 2):
        shutil.rmtree(base, ignore_errors=True)
        make_vars = [f"STAGES={base}/stages", f"OUTPUTS={base}/outputs", f"SNAPSHOT={snapshot}",
                     f"SCRATCH={args.scratch}", f"CONFIG={args.config}"]
        log(f"make -j{jobs} all (from clean)")
        r = timed(["make", "-s", f"-j{jobs}", "-C", ROOT, "all", *make_vars], env=env)
        out[f"j{jobs}"] = r
        if jobs == 1:
            log("make all again (nothing to do)")
            out["noop"] = timed(["make", "-s", "-C", ROOT, "all", *make_vars], env=env)
    return out


def sax_bound(sax, stages):
    """libxml2 SAX with empty callbacks, and gunzip alone, over the fetched arXiv pages."""
    pages = []
    folder = os.path.join(stages, "fetch", "arxiv")
    for d, _, names in os.walk(folder):
        pages += [os.path.join(d, n) for n in names if n.endswith(".gz")]
    if not pages:
        return None
    pages.sort()
    out = {}
    for mode, extra in (("sax", []), ("gunzip", ["--gunzip-only"])):
        r = timed([sax, *extra, *pages], capture=True)
        r.update(json.loads(r.pop("stdout")))
        out[mode] = r
    return out


# ---- report ----------------------------------------------------------------------------------------
def machine():
    cpu = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(open("/proc/meminfo").readline().split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()
    pyv = subprocess.run([VENV_PY, "-c", "import sys, orjson, lxml.etree as e; print(sys.version.split()[0], orjson.__version__, '.'.join(map(str, e.LXML_VERSION)))"],
                         capture_output=True, text=True).stdout.split()
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": mem, "os": platform.platform(),
            "swift": swift[0] if swift else "?", "python": pyv[0] if pyv else "?",
            "orjson": pyv[1] if len(pyv) > 1 else "?", "lxml": pyv[2] if len(pyv) > 2 else "?",
            "load": os.getloadavg()}


def fmt_rate(x):
    if x is None:
        return "—"
    if x >= 1e6:
        return f"{x / 1e6:.2f} M"
    if x >= 1e3:
        return f"{x / 1e3:.0f} k"
    return f"{x:.0f}"


def table(rows, base_rows=None):
    head = ("| stage | input MB | records in | Swift s | Swift CPU s | Swift rec/s | Swift MB/s | Swift peak RSS MB "
            "| Python s | Python CPU s | Python peak RSS MB | Python/Swift (wall) | Python/Swift (CPU) |")
    sep = "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    if base_rows is not None:
        head += " CPU time vs 1x |"
        sep += "---:|"
    head += " output vs reference |"
    sep += "---|"
    out = [head, sep]
    base = {r["stage"]: r for r in (base_rows or [])}
    for r in rows:
        s = r["swift"]
        mb = r["input_bytes"] / 1e6
        rec = r["records"]
        py = r["python"]
        s_cpu = s["user"] + s["sys"]
        p_cpu = py["user"] + py["sys"] if py else None
        cells = [r["stage"], f"{mb:.1f}", f"{rec:,}" if rec is not None else "—", f"{s['wall']:.2f}", f"{s_cpu:.2f}",
                 fmt_rate(rec / s["wall"]) if rec else "—", f"{mb / s['wall']:.1f}" if mb else "—",
                 f"{s['rss_mb']:.0f}",
                 f"{py['wall']:.2f}" if py else "—", f"{p_cpu:.2f}" if py else "—", f"{py['rss_mb']:.0f}" if py else "—",
                 f"**{py['wall'] / s['wall']:.1f}×**" if py else "—",
                 f"{p_cpu / s_cpu:.1f}×" if py and s_cpu > 0 else "—"]
        if base_rows is not None:
            b = base.get(r["stage"])
            b_cpu = b["swift"]["user"] + b["swift"]["sys"] if b else 0
            cells.append(f"{s_cpu / b_cpu:.1f}×" if b and b_cpu > 0 else "—")
        cells.append(r["check"])
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


def report(args, m, results, checks, bounds, started, elapsed):
    lines = [MARK_BEGIN, "",
             f"Measured {started:%Y-%m-%d %H:%M} UTC in {elapsed / 60:.1f} min (`make bench` in total) on: {m['cpu']} ({m['cores']} cores), "
             f"{m['memory']}, {m['os']}; {m['swift']}; Python {m['python']} (orjson {m['orjson']}, lxml {m['lxml']}). "
             f"Load average at start {m['load'][0]:.2f}.", "",
             f"Command: `make bench` (= `python3 bench/bench.py --snapshot {args.snapshot} --scratch {args.scratch} --config {args.config}`).",
             ""]
    for scale, rows in results:
        lines += [f"### {'Snapshot (1x)' if scale == 1 else f'{scale}x scale-up'}", ""]
        lines += [table(rows, results[0][1] if scale != 1 else None), ""]
    if checks:
        j1, j2, noop = checks["j1"], checks["j2"], checks["noop"]
        lines += ["### Whole pipeline (snapshot)", "",
                  "| command | wall s | CPU (user+sys) s | cores used | peak RSS MB (largest process) |",
                  "|---|---:|---:|---:|---:|"]
        for name, r in (("`make all` (from clean)", j1), ("`make all` again (nothing changed)", noop),
                        ("`make -j2 all` (from clean)", j2)):
            cpu = r["user"] + r["sys"]
            lines.append(f"| {name} | {r['wall']:.2f} | {cpu:.2f} | {cpu / r['wall']:.2f} | {r['rss_mb']:.0f} |")
        lines.append("")
    if bounds:
        lines += ["### arXiv XML parsing against libxml2's SAX bound", "",
                  "Measured right after `parse arxiv`, on the same fetched pages. MB = uncompressed XML; "
                  "\"CPU\" rates divide by user+sys seconds (insensitive to other load on the machine).", "",
                  "| scale | libxml2 SAX, empty callbacks (gunzip + parse) MB/s (CPU) | gunzip alone MB/s | "
                  "`parse arxiv` MB/s (CPU) | parse / bound, wall | parse / bound, CPU |",
                  "|---|---:|---:|---:|---:|---:|"]
        for scale, b, row in bounds:
            mb = row["input_bytes"] / 1e6
            sax_wall = b["sax"]["bytes"] / 1e6 / b["sax"]["wall"]
            sax_cpu = b["sax"]["bytes"] / 1e6 / max(1e-9, b["sax"]["user"] + b["sax"]["sys"])
            gz = b["gunzip"]["bytes"] / 1e6 / b["gunzip"]["wall"]
            p_wall = mb / row["swift"]["wall"]
            p_cpu = mb / max(1e-9, row["swift"]["user"] + row["swift"]["sys"])
            lines.append(f"| {scale}x | {sax_wall:.0f} ({sax_cpu:.0f}) | {gz:.0f} | {p_wall:.0f} ({p_cpu:.0f}) | "
                         f"{p_wall / sax_wall:.0%} | {p_cpu / sax_cpu:.0%} |")
        lines.append("")
    lines.append(MARK_END)
    return "\n".join(lines)


def write_report(path, block):
    text = open(path).read() if os.path.exists(path) else "# Benchmarks\n\n"
    if MARK_BEGIN in text and MARK_END in text:
        a = text.index(MARK_BEGIN)
        b = text.index(MARK_END) + len(MARK_END)
        text = text[:a] + block + text[b:]
    else:
        text = text.rstrip() + "\n\n## Results\n\n" + block + "\n"
    with open(path, "w") as f:
        f.write(text)


def report_from_json(args):
    saved = json.load(open(args.report_only))
    stamp = re.search(r"bench-(\d{8}T\d{6})", args.report_only)
    started = (datetime.datetime.fromisoformat(saved["started"]) if "started" in saved else
               datetime.datetime.strptime(stamp.group(1), "%Y%m%dT%H%M%S"))
    results = [(scale, rows) for scale, rows in saved["results"]]
    bounds = [(scale, r["bound"], r) for scale, rows in results for r in rows if r.get("bound")]
    elapsed = saved.get("elapsed", 0.0)
    for k, v in saved.get("args", {}).items():
        if k in ("snapshot", "scratch", "config"):
            setattr(args, k, v)
    block = report(args, saved["machine"], results, saved["checks"], bounds, started, elapsed)
    print(block)
    if not args.no_write:
        write_report(args.write, block)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--snapshot", default="../shared/snapshot")
    p.add_argument("--scratch", default=".build")
    p.add_argument("--config", default="release")
    p.add_argument("--factor", type=int, default=10)
    p.add_argument("--no-scale", action="store_true", help="only the snapshot (1x)")
    p.add_argument("--no-python", action="store_true", help="skip the Python references")
    p.add_argument("--no-make-checks", action="store_true", help="skip make all / no-op / -j2")
    p.add_argument("--only", default="", help="comma list: measure only targets whose path contains one "
                   "(e.g. parse/arxiv,dedupe/papers); what they need is made first, and measured too")
    p.add_argument("--compare", choices=["all", "1x", "none"], default="1x",
                   help="which scales to check record by record (default: 1x; the 10x data is ten perturbed copies)")
    p.add_argument("--write", default=os.path.join(ROOT, "BENCHMARKS.md"))
    p.add_argument("--no-write", action="store_true")
    p.add_argument("--report-only", metavar="JSON", help="rewrite the tables from a saved bench/results/bench-*.json")
    args = p.parse_args()
    if args.report_only:
        return report_from_json(args)
    started = datetime.datetime.now(datetime.timezone.utc)
    t_start = time.perf_counter()
    os.makedirs(RESULTS, exist_ok=True)
    snapshot = os.path.realpath(os.path.join(ROOT, args.snapshot) if not os.path.isabs(args.snapshot) else args.snapshot)
    if not os.path.isdir(snapshot):
        sys.exit(f"bench: snapshot folder not found: {snapshot} (set SNAPSHOT=…)")
    sax = ensure_tools(args)
    real_bin = build(args)
    m = machine()
    wrap = write_wrappers(real_bin)

    scales = [(1, snapshot)]
    if not args.no_scale:
        scaled = os.path.join(RESULTS, f"data-x{args.factor}")
        log(f"generating the {args.factor}x scale-up in {os.path.relpath(scaled, ROOT)} (cached)")
        run([VENV_PY, os.path.join(BENCH, "scale.py"), "--snapshot", snapshot, "--output", scaled,
             "--factor", str(args.factor)])
        scales.append((args.factor, scaled))
    checks = None if args.no_make_checks else pipeline_checks(args, snapshot)
    results, bounds = [], []
    args.sax = sax
    for scale, data in scales:
        rows, stages, _ = run_scale(args, scale, data, wrap, real_bin)
        results.append((scale, rows))
        parse_row = next((r for r in rows if r["stage"] == "parse arxiv" and r.get("bound")), None)
        if parse_row:
            bounds.append((scale, parse_row["bound"], parse_row))
    elapsed = time.perf_counter() - t_start
    block = report(args, m, results, checks, bounds, started, elapsed)
    print(block)
    with open(os.path.join(RESULTS, f"bench-{started:%Y%m%dT%H%M%S}.json"), "w") as f:
        json.dump({"machine": m, "results": results, "checks": checks, "started": started.isoformat(),
                   "elapsed": elapsed, "args": vars(args)}, f, indent=1, default=str)
    if not args.no_write:
        write_report(args.write, block)
        log(f"table written to {os.path.relpath(args.write, ROOT)}")
    bad = [r for _, rows in results for r in rows if r["check"].startswith("DIFFERS") or "failed" in r["check"].lower()]
    if bad:
        log(f"{len(bad)} stage(s) differ from their Python reference: " + ", ".join(r["stage"] for r in bad))
        sys.exit(1)


if __name__ == "__main__":
    main()
