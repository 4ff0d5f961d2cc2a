import Foundation

/// Parses and converts records on a second thread while the calling thread inserts.
///
/// Parsing and SQLite's inserting each take about half the time of a load, so
/// overlapping them nearly halves it. The producer thread owns the reader and
/// converter from `start()` until `stop()` returns; batches change hands under
/// the condition lock, so no memory is touched by both threads at once. That
/// hand-over is what `@unchecked Sendable` vouches for; SQLite is only ever
/// called from the consumer (calling) thread.
final class RowPipeline: @unchecked Sendable {
    let reader: CSVReader
    private let converter: RowConverter
    private let expectedFields: Int
    private let nullPadding: Bool
    private let condition = NSCondition()
    private var ready: [RowBatch] = []
    private var free: [RowBatch]
    private var producerDone = false
    private var cancelled = false
    private var started = false
    /// Maps and counts each good row on this thread (orders); read by the loader once the pipeline ends.
    private let tally: RowTally?
    /// Sees each good row after the tally, on this thread (`LoadRowObserver`).
    private let observer: LoadRowObserver?

    init(reader: CSVReader, converter: RowConverter, expectedFields: Int, nullPadding: Bool = false,
         batchRows: Int = 4096, batches: Int = 3, tally: RowTally? = nil, observer: LoadRowObserver? = nil) {
        self.reader = reader
        self.tally = tally
        self.observer = observer
        self.nullPadding = nullPadding
        self.converter = converter
        self.expectedFields = expectedFields
        free = (0..<batches).map { _ in RowBatch(width: converter.width, capacity: batchRows) }
    }

    func start() {
        started = true
        let thread = Thread { [self] in produce() }
        thread.name = "ecsh-load-parse"
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// The next full batch in file order; nil when the file is done.
    func next() -> RowBatch? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !producerDone { condition.wait() }
        return ready.isEmpty ? nil : ready.removeFirst()
    }

    func recycle(_ batch: RowBatch) {
        condition.lock()
        free.append(batch)
        condition.signal()
        condition.unlock()
    }

    /// Stops the producer (if still running) and waits until it has let go of the reader.
    func stop() {
        guard started else { return }
        condition.lock()
        cancelled = true
        condition.broadcast()
        while !producerDone { condition.wait() }
        condition.unlock()
    }

    private func produce() {
        var atEnd = false
        while !atEnd {
            condition.lock()
            while free.isEmpty && !cancelled { condition.wait() }
            if cancelled {
                producerDone = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let batch = free.removeLast()
            condition.unlock()
            batch.reset()
            atEnd = fill(batch)
            condition.lock()
            ready.append(batch)
            condition.broadcast()
            condition.unlock()
        }
        condition.lock()
        producerDone = true
        condition.broadcast()
        condition.unlock()
    }

    /// Fills one batch; true at end of file or on a structural error.
    private func fill(_ batch: RowBatch) -> Bool {
        let expected = expectedFields
        defer {
            batch.bytesRead = reader.rawBytesRead
            observer?.read(bytes: batch.bytesRead, of: reader.totalBytes)
        }
        while batch.count < batch.capacity {
            do {
                guard try reader.next() else { return true }
            } catch {
                batch.failure = error
                return true
            }
            let r = batch.count
            let line = reader.line
            batch.lines[r] = line
            batch.status[r] = -1
            var count = reader.count
            // A trailing delimiter on every line is common in exports: ignore one empty extra field.
            if count == expected + 1 && reader.field(count - 1).isEmpty { count = expected }
            if count < expected && nullPadding {
                reader.pad(to: expected)
                count = expected
            }
            if count != expected {
                let problem = RowProblem(column: nil, field: nil, raw: nil, reason: "has \(count) fields, expected \(expected)",
                                         help: count > expected
                                             ? "a delimiter inside a value must be quoted: \"a,b\"; to load the other rows: with on_error skip"
                                             : "to read short rows with empty values for the missing fields: with null_padding true; to leave them out: with on_error skip")
                batch.status[r] = batch.problems.count
                batch.problems.append((problem, reader.rawRecord))
            } else if reader.passControls, let problem = reader.badBytesProblem() {
                batch.status[r] = batch.problems.count
                batch.problems.append((problem, reader.escapedRawRecord))
            } else if let problem = converter.convert(reader, line: line, into: batch, row: r) {
                batch.status[r] = batch.problems.count
                batch.problems.append((problem, reader.rawRecord))
            } else {
                tally?.add(batch, row: r)
                // After the tally, which may have moved the batch's text.
                observer?.add(LoadedRow(cells: batch.cells + r * batch.width, text: batch.text.pointee.bytes))
            }
            batch.count += 1
        }
        return false
    }
}
