#!/usr/bin/env python3
"""Measurement helpers for bench/pipeline (see docs/performance.md, "Pipeline end to end").

    pipeline-measure.py run --json FILE -- COMMAND...
        Runs COMMAND (its output is ours) and writes one JSON object to FILE: wall seconds; CPU of the process itself
        (/proc/<pid>/stat utime+stime, read after it exited but before it is reaped) and of its
        waited-for children (cutime+cstime: hg); wait4's total; peak RSS of the process itself
        (VmHWM from /proc/<pid>/status, sampled every 20 ms: monotonic, so only growth in the
        last 20 ms could be missed) and wait4's ru_maxrss (largest process of the tree, usually hg).

    pipeline-measure.py hg --hg HG --repo R --out DIR --types gzip-v2,zstd,stream-v2 [--slots 2]
                           [--no-alone] [--order-by-cost]
        Runs `hg bundle` exactly as clonebundles runs it for each type (HGPLAIN=1,
        --config extensions.vcsreplicator=!, -R repo, --base null -r <each head> / -a for stream,
        compression configs), first each command alone, then all of them SLOTS at a time,
        longest first (by the alone durations, or by clonebundles' cost rank with --order-by-cost
        or --no-alone). Prints one JSON object with per-command wall/CPU and the makespan.
        Also times `hg debugbundle --spec` of each file and one `hg log -r tip` (process start cost),
        and ("with_checks") every command the tool ran before it compressed changegroups itself:
        the snapshot's `hg log`, then per type `hg bundle` and `hg debugbundle --spec` of its file,
        SLOTS at a time in the same order (issue 12's baseline).
"""
import json
import os
import subprocess
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")

# type name -> (hg --type, configs, stream?, clonebundles' default cost rank)
TYPES = {
    "gzip-v2": ("gzip-v2", [], False, 30),
    "zstd": ("zstd-v2", [], False, 20),
    "zstd-max": ("zstd-v2", ["experimental.bundlecomplevel=20", "experimental.bundlecompthreads=4"], False, 220),
    "stream-v2": ("none-v2;stream=v2", [], True, 1),
}


def proc_stat(pid):
    with open(f"/proc/{pid}/stat") as f:
        text = f.read()
    fields = text[text.rindex(")") + 2:].split()
    # fields[0] is field 3 (state); utime is field 14 -> index 11.
    utime, stime, cutime, cstime = (int(fields[i]) / TICK for i in (11, 12, 13, 14))
    return utime + stime, cutime + cstime


