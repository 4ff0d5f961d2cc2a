import Foundation

/// Parses and converts records on a second thread while the calling thread inserts.
///
/// Parsing and SQLite's inserting each take about half the time of a load, so
/// overlapping them nearly halves it. The producer thread owns the reader and
/// converter from `start()` until `stop()` returns; batches change hands under
/// the condition lock, so no memory is touched by both threads at once. That
/// hand-over is what `@unchecked Sendable` vouches for; SQLite is only ever
/// called from the consumer (calling) thread.
///
/// With an observer (`LoadRowObserver`), a third thread shows it each batch once parsed, while the
/// calling thread inserts the same batch: both only read it, and it is reused once both are done.
/// On the machine's two cores the operating system then shares the observer's work out, where on the
/// parsing thread it made that thread the slower of the two.
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
    /// Batches the observing thread has yet to see, in file order.
    private var toObserve: [RowBatch] = []
    private var observerDone = true
    private let totalBytes: Int
    /// Maps and counts each good row on this thread (orders); read by the loader once the pipeline ends.
    private let tally: RowTally?
    /// Each column's count, minimum and maximum, on this thread after the status tally (`ColumnTally`).
    private let columnTally: ColumnTally?
    /// Sees each good row after the tally, on a thread of its own (`LoadRowObserver`).
    private let observer: LoadRowObserver?

    init(reader: CSVReader, converter: RowConverter, expectedFields: Int, nullPadding: Bool = false,
         batchRows: Int = 4096, batches: Int = 3, tally: RowTally? = nil, columnTally: ColumnTally? = nil,
         observer: LoadRowObserver? = nil) {
        self.reader = reader
        self.tally = tally
        self.columnTally = columnTally
        self.observer = observer
        self.nullPadding = nullPadding
        self.converter = converter
        self.expectedFields = expectedFields
        totalBytes = reader.totalBytes
        free = (0..<batches + (observer == nil ? 0 : 1)).map { _ in RowBatch(width: converter.width, capacity: batchRows) }
    }

    func start() {
        started = true
        let thread = Thread { [self] in produce() }
        thread.name = "ecsh-load-parse"
        thread.stackSize = 1 << 20
        if observer != nil {
            observerDone = false
            let watcher = Thread { [self] in observe() }
            watcher.name = "ecsh-load-observe"
            watcher.stackSize = 1 << 20
            watcher.start()
        }
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
        release(batch)
        condition.unlock()
    }

    /// One holder less (under the lock); the last one frees the batch for the producer.
    private func release(_ batch: RowBatch) {
        batch.holders -= 1
        guard batch.holders == 0 else { return }
        free.append(batch)
        condition.broadcast()
    }

    /// Stops the producer (if still running) and waits until it has let go of the reader; then waits
    /// for the observer, which sees every batch when the file was read to its end, else stops early.
    func stop() {
        guard started else { return }
        condition.lock()
        if !producerDone { cancelled = true }
        condition.broadcast()
        while !producerDone || !observerDone { condition.wait() }
        condition.unlock()
    }

    /// The observing thread: every batch, in file order, each good row to the observer.
    private func observe() {
        guard let observer else { return }
        while true {
            condition.lock()
            while toObserve.isEmpty && !producerDone && !cancelled { condition.wait() }
            if cancelled || toObserve.isEmpty {
                // The whole file was seen: what the observer settles at the end, it settles on this thread.
                if !cancelled {
                    condition.unlock()
                    observer.finished()
                    condition.lock()
                }
                return markDone(\.observerDone)
            }
            let batch = toObserve.removeFirst()
            condition.unlock()
            observer.willAdd(rows: batch.count, bytes: batch.bytesParsed, of: totalBytes)
            for r in 0..<batch.count where batch.status[r] < 0 {
                observer.add(LoadedRow(cells: batch.cells + r * batch.width, text: batch.text.pointee.bytes))
            }
            observer.read(bytes: batch.bytesRead, of: totalBytes)
            condition.lock()
            release(batch)
            condition.unlock()
        }
    }

    private func produce() {
        var atEnd = false
        while !atEnd {
            condition.lock()
            while free.isEmpty && !cancelled { condition.wait() }
            if cancelled { return markDone(\.producerDone) }
            let batch = free.removeLast()
            condition.unlock()
            batch.reset()
            atEnd = fill(batch)
            condition.lock()
            ready.append(batch)
            batch.holders = 1
            if observer != nil {
                toObserve.append(batch)
                batch.holders = 2
            }
            condition.broadcast()
            condition.unlock()
        }
        condition.lock()
        markDone(\.producerDone)
    }

    /// Marks a thread done (under the lock, which it lets go) and wakes whoever waits for it.
    private func markDone(_ flag: ReferenceWritableKeyPath<RowPipeline, Bool>) {
        self[keyPath: flag] = true
        condition.broadcast()
        condition.unlock()
    }

    /// Fills one batch; true at end of file or on a structural error.
    private func fill(_ batch: RowBatch) -> Bool {
        let expected = expectedFields
        defer {
            batch.bytesRead = reader.rawBytesRead
            batch.bytesParsed = reader.bytesParsed
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
                                         help: reader.followsBlankLine
                                             ? "it follows a blank line: another table may start here (GA4 and other reports put several in one file); "
                                                 + "to load the table above only, cut the file before line \(line), or with on_error skip (rows that do not fit go to ecsh_rejects)"
                                             : count > expected
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
                columnTally?.add(batch, row: r)
            }
            batch.count += 1
        }
        return false
    }
}
