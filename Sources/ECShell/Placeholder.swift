import ECStore
import ECRender

/// Placeholder for the shell; replaced by the session and command table.
public enum ShellInfo {
    public static let version = "0.1.0"
}
