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
