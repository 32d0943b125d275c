#!/usr/bin/env python3
"""candidates.py DELTA.json FROM TO [SAMPLE]: the evaluation's candidates,
one per line: PATH HEADERS NSOURCES LINKED NLINKED (lists comma-separated,
"-" when empty)

A candidate is a changed .c file this config builds (outcome "candidate" in
the --report-only JSON), listed with the changed, built headers that reach
one of its compiled sources through the include graph (the report's
"reaches"): the headers it may need. stable-eval first builds the .c change
alone and adds these headers only when it does not compile without them.
NSOURCES counts the compiled sources the .c and those headers reach
together (what an update with the headers rebuilds). LINKED are those of
the headers whose change declares something the .c file's change names: a
function or macro name on a changed line of the header (an identifier
followed by "(", or #define'd) that is on a changed line of the .c file,
leaving out names declared by the changes of more than 3 headers (WARN_ON
and the like); NLINKED counts the sources they and the .c reach. Tried
before all the headers. Candidates are sorted
by path; with SAMPLE (a number smaller than their count) SAMPLE of them are
taken, evenly spread: the floor(i * n / SAMPLE)-th for i = 0..SAMPLE-1.
"""
import difflib
import json
import re
import sys


WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
DECL = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*\(|#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)")
KEYWORDS = {"if", "for", "while", "switch", "return", "sizeof", "typeof", "defined", "__attribute__"}


def changed_lines(frm, to, path):
    def lines(root):
        try:
            with open(f"{root}/{path}", errors="replace") as f:
                return f.read().splitlines()
        except OSError:
            return []
    a, b = lines(frm), lines(to)
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            out += a[i1:i2] + b[j1:j2]
    return out


def declared(lines):
    names = set()
    for line in lines:
        for call, define in DECL.findall(line):
            names.add(call or define)
    return names - KEYWORDS


def main():
    report = json.load(open(sys.argv[1]))
    frm, to = sys.argv[2], sys.argv[3]
    sample = int(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[4] else 0
    built = [f for f in report["files"]
             if f["change"] == "modified" and f["outcome"] == "candidate"]
    headers = [h for h in built if h["path"].endswith(".h")]
    cands = [f for f in sorted((f for f in built if f["path"].endswith(".c")), key=lambda f: f["path"])]
    if sample and sample < len(cands):
        n = len(cands)
        cands = [cands[i * n // sample] for i in range(sample)]
    decls = {h["path"]: declared(changed_lines(frm, to, h["path"])) for h in headers}
    count = {}
    for names in decls.values():
        for name in names:
            count[name] = count.get(name, 0) + 1

    def reach(files):
        sources = set()
        for h in files:
            sources |= set(h["reaches"])
        return sources

    for f in cands:
        mine = set(f["reaches"])
        need = [h for h in headers if mine & set(h["reaches"])]
        uses = set(WORD.findall("\n".join(changed_lines(frm, to, f["path"]))))
        linked = [h for h in need if {n for n in decls[h["path"]] if count[n] <= 3} & uses]
        print(f["path"], ",".join(h["path"] for h in need) or "-", len(mine | reach(need)),
              ",".join(h["path"] for h in linked) or "-", len(mine | reach(linked)))


main()
