import Foundation

/// Locates the package root and the `ecsh` binary built next to the tests.
public enum BuiltBinary {
    /// The package root, found from this file's path (Sources/ECTestSupport/..).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared` beside the package root (guides and reference data).
    public static var sharedDirectory: URL {
        packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }

    /// The `ecsh` executable of the current build configuration.
    ///
    /// `swift test` builds it into the same folder as the test bundle.
    public static var ecsh: URL {
        let bundleDir = Bundle.main.bundleURL
        let candidates = [
            bundleDir.appendingPathComponent("ecsh"),
            bundleDir.deletingLastPathComponent().appendingPathComponent("ecsh"),
            packageRoot.appendingPathComponent(".build/debug/ecsh"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[2]
    }
}

/// The result of running a process to completion.
public struct ProcessOutput: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs `ecsh` with arguments and optional standard input; no terminal, NO_COLOR set (FORCE_COLOR and CLICOLOR_FORCE not).
/// `mergingStandardError` sends standard error into the standard output pipe (`2>&1`),
/// so a transcript shows results, notes and errors in the order they were written.
public func runECSH(_ arguments: [String], stdin: String? = nil, directory: URL? = nil,
                    environment extra: [String: String] = [:], mergingStandardError: Bool = false) throws -> ProcessOutput {
    try runECSH(arguments, stdinBytes: stdin.map { Array($0.utf8) }, directory: directory, environment: extra,
                mergingStandardError: mergingStandardError)
}

/// `runECSH` with standard input given as bytes (a script in another encoding).
public func runECSH(_ arguments: [String], stdinBytes stdin: [UInt8]?, directory: URL? = nil,
                    environment extra: [String: String] = [:], mergingStandardError: Bool = false) throws -> ProcessOutput {
    let process = Process()
    process.executableURL = BuiltBinary.ecsh
    process.arguments = arguments
    process.currentDirectoryURL = directory ?? BuiltBinary.packageRoot
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    // Either would colour the output over NO_COLOR (a CI machine often sets FORCE_COLOR); a test asks for it in `extra`.
    env["FORCE_COLOR"] = nil
    env["CLICOLOR_FORCE"] = nil
    env["ECSH_HISTORY"] = "/dev/null"
    for (k, v) in extra { env[k] = v }
    process.environment = env
    let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
    process.standardOutput = outPipe
    process.standardError = mergingStandardError ? outPipe : errPipe
    process.standardInput = inPipe
    try process.run()
    if let stdin { inPipe.fileHandleForWriting.write(Data(stdin)) }
    try? inPipe.fileHandleForWriting.close()
    // Read both pipes fully before waiting, so a large output cannot block the child.
    let group = DispatchGroup()
    nonisolated(unsafe) var errData = Data()
    if mergingStandardError { try? errPipe.fileHandleForWriting.close() }
    group.enter()
    DispatchQueue.global().async {
        errData = errPipe.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ProcessOutput(status: process.terminationStatus,
                         stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
}
