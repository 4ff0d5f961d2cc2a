import ECStore

/// The default `predict ltv` groupings, first channel and acquisition quarter,
/// straight from the order snapshot's per-customer arrays: no text per customer.
extension CLVMembership {
    /// A grouping's labels (sorted) and membership.
    public typealias Labelled = (labels: [String], membership: CLVMembership)

    /// By channel of the first counted order (`first_channel` in the customer facts); nil without a current snapshot.
    public static func byFirstChannel(db: Database, settings: MetricSettings) throws -> Labelled? {
        guard let snapshot = try currentSnapshot(db, settings: settings) else { return nil }
        let channels = try snapshot.customerColumn("first_channel", in: db)
        let names = snapshot.channelNames
        return labelled(channels, names: { $0 >= 0 && Int($0) < names.count ? names[Int($0)] : CLVGroupSummary.missingLabel })
    }

    /// By calendar quarter of the first counted order (`cohort` in the customer facts, as YYYY-Qn).
    public static func byAcquisitionQuarter(db: Database, settings: MetricSettings) throws -> Labelled? {
        guard let snapshot = try currentSnapshot(db, settings: settings) else { return nil }
        let days = try snapshot.customerColumn("first_day", in: db)
        // Quarter number since year 0 per customer; labels only per distinct quarter.
        let quarters = mapped(days) { d -> Int32 in
            let (y, m, _) = DayNumber.civil(Int(d))
            return Int32(y * 4 + (m - 1) / 3)
        }
        return labelled(quarters, names: { "\($0 / 4)-Q\($0 % 4 + 1)" })
    }

    /// The largest code range looked up through an array (4 MB of Int32) instead of computed or hashed per customer.
    static let denseRange = 1 << 20

    /// `f` of each value, computed once per distinct value when the values span a small range
    /// (first days over a few years): the calendar arithmetic per customer was 6% of `predict ltv` at 5M.
    static func mapped(_ values: [Int32], _ f: (Int32) -> Int32) -> [Int32] {
        guard let lo = values.min(), let hi = values.max(), Int(hi) - Int(lo) < denseRange else { return values.map(f) }
        var cache = [Int32?](repeating: nil, count: Int(hi) - Int(lo) + 1)
        return values.map { v in
            let slot = Int(v) - Int(lo)
            if let known = cache[slot] { return known }
            let value = f(v)
            cache[slot] = value
            return value
        }
    }

    /// Codes per customer → groups sorted by label.
    private static func labelled(_ codes: [Int32], names: (Int32) -> String) -> Labelled {
        if let lo = codes.min(), let hi = codes.max(), Int(hi) - Int(lo) < denseRange {
            // Codes in a small range (channel numbers, quarters): arrays indexed by code, no hashing per customer.
            var present = [Bool](repeating: false, count: Int(hi) - Int(lo) + 1)
            for c in codes { present[Int(c) - Int(lo)] = true }
            let distinct = present.indices.filter { present[$0] }.map { Int32($0 + Int(lo)) }
            let labels = Array(Set(distinct.map(names))).sorted()
            let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, Int32($0)) })
            var groupOf = [Int32](repeating: -1, count: present.count)
            for c in distinct { groupOf[Int(c) - Int(lo)] = index[names(c)] ?? -1 }
            return (labels, .partition(codes.map { groupOf[Int($0) - Int(lo)] }))
        }
        let distinct = Set(codes)
        let labelOf = Dictionary(uniqueKeysWithValues: distinct.map { ($0, names($0)) })
        let labels = Array(Set(labelOf.values)).sorted()
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, Int32($0)) })
        let groupOf = labelOf.mapValues { index[$0] ?? -1 }
        // Few distinct codes: a small dictionary lookup per customer, no text.
        return (labels, .partition(codes.map { groupOf[$0] ?? -1 }))
    }

    private static func currentSnapshot(_ db: Database, settings: MetricSettings) throws -> OrderSnapshot? {
        try OrderSnapshot.load(db, settings: settings, asOfDay: try WorkspaceDates.asOfDay(db, settings: settings))
    }
}
