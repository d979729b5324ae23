import AppointmentModel

/// Random clinics for property tests, fully determined by a seed.
///
/// One or two locations, rooms of two kinds, an equipment pool, providers with shifts and lunch
/// blocks, four appointment types (in person, with equipment and setup/cleanup, two roles,
/// telehealth) and requests with windows, preferences, patient availability, groups and series.
public enum ClinicGenerator {
    public static func make(seed: UInt64, requests count: Int = 40) -> Instance {
        var rng = SplitMix64(seed: seed)
        func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(max(n, 1))) }
        let days = 2 + pick(2)
        let horizon = TimeSpan(start: 0, end: days * 1440)
        let locations = (0..<(1 + pick(2))).map { Location(id: "L\($0 + 1)", timeZone: "America/Chicago") }
        var rooms: [Room] = []
        var equipment: [EquipmentPool] = []
        for l in locations {
            for k in 0..<(2 + pick(2)) {
                let kinds = k == 0 ? ["procedure", "exam"] : ["exam"]
                rooms.append(Room(id: "\(l.id)-R\(k + 1)", location: l.id, kinds: kinds,
                                  open: (0..<days).map { TimeSpan(start: $0 * 1440 + 7 * 60, end: $0 * 1440 + 18 * 60) }))
            }
            equipment.append(EquipmentPool(id: "\(l.id)-US", kind: "ultrasound", location: l.id, quantity: 1 + pick(2)))
        }
        let skillSets = [["primary-care", "procedures"], ["primary-care"], ["nursing"], ["primary-care", "nursing"]]
        let providers: [Provider] = (0..<(3 + pick(4))).map { i in
            let location = locations[pick(locations.count)].id
            let startHour = 7 + pick(3)
            let shifts = (0..<days).filter { _ in pick(5) > 0 }.map { d in
                Shift(location: location, span: TimeSpan(start: d * 1440 + startHour * 60, end: d * 1440 + (startHour + 6 + pick(4)) * 60))
            }
            let blocks = shifts.map { s in Block(span: TimeSpan(start: s.span.start + 180, end: s.span.start + 210), reason: "lunch") }
            return Provider(id: "P\(i + 1)", skills: skillSets[i % skillSets.count], shifts: shifts, blocks: blocks)
        }
        let types = [
            AppointmentType(id: "follow-up", durationMinutes: 20, roles: [Role(skills: ["primary-care"])], roomKinds: ["exam"],
                            cleanupMinutes: 5),
            AppointmentType(id: "ultrasound", durationMinutes: 30, roles: [Role(skills: ["primary-care", "procedures"])],
                            roomKinds: ["procedure"], equipment: [EquipmentNeed(kind: "ultrasound", quantity: 1)],
                            setupMinutes: 5, cleanupMinutes: 10),
            AppointmentType(id: "with-nurse", durationMinutes: 30, roles: [Role(skills: ["primary-care"]), Role(skills: ["nursing"])],
                            roomKinds: ["exam"], cleanupMinutes: 5),
            AppointmentType(id: "video", durationMinutes: 15, roles: [Role(skills: ["primary-care"])], roomKinds: []),
        ]
        var requests: [Request] = []
        var i = 0
        while requests.count < count {
            i += 1
            let type = types[pick(types.count)]
            let earliest = pick(days) * 1440
            let latest = min(horizon.end - 60, earliest + (1 + pick(days)) * 1440)
            var r = Request(id: "R\(i)", patient: "PT-\(1000 + pick(count))", type: type.id,
                            priority: [Priority.urgent, .soon, .routine, .routine][pick(4)],
                            earliest: earliest, latest: latest, arrival: -10_000 + i * 10)
            if pick(4) == 0 { r.preferredProviders = [providers[pick(providers.count)].id] }
            if pick(6) == 0 { r.patientAvailability = [TimeSpan(start: earliest + 9 * 60, end: earliest + 15 * 60)] }
            if pick(5) == 0, type.isInPerson { r.locations = [locations[pick(locations.count)].id] }
            if pick(8) == 0 {  // a family seen together, or one after the other
                let mode: GroupMode = pick(2) == 0 ? .sameStart : .sequence
                var a = r, b = r
                b.id = "R\(i)b"
                b.patient = "PT-\(5000 + i)"
                b.type = "follow-up"
                a.group = GroupMembership(id: "G\(i)", mode: mode, order: 1, maxGapMinutes: 15)
                b.group = GroupMembership(id: "G\(i)", mode: mode, order: 2, maxGapMinutes: 15)
                requests += [a, b]
                continue
            }
            if pick(8) == 0, let previous = requests.last(where: { $0.group == nil && $0.after == nil }) {
                r.patient = previous.patient
                r.after = SeriesLink(request: previous.id, minGapMinutes: 60, maxGapMinutes: 2 * 1440)
            }
            requests.append(r)
        }
        return Instance(name: "generated-\(seed)", timeline: Timeline(originUnixSeconds: 1_800_000_000 - 1_800_000_000 % 86_400),
                        horizon: horizon, granularityMinutes: 5, locations: locations, rooms: rooms, equipment: equipment,
                        providers: providers, appointmentTypes: types, requests: requests,
                        objective: Objective(unscheduledPenalty: PerPriority(urgent: 5000, soon: 1000, routine: 200),
                                             idleMinuteCost: 1, leadCostPerDay: PerPriority(urgent: 200, soon: 20, routine: 2),
                                             preferenceMissCost: 30, moveCost: PerStatus(confirmed: 300, tentative: 30)))
    }
}
