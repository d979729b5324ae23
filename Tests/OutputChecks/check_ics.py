#!/usr/bin/env python3
"""Parses an iCalendar feed with the `icalendar` package and compares its events with a solution.

    check_ics.py FEED.ics INSTANCE.json SOLUTION.json [--provider P | --room R]

Every VEVENT with STATUS:CONFIRMED must be one visit of the solution for that provider or room
(UID = request id + '@…'), with DTSTART and DTEND the visit's instants (compared as absolute
times); every visit must have its event. Prints one JSON line; exit 0 when all agree.
"""
import json
import sys
from datetime import datetime, timezone

import icalendar


def instant(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def main():
    feed, inst_path, sol_path = sys.argv[1:4]
    who = sys.argv[4:6]
    inst = json.load(open(inst_path))
    sol = json.load(open(sol_path))
    types = {t["id"]: t for t in inst["appointmentTypes"]}
    req_type = {r["id"]: types[r["type"]] for r in inst["requests"]}
    expected = {}
    for a in sol["assignments"]:
        if who[0] == "--provider" and who[1] not in a["providers"]:
            continue
        if who[0] == "--room" and a["room"] != who[1]:
            continue
        start = instant(a["start"])
        end = start.timestamp() + 60 * req_type[a["request"]]["durationMinutes"]
        expected[a["request"]] = (start.timestamp(), end)
    cal = icalendar.Calendar.from_ical(open(feed, "rb").read())
    seen, problems, zones = {}, [], set()
    for tz in cal.walk("VTIMEZONE"):
        zones.add(str(tz["TZID"]))
    for ev in cal.walk("VEVENT"):
        if str(ev.get("STATUS")) != "CONFIRMED":
            continue
        rid = str(ev["UID"]).split("@")[0]
        start, end = ev.decoded("DTSTART"), ev.decoded("DTEND")
        if start.tzinfo is None:
            problems.append("%s: DTSTART has no zone" % rid)
            continue
        tzid = ev["DTSTART"].params.get("TZID")
        if tzid not in zones:
            problems.append("%s: TZID %s has no VTIMEZONE" % (rid, tzid))
        seen[rid] = (start.timestamp(), end.timestamp())
    for rid, (s, e) in expected.items():
        if rid not in seen:
            problems.append("%s: no event" % rid)
        elif seen[rid] != (s, e):
            problems.append("%s: event %s..%s, visit %s..%s" % (rid, seen[rid][0], seen[rid][1], s, e))
    for rid in seen:
        if rid not in expected:
            problems.append("%s: event for no visit" % rid)
    print(json.dumps({"events": len(seen), "expected": len(expected), "problems": problems[:20]}))
    sys.exit(1 if problems else 0)


main()
