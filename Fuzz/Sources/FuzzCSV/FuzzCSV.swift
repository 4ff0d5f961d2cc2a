import ECStore
import FuzzSupport
import Glibc

/// libFuzzer target: the CSV reader (dialect detection, encodings, quoting) through
/// its public entry point, a `load table t from FILE` into an in-memory workspace.
///
/// The first input byte picks the `with` options (delimiter, header, encoding, on_error)
/// so that both detection and every explicit setting are explored; the rest is the file.
/// Oracle: no crash, and a load that fails leaves no table behind (loads are atomic).
func fuzzCSV(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data = bytes else { return 0 }
    guard size > 0 else { return 0 }
    let selector = data[0]
    let file = FuzzFile.write(UnsafeBufferPointer(start: data + 1, count: size - 1))
    var options = LoadOptions()
    let delimiters: [LoadOptions.Delimiter?] = [nil, .byte(UInt8(ascii: ",")), .byte(UInt8(ascii: "\t")),
                                                .byte(UInt8(ascii: ";")), .byte(UInt8(ascii: "|")), .whitespace, nil, nil]
    options.delimiter = delimiters[Int(selector & 7)]
    options.header = [nil, true, false, nil][Int((selector >> 3) & 3)]
    options.encoding = [nil, "utf-8", "cp932", "euc-jp", "utf-16", "utf-16le", "latin-1", nil][Int((selector >> 5) & 7)]
    options.onError = selector & 0x80 == 0 ? .stop : .skip
    FuzzFile.checkAtomicLoad(LoadRequest(target: .table("t"), path: file, options: options), table: "t")
    return 0
}
