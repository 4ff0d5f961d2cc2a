import Foundation
import ECStore

/// A real PostgreSQL server for the tests: the one `ECSH_PG_URL` names, or else one started on
/// first use for this test process with `scripts/pg-cluster` in a temporary directory; its
/// watchdog stops it and removes the directory when the process ends. No mocks: if neither works
/// the tests that need it fail with the reason, never skip.
public enum PostgresServer {
    /// The connection URI of the server, started if needed.
    public static func url() throws -> String {
        try started.get()
    }

    private static let started: Result<String, PostgresServerError> = {
        if let url = ProcessInfo.processInfo.environment["ECSH_PG_URL"], !url.isEmpty { return .success(url) }
        return startWatched("pg-cluster", label: "ecsh-pg", what: "a PostgreSQL server (bash scripts/setup --tests installs it; or set ECSH_PG_URL)").map(\.url)
    }()

    /// A sharded topology for this test process (scripts/pg-shards: a coordinator whose distributed
    /// tables are hash-partitioned by a key into foreign tables on two shard servers), started on
    /// first use and stopped when the process ends. Each test distributes tables of its own names.
    public static func sharded() throws -> ShardedTopology { try shardedTopology.get() }

    private static let shardedTopology: Result<ShardedTopology, PostgresServerError> = {
        startWatched("pg-shards", label: "ecsh-shards", what: "the sharded topology").map {
            ShardedTopology(directory: $0.directory, coordinator: $0.url)
        }
    }()

    /// Runs `scripts/NAME start DIR --until-exit <this process>` in a fresh temporary DIR and
    /// returns DIR and the URI the script prints.
    ///
    /// posix_spawn and waitpid rather than Foundation's Process: this runs inside a lazy global's
    /// one-time initialiser while other tests wait on it, and Process.waitUntilExit then never
    /// saw the child exit (its termination source needs a thread those tests hold).
    private static func startWatched(_ name: String, label: String, what: String)
        -> Result<(directory: String, url: String), PostgresServerError> {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        let status = spawnAndWait(["/bin/bash", "-c", closeInherited + "\"$0\" start \"$1\" --until-exit \"$2\" >\"$1.uri\" 2>\"$1.log\"",
                                   script(name), dir, String(getpid())])
        let url = ((try? String(contentsOfFile: dir + ".uri", encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let log = (try? String(contentsOfFile: dir + ".log", encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: dir + ".uri")
        try? FileManager.default.removeItem(atPath: dir + ".log")
        guard status == 0, url.hasPrefix("postgresql://") else {
            return .failure(PostgresServerError(message: "scripts/\(name) could not start \(what): \(log)"))
        }
        return .success((dir, url))
    }

    /// Shell code that closes every descriptor but 0, 1 and 2 first: the server and its watchdog
    /// outlive the call, and an inherited descriptor of a file another test is writing at that
    /// moment (a copied executable) would keep that file "busy" (ETXTBSY) for as long as they run.
    static let closeInherited = "for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ \"$fd\" -gt 2 ] && eval \"exec $fd>&-\"; done 2>/dev/null; "

    static func script(_ name: String) -> String { BuiltBinary.packageRoot.appendingPathComponent("scripts/\(name)").path }

    /// Runs a program to its end; its exit status (128 + N when signal N ended it), or -1 if it could not run.
    static func spawnAndWait(_ arguments: [String]) -> Int32 {
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        guard posix_spawn(&pid, arguments[0], nil, nil, argv, environ) == 0 else { return -1 }
        return ChildProcess.wait(pid) ?? -1
    }

    /// A fresh database on the server for one test (tests run in parallel; each gets its own),
    /// as a connection URI. The database stays until the server goes away.
    /// `options` go after `CREATE DATABASE name` (a locale, a template).
    public static func freshDatabase(_ label: String, options: String = "") throws -> String {
        let base = try url()
        let name = "t_" + label.lowercased().filter { $0.isLetter || $0.isNumber }.prefix(30) + "_\(UInt32.random(in: 0...UInt32.max))"
        let psql = Process()
        psql.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        psql.arguments = ["psql", base, "-v", "ON_ERROR_STOP=1", "-qAtc", "CREATE DATABASE \(name) \(options)"]
        let err = Pipe()
        psql.standardError = err
        psql.standardOutput = FileHandle.nullDevice
        try psql.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        psql.waitUntilExit()
        guard psql.terminationStatus == 0 else { throw PostgresServerError(message: "CREATE DATABASE failed: \(message)") }
        guard let slash = base.range(of: "/", options: .backwards) else { throw PostgresServerError(message: "odd URI \(base)") }
        return base[..<slash.upperBound] + name
    }

    /// Runs psql (the reference client, independent of ecsh's libpq code) and returns its output:
    /// unaligned, tuples only, `|` between fields.
    public static func psql(_ url: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", url, "-v", "ON_ERROR_STOP=1", "-qAtX", "-c", sql]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw PostgresServerError(message: "psql failed: \(message)") }
        return text
    }
}

public struct PostgresServerError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// The coordinator of a sharded topology and the directory its servers live in.
public struct ShardedTopology: Sendable {
    public let directory: String
    /// The coordinator's connection URI.
    public let coordinator: String

    /// Creates TABLE on the coordinator, hash-partitioned by `key` into TABLE_p0 on shard 1 and
    /// TABLE_p1 on shard 2.
    public func distribute(_ table: String, columns: String, by key: String) throws {
        let status = PostgresServer.spawnAndWait(["/bin/bash", PostgresServer.script("pg-shards"), "distribute", directory, table, columns, key])
        guard status == 0 else { throw PostgresServerError(message: "scripts/pg-shards distribute \(table) failed (\(status))") }
    }

    /// The URI of shard 1 or 2, to look at what it holds directly.
    public func shard(_ n: Int) throws -> String {
        let port = try String(contentsOfFile: directory + "/shard\(n)/port", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return "postgresql://postgres@127.0.0.1:\(port)/postgres"
    }
}
