/// Facts about this build of ecsh.
public enum ShellInfo {
    public static let version = "0.1.0"
}
