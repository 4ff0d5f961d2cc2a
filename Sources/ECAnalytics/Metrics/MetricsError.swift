/// An error in a metrics request: what went wrong and how to get on.
public struct MetricsError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    /// The name in the request the error is about (a KPI, a dimension), so the
    /// shell can point at where it was written without reading the message.
    public let subject: String?
    public init(_ message: String, about subject: String? = nil) {
        self.message = message
        self.subject = subject?.lowercased()
    }
    public var description: String { message }
    /// Errors are equal when they say the same thing; the subject only places them.
    public static func == (a: MetricsError, b: MetricsError) -> Bool { a.message == b.message }
}
