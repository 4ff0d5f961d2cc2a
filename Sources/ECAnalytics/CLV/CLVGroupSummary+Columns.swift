import ECStore
import Foundation
import Synchronization

/// Group rows over column histories, on both cores.
extension CLVGroupSummary {
    /// Customers per chunk of the parallel pass. Fixed (not derived from the
    /// number of cores) so the sums are added in the same order on any machine.
    public static let defaultChunkSize = 1 << 17

    /// One accumulator per grouping (labels and membership), filled from every customer's forecast.
    ///
    /// Customers are cut into fixed chunks that run side by side; each chunk
    /// sums into its own accumulators, merged afterwards in chunk order, so
    /// the result is the same whichever thread ran which chunk.
    ///
    /// With Ctrl-C pressed (`interrupt` raised) the chunks not yet started are skipped and the
    /// pass throws SQLITE_INTERRUPT: a pass over 5M customers takes seconds.
    public static func summarize(_ c: CustomerColumns, calculator: CLVCalculator,
                                 groupings: [(labels: [String], membership: CLVMembership)],
                                 chunkSize: Int = defaultChunkSize, interrupt: InterruptFlag? = nil) throws -> [Accumulator] {
        let chunkSize = max(1, chunkSize)
        let table = calculator.forwardTable(c)
        let chunks = max(1, (c.count + chunkSize - 1) / chunkSize)
        let results = Mutex<[[Accumulator]?]>(Array(repeating: nil, count: chunks))
        DispatchQueue.concurrentPerform(iterations: chunks) { k in
            if interrupt?.isRaised == true { return }
            var sums = groupings.map { Accumulator(labels: $0.labels) }
            for i in k * chunkSize..<min(c.count, (k + 1) * chunkSize) {
                let forecast = calculator.forecast(c, i, table: table)
                let key = c.key[i], repeatCustomer = c.x[i] > 0
                for g in groupings.indices {
                    sums[g].add(key: key, repeatCustomer: repeatCustomer, forecast, membership: groupings[g].membership)
                }
            }
            results.withLock { $0[k] = sums }
        }
        if interrupt?.isRaised == true { throw DatabaseError.interrupted }
        var merged = groupings.map { Accumulator(labels: $0.labels) }
        for part in results.withLock({ $0 }) {
            for g in merged.indices { if let part { merged[g].merge(part[g]) } }
        }
        return merged
    }
}
