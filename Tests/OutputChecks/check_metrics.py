#!/usr/bin/env python3
"""Recomputes the metrics of a schedule independently and compares them with the library's.

    check_metrics.py INSTANCE.json SOLUTION.json METRICS.json

Fill rate, booked and session minutes, idle minutes, room utilisation, lead time (median and p90
by nearest rank) and unscheduled counts by priority, over the horizon. Sessions are shifts minus
the merged blocks. Prints one JSON line; exit 0 when every figure agrees (1e-9).
"""
import json
import math
import sys
from datetime import datetime


def t(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() / 60


inst, sol, got = (json.load(open(p)) for p in sys.argv[1:4])
types = {x["id"]: x for x in inst["appointmentTypes"]}
reqs = {r["id"]: r for r in inst["requests"]}
visits = []
for a in sol["assignments"]:
    T = types[reqs[a["request"]]["type"]]
    s = t(a["start"])
    visits.append({"r": a["request"], "p": a["providers"], "room": a["room"], "s": s, "e": s + T["durationMinutes"],
                   "rs": s - T.get("setupMinutes", 0), "re": s + T["durationMinutes"] + T.get("cleanupMinutes", 0)})


def sessions(p):
    blocks = sorted((t(b["start"]), t(b["end"])) for b in p.get("blocks") or [])
    merged = []
    for a, b in blocks:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    out = []
    for sh in p["shifts"]:
        cur, end = t(sh["start"]), t(sh["end"])
        for a, b in merged:
            if b > cur and a < end:
                if a > cur:
                    out.append((cur, a))
                cur = max(cur, b)
        if cur < end:
            out.append((cur, end))
    return out


session_total = booked_total = idle_total = 0
for p in inst["providers"]:
    for a, b in sessions(p):
        session_total += b - a
        inside = [v for v in visits if p["id"] in v["p"] and a <= v["s"] and v["e"] <= b]
        booked_total += sum(v["e"] - v["s"] for v in inside)
        if len(inside) >= 2:
            idle_total += (max(v["e"] for v in inside) - min(v["s"] for v in inside)) - sum(v["e"] - v["s"] for v in inside)
mine = {}
problems = []


def close(name, a, b):
    if a is None or b is None:
        if a != b:
            problems.append("%s: %r vs %r" % (name, a, b))
    elif abs(a - b) > 1e-9 * max(1, abs(b)):
        problems.append("%s: ours %r, recomputed %r" % (name, a, b))


close("fillRate", got["fillRate"], booked_total / session_total if session_total else None)
close("idleMinutes", got["idleMinutes"], idle_total)
close("bookedMinutes", got["bookedMinutes"], booked_total)
for room in got["rooms"]:
    r = next(x for x in inst["rooms"] if x["id"] == room["room"])
    open_minutes = sum(t(o["end"]) - t(o["start"]) for o in r["open"])
    used = sum(v["re"] - v["rs"] for v in visits if v["room"] == r["id"])
    close("rooms." + r["id"], room["utilisation"], used / open_minutes if open_minutes else None)


def nearest_rank(values, q):
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values), max(1, math.ceil(q * len(values)))) - 1]


for prio in ("urgent", "soon", "routine"):
    days = [(v["s"] - t(reqs[v["r"]]["arrival"])) / 1440 for v in visits if reqs[v["r"]]["priority"] == prio]
    close("leadTime.%s.median" % prio, got["leadTime"][prio]["medianDays"], nearest_rank(days, 0.5))
    close("leadTime.%s.p90" % prio, got["leadTime"][prio]["p90Days"], nearest_rank(days, 0.9))
    booked = {v["r"] for v in visits}
    close("unscheduled." + prio, got["unscheduled"]["byPriority"][prio],
          sum(1 for r in inst["requests"] if r["priority"] == prio and r["id"] not in booked))
print(json.dumps({"fillRate": got["fillRate"], "problems": problems}))
sys.exit(1 if problems else 0)
