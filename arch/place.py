"""Part of compile: where the parts of a poster archgen makes up go in its rows, by an
estimate of the drawing in grid cells (a node is 1 x 1): place() puts the parts in a given
number of rows so that edges come out short and read with the flow, and uncross() moves
parts within their rows for fewer crossings. layout.py decides when a poster is placed and
turns the rows into its plan; these functions see only sizes and numbered edges.
"""

from __future__ import annotations

import functools

# The estimated cost of a placement, in cells: an edge that skips a row (it must go around
# the row between), and an edge that runs against the flow (dot draws it as a loop).
SKIP_ROW = 30.0
AGAINST = 1.0
# A step of the main flow from one node to the next against the flow costs this much more
# a cell: with AGAINST alone, a user's 13-node clickstream pipeline snaked back in its top
# row (raw <- compaction <- curated, right to left). Only between nodes: steps between
# boxes weighed so set a 59-node platform of nine service boxes from 6 to 12 defects. A
# step down into the next row pays AGAINST only, however far back to the left it goes: a
# wrapped flow reads on from the left of the next row, where charged for the way back it
# snaked back along that row instead (a user's 16-node training pipeline).
AGAINST_FLOW = 5.0

# A poster placed to read with the flow (placing=WITH_FLOW, one more kind arrange.py
# draws): an edge against the flow along a row costs AGAINST_READ a cell, and an edge up
# into an earlier row AGAINST_UP a cell; the placement also starts from the order the
# edges run in (flow_order) and moves single parts to other places besides swapping two.
# Placed by edges alone, a user's 60 nodes in eight service boxes around an event bus put
# the orders and payments boxes before the API that feeds them (a one-row staircase, 23
# crossings; with the flow: 6), a bank's customers in the last row.
AGAINST_READ = 3.0
AGAINST_UP = 1.0
# ... drawn TB or BT, where the rows stand as columns side by side, an edge into an
# earlier column costs as much as one against a column: at AGAINST_UP, the user's event
# bus drawn TB set the shoppers and their CDN in the last two columns and the API they
# reach in the second, below the payments box (the entry's edges ran right to left and
# up, 18 defects; now the entry's column first, 12)
AGAINST_UP_UPRIGHT = AGAINST_READ

PLACE_PASSES = 30  # rounds of swaps at most; each round that improves nothing ends it
# Swaps tried at most in one placement, counted in terms of its cost (each try costs every
# edge and part once): 40 parts joined by every pair of them took 15 s a compile, minutes
# with the arrangement's search; the cases and a generated 300-node blueprint need under
# half of it, so their placements are as before.
PLACE_WORK = 1_000_000
# Above PLACE_FULL parts a twentieth of it, so that compiling stays about linear in the
# nodes: with the whole, a 1,000-node blueprint of 50 boxes (bench.py's) took 1.16 s to
# compile against 0.38 s at 2,000 nodes (100 boxes: not placed); with a twentieth, its
# compile stage takes 0.08 s (2,000: 0.06 s), and a generated 500-node one of 47 parts
# is placed as well (1,476 defects, w/h 1.55; the whole: 1,452, 1.69; by the main flow
# rule, a tower: 2,652, 0.41).
PLACE_FULL = 40
PLACE_WORK_MANY = 50_000

# A poster placed by its edges in two rows of at least UNCROSS_MIN parts (a generated
# 300-node blueprint: 27) is then reordered within its rows for fewer crossings (uncross):
# place() makes edges short, not uncrossed, and most of such a poster's crossings involve
# an edge between two parts of one row that are not neighbours (it runs around the parts
# between, across their edges: 235 of seed 1's 394 defects). An edge between rows costs a
# crossing with each edge between the same rows whose ends stand in the other order, and
# UNCROSS_LENGTH a cell of its length; an edge along a row SKIP_ALONG a cell of the parts
# it passes, and a crossing with each edge along the row whose span interleaves with its
# own. Generated 300-node blueprints, seeds 1-10: 5,260 -> 5,082 defects (seed 1 394 ->
# 328); seeds 11-20: 5,148 -> 5,136. Weighed otherwise (length 0.01 or 1.0 a cell, 1.0 a
# cell passed): 5,094 and 5,196, 5,378 and 5,253. In three rows (seed 7) it made 965 ->
# 1,195: edges that skip the middle row are not in the estimate, so three rows or more
# are left as placed. Moves tried at most: about UNCROSS_WORK pairs of edges compared, so
# that compiling stays about linear in the nodes.
UNCROSS_MIN = 20
SKIP_ALONG = 2.0
UNCROSS_LENGTH = 0.3
UNCROSS_WORK = 2_000_000


def centres(row: list[int], along: tuple[float, ...]) -> list[float]:
    """Where the middle of each part of a row stands along it (parts sized in cells, side
    by side, the row centred on 0): the estimate place() and uncross() both cost."""
    at, centres = -sum(along[i] for i in row) / 2, []
    for i in row:
        centres.append(at + along[i] / 2)
        at += along[i]
    return centres


