#!/usr/bin/env python3
"""Markdown tables (medians) of one bench/pipeline results directory.

    pipeline-summarize.py RESULTS-DIR      (reads RESULTS-DIR/runs.jsonl and the run reports)
"""
import json
import os
import statistics
import sys


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(value, digits=2):
    if value is None:
        return "–"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:.{digits}f}"


def mib(kib):
    return None if kib is None else kib / 1024


def requests_text(runs):
    """Median count per S3 operation, e.g. `HeadObject 30, PutObject 15`."""
    ops = sorted({op for run in runs for op in run.get("requests", {})})
    return ", ".join(f"{op} {fmt(int(median([r.get('requests', {}).get(op, 0) for r in runs])))}" for op in ops) or "none"


def cargo_section(runs, hg_label, cold_label, unchanged_label, title, proto_label=None):
    hg = [r for r in runs if r["label"] == hg_label]
    proto = [r for r in runs if r["label"] == proto_label]
    cold = [r for r in runs if r["label"] == cold_label]
    unchanged = [r for r in runs if r["label"] == unchanged_label]
    if not hg or not cold:
        return []
    lines = [f"### {title}", "", f"Repetitions: {len(cold)} (medians).", ""]
    types = hg[0]["order"]
    lines += ["| hg alone (`hg bundle`, as the tool runs it) | wall s | CPU s | bytes |", "|---|---:|---:|---:|"]
    for t in types:
        alone = [r["alone"][t] for r in hg if t in r.get("alone", {})]
        if alone:
            lines.append(f"| {t} | {fmt(median([a['wall'] for a in alone]))} | "
                         f"{fmt(median([a['total_cpu'] for a in alone]))} | {fmt(int(median([a['bytes'] for a in alone])))} |")
    longest = median([max(a["wall"] for a in r["alone"].values()) for r in hg if r.get("alone")])
    makespan = median([r["makespan"] for r in hg])
    slots_cpu = median([r["slots_cpu"] for r in hg])
    lines += ["", "| measure | median |", "|---|---:|",
              f"| hg: single longest command alone | {fmt(longest)} s |",
              f"| **hg baseline: the commands 2 at a time, longest first (makespan)** | **{fmt(makespan)} s** |",
              f"| hg CPU in that baseline | {fmt(slots_cpu)} s |",
              f"| `hg debugbundle --spec` per bundle (wall) | "
              + ", ".join(f"{t} {fmt(median([r['debugbundle'][t]['wall'] for r in hg]))}" for t in types) + " s |",
              f"| one hg process start (`hg log -r tip`) | {fmt(median([r['hg_start']['wall'] for r in hg]))} s |"]
    checked = [(c, h["with_checks"]) for c, h in zip(cold, hg) if "with_checks" in h]
    if checked:
        lines += [
            f"| **hg baseline with the checks: snapshot `hg log`, then each `hg bundle` followed by its "
            f"`hg debugbundle --spec`, 2 at a time (issue 12's baseline)** | "
            f"**{fmt(median([w['makespan'] for _, w in checked]))} s** |",
            f"| hg CPU in that baseline | {fmt(median([w['cpu'] for _, w in checked]))} s |",
            f"| **cold wall / baseline with the checks** (per repetition, then median) | "
            f"**{fmt(median([c['wall'] / w['makespan'] for c, w in checked]))}×** |",
            f"| **cold CPU (tool + its hg, chg's server included) / baseline with the checks' CPU** | "
            f"**{fmt(median([c['total_cpu'] / w['cpu'] for c, w in checked]))}×** |"]
    ratio = median([c["wall"] / h["makespan"] for c, h in zip(cold, hg)])
    # On a shared machine: the repetitions where neither the baseline nor the cold run had to share
    # the cores (other processes used under 5% of the 2 cores during each).
    quiet = [(c, h) for c, h in zip(cold, hg)
             if c["others_cpu"] < 0.1 * c["wall"] and h["slots_others_cpu"] < 0.1 * h["makespan"]]
    quiet_ratio = median([c["wall"] / h["makespan"] for c, h in quiet])
    overhead = [critical_path(c) for c in cold]
    overhead = [o for o in overhead if o]
    lines += [
        f"| **cold `clonebundles generate` wall** | **{fmt(median([r['wall'] for r in cold]))} s** |",
        f"| **cold wall / hg baseline** (per repetition, then median) | **{fmt(ratio)}×** |",
        f"| cold wall / hg baseline, quiet repetitions only ({len(quiet)}: others under 5% of the cores in both) | "
        f"{fmt(quiet_ratio)}× |",
        f"| cold: CPU of the tool process itself | {fmt(median([r['tool_cpu'] for r in cold]))} s |",
        f"| cold: CPU of its hg (its children, and chg's server with its workers when hg runs through chg) | {fmt(median([r['hg_cpu'] for r in cold]))} s |",
        f"| cold: peak RSS of the tool process (VmHWM) | {fmt(mib(median([r['tool_peak_rss_kib'] for r in cold])), 1)} MiB |",
        f"| cold: largest process of the tree (ru_maxrss, an hg) | {fmt(mib(median([r['tree_maxrss_kib'] for r in cold])), 1)} MiB |",
        f"| cold: body bytes received by DiscardS3 | {fmt(int(median([r['body_bytes'] for r in cold])))} |",
        f"| cold: requests | {fmt(int(median([r['requests_total'] for r in cold])))} ({requests_text(cold)}) |",
        f"| cold: retries | {fmt(int(median([r['retries'] for r in cold])))} |",
    ]
    if proto:
        proto_ratio = median([p["wall"] / h["makespan"] for p, h in zip(proto, hg)])
        lines += [
            f"| what-if, cold with bench/pipeline-hg-prototype as hg (spec of compressed bundles "
            f"from the header, no `hg debugbundle`) | {fmt(median([r['wall'] for r in proto]))} s, "
            f"{fmt(proto_ratio)}× the baseline |"]
    if unchanged:
        lines += [
            f"| **unchanged rerun wall** | **{fmt(median([r['wall'] for r in unchanged]))} s** |",
            f"| unchanged: CPU tool / children | {fmt(median([r['tool_cpu'] for r in unchanged]))} / "
            f"{fmt(median([r['hg_cpu'] for r in unchanged]))} s |",
            f"| unchanged: peak RSS of the tool | {fmt(mib(median([r['tool_peak_rss_kib'] for r in unchanged])), 1)} MiB |",
            f"| **unchanged: body bytes** | **{fmt(int(median([r['body_bytes'] for r in unchanged])))}** |",
            f"| unchanged: requests | {fmt(int(median([r['requests_total'] for r in unchanged])))} ({requests_text(unchanged)}) |",
        ]
    lines.append(f"| CPU seconds used by other processes during the cold runs / the baselines (shared machine) | "
                 f"{fmt(median([r['others_cpu'] for r in cold]), 1)} / {fmt(median([r['slots_others_cpu'] for r in hg]), 1)} |")
    proto_overhead = [o for o in (critical_path(p) for p in proto) if o]
    if overhead:
        lines += ["", "Critical path of the cold runs (the bundle whose last upload ends last; medians, seconds):", "",
                  "| before its generation (snapshot: hg log) | hg bundle | "
                  "check (hg debugbundle --spec, while SHA-256 and fsync run), record | upload to 5 buckets | "
                  "rest: process start to run start, manifest, index, report | wall | run |", "|---:|---:|---:|---:|---:|---:|---|",
                  "| " + " | ".join(fmt(median([o[k] for o in overhead])) for k in
                                   ("before", "hg", "check", "upload", "after", "wall")) + " | clonebundles as is |"]
        if proto_overhead:
            lines.append("| " + " | ".join(fmt(median([o[k] for o in proto_overhead])) for k in
                                            ("before", "hg", "check", "upload", "after", "wall")) + " | what-if prototype |")
    lines.append("")
    lines += timeline(cold)
    return lines


