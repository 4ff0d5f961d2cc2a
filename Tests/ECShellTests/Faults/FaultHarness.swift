import Foundation
import Testing
import ECTestSupport

/// Runs the real `ecsh` for fault-injection tests: with a generous deadline (a hang is
/// reported, never waited out), optionally killed with SIGKILL after a delay.
enum FaultHarness {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    struct Run {
        var output: Output
        /// How it ended: an exit status, or the signal that ended it.
        var exited: Bool
        var timedOut: Bool
    }

    /// `ecsh ARGS` with `stdin`; killed with SIGKILL after `killAfter` seconds if given,
    /// and after `deadline` seconds in any case (then `timedOut` is true); `environment` is added to this process's.
    static func run(_ arguments: [String], stdin: String = "", killAfter: Double? = nil, deadline: Double = 120,
                    launcher: [String] = [], directory: URL? = nil, environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        if launcher.isEmpty {
            process.executableURL = BuiltBinary.ecsh
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = launcher + [BuiltBinary.ecsh.path] + arguments
        }
        process.currentDirectoryURL = directory ?? BuiltBinary.packageRoot
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["ECSH_HISTORY"] = "/dev/null"
        env.merge(environment) { $1 }
        process.environment = env
        let outFile = FileManager.default.temporaryDirectory.appendingPathComponent("ecsh-fault-\(UUID().uuidString)")
        let errFile = outFile.appendingPathExtension("err"), inFile = outFile.appendingPathExtension("in")
        try Data(stdin.utf8).write(to: inFile)
        try Data().write(to: outFile)
        try Data().write(to: errFile)
        defer { for f in [outFile, errFile, inFile] { try? FileManager.default.removeItem(at: f) } }
        process.standardInput = try FileHandle(forReadingFrom: inFile)
        process.standardOutput = try FileHandle(forWritingTo: outFile)
        process.standardError = try FileHandle(forWritingTo: errFile)
        try process.run()
        let started = Date()
        var timedOut = false
        var killed = false
        while process.isRunning {
            let elapsed = Date().timeIntervalSince(started)
            if let killAfter, !killed, elapsed >= killAfter {
                kill(process.processIdentifier, SIGKILL)
                killed = true
            }
            if elapsed >= deadline {
                kill(process.processIdentifier, SIGKILL)
                timedOut = true
                break
            }
            usleep(2_000)
        }
        process.waitUntilExit()
        let output = Output(status: process.terminationStatus,
                                   stdout: (try? String(contentsOf: outFile, encoding: .utf8)) ?? "",
                                   stderr: (try? String(contentsOf: errFile, encoding: .utf8)) ?? "")
        return Run(output: output, exited: process.terminationReason == .exit, timedOut: timedOut)
    }

    /// A workspace holding `old` with its derived tables built by `statements` (so stale ones would
    /// show), and the file of `new` orders beside it.
    static func workspace(in dir: TemporaryDirectory, old: GeneratedOrders, new: GeneratedOrders,
                          statements: String = "kpi orders") throws -> (db: String, big: String) {
        let small = try dir.write("small.csv", old.text)
        let big = try dir.write("big.csv", new.text)
        let db = dir.path("ws.db")
        let setup = try run([db], stdin: "load orders from '\(small)'\n\(statements)\n")
        #expect(setup.output.status == 0, "\(setup.output.stderr)")
        return (db, big)
    }

    /// The state of a workspace file as three numbers and SQLite's verdict, read through `ecsh`:
    /// `kpi orders`, an independent count of counted orders over the `orders` table
    /// (status not cancelled, returned or refunded — docs/metrics.md), and all rows.
    struct Check: Equatable {
        var integrity: String
        var kpiOrders: Int?
        var countedRows: Int?
        var allRows: Int?
    }

    static func check(_ workspace: String) throws -> Check {
        let script = """
            set format csv
            sql PRAGMA integrity_check
            kpi orders
            sql SELECT count(*) FROM orders WHERE status IS NULL OR status NOT IN ('cancelled', 'returned', 'refunded')
            sql SELECT count(*) FROM orders
            """
        let run = try run([workspace], stdin: script, deadline: 120)
        let lines = run.output.stdout.split(separator: "\n").map(String.init)
        // integrity_check / ok / orders / K / count(*) / C / count(*) / N
        func number(_ i: Int) -> Int? { i < lines.count ? Int(lines[i]) : nil }
        return Check(integrity: lines.count > 1 ? lines[1] : run.output.stdout + run.output.stderr,
                     kpiOrders: number(3), countedRows: number(5), allRows: number(7))
    }
}

/// An orders CSV whose counts are known from how it was made: row i has status
/// `statuses[i % 5]`, so counted rows are those with i % 5 not 1 (cancelled) or 3 (returned).
struct GeneratedOrders {
    static let statuses = ["completed", "cancelled", "shipped", "returned", ""]
    let rows: Int
    var counted: Int { (0..<rows).filter { $0 % 5 != 1 && $0 % 5 != 3 }.count }

    var text: String {
        var out = "order_id,customer_id,ordered_at,amount,status\n"
        out.reserveCapacity(rows * 48)
        for i in 0..<rows {
            let day = 1 + i % 28, month = 1 + (i / 28) % 12
            out += "O\(i),C\(i % 997),2024-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day) 10:00:00,\(1000 + i % 7),\(Self.statuses[i % 5])\n"
        }
        return out
    }
}
