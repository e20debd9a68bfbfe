"""``make bench``: hoso validate against two floors measured in the same run.

For each N it generates N synthetic cases (bench/gen.py), then measures, one after another:

* floor 1, reading every record file's bytes (in this process, files listed beforehand);
* floor 2, parsing every file with PyYAML's C loader alone (``yaml.load(CSafeLoader)``);
* ``hoso validate`` cold: a fresh process, the result cache emptied first, whole-process wall
  time including interpreter start-up;
* ``hoso validate`` warm: the same command again, nothing changed;
* ``hoso validate --no-cache -j 1`` (one process, no cache), for reference.

Wall time and CPU time (user + system, the process and its children) are both reported: on a
shared machine the wall time of one run depends on what else runs, the CPU time much less.
Peak RSS is the largest resident set of the validate process or any of its workers
(``wait4``'s rusage of that child). The results go to bench/out/bench-<N>.json.

    python bench/run.py --sizes 1000,10000      # the default
    python bench/run.py --sizes 100000          # takes a while and ~0.5 GB of disk
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen  # noqa: E402
import rows  # noqa: E402
import siterow  # noqa: E402

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
TODAY = gen.TODAY.isoformat()


@dataclass
class Timing:
    wall: float  # seconds
    cpu: float  # seconds, user + system
    rss_mb: float = 0.0
    note: str = ""


def _cpu() -> float:
    """This process's CPU seconds (user + system) at nanosecond resolution: ``os.times()`` counts
    in clock ticks (10 ms), which reads a small floor as 0."""
    return time.process_time()


def per(a: float, b: float) -> float | None:
    """``a / b``, or None when the floor ``b`` is too small to have been measured."""
    return a / b if b > 0 else None


def fmt(x: float | None, spec: str = ".2f") -> str:
    return "—" if x is None else format(x, spec)


def list_records(repo: Path) -> list[Path]:
    out = []
    for dirpath, _, files in os.walk(repo / "records"):
        out += [Path(dirpath, f) for f in files if f.endswith(".yaml")]
    return sorted(out)


def floor_read(files: list[Path]) -> Timing:
    w, c = time.perf_counter(), _cpu()
    total = 0
    for f in files:
        with open(f, "rb") as fh:
            total += len(fh.read())
    return Timing(time.perf_counter() - w, _cpu() - c, note=f"{total} bytes")


def floor_pyyaml(files: list[Path]) -> Timing:
    w, c = time.perf_counter(), _cpu()
    for f in files:
        with open(f, "rb") as fh:
            yaml.load(fh.read(), Loader=yaml.CSafeLoader)
    return Timing(time.perf_counter() - w, _cpu() - c)


def hoso_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("hoso")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "hoso"]


def run_validate(repo: Path, *extra: str) -> tuple[Timing, dict[str, Any]]:
    """One whole ``hoso validate`` process: wall, CPU (with its workers) and peak RSS."""
    cmd = [*hoso_cmd(), "validate", "-C", str(repo), "--today", TODAY, "--format", "json", "--stats", *extra]
    w = time.perf_counter()
    with open(OUT / "validate.stdout", "wb") as out, open(OUT / "validate.stderr", "wb") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - w
    proc.returncode = os.waitstatus_to_exitcode(status)
    doc = json.loads((OUT / "validate.stdout").read_text("utf-8") or "{}")
    if proc.returncode not in (0, 1) or "summary" not in doc:
        sys.exit(f"hoso validate failed ({proc.returncode}): {(OUT / 'validate.stderr').read_text('utf-8')}")
    # ru_maxrss: the largest of the process and the children it waited for, in KiB on Linux
    rss = ru.ru_maxrss / 1024 if sys.platform != "darwin" else ru.ru_maxrss / 2**20
    return Timing(wall, ru.ru_utime + ru.ru_stime, rss), doc


CHECK_REPEAT = 3  # hoso check runs per size (0: no check rows)
OFFICER_REPEAT = 3  # runs of each officer command per size (0: no officer rows)
SITE_AT: int | None = None  # --national: the size whose repository also gets the site row
NATIONAL: dict[str, Any] | None = None  # --national: the tree's size (provinces, communes per province)


def generate(repo: Path, n: int, invalid: int) -> list[str]:
    if NATIONAL is None:
        return gen.generate(repo, n, invalid=invalid)
    import national

    national.generate_national(repo, n, 2026, gen.ROOT, **NATIONAL)
    return []


def bench(n: int, invalid: int, officer_rows: bool = True) -> dict[str, Any]:
    repo = OUT / f"repo-{n}"
    t = time.perf_counter()
    planted = generate(repo, n, invalid)
    gen_s = time.perf_counter() - t
    files = list_records(repo)
    read = floor_read(files)
    pyyaml = floor_pyyaml(files)
    shutil.rmtree(repo / ".hoso-cache", ignore_errors=True)
    cold, doc_cold = run_validate(repo)
    warm, doc_warm = run_validate(repo)
    serial, doc_serial = run_validate(repo, "--no-cache", "--jobs", "1")
    check = rows.check_row(repo, TODAY, CHECK_REPEAT) if CHECK_REPEAT else None
    officer = rows.officer_rows(repo, TODAY, OFFICER_REPEAT) if OFFICER_REPEAT and officer_rows else None
    if n == SITE_AT:
        print(f"N = {n:,}: the site row (hoso site, full and after one step, and a plain build)…",
              file=sys.stderr, flush=True)
        site = siterow.site_row(repo, TODAY)
    else:
        site = None
    same = doc_cold["findings"] == doc_warm["findings"] == doc_serial["findings"]
    errors = {f["file"] for f in doc_cold["findings"] if f["severity"] == "error"}
    return {
        "n": n, "generate_s": gen_s, "bytes_per_file": int(read.note.split()[0]) / n,
        "planted_invalid": len(planted), "files_with_errors": len(errors),
        "findings_identical": same, "stats": {"cold": doc_cold.get("stats"), "warm": doc_warm.get("stats")},
        "read": asdict(read), "pyyaml": asdict(pyyaml), "cold": asdict(cold), "warm": asdict(warm),
        "serial_no_cache": asdict(serial), "check": check, "officer": officer, "site": site,
    }


def us(seconds: float, n: int) -> str:
    return f"{seconds / n * 1e6:,.0f}"


def table(results: list[dict[str, Any]]) -> str:
    head = ("| N | what | wall s | µs/file (wall) | CPU s | µs/file (CPU) | peak RSS MB |\n"
            "| ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    rows = [head]
    names = [("read", "floor 1: read the bytes"), ("pyyaml", "floor 2: PyYAML CSafeLoader"),
             ("cold", "hoso validate, cold"), ("warm", "hoso validate, warm"),
             ("serial_no_cache", "hoso validate --no-cache -j1")]
    for r in results:
        n = r["n"]
        for key, label in names:
            t = r[key]
            rss = f"{t['rss_mb']:.0f}" if t["rss_mb"] else ""
            rows.append(f"| {n:,} | {label} | {t['wall']:.2f} | {us(t['wall'], n)} | {t['cpu']:.2f} | "
                        f"{us(t['cpu'], n)} | {rss} |")
    rows.append("")
    rows.append("| N | cold / PyYAML floor (wall) | cold / PyYAML floor (CPU) | warm / cold (wall) | "
                "cold / read floor (wall) | findings identical cold = warm = serial |")
    rows.append("| ---: | ---: | ---: | ---: | ---: | --- |")
    for r in results:
        rows.append(f"| {r['n']:,} | {fmt(per(r['cold']['wall'], r['pyyaml']['wall']))} | "
                    f"{fmt(per(r['cold']['cpu'], r['pyyaml']['cpu']))} | {fmt(per(r['warm']['wall'], r['cold']['wall']), '.3f')} | "
                    f"{fmt(per(r['cold']['wall'], r['read']['wall']), '.0f')} | {'yes' if r['findings_identical'] else 'NO'} |")
    return "\n".join(rows)


def _row(what: str, measured: str, ratio: float | None, target: float | None, note: str = "") -> str:
    r = "—" if ratio is None else f"{ratio:.2f}×"
    if ratio is None or target is None:
        verdict = note or ("the floor is below the clock's resolution here: a larger N" if target is not None
                           else "not measured here")
    else:
        verdict = ("met" if ratio <= target else "NOT met") + (f" ({note})" if note else "")
    return f"| {what} | {measured} | {r} | {'' if target is None else f'≤ {target:g}×'} | {verdict} |"


def _seconds_row(what: str, t: dict[str, float], limit: float) -> str:
    """A row whose target is a time: met when the median wall time is within ``limit`` seconds."""
    verdict = "met" if t["wall"] <= limit else f"NOT met (CPU {t['cpu']:.2f} s: the rest is waiting on a shared machine)" \
        if t["cpu"] <= limit else "NOT met"
    return f"| {what} | {t['wall']:.2f} s (CPU {t['cpu']:.2f} s) | — | ≤ {limit:g} s | {verdict} |"


def issue_table(results: list[dict[str, Any]], floor: dict[str, float], roster: dict[str, Any] | None,
                imports: dict[str, float] | None = None) -> str:
    """Issue 14's table: every row a ratio against its floor, measured in this run."""
    lo, hi = results[0], results[-1]
    n, n0 = f"{hi['n']:,}", f"{lo['n']:,}"
    out = ["| what | measured (wall) | ratio | target | |", "| --- | --- | ---: | --- | --- |"]
    c, p = hi["cold"], hi["pyyaml"]
    out.append(_row(f"`hoso validate` cold, {n} cases, vs PyYAML-C parse floor", f"{c['wall']:.2f} s vs {p['wall']:.2f} s "
                    f"(CPU {c['cpu']:.2f} vs {p['cpu']:.2f} s)", per(c["wall"], p["wall"]), 0.25))
    out.append(_row(f"`hoso validate` warm / cold, {n} cases", f"{hi['warm']['wall']:.2f} s / {c['wall']:.2f} s",
                    per(hi["warm"]["wall"], c["wall"]), 0.05))
    if len(results) > 1:
        out.append(_row(f"`hoso validate` cold peak RSS, {n0} → {n} cases",
                        f"{lo['cold']['rss_mb']:.0f} → {c['rss_mb']:.0f} MB", per(c["rss_mb"], lo["cold"]["rss_mb"]), 1.3))
    if hi.get("check") and lo.get("check") and len(results) > 1:
        a, b = hi["check"], lo["check"]
        out.append(_row(f"`hoso check`, 1-case change, {n} vs {n0} cases (CPU)",
                        f"{a['cpu']:.2f} s vs {b['cpu']:.2f} s (wall {a['wall']:.2f} vs {b['wall']:.2f})",
                        per(a["cpu"], b["cpu"]), 1.2))
    if hi.get("check"):
        a = hi["check"]
        out.append(_row(f"`hoso check`, 1-case change, whole process, vs `python -c pass` ({n} cases)",
                        f"{a['wall']:.2f} s vs {floor['wall']:.3f} s (CPU {a['cpu']:.2f} vs {floor['cpu']:.3f} s, "
                        f"{fmt(per(a['cpu'], floor['cpu']), '.1f')}×)", per(a["wall"], floor["wall"]), 15))
        if imports:
            out.append(_row("the import floor of a command that validates a record (`python -c \"from pydantic import "
                            "BaseModel; import yaml\"`) vs `python -c pass`",
                            f"{imports['wall']:.3f} s vs {floor['wall']:.3f} s (CPU {imports['cpu']:.3f} vs "
                            f"{floor['cpu']:.3f} s, {fmt(per(imports['cpu'], floor['cpu']), '.1f')}×)",
                            per(imports["wall"], floor["wall"]), None, "pydantic and PyYAML alone: part of the check's 15×"))
        if a["org_files_read"] is not None:
            out.append(_row("`hoso check`, 1-case change: org files parsed", f"{a['org_files_read']} of {a['org_files']}",
                            None, None, "reads only the shards the case names"))
    if roster:
        out.append(_row(f"national organisation loaded whole ({roster['officers']:,} officers, {roster['units']:,} units, "
                        f"{roster['files']} files, {roster['bytes'] / 1e6:.1f} MB) vs PyYAML-C on the same files",
                        f"{roster['load_s']:.2f} s vs {roster['floor']['wall']:.2f} s, {roster['rss_mb']:.0f} MB peak RSS",
                        per(roster["load_s"], roster["floor"]["wall"]), None,
                        "loads" if roster["findings"] == 0 else f"{roster['findings']} findings"))
    if hi.get("officer"):
        o = hi["officer"]
        for name, t in o["commands"].items():
            what = f"`hoso {name}`" + (f" `{o['unit']}`" if "--unit" in name else f" {o['case']}" if name in ("next", "record")
                                       else f" --year (all {n} cases)")
            out.append(_seconds_row(f"{what}, {n} cases, whole process, warm cache", t, 1.0))
    site = next((r["site"] for r in results if r.get("site")), None)
    if site is None:
        out.append(_row("`hoso site`, national tree, vs a plain mkdocs-material build", "—", None, None,
                        "not measured here (`--national`, or `--no-site`)"))
    else:
        f, fl, rb = site["full"], site["floor"], site["rebuild"]
        pages = site["pages"]["vi"] + site["pages"]["en"]
        n_site = next(r["n"] for r in results if r.get("site"))
        out.append(_row(f"`hoso site --full`, national tree, {n_site:,} cases, {pages:,} pages (both languages) vs a "
                        "plain mkdocs-material build of as many small pages with a short nav (CPU)",
                        f"{f['cpu']:.1f} s vs {fl['cpu']:.1f} s (wall {f['wall']:.1f} vs {fl['wall']:.1f}; "
                        f"{f['rss_mb']:.0f} MB peak RSS)", per(f["cpu"], fl["cpu"]), 2))
        out.append(_row("`hoso site` after one new step vs the full build (CPU)",
                        f"{rb['cpu']:.1f} s vs {f['cpu']:.1f} s (wall {rb['wall']:.1f} vs {f['wall']:.1f}); "
                        f"{rb['said'].split('; ', 1)[-1]}", per(rb["cpu"], f["cpu"]), 0.10))
    out.append(_row("check-jsonschema on the same files vs `hoso validate`", "—", None, None, "not measured here"))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    global OUT, NATIONAL, CHECK_REPEAT, OFFICER_REPEAT, SITE_AT
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated N (default 1000,10000; 100000 works too)")
    ap.add_argument("--invalid", type=int, default=0, help="plant this many broken files in each set")
    ap.add_argument("--keep", action="store_true", help="keep the generated repositories in bench/out/")
    ap.add_argument("--out", type=Path, default=HERE / "out", help="where results and generated repositories go (bench/out)")
    ap.add_argument("--national", action="store_true",
                    help="cases in the national tree (bench/national.py): 34 provinces, 3,321 communes, sharded org")
    ap.add_argument("--provinces", type=int, default=34, help="national tree: the first K provinces")
    ap.add_argument("--communes", type=int, default=None, help="national tree: at most M communes per province")
    ap.add_argument("--check-repeat", type=int, default=3, help="hoso check runs per size (0: skip the check rows)")
    ap.add_argument("--officer-repeat", type=int, default=3,
                    help="runs of each officer command per size (next, record, due/status --unit, report; 0: skip)")
    ap.add_argument("--no-roster", action="store_true", help="skip the national roster row")
    ap.add_argument("--no-site", action="store_true", help="--national: skip the site row (minutes)")
    args = ap.parse_args(argv)
    OUT = args.out
    CHECK_REPEAT = args.check_repeat
    OFFICER_REPEAT = args.officer_repeat
    tree = {"provinces": args.provinces, "communes": args.communes}
    if args.national:
        NATIONAL = tree
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    SITE_AT = max(sizes) if args.national and not args.no_site else None
    OUT.mkdir(parents=True, exist_ok=True)
    floor = rows.python_floor(5)
    imports = rows.import_floor(5)
    results = []
    for n in sizes:
        print(f"N = {n:,}: generating, measuring…", file=sys.stderr, flush=True)
        r = bench(n, args.invalid, officer_rows=n == max(sizes))  # the officer rows: at the largest size
        results.append(r)
        (OUT / f"bench-{n}.json").write_text(json.dumps(r, indent=2) + "\n", "utf-8")
        if not args.keep:
            shutil.rmtree(OUT / f"repo-{n}", ignore_errors=True)
    cpu = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    tree_name = "the national tree" if NATIONAL else "the demo's org"
    print(f"cases in {tree_name}; hoso validate --today {TODAY}; {platform.python_implementation()} {platform.python_version()}, "
          f"{len(cpu)} CPU(s), load average {os.getloadavg()[0]:.1f} at the end; "
          f"{results[0]['bytes_per_file'] / 1024:.1f} KB per case file\n")
    roster = None
    if not args.no_roster:
        print("national organisation: generating, loading…", file=sys.stderr, flush=True)
        import national

        national.generate_national(OUT / "national-org", 0, 2026, gen.ROOT, **tree)
        roster = rows.roster_row(OUT / "national-org")
        if not args.keep:
            shutil.rmtree(OUT / "national-org", ignore_errors=True)
    (OUT / "issue14.json").write_text(json.dumps({"results": results, "python_floor": floor, "import_floor": imports,
                                                  "roster": roster}, indent=2) + "\n", "utf-8")
    print(issue_table(results, floor, roster, imports))
    print()
    print(table(results))
    for r in results:
        print(f"\nN = {r['n']:,}: cold {r['stats']['cold']}; warm {r['stats']['warm']}")
    ok = all(r["findings_identical"] for r in results)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
