import Foundation
import Testing
@testable import ECAnalytics

/// samples/shop must equal a fresh generation of `SampleShopSpec.committedSample`.
///
/// Re-record after a deliberate change to the generator with
/// `ECSH_RECORD_SAMPLE=1 swift test --filter SampleShopCommittedSampleTests`.
@Suite struct SampleShopCommittedSampleTests {
    static let sampleDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // SampleShop
        .deletingLastPathComponent()  // ECAnalyticsTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .appendingPathComponent("samples/shop")

    @Test func committedSampleMatchesAFreshGeneration() throws {
        if ProcessInfo.processInfo.environment["ECSH_RECORD_SAMPLE"] == "1" {
            _ = try SampleShop.generate(.committedSample, into: Self.sampleDirectory.path)
        }
        let fresh = GeneratedShop.committed
        for name in SampleShop.fileNames {
            let url = Self.sampleDirectory.appendingPathComponent(name)
            let committed = try [UInt8](Data(contentsOf: url))
            let same = committed == fresh.bytes[name]
            #expect(same, """
                samples/shop/\(name) differs from a fresh generation \(firstDifference(committed, fresh.bytes[name] ?? [])); \
                if the generator changed on purpose, re-record with ECSH_RECORD_SAMPLE=1 and update samples/shop/README.md
                """)
        }
    }

    @Test func committedSpecIsTheDocumentedOne() throws {
        let spec = SampleShopSpec.committedSample
        #expect(spec.orders == 20_000 && spec.seed == 42)
        #expect(spec.start.description == "2023-01-01" && spec.end.description == "2024-12-31")
        let readme = try String(contentsOf: Self.sampleDirectory.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("--orders 20000 --seed 42"))
        let total = GeneratedShop.committed.bytes.values.map(\.count).reduce(0, +)
        #expect(total < 5_000_000, "the committed sample should stay a few MB (\(total) bytes)")
    }

    /// Where two files first differ, as a line number and both versions of that line.
    private func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> String {
        let left = a.split(separator: 0x0A, omittingEmptySubsequences: false)
        let right = b.split(separator: 0x0A, omittingEmptySubsequences: false)
        for (i, (x, y)) in zip(left, right).enumerated() where x != y {
            return "at line \(i + 1): committed \(String(decoding: x, as: UTF8.self)) vs fresh \(String(decoding: y, as: UTF8.self))"
        }
        return "in length: \(left.count) vs \(right.count) lines"
    }
}
