#!/usr/bin/python3
"""Draws a scenario's structure, inputs -> formulas -> outputs, from the file,
as a Mermaid flowchart (GitHub and most Markdown viewers render it).

    scripts/scenario_diagram.py scenarios/frontier-2024-2030.toml        # print it
    scripts/scenario_diagram.py --update docs/scenarios.md               # rewrite the doc's diagrams
    scripts/scenario_diagram.py --check docs/scenarios.md                # exit 1 if one is stale

In a document, each diagram sits between `<!-- diagram: scenarios/NAME.toml -->`
and `<!-- /diagram -->`; --update rewrites what is between them from the named
file (paths relative to the repository), --check says which differ.

To stay small: names that differ only by a trailing number (surv0..surv6,
ship_2019..ship_2023) are one node; formulas used by nothing but the outputs
that start with `log_` (kept for the sensitivity analysis) are left out; a
dimensioned node shows its dimensions, `name [chip]`; an input that only one
formula uses is listed inside that formula's box (`<- a, b`), the others are
rounded boxes; formulas are rectangles, outputs drawn with a thick border. Python 3.11 standard library only.
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scenario_lang as L  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def group_key(name, names):
    base = re.sub(r"_?\d+$", "", name)
    if base != name and base not in names and sum(1 for n in names if re.sub(r"_?\d+$", "", n) == base) > 1:
        return base + "#"
    return name


def diagram(path):
    s = L.Scenario(path)
    hidden = {n for n in s.formulas if n.startswith("log_")}
    names = [n for n in list(s.inputs) + list(s.formulas) if n not in hidden]
    members = {}
    for n in names:
        members.setdefault(group_key(n, names), []).append(n)

    def label(key):
        ms = members[key]
        if len(ms) == 1:
            text = ms[0]
        else:
            tail = lambda m: re.search(r"\d+$", m).group(0)  # noqa: E731
            sep = "_" if ms[0][len(key) - 1:].startswith("_") else ""
            nums = sorted((tail(m) for m in ms), key=int)
            text = f"{key[:-1]}{sep}{nums[0]}..{nums[-1]}"
        shape = s.shape(ms[0])
        return text + (f" [{', '.join(shape)}]" if shape else "")

    key_of = {m: k for k, ms in members.items() for m in ms}
    ident = {k: "n" + re.sub(r"\W", "_", k) for k in members}
    input_keys = [k for k in members if members[k][0] in s.inputs]
    formula_keys = [k for k in members if members[k][0] in s.formulas]
    uses = {}
    for k in formula_keys:
        used = set()
        for m in members[k]:
            used |= {key_of[u] for u in s.uses(m) if u in key_of}
        uses[k] = [u for u in sorted(used, key=list(members).index) if u != k]
    outputs = {key_of[o] for o in s.outputs if o in key_of}
    # an input only one formula uses is written inside that formula's box
    users = {k: [f for f in formula_keys if k in uses[f]] for k in input_keys}
    folded = {k: users[k][0] for k in input_keys if len(users[k]) == 1 and k not in outputs}
    lines = ["flowchart LR"]
    shared = [k for k in input_keys if k not in folded]
    if shared:
        lines.append("  subgraph inputs")
        for k in shared:
            lines.append(f'    {ident[k]}("{label(k)}")')
        lines.append("  end")
    for k in formula_keys:
        own = [label(u) for u in uses[k] if folded.get(u) == k]
        rows = [", ".join(own[i:i + 3]) for i in range(0, len(own), 3)]
        text = label(k) + ("<br/>← " + ",<br/>".join(rows) if own else "")
        lines.append(f'  {ident[k]}["{text}"]')
    for k in formula_keys:
        for u in uses[k]:
            if folded.get(u) != k:
                lines.append(f"  {ident[u]} --> {ident[k]}")
    if outputs:
        lines.append("  classDef output stroke-width:3px")
        lines.append("  class " + ",".join(ident[k] for k in members if k in outputs) + " output")
    return "\n".join(lines) + "\n"


BLOCK = re.compile(r"(<!-- diagram: (?P<file>\S+) -->\n)(?P<body>.*?)(<!-- /diagram -->)", re.S)


def rewrite(doc_text):
    def sub(m):
        body = "```mermaid\n" + diagram(os.path.join(REPO, m.group("file"))) + "```\n"
        return m.group(1) + body + m.group(4)
    return BLOCK.sub(sub, doc_text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", help="a scenario (.toml), or with --update/--check a Markdown document")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--update", action="store_true", help="rewrite the document's diagram blocks")
    g.add_argument("--check", action="store_true", help="exit 1 if a diagram block of the document is stale")
    args = ap.parse_args()
    if not (args.update or args.check):
        sys.stdout.write(diagram(args.file))
        return 0
    with open(args.file) as f:
        text = f.read()
    new = rewrite(text)
    if args.check:
        if new != text:
            stale = [m.group("file") for m, n in zip(BLOCK.finditer(text), BLOCK.finditer(new))
                     if m.group(0) != n.group(0)]
            print(f"{args.file}: stale diagram(s): {', '.join(stale)}; run scripts/scenario_diagram.py --update {args.file}",
                  file=sys.stderr)
            return 1
        return 0
    if new != text:
        with open(args.file, "w") as f:
            f.write(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
