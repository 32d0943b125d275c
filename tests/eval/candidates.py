#!/usr/bin/env python3
"""candidates.py DELTA.json [SAMPLE]: the evaluation's candidates, one per
line: PATH HEADER,HEADER|- NSOURCES

A candidate is a changed .c file this config builds (outcome "candidate" in
the --report-only JSON), listed with the changed, built headers that reach
one of its compiled sources through the include graph (the report's
"reaches"): the headers it may need. stable-eval first builds the .c change
alone and adds these headers only when it does not compile without them.
NSOURCES counts the compiled sources the .c and those headers reach
together (what an update with the headers rebuilds). Candidates are sorted
by path; with SAMPLE (a number smaller than their count) SAMPLE of them are
taken, evenly spread: the floor(i * n / SAMPLE)-th for i = 0..SAMPLE-1.
"""
import json
import sys


def main():
    report = json.load(open(sys.argv[1]))
    sample = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2] else 0
    built = [f for f in report["files"]
             if f["change"] == "modified" and f["outcome"] == "candidate"]
    headers = [h for h in built if h["path"].endswith(".h")]
    cands = []
    for f in sorted((f for f in built if f["path"].endswith(".c")), key=lambda f: f["path"]):
        mine = set(f["reaches"])
        need = [h for h in headers if mine & set(h["reaches"])]
        sources = set(mine)
        for h in need:
            sources |= set(h["reaches"])
        cands.append((f["path"], [h["path"] for h in need], len(sources)))
    if sample and sample < len(cands):
        n = len(cands)
        cands = [cands[i * n // sample] for i in range(sample)]
    for path, need, nsrc in cands:
        print(path, ",".join(need) or "-", nsrc)


main()
