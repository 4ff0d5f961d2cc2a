import CLibPQ

extension PostgresConnection {
    /// Streams rows into `COPY table (columns) FROM STDIN …`: `produce` writes the data (in the
    /// format the COPY statement names) through the writer, which sends it in 256 KB messages.
    /// Returns the number of rows the server took. If `produce` throws, or Ctrl-C is pressed, the
    /// COPY is aborted on the server (nothing of it is kept) and the error is rethrown.
    @discardableResult
    public func copyIn(_ sql: String, _ produce: (inout PostgresCopyWriter) throws -> Void) throws -> Int {
        guard PQsendQuery(handle, sql) == 1 else { throw connectionError(sql: sql) }
        guard let start = try nextResult(sql: sql) else { throw connectionError(sql: sql) }
        let status = PQresultStatus(start)
        if status != PGRES_COPY_IN {
            let failure = status == PGRES_FATAL_ERROR ? Self.error(start, sql: sql)
                : PostgresError("not a COPY FROM STDIN statement", sql: sql)
            PQclear(start)
            while let more = try nextResult(sql: sql) { PQclear(more) }
            throw failure
        }
        PQclear(start)
        var writer = PostgresCopyWriter(connection: self, sql: sql)
        defer { writer.storage.deallocate() }
        var producerError: Error?
        do {
            try produce(&writer)
            try writer.flush()
        } catch {
            producerError = error
        }
        let abort = producerError.map { "ecsh stopped the load: \($0)" }
        guard PQputCopyEnd(handle, abort) == 1 else { throw connectionError(sql: sql) }
        var rows = 0
        var serverError: PostgresError?
        while let result = try nextResult(sql: sql) {
            defer { PQclear(result) }
            if PQresultStatus(result) == PGRES_COMMAND_OK {
                rows = Int(String(cString: PQcmdTuples(result))) ?? 0
            } else if serverError == nil {
                serverError = Self.error(result, sql: sql)
            }
        }
        if let producerError { throw producerError }
        if let serverError { throw serverError }
        return rows
    }
}

/// Buffers COPY data and hands it to libpq in large messages. The buffer is raw memory: a million
/// rows of a dozen fields are tens of millions of small appends, which an array's checks would slow.
public struct PostgresCopyWriter {
    let connection: PostgresConnection
    let sql: String
    let storage: UnsafeMutablePointer<UInt8>
    var count = 0
    /// A message is sent once this much is buffered.
    static let messageSize = 256 * 1024
    /// Room for a message and the row that fills it; a longer piece goes out on its own.
    static let capacity = 2 * messageSize

    init(connection: PostgresConnection, sql: String) {
        self.connection = connection
        self.sql = sql
        storage = .allocate(capacity: Self.capacity)
    }

    /// Appends bytes; sends a message when the buffer is full.
    public mutating func write<C: Collection>(_ bytes: C) throws where C.Element == UInt8 {
        let n = bytes.count
        if count + n > Self.capacity { try flush() }
        if n > Self.capacity {
            let copy = Array(bytes)
            try copy.withUnsafeBytes { try send($0) }
            return
        }
        _ = UnsafeMutableBufferPointer(start: storage + count, count: n).initialize(from: bytes)
        count += n
        if count >= Self.messageSize { try flush() }
    }

    public mutating func write(_ text: String) throws { try write(text.utf8) }

    // COPY's binary format (https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4):
    // a signature, then per row a 16-bit field count and per field a 32-bit length (-1: NULL) and
    // the value in the type's send format, all integers big-endian; a 16-bit -1 ends the data.
    // Each append makes its own room (one comparison); a row may span messages.

    /// The binary format's signature, flags and (empty) header extension.
    public mutating func beginBinary() throws {
        try write([0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00, 0, 0, 0, 0, 0, 0, 0, 0] as [UInt8])
    }

    /// Makes room for `n` bytes.
    @inline(__always) mutating func reserve(_ n: Int) throws {
        if count + n > Self.capacity { try flush() }
    }

    @inline(__always) public mutating func beginRow(fields: Int) throws {
        try reserve(2)
        put(Int16(truncatingIfNeeded: fields))
    }

    @inline(__always) public mutating func appendNull() throws {
        try reserve(4)
        put(Int32(-1))
    }

    /// An int8 (bigint) field.
    @inline(__always) public mutating func append(_ v: Int64) throws {
        try reserve(12)
        put(Int32(8))
        put(v)
    }

    /// A float8 (double precision) field.
    @inline(__always) public mutating func append(_ d: Double) throws {
        try reserve(12)
        put(Int32(8))
        put(d.bitPattern)
    }

    /// A text field: its UTF-8 bytes.
    @inline(__always) public mutating func appendText(_ bytes: UnsafeRawBufferPointer) throws {
        if count + 4 + bytes.count > Self.capacity { try flush() }
        put(Int32(bytes.count))
        if bytes.count > Self.capacity - count {
            try flush()
            try send(bytes)
            return
        }
        if let base = bytes.baseAddress { (storage + count).update(from: base.assumingMemoryBound(to: UInt8.self), count: bytes.count) }
        count += bytes.count
    }

    /// Ends a row: sends a message when enough is buffered.
    @inline(__always) public mutating func endRow() throws {
        if count >= Self.messageSize { try flush() }
    }

    /// The end-of-data marker of the binary format.
    public mutating func endBinary() throws {
        try reserve(2)
        put(Int16(-1))
    }

    /// Stores an integer big-endian; the caller made room.
    @inline(__always) mutating func put<T: FixedWidthInteger>(_ v: T) {
        UnsafeMutableRawPointer(storage + count).storeBytes(of: v.bigEndian, as: T.self)
        count += MemoryLayout<T>.size
    }

    /// Sends what is buffered. Stops with a cancellation when Ctrl-C was pressed.
    public mutating func flush() throws {
        if connection.interruptFlag.isRaised {
            throw PostgresError("canceling statement due to user request", sqlState: "57014", sql: sql)
        }
        guard count > 0 else { return }
        try send(UnsafeRawBufferPointer(start: storage, count: count))
        count = 0
    }

    private func send(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        let sent = PQputCopyData(connection.handle, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
        guard sent == 1 else { throw connection.connectionError(sql: sql) }
    }
}
