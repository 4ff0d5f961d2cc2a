import CSQLite
import Foundation

extension Database {
    /// The page cache a statement that looks rows up by key gets (`withLookupCache`): 64 MB, 1,024 pages of
    /// a new workspace's 64 KiB.
    public static let lookupCacheKiB = 65_536

    /// Runs `body` with this connection's page cache at `kibibytes` (SQLite's default is 2 MB: 31 pages of
    /// 64 KiB), then puts the size back and frees the pages it no longer keeps.
    ///
    /// For the derived data's lookups by customer id (the NPS answers' respondents). Each lookup in an index
    /// larger than the cache that misses it copies a 64 KiB page from the operating system again; ids in no
    /// particular order (hashed ids, answers in date order) miss nearly every time. A customers load with
    /// hashed ids spent 2.2–2.4 s instead of 0.6 s on its join at 1M orders (BENCHMARKS.md, "Lookups by id at
    /// random"; that join now walks the two id indexes instead, `CustomerFacts.customerRows`). Only around
    /// those lookups, not for the whole connection: a 10M load already peaks near issue 15's 300 MB with its
    /// own arrays, and a cache is memory as soon as it is filled.
    public func withLookupCache<T>(kibibytes: Int = lookupCacheKiB, _ body: () throws -> T) throws -> T {
        guard let handle else { return try body() }
        let before = try scalar("PRAGMA cache_size").intValue ?? -2000
        try execute("PRAGMA cache_size = -\(kibibytes)")
        defer {
            try? execute("PRAGMA cache_size = \(before)")
            sqlite3_db_release_memory(handle)
        }
        return try body()
    }

    /// Runs `body` with SQLite's sorter on helper threads (`PRAGMA threads`, one per core up to four; off by
    /// default), then puts it back to none. For the sorts of an index built over a whole table: the facts' id
    /// index (2.3–2.8 s against 1.9 s for 5.45M customers on two cores) and a load's unique id index (5.04M
    /// hashed customer ids: 4.6 s against 3.1 s in the sqlite3 shell). Only there: other statements keep one
    /// thread, and each helper holds a sort buffer of its own.
    public func withSortThreads<T>(_ body: () throws -> T) throws -> T {
        guard engine == .sqlite else { return try body() }
        try execute("PRAGMA threads = \(min(4, max(1, ProcessInfo.processInfo.activeProcessorCount)))")
        defer { try? execute("PRAGMA threads = 0") }
        return try body()
    }
}
