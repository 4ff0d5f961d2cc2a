import Foundation

/// Reads a script file, refusing what is not a text script.
enum ScriptFile {
    /// Largest script accepted; a bigger "script" is almost surely a data file given by mistake.
    static let maximumBytes = 64 << 20

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

    /// Decodes script bytes: UTF-8 (a BOM is skipped); NUL bytes or invalid UTF-8 mean binary data.
    static func decode(_ data: Data, name: String) -> Result<String, ScriptReadError> {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if let nul = bytes.firstIndex(of: 0) {
            return .failure(ScriptReadError(path: name, message: "'\(name)' looks like a binary file (a NUL byte at offset \(nul)), not an ecsh script", help: "scripts are UTF-8 text; to import data use: load table NAME from '\(name)'"))
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return .failure(ScriptReadError(path: name, message: "'\(name)' is not valid UTF-8 text", help: "save the script as UTF-8 (e.g. iconv -f cp932 -t utf-8)"))
        }
        return .success(text)
    }
}

/// Why a script file could not be read.
struct ScriptReadError: Error {
    let path: String
    let message: String
    let help: String?
}
