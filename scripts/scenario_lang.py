"""Reads a flopcast scenario's formulas: a parser of the formula language
(with the named dimensions of issue 17), the names each formula uses, and the
dimensions of every input and formula.

Used by scripts/scenario_diagram.py (inputs -> formulas -> outputs, drawn from
the file). Python 3.11 standard library only (tomllib).

The grammar, lowest precedence first (docs/scenario-format.md and issue 17):
  or < and < not < comparisons (< <= > >= == !=) < + - < * / < unary - < ^
  (right-associative, tighter than unary minus) < x[dim=element] < atoms
"""
import re
import tomllib

FUNCTIONS = {
    "exp", "log", "sqrt", "abs", "sin", "cos", "pow", "min", "max", "growth", "prev", "cagr", "at",
    "sum", "mean", "prod", "if", "clamp", "logistic", "scurve",
}
REDUCTIONS = {"sum", "mean", "min", "max", "prod"}
BUILTIN_NAMES = {"year", "t"}

_TOKEN = re.compile(r"\s*(?:(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
                    r"|(?P<op><=|>=|==|!=|[-+*/^(),<>\[\]=]))")


class FormulaError(ValueError):
    pass


def tokenize(text):
    tokens, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise FormulaError(f"cannot read {text[pos:]!r}")
        pos = m.end()
        kind = m.lastgroup
        tokens.append((kind, m.group(kind)))
    return tokens


# AST nodes are tuples: ("num", text) ("name", n) ("call", f, [args])
# ("bin", op, a, b) ("neg", a) ("not", a) ("sel", a, dim, element)
class _Parser:
    def __init__(self, text):
        self.toks = tokenize(text)
        self.i = 0

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else (None, None)

    def take(self, value=None):
        tok = self.peek()
        if value is not None and tok[1] != value:
            raise FormulaError(f"expected {value!r}, found {tok[1]!r}")
        self.i += 1
        return tok

    def parse(self):
        node = self.or_()
        if self.peek()[0] is not None:
            raise FormulaError(f"unexpected {self.peek()[1]!r}")
        return node

    def or_(self):
        a = self.and_()
        while self.peek() == ("name", "or"):
            self.take()
            a = ("bin", "or", a, self.and_())
        return a

    def and_(self):
        a = self.not_()
        while self.peek() == ("name", "and"):
            self.take()
            a = ("bin", "and", a, self.not_())
        return a

    def not_(self):
        if self.peek() == ("name", "not"):
            self.take()
            return ("not", self.not_())
        return self.cmp()

    def cmp(self):
        a = self.add()
        while self.peek()[1] in ("<", "<=", ">", ">=", "==", "!="):
            op = self.take()[1]
            a = ("bin", op, a, self.add())
        return a

    def add(self):
        a = self.mul()
        while self.peek()[1] in ("+", "-") and self.peek()[0] == "op":
            op = self.take()[1]
            a = ("bin", op, a, self.mul())
        return a

    def mul(self):
        a = self.unary()
        while self.peek()[1] in ("*", "/") and self.peek()[0] == "op":
            op = self.take()[1]
            a = ("bin", op, a, self.unary())
        return a

    def unary(self):
        if self.peek() == ("op", "-"):
            self.take()
            return ("neg", self.unary())
        if self.peek() == ("op", "+"):
            self.take()
            return self.unary()
        return self.power()

    def power(self):
        a = self.postfix()
        if self.peek() == ("op", "^"):
            self.take()
            return ("bin", "^", a, self.unary())  # right-associative; -2^-1 works
        return a

    def postfix(self):
        a = self.atom()
        while self.peek() == ("op", "["):
            self.take()
            dim = self.take()[1]
            self.take("=")
            element = self.take()[1]
            self.take("]")
            a = ("sel", a, dim, element)
        return a

    def atom(self):
        kind, value = self.take()
        if kind == "num":
            return ("num", value)
        if kind == "name":
            if self.peek() == ("op", "("):
                self.take()
                args = []
                if self.peek() != ("op", ")"):
                    args.append(self.or_())
                    while self.peek() == ("op", ","):
                        self.take()
                        args.append(self.or_())
                self.take(")")
                return ("call", value, args)
            return ("name", value)
        if value == "(":
            node = self.or_()
            self.take(")")
            return node
        raise FormulaError(f"unexpected {value!r}")


def parse(text):
    return _Parser(text).parse()


def is_reduction(node, dims):
    """sum(x, chip) and friends: a reduction when the last argument is a bare dimension name."""
    return (node[0] == "call" and node[1] in REDUCTIONS and len(node[2]) == 2
            and node[2][1][0] == "name" and node[2][1][1] in dims)


def names_used(node, dims=()):
    """Inputs and formulas a formula refers to (not functions, dimensions, year, t)."""
    out = set()

    def walk(n):
        if n[0] == "name":
            if n[1] not in BUILTIN_NAMES and n[1] not in dims:
                out.add(n[1])
        elif n[0] == "call":
            args = n[2][:1] if is_reduction(n, dims) else n[2]
            for a in args:
                walk(a)
        elif n[0] == "bin":
            walk(n[2]); walk(n[3])
        elif n[0] in ("neg", "not"):
            walk(n[1])
        elif n[0] == "sel":
            walk(n[1])
    walk(node)
    return out


class Scenario:
    """A scenario file: its dimensions, inputs, parsed formulas and outputs."""

    def __init__(self, path):
        with open(path, "rb") as f:
            self.doc = tomllib.load(f)
        self.path = path
        self.dims = {d: list(v) for d, v in self.doc.get("dimensions", {}).items()}
        self.inputs = self.doc.get("inputs", {})
        self.formulas = {k: parse(v) for k, v in self.doc.get("formulas", {}).items()}
        self.outputs = self.doc.get("outputs", {})
        self._shape = {}

    def order(self, dims):
        """dims in the order [dimensions] declares them"""
        return [d for d in self.dims if d in dims]

    def shape(self, name):
        """Dimensions of an input or formula, in declaration order."""
        if name in self.inputs:
            return self.order(self.inputs[name].get("over", []))
        if name not in self.formulas:
            raise KeyError(name)
        if not self._shape:
            # a fixed point, since formulas may refer to each other through prev
            current = {f: set() for f in self.formulas}
            self._shape = current
            changed = True
            while changed:
                changed = False
                for f, node in self.formulas.items():
                    s = self.node_shape(node)
                    if s != current[f]:
                        current[f] = s
                        changed = True
        return self.order(self._shape[name])

    def node_shape(self, n):
        k = n[0]
        if k == "num":
            return set()
        if k == "name":
            if n[1] in BUILTIN_NAMES:
                return set()
            if n[1] in self.formulas and self._shape:
                return set(self._shape[n[1]])
            return set(self.shape(n[1]))
        if k == "sel":
            return self.node_shape(n[1]) - {n[2]}
        if k == "call":
            if is_reduction(n, self.dims):
                return self.node_shape(n[2][0]) - {n[2][1][1]}
            if n[1] in ("cagr", "at"):
                return self.node_shape(n[2][0])
            out = set()
            for a in n[2]:
                out |= self.node_shape(a)
            return out
        if k == "bin":
            return self.node_shape(n[2]) | self.node_shape(n[3])
        return self.node_shape(n[1])

    def uses(self, name):
        return names_used(self.formulas[name], self.dims) if name in self.formulas else set()
