import ArgumentParser
import ECShell

@main
struct ECSH: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ecsh",
        abstract: "An analysis shell for e-commerce data.",
        version: ShellInfo.version
    )

    @Argument(help: "Workspace file (created if missing); in memory when omitted.")
    var workspace: String?

    func run() throws {
        print("ecsh \(ShellInfo.version)")
    }
}
