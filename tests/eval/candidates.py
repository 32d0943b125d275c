#!/usr/bin/env python3
"""candidates.py DELTA.json FROM TO [SAMPLE]: the evaluation's candidates,
one per line: PATH HEADER,HEADER|- NSOURCES

A candidate is a changed .c file this config builds (outcome "candidate" in
the --report-only JSON of FROM -> TO), with the changed headers it needs:
the changed, built headers that reach one of the .c file's compiled sources
through the include graph (the report's "reaches") AND define a name the
.c file starts to use: an identifier the header's new version has and its
old one has not, which the .c file's new version has and its old one has
not. A header only reached is not needed (the .c compiles without its
change): its change is the update of the headers' own candidates... or of
none, when no candidate needs it.
NSOURCES counts the compiled sources the candidate's files reach together
(what its update rebuilds). Candidates are sorted by path; with SAMPLE (a
number smaller than their count) SAMPLE of them are taken, evenly spread:
the i-th is the floor(i * n / SAMPLE)-th.
"""
import json
import re
import sys

WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def new_names(frm, to, path):
    """Identifiers in TO/PATH that FROM/PATH does not have."""
    def names(root):
        try:
            with open(f"{root}/{path}", errors="replace") as f:
                return set(WORD.findall(f.read()))
        except OSError:
            return set()
    return names(to) - names(frm)


def main():
    report = json.load(open(sys.argv[1]))
    frm, to = sys.argv[2], sys.argv[3]
    sample = int(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[4] else 0
    built = [f for f in report["files"]
             if f["change"] == "modified" and f["outcome"] == "candidate"]
    headers = [(h, new_names(frm, to, h["path"])) for h in built if h["path"].endswith(".h")]
    cands = []
    for f in sorted((f for f in built if f["path"].endswith(".c")), key=lambda f: f["path"]):
        mine = set(f["reaches"])
        uses = new_names(frm, to, f["path"])
        need = [h for h, names in headers if mine & set(h["reaches"]) and names & uses]
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
