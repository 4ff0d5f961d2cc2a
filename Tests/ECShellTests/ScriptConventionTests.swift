import Foundation
import Testing
@testable import ECShell
import ECTestSupport

/// What an analyst replaying scripts expects from the shells they know (sqlite3, psql, bash):
/// `quit` in an included script, a `\` on the last line, a comment before `select`, colour
/// variables, `ecsh -`, and Ctrl-C in a script.
@Suite struct ScriptConventionTests {
    /// `quit` (or `.quit`, `exit`) in a script run by `run` or `.read` ends that script only, as psql's `\q`
    /// in a `\i` file and sqlite3's `.quit` in a `.read` file (checked: sqlite3 3.40 prints 1, 2, 3); the
    /// including script goes on. Before, it ended the whole session with exit 0 and c = 3 never ran.
    /// At the top level (a `-f` file) it still ends ecsh.
    @Test func quitInARunScriptEndsThatScriptOnly() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        _ = try dir.write("inner.ecsh", "sql select 2 as b\nquit\nsql select 22 as bb\n")
        _ = try dir.write("dotted.ecsh", "sql select 4 as d\n.quit\nsql select 44 as dd\n")
        _ = try dir.write("outer.ecsh", "sql select 1 as a\nrun 'inner.ecsh'\nsql select 3 as c\n.read dotted.ecsh\nsql select 5 as e\nexit\nsql select 6 as f\n")
        let out = try runECSH(["--no-rc", "-csv", "-f", "outer.ecsh", "-c", "sql select 7 as g"], directory: dir.url)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout == "a\n1\nb\n2\nc\n3\nd\n4\ne\n5\n", "\(out.stdout)")
    }

    /// A `\` joins its line to the next; on the script's last line there is none (a file cut short?):
    /// an error at the `\`, exit 1. Before, the `\` was dropped, b = 2 was printed and the exit was 0.
    @Test func aBackslashOnTheLastLineIsAnErrorAtIt() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        _ = try dir.write("cut.ecsh", "sql select 1 as a\nsql select 2 as b \\\n")
        let out = try runECSH(["--no-rc", "-csv", "-f", "cut.ecsh"], directory: dir.url)
        #expect(out.status == 1)
        #expect(out.stdout == "a\n1\n")
        #expect(out.stderr.contains("error: the text ends after a `\\`, which joins this line to a next line that is not there\n --> cut.ecsh:2:19\n"), "\(out.stderr)")
    }

    /// A `/* … */` comment before a bare `select` (sqlite3 and psql scripts open with one): the statement is
    /// SQL. Before: "expected a command, found '/'" at 1:1 and exit 1.
    @Test func aBlockCommentBeforeSelectIsStillSQL() throws {
        let script = "/* weekly; by hand */ select 6 * 7 as answer\n-- a line comment\nselect 'x;y' as s\n"
        let out = try runECSH(["--no-rc", "-csv", "-f", "-"], stdin: script)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout == "answer\n42\ns\nx;y\n")
    }

    /// The colour conventions, decided without a terminal here: no-color.org (NO_COLOR set and not empty),
    /// force-color.org (FORCE_COLOR set and not empty wins over NO_COLOR; `0`/`false` are Node's "off"),
    /// bixense.com/clicolors (CLICOLOR_FORCE not 0 forces, CLICOLOR=0 turns off), and TERM=dumb.
    @Test(arguments: [
        (true, [String: String](), true),
        (true, ["NO_COLOR": ""], true),             // empty: not set, by no-color.org's rule
        (true, ["NO_COLOR": "1"], false),
        (true, ["NO_COLOR": "0"], false),           // any value but the empty string
        (true, ["TERM": "dumb"], false),
        (true, ["CLICOLOR": "0"], false),
        (false, [:], false),                        // a pipe or file
        (false, ["FORCE_COLOR": "1"], true),
        (false, ["FORCE_COLOR": "1", "NO_COLOR": "1"], true),
        (false, ["FORCE_COLOR": ""], false),
        (false, ["FORCE_COLOR": "0"], false),
        (true, ["FORCE_COLOR": "false", "TERM": "dumb"], false),
        (false, ["CLICOLOR_FORCE": "1"], true),
        (false, ["CLICOLOR_FORCE": "0"], false),
    ])
    func colourFollowsTheEnvironmentConventions(terminal: Bool, environment: [String: String], expected: Bool) {
        #expect(colorAllowed(isTerminal: terminal, environment: { environment[$0] }) == expected)
    }

    /// FORCE_COLOR=1 colours a table into a pipe (the header in bold), over NO_COLOR; CSV stays plain.
    /// Before, FORCE_COLOR was not read: no escape at all.
    @Test func forceColorColoursATableIntoAPipe() throws {
        let table = try runECSH(["--no-rc", "-c", "sql select 1 as a"], environment: ["FORCE_COLOR": "1"])
        #expect(table.stdout.contains("\u{1B}[1ma\u{1B}[0m"), "\(table.stdout.debugDescription)")
        let csv = try runECSH(["--no-rc", "-csv", "-c", "sql select 1 as a"], environment: ["FORCE_COLOR": "1"])
        #expect(csv.stdout == "a\n1\n")
    }

    /// `ecsh -` is refused, naming `-f -`; before, it created a SQLite workspace file named `-` in the current folder.
    @Test func aDashWorkspaceIsRefused() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let out = try runECSH(["-", "-csv"], stdin: "sql select 1 as a\n", directory: dir.url)
        #expect(out.status != 0 && out.stdout.isEmpty)
        #expect(out.stderr.contains("'-' is not a workspace: a script on standard input is given with -f -"), "\(out.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("-")))
    }

    /// Ctrl-C during a long statement of a script stops the script, with `--keep-going` too, names where
    /// and exits 130 (128 + SIGINT, as a shell reports a command stopped by Ctrl-C). Before: exit 1, a bare
    /// "interrupted", and with --keep-going the next statement (c = 3) ran.
    @Test func ctrlCStopsTheScriptWithStatus130() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let long = "with recursive c(x) as (select 1 union all select x+1 from c where x < 2000000000) select count(*) as n from c"
        _ = try dir.write("long.ecsh", "sql select 1 as a\n\(long)\nsql select 3 as c\n")
        let process = Process()
        process.executableURL = BuiltBinary.ecsh
        process.arguments = ["--no-rc", "-csv", "--keep-going", "-f", "long.ecsh"]
        process.currentDirectoryURL = dir.url
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        process.environment = env
        let outFile = dir.path("out.txt"), errFile = dir.path("err.txt")
        _ = FileManager.default.createFile(atPath: outFile, contents: nil)
        _ = FileManager.default.createFile(atPath: errFile, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: outFile)
        process.standardError = FileHandle(forWritingAtPath: errFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Wait for the first result, so the long statement is running when the signal comes.
        let deadline = Date().addingTimeInterval(30)
        while (try? String(contentsOfFile: outFile, encoding: .utf8)) != "a\n1\n", Date() < deadline { usleep(20_000) }
        usleep(300_000)
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        let stdout = try String(contentsOfFile: outFile, encoding: .utf8), stderr = try String(contentsOfFile: errFile, encoding: .utf8)
        #expect(process.terminationStatus == 130, "\(stderr)")
        #expect(stdout == "a\n1\n")
        #expect(stderr.hasPrefix("error: interrupted (Ctrl-C): the statements after it were not run\n --> long.ecsh:2:1\n"), "\(stderr)")
    }
}
