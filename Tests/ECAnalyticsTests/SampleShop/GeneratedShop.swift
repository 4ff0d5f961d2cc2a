import Foundation
import ECTestSupport
@testable import ECAnalytics

/// A generated shop's files, read back as bytes and as tables by the test's own CSV reader.
struct GeneratedShop: Sendable {
    let summary: SampleShopSummary
    let bytes: [String: [UInt8]]
    let orders: RFC4180Reader.Table
    let customers: RFC4180Reader.Table
    let spend: RFC4180Reader.Table
    let traffic: RFC4180Reader.Table
    let nps: RFC4180Reader.Table

    /// Generates `spec` into a fresh temporary directory, reads every file and removes the directory.
    static func make(_ spec: SampleShopSpec) throws -> GeneratedShop {
        let directory = try TemporaryDirectory("ecsh-shop")
        defer { directory.remove() }
        let summary = try SampleShop.generate(spec, into: directory.url.path)
        var bytes: [String: [UInt8]] = [:]
        for name in SampleShop.fileNames {
            bytes[name] = try [UInt8](Data(contentsOf: URL(fileURLWithPath: directory.path(name))))
        }
        func table(_ name: String) throws -> RFC4180Reader.Table {
            guard let table = RFC4180Reader.table(bytes[name]!) else { throw ReadError(file: name) }
            return table
        }
        return GeneratedShop(
            summary: summary, bytes: bytes, orders: try table("orders.csv"), customers: try table("customers.csv"),
            spend: try table("ad_spend.csv"), traffic: try table("traffic.csv"), nps: try table("nps.csv"))
    }

    struct ReadError: Error { let file: String }

    /// The committed sample's spec, generated once and shared by the statistics tests.
    static let committed: GeneratedShop = {
        do { return try make(.committedSample) } catch { fatalError("cannot generate the sample shop: \(error)") }
    }()

    /// FNV-1a (64-bit) of a file's bytes: a cheap fingerprint for comparing generations.
    static func fingerprint(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