def load_report(run):
    path = os.path.join(RESULTS, run["file"] + ".report.json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def critical_path(run):
    """Splits a cold run's wall time along the bundle that finished storing last."""
    report = load_report(run)
    if not report:
        return None
    last = None
    for repo in report["repos"]:
        for bundle in repo["bundles"]:
            ends = [s["timeline"]["end"] for s in bundle["stores"] if s.get("timeline")]
            if bundle.get("timeline") and ends and (last is None or max(ends) > last[1]):
                last = (bundle, max(ends))
    if not last:
        return None
    bundle, end = last
    t = bundle["timeline"]
    return {"before": t["start"], "hg": bundle["seconds"], "check": t["end"] - t["start"] - bundle["seconds"],
            "upload": end - t["end"], "after": run["wall"] - end, "wall": run["wall"]}


def timeline(cold):
    """The phase timeline of the cold run with the median wall time."""
    ordered = sorted(cold, key=lambda r: r["wall"])
    run = ordered[(len(ordered) - 1) // 2]
    path = os.path.join(RESULTS, run["file"] + ".report.json")
    if not os.path.exists(path):
        return []
    with open(path) as f:
        report = json.load(f)
    lines = [f"Timeline of one cold run ({run['file']}, wall {fmt(run['wall'])} s; seconds since the run began):", "",
             "| bundle | bytes | generation start → end | upload start → end (first store … last store) | per store s (min–max) |",
             "|---|---:|---|---|---|"]
    rows = []
    for repo in report["repos"]:
        for bundle in repo["bundles"]:
            stores = [s for s in bundle["stores"] if s.get("timeline")]
            t = bundle.get("timeline") or {"start": 0, "end": 0}
            if stores:
                up = f"{fmt(min(s['timeline']['start'] for s in stores))} → {fmt(max(s['timeline']['end'] for s in stores))}"
                per = f"{fmt(min(s['seconds'] for s in stores))}–{fmt(max(s['seconds'] for s in stores))}"
            else:
                up, per = "–", "–"
            name = bundle["type"] if len(report["repos"]) == 1 else f"{repo['name']} {bundle['type']}"
            rows.append((t["start"], f"| {name} | {fmt(bundle['bytes'])} | {fmt(t['start'])} → {fmt(t['end'])} | {up} | {per} |"))
    lines += [row for _, row in sorted(rows)]
    lines += ["", f"Run report: started {report['startedAt']}, finished {report['finishedAt']}; "
              f"the rest of the wall time is process start, snapshot (hg log), manifest, index.", ""]
    return lines


def scale_section(runs):
    counts = sorted({r["repos"] for r in runs if r["label"].startswith("scale-")})
    if not counts:
        return []
    lines = ["### Many small repos (gzip-v2 + zstd each, 5 buckets)", "",
             "| repos | reps | cold wall s | cold s/repo | cold tool CPU s | cold hg CPU s | cold requests | "
             "unchanged wall s | unchanged s/repo | unchanged requests | unchanged body bytes | tool peak RSS MiB | "
             "cold wall s, hg per command (`hg_command_server: none`) | its hg CPU s |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n in counts:
        cold = [r for r in runs if r["label"] == f"scale-{n}-cold"]
        same = [r for r in runs if r["label"] == f"scale-{n}-unchanged"]
        cw, uw = median([r["wall"] for r in cold]), median([r["wall"] for r in same])
        plain = [r for r in runs if r["label"] == f"scale-{n}-cold-hg"]
        plain_text = (f" {fmt(median([r['wall'] for r in plain]))} | {fmt(median([r['hg_cpu'] for r in plain]))} |"
                      if plain else " – | – |")
        lines.append(
            f"| {n} | {len(cold)} | {fmt(cw)} | {fmt(cw / n, 3)} | {fmt(median([r['tool_cpu'] for r in cold]))} | "
            f"{fmt(median([r['hg_cpu'] for r in cold]))} | {fmt(int(median([r['requests_total'] for r in cold])))} | "
            f"{fmt(uw)} | {fmt(uw / n, 3)} | {fmt(int(median([r['requests_total'] for r in same])))} | "
            f"{fmt(int(median([r['body_bytes'] for r in same])))} | "
            f"{fmt(mib(max(median([r['tool_peak_rss_kib'] for r in cold]), median([r['tool_peak_rss_kib'] for r in same]))), 1)} |"
            + plain_text)
    lines.append("")
    return lines


def store_section(runs):
    sizes = sorted({r["size_mib"] for r in runs if r["label"].startswith("store-")})
    if not sizes:
        return []
    lines = ["### Bundle size through the S3 store alone (UploadBench, 5 buckets, defaults: 16 MiB parts × 4)", "",
             "| file MiB | reps | wall s (hash + upload) | hash s | upload s | upload GB/s (all buckets) | peak RSS MiB | body bytes |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for size in sizes:
        rs = [r for r in runs if r["label"] == f"store-{size}m"]
        lines.append(
            f"| {size} | {len(rs)} | {fmt(median([r['wall'] for r in rs]))} | {fmt(median([r['upload']['hash_seconds'] for r in rs]))} | "
            f"{fmt(median([r['upload']['upload_seconds'] for r in rs]))} | {fmt(median([r['upload']['upload_gbps'] for r in rs]))} | "
            f"{fmt(mib(median([r['peak_rss_kib'] for r in rs])), 1)} | {fmt(int(median([r['body_bytes'] for r in rs])))} |")
    lines.append("")
    return lines


def main():
    global RESULTS
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    RESULTS = sys.argv[1]
    with open(os.path.join(RESULTS, "runs.jsonl")) as f:
        runs = [json.loads(line) for line in f if line.strip()]
    lines = ["## Pipeline results", ""]
    machine = os.path.join(RESULTS, "machine.txt")
    if os.path.exists(machine):
        with open(machine) as f:
            lines += ["    " + line.rstrip() for line in f] + [""]
    lines += cargo_section(runs, "hg-default", "cold-default", "unchanged-default",
                           "cargo: gzip-v2 + zstd + stream-v2, 5 buckets", "cold-proto")
    lines += cargo_section(runs, "hg-max", "cold-max", "unchanged-max", "cargo: gzip-v2 + zstd-max + stream-v2, 5 buckets")
    lines += scale_section(runs)
    lines += store_section(runs)
    print("\n".join(lines))


RESULTS = "."
if __name__ == "__main__":
    main()
