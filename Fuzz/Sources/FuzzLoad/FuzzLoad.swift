import ECStore
import FuzzSupport

/// libFuzzer target: the load path for each dataset role (header mapping, type
/// conversion, dates, numbers, order collapsing) into an in-memory workspace.
///
/// The first input byte picks the role and on_error; the rest is the CSV file.
/// Oracle: no crash; a failed load leaves no table; the recorded row count matches.
func fuzzLoad(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data = bytes else { return 0 }
    guard size > 0 else { return 0 }
    let selector = Int(data[0])
    let roles = DatasetRole.allCases
    let role = roles[selector % roles.count]
    let file = FuzzFile.write(UnsafeBufferPointer(start: data + 1, count: size - 1))
    var options = LoadOptions()
    options.onError = selector & 0x80 == 0 ? .stop : .skip
    FuzzFile.checkAtomicLoad(LoadRequest(target: .role(role), path: file, options: options), table: role.rawValue)
    return 0
}
