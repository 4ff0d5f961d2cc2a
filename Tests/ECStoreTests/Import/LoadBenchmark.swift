import Testing
import Foundation
import ECStore

/// Loads `ECSH_BENCH_FILE` into `ECSH_BENCH_DB` as orders and prints the summary.
/// Skipped unless the variables are set: scripts/bench-load drives it in a release build.
@Suite struct LoadBenchmark {
    @Test func loadBenchFile() throws {
        let env = ProcessInfo.processInfo.environment
        guard let file = env["ECSH_BENCH_FILE"], let dbPath = env["ECSH_BENCH_DB"] else { return }
        let db = try Database(path: dbPath)
        let target: LoadTarget = env["ECSH_BENCH_TABLE"].map { .table($0) } ?? .role(.orders)
        let summary = try Loader(database: db).load(LoadRequest(target: target, path: file))
        print("ECSH_BENCH " + summary.description)
        print("ECSH_BENCH_SECONDS \(summary.seconds)")
        for note in summary.notes { print("ECSH_BENCH note: \(note)") }
    }
}
