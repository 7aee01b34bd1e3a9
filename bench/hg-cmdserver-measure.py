#!/usr/bin/env python3
"""What a long-lived hg (its command server) would save per repo (issue 12, "many repos").

    bench/hg-cmdserver-measure.py REPO [--hg hg] [--runs 20]

Times, in one repository, the commands `generate` runs per repo for changegroup types
(`hg log` for the heads, `hg bundle -t none-v2` of them into a file, `hg debugbundle --spec` of
a bundle) two ways: each as its own process, as the tool runs them today, and each through one
`hg serve --cmdserver pipe` started once (its start counted once). Prints one JSON object with
the medians in seconds.
"""
import json
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import time


def options():
    args = sys.argv[1:]
    hg, runs = "hg", 20
    if "--hg" in args:
        hg = args[args.index("--hg") + 1]
    if "--runs" in args:
        runs = int(args[args.index("--runs") + 1])
    return args[0], hg, runs


class CommandServer:
    def __init__(self, hg, repo):
        env = dict(os.environ, HGPLAIN="1")
        self.process = subprocess.Popen(
            [hg, "serve", "--cmdserver", "pipe", "-R", repo, "--config", "ui.interactive=False"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        self.read_channel()  # hello

    def read_channel(self):
        header = self.process.stdout.read(5)
        channel, length = struct.unpack(">cI", header)
        return channel, self.process.stdout.read(length)

    def run(self, args):
        data = b"\0".join(a.encode() for a in args)
        self.process.stdin.write(b"runcommand\n" + struct.pack(">I", len(data)) + data)
        self.process.stdin.flush()
        while True:
            channel, payload = self.read_channel()
            if channel == b"r":
                return struct.unpack(">i", payload)[0]

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def main():
    repo, hg, runs = options()
    env = dict(os.environ, HGPLAIN="1")
    directory = tempfile.mkdtemp()
    bundle = os.path.join(directory, "b.hg")
    heads = subprocess.run([hg, "-R", repo, "log", "-r", "heads(not secret())", "-T", "{node}\n"],
                           env=env, capture_output=True, check=True, text=True).stdout.split()
    revs = [x for head in heads for x in ("-r", head)]
    commands = {
        "log": ["log", "-r", "heads(not secret())", "-T", "{rev} {node}\n"],
        "bundle": ["bundle", "-q", "-t", "none-v2", "--base", "null"] + revs + [bundle],
        "spec": ["debugbundle", "--spec", bundle],
    }
    subprocess.run([hg, "-R", repo] + commands["bundle"], env=env, check=True)
    processes = {name: [] for name in commands}
    served = {name: [] for name in commands}
    starts = []
    for _ in range(runs):
        for name, args in commands.items():
            if name == "bundle":
                os.unlink(bundle)
            start = time.perf_counter()
            subprocess.run([hg, "-R", repo] + args, env=env, check=True, capture_output=True)
            processes[name].append(time.perf_counter() - start)
        start = time.perf_counter()
        server = CommandServer(hg, repo)
        starts.append(time.perf_counter() - start)
        for name, args in commands.items():
            if name == "bundle":
                os.unlink(bundle)
            start = time.perf_counter()
            assert server.run(args) == 0, name
            served[name].append(time.perf_counter() - start)
        server.close()
    result = {
        "repo": repo, "runs": runs,
        "process": {k: round(statistics.median(v), 4) for k, v in processes.items()},
        "cmdserver": {k: round(statistics.median(v), 4) for k, v in served.items()},
        "cmdserver_start": round(statistics.median(starts), 4),
    }
    result["per_repo_processes_s"] = round(sum(result["process"].values()) + result["process"]["spec"], 4)
    result["per_repo_cmdserver_s"] = round(
        result["cmdserver_start"] + sum(result["cmdserver"].values()) + result["cmdserver"]["spec"], 4)
    print(json.dumps(result))


main()
