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
        private var atRowStart = true
        private(set) var rows = 0
        private(set) var bytesWritten = 0

        init(path: String, header: [String]) throws {
            self.path = path
            guard let file = fopen(path, "wb") else {
                throw SampleShopError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
            }
            self.file = file
            buffer.reserveCapacity(1 << 16 + 1024)
            for name in header { text(name) }
            endRow()
            rows = 0
        }

        deinit { if let file { fclose(file) } }

        private func separate() {
            if atRowStart { atRowStart = false } else { buffer.append(UInt8(ascii: ",")) }
        }

        /// A text field, quoted when it needs to be.
        func text(_ value: String) {
            separate()
            var value = value
            value.withUTF8 { utf8 in
                let special = utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
                guard special else {
                    buffer.append(contentsOf: utf8)
                    return
                }
                buffer.append(0x22)
                for byte in utf8 {
                    if byte == 0x22 { buffer.append(0x22) }
                    buffer.append(byte)
                }
                buffer.append(0x22)
            }
        }

        /// An empty field.
        func empty() { separate() }

        func integer(_ value: Int) {
            separate()
            SampleShop.appendInteger(value, to: &buffer)
        }

        /// An identifier such as `O00000042`: a letter and at least eight digits.
        func identifier(_ prefix: Unicode.Scalar, _ number: Int) {
            separate()
            buffer.append(UInt8(ascii: prefix))
            SampleShop.appendPadded(number, width: 8, to: &buffer)
        }

        func date(_ days: Int) {
            separate()
            SampleShop.appendDate(days, to: &buffer)
        }

        func timestamp(_ seconds: Int) {
            separate()
            SampleShop.appendTimestamp(seconds, to: &buffer)
        }

        func endRow() {
            buffer.append(0x0A)
            atRowStart = true
            rows += 1
            if buffer.count >= 1 << 16 { flushBuffer() }
        }

        private func flushBuffer() {
            guard let file, !buffer.isEmpty else { return }
            let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
            bytesWritten += written
            if written != buffer.count { failed = String(cString: strerror(errno)) }
            buffer.removeAll(keepingCapacity: true)
        }

        private var failed: String?

        /// Flushes and closes; throws if any write failed (disk full, ...).
        func close() throws {
            flushBuffer()
            guard let file else { return }
            self.file = nil
            if fclose(file) != 0, failed == nil { failed = String(cString: strerror(errno)) }
            if let failed { throw SampleShopError.cannotWrite(path: path, reason: failed) }
        }
    }
}
