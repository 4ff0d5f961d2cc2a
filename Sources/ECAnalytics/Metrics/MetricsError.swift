/// An error in a metrics request: what went wrong and how to get on.
public struct MetricsError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
