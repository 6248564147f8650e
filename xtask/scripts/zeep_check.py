#!/usr/bin/env python3
"""Does zeep load each entry WSDL of a corpus folder, offline?

    python3 zeep_check.py CORPUS_DIR [--out RESULTS.tsv] [--timeout SECONDS]

A corpus folder holds MANIFEST.tsv (tab-separated, header line; column 1 `file`, column 2
`role`; rows whose role is `entry` are checked) and optionally _external/URLMAP.tsv
(`url<TAB>local file relative to the corpus folder`, `#` comments). Each entry is loaded by
`zeep.Client` in a child process (so a hang or a crash is one file's result, with a timeout),
through a transport that serves local files and the URL map and refuses every other URL, so
nothing is fetched from the network. A load that succeeds also lists the services, ports and
operations, to be sure the bindings were resolved, not only parsed.

Prints `file<TAB>result` lines, result `loads` or `fails: <short reason>`; with --out, also
writes them to that file (with a header line) and the counts to stderr.
"""

import argparse
import json
import os
import subprocess
import sys
from urllib.parse import urlparse


class NotOffline(Exception):
    """A document asked for a URL that neither the corpus nor its URL map has."""


def read_urlmap(root):
    """URL -> absolute local path, from _external/URLMAP.tsv (missing file: empty map)."""
    path = os.path.join(root, "_external", "URLMAP.tsv")
    urlmap = {}
    if not os.path.exists(path):
        return urlmap
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#") or "\t" not in line:
                continue
            url, local = line.split("\t", 1)
            urlmap[url.strip()] = os.path.join(root, local.strip())
    return urlmap


def entries(root):
    """The `entry` rows' files, in manifest order."""
    with open(os.path.join(root, "MANIFEST.tsv"), encoding="utf-8") as fh:
        lines = fh.read().splitlines()[1:]
    return [cols[0] for cols in (l.split("\t") for l in lines) if len(cols) > 1 and cols[1] == "entry"]


def offline_transport(urlmap):
    """A zeep Transport whose load() reads local files and mapped URLs only."""
    from zeep.transports import Transport

    class OfflineTransport(Transport):
        def load(self, url):
            if not url:
                raise ValueError("no url given to load")
            if url in urlmap:
                return _read(urlmap[url])
            parsed = urlparse(url)
            if parsed.scheme == "file":
                return _read(parsed.path)
            if parsed.scheme in ("http", "https") or "://" in url:
                raise NotOffline(f"remote reference not in URLMAP: {url}")
            return _read(os.path.expanduser(url))

    return OfflineTransport()


def _read(path):
    with open(path, "rb") as fh:
        return fh.read()


def check_one(root, file):
    """Loads one entry; returns a dict with `ok` and either counts or `error`."""
    import warnings
    import logging

    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)
    import zeep

    client = zeep.Client(wsdl=os.path.join(root, file), transport=offline_transport(read_urlmap(root)))
    services = ports = operations = 0
    for service in client.wsdl.services.values():
        services += 1
        for port in service.ports.values():
            ports += 1
            operations += len(port.binding._operations)
    return {"ok": True, "services": services, "ports": ports, "operations": operations}


def short_reason(error):
    """One line, at most ~160 characters: the exception type and its message."""
    text = " ".join(str(error).split())
    name = type(error).__name__
    reason = f"{name}: {text}" if text else name
    return reason if len(reason) <= 160 else reason[:157] + "..."


def child(root, file):
    """Runs in the child process: prints one JSON line with the result."""
    try:
        result = check_one(root, file)
    except RecursionError:
        result = {"ok": False, "error": "RecursionError: maximum recursion depth exceeded"}
    except Exception as error:  # any failure of zeep is this file's result
        result = {"ok": False, "error": short_reason(error)}
    print(json.dumps(result))


def run(root, file, timeout):
    """The result column for one entry, from a child process with a timeout."""
    try:
        proc = subprocess.run(
            [sys.executable, os.path.abspath(__file__), "--one", root, file],
            capture_output=True, text=True, timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return f"fails: timeout after {timeout} s", None
    lines = [l for l in proc.stdout.splitlines() if l.startswith("{")]
    if not lines:
        last = (proc.stderr.strip().splitlines() or [f"exit status {proc.returncode}"])[-1]
        return f"fails: crashed: {last[:140]}", None
    result = json.loads(lines[-1])
    if result["ok"]:
        return "loads", result
    return f"fails: {result['error']}", None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root")
    parser.add_argument("file", nargs="?")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out")
    parser.add_argument("--timeout", type=int, default=60)
    args = parser.parse_args()
    root = os.path.abspath(args.root)
    if args.one:
        child(root, args.file)
        return
    results = []
    for file in entries(root):
        result, counts = run(root, file, args.timeout)
        detail = "" if counts is None else " ({services} services, {ports} ports, {operations} operations)".format(**counts)
        print(f"{file}\t{result}{detail}", flush=True)
        results.append((file, result))
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write("file\tzeep\n")
            for file, result in results:
                fh.write(f"{file}\t{result}\n")
    loads = sum(r == "loads" for _, r in results)
    print(f"zeep loads {loads} of {len(results)}", file=sys.stderr)


if __name__ == "__main__":
    main()