def vmhwm(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def machine_busy():
    """CPU seconds the whole machine spent busy so far (user+nice+system+irq+softirq+steal)."""
    with open("/proc/stat") as f:
        fields = f.readline().split()
    return sum(int(fields[i]) for i in (1, 2, 3, 6, 7, 8)) / TICK


def chg_processes_cpu():
    """Own CPU seconds (no reaped children) of each chg server and worker alive now, by pid:
    with `hg_command_server` on, hg's commands run there, not in the tool's children. Sampled
    while the run goes on, since a worker may outlive its server (a second server took the
    socket) and then nobody reaps it where the tool could count it."""
    processes = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/cmdline", "rb") as f:
                if b"chgunix" not in f.read():
                    continue
            own, _ = proc_stat(int(name))
        except OSError:
            continue
        processes[int(name)] = own
    return processes


def measure(argv, env=None, stdout=None, stderr=None, interval=0.02):
    busy = machine_busy()
    chg_before = chg_processes_cpu()
    chg_seen = dict(chg_before)
    start = time.monotonic()
    child = subprocess.Popen(argv, env=env, stdout=stdout, stderr=stderr)
    peak = 0
    while True:
        # Wait without reaping, so /proc/<pid>/stat still holds the final CPU times.
        info = os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        if info is not None and info.si_pid == child.pid:
            break
        hwm = vmhwm(child.pid)
        if hwm:
            peak = max(peak, hwm)
        for pid, cpu in chg_processes_cpu().items():
            chg_seen[pid] = max(cpu, chg_seen.get(pid, 0.0))
        time.sleep(interval)
    wall = time.monotonic() - start
    self_cpu, children_cpu = proc_stat(child.pid)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    machine = machine_busy() - busy
    for pid, cpu in chg_processes_cpu().items():
        chg_seen[pid] = max(cpu, chg_seen.get(pid, 0.0))
    # Per process: what each used during the run (a worker's last 20 ms may be missed).
    chg = sum(cpu - chg_before.get(pid, 0.0) for pid, cpu in chg_seen.items())
    return {
        # Busy CPU of the whole machine meanwhile, minus this command's and its chg servers':
        # other engineers, servers.
        "others_cpu": max(0.0, machine - (usage.ru_utime + usage.ru_stime) - chg),
        "chg_cpu": chg,
        "rc": child.returncode,
        "wall": wall,
        "self_cpu": self_cpu,
        "children_cpu": children_cpu,
        "total_cpu": usage.ru_utime + usage.ru_stime,
        "self_peak_rss_kib": peak,
        "tree_maxrss_kib": usage.ru_maxrss,
    }


def hg_env():
    env = dict(os.environ)
    env["HGPLAIN"] = "1"
    return env


def hg_argv(hg, repo, type_name, heads, output):
    hg_type, configs, stream, _ = TYPES[type_name]
    argv = [hg, "--config", "extensions.vcsreplicator=!"]
    for config in configs:
        argv += ["--config", config]
    revisions = ["-a"] if stream else ["--base", "null"] + [x for h in heads for x in ("-r", h)]
    return argv + ["-R", repo, "bundle", "--type", hg_type] + revisions + [output]


def spec_argv(hg, repo, path):
    return [hg, "--config", "extensions.vcsreplicator=!", "-R", repo, "debugbundle", "--spec", path]


def run_slots(commands, slots, env):
    """Runs (name, argv) in order, `slots` at a time; returns per-command timings and the makespan.

    An entry may also be (name, [argv, argv, ...]): a chain run one after the other in its slot
    (a bundle, then its spec check), timed as one job."""
    pending = [(name, list(argv) if isinstance(argv[0], list) else [argv]) for name, argv in commands]
    running = {}
    results = {}
    busy = machine_busy()
    start = time.monotonic()
    while pending or running:
        while pending and len(running) < slots:
            name, chain = pending.pop(0)
            child = subprocess.Popen(chain[0], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            running[child.pid] = (name, child, time.monotonic(), chain[1:], 0.0)
        pid, status, usage = os.wait4(-1, 0)
        if pid not in running:
            continue
        name, child, began, rest, cpu = running.pop(pid)
        code = os.waitstatus_to_exitcode(status)
        child.returncode = code
        if code != 0:
            sys.exit(f"pipeline-measure: {name} failed ({code}): {child.stderr.read().decode(errors='replace')}")
        cpu += usage.ru_utime + usage.ru_stime
        if rest:
            child = subprocess.Popen(rest[0], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            running[child.pid] = (name, child, began, rest[1:], cpu)
            continue
        results[name] = {"start": began - start, "end": time.monotonic() - start, "cpu": cpu}
    makespan = time.monotonic() - start
    others = max(0.0, machine_busy() - busy - sum(r["cpu"] for r in results.values()))
    return results, makespan, others


def hg_baseline(args):
    env = hg_env()
    heads = subprocess.run(
        [args.hg, "-R", args.repo, "log", "-r", "heads(not secret())", "-T", "{node}\n"],
        env=env, check=True, capture_output=True, text=True).stdout.split()
    os.makedirs(args.out, exist_ok=True)
    types = args.types.split(",")
    files = {t: os.path.join(args.out, f"hg-{t}.hg") for t in types}
    report = {"heads": len(heads), "slots": args.slots, "alone": {}, "debugbundle": {}}

    def remove_files():
        for path in files.values():
            if os.path.exists(path):
                os.remove(path)

    if args.alone:
        for t in types:
            remove_files()
            m = measure(hg_argv(args.hg, args.repo, t, heads, files[t]), env=env,
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if m["rc"] != 0:
                sys.exit(f"pipeline-measure: hg bundle --type {t} failed")
            m["bytes"] = os.path.getsize(files[t])
            report["alone"][t] = m
        order = sorted(types, key=lambda t: -report["alone"][t]["wall"])
    else:
        order = sorted(types, key=lambda t: -TYPES[t][3])
    if args.order_by_cost:
        order = sorted(types, key=lambda t: -TYPES[t][3])
    remove_files()
    commands = [(t, hg_argv(args.hg, args.repo, t, heads, files[t])) for t in order]
    timings, makespan, others = run_slots(commands, args.slots, env)
    report["slots_others_cpu"] = others
    for t in types:
        timings[t]["bytes"] = os.path.getsize(files[t])
    report["order"] = order
    report["slots_run"] = timings
    report["makespan"] = makespan
    report["slots_cpu"] = sum(x["cpu"] for x in timings.values())
    # Issue 12's baseline: hg alone running every command the tool ran before it compressed
    # changegroups itself: the snapshot's `hg log`, then per type `hg bundle` followed by
    # `hg debugbundle --spec` of that file, 2 at a time, longest first.
    remove_files()
    snapshot = measure([args.hg, "--config", "extensions.vcsreplicator=!", "-R", args.repo, "log", "-r",
                        "heads(not secret())", "-T", "{rev} {node}\\n"], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    chains = [(t, [hg_argv(args.hg, args.repo, t, heads, files[t]), spec_argv(args.hg, args.repo, files[t])])
              for t in order]
    chain_timings, chain_makespan, chain_others = run_slots(chains, args.slots, env)
    report["with_checks"] = {
        "makespan": snapshot["wall"] + chain_makespan,
        "cpu": snapshot["total_cpu"] + sum(x["cpu"] for x in chain_timings.values()),
        "others_cpu": chain_others,
        "snapshot_wall": snapshot["wall"],
        "slots_run": chain_timings,
    }
    # What the tool adds per bundle and per repo: hg debugbundle --spec, and an hg process start.
    for t in types:
        m = measure(spec_argv(args.hg, args.repo, files[t]), env=env, stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL)
        report["debugbundle"][t] = {"wall": m["wall"], "cpu": m["total_cpu"]}
    m = measure([args.hg, "-R", args.repo, "log", "-r", "tip", "-T", "{node}\n"], env=env,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    report["hg_start"] = {"wall": m["wall"], "cpu": m["total_cpu"]}
    remove_files()
    print(json.dumps(report))


def main():
    import argparse
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run")
    run.add_argument("--json", required=True, help="file to write the measurement to")
    run.add_argument("argv", nargs=argparse.REMAINDER)
    hg = sub.add_parser("hg")
    hg.add_argument("--hg", default="hg")
    hg.add_argument("--repo", required=True)
    hg.add_argument("--out", required=True)
    hg.add_argument("--types", default="gzip-v2,zstd,stream-v2")
    hg.add_argument("--slots", type=int, default=2)
    hg.add_argument("--no-alone", dest="alone", action="store_false")
    hg.add_argument("--order-by-cost", action="store_true")
    args = parser.parse_args()
    if args.command == "run":
        argv = args.argv[1:] if args.argv[:1] == ["--"] else args.argv
        if not argv:
            parser.error("run needs a command")
        # The command's own output goes where ours goes; the measurement to --json.
        result = measure(argv)
        with open(args.json, "w") as f:
            json.dump(result, f)
        sys.exit(0 if result["rc"] == 0 else 1)
    else:
        hg_baseline(args)


if __name__ == "__main__":
    main()
