#!/usr/bin/env python3
"""candidates.py DELTA.json [SAMPLE]: the evaluation's candidates, one per line:
PATH HEADER,HEADER|- NOBJECTS

A candidate is a changed .c file this config builds, with the changed headers
it needs: every changed, built header whose include-graph reach (the report's
"reaches") shares a compiled source with the .c file's. NOBJECTS counts the
compiled sources the candidate's files reach together (what its update
rebuilds). Candidates are sorted by path; with SAMPLE (a number smaller than
their count), SAMPLE of them are taken evenly spread: the i-th is
floor(i * n / SAMPLE).
"""
import json
import sys


def main():
    report = json.load(open(sys.argv[1]))
    sample = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2] else 0
    files = report["files"]
    built = [f for f in files if f["change"] == "modified" and f["outcome"] == "candidate"]
    headers = [f for f in built if f["path"].endswith(".h")]
    cands = []
    for f in sorted((f for f in built if f["path"].endswith(".c")), key=lambda f: f["path"]):
        mine = set(f["reaches"])
        need = [h for h in headers if mine & set(h["reaches"])]
        objects = set(mine)
        for h in need:
            objects |= set(h["reaches"])
        cands.append((f["path"], [h["path"] for h in need], len(objects)))
    if sample and sample < len(cands):
        n = len(cands)
        cands = [cands[i * n // sample] for i in range(sample)]
    for path, need, nobj in cands:
        print(path, ",".join(need) or "-", nobj)


main()
