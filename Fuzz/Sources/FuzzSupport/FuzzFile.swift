import ECStore
import Glibc

/// The scratch file each fuzz input is written to (in /dev/shm when there is one, to spare the disk).
public enum FuzzFile {
    public static let path: String = {
        let dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
        return "\(dir)/ecsh-fuzz-\(getpid()).csv"
    }()

    /// Writes the bytes to the scratch file and returns its path.
    public static func write(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard let handle = fopen(path, "wb") else { fatalError("fuzz: cannot write \(path)") }
        if let base = bytes.baseAddress, bytes.count > 0 { _ = fwrite(base, 1, bytes.count, handle) }
        fclose(handle)
        return path
    }

    /// Loads into a fresh in-memory workspace; a failed load must leave no table, a
    /// successful one must record exactly the rows the table holds.
    public static func checkAtomicLoad(_ request: LoadRequest, table: String) {
        do {
            let db = try Database()
            do {
                _ = try Loader(database: db).load(request)
            } catch {
                if try db.tableExists(table) {
                    fatalError("fuzz: a failed load left table \(table) behind: \(error)")
                }
                return
            }
            let rows = try db.scalar("SELECT count(*) FROM \(quoteIdentifier(table))").intValue
            let recorded = try db.scalar("SELECT rows FROM ecsh_datasets WHERE name = ?", [.text(table)]).intValue
            if rows != recorded { fatalError("fuzz: \(table) holds \(rows ?? -1) rows, ecsh_datasets says \(recorded ?? -1)") }
        } catch {
            fatalError("fuzz: workspace check failed: \(error)")
        }
    }
}
