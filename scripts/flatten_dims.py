#!/usr/bin/python3
"""Writes a scenario that uses named dimensions (issue 17: [dimensions], `over`,
sum(x, chip), x[chip=E], comparisons, if, clamp, logistic, scurve) as the same
model element by element, for an engine that does not have them yet:

    scripts/flatten_dims.py scenarios/frontier-2024-2030.toml -o /tmp/flat.toml
    build/flopcast run /tmp/flat.toml

A stopgap, for testing the scenario library before the language is in the
engine. Every dimensioned input becomes one input per element, NAME__E (for
two dimensions NAME__E1_E2), every dimensioned formula one formula per
element; reductions become sums written out; comparisons, `and`, `or`, `not`
and `if` become arithmetic (exact for finite operands; a comparison of two
constants, or of constants per element, is decided here), clamp becomes
min/max, logistic and scurve their formulas (--native-functions keeps these
as written, for an engine that has them but not dimensions). The results are the same model
with other random streams (other input names), so they agree with the
dimensioned engine's to Monte Carlo error, not bit for bit. Not supported:
correlation_within and [correlation] entries naming elements.
"""
import argparse
import itertools
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scenario_lang as L  # noqa: E402

# a > b as arithmetic: 1 when a - b > 0, else 0 (exact unless |a - b| < 1e-300)
STEP = "1e300"


def flat_name(name, shape, env):
    if not shape:
        return name
    return name + "__" + "_".join(env[d] for d in shape)


