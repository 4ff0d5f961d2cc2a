import Glibc

/// Where loaded rows go: a role's canonical table, or a plain table.
public enum LoadTarget: Sendable, Equatable {
    case role(DatasetRole)
    case table(String)

    /// The SQLite table the rows land in.
    public var tableName: String {
        switch self {
        case .role(let role): return role.rawValue
        case .table(let name): return name
        }
    }
}

/// One `load` statement, resolved: what to read, where to put it, and how.
public struct LoadRequest: Sendable {
    public var target: LoadTarget
    /// The file path as the user wrote it (relative paths resolve against the process's directory).
    public var path: String
    public var options: LoadOptions
    /// Canonical field → header in the file (the `map` clause); wins over automatic mapping.
    /// The special source `#line` numbers rows by their line in the file (for files without ids).
    public var fieldMap: [String: String]
    /// A known export layout: "shopify" or "rakuten".
    public var preset: String?
    /// Add rows to the existing table instead of replacing it.
    public var append: Bool
    /// Where the bytes are read from when not `path` itself: the temporary copy of a FIFO or standard input.
    var spooledPath: String?
    /// The file the passes open; errors and bookkeeping still name `path`.
    var readPath: String { spooledPath ?? path }

    public init(target: LoadTarget, path: String, options: LoadOptions = LoadOptions(),
                fieldMap: [String: String] = [:], preset: String? = nil, append: Bool = false) {
        self.target = target
        self.path = path
        self.options = options
        self.fieldMap = fieldMap
        self.preset = preset
        self.append = append
    }
}

/// How far a load has come, reported every few thousand rows.
public struct LoadProgress: Sendable {
    /// Bytes of the file read so far (before decoding).
    public var bytesDone: Int
    public var bytesTotal: Int
    /// Rows inserted so far.
    public var rows: Int
    /// Seconds since the load started.
    public var elapsed: Double
}

/// Seconds per step of a load on standard error when `ECSH_LOAD_TRACE` is set: where a
/// load's time goes, for BENCHMARKS.md, without a profiler.
public enum LoadTrace {
    public static let enabled = getenv("ECSH_LOAD_TRACE") != nil
    nonisolated(unsafe) private static var last = (wall: Loader.now(), cpu: 0.0)

    /// Prints the wall and CPU seconds since the previous mark (or the process start) and the peak RSS so far.
    public static func mark(_ step: String) {
        guard enabled else { return }
        let now = Loader.now()
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        func ms(_ x: Double) -> String { "\(Double(Int(x * 1000)) / 1000)" }
        let line = "load trace: \(step) \(ms(now - last.wall)) s wall, \(ms(cpu - last.cpu)) s CPU, peak \(usage.ru_maxrss / 1024) MB\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
        last = (now, cpu)
    }
}
