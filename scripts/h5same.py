#!/usr/bin/python3
"""Checks that two flopcast result files hold bit-identical datasets.

    scripts/h5same.py a.h5 b.h5

Attributes that describe the run (start time, wall time, threads) may differ;
every dataset must have the same names, shapes, types and bytes. Exit 0 when
identical, 1 when not (the differing datasets are listed), 2 on bad usage.
"""
import sys

import h5py


def datasets(path):
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                v = obj[()]
                out[name] = (v.dtype.str, getattr(v, "shape", ()),
                             v.tolist() if v.dtype == object else v.tobytes())
        f.visititems(visit)
    return out


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        a, b = datasets(sys.argv[1]), datasets(sys.argv[2])
    except OSError as e:
        print(f"h5same: {e}", file=sys.stderr)
        return 2
    differ = sorted(n for n in set(a) | set(b) if a.get(n) != b.get(n))
    if differ:
        print(f"h5same: {len(differ)} of {len(set(a) | set(b))} datasets differ: " + ", ".join(differ[:20]))
        return 1
    print(f"h5same: {len(a)} datasets bit-identical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