class Flattener:
    def __init__(self, scenario, native=False):
        self.s = scenario
        self.native = native  # keep comparisons, and/or/not, if, clamp, logistic, scurve as written
        self.consts = {}  # flat name -> value, for deciding comparisons of constants
        for name, table in self.s.inputs.items():
            if table.get("dist") == "constant":
                for env in self.envs(self.s.shape(name)):
                    self.consts[flat_name(name, self.s.shape(name), env)] = self.pick(table["value"], name, env)

    def envs(self, shape):
        for combo in itertools.product(*(self.s.dims[d] for d in shape)):
            yield dict(zip(shape, combo))

    def pick(self, value, name, env):
        """A parameter's value for one element: nested tables keyed by element, in `over` order."""
        over = self.s.inputs[name].get("over", [])
        for d in over:
            if isinstance(value, dict) and set(value) <= set(self.s.dims[d]):
                if env[d] not in value:
                    raise SystemExit(f"inputs.{name}: no value for {d}={env[d]}")
                value = value[env[d]]
        return value

    # ------------------------------------------------------------ formulas --
    def emit(self, n, env):
        k = n[0]
        if k == "num":
            return n[1]
        if k == "name":
            if n[1] in L.BUILTIN_NAMES:
                return n[1]
            return flat_name(n[1], self.s.shape(n[1]), env)
        if k == "sel":
            return self.emit(n[1], {**env, n[2]: n[3]})
        if k == "neg":
            return f"(-{self.emit(n[1], env)})"
        if k == "not":
            return f"(not {self.emit(n[1], env)})" if self.native else f"(1 - {self.emit(n[1], env)})"
        if k == "bin":
            op, a, b = n[1], self.emit(n[2], env), self.emit(n[3], env)
            if op in ("+", "-", "*", "/", "^") or self.native:
                return f"({a} {op} {b})"
            if op == "and":
                return f"({a} * {b})"
            if op == "or":
                return f"max({a}, {b})"
            folded = self.fold(n, env)
            if folded is not None:
                return folded
            gt = lambda x, y: f"min(max(({x} - {y}) * {STEP}, 0), 1)"  # noqa: E731
            return {">": gt(a, b), "<": gt(b, a), ">=": f"(1 - {gt(b, a)})", "<=": f"(1 - {gt(a, b)})",
                    "==": f"((1 - {gt(a, b)}) * (1 - {gt(b, a)}))",
                    "!=": f"(1 - (1 - {gt(a, b)}) * (1 - {gt(b, a)}))"}[op]
        # calls
        f, args = n[1], n[2]
        if L.is_reduction(n, self.s.dims):
            dim = args[1][1]
            parts = [self.emit(args[0], {**env, dim: e}) for e in self.s.dims[dim]]
            if f == "sum":
                return "(" + " + ".join(parts) + ")"
            if f == "mean":
                return "((" + " + ".join(parts) + f") / {len(parts)})"
            if f == "prod":
                return "(" + " * ".join(parts) + ")"
            return f"{f}(" + ", ".join(parts) + ")"
        e = [self.emit(a, env) for a in args]
        if self.native:
            return f"{f}(" + ", ".join(e) + ")"
        if f == "if":
            c = self.fold(args[0], env)
            if c is not None:
                return e[1] if float(c) != 0 else e[2]
            return f"(({e[0]}) * ({e[1]}) + (1 - ({e[0]})) * ({e[2]}))"
        if f == "clamp":
            return f"min(max({e[0]}, {e[1]}), {e[2]})"
        if f == "logistic":
            return f"(1 / (1 + exp(-({e[0]}))))"
        if f == "scurve":
            return f"(1 / (1 + exp(-(({e[0]}) - ({e[1]})) / ({e[2]}))))"
        return f"{f}(" + ", ".join(e) + ")"

    def fold(self, n, env):
        """The value of a condition made of numbers and constant inputs only, else None."""
        def value(m):
            k = m[0]
            if k == "num":
                return float(m[1])
            if k == "name":
                key = flat_name(m[1], self.s.shape(m[1]), env) if m[1] in self.s.inputs else None
                if key in self.consts:
                    return float(self.consts[key])
                raise KeyError
            if k == "sel":
                return Flattener.fold_with(self, m[1], {**env, m[2]: m[3]})
            if k == "neg":
                return -value(m[1])
            if k == "not":
                return float(not value(m[1]))
            if k == "bin":
                a, b = value(m[2]), value(m[3])
                return float({"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b, "/": lambda: a / b,
                              "^": lambda: a ** b, "<": lambda: a < b, "<=": lambda: a <= b,
                              ">": lambda: a > b, ">=": lambda: a >= b, "==": lambda: a == b,
                              "!=": lambda: a != b, "and": lambda: bool(a) and bool(b),
                              "or": lambda: bool(a) or bool(b)}[m[1]]())
            raise KeyError
        try:
            v = value(n)
        except (KeyError, ZeroDivisionError, OverflowError):
            return None
        return repr(v) if math.isfinite(v) else None

    def fold_with(self, n, env):
        r = self.fold(n, env)
        if r is None:
            raise KeyError
        return float(r)

    # --------------------------------------------------------------- write --
    def flatten(self):
        s = self.s
        out = {"scenario": dict(s.doc["scenario"])}
        out["scenario"]["description"] = (s.doc["scenario"].get("description", "") +
                                          " (written element by element by scripts/flatten_dims.py)")
        inputs = {}
        for name, table in s.inputs.items():
            shape = s.shape(name)
            for env in self.envs(shape):
                t = {k: (self.pick(v, name, env) if k not in ("over", "correlation_within", "clip") else v)
                     for k, v in table.items() if k not in ("over", "correlation_within")}
                if shape:
                    t["description"] = f"{table.get('description', '')} [{', '.join(env[d] for d in shape)}]"
                inputs[flat_name(name, shape, env)] = t
        out["inputs"] = inputs
        formulas = {}
        for name, node in s.formulas.items():
            shape = s.shape(name)
            for env in self.envs(shape):
                formulas[flat_name(name, shape, env)] = self.emit(node, env)
        out["formulas"] = formulas
        outputs = {}
        for name, table in s.outputs.items():
            shape = s.shape(name)
            for env in self.envs(shape):
                t = dict(table)
                if shape:
                    t["description"] = f"{table.get('description', '')} [{', '.join(env[d] for d in shape)}]"
                outputs[flat_name(name, shape, env)] = t
        out["outputs"] = outputs
        if "correlation" in s.doc:
            out["correlation"] = s.doc["correlation"]
        return out


def toml_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(type(v))


def to_toml(doc):
    lines = ["# Written by scripts/flatten_dims.py: do not edit, regenerate.", ""]
    lines.append("[scenario]")
    lines += [f"{k} = {toml_value(v)}" for k, v in doc["scenario"].items()]
    for section in ("inputs", "outputs"):
        for name, table in doc[section].items():
            lines += ["", f"[{section}.{name}]"]
            lines += [f"{k} = {toml_value(v)}" for k, v in table.items()]
        if section == "inputs":
            lines += ["", "[formulas]"]
            lines += [f"{k} = {toml_value(v)}" for k, v in doc["formulas"].items()]
    if "correlation" in doc:
        lines += ["", "[correlation]"] + [f"{k} = {toml_value(v)}" for k, v in doc["correlation"].items()]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scenario")
    ap.add_argument("-o", "--output", help="file to write (default: stdout)")
    ap.add_argument("--native-functions", action="store_true",
                    help="keep comparisons, and/or/not, if, clamp, logistic and scurve as written, for an engine "
                         "that has them but not dimensions")
    args = ap.parse_args()
    text = to_toml(Flattener(L.Scenario(args.scenario), native=args.native_functions).flatten())
    if args.output:
        with open(args.output, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
