#!/usr/bin/env python3
"""Writes the same-generation benchmark: a complete binary tree and the rules of Soufflé's
`magic_samegen` test, for `opinio query` (one ground question).

    gen_samegen.py program > kb/sg.opinio          # the rules
    gen_samegen.py tree --depth 14 > tree.opinio   # 32,767 nodes, 32,766 parent links
    opinio query --kb kb --scenario tree.opinio "sg(n16384, n32767)"

Nodes are numbered as in a heap: the root is n1 and the children of nK are n(2K) and
n(2K+1), so the leaves of a tree of depth D are n(2^D) … n(2^(D+1) - 1). `sg(X, Y)` holds
when X and Y are distinct and of the same generation: every pair of one level, about 4^D
atoms in all (~358 million at depth 14), while the ground question above needs only the
two leaves' ancestors and their generations (a few thousand atoms).
"""

import argparse
import sys

PROGRAM = """source sg "Same generation (Souffle's magic_samegen test)".
type Node.
predicate parent(p: Node, c: Node) closed means "p is the parent of c".
predicate sg(x: Node, y: Node) means "x and y are distinct and of the same generation".
rule siblings: sg(X, Y) if parent(P, X) and parent(P, Y) and X != Y cites sg.
rule cousins: sg(X, Y) if parent(A, X) and sg(A, B) and parent(B, Y) cites sg.
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=["program", "tree"])
    ap.add_argument("--depth", type=int, default=14, help="levels below the root (default 14)")
    a = ap.parse_args()
    if a.what == "program":
        sys.stdout.write(PROGRAM)
        return
    out = []
    for c in range(2, 1 << (a.depth + 1)):
        out.append(f"parent(n{c // 2}, n{c}).\n")
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
