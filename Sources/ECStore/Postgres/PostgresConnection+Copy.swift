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

/// Buffers COPY data and hands it to libpq in large messages.
public struct PostgresCopyWriter {
    let connection: PostgresConnection
    let sql: String
    var buffer: [UInt8] = []
    static let messageSize = 256 * 1024

    init(connection: PostgresConnection, sql: String) {
        self.connection = connection
        self.sql = sql
        buffer.reserveCapacity(Self.messageSize)
    }

    /// Appends bytes; sends a message when the buffer is full.
    public mutating func write<C: Collection>(_ bytes: C) throws where C.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.messageSize { try flush() }
    }

    public mutating func write(_ text: String) throws { try write(text.utf8) }

    /// Sends what is buffered. Stops with a cancellation when Ctrl-C was pressed.
    public mutating func flush() throws {
        if connection.interruptFlag.isRaised {
            throw PostgresError("canceling statement due to user request", sqlState: "57014", sql: sql)
        }
        guard !buffer.isEmpty else { return }
        let sent = buffer.withUnsafeBufferPointer { b in
            b.withMemoryRebound(to: CChar.self) { PQputCopyData(connection.handle, $0.baseAddress, Int32($0.count)) }
        }
        guard sent == 1 else { throw connection.connectionError(sql: sql) }
        buffer.removeAll(keepingCapacity: true)
    }
}
