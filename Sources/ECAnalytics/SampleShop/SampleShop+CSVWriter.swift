#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SampleShop {
    /// Writes one CSV file through a 64 KB buffer and `fwrite`, quoting per RFC 4180.
    ///
    /// Rows end in LF (not RFC 4180's CRLF: the usual choice for files made on
    /// Unix, and every CSV reader accepts it); a field is quoted only when it
    /// holds a comma, a double quote, CR or LF, and inner quotes are doubled.
    final class CSVWriter {
        let path: String
        private var file: UnsafeMutablePointer<FILE>?
        private var buffer: [UInt8] = []
        private var failure: String?
        private(set) var rows = 0
        private(set) var bytesWritten = 0

        init(path: String, header: [String]) throws {
            self.path = path
            guard let file = fopen(path, "wb") else {
                throw SampleShopError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
            }
            self.file = file
            buffer.reserveCapacity(1 << 16 + 4096)
            row { row in for name in header { row.text(name) } }
            rows = 0
        }

        deinit { if let file { fclose(file) } }

        /// Appends one row; `fill` adds its fields in order.
        ///
        /// The buffer is moved into a local `Row` for the duration, so the hot
        /// path works on a plain local value (no per-field exclusivity checks).
        func row(_ fill: (inout Row) -> Void) {
            var row = Row()
            swap(&row.bytes, &buffer)
            fill(&row)
            row.bytes.append(0x0A)
            swap(&row.bytes, &buffer)
            rows += 1
            if buffer.count >= 1 << 16 { flushBuffer() }
        }

        private func flushBuffer() {
            guard let file, !buffer.isEmpty else { return }
            let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
            bytesWritten += written
            if written != buffer.count && failure == nil { failure = String(cString: strerror(errno)) }
            buffer.removeAll(keepingCapacity: true)
        }

        /// Flushes and closes; throws if any write failed (disk full, ...).
        func close() throws {
            flushBuffer()
            guard let file else { return }
            self.file = nil
            if fclose(file) != 0, failure == nil { failure = String(cString: strerror(errno)) }
            if let failure { throw SampleShopError.cannotWrite(path: path, reason: failure) }
        }

        /// The fields of one row being written.
        struct Row {
            fileprivate(set) var bytes: [UInt8] = []
            private var started = false

            private mutating func separate() {
                if started { bytes.append(UInt8(ascii: ",")) } else { started = true }
            }

            /// A text field, quoted when it needs to be.
            mutating func text(_ value: String) {
                separate()
                var value = value
                value.withUTF8 { utf8 in
                    let special = utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
                    guard special else {
                        bytes.append(contentsOf: utf8)
                        return
                    }
                    bytes.append(0x22)
                    for byte in utf8 {
                        if byte == 0x22 { bytes.append(0x22) }
                        bytes.append(byte)
                    }
                    bytes.append(0x22)
                }
            }

            /// An empty field.
            mutating func empty() { separate() }

            mutating func integer(_ value: Int) {
                separate()
                SampleShop.appendInteger(value, to: &bytes)
            }

            /// An identifier such as `O00000042`: a letter and at least eight digits.
            mutating func identifier(_ prefix: Unicode.Scalar, _ number: Int) {
                separate()
                bytes.append(UInt8(ascii: prefix))
                SampleShop.appendPadded(number, width: 8, to: &bytes)
            }

            mutating func date(_ days: Int) {
                separate()
                SampleShop.appendDate(days, to: &bytes)
            }

            mutating func timestamp(_ seconds: Int) {
                separate()
                SampleShop.appendTimestamp(seconds, to: &bytes)
            }
        }
    }
}
