#!/usr/bin/env python3
"""Medians of bench/run-s3-upload's runs.jsonl as Markdown tables (pasted into docs/performance.md).

"CPU s" is the command's user+system time (GNU time); "others' CPU s" is the CPU time the rest
of the machine (not the command, not DiscardS3) used meanwhile: background load on a shared host.
Throughput is the file's size divided by the command's wall time (process start to exit, the
same for every tool), in GB/s (10^9 bytes). For clonebundles rows, "hash" and "upload" are the
two phases UploadBench times inside the process: FileDigester (whole-file and per-part SHA-256)
and S3Client.upload to every region at once.
"""
import json
import statistics
import sys
from collections import defaultdict

runs = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
groups = defaultdict(lambda: defaultdict(list))
for run in runs:
    groups[run["group"]][run["label"]].append(run)


def median(values):
    return statistics.median(values) if values else float("nan")


def wall(rows):
    return median([r["wall"] for r in rows])


def gbps(rows):
    return rows[0]["file_bytes"] / wall(rows) / 1e9 if rows else float("nan")


def phase(rows, name):
    return median([r["internal"][name] for r in rows])


def upload_gbps(rows):
    return median([r["internal"]["upload_gbps"] for r in rows])


def quiet(rows):
    """Runs during which other processes used less than 10% of one core."""
    return sum(1 for r in rows if r["other_cpu"] < 0.1 * r["wall"])


def mib(kib):
    return kib / 1024


headline = groups.get("headline", {})
if headline:
    cb1, cb3 = headline.get("clonebundles-1-region", []), headline.get("clonebundles-3-regions", [])
    aws, curl = headline.get("aws-s3-cp", []), headline.get("curl-T", [])
    size = (cb1 or aws or curl)[0]["file_bytes"] >> 20
    print(f"### Medians, {size} MiB file, {len(cb1)} runs each\n")
    print("| command | wall s | GB/s | × aws | × curl | hash s | upload s | upload-only GB/s | peak RSS MiB "
          "| CPU s | others' CPU s | quiet runs |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, rows in [("clonebundles, 1 region", cb1), ("clonebundles, 3 regions", cb3),
                        ("aws s3 cp", aws), ("curl -T", curl)]:
        if not rows:
            continue
        internal = label.startswith("clonebundles")
        print(f"| {label} | {wall(rows):.3f} | {gbps(rows):.2f} | {gbps(rows) / gbps(aws):.2f} | "
              f"{gbps(rows) / gbps(curl):.2f} | "
              + (f"{phase(rows, 'hash_seconds'):.3f} | {phase(rows, 'upload_seconds'):.3f} | "
                 f"{upload_gbps(rows):.2f} | " if internal else "– | – | – | ")
              + f"{mib(max(r['rss_kib'] for r in rows)):.0f} | {median([r['cpu'] for r in rows]):.2f} | "
              f"{median([r['other_cpu'] for r in rows]):.2f} | {quiet(rows)}/{len(rows)} |")
    startup = headline.get("aws-startup", [])
    if startup:
        print(f"\n`aws s3 ls` (Python start-up plus one small request): {wall(startup):.3f} s median.")
    if cb1 and cb3 and aws and curl:
        ratio3 = wall(cb3) / wall(cb1)
        upload_ratio = phase(cb3, "upload_seconds") / phase(cb1, "upload_seconds")
        print("\n| target | measured | met |")
        print("|---|---:|:-:|")
        print(f"| ≥ 3× `aws s3 cp` | {gbps(cb1) / gbps(aws):.2f}× | {'yes' if gbps(cb1) >= 3 * gbps(aws) else 'no'} |")
        print(f"| ≥ 0.6× `curl -T` | {gbps(cb1) / gbps(curl):.2f}× | {'yes' if gbps(cb1) >= 0.6 * gbps(curl) else 'no'} |")
        print(f"| 3 regions ≤ 1.5× 1 region | {ratio3:.2f}× | {'yes' if ratio3 <= 1.5 else 'no'} |")
        print(f"\nUpload phase alone (file already hashed, as in the pipeline): "
              f"{upload_gbps(cb1):.2f} GB/s = {upload_gbps(cb1) / gbps(aws):.1f}× aws, "
              f"{upload_gbps(cb1) / gbps(curl):.1f}× curl; 3 regions / 1 region {upload_ratio:.2f}×.")

tuning = {name[5:]: labels for name, labels in groups.items() if name.startswith("tune:")}
if tuning:
    print("\n### Client settings (medians)\n")
    print("| variant | 1 region s | hash s | upload s | GB/s | 3 regions s | 3r upload s | 3r / 1r | others' CPU s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, labels in tuning.items():
        one, three = labels.get("clonebundles-1-region", []), labels.get("clonebundles-3-regions", [])
        if not one or not three:
            continue
        print(f"| {name} | {wall(one):.3f} | {phase(one, 'hash_seconds'):.3f} | {phase(one, 'upload_seconds'):.3f} | "
              f"{gbps(one):.2f} | {wall(three):.3f} | {phase(three, 'upload_seconds'):.3f} | "
              f"{wall(three) / wall(one):.2f} | {median([r['other_cpu'] for r in one + three]):.2f} |")

memory = {name[7:]: labels for name, labels in groups.items() if name.startswith("memory:")}
if memory:
    size = next(iter(next(iter(memory.values())).values()))[0]["file_bytes"] >> 20
    print(f"\n### Peak memory, {size} MiB file\n")
    print("| settings | command | peak RSS MiB (GNU time) | ru_maxrss MiB (in process) | wall s |")
    print("|---|---|---:|---:|---:|")
    for name, labels in memory.items():
        for label, rows in labels.items():
            inner = [r["internal"].get("max_rss_kib") for r in rows if r["internal"]]
            print(f"| {name} | {label} | {mib(max(r['rss_kib'] for r in rows)):.1f} | "
                  f"{(f'{mib(max(inner)):.1f}' if inner else '–')} | {wall(rows):.2f} |")
    cb = [r for labels in memory.values() for label, rows in labels.items() if label.startswith("clonebundles")
          for r in rows]
    if cb:
        peak = max(r["rss_kib"] for r in cb) * 1024
        print(f"\nPeak memory under 100 MB: {'yes' if peak < 100e6 else 'no'} ({peak / 1e6:.1f} MB at most).")
