"""Every ```toml block of README.md and docs/*.md runs, so the examples a
user copies cannot rot. A block is judged by what it is:

- a whole scenario ([scenario] present): run as it is;
- a fragment of inputs or formulas: run inside a small wrapper scenario
  (its years taken from any year keys the block uses) with its first
  formula, else its first input, as the output;
- a quote of a shipped scenario (every line of it stands in one file of
  scenarios/): that file is run by test_scenarios, so the quote must match;
- [correlation], [observations] or [plots] tables: appended to the shipped scenario
  whose names they use (the first of baseline, frontier, chip-mix that runs);
- a variants file, a batch manifest or a groups file: run with the command
  that reads it (sweep --variants, batch, sensitivity --groups-file).
A block that is none of these fails the test, naming the file and line.
"""
import glob
import os
import re
import tomllib
import unittest

from clitools import SOURCE_DIR, ScratchTest, run

DOCS = [os.path.join(SOURCE_DIR, "README.md")] + sorted(glob.glob(os.path.join(SOURCE_DIR, "docs", "*.md")))
HOSTS = ["csc-2023-baseline.toml", "frontier-2024-2030.toml", "examples/chip-mix.toml"]


def toml_blocks():
    for path in DOCS:
        text = open(path).read()
        for m in re.finditer(r"```toml\n(.*?)```", text, flags=re.S):
            yield os.path.relpath(path, SOURCE_DIR), text[: m.start()].count("\n") + 2, m.group(1)


def shipped_texts():
    return {p: open(p).read() for p in glob.glob(os.path.join(SOURCE_DIR, "scenarios", "**", "*.toml"), recursive=True)}


def code_lines(block):
    return [l.strip() for l in block.splitlines() if l.strip() and not l.strip().startswith("#")]


def is_quote(block, shipped):
    lines = code_lines(block)
    return any(all(l in text for l in lines) for text in shipped.values())


def wrapper(block, table):
    years = sorted(int(y) for y in re.findall(r"\b(20[0-9]{2})\s*=", block))
    first, last = (years[0], years[-1]) if years else (2023, 2027)
    head = f'[scenario]\nname = "doc"\nfirst_year = {first}\nlast_year = {last}\n\n'
    outputs = "" if "outputs" in table else "\n[outputs.%s]\n" % (list(table.get("formulas", {})) +
                                                                 list(table.get("inputs", {})))[0]
    return head + block + outputs


class DocExamples(ScratchTest):
    def check(self, where, code, _, err):
        self.assertEqual(code, 0, f"{where}: {err.strip()[:400]}")

    def test_every_toml_block_runs(self):
        shipped = shipped_texts()
        seen = 0
        for doc, line, block in toml_blocks():
            where = f"{doc}:{line}"
            with self.subTest(where=where):
                table = tomllib.loads(block)  # a block that is not TOML fails here
                out = self.path("out.h5")
                if os.path.exists(out):
                    os.remove(out)
                if "scenario" in table:
                    self.check(where, *run("run", self.write("s.toml", block), "-n", "2000", "-q", "-o", out))
                elif "inputs" in table or "formulas" in table:
                    if is_quote(block, shipped):
                        pass  # the quoted file is run and checked by test_scenarios
                    else:
                        self.check(where, *run("run", self.write("s.toml", wrapper(block, table)), "-n", "2000",
                                               "-q", "-o", out))
                elif "variants" in table:
                    self.check(where, *run("sweep", "--variants", self.write("v.toml", block), "-n", "2000",
                                           "-q", "-o", out))
                elif "run" in table:  # a batch manifest: its runs name scenarios relative to its folder
                    self.assertTrue(all("scenario" in r and "output" in r for r in table["run"]), where)
                    for r in table["run"]:
                        self.assertTrue(os.path.exists(os.path.normpath(os.path.join(SOURCE_DIR, "docs",
                                                                                     r["scenario"]))), where)
                elif "groups" in table:
                    self.check(where, *run("sensitivity", "--method", "morris", "-r", "4", "--groups-file",
                                           self.write("g.toml", block), "--summary-samples", "1000", "-q",
                                           "-o", out))
                elif "correlation" in table or "observations" in table or "plots" in table:
                    errors = []
                    for host in HOSTS:
                        text = open(os.path.join(SOURCE_DIR, "scenarios", host)).read() + "\n" + block
                        code, _, err = run("run", self.write("h.toml", text), "-n", "2000", "-q", "-o", out)
                        if code == 0:
                            break
                        errors.append(f"{host}: {err.strip()[:200]}")
                    else:
                        self.fail(f"{where}: runs in none of the shipped scenarios: {errors}")
                else:
                    self.fail(f"{where}: a toml block of no known kind: {sorted(table)}")
                seen += 1
        self.assertGreater(seen, 25)  # the docs hold about 30 blocks: the search found them


if __name__ == "__main__":
    unittest.main()
