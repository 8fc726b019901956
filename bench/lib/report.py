#!/usr/bin/env python3
"""Writes the tables of docs/benchmarks.md from bench/results/: the text between <!--KIND--> and
<!--/KIND--> is replaced by the output of summarize.py (MACHINE: the *-machine.txt files).
usage: report.py <results> <docs/benchmarks.md>"""
import os
import re
import subprocess
import sys

results, doc = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
text = open(doc).read()


def put(kind, body):
    global text
    text = re.sub(rf"<!--{kind}-->.*?<!--/{kind}-->", lambda m: f"<!--{kind}-->\n{body.strip()}\n<!--/{kind}-->",
                  text, flags=re.S)


machine = []
for name in ("processor", "rest", "workers"):
    p = os.path.join(results, f"{name}-machine.txt")
    if os.path.exists(p):
        machine.append(f"`bench/{name}.sh`:\n\n```\n{open(p).read().strip()}\n```")
put("MACHINE", "\n\n".join(machine))
for kind in ("processor", "rest", "workers", "memory"):
    if os.path.exists(os.path.join(results, f"{kind}-runs.tsv")):
        out = subprocess.run([sys.executable, os.path.join(here, "summarize.py"), kind, results],
                             check=True, capture_output=True, text=True).stdout
        put(kind.upper(), out)
open(doc, "w").write(text)
