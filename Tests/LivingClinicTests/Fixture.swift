import AppointmentModel

/// A small clinic whose every booking is known, for one test per change.
///
/// Two providers (DR1, DR2) work 08:00–12:00 at L; rooms EX1 and EX2 open 07:00–13:00. Booked:
/// A (DR1, EX1, 08:00, tentative), B (DR1, EX1, 09:00, confirmed), S1 (DR2, EX2, 10:00) and its
/// series successor S2 (telehealth, DR2, 11:00). Waiting: C (routine), D (urgent), and the
/// same-start group G1, G2. The timeline's minute 0 is midnight; the clock starts there.
enum Fixture {
    static let visit = AppointmentType(id: "visit", durationMinutes: 30, roles: [Role(skills: ["gp"])], roomKinds: ["exam"])
    static let tele = AppointmentType(id: "tele", durationMinutes: 20, roles: [Role(skills: ["gp"])], roomKinds: [])

    static func booking(_ provider: String, _ room: String?, _ start: Int, _ status: BookingStatus = .tentative) -> ExistingBooking {
        ExistingBooking(providers: [provider], room: room, start: start, status: status)
    }

    static func request(_ id: String, _ type: String = "visit", priority: Priority = .routine, group: GroupMembership? = nil,
                        after: SeriesLink? = nil, current: ExistingBooking? = nil) -> Request {
        Request(id: id, patient: "PT-\(id)", type: type, priority: priority, earliest: 0, latest: 1400, arrival: 0,
                group: group, after: after, current: current)
    }

    static func clinic() -> Instance {
        let shift = { Shift(location: "L", span: TimeSpan(start: 480, end: 720)) }
        let open = [TimeSpan(start: 420, end: 780)]
        let requests = [
            request("A", current: booking("DR1", "EX1", 480)),
            request("B", current: booking("DR1", "EX1", 540, .confirmed)),
            request("C"),
            request("D", priority: .urgent),
            request("G1", group: GroupMembership(id: "FAMILY", mode: .sameStart)),
            request("G2", group: GroupMembership(id: "FAMILY", mode: .sameStart)),
            request("S1", current: booking("DR2", "EX2", 600)),
            request("S2", "tele", after: SeriesLink(request: "S1", minGapMinutes: 30, maxGapMinutes: 120), current: booking("DR2", nil, 660)),
        ]
        return Instance(name: "fixture", timeline: Timeline(originUnixSeconds: 1_800_000_000 - 1_800_000_000 % 86_400),
                        horizon: TimeSpan(start: 0, end: 1440), granularityMinutes: 5,
                        locations: [Location(id: "L", timeZone: "UTC")],
                        rooms: [Room(id: "EX1", location: "L", kinds: ["exam"], open: open),
                                Room(id: "EX2", location: "L", kinds: ["exam"], open: open)],
                        equipment: [],
                        providers: [Provider(id: "DR1", skills: ["gp"], shifts: [shift()]),
                                    Provider(id: "DR2", skills: ["gp"], shifts: [shift()])],
                        appointmentTypes: [visit, tele], requests: requests,
                        objective: Objective(unscheduledPenalty: PerPriority(urgent: 1000, soon: 500, routine: 200), idleMinuteCost: 1,
                                             leadCostPerDay: PerPriority(urgent: 10, soon: 5, routine: 1), preferenceMissCost: 5,
                                             moveCost: PerStatus(confirmed: 50, tentative: 10)),
                        formatVersion: 2, asOf: 0)
    }
}