@functools.lru_cache(maxsize=64)
def place(along: tuple[float, ...], across: tuple[float, ...],
          edges: tuple[tuple[tuple[int, int], int], ...], count: int,
          steps: tuple[tuple[int, int], ...] = (), flow: bool = False,
          upright: bool = False) -> tuple[tuple[int, ...], ...] | None:
    """Parts (their sizes in cells, and edges (from, to) -> how many) in `count` rows, so
    that the edges come out short: each row's parts side by side, centred, rows one under
    the other; an edge costs the distance between the centres of its ends, more where it
    skips a row (SKIP_ROW: it must go around the row between) or runs against the flow
    (AGAINST; AGAINST_FLOW for `steps`, the main flow's steps from node to node, but
    into a lower row, where a wrapped flow reads on from the left). From
    the order written and from an order that follows the edges out of the most joined part,
    parts in two places are swapped while that lowers the cost; the cheaper placement wins.
    With `flow`, to read with the flow: against it along a row AGAINST_READ, up into an
    earlier row AGAINST_UP (`upright`: drawn TB or BT, AGAINST_UP_UPRIGHT), a third
    start in the order the edges run (flow_order), and single parts also moved to
    another place (a swap cannot carry a box past a run of others).
    Deterministic; remembered, since a render plans a poster for each arrangement it tries.
    None when the parts do not fill that many rows."""
    n = len(along)
    linked: dict[int, dict[int, int]] = {i: {} for i in range(n)}
    for (a, b), w in edges:
        linked[a][b] = linked[a].get(b, 0) + w
        linked[b][a] = linked[b].get(a, 0) + w
    cap = sum(along) / count

    def fill(order: list[int]) -> list[list[int]] | None:
        rows: list[list[int]] = [[]]
        used = 0.0
        for i in order:
            if rows[-1] and used + along[i] / 2 > cap and len(rows) < count:
                rows.append([])
                used = 0.0
            rows[-1].append(i)
            used += along[i]
        return rows if len(rows) == count else None

    x, y, r_of = [0.0] * n, [0.0] * n, [0] * n
    back = AGAINST_READ if flow else AGAINST
    up = (AGAINST_UP_UPRIGHT if upright else AGAINST_UP) if flow else 0.0
    flat = [(a, b, w, AGAINST_FLOW if (a, b) in steps else back) for (a, b), w in edges]

    def cost(rows: list[list[int]]) -> float:
        # the estimate as centres() and the sum below describe it, written out: most of
        # a large poster's compile is spent here (the same sums in the same order)
        top = 0.0
        for r, row in enumerate(rows):
            high = max([across[i] for i in row])
            middle = top + high / 2
            at = -sum([along[i] for i in row]) / 2
            for i in row:
                size = along[i]
                x[i], y[i], r_of[i] = at + size / 2, middle, r
                at += size
            top += high
        total = 0.0
        for a, b, w, against in flat:
            dx, dy = x[b] - x[a], y[b] - y[a]
            ra, rb = r_of[a], r_of[b]
            here = (dx if dx >= 0 else -dx) + (dy if dy >= 0 else -dy)
            skip = (rb - ra if rb > ra else ra - rb) - 1
            if skip > 0:
                here += SKIP_ROW * skip
            if dx < 0:
                here += (back if rb > ra else against) * -dx
            if dy < 0 and up:
                here += up * -dy
            total += w * here
        return total

    # the order that follows the edges: from the most joined part, the part most joined
    # to those already taken next (the first written on a tie)
    start = max(range(n), key=lambda i: (sum(linked[i].values()), -i))
    follow, taken = [start], {start}
    pull = dict.fromkeys(range(n), 0)
    while len(follow) < n:
        for j, w in linked[follow[-1]].items():
            pull[j] += w
        step = max((i for i in range(n) if i not in taken), key=lambda i: (pull[i], -i))
        follow.append(step)
        taken.add(step)
    best: tuple[float, list[list[int]]] | None = None
    # shared by both orders: the same every run
    tries = (PLACE_WORK if n <= PLACE_FULL else PLACE_WORK_MANY) // (len(flat) + n)
    starts = [list(range(n)), follow] + ([flow_order(n, edges)] if flow else [])
    for order in starts:
        rows = fill(order)
        if rows is None:
            continue
        spots = [(r, j) for r, row in enumerate(rows) for j in range(len(row))]
        current = cost(rows)
        for _ in range(PLACE_PASSES):
            better = False
            for s, (r1, j1) in enumerate(spots):
                for r2, j2 in spots[s + 1:]:
                    if tries <= 0:
                        break
                    tries -= 1
                    rows[r1][j1], rows[r2][j2] = rows[r2][j2], rows[r1][j1]
                    now = cost(rows)
                    if now < current - 1e-9:
                        current, better = now, True
                    else:
                        rows[r1][j1], rows[r2][j2] = rows[r2][j2], rows[r1][j1]
            if flow:
                # a part taken out and set in at another place (the parts between shift by
                # one): a swap cannot move a box past a run of others
                for i in range(n):
                    r1 = next(r for r, row in enumerate(rows) if i in row)
                    for r2 in range(len(rows)):
                        for j2 in range(len(rows[r2]) + (r2 != r1)):
                            if tries <= 0 or (len(rows[r1]) == 1 and r2 != r1):
                                break
                            tries -= 1
                            j1 = rows[r1].index(i)
                            if r2 == r1 and j2 == j1:
                                continue
                            rows[r1].pop(j1)
                            rows[r2].insert(j2, i)
                            now = cost(rows)
                            if now < current - 1e-9:
                                current, better, r1 = now, True, r2
                            else:
                                rows[r2].pop(j2)
                                rows[r1].insert(j1, i)
                spots = [(r, j) for r, row in enumerate(rows) for j in range(len(row))]
            if not better:
                break
        if best is None or current < best[0] - 1e-9:
            best = (current, rows)
    return None if best is None else tuple(tuple(row) for row in best[1])


