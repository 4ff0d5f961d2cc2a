import CFuzzer

/// Hands the process to libFuzzer with `body` as the function under test, passing on
/// the command line (corpus folders, -max_total_time, …); returns libFuzzer's exit status.
public func runFuzzer(_ body: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    return LLVMFuzzerRunDriver(&argc, &argv, body)
}
