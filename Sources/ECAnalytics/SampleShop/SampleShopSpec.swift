/// What sample shop to generate: its size, its seed and the dates it covers.
///
/// The same spec always produces the same bytes, on every machine: the
/// generator uses its own seeded random numbers and formats every number
/// and date itself (no locale, no system RNG, no libm).
public struct SampleShopSpec: Sendable, Hashable {
    /// How orders.csv and nps.csv are laid out.
    public enum Layout: Sendable, Hashable {
        /// Chronological for small shops (up to `chronologicalLimit` orders), by customer above.
        case automatic
        /// Rows sorted by time; holds every order in memory (about 100 bytes each).
        case chronological
        /// Rows grouped by customer in acquisition order, each customer's
        /// orders in time order; constant memory at any size.
        case byCustomer
    }

    /// Largest target for which `.automatic` sorts the orders by time.
    public static let chronologicalLimit = 250_000

    /// Target number of order rows (the result lands within a few percent).
    public var orders: Int
    /// Seed of the random numbers; a different seed gives a different shop.
    public var seed: UInt64
    /// First day of the shop's history.
    public var start: SampleShopDate
    /// Last day of the shop's history (inclusive).
    public var end: SampleShopDate
    /// Row order of orders.csv and nps.csv.
    public var layout: Layout

    public init(
        orders: Int = 20_000,
        seed: UInt64 = 42,
        start: SampleShopDate = .defaultStart,
        end: SampleShopDate = .defaultEnd,
        layout: Layout = .automatic
    ) {
        self.orders = orders
        self.seed = seed
        self.start = start
        self.end = end
        self.layout = layout
    }

    /// The spec of the shop committed under samples/shop (see its README.md).
    public static let committedSample = SampleShopSpec(orders: 20_000, seed: 42)

    /// Whether orders.csv and nps.csv come out sorted by time.
    public var isChronological: Bool {
        switch layout {
        case .automatic: return orders <= Self.chronologicalLimit
        case .chronological: return true
        case .byCustomer: return false
        }
    }

    /// Throws when the spec cannot make a sensible shop.
    func validate() throws {
        guard orders >= 1, orders <= 1_000_000_000 else {
            throw SampleShopError.invalidSpec("orders must be between 1 and 1,000,000,000 (got \(orders))")
        }
        guard start < end else {
            throw SampleShopError.invalidSpec("the end date \(end) must come after the start date \(start)")
        }
        let days = end.daysSinceEpoch - start.daysSinceEpoch + 1
        guard days >= 28 else {
            throw SampleShopError.invalidSpec(
                "the shop must cover at least 28 days (\(start) to \(end) is \(days)); pick a later end date")
        }
        guard days <= 36_600 else {
            throw SampleShopError.invalidSpec("the shop may cover at most 100 years (got \(days) days)")
        }
    }
}

/// A calendar date (proleptic Gregorian, no time zone) for sample-shop specs.
public struct SampleShopDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// 2023-01-01, the first day of the default two-year shop.
    public static let defaultStart = SampleShopDate(unchecked: 2023, 1, 1)
    /// 2024-12-31, the last day of the default two-year shop.
    public static let defaultEnd = SampleShopDate(unchecked: 2024, 12, 31)

    /// A date when the parts name a real day, otherwise nil.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...SampleShop.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Days since 1970-01-01.
    var daysSinceEpoch: Int { SampleShop.daysSinceEpoch(year: year, month: month, day: day) }

    public var description: String {
        var bytes: [UInt8] = []
        SampleShop.appendDate(daysSinceEpoch, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func < (lhs: SampleShopDate, rhs: SampleShopDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

/// What `SampleShop.generate` wrote.
public struct SampleShopSummary: Sendable {
    /// One written CSV file.
    public struct File: Sendable {
        public let name: String
        public let path: String
        /// Data rows, not counting the header.
        public let rows: Int
        public let bytes: Int
    }

    public let directory: String
    public let files: [File]
    public let customers: Int
    public let orders: Int
    /// Whether orders.csv and nps.csv are sorted by time (see `SampleShopSpec.Layout`).
    public let chronological: Bool
}

/// Why a sample shop could not be generated.
public enum SampleShopError: Error, CustomStringConvertible, Equatable {
    case invalidSpec(String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidSpec(let why): return "cannot generate the sample shop: \(why)"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason); check that the directory exists and is writable"
        }
    }
}
