import Foundation
import ECStore

/// Reads a script file, refusing what is not a text script.
enum ScriptFile {
    /// Largest script accepted; a bigger "script" is almost surely a data file given by mistake.
    static let maximumBytes = 64 << 20
    /// How standard input is named in errors (`-f -`, or a script piped in).
    static let standardInputName = "<stdin>"

    /// The file's text, or a message saying why it cannot be a script.
    static func read(_ path: String) -> Result<String, ScriptReadError> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(ScriptReadError(path: path, message: "no such script file '\(path)'", help: "check the path; relative paths are resolved from the including script's folder, or the current folder at the top level"))
        }
        if isDirectory.boolValue {
            return .failure(ScriptReadError(path: path, message: "'\(path)' is a directory, not a script", help: nil))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(ScriptReadError(path: path, message: "cannot read '\(path)' (permission denied?)", help: nil))
        }
        if data.count > maximumBytes {
            return .failure(ScriptReadError(path: path, message: "'\(path)' is \(data.count >> 20) MB; scripts are limited to \(maximumBytes >> 20) MB", help: "to import data use: load table NAME from '\(path)'"))
        }
        return decode(data, name: path)
    }

    /// Standard input read to its end, as a script named `<stdin>`.
    static func readStandardInput() -> Result<String, ScriptReadError> {
        decode(FileHandle.standardInput.readDataToEndOfFile(), name: standardInputName)
    }

    /// Decodes script bytes by their byte-order mark: UTF-8 (the mark, EF BB BF, is optional and skipped),
    /// or UTF-16 little- or big-endian (FF FE, FE FF: Windows Notepad's "Unicode"). NUL characters mean
    /// binary data; anything else that does not decode is named with what `load` would take it for.
    /// Windows line ends (CR LF) become LF, so a statement over several lines reads (and echoes) the same
    /// whichever system saved the script; lines and columns do not change (CR LF is one character).
    static func decode(_ data: Data, name: String) -> Result<String, ScriptReadError> {
        decodeText(data, name: name).map { $0.utf8.contains(13) ? $0.replacingOccurrences(of: "\r\n", with: "\n") : $0 }
    }

    private static func decodeText(_ data: Data, name: String) -> Result<String, ScriptReadError> {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xFF, 0xFE, 0, 0]) || bytes.starts(with: [0, 0, 0xFE, 0xFF]) {
            let order = bytes[0] == 0 ? "BE" : "LE"
            return .failure(ScriptReadError(path: name, message: "'\(name)' is UTF-32 \(order) text (its byte-order mark says so); ecsh reads scripts in UTF-8 or UTF-16", help: saveAsUTF8(name, from: "utf-32\(order.lowercased())")))
        }
        if bytes.starts(with: [0xFF, 0xFE]) { return decodeUTF16(bytes.dropFirst(2), bigEndian: false, name: name) }
        if bytes.starts(with: [0xFE, 0xFF]) { return decodeUTF16(bytes.dropFirst(2), bigEndian: true, name: name) }
        return decodeUTF8(bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes, name: name)
    }

    private static func decodeUTF8(_ bytes: [UInt8], name: String) -> Result<String, ScriptReadError> {
        if let nul = bytes.firstIndex(of: 0) {
            if let wide = utf16WithoutByteOrderMark(bytes) {
                return .failure(ScriptReadError(path: name, message: "'\(name)' is \(wide) text without a byte-order mark; ecsh reads scripts in UTF-8, or in UTF-16 that starts with its byte-order mark", help: saveAsUTF8(name, from: wide)))
            }
            return .failure(ScriptReadError(path: name, message: "'\(name)' looks like a binary file (a NUL byte at offset \(nul)), not an ecsh script", help: "scripts are UTF-8 text; to import data use: load table NAME from '\(name)'"))
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let finding = EncodingFinding(bytes)
            return .failure(ScriptReadError(path: name, message: "'\(name)' is not UTF-8 text: \(finding.summary)", help: saveAsUTF8(name, from: finding.encoding)))
        }
        return .success(text)
    }

    /// `utf-16le` or `utf-16be` when the bytes look like a script in UTF-16 without a byte-order mark:
    /// an even count, and a zero in (nearly) every other byte and in no other, as ASCII keywords give.
    /// Stricter than `load`'s test for CSV, so that a binary file is still called binary.
    static func utf16WithoutByteOrderMark(_ bytes: [UInt8]) -> String? {
        let n = min(bytes.count, 4096)
        guard n >= 4, bytes.count % 2 == 0 else { return nil }
        var zeros = [0, 0]
        for i in 0..<n where bytes[i] == 0 { zeros[i % 2] += 1 }
        let pairs = n / 2
        if zeros[1] * 10 >= pairs * 9 && zeros[0] == 0 { return "utf-16le" }
        if zeros[0] * 10 >= pairs * 9 && zeros[1] == 0 { return "utf-16be" }
        return nil
    }

    /// UTF-16 code units after the byte-order mark; an odd byte, a lone surrogate or a NUL is an error with its byte offset.
    private static func decodeUTF16(_ bytes: ArraySlice<UInt8>, bigEndian: Bool, name: String) -> Result<String, ScriptReadError> {
        let encoding = bigEndian ? "utf-16be" : "utf-16le"
        func failure(_ problem: String) -> Result<String, ScriptReadError> {
            .failure(ScriptReadError(path: name, message: "'\(name)' starts with the \(encoding) byte-order mark but is not \(encoding) text: \(problem)", help: saveAsUTF8(name, from: encoding)))
        }
        guard bytes.count % 2 == 0 else { return failure("it has an odd number of bytes (\(bytes.count + 2))") }
        let start = bytes.startIndex
        let units = stride(from: start, to: bytes.endIndex, by: 2).map { i -> UInt16 in
            let (high, low) = bigEndian ? (bytes[i], bytes[i + 1]) : (bytes[i + 1], bytes[i])
            return UInt16(high) << 8 | UInt16(low)
        }
        var i = 0
        while i < units.count {
            let unit = units[i], offset = start + 2 * i
            if unit == 0 {
                return .failure(ScriptReadError(path: name, message: "'\(name)' looks like a binary file (a NUL character at offset \(offset)), not an ecsh script", help: "scripts are text; to import data use: load table NAME from '\(name)'"))
            }
            if UTF16.isLeadSurrogate(unit), i + 1 < units.count, UTF16.isTrailSurrogate(units[i + 1]) {
                i += 2
                continue
            }
            if UTF16.isLeadSurrogate(unit) || UTF16.isTrailSurrogate(unit) {
                return failure("a lone surrogate 0x\(String(unit, radix: 16, uppercase: true)) at byte offset \(offset)")
            }
            i += 1
        }
        return .success(String(decoding: units, as: UTF16.self))
    }

    /// The way out for a script in another encoding.
    private static func saveAsUTF8(_ name: String, from encoding: String?) -> String {
        let shown = name == standardInputName ? "FILE" : "'\(name)'"
        let convert = encoding.map { "; or: iconv -f \($0) -t utf-8 \(shown) > new.ecsh" } ?? ""
        return "save the script as UTF-8 (in Notepad: File › Save As, Encoding: UTF-8)\(convert)"
    }
}

/// Why a script file could not be read.
struct ScriptReadError: Error {
    let path: String
    let message: String
    let help: String?
}
