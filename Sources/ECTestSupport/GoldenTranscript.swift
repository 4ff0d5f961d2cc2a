import Foundation

/// Compares a script's transcript with the stored one, or records it.
///
/// A transcript is `ecsh --echo -f script 2>&1` run from the package root:
/// results, notes and errors in the order written, then the exit status (which
/// stream each line goes to is checked by OutputContractTests, not here). Set `ECSH_RECORD=1` to write the transcripts anew and review the diff.
public enum GoldenTranscript {
    public static var recording: Bool { ProcessInfo.processInfo.environment["ECSH_RECORD"] == "1" }

    /// The transcript text of a run.
    public static func transcript(of output: ProcessOutput) -> String {
        var text = normalized(output.stdout)
        if !output.stderr.isEmpty { text += "--- stderr ---\n" + normalized(output.stderr) }
        text += "--- exit \(output.status) ---\n"
        return text
    }

    /// Replaces what varies between runs (load timings) with fixed text.
    public static func normalized(_ text: String) -> String {
        text.replacing(/in [0-9.]+ s \([0-9,]+ rows\/s\)/, with: "in <time>")
            .replacing(/Run time: [0-9.]+ s/, with: "Run time: <time>")
            .replacing(/from input version ([0-9]+) in [0-9.]+ m?s\n/) { "from input version \($0.1) in <time>\n" }
            // `tables` after a load: the derived data's build time and the load's time.
            .replacing(/built [0-9-]+ [0-9:]+ in [0-9.]+ m?s from input version ([0-9]+): (.*) at [0-9-]+ [0-9:]+\n/) {
                "built <when> in <time> from input version \($0.1): \($0.2) at <when>\n"
            }
    }

    /// Runs `script` (a path relative to the package root) and checks it against `golden`.
    /// Returns nil when they match (or after recording), else a readable difference.
    public static func check(script: String, golden: URL, extraArguments: [String] = []) throws -> String? {
        let output = try runECSH(["--echo"] + extraArguments + ["-f", script], mergingStandardError: true)
        let actual = transcript(of: output)
        if recording {
            try FileManager.default.createDirectory(at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: golden, atomically: true, encoding: .utf8)
            return nil
        }
        guard let expected = try? String(contentsOf: golden, encoding: .utf8) else {
            return "no golden transcript at \(golden.path); run with ECSH_RECORD=1 to record it"
        }
        return expected == actual ? nil : difference(expected: expected, actual: actual)
    }

    /// The first differing line, with context.
    public static func difference(expected: String, actual: String) -> String {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(e.count, a.count) {
            let el = i < e.count ? String(e[i]) : "<end>"
            let al = i < a.count ? String(a[i]) : "<end>"
            if el != al {
                return "line \(i + 1) differs:\n  expected: \(el)\n  actual:   \(al)\n(re-record with ECSH_RECORD=1 if the change is intended)"
            }
        }
        return "transcripts differ"
    }
}
