/// A table that does not have the shape a chart needs.
public struct ChartError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