@functools.lru_cache(maxsize=64)
def uncross(along: tuple[float, ...], edges: tuple[tuple[tuple[int, int], int], ...],
            rows: tuple[tuple[int, ...], ...]) -> tuple[tuple[int, ...], ...]:
    """Placed rows (parts sized in cells, edges (from, to) -> how many) with each part
    moved within its row to where the estimated crossings are fewest (UNCROSS_MIN): an
    edge between two rows crosses each edge between the same rows whose ends stand in
    the other order; an edge along a row that passes other parts costs SKIP_ALONG a cell
    of them and crosses each such edge of the row whose span interleaves with its own.
    The rows keep their parts, so the poster keeps its size. Deterministic; bounded by
    UNCROSS_WORK."""
    n = len(along)
    x, r_of, pos = [0.0] * n, [0] * n, [0] * n
    work = sum(w for _, w in edges) ** 2 // 2 + n + 1

    def cost(rs: list[list[int]]) -> float:
        for r, row in enumerate(rs):
            for j, (i, centre) in enumerate(zip(row, centres(row, along), strict=True)):
                x[i], r_of[i], pos[i] = centre, r, j
        between: dict[tuple[int, int], list[tuple[float, float, int]]] = {}
        spans: dict[int, list[tuple[int, int, int]]] = {}
        total = 0.0
        for (a, b), w in edges:
            if r_of[a] == r_of[b]:
                lo, hi = sorted((pos[a], pos[b]))
                if hi - lo > 1:
                    total += SKIP_ALONG * w * sum(along[i] for i in rs[r_of[a]][lo + 1:hi])
                    spans.setdefault(r_of[a], []).append((lo, hi, w))
                continue
            if r_of[a] > r_of[b]:
                a, b = b, a
            between.setdefault((r_of[a], r_of[b]), []).append((x[a], x[b], w))
            total += UNCROSS_LENGTH * w * abs(x[a] - x[b])
        for lines in between.values():
            for k, (a1, b1, w1) in enumerate(lines):
                for a2, b2, w2 in lines[k + 1:]:
                    if (a1 - a2) * (b1 - b2) < 0:
                        total += w1 * w2
        for arcs in spans.values():
            for k, (a1, b1, w1) in enumerate(arcs):
                for a2, b2, w2 in arcs[k + 1:]:
                    if a1 < a2 < b1 < b2 or a2 < a1 < b2 < b1:
                        total += w1 * w2
        return total

    rs = [list(r) for r in rows]
    current = cost(rs)
    tries = UNCROSS_WORK // work
    for _ in range(PLACE_PASSES):
        better = False
        for row in rs:
            for i in list(row):
                for j2 in range(len(row)):
                    j1 = row.index(i)
                    if j1 == j2 or tries <= 0:
                        continue
                    tries -= 1
                    row.pop(j1)
                    row.insert(j2, i)
                    now = cost(rs)
                    if now < current - 1e-9:
                        current, better = now, True
                    else:
                        row.pop(j2)
                        row.insert(j1, i)
        if not better or tries <= 0:
            break
    return tuple(tuple(r) for r in rs)


def flow_order(n: int, edges: tuple[tuple[tuple[int, int], int], ...]) -> list[int]:
    """Parts in the order their edges run: each time the part fewest edges still enter
    from parts not yet taken (a source first; in a cycle, the part most of it leaves),
    the first written on a tie."""
    into: dict[int, int] = dict.fromkeys(range(n), 0)
    succ: dict[int, list[tuple[int, int]]] = {i: [] for i in range(n)}
    for (a, b), w in edges:
        if a != b:
            into[b] += w
            succ[a].append((b, w))
    order: list[int] = []
    left = set(range(n))
    while left:
        step = min(left, key=lambda i: (into[i], i))
        order.append(step)
        left.discard(step)
        for b, w in succ[step]:
            into[b] -= w
    return order
