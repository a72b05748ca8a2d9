#!/usr/bin/env python3
"""Writes the transitive-closure benchmark's edges for Opinio, clingo and SWI-Prolog.

The edges are exactly those of benches/transitive_closure.rs (same xorshift64 generator,
same seed, same de-duplication), so the in-process and the whole-process figures are about
the same graph.

    gen_tc.py random --format opinio > edges.opinio      # 1,000 nodes, 50,000 edges
    gen_tc.py random --unknown-pct 10 --format opinio    # every ~tenth edge `unknown`
    gen_tc.py chain --format lp                          # n0 -> n1 -> ... -> n999
    gen_tc.py random --format pl                         # tabled Prolog, prints the count
"""

import argparse
import sys

SEED = 0x2545F4914F6CDD1D
MASK = (1 << 64) - 1


def xorshift(state):
    while True:
        state ^= (state << 13) & MASK
        state ^= state >> 7
        state ^= (state << 17) & MASK
        yield state


def random_edges(n, m, pct):
    rng = xorshift(SEED)
    seen = set()
    edges = []
    while len(edges) < m:
        a = next(rng) % n
        b = next(rng) % n
        if (a, b) not in seen:
            seen.add((a, b))
            edges.append((a, b))
    unknown = [next(rng) % 100 < pct for _ in range(m)]
    return edges, unknown


def chain_edges(n):
    edges = [(i, i + 1) for i in range(n - 1)]
    return edges, [False] * len(edges)


OPINIO_PROGRAM = """source tc "Transitive closure benchmark".
type Node.
predicate edge(a: Node, b: Node) closed means "an edge from a to b".
predicate path(a: Node, b: Node) means "b can be reached from a".
rule base: path(X, Y) if edge(X, Y) cites tc.
rule step: path(X, Z) if edge(X, Y) and path(Y, Z) cites tc.
"""

LP_PROGRAM = """path(X, Y) :- edge(X, Y).
path(X, Z) :- edge(X, Y), path(Y, Z).
#show.
"""

PL_PROGRAM = """:- table path/2.
path(X, Y) :- edge(X, Y).
path(X, Z) :- edge(X, Y), path(Y, Z).
:- initialization(main, main).
main :- aggregate_all(count, path(_, _), N), format("~w~n", [N]).
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("graph", choices=["random", "chain"])
    ap.add_argument("--nodes", type=int, default=1000)
    ap.add_argument("--edges", type=int, default=50000)
    ap.add_argument("--unknown-pct", type=int, default=0)
    ap.add_argument("--format", choices=["opinio", "opinio-program", "lp", "pl", "tsv"], default="tsv")
    a = ap.parse_args()
    if a.graph == "random":
        edges, unknown = random_edges(a.nodes, a.edges, a.unknown_pct)
    else:
        edges, unknown = chain_edges(a.nodes)
    out = sys.stdout
    if a.format == "opinio-program":
        out.write(OPINIO_PROGRAM)
        return
    if a.format == "lp":
        out.write(LP_PROGRAM)
    if a.format == "pl":
        out.write(PL_PROGRAM)
    lines = []
    for (x, y), unk in zip(edges, unknown):
        if a.format == "opinio":
            lines.append(f"{'unknown ' if unk else ''}edge(n{x}, n{y}).\n")
        elif a.format in ("lp", "pl"):
            if unk:
                sys.exit("clingo and Prolog have no `unknown`: use --unknown-pct 0")
            lines.append(f"edge({x},{y}).\n")
        else:
            lines.append(f"{x}\t{y}\t{'unknown' if unk else 'true'}\n")
    out.write("".join(lines))


if __name__ == "__main__":
    main()
